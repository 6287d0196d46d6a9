"""Check many cases at once: every record comes out evaluated or rejected, and the totals add up.

``check_records`` is the library function behind ``charter-rules check``. It keeps per-rule counts of every status,
the breaches (overdue or satisfied late), the most common missing facts, and every rejected record with where it
was and why.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from .compiler import CompiledRulebook
from .errors import CharterRulesError, Problem, SnapshotError
from .evaluator import evaluate
from .obligation import Evaluation, Obligation, Status
from .snapshot import parse_snapshot
from .sources import RawRecord

FAIL_ON_CHOICES = ("overdue", "satisfied_late", "indeterminate", "rejected")


@dataclass(frozen=True, slots=True)
class Rejected:
    where: str
    case_id: str | None
    message: str


@dataclass(frozen=True, slots=True)
class Breach:
    case_id: str
    where: str
    obligation: Obligation


@dataclass
class RuleTally:
    rule_id: str
    title: str
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def owed(self) -> int:
        """Obligations that were owed and can be judged: due, at risk, overdue, satisfied (either way)."""
        return sum(self.counts[s] for s in ("due", "at_risk", "overdue", "satisfied", "satisfied_late"))

    @property
    def compliance_rate(self) -> float | None:
        """Met on time, out of those met or past their deadline; None when there are none."""
        decided = self.counts["satisfied"] + self.counts["satisfied_late"] + self.counts["overdue"]
        return self.counts["satisfied"] / decided if decided else None


@dataclass
class CheckReport:
    as_of: dt.datetime
    records_read: int = 0
    evaluated: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    tallies: dict[str, RuleTally] = field(default_factory=dict)
    breaches: list[Breach] = field(default_factory=list)
    missing_facts: Counter[tuple[str, str]] = field(default_factory=Counter)  # (rule, fact) -> cases
    warnings: Counter[str] = field(default_factory=Counter)

    def count(self, status: str) -> int:
        return sum(t.counts[status] for t in self.tallies.values())

    def failed(self, fail_on: Iterable[str], tolerated_rate: float = 0.0) -> bool:
        """Whether the run should fail: any chosen outcome above the tolerated share of owed obligations."""
        owed = sum(t.owed for t in self.tallies.values()) or 1
        for outcome in fail_on:
            found = len(self.rejected) if outcome == "rejected" else self.count(outcome)
            base = self.records_read or 1 if outcome == "rejected" else owed
            if found and found / base > tolerated_rate:
                return True
        return False


def add_evaluation(report: CheckReport, evaluation: Evaluation, where: str) -> None:
    report.evaluated += 1
    for obligation in evaluation.obligations:
        tally = report.tallies.get(obligation.rule_id)
        if tally is None:
            tally = report.tallies[obligation.rule_id] = RuleTally(obligation.rule_id, obligation.rule_title)
        status = obligation.status
        tally.counts[status.value] += 1
        if status in (Status.OVERDUE, Status.SATISFIED_LATE):
            report.breaches.append(Breach(evaluation.case_id, where, obligation))
        for fact in obligation.missing_facts:
            report.missing_facts[(obligation.rule_id, fact)] += 1
    for warning in evaluation.warnings:
        report.warnings[warning] += 1


def check_records(book: CompiledRulebook, records: Iterable[RawRecord], *, as_of: dt.datetime) -> CheckReport:
    """Validate and evaluate every record. Bad records are reported in ``rejected``, never dropped."""
    report = CheckReport(as_of=as_of)
    for rule in book.rules:
        report.tallies[rule.id] = RuleTally(rule.id, rule.source.title)
    seen: dict[str, str] = {}
    for record in records:
        report.records_read += 1
        if record.error is not None:
            report.rejected.append(Rejected(record.where, None, record.error))
            continue
        try:
            snapshot = parse_snapshot(record.data, book.snapshot_model, source=record.source, line=record.line)
            if snapshot.case_id in seen:
                raise SnapshotError(
                    Problem(f"duplicate case id: first seen at {seen[snapshot.case_id]}", path=record.source,
                            line=record.line, field="case_id", hint="each case must appear once in an export"),
                    case_id=snapshot.case_id,
                )
            seen[snapshot.case_id] = record.where
            evaluation = evaluate(book, snapshot, as_of=as_of)
        except CharterRulesError as exc:
            case_id = getattr(exc, "case_id", None)
            if case_id is None and isinstance(record.data, dict) and isinstance(record.data.get("case_id"), str):
                case_id = record.data["case_id"]
            report.rejected.append(Rejected(record.where, case_id, str(exc)))
            continue
        add_evaluation(report, evaluation, record.where)
    return report
