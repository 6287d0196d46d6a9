"""Working-day progress of a deadline's clock (what "the fifteenth working day" means)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

import charter_rules
from charter_rules.evaluator import evaluate
from charter_rules.obligation import DeadlineWork
from charter_rules.live.progress import working_day_on, working_day_starts

from .conftest import t

BOOK = charter_rules.default_rulebook()


def _foi_deadline(received: dt.datetime, events: list[dict[str, str]] | None = None) -> DeadlineWork:
    snapshot = charter_rules.parse_snapshot({"case_id": "F", "kind": "foi_request", "received_at": received.isoformat(),
                                             "events": events or []}, BOOK)
    obligation = evaluate(BOOK, snapshot, as_of=received + dt.timedelta(days=15)).by_rule("foi-response")[0]
    assert obligation.deadline is not None
    return obligation.deadline


def test_working_days_of_a_request_received_before_easter() -> None:
    """Received Thu 26 Mar 2026. Day 1 Fri 27 Mar; Mon 30 Mar-Thu 2 Apr days 2-5; Good Friday 3 Apr and Easter
    Monday 6 Apr skipped; Tue 7-Fri 10 Apr days 6-9; 13-17 Apr days 10-14; Mon 20 Apr day 15; due Mon 27 Apr (day
    20); after the due date the calendar goes on counting: Tue 28 Apr is day 21."""
    work = _foi_deadline(t("2026-03-26T10:00:00+00:00"))
    calendar = BOOK.calendars[work.calendar]
    expected = {1: "2026-03-27", 5: "2026-04-02", 6: "2026-04-07", 15: "2026-04-20", 20: "2026-04-27",
                21: "2026-04-28"}
    for number, day in expected.items():
        start = working_day_starts(work, calendar, number)
        assert start is not None and start.date().isoformat() == day, number
    assert working_day_on(work, calendar, t("2026-03-26T23:00:00+00:00")) == 0
    assert working_day_on(work, calendar, t("2026-04-05T12:00:00+01:00")) == 5  # Easter Sunday
    assert working_day_on(work, calendar, t("2026-04-20T00:00:00+01:00")) == 15
    assert working_day_on(work, calendar, t("2026-04-19T23:59:59+01:00")) == 14


@settings(max_examples=60, deadline=None)
@given(hours=st.integers(0, 24 * 600), paused=st.booleans())
def test_day_n_starts_exactly_when_the_count_reaches_n(hours: int, paused: bool) -> None:
    received = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(hours=hours)
    events = []
    if paused:
        events = [{"id": "f1", "type": "foi_fees_notice_given", "at": (received + dt.timedelta(days=3)).isoformat()},
                  {"id": "f2", "type": "foi_fee_received", "at": (received + dt.timedelta(days=9)).isoformat()}]
    work = _foi_deadline(received, events)
    assert bool(work.pauses) == paused
    calendar = BOOK.calendars[work.calendar]
    for number in range(1, 45):
        start = working_day_starts(work, calendar, number)
        assert start is not None
        assert working_day_on(work, calendar, start) == number
        assert working_day_on(work, calendar, start - dt.timedelta(microseconds=1)) == number - 1
    due_start = working_day_starts(work, calendar, work.count)
    assert due_start is not None and due_start.date() == work.due_date
