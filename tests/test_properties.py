"""Properties that must hold for every case, checked on generated cases."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import charter_rules as cr
from charter_rules.obligation import Status

UTC = dt.timezone.utc
START = dt.datetime(2026, 1, 1, tzinfo=UTC)
SPAN_MINUTES = 300 * 24 * 60  # covers both 2026 clock changes and many bank holidays
SETTINGS = settings(max_examples=300, deadline=None)
BOOK = cr.default_rulebook()  # a module global, not a fixture: hypothesis prints its arguments

# How bad an outcome is. Outcomes that are not a breach or a risk of one (due, satisfied, waived, not applicable,
# paused, indeterminate) are all 0: they are different, not better or worse than each other.
SEVERITY = {Status.OVERDUE: 3, Status.SATISFIED_LATE: 2, Status.AT_RISK: 1}


def moment(minutes: int) -> str:
    return (START + dt.timedelta(minutes=minutes)).isoformat()


minutes = st.integers(min_value=0, max_value=SPAN_MINUTES)
suspects = st.sampled_from(["S1", "S2", "S3"])
maybe_bool = st.one_of(st.none(), st.booleans())

crime_event = st.one_of(
    st.builds(lambda m, s: {"type": "suspect_arrested", "at": m, "suspect": s}, minutes, suspects),
    st.builds(lambda m, s: {"type": "victim_informed", "at": m, "about": "arrest", "suspect": s}, minutes, suspects),
    st.builds(lambda m: {"type": "referred_to_victim_support", "at": m}, minutes),
    st.builds(lambda m: {"type": "victim_opted_out_of_referral", "at": m}, minutes),
    st.builds(lambda m, a, r: {"type": "victim_updated", "at": m, "investigation_active": a,
                               **({"next_review_date": "2026-12-01"} if r else {})}, minutes, maybe_bool, st.booleans()),
    st.builds(lambda m: {"type": "investigation_status_changed", "at": m, "status": "closed"}, minutes),
    st.builds(lambda m: {"type": "victim_declined_updates", "at": m}, minutes),
)
foi_event = st.builds(
    lambda t, m: {"type": t, "at": m},
    st.sampled_from(["foi_clarification_sought", "foi_clarification_received", "foi_fees_notice_given",
                     "foi_fee_received", "foi_public_interest_extension_notified", "foi_response_sent"]),
    minutes,
)


def _finish(kind: str, received: int, events: list[dict[str, Any]], facts: dict[str, Any]) -> dict[str, Any]:
    for index, event in enumerate(events):
        event["id"] = f"e{index}"
        event["at"] = moment(event["at"]) if isinstance(event["at"], int) else event["at"]
    return {"case_id": "P-1", "kind": kind, "received_at": moment(received), "facts": facts, "events": events}


crime_facts = st.fixed_dictionaries({}, optional={
    "offence_category": st.sampled_from(["burglary", "domestic_abuse", "theft", "sexual_offence"]),
    "victim_age_at_offence": st.integers(0, 99),
    "victim_vulnerable": st.booleans(),
    "victim_intimidated": st.booleans(),
    "victim_persistently_targeted": st.booleans(),
    "bereaved_family": st.booleans(),
    "victim_is_business": st.booleans(),
})

cases = st.one_of(
    st.builds(lambda r, e, f: _finish("crime_report", r, e, f), minutes, st.lists(crime_event, max_size=12), crime_facts),
    st.builds(lambda r, e: _finish("foi_request", r, e, {}), minutes, st.lists(foi_event, max_size=8)),
)


def evaluate(book, data, as_of: dt.datetime) -> cr.Evaluation:
    return cr.evaluate(BOOK, cr.parse_snapshot(data, BOOK), as_of=as_of)


@SETTINGS
@given(case=cases, as_of=minutes, later=st.lists(st.one_of(crime_event, foi_event), min_size=1, max_size=5))
def test_events_after_as_of_change_nothing(case, as_of, later):
    when = START + dt.timedelta(minutes=as_of)
    before = evaluate(BOOK, case, when)
    extended = dict(case, events=list(case["events"]))
    for index, event in enumerate(later):
        event = dict(event, id=f"late{index}")
        event["at"] = (when + dt.timedelta(minutes=1 + (event["at"] if isinstance(event["at"], int) else 0))).isoformat()
        extended["events"].append(event)
    assert evaluate(BOOK, extended, when).obligations == before.obligations


@SETTINGS
@given(case=cases, as_of=minutes, seed=st.integers(0, 2**32 - 1))
def test_evaluation_is_deterministic_whatever_the_input_order(case, as_of, seed):
    when = START + dt.timedelta(minutes=as_of)
    first = evaluate(BOOK, case, when)
    shuffled = dict(case, events=list(case["events"]))
    random.Random(seed).shuffle(shuffled["events"])
    assert evaluate(BOOK, shuffled, when).obligations == first.obligations
    assert evaluate(BOOK, case, when).obligations == first.obligations


satisfying = st.one_of(
    st.builds(lambda s: {"type": "victim_informed", "about": "arrest", "suspect": s}, suspects),
    st.just({"type": "referred_to_victim_support"}),
    st.just({"type": "victim_updated", "investigation_active": True, "next_review_date": "2026-12-01"}),
    st.just({"type": "foi_response_sent"}),
)


def worst_by_rule(evaluation: cr.Evaluation) -> dict[str, int]:
    worst: dict[str, int] = {}
    for obligation in evaluation.obligations:
        worst[obligation.rule_id] = max(worst.get(obligation.rule_id, 0), SEVERITY.get(obligation.status, 0))
    return worst


@SETTINGS
@given(case=cases, as_of=minutes, extra=satisfying, when=minutes)
def test_adding_a_satisfying_event_never_makes_things_worse(case, as_of, extra, when):
    moment_as_of = START + dt.timedelta(minutes=as_of)
    before = worst_by_rule(evaluate(BOOK, case, moment_as_of))
    event = dict(extra, id="added", at=moment(min(when, as_of)))
    after = worst_by_rule(evaluate(BOOK, dict(case, events=case["events"] + [event]), moment_as_of))
    for rule_id, severity in after.items():
        assert severity <= before[rule_id], (rule_id, before, after)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


@SETTINGS
@given(data=json_values)
def test_arbitrary_json_never_crashes_the_parser(data):
    try:
        cr.parse_snapshot(data, BOOK)
    except cr.SnapshotError as error:
        assert error.problems
        text = str(error)
        for wording in ("Input should", "Input tag", "Extra inputs", "Field required", "Value error", "not valid here:"):
            assert wording not in text, text  # the library's own words never reach a person


@SETTINGS
@given(case=cases, key=st.sampled_from(["case_id", "kind", "received_at", "facts", "events"]), value=json_values)
def test_a_damaged_snapshot_gets_a_clear_error_or_is_valid(case, key, value):
    damaged = dict(case, **{key: value})
    try:
        snapshot = cr.parse_snapshot(damaged, BOOK)
    except cr.SnapshotError as error:
        assert all(p.message for p in error.problems)
        return
    cr.evaluate(BOOK, snapshot, as_of=START + dt.timedelta(days=400))
