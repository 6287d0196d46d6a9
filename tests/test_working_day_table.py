"""The working-day table gives exactly what counting day by day gives (hand-worked dates: test_calendars.py)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from charter_rules.calendars import (
    Calendar,
    SkippedDay,
    nth_working_day_after,
    roll_forward,
    working_days_before,
    working_days_between,
)

ONE_DAY = dt.timedelta(days=1)


def _day_by_day(calendar, after, count, paused):
    """The plain definition: step one day at a time, passing over non-working and paused days."""
    day, skipped, counted = after, [], 0
    while counted < count:
        day += ONE_DAY
        reason = calendar.non_working_reason(day)
        if reason is not None:
            skipped.append(SkippedDay(day, reason))
        elif day in paused:
            skipped.append(SkippedDay(day, "clock paused"))
        else:
            counted += 1
    return day, tuple(skipped)


def _calendars(book):
    return list(book.calendars.values())


days = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2031, 12, 31))


@settings(max_examples=400, deadline=None)
@given(index=st.integers(0, 10), after=days, count=st.integers(0, 70),
       pause_offsets=st.lists(st.integers(-5, 90), max_size=12))
def test_nth_working_day_after_matches_counting_day_by_day(book, index, after, count, pause_offsets):
    calendars = _calendars(book)
    calendar = calendars[index % len(calendars)]
    paused = frozenset(after + dt.timedelta(days=o) for o in pause_offsets)
    assert nth_working_day_after.__wrapped__(calendar, after, count, paused) == _day_by_day(calendar, after, count,
                                                                                           paused)


@settings(max_examples=300, deadline=None)
@given(index=st.integers(0, 10), start=days, length=st.integers(-3, 400))
def test_working_days_between_matches_counting(book, index, start, length):
    calendars = _calendars(book)
    calendar = calendars[index % len(calendars)]
    end = start + dt.timedelta(days=length)
    expected = sum(1 for n in range(length + 1) if calendar.is_working_day(start + dt.timedelta(days=n)))
    assert working_days_between(calendar, start, end) == expected


@settings(max_examples=300, deadline=None)
@given(index=st.integers(0, 10), day=days, count=st.integers(0, 30))
def test_roll_forward_and_counting_back_match_stepping(book, index, day, count):
    calendars = _calendars(book)
    calendar = calendars[index % len(calendars)]
    rolled, skipped = roll_forward(calendar, day)
    step, passed = day, []
    while not calendar.is_working_day(step):
        passed.append(SkippedDay(step, calendar.non_working_reason(step)))
        step += ONE_DAY
    assert (rolled, skipped) == (step, tuple(passed))
    back = day
    for _ in range(count):
        back -= ONE_DAY
        while not calendar.is_working_day(back):
            back -= ONE_DAY
    assert working_days_before(calendar, day, count) == back


def test_the_table_grows_to_cover_far_dates(book):
    calendar = Calendar("t", "test", ("ENG",), dt.date(2027, 12, 31))
    # Easter 2026: Good Friday 3 April and Easter Monday 6 April are passed over, as are the weekends
    assert nth_working_day_after(calendar, dt.date(2026, 3, 26), 20)[0] == dt.date(2026, 4, 27)
    far = nth_working_day_after(calendar, dt.date(2040, 12, 20), 5)[0]
    assert far == dt.date(2040, 12, 31)  # 25 and 26 December 2040 (Tue, Wed) are bank holidays
    assert working_days_between(calendar, dt.date(2010, 1, 1), dt.date(2010, 1, 31)) == 20  # 1 Jan 2010 a holiday
