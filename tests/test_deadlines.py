"""Deadline conventions worked out by hand: month ends, leap years, roll-forward, pauses, hours, clock changes."""

from __future__ import annotations

import datetime as dt

import pytest

from charter_rules.caseview import LONDON, london_date, start_of_london_day
from charter_rules.compiler import DeadlineSpec
from charter_rules.deadlines import ClosedPause, compute_deadline
from charter_rules.obligation import PausePeriod

D = dt.date
UTC = dt.timezone.utc


def spec(book, unit, count, *, calendar="england_and_wales", day_one="day_after_trigger", roll=False, short=None):
    return DeadlineSpec(count, unit, book.calendars[calendar], day_one, roll, short, str(count))


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("start", "months", "short", "roll", "due"),
    [
        # ICO (UK GDPR): day of receipt is day 1; due on the corresponding date next month.
        (D(2026, 9, 3), 1, "last_day_of_month", False, D(2026, 10, 3)),
        # ... and if that is a weekend or bank holiday, the next working day: Sat 3 Oct 2026 -> Mon 5 Oct.
        (D(2026, 9, 3), 1, "last_day_of_month", True, D(2026, 10, 5)),
        # No 31 February: the last day of the month (2026 is not a leap year; 2028 is).
        (D(2026, 1, 31), 1, "last_day_of_month", False, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, "last_day_of_month", False, D(2028, 2, 29)),
        (D(2026, 1, 31), 1, "first_day_of_next_month", False, D(2026, 3, 1)),
        # 31 March + 1 month: no 31 April -> 30 April.
        (D(2026, 3, 31), 1, "last_day_of_month", False, D(2026, 4, 30)),
        # three months from 30 Nov 2026 (a +2 month extension counted from the start): 28 Feb 2027
        (D(2026, 11, 30), 3, "last_day_of_month", False, D(2027, 2, 28)),
        # 29 Feb 2028 + 12 months: 28 Feb 2029 (no 29 Feb in 2029)
        (D(2028, 2, 29), 12, "last_day_of_month", False, D(2029, 2, 28)),
        # Rolled forward over a bank holiday: 25 Apr + 1 month = Mon 25 May 2026 (Spring bank holiday) -> Tue 26 May.
        (D(2026, 4, 25), 1, "last_day_of_month", True, D(2026, 5, 26)),
    ],
)
def test_calendar_months(book, start, months, short, roll, due):
    work = compute_deadline(spec(book, "calendar_months", months, day_one="trigger_day", roll=roll, short=short),
                            months, noon(start), "test", [], None)
    assert work.due_date == due


def test_dpa_part_3_counting_from_the_day_after_receipt(book):
    # ICO's pre-2026 Part 3 guidance: counted from the day after receipt. Received Tue 30 Jun 2026: 1 Jul + 1 month =
    # Sat 1 Aug, rolled forward to Mon 3 Aug (3 Aug is a bank holiday only in Scotland).
    work = compute_deadline(spec(book, "calendar_months", 1, roll=True, short="last_day_of_month"), 1,
                            noon(D(2026, 6, 30)), "test", [], None)
    assert work.due_date == D(2026, 8, 3)
    assert work.unadjusted_due == D(2026, 8, 1)
    assert "rolls forward to Mon 3 Aug 2026" in (work.adjustment or "")


def test_short_month_adjustment_is_explained(book):
    work = compute_deadline(spec(book, "calendar_months", 1, day_one="trigger_day", short="last_day_of_month"), 1,
                            noon(D(2026, 1, 31)), "test", [], None)
    assert "there is no day 31 in February 2026" in (work.adjustment or "")


@pytest.mark.parametrize(
    ("start", "days", "day_one", "due"),
    [
        # DPA 2018 s.164A: acknowledge within 30 days "beginning when the complaint is received": 19 Jun -> 18 Jul.
        (D(2026, 6, 19), 30, "trigger_day", D(2026, 7, 18)),
        # Police complaint review: 28 days starting with the day after the outcome (Wed 1 Jul 2026) -> Wed 29 Jul.
        (D(2026, 7, 1), 28, "day_after_trigger", D(2026, 7, 29)),
        # DPA 1998 s.7: 40 days; request received 1 Mar 2018 counted from the day after -> 10 Apr 2018.
        (D(2018, 3, 1), 40, "day_after_trigger", D(2018, 4, 10)),
    ],
)
def test_calendar_days(book, start, days, day_one, due):
    work = compute_deadline(spec(book, "calendar_days", days, day_one=day_one), days, noon(start), "test", [], None)
    assert work.due_date == due


def test_calendar_day_pause_moves_the_deadline_on_by_the_paused_days(book):
    # 30 days from Fri 19 Jun 2026 (day 1) is Sat 18 Jul; a pause 22-24 Jun (3 days, inclusive) moves it to Tue 21 Jul.
    pause = ClosedPause(PausePeriod(D(2026, 6, 22), D(2026, 6, 24), "test", "p1", "p2"), True, True)
    work = compute_deadline(spec(book, "calendar_days", 30, day_one="trigger_day"), 30, noon(D(2026, 6, 19)), "t",
                            [pause], None)
    assert work.due_date == D(2026, 7, 21)


