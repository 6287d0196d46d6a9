"""The report for people at a terminal or in a CI log: a summary per rule, then what needs attention.

The width is the terminal's, or ``COLUMNS`` when it is set (so a CI log can ask for one), or 120 columns. Rules are
named by their titles, which are wrapped but never cut; columns that are zero for every rule are left out. When
the table would not fit, each rule gets a short paragraph instead (the long layout).
"""

from __future__ import annotations

import io
import os
import sys
import textwrap
from typing import BinaryIO, TextIO

from rich import box
from rich.console import Console
from rich.table import Table

from ..check.report import STATUSES, RuleTally
from ..textsafe import rich_text as escape
from .baseline_section import print_baseline
from .view import STATUS_LABELS, ReportView, duty_label, rate_text, rejection_group_text, rejection_text

DEFAULT_WIDTH = 120  # when the output is not a terminal and COLUMNS is not set
TITLE_MIN = 30  # the table is used only if rule titles get at least this many columns (else the long layout)
# the table's columns: a short header and the statuses it adds up
COLUMNS = {
    "due": ("due",), "at risk": ("at_risk",), "overdue": ("overdue",), "on time": ("satisfied",),
    "late": ("satisfied_late",), "paused": ("paused",), "not owed": ("waived", "not_applicable"),
    "unknown": ("indeterminate",),
}
KEY = ("on time: met on time; late: met after the deadline; not owed: waived or not applicable; unknown: cannot be "
       "decided, a fact is missing; rate: met on time out of those met or past their deadline")


