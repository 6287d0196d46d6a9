"""Rule-book comparison: the same export evaluated under two rule books, and what the change does.

Per rule: how many obligations change status or due date and in which direction, and the compliance rate (met on
time, of those met or past their deadline) under each rule book; with worked examples of changed cases, both
explanations side by side. Obligations are matched by case, rule and occurrence number; a record that either rule
book refuses is listed as rejected, never dropped.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from .report import STATUSES, compliance_rate
from .csv_exports import CsvReader
from ..errors import CharterRulesError
from ..evaluator import evaluate
from ..explain import obligation_text
from ..obligation import Obligation
from .redact import PersonalData
from .rulebook_source import NamedRulebook
from ..snapshot import problems_from_validation
from .reading import read_records
from ..inputlimits import MAX_RECORD_BYTES

ABSENT = "absent"  # the rule, or that occurrence, does not exist under one of the rule books
DEFAULT_EXAMPLES = 3  # worked examples per rule


@dataclass(frozen=True)
class WorkedExample:
    case_id: str
    instance: int
    before: str  # explanation under the first rule book ("" when absent)
    after: str


@dataclass
class RuleChange:
    """What the second rule book changes for one rule."""

    rule_id: str
    title: str
    counts: tuple[Counter[str], Counter[str]] = field(default_factory=lambda: (Counter(), Counter()))
    transitions: Counter[tuple[str, str]] = field(default_factory=Counter)  # (status before, after) where changed
    due_earlier: int = 0
    due_later: int = 0
    days_moved: int = 0  # calendar days, summed over obligations whose due date moved
    changed: int = 0
    cases: list[str] = field(default_factory=list)  # changed cases, in input order
    examples: list[WorkedExample] = field(default_factory=list)

    def rate(self, side: int) -> float | None:
        counts = self.counts[side]
        return compliance_rate({s: counts[s] for s in STATUSES})


@dataclass
class RulebookComparison:
    before: str
    after: str
    as_of: dt.datetime
    rules: dict[str, RuleChange] = field(default_factory=dict)
    records_read: int = 0
    evaluated: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    redacted: bool = False

    @property
    def changed_rules(self) -> list[RuleChange]:
        return [r for r in self.rules.values() if r.changed]

    @property
    def changed_cases(self) -> list[str]:
        return list(dict.fromkeys(c for r in self.rules.values() for c in r.cases))

    def overall_rate(self, side: int) -> float | None:
        total: Counter[str] = Counter()
        for rule in self.rules.values():
            total.update(rule.counts[side])
        return compliance_rate({s: total[s] for s in STATUSES})


def compare_rulebooks(before: NamedRulebook, after: NamedRulebook, paths: Iterable[Path | str], *,
                      as_of: dt.datetime, examples: int = DEFAULT_EXAMPLES,
                      redact: bool = False, max_record_bytes: int = MAX_RECORD_BYTES) -> RulebookComparison:
    """Evaluate every case of the exports under both rule books at ``as_of`` and compare, rule by rule."""
    result = RulebookComparison(before.label, after.label, as_of, redacted=redact)
    for book in (before.book, after.book):
        for rule in book.rules:
            result.rules.setdefault(rule.id, RuleChange(rule.id, rule.source.title))
    personal = PersonalData.from_vocabulary(before.book.vocabulary) if redact else None
    seen: set[str] = set()
    for record in read_records(paths, csv_reader=CsvReader(before.book.vocabulary), max_record_bytes=max_record_bytes):
        result.records_read += 1
        if record.error is not None:
            result.rejected.append({"where": record.where, "error": record.error})
            continue
        evaluations = []
        for named in (before, after):
            try:
                snapshot = named.book.snapshot_model.model_validate(record.data)
                evaluations.append(evaluate(named.book, snapshot, as_of=as_of))
            except ValidationError as exc:
                problems = problems_from_validation(exc, source=record.source, line=record.line,
                                                    show_values=not redact)
                error = "; ".join(f"{p.field}: {p.message}" if p.field else p.message for p in problems)
                result.rejected.append({"where": record.where, "error": f"under {named.label}: {error}"})
                break
            except CharterRulesError as exc:
                result.rejected.append({"where": record.where, "error": f"under {named.label}: {exc}"})
                break
        if len(evaluations) < 2:
            continue
        case_id = evaluations[0].case_id
        if case_id in seen:
            result.rejected.append({"where": record.where, "error": f"duplicate case id {case_id}"})
            continue
        seen.add(case_id)
        result.evaluated += 1
        scrub = personal.values_in(record.data) if personal else []
        _compare_case(result, evaluations[0].obligations, evaluations[1].obligations, examples,
                      (lambda text: personal.scrub(text, scrub)) if personal else (lambda text: text))
    return result


def _compare_case(result: RulebookComparison, before: Iterable[Obligation], after: Iterable[Obligation],
                  examples: int, clean: Any) -> None:
    old = {(o.rule_id, o.instance): o for o in before}
    new = {(o.rule_id, o.instance): o for o in after}
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        change = result.rules[key[0]]
        if a is not None:
            change.counts[0][a.status.value] += 1
        if b is not None:
            change.counts[1][b.status.value] += 1
        status_a = a.status.value if a is not None else ABSENT
        status_b = b.status.value if b is not None else ABSENT
        due_a = a.due_date if a is not None else None
        due_b = b.due_date if b is not None else None
        if status_a == status_b and due_a == due_b:
            continue
        change.changed += 1
        if status_a != status_b:
            change.transitions[(status_a, status_b)] += 1
        if due_a is not None and due_b is not None and due_a != due_b:
            change.due_earlier += due_b < due_a
            change.due_later += due_b > due_a
            change.days_moved += abs((due_b - due_a).days)
        case_id = (a or b).case_id  # type: ignore[union-attr]
        if case_id not in change.cases:
            change.cases.append(case_id)
        if len(change.examples) < examples:
            change.examples.append(WorkedExample(case_id, key[1], clean(obligation_text(a)) if a else "",
                                                 clean(obligation_text(b)) if b else ""))
