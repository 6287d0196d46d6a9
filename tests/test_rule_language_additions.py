"""Additions to the rule language made for the rule book: each is tested on its own, with hand-worked dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

import charter_rules as cr
from charter_rules.obligation import State, Status
from charter_rules.predicates import FactTest

from .conftest import at


def _case(**facts: object) -> SimpleNamespace:
    return SimpleNamespace(facts=SimpleNamespace(**facts))


def test_nothing_is_in_an_empty_list_even_when_the_fact_is_missing() -> None:
    # a parameter list may be empty (e.g. no offence needs consent before a referral); a missing fact cannot be in it
    assert FactTest("offence_category", "in", ()).test(_case(offence_category=None), None) is False  # type: ignore[arg-type]
    assert FactTest("offence_category", "not_in", ()).test(_case(offence_category=None), None) is True  # type: ignore[arg-type]


def test_a_missing_fact_is_still_unknown_against_a_non_empty_list() -> None:
    assert FactTest("offence_category", "in", ("burglary",)).test(_case(offence_category=None), None) is None  # type: ignore[arg-type]
    assert FactTest("offence_category", "in", ("burglary",)).test(_case(offence_category="burglary"), None) is True  # type: ignore[arg-type]


# --- delayed starts and fixed schedules ---------------------------------------------------------------------------

SCHEDULED_RULE = """\
id: test-long-report
title: Report on a long investigation
summary: A report after 12 months, then after each further 6 months.
basis: law
case_kinds: [complaint]
versions:
  - valid_from: 2020-02-01
    duty: statutory
    trigger:
      case_received: true
      starts_after: {count: 12, unit: calendar_months, short_month: first_day_of_next_month}
    satisfied_by:
      event: complaint_progress_reported
      description: a report is given
    deadline: {count: 10, unit: working_days, calendar: england_and_wales, day_one: trigger_day}
    recurrence:
      description: after each further 6 months
      every: {count: 6, unit: calendar_months, short_month: first_day_of_next_month}
      ends_on:
        - event: complaint_investigation_concluded
