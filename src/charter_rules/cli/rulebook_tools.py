"""``charter-rules coverage`` (the charter, sentence by sentence, and what checks it) and ``charter-rules lint``
(where the charter promises less than the law, or uses an obsolete standard)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional, List

import typer
from rich.markup import escape

from ..charter.text import load_charter
from ..charter.coverage import charter_coverage, coverage_text
from ..charter.findings import SEVERITY_ORDER, findings_text, lint_rulebook
from ._common import Format, EXIT_CLEAN, EXIT_FOUND, RulesOption, SettingOption, handled, out, rulebook, write_json


class Severity(str, Enum):
    high = "high"
    medium = "medium"
    low = "low"


def coverage(
    output: Format = typer.Option(Format.text, "--format", help="text for people, json for programs."),
    rules: Optional[Path] = RulesOption,
    setting: Optional[List[str]] = SettingOption,
) -> None:
    """Print the charter map. Exit 1 if a sentence is unmapped, a mapped rule is missing or a quote is not found."""
    book = rulebook(rules, setting)
    with handled():
        report = charter_coverage(book.rulebook.charter or load_charter(book.rulebook.root), book)
    if output is Format.json:
        write_json(report.to_dict())
    else:
        out.print(escape(coverage_text(report)), end="")
    raise typer.Exit(EXIT_CLEAN if report.ok else EXIT_FOUND)


def lint(
    output: Format = typer.Option(Format.text, "--format", help="text for people, json for programs."),
    fail_on: Optional[Severity] = typer.Option(
        None, "--fail-on", help="Exit 1 if there is a finding of this severity or worse (default: report only)."),
    rules: Optional[Path] = RulesOption,
    setting: Optional[List[str]] = SettingOption,
) -> None:
    """List where the charter promises less than the law or uses an obsolete standard, with both sources."""
    book = rulebook(rules, setting)
    with handled():
        findings = lint_rulebook(book)
    if output is Format.json:
        write_json([f.model_dump(mode="json") for f in findings])
    else:
        out.print(escape(findings_text(findings)), end="")
    if fail_on is not None and any(SEVERITY_ORDER[f.severity] <= SEVERITY_ORDER[fail_on.value] for f in findings):
        raise typer.Exit(EXIT_FOUND)


def register(app: typer.Typer) -> None:
    app.command()(coverage)
    app.command()(lint)
