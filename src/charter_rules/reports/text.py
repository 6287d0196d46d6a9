"""The report for people at a terminal or in a CI log: a summary table per rule, then what needs attention."""

from __future__ import annotations

import io
from typing import BinaryIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..check.report import STATUSES
from .view import STATUS_LABELS, ReportView, rate_text, rejection_group_text, rejection_text


def render_text(view: ReportView, out: BinaryIO, *, color: bool = False, width: int = 160) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True)
    console = Console(file=text, highlight=False, soft_wrap=True, width=width, force_terminal=color,
                      no_color=not color, color_system="standard" if color else None)
    print_report(view, console)
    text.detach()


def print_report(view: ReportView, console: Console) -> None:
    report, options = view.report, view.options
    table = Table(title=f"Obligations as of {view.as_of_text}", title_justify="left")
    table.add_column("rule")
    for status in STATUSES:
        table.add_column(STATUS_LABELS[status], justify="right")
    table.add_column("compliance", justify="right")
    for tally in view.tallies:
        table.add_row(escape(tally.rule_id), *(str(tally.counts[s]) for s in STATUSES), rate_text(tally.compliance_rate))
    console.print(table)
    console.print(f"records read: {report.records_read}  evaluated: {report.evaluated}  "
                  f"rejected: {report.rejected}  breaches: {len(report.breaches)}")
    if view.figures:
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
    missing = view.missing_fact_lines()
    if missing:
        console.print("\nMost common missing facts:")
        for n, _, title, fact in missing[:10]:
            console.print("  " + escape(view.missing_sentence(n, title, fact)))
    shown = 0
    for breach in view.breaches():
        if shown == 0:
            console.print("\nBreaches:")
        if shown >= options.max_breaches:
            console.print(f"  ... and {len(report.breaches) - shown} more (--format json or junit lists every one)")
            break
        console.print(f"  [red]{breach['status'].replace('_', ' ')}[/red] {escape(str(breach['case_id']))} "
                      f"{escape(breach['rule'])} #{breach['instance']} due {breach['due_date'] or '-'} "
                      f"({escape(breach['where'])})")
        shown += 1
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
    for case_id, timeline in sorted(report.timelines.items()):
        console.print(f"\nTimeline of case {escape(case_id)} ({escape(timeline['where'])}):")
        for event in timeline["events"]:
            console.print(f"  {event['at']}  {escape(event['title'])} ({escape(event['ref'])})")
        for o in timeline["obligations"]:
            console.print(f"  {escape(o['rule'])} #{o['instance']}: {o['status'].replace('_', ' ')}, "
                          f"due {o['due_date'] or '-'}")
    verdict = "FAILED: " + "; ".join(view.failures) if view.failed else "passed"
    console.print(f"\nverdict (--fail-on {', '.join(options.fail_on) or 'nothing'}): {escape(verdict)}")

