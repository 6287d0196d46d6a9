"""Properties: something that happens after a deadline never erases the breach of it.

Adding a waiving event after a deadline never turns a breach into anything else (nor a met obligation into anything
else); a pause that begins after it (and so any lapse of that pause) and a restart after it leave it standing too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import charter_rules as cr
from charter_rules.obligation import Obligation

from .conftest import crime_case
from .test_audit_semantics import write_test_rules

UTC = dt.timezone.utc
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> cr.CompiledRulebook:
    return cr.load_compiled(write_test_rules(tmp_path_factory.mktemp("props") / "rules"))


received_moments = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 6, 30)).map(
    lambda moment: moment.replace(microsecond=0, tzinfo=UTC))
hours_after = st.integers(min_value=0, max_value=24 * 40)


def _event(event_id: str, event_type: str, moment: dt.datetime) -> dict[str, Any]:
    return {"id": event_id, "type": event_type, "at": moment.isoformat()}


def _obligations(book: cr.CompiledRulebook, data: dict[str, Any], rule_id: str, as_of: dt.datetime) -> list[Obligation]:
    return cr.evaluate(book, cr.parse_snapshot(data, book), as_of=as_of).by_rule(rule_id)


def _stands(before: Obligation, after: Obligation) -> None:
    """What had happened by the later event is unchanged: same status, same due date, same satisfying event."""
    assert (after.status, after.due_date, after.satisfied_by) == (before.status, before.due_date, before.satisfied_by)


@PROPERTY
@given(received=received_moments, referral=st.none() | hours_after, late_by=hours_after, looked=hours_after)
def test_an_opt_out_after_the_deadline_never_changes_the_verdict(book, received, referral, late_by, looked):
    events = [] if referral is None else [_event("R", "referred_to_victim_support", received + dt.timedelta(hours=referral))]
    data = crime_case(received=received.isoformat(), events=events)
    (first,) = _obligations(book, data, "test-referral", received + dt.timedelta(days=90))
    assert first.due_at is not None
    waived_at = first.due_at + dt.timedelta(hours=late_by)
    as_of = waived_at + dt.timedelta(hours=looked)
    (before,) = _obligations(book, data, "test-referral", as_of)
    data["events"] = events + [_event("OUT", "victim_opted_out_of_referral", waived_at)]
    (after,) = _obligations(book, data, "test-referral", as_of)
    _stands(before, after)  # met on time (before the deadline, so before the opt-out), overdue, or met late
    assert after.is_breach == before.is_breach


@PROPERTY
@given(received=received_moments, updates=st.lists(st.integers(min_value=1, max_value=24 * 120), max_size=6),
       declined=st.integers(min_value=0, max_value=24 * 150), looked=hours_after)
def test_declining_updates_never_erases_an_earlier_breach_or_update(book, received, updates, declined, looked):
    events = [_event(f"U{i}", "victim_updated", received + dt.timedelta(hours=h)) for i, h in enumerate(sorted(updates))]
    data = crime_case(received=received.isoformat(), events=events)
    declined_at = received + dt.timedelta(hours=declined)
    as_of = declined_at + dt.timedelta(hours=looked)
    before = _obligations(book, data, "test-updates", as_of)
    data["events"] = events + [_event("NO", "victim_declined_updates", declined_at)]
    after = {o.instance: o for o in _obligations(book, data, "test-updates", as_of)}
    for old in before:
        settled = (old.is_breach and old.due_at is not None and old.due_at <= declined_at) or (
            old.satisfied_at is not None and old.satisfied_at <= declined_at)
        if settled:
            assert old.instance in after
            _stands(old, after[old.instance])
            assert after[old.instance].is_breach == old.is_breach


@PROPERTY
@given(received=received_moments, late_by=hours_after, paid=st.none() | st.integers(min_value=0, max_value=24 * 200),
       looked=st.integers(min_value=0, max_value=24 * 200))
def test_a_fees_notice_after_the_deadline_never_lapses_the_breach(book, received, late_by, paid, looked):
    data: dict[str, Any] = {"case_id": "P-1", "kind": "foi_request", "received_at": received.isoformat(), "events": []}
    (first,) = _obligations(book, data, "test-foi", received + dt.timedelta(days=90))
    assert first.due_at is not None
    notice_at = first.due_at + dt.timedelta(hours=late_by)
    as_of = notice_at + dt.timedelta(hours=looked)
    (before,) = _obligations(book, data, "test-foi", as_of)
    data["events"] = [_event("N", "foi_fees_notice_given", notice_at)]
    if paid is not None:
        data["events"].append(_event("P", "foi_fee_received", notice_at + dt.timedelta(hours=paid)))
    (after,) = _obligations(book, data, "test-foi", as_of)
    assert before.is_breach
    _stands(before, after)


@PROPERTY
@given(received=received_moments, late_by=st.integers(min_value=1, max_value=60 * 24 * 40),
       looked=st.integers(min_value=0, max_value=24 * 60))
def test_a_clarification_after_the_deadline_never_erases_the_breach(book, received, late_by, looked):
    data: dict[str, Any] = {"case_id": "P-2", "kind": "foi_request", "received_at": received.isoformat(), "events": []}
    (first,) = _obligations(book, data, "test-foi", received + dt.timedelta(days=90))
    assert first.due_at is not None
    clarified_at = first.due_at + dt.timedelta(minutes=late_by)
    as_of = clarified_at + dt.timedelta(hours=looked)
    (before,) = _obligations(book, data, "test-foi", as_of)
    data["events"] = [_event("C", "foi_clarification_received", clarified_at)]
    (after,) = _obligations(book, data, "test-foi", as_of)
    assert before.is_breach
    _stands(before, after)
    assert after.deadline is not None and after.deadline.restart_ignored