"""


@pytest.fixture()
def scheduled_book(rules_copy: Path) -> cr.CompiledRulebook:
    (rules_copy / "commitments" / "test-long-report.yaml").write_text(SCHEDULED_RULE)
    return cr.load_compiled(rules_copy)


def _complaint(received: str, *events: tuple[str, str, str]) -> dict[str, object]:
    return {"case_id": "C-1", "kind": "complaint", "received_at": received,
            "events": [{"id": i, "type": t, "at": a} for i, t, a in events]}


def _reports(book: cr.CompiledRulebook, data: dict[str, object], as_of: str) -> list[cr.Obligation]:
    return cr.evaluate(book, cr.parse_snapshot(data, book), as_of=at(as_of)).by_rule("test-long-report")


def test_a_delayed_obligation_is_not_applicable_until_it_starts_and_says_when(scheduled_book):
    # complaint made Sun 1 Mar 2026: the 12 months beginning with that day end with 28 Feb 2027, so the duty
    # starts when Mon 1 Mar 2027 begins (midnight GMT)
    (first,) = _reports(scheduled_book, _complaint("2026-03-01T10:00:00+00:00"), "2027-02-28T23:59:00+00:00")
    assert first.state is State.NOT_APPLICABLE
    assert first.next_change == dt.datetime(2027, 3, 1, tzinfo=dt.timezone.utc)
    assert "Mon 1 Mar 2027" in first.reasons[0].text


def test_a_delayed_obligation_counts_from_its_start(scheduled_book):
    # 10 working days with day 1 = Mon 1 Mar 2027: 1-5 Mar (5), 8-12 Mar (10): due Fri 12 Mar 2027
    data = _complaint("2026-03-01T10:00:00+00:00", ("early", "complaint_progress_reported", "2027-02-20T10:00:00+00:00"))
    (first,) = _reports(scheduled_book, data, "2027-03-20T12:00:00+00:00")
    assert first.triggered_at == dt.datetime(2027, 3, 1, tzinfo=dt.timezone.utc)
    assert first.due_date == dt.date(2027, 3, 12)
    # a report before the 12 months were up does not count
    assert first.status is Status.OVERDUE


def test_a_fixed_schedule_runs_from_each_start_met_or_not(scheduled_book):
    # complaint Mon 31 Aug 2026. Starts: Tue 31 Aug 2027; then 6 months on there is no 31 Feb 2028, the period ends
    # with 29 Feb, so the next starts Wed 1 Mar 2028; then Fri 1 Sep 2028 (6 months after 1 Mar, not after 31 Aug).
    # Due (10 working days, E&W, day 1 = the start): Mon 13 Sep 2027 (31 Aug, 1-3 Sep, 6-10, 13);
    # Tue 14 Mar 2028 (1-3, 6-10, 13-14 Mar); Thu 14 Sep 2028 (1, 4-8, 11-14 Sep).
    data = _complaint("2026-08-31T10:00:00+01:00",
                      ("r1", "complaint_progress_reported", "2027-09-02T10:00:00+01:00"),
                      ("r3", "complaint_progress_reported", "2028-09-01T10:00:00+01:00"))
    reports = _reports(scheduled_book, data, "2028-09-05T12:00:00+01:00")
    assert [(o.instance, o.due_date, o.status, o.satisfied_by) for o in reports] == [
        (1, dt.date(2027, 9, 13), Status.SATISFIED, "r1"),
        (2, dt.date(2028, 3, 14), Status.SATISFIED_LATE, "r3"),
        (3, dt.date(2028, 9, 14), Status.SATISFIED, "r3"),
    ]
    assert reports[1].triggered_at == at("2028-03-01T00:00:00+00:00")
    assert reports[2].triggered_at == at("2028-09-01T00:00:00+01:00")


def test_an_unmet_occurrence_does_not_stop_a_fixed_schedule(scheduled_book):
    reports = _reports(scheduled_book, _complaint("2026-08-31T10:00:00+01:00"), "2028-03-20T12:00:00+00:00")
    assert [(o.instance, o.status) for o in reports] == [(1, Status.OVERDUE), (2, Status.OVERDUE)]


def test_the_ending_event_stops_the_schedule(scheduled_book):
    # concluded Thu 2 Mar 2028, after the second start (1 Mar) but before its due date: it is no longer owed,
    # and no third occurrence starts
    data = _complaint("2026-08-31T10:00:00+01:00",
                      ("r1", "complaint_progress_reported", "2027-09-02T10:00:00+01:00"),
                      ("end", "complaint_investigation_concluded", "2028-03-02T10:00:00+00:00"))
    reports = _reports(scheduled_book, data, "2028-12-01T12:00:00+00:00")
    assert [(o.instance, o.status) for o in reports] == [(1, Status.SATISFIED), (2, Status.NOT_APPLICABLE)]
    assert reports[1].ended_by == "end"


def test_an_ending_event_before_the_start_means_it_never_starts(scheduled_book):
    data = _complaint("2026-08-31T10:00:00+01:00",
                      ("end", "complaint_investigation_concluded", "2027-08-30T10:00:00+01:00"))
    (only,) = _reports(scheduled_book, data, "2028-12-01T12:00:00+00:00")
    assert only.state is State.NOT_APPLICABLE and only.reasons[0].kind == "ended"


def test_a_period_in_months_must_say_what_a_missing_day_means(rules_copy: Path):
    (rules_copy / "commitments" / "test-long-report.yaml").write_text(
        SCHEDULED_RULE.replace(", short_month: first_day_of_next_month}\n    satisfied_by", "}\n    satisfied_by"))
    with pytest.raises(cr.RuleValidationError, match="short_month"):
        cr.load_rulebook(rules_copy)


# --- information-only rules and law counterparts ------------------------------------------------------------------

WINDOW_RULE = """\
id: test-review-window
title: Time to apply for a review
summary: The complainant has 28 days, starting the day after the outcome, to apply for a review.
basis: law
case_kinds: [complaint]
information_only: true
versions:
  - valid_from: 2020-02-01
    duty: statutory
    trigger: {event: complaint_outcome_given}
    satisfied_by:
      event: complaint_review_applied
      description: the complainant applies for a review
    deadline: {count: 28, unit: calendar_days, calendar: england_and_wales, day_one: day_after_trigger}
