"""The verdict path ``check`` uses agrees with the full evaluation (a sample here; ``python -m tests.differential
--cases 200000`` runs the large comparison in CI)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from charter_rules import evaluate
from charter_rules.evaluator.verdicts import VerdictPlan
from charter_rules.obligation import State, Timeliness

from . import differential
from .differential import AS_OF_MOMENTS, compare_case, disagreements, run, snapshots

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "cases"


def test_the_verdict_path_agrees_with_the_full_evaluation_on_generated_cases(book):
    lines = differential.generate.block_lines(3, 0, 2500, False)
    tally, problems = run(book, snapshots(book, lines))
    assert problems == []
    assert tally["cases"] > 2400 and tally["cases that disagree"] == 0
    # the sample reaches every kind of verdict the comparison is about
    for status in ("due", "at_risk", "overdue", "satisfied", "satisfied_late", "waived", "not_applicable",
                   "indeterminate"):
        assert tally[status] > 0, status


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_the_verdict_path_agrees_on_every_bundled_example_at_every_moment(book, path):
    plan = VerdictPlan(book)
    snapshot = book.snapshot_model.model_validate(json.loads(path.read_text()))
    for as_of in AS_OF_MOMENTS:
        found, _ = compare_case(book, plan, snapshot, as_of)
        assert found == [], as_of


def test_the_comparison_finds_a_changed_verdict_a_missing_obligation_and_a_missing_sentence(book):
    plan = VerdictPlan(book)
    snapshot = book.snapshot_model.model_validate(json.loads((EXAMPLES / "burglary-with-arrest.json").read_text()))
    as_of = AS_OF_MOMENTS[0]
    full, fast = evaluate(book, snapshot, as_of=as_of), plan.evaluate(snapshot, as_of=as_of)
    assert disagreements(full, fast) == []
    overdue = next(i for i, o in enumerate(fast.obligations)
                   if o.state is State.OPEN and o.timeliness is Timeliness.OVERDUE)
    changed = list(fast.obligations)
    changed[overdue] = dataclasses.replace(changed[overdue], timeliness=Timeliness.ON_TIME)
    assert any("timeliness" in p for p in disagreements(full, dataclasses.replace(fast, obligations=tuple(changed))))
    changed[overdue] = dataclasses.replace(fast.obligations[overdue], needed=None)
    assert any("still needed" in p for p in disagreements(full, dataclasses.replace(fast, obligations=tuple(changed))))
    assert disagreements(full, dataclasses.replace(fast, obligations=fast.obligations[1:]))
    started = fast.obligations[0].rule_id
    assert disagreements(full, dataclasses.replace(fast, obligations=fast.obligations[1:],
                                                   not_started=fast.not_started + (started,)))
