"""A bounded fuzz in the suite: snapshots anywhere in the vocabulary's space (date edges included) and mutated rule
files meet every step a record or a rule file meets, and nothing but a CharterRulesError comes out. The long run is
``python -m tests.fuzzing`` (see tests/fuzzing.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .fuzzing import as_of_moments, rule_documents, run_rule_document, run_snapshot, snapshots

BUDGET = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)
UTC = dt.timezone.utc
EDGE_CASE = {"case_id": "F-1", "kind": "foi_request", "received_at": "0001-01-01T00:30:00+01:00", "facts": {},
             "events": [{"id": "e1", "type": "foi_response_sent", "at": "9999-12-31T23:59:59-23:59"}]}
LATE_CASE = {"case_id": "F-2", "kind": "foi_request", "received_at": "2199-12-31T23:00:00+00:00", "facts": {},
             "events": []}


@BUDGET
@given(snapshots(), as_of_moments, st.booleans())
@example(EDGE_CASE, dt.datetime(2026, 5, 1, tzinfo=UTC), True)
@example(LATE_CASE, dt.datetime(2199, 12, 31, 23, 59, tzinfo=UTC), False)
@example(LATE_CASE, dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.timezone(-dt.timedelta(hours=23, minutes=59))), True)
def test_no_snapshot_raises_anything_but_a_charter_rules_error(data: dict[str, Any], as_of: dt.datetime,
                                                                 as_json: bool) -> None:
    assert run_snapshot(data, as_of, as_json) in ("ok", "SnapshotError", "CalendarError", "RuleConflictError")


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(rule_documents())
def test_no_mutated_rule_file_raises_anything_but_a_charter_rules_error(tmp_path_factory: Any,
                                                                         document: tuple[str, str]) -> None:
    folder = Path(tmp_path_factory.mktemp("rules"))
    outcome = run_rule_document(*document, folder)
    assert outcome in ("ok", "RuleSyntaxError", "RuleValidationError", "CompileError", "CalendarError",
                       "RulebookError")