"""


@pytest.fixture()
def window_book(rules_copy: Path) -> cr.CompiledRulebook:
    (rules_copy / "commitments" / "test-review-window.yaml").write_text(WINDOW_RULE)
    return cr.load_compiled(rules_copy)


def _window(book: cr.CompiledRulebook, as_of: str, *events: tuple[str, str, str]) -> cr.Obligation:
    data = _complaint("2026-03-01T10:00:00+00:00", ("o1", "complaint_outcome_given", "2026-03-02T10:00:00+00:00"),
                      *events)
    (only,) = cr.evaluate(book, cr.parse_snapshot(data, book), as_of=at(as_of)).by_rule("test-review-window")
    return only


def test_an_information_only_window_is_shown_while_open(window_book):
    # outcome Mon 2 Mar 2026: day 1 is Tue 3 Mar, day 28 is Mon 30 Mar
    window = _window(window_book, "2026-03-20T12:00:00+00:00")
    assert window.status is Status.DUE and window.due_date == dt.date(2026, 3, 30)


def test_a_closed_window_is_not_a_breach(window_book):
    window = _window(window_book, "2026-03-31T00:00:00+01:00")
    assert window.status is Status.NOT_APPLICABLE and not window.is_breach
    assert window.reasons[-1].kind == "window_closed"
    assert "Mon 30 Mar 2026" in window.reasons[-1].text


def test_an_event_after_the_window_is_information_not_lateness(window_book):
    late = _window(window_book, "2026-04-10T12:00:00+01:00", ("a1", "complaint_review_applied", "2026-03-31T09:00:00+01:00"))
    assert late.status is Status.NOT_APPLICABLE and late.satisfied_by == "a1"
    in_time = _window(window_book, "2026-04-10T12:00:00+01:00", ("a1", "complaint_review_applied", "2026-03-30T23:00:00+01:00"))
    assert in_time.status is Status.SATISFIED


def test_a_law_counterpart_must_name_another_rule_and_known_facts(rules_copy: Path):
    path = rules_copy / "commitments" / "foi-response.yaml"
    text = path.read_text()
    path.write_text(text.replace("versions:\n", "law_counterparts:\n  - rule: no-such-rule\n    situation: x\n"
                                 "    facts: {no_such_fact: 1}\n    advice: y\nversions:\n", 1))
    with pytest.raises(cr.CompileError) as caught:
        cr.load_compiled(rules_copy)
    messages = " ".join(p.message for p in caught.value.problems)
    assert "no-such-rule" in messages and "no_such_fact" in messages


def test_an_event_after_the_series_ended_does_not_meet_it(book):
    # Reported Mon 2 Mar 2026; investigation closed Fri 20 Mar 10:00; a monthly-style update recorded at the same
    # moment is taken after the close (same time: ordered by type), and one a day later is after it too: the first
    # month is ended, not met.
    for at_ in ("2026-03-20T10:00:00+00:00", "2026-03-21T10:00:00+00:00"):
        data = {"case_id": "END-1", "kind": "crime_report", "received_at": "2026-03-02T09:00:00+00:00", "events": [
            {"id": "c1", "type": "investigation_status_changed", "at": "2026-03-20T10:00:00+00:00", "status": "closed"},
            {"id": "u1", "type": "victim_updated", "at": at_, "investigation_active": False,
             "next_review_date": "2026-06-01"}]}
        (first,) = cr.evaluate(book, cr.parse_snapshot(data, book), as_of=at("2026-05-01T12:00:00+01:00")).by_rule(
            "charter-monthly-update")
        assert first.state is State.NOT_APPLICABLE and first.ended_by == "c1" and first.satisfied_by is None


def test_an_event_before_the_series_ended_still_meets_it(book):
    data = {"case_id": "END-2", "kind": "crime_report", "received_at": "2026-03-02T09:00:00+00:00", "events": [
        {"id": "u1", "type": "victim_updated", "at": "2026-03-20T09:00:00+00:00", "investigation_active": True,
         "next_review_date": "2026-06-01"},
        {"id": "c1", "type": "investigation_status_changed", "at": "2026-03-20T10:00:00+00:00", "status": "closed"}]}
    updates = cr.evaluate(book, cr.parse_snapshot(data, book), as_of=at("2026-05-01T12:00:00+01:00")).by_rule(
        "charter-monthly-update")
    assert [(o.instance, o.status, o.satisfied_by) for o in updates] == [
        (1, Status.SATISFIED, "u1"), (2, Status.NOT_APPLICABLE, None)]
