"""The bundled example cases give exactly the obligations worked out by hand in examples/expected/."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import charter_rules as cr

from .conftest import REPO

CASES = sorted((REPO / "examples" / "cases").glob("*.json"))


def test_there_are_examples():
    assert len(CASES) >= 3


@pytest.mark.parametrize("case_path", CASES, ids=lambda p: p.stem)
def test_example_matches_hand_worked_expectation(book, case_path):
    expected = json.loads((REPO / "examples" / "expected" / case_path.name).read_text())
    snapshot = cr.parse_snapshot(json.loads(case_path.read_text()), book, source=str(case_path))
    evaluation = cr.evaluate(book, snapshot, as_of=dt.datetime.fromisoformat(expected["as_of"]))
    got = {
        (o.rule_id, o.instance): (o.status.value, o.due_date.isoformat() if o.due_date else None)
        for o in evaluation.obligations
        if o.status is not cr.Status.NOT_APPLICABLE
    }
    want = {(e["rule"], e["instance"]): (e["status"], e["due_date"]) for e in expected["obligations"]}
    assert got == want
