"""What every report format shows, worked out once: the verdict, the rule table, figures, months, data gaps."""

from __future__ import annotations

import datetime as dt
import heapq
import re
from dataclasses import dataclass, field
from typing import Any, Iterator
from urllib.parse import quote

from ..caseview import london_date
from ..check.report import STATUSES, CheckReport, RejectionGroup, RuleTally, compliance_rate
from ..explain import format_moment, settings_line
from ..obligation import STATUS_TABLE, DutyKind
from ..check.figures import Figure, FiguresFile, compute_figures

REPORT_FORMAT = "charter-rules.check/2"
STATUS_LABELS = {status.value: info.label for status, info in STATUS_TABLE.items()}
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class ReportOptions:
    """How a report is rendered and judged."""

    fail_on: tuple[str, ...] = ("overdue",)
    tolerated_rate: float = 0.0
    max_breaches: int = 20  # listed in text and markdown (json, junit and html-data list every one)
    max_rejected: int = 20
    figures: FiguresFile | None = None
    baseline: Any = None  # a baseline.BaselineComparison when checking against an earlier report (--baseline)
    docs_url: str | None = None  # where the rule book's documentation site is published: rule titles link there


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
        if self.options.baseline is not None:
            self.failures += self.options.baseline.failures(self.options.fail_on)
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

    def duty_rows(self) -> list[tuple[DutyKind, int, int, int]]:
        """(kind of duty, overdue, satisfied late, owed) for each kind, strongest first: legal breaches apart from
        missed local standards."""
        rows = []
        for duty, counts in self.report.duty_counts():
            owed = sum(counts[s] for s in ("due", "at_risk", "overdue", "satisfied", "satisfied_late"))
            rows.append((duty, counts["overdue"], counts["satisfied_late"], owed))
        return rows

    def duty_sentence(self) -> str:
        """Breaches by kind of duty in one line: 'law: 3 (2 overdue, 1 late); ...; local standard: 0'."""
        parts = []
        for duty, overdue, late, _ in self.duty_rows():
            parts.append(f"{duty.label}: {overdue + late}" + (f" ({overdue} overdue, {late} late)" if overdue + late else ""))
        return "Breaches by kind of duty - " + "; ".join(parts)

    def settings_text(self) -> str:
        return settings_line(self.report.settings) or "Settings: none (the rule book has no interpretation settings)."

    def rule_title(self, rule_id: str) -> str:
        return self.report.rules.get(rule_id, rule_id)

    def rule_address(self, rule_id: str) -> str | None:
        """The address of a rule's page on the documentation site (``--docs-url``), or None without one."""
        if not self.options.docs_url:
            return None
        return f"{self.options.docs_url.rstrip('/')}/rules/{quote(rule_id, safe='')}.html"

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
        fact_title = self.report.fact_titles.get(fact, fact.replace("_", " "))
        return f"{cases} {noun} cannot be assessed for '{title}': '{fact_title}' is not recorded"

    def breaches(self) -> Iterator[dict[str, Any]]:
        return self.report.breaches.records()

    def rejections(self) -> Iterator[dict[str, Any]]:
        return self.report.rejections.records()

    def rejection_groups(self) -> list[RejectionGroup]:
        """Rejected records grouped by cause, most common first (computed once per view)."""
        if self._groups is None:
            self._groups = self.report.rejection_groups()
        return self._groups

    def days_over(self, breach: dict[str, Any]) -> int:
        """Days past the due date: until the as-of date for an overdue obligation, until it was met for a late one."""
        if not breach.get("due_date"):
            return 0
        due = dt.date.fromisoformat(breach["due_date"])
        if breach.get("satisfied_at"):
            end = london_date(dt.datetime.fromisoformat(breach["satisfied_at"]))
        else:
            end = london_date(self.report.as_of)
        return max((end - due).days, 0)

    def worst_breaches(self, limit: int) -> list[dict[str, Any]]:
        """The ``limit`` breaches most overdue: overdue ones first, then late ones, each by days past the due date."""
        def key(b: dict[str, Any]) -> tuple[int, int]:
            return (1 if b["status"] == "overdue" else 0, self.days_over(b))
        return heapq.nlargest(limit, self.breaches(), key=key)

    def is_complete(self, month: int) -> bool:
        """Whether every day of ``month`` is before the as-of date (later obligations may still fall in it)."""
        as_of = london_date(self.report.as_of)
        return month < as_of.year * 100 + as_of.month


_INDEX = re.compile(r"\[\d+\]")
# what belongs to one record: a quoted date or number, a file:line, a position in a line of JSON
_PARTICULAR = re.compile(r"'[^']*\d[^']*'|\S+:\d+\b|line \d+ column \d+ \(char \d+\)")


def problem_text(problem: dict[str, Any]) -> str:
    """One problem of a rejected record as a cause shared by records: the field (list positions left out) and message,
    with what is particular to one record (a quoted timestamp, a place in a file) left out."""
    text = _PARTICULAR.sub("…", problem.get("message") or "")
    if problem.get("field"):
        text = f"{_INDEX.sub('[]', problem['field'])}: {text}"
    if problem.get("hint"):
        text += f" ({problem['hint']})"
    return text


def duty_label(duty: str | None) -> str:
    """The plain title of a kind of duty given by id ('local_standard' -> 'local standard')."""
    return DutyKind(duty).label if duty in DutyKind.__members__.values() else "kind of duty not stated"


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


__all__ = ["REPORT_FORMAT", "STATUS_LABELS", "RejectionGroup", "ReportOptions", "ReportView", "compliance_rate",
           "duty_label", "month_iso", "month_text", "problem_text", "rate_text", "rejection_group_text",
           "rejection_text"]