def test_pause_bounds_can_exclude_the_until_day(book):
    # Same pause, but the day the clock restarts counts: 2 paused days, due Mon 20 Jul.
    pause = ClosedPause(PausePeriod(D(2026, 6, 22), D(2026, 6, 24), "test", "p1", "p2"), True, False)
    work = compute_deadline(spec(book, "calendar_days", 30, day_one="trigger_day"), 30, noon(D(2026, 6, 19)), "t",
                            [pause], None)
    assert work.due_date == D(2026, 7, 20)


def test_hours_cross_the_spring_clock_change(book):
    # 24 hours from 12:00 GMT Sat 28 Mar 2026 is 12:00 UTC Sun 29 Mar, which is 13:00 BST.
    start = dt.datetime(2026, 3, 28, 12, tzinfo=UTC)
    work = compute_deadline(spec(book, "hours", 24), 24, start, "t", [], (2, "hours"))
    assert work.breach_at == dt.datetime(2026, 3, 29, 12, tzinfo=UTC)
    assert work.breach_at.astimezone(LONDON).hour == 13
    assert work.at_risk_from == dt.datetime(2026, 3, 29, 10, tzinfo=UTC)


def test_london_dates_around_the_clock_changes():
    assert london_date(dt.datetime(2026, 3, 28, 23, 30, tzinfo=UTC)) == D(2026, 3, 28)  # 23:30 GMT
    assert london_date(dt.datetime(2026, 3, 29, 23, 30, tzinfo=UTC)) == D(2026, 3, 30)  # 00:30 BST
    assert london_date(dt.datetime(2026, 10, 24, 23, 30, tzinfo=UTC)) == D(2026, 10, 25)  # 00:30 BST
    assert london_date(dt.datetime(2026, 10, 25, 23, 30, tzinfo=UTC)) == D(2026, 10, 25)  # 23:30 GMT
    # midnight at the start of the day after the autumn change is 00:00 GMT
    assert start_of_london_day(D(2026, 10, 26)) == dt.datetime(2026, 10, 26, tzinfo=UTC)
    # and on the day of the spring change, midnight is still GMT
    assert start_of_london_day(D(2026, 3, 29)) == dt.datetime(2026, 3, 29, tzinfo=UTC)
    assert start_of_london_day(D(2026, 3, 30)) == dt.datetime(2026, 3, 29, 23, tzinfo=UTC)


def test_due_on_the_autumn_clock_change_day_is_late_from_midnight_gmt(book):
    # 1 working day... use calendar days: Sat 24 Oct + 1 day (day after) = Sun 25 Oct 2026, the clock-change day.
    work = compute_deadline(spec(book, "calendar_days", 1), 1, noon(D(2026, 10, 24)), "t", [], None)
    assert work.due_date == D(2026, 10, 25)
    assert work.breach_at == dt.datetime(2026, 10, 26, 0, 0, tzinfo=UTC)


def test_horizon_warning_on_deadlines_past_the_known_holidays(book):
    work = compute_deadline(spec(book, "working_days", 20, calendar="any_part_of_uk"), 20, noon(D(2028, 12, 20)),
                            "t", [], None)
    assert work.due_date.year == 2029
    assert work.warnings and "bank holidays" in work.warnings[0]


def test_at_risk_working_days_before(book):
    # due Mon 13 Apr 2026; one working day before is Fri 10 Apr
    work = compute_deadline(spec(book, "working_days", 5), 5, noon(D(2026, 4, 2)), "t", [], (1, "working_days"))
    assert work.due_date == D(2026, 4, 13)
    assert work.at_risk_from == start_of_london_day(D(2026, 4, 10))
    # two working days before skips the weekend back to Thu 9 Apr
    work = compute_deadline(spec(book, "working_days", 5), 5, noon(D(2026, 4, 2)), "t", [], (2, "working_days"))
    assert work.at_risk_from == start_of_london_day(D(2026, 4, 9))


def test_hours_from_a_london_wall_clock_start_count_elapsed_hours(book):
    # Noon GMT on Sat 28 Mar 2026; the clocks go forward at 01:00 GMT on Sun 29 Mar. 24 elapsed hours later it is
    # 12:00 UTC on 29 Mar, which is 13:00 BST (a wall-clock sum would say 12:00 BST, an hour early).
    from charter_rules.deadlines import deadline_from

    start = dt.datetime(2026, 3, 28, 12, 0, tzinfo=LONDON)
    work = deadline_from(book.calendars["england_and_wales"], start, 24, "hours")
    assert work.breach_at == dt.datetime(2026, 3, 29, 12, 0, tzinfo=dt.timezone.utc)
    assert work.breach_at.astimezone(LONDON).hour == 13
