"""Render a CheckReport for people (a rich table) and for machines (versioned JSON)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .batch import CheckReport
from .explain import format_moment

REPORT_FORMAT = "charter-rules.check/1"
STATUS_COLUMNS = ("due", "at_risk", "overdue", "satisfied", "satisfied_late", "waived", "paused", "not_applicable",
                  "indeterminate")


def _rate(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.1%}"


def report_json(report: CheckReport, *, max_breaches: int | None = None) -> dict[str, Any]:
    breaches = report.breaches if max_breaches is None else report.breaches[:max_breaches]
    return {
        "format": REPORT_FORMAT,
        "as_of": report.as_of.isoformat(),
        "totals": {
            "records_read": report.records_read,
            "evaluated": report.evaluated,
            "rejected": len(report.rejected),
            **{status: report.count(status) for status in STATUS_COLUMNS},
        },
        "rules": [
            {
                "rule": tally.rule_id,
                "title": tally.title,
                **{status: tally.counts[status] for status in STATUS_COLUMNS},
                "compliance_rate": tally.compliance_rate,
            }
            for tally in report.tallies.values()
        ],
        "breaches": [
            {
                "case_id": b.case_id,
                "where": b.where,
                "rule": b.obligation.rule_id,
                "instance": b.obligation.instance,
                "status": b.obligation.status.value,
                "due_date": b.obligation.due_date.isoformat() if b.obligation.due_date else None,
                "satisfied_at": b.obligation.satisfied_at.isoformat() if b.obligation.satisfied_at else None,
                "needed": b.obligation.needed if b.obligation.satisfied_at is None else None,
            }
            for b in breaches
        ],
        "breaches_total": len(report.breaches),
        "rejected": [{"where": r.where, "case_id": r.case_id, "error": r.message} for r in report.rejected],
        "missing_facts": [
            {"rule": rule, "fact": fact, "cases": count} for (rule, fact), count in report.missing_facts.most_common()
        ],
        "warnings": [{"warning": w, "cases": n} for w, n in report.warnings.most_common()],
    }


def print_report(report: CheckReport, console: Console, *, max_breaches: int = 20) -> None:
    table = Table(title=f"Obligations as of {format_moment(report.as_of)}", title_justify="left")
    table.add_column("rule")
    for status in STATUS_COLUMNS:
        table.add_column(status.replace("_", " "), justify="right")
    table.add_column("compliance", justify="right")
    for tally in report.tallies.values():
        table.add_row(escape(tally.rule_id), *(str(tally.counts[s]) for s in STATUS_COLUMNS), _rate(tally.compliance_rate))
    console.print(table)
    console.print(
        f"records read: {report.records_read}  evaluated: {report.evaluated}  rejected: {len(report.rejected)}  "
        f"breaches: {len(report.breaches)}"
    )
    for breach in report.breaches[:max_breaches]:
        o = breach.obligation
        due = o.due_date.isoformat() if o.due_date else "-"
        console.print(f"  [red]{o.status.value}[/red] {escape(breach.case_id)} {escape(o.rule_id)} #{o.instance} "
                      f"due {due} ({escape(breach.where)})")
    if len(report.breaches) > max_breaches:
        console.print(f"  ... and {len(report.breaches) - max_breaches} more (use --format json for all)")
    for rejected in report.rejected:
        console.print(f"  [yellow]rejected[/yellow] {escape(rejected.where)}: {escape(rejected.message)}")
    for (rule, fact), count in report.missing_facts.most_common(10):
        console.print(f"  missing: {count} case(s) cannot be assessed for {escape(rule)}: fact '{escape(fact)}' "
                      "not recorded")
    for warning, count in report.warnings.most_common(5):
        console.print(f"  [yellow]warning[/yellow] ({count} case(s)): {escape(warning)}")
