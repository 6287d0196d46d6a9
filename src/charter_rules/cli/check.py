"""``charter-rules check``: check case exports and report, for people, programs and CI."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Iterator, List, Optional

import typer
from rich.markup import escape

from ..check.report import FAIL_ON_CHOICES
from ..check.chunk import CheckSettings
from ..check.figures import load_figures
from ..check.run import check_paths, default_workers
from ..reports import ReportOptions, render
from ..reports.text import print_report
from ..reports.view import ReportView
from ..check.reading import total_bytes
from ._common import EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_FOUND, AsOfOption, RulesOption, err, handled, out, \
    parse_as_of, rulebook


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    junit = "junit"
    markdown = "markdown"
    html = "html"


class _Progress:
    """A rich progress bar on stderr, by bytes read, with the number of records checked."""

    def __init__(self, total: int) -> None:
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn("checking"), BarColumn(), DownloadColumn(), TextColumn("{task.fields[records]}"),
                            TimeRemainingColumn(), console=err, transient=True)
        self.task = self.bar.add_task("check", total=total or None, records="0 records")
        self.records = 0

    def read(self, nbytes: int) -> None:
        self.bar.advance(self.task, nbytes)

    def checked(self, records: int) -> None:
        self.records += records
        self.bar.update(self.task, records=f"{self.records:,} records")


@contextmanager
def _progress(paths: List[Path], enabled: bool) -> Iterator[_Progress | None]:
    if not enabled or not err.is_terminal:
        yield None
        return
    progress = _Progress(total_bytes(paths))
    with progress.bar:
        yield progress


def check(
    paths: List[Path] = typer.Argument(..., help="Case exports: .jsonl, .ndjson, .json, .csv (also .gz) files or folders."),
    as_of: Optional[str] = AsOfOption,
    fail_on: List[str] = typer.Option(
        ["overdue"], "--fail-on", help="Outcome that fails the run: " + ", ".join(FAIL_ON_CHOICES) + " (repeatable)."
    ),
    tolerated_rate: float = typer.Option(
        0.0, "--tolerate", min=0.0, max=1.0,
        help="Fail only if the share of owed obligations (or of records, for rejected) is above this, e.g. 0.02.",
    ),
    output: ReportFormat = typer.Option(ReportFormat.text, "--format",
                                        help="text, json (versioned), junit (for CI), markdown (for PR comments) "
                                             "or html (self-contained)."),
    output_file: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1,
                                          help="Processes to use (default: one per core; 1: no pool)."),
    redact: bool = typer.Option(False, "--redact",
                                help="Keep personal data (names, contact details, free text) out of the report."),
    cases: List[str] = typer.Option([], "--case", help="Show the timeline of this case (repeatable)."),
    max_breaches: int = typer.Option(20, "--max-breaches", min=0, help="Breaches listed in text and markdown."),
    progress: bool = typer.Option(True, "--progress/--no-progress",
                                  help="Progress bar on a terminal (never shown when stderr is not a terminal)."),
    rules: Optional[Path] = RulesOption,
) -> None:
    """Check case exports. Exit 0: clean; 1: breaches found (see --fail-on); 2: bad input or no records."""
    for outcome in fail_on:
        if outcome not in FAIL_ON_CHOICES:
            raise typer.BadParameter(f"{outcome!r}; choose from {', '.join(FAIL_ON_CHOICES)}", param_hint="--fail-on")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise typer.BadParameter("no such file or folder: " + ", ".join(missing), param_hint="PATHS")
    book = rulebook(rules)
    moment = parse_as_of(as_of)
    settings = CheckSettings(as_of=moment, rules_dir=str(book.rulebook.root), redact=redact,
                             timeline_cases=frozenset(cases))
    with handled():
        figures = load_figures(book.rulebook.root)
        with _progress(paths, progress) as bar:
            report = check_paths(paths, book, settings, workers=workers or default_workers(), progress=bar)
    options = ReportOptions(fail_on=tuple(fail_on), tolerated_rate=tolerated_rate, max_breaches=max_breaches,
                            figures=figures)
    if output_file is not None:
        with output_file.open("wb") as handle:
            render(report, output.value, handle, options)
        err.print(f"report written to {escape(str(output_file))}")
    elif output is ReportFormat.text:
        print_report(ReportView(report, options), out)
    else:
        render(report, output.value, sys.stdout.buffer, options)
        sys.stdout.flush()
    for case_id in cases:
        if case_id not in report.timelines:
            err.print(f"[yellow]case {escape(case_id)} was not found among the evaluated records[/yellow]")
    if report.records_read == 0:
        err.print("[red]no case records found[/red] in " + escape(", ".join(str(p) for p in paths)))
        raise typer.Exit(EXIT_BAD_INPUT)
    if report.failed(fail_on, tolerated_rate):
        raise typer.Exit(EXIT_FOUND)
    raise typer.Exit(EXIT_CLEAN)


def register(app: typer.Typer) -> None:
    app.command()(check)
