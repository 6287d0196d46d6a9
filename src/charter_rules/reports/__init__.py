"""Renderers of a :class:`~charter_rules.check.report.CheckReport`, one module per format.

``render(report, format, out, options)`` writes the report to a binary stream. Every renderer reads the same
:class:`~charter_rules.reports.view.ReportView`, so the formats cannot disagree about a number.
"""

from __future__ import annotations

from typing import BinaryIO

from ..check.report import CheckReport
from .view import ReportOptions, ReportView

FORMATS = ("text", "json", "junit", "markdown", "html")


def render(report: CheckReport, fmt: str, out: BinaryIO, options: ReportOptions | None = None) -> None:
    """Write ``report`` to ``out`` in ``fmt`` (one of FORMATS)."""
    view = ReportView(report, options or ReportOptions())
    if fmt == "text":
        from .text import render_text

        render_text(view, out)
    elif fmt == "json":
        from .json_report import render_json

        render_json(view, out)
    elif fmt == "junit":
        from .junit import render_junit

        render_junit(view, out)
    elif fmt == "markdown":
        from .markdown import render_markdown

        render_markdown(view, out)
    elif fmt == "html":
        from .html import render_html

        render_html(view, out)
    else:
        raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "ReportOptions", "ReportView", "render"]
