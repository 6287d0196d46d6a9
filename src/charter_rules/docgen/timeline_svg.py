"""An evaluated worked example drawn as a timeline: the shared drawing (``charter_rules.drawing.timeline``) of the
example's timeline data (``charter_rules.timeline_data.timeline_data``), the same picture the HTML report draws for a case.
"""

from __future__ import annotations

from typing import Callable

from ..caseview import CaseView
from ..compiled import CompiledRulebook
from ..drawing.timeline import timeline_html
from ..obligation import STATUS_TABLE, Obligation
from ..timeline_data import counted_days, timeline_data

STATUS_LABELS = {status: info.word.capitalize() for status, info in STATUS_TABLE.items()}


def timeline_svg(book: CompiledRulebook, case: CaseView, obligations: list[Obligation], *, title: str,
                 svg_id: str = "timeline", wording: Callable[[str], str] = str) -> str:
    """The picture (HTML: a wide and a narrow SVG) of one evaluated example; ``obligations`` get one lane each.

    ``svg_id`` must be unique on the page (it prefixes the ids the SVGs' titles and patterns are referred by).
    """
    return timeline_html(timeline_data(book, case, obligations, wording), title=title, svg_id=svg_id)


__all__ = ["STATUS_LABELS", "counted_days", "timeline_svg"]
