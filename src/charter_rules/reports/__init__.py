"""Renderers of a :class:`~charter_rules.check.report.CheckReport`, one module per format.

``render(report, format, out, options)`` writes the report to a binary stream. Every renderer reads the same
:class:`~charter_rules.reports.view.ReportView`, so the formats cannot disagree about a number. The formats are one
registry (``REPORT_FORMATS``: name -> renderer, file suffix, description): adding a format is one entry here, and
the command line's ``--format`` choice follows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, Callable

from ..check.report import CheckReport
from .html import render_html
from .json_report import render_json
from .junit import render_junit
from .markdown import render_markdown
from .text import render_text
from .view import ReportOptions, ReportView


@dataclass(frozen=True)
class ReportFormat:
    name: str
    suffix: str  # of a report file in this format
    description: str  # what it is for, in a few words
    renderer: Callable[[ReportView, BinaryIO], None]


REPORT_FORMATS: dict[str, ReportFormat] = {f.name: f for f in (
    ReportFormat("text", ".txt", "for people", render_text),
    ReportFormat("json", ".json", "versioned, for programs", render_json),
    ReportFormat("junit", ".xml", "for CI: one test per rule", render_junit),
    ReportFormat("markdown", ".md", "for pull-request comments", render_markdown),
    ReportFormat("html", ".html", "a self-contained page", render_html),
)}
FORMATS = tuple(REPORT_FORMATS)


def format_for_suffix(suffix: str) -> ReportFormat | None:
    """The format whose files end in ``suffix`` (``.html``), if any."""
    return next((f for f in REPORT_FORMATS.values() if f.suffix == suffix.lower()), None)


def render(report: CheckReport, fmt: str, out: BinaryIO, options: ReportOptions | None = None) -> None:
    """Write ``report`` to ``out`` in ``fmt`` (one of FORMATS)."""
    spec = REPORT_FORMATS.get(fmt)
    if spec is None:
        raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
    spec.renderer(ReportView(report, options or ReportOptions()), out)


__all__ = ["FORMATS", "REPORT_FORMATS", "ReportFormat", "ReportOptions", "ReportView", "format_for_suffix",
           "render"]
