"""What every report format shows, worked out once: the verdict, the rule table, figures, months, data gaps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ..check.report import STATUSES, CheckReport, RejectionGroup, RuleTally, compliance_rate
from ..explain import format_moment
from ..check.figures import Figure, FiguresFile, compute_figures

REPORT_FORMAT = "charter-rules.check/2"
STATUS_LABELS = {
    "due": "due",
    "at_risk": "at risk",
    "overdue": "overdue",
    "satisfied": "satisfied on time",
    "satisfied_late": "satisfied late",
    "waived": "waived",
    "paused": "paused",
    "not_applicable": "not applicable",
    "indeterminate": "indeterminate",
}
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class ReportOptions:
    """How a report is rendered and judged."""

    fail_on: tuple[str, ...] = ("overdue",)
    tolerated_rate: float = 0.0
    max_breaches: int = 20  # listed in text and markdown (json, junit and html-data list every one)
    max_rejected: int = 20
    figures: FiguresFile | None = None


@dataclass
class ReportView:
    report: CheckReport
    options: ReportOptions
    tallies: list[RuleTally] = field(init=False)
    failures: list[str] = field(init=False)
    figures: list[Figure] = field(init=False)
    _groups: list[RejectionGroup] | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        self.tallies = self.report.tallies()
        self.failures = self.report.failures(self.options.fail_on, self.options.tolerated_rate)
        self.figures = compute_figures(self.report, self.options.figures) if self.options.figures else []

    @property
    def failed(self) -> bool:
        return bool(self.failures)

    @property
    def as_of_text(self) -> str:
        return format_moment(self.report.as_of)

    def totals(self) -> dict[str, int]:
        r = self.report
        return {"records_read": r.records_read, "evaluated": r.evaluated, "rejected": r.rejected,
                "breaches": len(r.breaches), **{s: r.count(s) for s in STATUSES}}

    def rule_title(self, rule_id: str) -> str:
        return self.report.rules.get(rule_id, rule_id)

    def months(self) -> list[int]:
        return self.report.months()

    def month_rows(self) -> Iterator[tuple[str, int, dict[str, int]]]:
        """(rule, month, counts) for every rule and month with obligations due (or started) in it."""
        table: dict[tuple[str, int], dict[str, int]] = {}
        for (rule, month, status), n in self.report.counts.periods.items():
            table.setdefault((rule, month), dict.fromkeys(STATUSES, 0))[status] += n
        order = {rule: i for i, rule in enumerate(self.report.rules)}
        for (rule, month), counts in sorted(table.items(), key=lambda kv: (order.get(kv[0][0], 1 << 30), kv[0])):
            yield rule, month, counts

    def missing_fact_lines(self) -> list[tuple[int, str, str, str]]:
        """(cases, rule id, rule title, fact), most common first."""
        return [(n, rule, self.rule_title(rule), fact) for rule, fact, n in self.report.missing_facts()]

    def missing_sentence(self, cases: int, title: str, fact: str) -> str:
        noun = "case" if cases == 1 else "cases"
        return f"{cases} {noun} cannot be assessed for '{title}': fact {fact} not recorded"

    def breaches(self) -> Iterator[dict[str, Any]]:
        return self.report.breaches.records()

    def rejections(self) -> Iterator[dict[str, Any]]:
        return self.report.rejections.records()

    def rejection_groups(self) -> list[RejectionGroup]:
        """Rejected records grouped by cause, most common first (computed once per view)."""
        if self._groups is None:
            self._groups = self.report.rejection_groups()
        return self._groups


def rate_text(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.1%}"


def month_text(month: int) -> str:
    return f"{MONTH_NAMES[month % 100 - 1]} {month // 100}"


def month_iso(month: int) -> str:
    return f"{month // 100}-{month % 100:02d}"


def rejection_text(entry: dict[str, Any]) -> str:
    """``file:12, case CR-9: events[1].type: unknown event type 'x' (did you mean 'y'?)``: one rejected record."""
    parts = []
    for problem in entry.get("problems", []):
        text = problem["message"]
        if problem.get("field"):
            text = f"{problem['field']}: {text}"
        if problem.get("hint"):
            text += f" ({problem['hint']})"
        parts.append(text)
    case = f", case {entry['case_id']}" if entry.get("case_id") else ""
    return f"{entry['where']}{case}: " + "; ".join(parts)


def rejection_group_text(group: RejectionGroup) -> str:
    """``3 records: events.type: unknown event type 'x' (did you mean 'y'?); first at a:12, a:40, a:41``."""
    noun = "record" if group.count == 1 else "records"
    hint = f" ({group.hint})" if group.hint else ""
    more = ", ..." if group.count > len(group.first) else ""
    return f"{group.count} {noun}: {group.cause}{hint}; first at {', '.join(group.first)}{more}"


__all__ = ["REPORT_FORMAT", "STATUS_LABELS", "ReportOptions", "ReportView", "compliance_rate", "month_iso",
           "month_text", "rate_text", "rejection_group_text", "rejection_text"]
