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

from ..check.report import FAIL_ON_CHOICES, CheckReport
from ..check.chunk import CheckSettings
from ..check.run import check_paths, default_workers
from ..check.baseline import NEW_FAIL_ON, compare_with_baseline, load_baseline
from ..reports import REPORT_FORMATS, ReportOptions, format_for_suffix, render
from ..output_width import output_width
from ..reports.text import print_report
from ..reports.view import ReportView
from ..check.reading import total_bytes
from ._common import EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_FOUND, AsOfOption, MaxRecordSizeOption, RulesOption, SettingOption, \
    err, handled, parse_as_of, record_limit, rulebook


# the --format choice, from the registry of report formats
ReportFormat = Enum("ReportFormat", {name: name for name in REPORT_FORMATS}, type=str)  # type: ignore[misc]
FORMAT_HELP = ", ".join(f"{f.name} ({f.description})" for f in REPORT_FORMATS.values())


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


def _format(chosen: Optional[ReportFormat], output_file: Optional[Path]) -> str:
    """The report format: as chosen, else that of the output file's suffix (report.html), else text."""
    if chosen is not None:
        return str(chosen.value)
    by_suffix = format_for_suffix(output_file.suffix) if output_file is not None else None
    return by_suffix.name if by_suffix is not None else "text"


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
    output: Optional[ReportFormat] = typer.Option(
        None, "--format", help=FORMAT_HELP + ". Default: text, or the format of the --output file's suffix."),
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
    max_record_size: str = MaxRecordSizeOption,
    rules: Optional[Path] = RulesOption,
    setting: Optional[List[str]] = SettingOption,
) -> None:
    """Check case exports. Exit 0: clean; 1: breaches found (see --fail-on); 2: bad input, or no record could be
    evaluated; 3: a fault in charter-rules (run with --debug for the traceback)."""
    # the signature above is the command's options (typer reads them from it); the work is in the helpers below
    _check_fail_on(fail_on, baseline_file)
    _check_docs_url(docs_url)
    earlier = None
    if baseline_file is not None:
        with handled():
            earlier = load_baseline(baseline_file)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise typer.BadParameter("no such file or folder: " + ", ".join(missing), param_hint="PATHS")
    max_record_bytes = record_limit(max_record_size)
    book = rulebook(rules, setting)
    settings = CheckSettings(as_of=parse_as_of(as_of), rules_dir=str(book.rulebook.root), redact=redact,
                             timeline_cases=frozenset(cases),
                             rule_settings=tuple(sorted(book.rulebook.chosen.items())),
                             max_record_bytes=max_record_bytes)
    with handled():
        with _progress(paths, progress) as bar:
            report = check_paths(paths, book, settings, workers=workers or default_workers(), progress=bar)
    options = ReportOptions(fail_on=tuple(fail_on), tolerated_rate=tolerated_rate, max_breaches=max_breaches,
                            figures=book.rulebook.figures, docs_url=docs_url,
                            baseline=compare_with_baseline(report, earlier) if earlier is not None else None)
    _write_report(report, _format(output, output_file), output_file, options)
    for case_id in cases:
        if case_id not in report.timelines:
            err.print(f"[yellow]case {escape(case_id)} was not found among the evaluated records[/yellow]")
    raise typer.Exit(_exit_status(report, options, paths))


def _check_fail_on(fail_on: List[str], baseline_file: Optional[Path]) -> None:
    for outcome in fail_on:
        if outcome not in FAIL_ON_CHOICES + NEW_FAIL_ON:
            raise typer.BadParameter(f"{outcome!r}; choose from {', '.join(FAIL_ON_CHOICES + NEW_FAIL_ON)}",
                                     param_hint="--fail-on")
        if outcome in NEW_FAIL_ON and baseline_file is None:
            raise typer.BadParameter(f"{outcome} compares with an earlier report: add --baseline REPORT.json",
                                     param_hint="--fail-on")


def _check_docs_url(docs_url: Optional[str]) -> None:
    if docs_url is not None and not re.match(r"(https?://[^\s/]|[^:\s]*(/|$))", docs_url):
        raise typer.BadParameter(f"{docs_url!r}: give a web address (https://...) or a relative path",
                                 param_hint="--docs-url")


def _write_report(report: CheckReport, fmt: str, output_file: Optional[Path], options: ReportOptions) -> None:
    if output_file is not None:
        with output_file.open("wb") as handle:
            render(report, fmt, handle, options)
        err.print(f"report written to {escape(str(output_file))}")
    elif fmt == "text":
        # the width is asked for now, so COLUMNS set for this run counts
        print_report(ReportView(report, options), Console(highlight=False, soft_wrap=True, width=output_width()))
    else:
        render(report, fmt, sys.stdout.buffer, options)
        sys.stdout.flush()


def _exit_status(report: CheckReport, options: ReportOptions, paths: List[Path]) -> int:
    if report.records_read == 0:
        err.print("[red]no case records found[/red] in " + escape(", ".join(str(p) for p in paths)))
        return EXIT_BAD_INPUT
    if report.evaluated == 0:
        err.print(f"[red]no record could be evaluated[/red]: all {report.rejected} rejected (see the report)")
        return EXIT_BAD_INPUT
    return EXIT_FOUND if ReportView(report, options).failed else EXIT_CLEAN


def register(app: typer.Typer) -> None:
    app.command()(check)
