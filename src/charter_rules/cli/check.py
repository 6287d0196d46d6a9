"""``charter-rules check``: check case exports and report, for people, programs and CI."""

from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Iterator, List, Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..check.report import FAIL_ON_CHOICES
from ..check.chunk import CheckSettings
from ..check.figures import load_figures
from ..check.run import check_paths, default_workers
from ..check.baseline import NEW_FAIL_ON, compare_with_baseline, load_baseline
from ..inputlimits import parse_size
from ..reports import ReportOptions, render
from ..reports.text import output_width, print_report
from ..reports.view import ReportView
from ..check.reading import total_bytes
from ._common import EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_FOUND, AsOfOption, RulesOption, SettingOption, err, handled, \
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
        ["overdue"], "--fail-on", help="Outcome that fails the run: " + ", ".join(FAIL_ON_CHOICES + NEW_FAIL_ON)
        + " (repeatable; the new-... ones need --baseline)."
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
    docs_url: Optional[str] = typer.Option(
        None, "--docs-url",
        help="Where the rule book's documentation site is published (e.g. https://example.org/charter-rules/): "
             "rule titles in the HTML report link to their pages there."),
    progress: bool = typer.Option(True, "--progress/--no-progress",
                                  help="Progress bar on a terminal (never shown when stderr is not a terminal)."),
    baseline_file: Optional[Path] = typer.Option(
        None, "--baseline", help="An earlier 'check --format json' report: list breaches new, persisting and "
                                 "resolved since then (and allow --fail-on new-overdue)."),
    max_record_size: str = typer.Option("8M", "--max-record-size",
                                        help="Reject a record (a line, an array element, a one-case file) longer "
                                             "than this, e.g. 8M, 512K, 1G."),
    rules: Optional[Path] = RulesOption,
    setting: Optional[List[str]] = SettingOption,
) -> None:
    """Check case exports. Exit 0: clean; 1: breaches found (see --fail-on); 2: bad input, or no record could be
    evaluated; 3: a fault in charter-rules (run with --debug for the traceback)."""
    for outcome in fail_on:
        if outcome not in FAIL_ON_CHOICES + NEW_FAIL_ON:
            raise typer.BadParameter(f"{outcome!r}; choose from {', '.join(FAIL_ON_CHOICES + NEW_FAIL_ON)}",
                                     param_hint="--fail-on")
        if outcome in NEW_FAIL_ON and baseline_file is None:
            raise typer.BadParameter(f"{outcome} compares with an earlier report: add --baseline REPORT.json",
                                     param_hint="--fail-on")
    if docs_url is not None and not re.match(r"(https?://[^\s/]|[^:\s]*(/|$))", docs_url):
        raise typer.BadParameter(f"{docs_url!r}: give a web address (https://...) or a relative path",
                                 param_hint="--docs-url")
    earlier = None
    if baseline_file is not None:
        with handled():
            earlier = load_baseline(baseline_file)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise typer.BadParameter("no such file or folder: " + ", ".join(missing), param_hint="PATHS")
    try:
        max_record_bytes = parse_size(max_record_size)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--max-record-size") from None
    if max_record_bytes < 1024:
        raise typer.BadParameter("the maximum record size must be at least 1K", param_hint="--max-record-size")
    book = rulebook(rules, setting)
    moment = parse_as_of(as_of)
    settings = CheckSettings(as_of=moment, rules_dir=str(book.rulebook.root), redact=redact,
                             timeline_cases=frozenset(cases),
                             rule_settings=tuple(sorted(book.rulebook.chosen.items())),
                             max_record_bytes=max_record_bytes)
    with handled():
        figures = load_figures(book.rulebook.root)
        with _progress(paths, progress) as bar:
            report = check_paths(paths, book, settings, workers=workers or default_workers(), progress=bar)
    options = ReportOptions(fail_on=tuple(fail_on), tolerated_rate=tolerated_rate, max_breaches=max_breaches,
                            figures=figures, docs_url=docs_url,
                            baseline=compare_with_baseline(report, earlier) if earlier is not None else None)
    if output_file is not None:
        with output_file.open("wb") as handle:
            render(report, output.value, handle, options)
        err.print(f"report written to {escape(str(output_file))}")
    elif output is ReportFormat.text:
        # the width is asked for now, so COLUMNS set for this run counts
        print_report(ReportView(report, options), Console(highlight=False, soft_wrap=True, width=output_width()))
    else:
        render(report, output.value, sys.stdout.buffer, options)
        sys.stdout.flush()
    for case_id in cases:
        if case_id not in report.timelines:
            err.print(f"[yellow]case {escape(case_id)} was not found among the evaluated records[/yellow]")
    if report.records_read == 0:
        err.print("[red]no case records found[/red] in " + escape(", ".join(str(p) for p in paths)))
        raise typer.Exit(EXIT_BAD_INPUT)
    if report.evaluated == 0:
        err.print(f"[red]no record could be evaluated[/red]: all {report.rejected} rejected (see the report)")
        raise typer.Exit(EXIT_BAD_INPUT)
    if ReportView(report, options).failed:
        raise typer.Exit(EXIT_FOUND)
    raise typer.Exit(EXIT_CLEAN)


def register(app: typer.Typer) -> None:
    app.command()(check)
