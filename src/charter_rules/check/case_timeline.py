"""A case's timeline for reports (``check --case ID``): the case, its facts, and its timeline data
(``charter_rules.timeline_data``), with personal data redacted when asked.
"""

from __future__ import annotations

from typing import Any

import orjson

from ..caseview import CaseView
from ..compiled import CompiledRulebook
from ..obligation import Evaluation
from ..snapshot import CaseSnapshot
from ..timeline_data import timeline_data
from .redact import REDACTED, PersonalData


def case_timeline(book: CompiledRulebook, snapshot: CaseSnapshot, evaluation: Evaluation, where: str,
                  personal: PersonalData | None) -> dict[str, Any]:
    """The case, its facts, its events up to the as-of moment, and every obligation that started."""
    view = CaseView(snapshot, evaluation.as_of)
    started = [o for o in evaluation.obligations if o.triggered_at is not None or o.due_date is not None]
    data = timeline_data(book, view, started)
    facts = snapshot.facts.model_dump(exclude_none=True, mode="json") if snapshot.facts is not None else {}
    if personal is not None:
        facts = {k: (REDACTED if personal.is_personal_fact(k) else v) for k, v in facts.items()}
        for event in data["events"]:
            event["fields"] = {k: (REDACTED if personal.is_personal_field(k) else v)
                               for k, v in event["fields"].items()}
    vocabulary = book.vocabulary
    timeline = {
        "case_id": snapshot.case_id,
        "where": where,
        "kind": snapshot.kind,
        "kind_title": vocabulary.case_kinds[snapshot.kind].title if snapshot.kind in vocabulary.case_kinds
        else snapshot.kind,
        "facts": facts,
        "fact_titles": {k: k.replace("_", " ").capitalize() for k in facts},  # facts are named by words
        **data,
    }
    if personal is not None:
        raw = snapshot.model_dump(mode="json")
        scrubbed = personal.scrub_bytes(orjson.dumps(timeline), personal.values_in(raw))
        timeline = orjson.loads(scrubbed)
    return timeline
