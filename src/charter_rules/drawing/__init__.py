"""Pictures shared by the documentation site and the reports, drawn as inline SVG from plain data.

* ``timeline.timeline_html``: a case's timeline (``charter_rules.timeline_data.timeline_data``), in a wide drawing and a
  narrow one for phones.
* ``layout``: placing labels so none overlaps another or leaves the picture; ``textwidth``: how wide text is drawn.
"""

from .timeline import timeline_html, timeline_svg

__all__ = ["timeline_html", "timeline_svg"]
