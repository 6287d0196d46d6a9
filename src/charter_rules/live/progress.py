"""Working-day progress of an obligation's clock: which working day it is on, and when day N begins.

An FOI request "reaches its fifteenth working day" at the start (London midnight) of the fifteenth day counted by
its deadline. The count follows the deadline exactly as the evaluator worked it out: day one and the days it passed
over (weekends, bank holidays of the rule's calendar, paused days) come from the obligation's ``DeadlineWork``, so
the progress and the due date can never disagree. After the due date, days are counted on the calendar alone.
"""

from __future__ import annotations

import datetime as dt

from ..calendars import Calendar
from ..caseview import london_date, start_of_london_day
from ..obligation import DeadlineWork
from ..rulebook_files import MAX_WORKING_DAY

ONE_DAY = dt.timedelta(days=1)


def _day_one(work: DeadlineWork) -> dt.date:
    start = london_date(work.clock_start)
    return start + ONE_DAY if work.day_one_rule == "day_after_trigger" else start


def _counts(work: DeadlineWork, calendar: Calendar, skipped: set[dt.date], day: dt.date) -> bool:
    if day <= work.due_date:
        return day not in skipped and calendar.is_working_day(day)
    return calendar.is_working_day(day)


def _working_days(calendar: Calendar, first: dt.date, last: dt.date) -> int:
    """Working days of ``calendar`` in [first, last], by arithmetic on weeks and the holiday list."""
    if last < first:
        return 0
    days = (last - first).days + 1
    weeks, extra = divmod(days, 7)
    weekdays = weeks * 5 + sum(1 for i in range(extra) if (first.weekday() + i) % 7 < 5)
    holidays = sum(1 for year in range(first.year, last.year + 1) for day in calendar.holidays_in_year(year)
                   if first <= day <= last and day.weekday() < 5)
    return weekdays - holidays


def working_day_on(work: DeadlineWork, calendar: Calendar, moment: dt.datetime) -> int | None:
    """The number of the working day the clock is on at ``moment`` (0 before day one); None unless the deadline is
    counted in working days."""
    if work.unit != "working_days":
        return None
    today = london_date(moment)
    first = _day_one(work)
    if today < first:
        return 0
    # up to the due date every day not counted is listed in the deadline working (weekends, holidays, paused days)
    last = min(today, work.due_date)
    skipped = sum(1 for s in {s.date for s in work.skipped} if first <= s <= last)
    counted = (last - first).days + 1 - skipped
    if today > work.due_date:
        counted += _working_days(calendar, work.due_date + ONE_DAY, today)
    return counted


def working_day_starts(work: DeadlineWork, calendar: Calendar, number: int) -> dt.datetime | None:
    """The moment working day ``number`` of the clock begins (London midnight); None unless the deadline is counted
    in working days."""
    if work.unit != "working_days" or number < 1:
        return None
    day = _day_one(work)
    skipped = {s.date for s in work.skipped}
    counted = 0
    for _ in range(MAX_WORKING_DAY * 3):
        if _counts(work, calendar, skipped, day):
            counted += 1
            if counted == number:
                return start_of_london_day(day)
        day += ONE_DAY
    return None  # pragma: no cover - more than MAX_WORKING_DAY is refused earlier
