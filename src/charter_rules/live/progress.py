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

ONE_DAY = dt.timedelta(days=1)
MAX_WORKING_DAY = 1000  # a milestone further out than this is refused when escalation rules are loaded


def _day_one(work: DeadlineWork) -> dt.date:
    start = london_date(work.clock_start)
    return start + ONE_DAY if work.day_one_rule == "day_after_trigger" else start


def _counts(work: DeadlineWork, calendar: Calendar, skipped: set[dt.date], day: dt.date) -> bool:
    if day <= work.due_date:
        return day not in skipped and calendar.is_working_day(day)
    return calendar.is_working_day(day)


def working_day_on(work: DeadlineWork, calendar: Calendar, moment: dt.datetime) -> int | None:
    """The number of the working day the clock is on at ``moment`` (0 before day one); None unless the deadline is
    counted in working days."""
    if work.unit != "working_days":
        return None
    today = london_date(moment)
    day = _day_one(work)
    skipped = {s.date for s in work.skipped}
    counted = 0
    while day <= today:
        if _counts(work, calendar, skipped, day):
            counted += 1
        day += ONE_DAY
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
