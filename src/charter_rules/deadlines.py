"""Work out a deadline from a clock start, a rule's counting conventions, pauses and a calendar.

Conventions (each stated in the rule file, none implied):

* ``working_days``: day 1 is the first working day on or after the ``day_one`` date; the deadline is the last day
  counted. Non-working days and paused days are passed over and listed.
* ``calendar_days``: day 1 is the ``day_one`` date; the deadline is day N, moved on by any paused days, then rolled
  forward to a working day if the rule says so.
* ``calendar_months``: the deadline is the date corresponding to day 1, N months on. When that date does not exist
  (31 January + 1 month), ``short_month`` decides: the last day of the month, or the first day of the next. Paused
  days then move it on, and it is rolled forward if the rule says so.
* ``hours``: the deadline is the exact moment N hours after the clock starts.

Date deadlines are compared by London date: anything done before midnight at the end of the due day is on time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from .calendars import Calendar, SkippedDay, format_date, nth_working_day_after, roll_forward, working_days_before
from .caseview import in_utc, london_date, start_of_london_day
from .deadline_compiler import DeadlineSpec, PeriodSpec
from .daterange import LAST_DAY, RANGE_TEXT, check_day
from .errors import CalendarError
from .obligation import DeadlineWork, PausePeriod
from .units import UNIT_WORDS, unit_text

__all__ = ["UNIT_WORDS", "ClosedPause", "add_period", "compute_deadline", "unit_text"]  # unit words: see units.py

ONE_DAY = dt.timedelta(days=1)
NO_DAYS: frozenset[dt.date] = frozenset()
# a count of at most this many units, from a day at least 100 years before the end of the range, cannot reach it
_SURELY_IN_RANGE = 1000
_SURELY_IN_RANGE_FROM = LAST_DAY - dt.timedelta(days=36600)


@dataclass(frozen=True, slots=True)
class ClosedPause:
    period: PausePeriod
    include_from_day: bool
    include_until_day: bool
    started_at: dt.datetime | None = None  # the moment the clock stopped

    @property
    def reason_text(self) -> str:
        return self.period.reason

    def days(self) -> list[dt.date]:
        assert self.period.end is not None
        first = self.period.start if self.include_from_day else self.period.start + ONE_DAY
        last = self.period.end if self.include_until_day else self.period.end - ONE_DAY
        out = []
        day = first
        while day <= last:
            out.append(day)
            day += ONE_DAY
        return out


def _add_months(day: dt.date, months: int, short_month: str | None) -> tuple[dt.date, str | None]:
    moved = day + relativedelta(months=months)
    if moved.day == day.day:
        return moved, None
    # the corresponding day does not exist in the target month: relativedelta gave its last day
    if short_month == "first_day_of_next_month":
        rolled = moved + ONE_DAY
        return rolled, (
            f"{format_date(moved)} is the last day of the month; there is no day {day.day} in it, "
            f"so the deadline is the first day of the next month"
        )
    return moved, f"there is no day {day.day} in {moved.strftime('%B %Y')}, so the deadline is its last day"


def add_period(day: dt.date, period: PeriodSpec) -> tuple[dt.date, str | None]:
    """The day a period counted from ``day`` has run out: ``day`` plus N calendar days, or the corresponding date
    N months on (``period.short_month`` decides when there is none). Returns the day and any month-end note."""
    if period.unit == "calendar_days":
        return day + dt.timedelta(days=period.count), None
    return _add_months(day, period.count, period.short_month)


def _at_risk_from(calendar: Calendar, due: dt.date, breach_at: dt.datetime, before: int, unit: str) -> dt.datetime:
    if unit == "hours":
        return breach_at - dt.timedelta(hours=before)
    if unit == "working_days":
        return start_of_london_day(working_days_before(calendar, due, before))
    if unit == "calendar_months":
        return start_of_london_day(due - relativedelta(months=before))
    return start_of_london_day(due - dt.timedelta(days=before))


def compute_deadline(
    spec: DeadlineSpec,
    count: int,
    clock_start: dt.datetime,
    clock_start_reason: str,
    pauses: list[ClosedPause],
    at_risk: tuple[int, str] | None,
    *,
    variant: tuple[str, str] | None = None,
    extension: str | None = None,
    extension_ignored: str | None = None,
    start_date: dt.date | None = None,
    restart_ignored: str | None = None,
) -> DeadlineWork:
    """Compute the due date (and the moment it becomes late) with every step recorded.

    Raises CalendarError when the clock starts, or the deadline would fall, outside the supported range of dates.
    """
    if start_date is None:
        start_date = london_date(clock_start)
    check_day(start_date, "the clock start")
    _check_reach(spec.unit, count, start_date)
    try:
        work = _compute(spec, count, clock_start, clock_start_reason, pauses, at_risk, variant=variant,
                        extension=extension, extension_ignored=extension_ignored, start_date=start_date,
                        restart_ignored=restart_ignored)
    except OverflowError:  # pragma: no cover - _check_reach keeps every computation far from the end of dates
        raise _beyond(spec.unit, count, start_date) from None
    if work.due_date > LAST_DAY:
        raise _beyond(spec.unit, count, start_date)
    return work


def _beyond(unit: str, count: int, start: dt.date) -> CalendarError:
    return CalendarError(f"a deadline of {unit_text(count, unit)} from {format_date(start)} would fall after the end "
                         f"of the supported range of dates, {RANGE_TEXT}")


def _check_reach(unit: str, count: int, start: dt.date) -> None:
    """Refuse, before counting, a deadline that cannot end inside the supported range (or a negative count):
    counting 10**9 working days one by one would never finish."""
    if count < 0:
        raise CalendarError(f"cannot count {unit_text(count, unit)}: the count must be 0 or more")
    if count <= _SURELY_IN_RANGE and start <= _SURELY_IN_RANGE_FROM:
        return  # every unit counts at most this many days, far from the end of the range
    fewest_days = {"working_days": count, "calendar_days": count, "calendar_months": count * 28}.get(unit, count // 24)
    if fewest_days > (LAST_DAY - start).days:
        raise _beyond(unit, count, start)


def _compute(
    spec: DeadlineSpec,
    count: int,
    clock_start: dt.datetime,
    clock_start_reason: str,
    pauses: list[ClosedPause],
    at_risk: tuple[int, str] | None,
    *,
    variant: tuple[str, str] | None,
    extension: str | None,
    extension_ignored: str | None,
    start_date: dt.date,
    restart_ignored: str | None,
) -> DeadlineWork:
    paused_days: frozenset[dt.date] = NO_DAYS
    if pauses:
        paused_days = frozenset(d for pause in pauses for d in pause.days()
                                if d > start_date or spec.day_one == "trigger_day")
    if spec.unit == "hours":
        # elapsed hours, counted on the instant: across a clock change a wall-clock sum would be an hour out
        utc_start = clock_start.astimezone(dt.timezone.utc)
        breach_at = (utc_start + dt.timedelta(hours=count)).astimezone(clock_start.tzinfo)
        due = london_date(breach_at)
        skipped: tuple[SkippedDay, ...] = ()
        adjustment = unadjusted = None
        warnings: tuple[str, ...] = (spec.calendar.horizon_warning(due),) if spec.calendar.beyond_horizon(due) else ()
        at_risk_from = _at_risk_from(spec.calendar, due, breach_at, *at_risk) if at_risk else None
        breach_utc, at_risk_utc = in_utc(breach_at), in_utc(at_risk_from) if at_risk_from is not None else None
    else:
        # clocks that never stopped share one computation per start day; a set of paused days is almost always a
        # case's own, so keeping those would only grow the cache (about 30 MB a worker over 500,000 cases)
        arithmetic = _dated.__wrapped__ if paused_days else _dated
        due, breach_at, skipped, adjustment, unadjusted, warnings, at_risk_from, breach_utc, at_risk_utc = arithmetic(
            spec, count, start_date, paused_days, at_risk
        )
    calendar = spec.calendar
    return DeadlineWork(
        unit=spec.unit,
        count=count,
        count_source=spec.count_source,
        calendar=calendar.name,
        calendar_title=calendar.title,
        day_one_rule=spec.day_one,
        clock_start=clock_start,
        clock_start_reason=clock_start_reason,
        due_date=due,
        breach_at=breach_at,
        skipped=skipped,
        pauses=tuple(p.period for p in pauses) if pauses else (),
        variant=variant[0] if variant else None,
        variant_reason=variant[1] if variant else None,
        extension=extension,
        extension_ignored=extension_ignored,
        unadjusted_due=unadjusted,
        adjustment=adjustment,
        at_risk_from=at_risk_from,
        warnings=warnings,
        restart_ignored=restart_ignored,
        breach_utc=breach_utc,
        at_risk_utc=at_risk_utc,
    )


@lru_cache(maxsize=131072)
def _dated(
    spec: DeadlineSpec, count: int, start_date: dt.date, paused_days: frozenset[dt.date], at_risk: tuple[int, str] | None
) -> tuple[dt.date, dt.datetime, tuple[SkippedDay, ...], str | None, dt.date | None, tuple[str, ...],
           dt.datetime | None, dt.datetime, dt.datetime | None]:
    """The date arithmetic of a day-based deadline. It depends only on dates, so cases that start on the same day
    (with no pause) share one computation."""
    calendar = spec.calendar
    skipped: tuple[SkippedDay, ...] = ()
    adjustment: str | None = None
    unadjusted: dt.date | None = None
    day_one = start_date if spec.day_one == "trigger_day" else start_date + ONE_DAY
    if spec.unit == "working_days":
        due, skipped = nth_working_day_after(calendar, day_one - ONE_DAY, count, paused_days)
    else:
        if spec.unit == "calendar_days":
            base = day_one + dt.timedelta(days=count - 1) if count > 0 else day_one - ONE_DAY
        else:
            base, adjustment = _add_months(day_one, count, spec.short_month)
            if adjustment:
                unadjusted = day_one + relativedelta(months=count)
        # paused days inside the period push the deadline on, one day for each
        due = base
        while True:
            inside = sum(1 for d in paused_days if day_one <= d <= due)
            moved = base + dt.timedelta(days=inside)
            if moved == due:
                break
            due = moved
        skipped = tuple(SkippedDay(d, "clock paused") for d in sorted(d for d in paused_days if day_one <= d <= due))
        if spec.roll_forward:
            rolled, rolled_over = roll_forward(calendar, due)
            if rolled != due:
                unadjusted = unadjusted or due
                adjustment = (
                    (adjustment + "; then ") if adjustment else ""
                ) + f"{format_date(due)} is not a working day, so the deadline rolls forward to {format_date(rolled)}"
                skipped = skipped + rolled_over
                due = rolled
    breach_at = start_of_london_day(due + ONE_DAY)
    warnings = (calendar.horizon_warning(due),) if calendar.beyond_horizon(due) else ()
    at_risk_from = _at_risk_from(calendar, due, breach_at, *at_risk) if at_risk else None
    at_risk_utc = in_utc(at_risk_from) if at_risk_from is not None else None
    return due, breach_at, skipped, adjustment, unadjusted, warnings, at_risk_from, in_utc(breach_at), at_risk_utc


def deadline_from(calendar: Calendar, start: dt.datetime, count: int, unit: str, *, day_one: str = "day_after_trigger",
                  short_month: str = "last_day_of_month", roll_forward: bool = False) -> DeadlineWork:
    """A deadline on its own, outside any rule: what ``charter-rules deadline`` and the docs calculator work out."""
    spec = DeadlineSpec(count, unit, calendar, day_one, roll_forward,
                        short_month if unit == "calendar_months" else None, "")
    return compute_deadline(spec, count, start, "the date given", [], None)