def output_width(stream: TextIO | None = None) -> int | None:
    """Columns to lay the report out in: ``COLUMNS`` if set, the terminal's (None: let rich ask it), else 120."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) >= 20:
        return int(columns)
    stream = stream or sys.stdout
    return None if stream.isatty() else DEFAULT_WIDTH


def render_text(view: ReportView, out: BinaryIO, *, color: bool = False, width: int | None = None) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True)
    console = Console(file=text, highlight=False, soft_wrap=True, width=width or output_width(text) or DEFAULT_WIDTH,
                      force_terminal=color, no_color=not color, color_system="standard" if color else None)
    print_report(view, console)
    text.detach()


def _count(tally: RuleTally, column: str) -> int:
    return sum(tally.counts[s] for s in COLUMNS[column])


def _columns(view: ReportView) -> list[str]:
    """The columns some rule has a number in, in the usual order."""
    return [c for c in COLUMNS if any(_count(t, c) for t in view.tallies)]


def _number_widths(view: ReportView, columns: list[str]) -> list[int]:
    return [max(len(c), *(len(f"{_count(t, c):,}") for t in view.tallies)) for c in columns]


def _title_width(view: ReportView, columns: list[str], width: int) -> int:
    """Columns left for rule titles in the table (at most the longest title's), after the numbers: each column takes
    its width and 3 more (a space each side and a separator), the table 1 more at each edge."""
    room = width - 2 - 3 - sum(n + 3 for n in _number_widths(view, columns)) - (len("100.0%") + 3)
    return min(room, max((len(t.title) for t in view.tallies), default=TITLE_MIN))


def _rule_table(view: ReportView, console: Console, columns: list[str], title_width: int) -> None:
    table = Table(title=f"Obligations as of {escape(view.as_of_text)}", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("rule", overflow="fold", width=title_width)
    for column, width in zip(columns, _number_widths(view, columns)):
        table.add_column(column, justify="right", no_wrap=True, min_width=width)
    table.add_column("rate", justify="right", no_wrap=True, min_width=len("100.0%"))
    for tally in view.tallies:
        table.add_row(escape(tally.title), *(f"{_count(tally, c):,}" for c in columns), rate_text(tally.compliance_rate))
    console.print(table)
    console.print(KEY, style="dim", soft_wrap=False)


def _rule_paragraphs(view: ReportView, console: Console, columns: list[str]) -> None:
    """The long layout: each rule's title on its own line(s), then its numbers in words."""
    console.print(f"Obligations as of {escape(view.as_of_text)}, per rule:", soft_wrap=False)
    for tally in view.tallies:
        counts = ", ".join(f"{tally.counts[s]:,} {STATUS_LABELS[s]}" for s in STATUSES if tally.counts[s])
        rate = tally.compliance_rate
        head = f"{rate_text(rate)} met on time" if rate is not None else "nothing decided yet"
        console.print(f"\n{escape(tally.title)}", soft_wrap=False)
        console.print(escape(textwrap.fill(f"{head}; {counts or 'no obligations'}", console.width,
                                           initial_indent="  ", subsequent_indent="  ")))
    console.print("\nrate: met on time out of those met or past their deadline", style="dim", soft_wrap=False)


def print_report(view: ReportView, console: Console) -> None:
    report, options = view.report, view.options
    columns = _columns(view)
    title_width = _title_width(view, columns, console.width)
    if title_width >= TITLE_MIN:
        _rule_table(view, console, columns, title_width)
    else:
        _rule_paragraphs(view, console, columns)
    console.print(f"records read: {report.records_read:,}  evaluated: {report.evaluated:,}  "
                  f"rejected: {report.rejected:,}  breaches: {len(report.breaches):,}")
    console.print(escape(view.duty_sentence()))
    console.print(escape(view.settings_text()))
    _figures(view, console)
    missing = view.missing_fact_lines()
    if missing:
        console.print("\nMost common missing facts:")
        for n, _, title, fact in missing[:10]:
            console.print("  " + escape(view.missing_sentence(n, title, fact)))
    _breaches(view, console)
    if report.rejected:
        console.print("\nRejected records by cause:")
        for group in view.rejection_groups()[:options.max_rejected]:
            console.print("  " + escape(rejection_group_text(group)))
    shown = 0
    for entry in view.rejections():
        if shown == 0:
            console.print("\nRejected records:")
        if shown >= options.max_rejected:
            console.print(f"  ... and {report.rejected - shown} more (--format json lists every one)")
            break
        console.print("  [yellow]rejected[/yellow] " + escape(rejection_text(entry)))
        shown += 1
    for warning, count in view.report.warnings()[:5]:
        console.print(f"  [yellow]warning[/yellow] ({count} case(s)): {escape(warning)}")
    _timelines(view, console)
    print_baseline(view, console)
    verdict = "FAILED: " + "; ".join(view.failures) if view.failed else "passed"
    console.print(f"\nverdict (--fail-on {', '.join(options.fail_on) or 'nothing'}): {escape(verdict)}")


def _figures(view: ReportView, console: Console) -> None:
    if not view.figures:
        return
    console.print("\nVictims' Code compliance figures (share met on time, by quarter of the deadline):")
    for figure in view.figures:
        if figure.availability == "unavailable":
            console.print(f"  {escape(figure.title)}: not available - rule(s) "
                          f"{escape(', '.join(figure.missing_rules))} not in the rule book")
            continue
        cells = ", ".join(f"{q.quarter} {rate_text(q.rate)} ({q.decided})" for q in figure.quarters if q.decided)
        note = f" [partial: {escape(', '.join(figure.missing_rules))} not in the rule book]" \
            if figure.missing_rules else ""
        console.print(f"  {escape(figure.title)}: {cells or 'nothing decided yet'}{note}")


def _breaches(view: ReportView, console: Console) -> None:
    shown = 0
    total = len(view.report.breaches)
    for breach in view.breaches():
        if shown == 0:
            console.print("\nBreaches:")
        if shown >= view.options.max_breaches:
            console.print(f"  ... and {total - shown} more (--format json or junit lists every one)")
            break
        console.print(f"  [red]{breach['status'].replace('_', ' ')}[/red] {escape(str(breach['case_id']))} "
                      f"{escape(view.rule_title(breach['rule']))} #{breach['instance']} due "
                      f"{breach['due_date'] or '-'} [{escape(duty_label(breach.get('duty')))}] "
                      f"({escape(breach['where'])})")
        shown += 1


def _timelines(view: ReportView, console: Console) -> None:
    from ..drawing.timeline import STATUS_WORDS, moment_text

    for case_id, timeline in sorted(view.report.timelines.items()):
        console.print(f"\nTimeline of case {escape(case_id)} ({escape(timeline['where'])}):")
        for event in timeline["events"]:
            console.print(f"  {moment_text(event['at'])}  {escape(event['title'])}")
        for o in timeline["obligations"]:
            console.print(f"  {escape(o['title'])} #{o['instance']}: {STATUS_WORDS.get(o['status'], o['status'])}, "
                          f"due {o['due_date'] or '-'}")
