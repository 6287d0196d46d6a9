"""Run the worked examples written next to each rule, and say exactly what each one checked.

An example passes only if every field it states matches; the runner counts the checks it made, so a report of
"12 examples, 41 checks" can be compared with the files. An expectation that states nothing to check is an error,
never a silent pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from .compiled import CompiledRulebook
from .errors import CharterRulesError
from .evaluator import evaluate
from .model import Example, ExpectedObligation
from .obligation import Obligation
from .snapshot import parse_snapshot

CHECKED_FIELDS = (
    "state", "timeliness", "status", "due", "due_at", "satisfied_by", "variant", "waiver", "missing_facts",
    "next_change", "version",
)


@dataclass
class ExampleResult:
    rule_id: str
    index: int
    name: str
    checks: int = 0
    failures: list[str] = field(default_factory=list)
    where: str = ""  # file:line of the example in its rule file

    @property
    def passed(self) -> bool:
        return not self.failures and self.checks > 0

    @property
    def label(self) -> str:
        return f"{self.rule_id} example {self.index + 1}: {self.name}" + (f" ({self.where})" if self.where else "")


def _actual(obligation: Obligation, name: str) -> Any:
    if name == "due":
        return obligation.due_date
    if name == "due_at":
        return obligation.due_at
    if name == "status":
        return obligation.status.value
    if name == "state":
        return obligation.state.value
    if name == "timeliness":
        return obligation.timeliness.value if obligation.timeliness else None
    if name == "missing_facts":
        return sorted(obligation.missing_facts)
    return getattr(obligation, name)


def _expected(expect: ExpectedObligation, name: str) -> Any:
    value = getattr(expect, name)
    if name == "missing_facts" and value is not None:
        return sorted(value)
    return value


def _pick(obligations: list[Obligation], expect: ExpectedObligation, rule_id: str) -> Obligation | str:
    if expect.instance is not None:
        chosen = [o for o in obligations if o.instance == expect.instance]
        if not chosen:
            return f"{rule_id} has no obligation #{expect.instance} (it has {len(obligations)})"
        return chosen[0]
    if len(obligations) != 1:
        return f"{rule_id} has {len(obligations)} obligations; say which with instance: N"
    return obligations[0]


def check_example(book: CompiledRulebook, rule_id: str, index: int, example: Example) -> ExampleResult:
    """Evaluate one worked example and compare every stated field."""
    source = book.rulebook.sources.get(f"rule:{rule_id}")

    def place(*loc: Any) -> str:
        if source is None:
            return rule_id
        line, _ = source.locate(("examples", index, *loc))
        return f"{source.path}:{line}" if line is not None else str(source.path)

    result = ExampleResult(rule_id, index, example.name, where=place())
    try:
        book = book.with_settings(example.settings) if example.settings else book
        snapshot = parse_snapshot(example.case, book.snapshot_model, source=f"{rule_id} example {index + 1}")
        evaluation = evaluate(book, snapshot, as_of=example.as_of)
    except CharterRulesError as exc:
        result.failures.append(f"{place('case')}: could not evaluate: {exc}")
        return result
    for number, expect in enumerate(example.expect):
        target = expect.rule or rule_id
        at = place("expect", number)
        if target not in book.by_id:
            result.failures.append(f"{at}: expects unknown rule {target!r}")
            continue
        picked = _pick(evaluation.by_rule(target), expect, target)
        if isinstance(picked, str):
            result.failures.append(f"{at}: {picked}")
            continue
        stated = [name for name in CHECKED_FIELDS if getattr(expect, name) is not None]
        if not stated:
            result.failures.append(f"{at}: an expectation for {target} states nothing to check")
            continue
        for name in stated:
            result.checks += 1
            want, got = _expected(expect, name), _actual(picked, name)
            if want != got:
                result.failures.append(f"{place('expect', number, name)}: {target} #{picked.instance}: {name} "
                                       f"expected {want}, got {got}")
    return result


def run_examples(book: CompiledRulebook, rule_ids: Iterable[str] | None = None) -> list[ExampleResult]:
    """Run the worked examples of the given rules (default: all), in rule order."""
    wanted = set(rule_ids) if rule_ids is not None else None
    results = []
    for rule in book.rules:
        if wanted is not None and rule.id not in wanted:
            continue
        for index, example in enumerate(rule.source.examples):
            results.append(check_example(book, rule.id, index, example))
    return results
