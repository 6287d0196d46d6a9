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
from .terminal import say
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
    say(console, KEY, hang=2, style="dim")


def _rule_paragraphs(view: ReportView, console: Console, columns: list[str]) -> None:
    """The long layout: each rule's title on its own line(s), then its numbers in words."""
    console.print(f"Obligations as of {escape(view.as_of_text)}, per rule:", soft_wrap=False)
    for tally in view.tallies:
        counts = ", ".join(f"{tally.counts[s]:,} {STATUS_LABELS[s]}" for s in STATUSES if tally.counts[s])
        rate = tally.compliance_rate
        head = f"{rate_text(rate)} met on time" if rate is not None else "nothing decided yet"
        console.print(f"\n{escape(tally.title)}", soft_wrap=False)
        say(console, f"{head}; {counts or 'no obligations'}", indent=2, hang=0)
    console.print()
    say(console, "rate: met on time out of those met or past their deadline", hang=2, style="dim")


def print_report(view: ReportView, console: Console) -> None:
    report, options = view.report, view.options
    columns = _columns(view)
    title_width = _title_width(view, columns, console.width)
    if title_width >= TITLE_MIN:
        _rule_table(view, console, columns, title_width)
    else:
        _rule_paragraphs(view, console, columns)
    say(console, f"records read: {report.records_read:,}  evaluated: {report.evaluated:,}  "
                 f"rejected: {report.rejected:,}  breaches: {len(report.breaches):,}", hang=2)
    say(console, view.duty_sentence(), hang=2)
    say(console, view.settings_text(), hang=2)
    _figures(view, console)
    missing = view.missing_fact_lines()
    if missing:
        console.print("\nMost common missing facts:")
        for n, _, title, fact in missing[:10]:
            say(console, view.missing_sentence(n, title, fact), indent=2)
    _breaches(view, console)
    if report.rejected:
        console.print("\nRejected records by cause:")
        for group in view.rejection_groups()[:options.max_rejected]:
            say(console, rejection_group_text(group), indent=2)
    shown = 0
    for entry in view.rejections():
        if shown == 0:
            console.print("\nRejected records:")
        if shown >= options.max_rejected:
            console.print(f"  ... and {report.rejected - shown} more (--format json lists every one)")
            break
        say(console, rejection_text(entry), indent=2, lead="rejected ", lead_style="yellow")
        shown += 1
    for warning, count in view.report.warnings()[:5]:
        say(console, f"({count} case(s)): {warning}", indent=2, lead="warning ", lead_style="yellow")
    _timelines(view, console)
    print_baseline(view, console)
    verdict = "FAILED: " + "; ".join(view.failures) if view.failed else "passed"
    console.print()
    say(console, f"verdict (--fail-on {', '.join(options.fail_on) or 'nothing'}): {verdict}", hang=2)


def _figures(view: ReportView, console: Console) -> None:
    if not view.figures:
        return
    console.print()
    say(console, "Victims' Code compliance figures (share met on time, by quarter of the deadline):", hang=2)
    for figure in view.figures:
        if figure.availability == "unavailable":
            say(console, f"{figure.title}: not available - rule(s) {', '.join(figure.missing_rules)} not in the rule "
                         "book", indent=2)
            continue
        cells = ", ".join(f"{q.quarter} {rate_text(q.rate)} ({q.decided})" for q in figure.quarters if q.decided)
        note = f" [partial: {', '.join(figure.missing_rules)} not in the rule book]" if figure.missing_rules else ""
        say(console, f"{figure.title}: {cells or 'nothing decided yet'}{note}", indent=2)


def _breaches(view: ReportView, console: Console) -> None:
    shown = 0
    total = len(view.report.breaches)
    for breach in view.breaches():
        if shown == 0:
            console.print("\nBreaches:")
        if shown >= view.options.max_breaches:
            console.print(f"  ... and {total - shown} more (--format json or junit lists every one)")
            break
        say(console, f"{breach['case_id']} {view.rule_title(breach['rule'])} #{breach['instance']} due "
                     f"{breach['due_date'] or '-'} [{duty_label(breach.get('duty'))}] ({breach['where']})",
            indent=2, lead=f"{breach['status'].replace('_', ' ')} ", lead_style="red")
        shown += 1


def _timelines(view: ReportView, console: Console) -> None:
    from ..drawing.timeline import STATUS_WORDS, moment_text

    for case_id, timeline in sorted(view.report.timelines.items()):
        console.print()
        say(console, f"Timeline of case {case_id} ({timeline['where']}):", hang=2)
        for event in timeline["events"]:
            say(console, f"{moment_text(event['at'])}  {event['title']}", indent=2)
        for o in timeline["obligations"]:
            say(console, f"{o['title']} #{o['instance']}: {STATUS_WORDS.get(o['status'], o['status'])}, "
                         f"due {o['due_date'] or '-'}", indent=2)
