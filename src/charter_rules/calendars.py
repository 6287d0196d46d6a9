"""UK working-day calendars: weekends, bank holidays of chosen nations, and dated overrides.

Bank holidays come from the ``holidays`` package, one subdivision at a time (``ENG``, ``WLS``, ``SCT``, ``NIR``).
A calendar is the *union* of the subdivisions it names, which is what FOIA s.10(6) means by "a bank holiday ... in any
part of the United Kingdom". (``holidays.UK()`` with no subdivision is the *intersection*, never the union.)
Overrides add or remove dates for proclamations the package does not know yet, each with its source.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from .errors import CalendarError

NATION_NAMES = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class HolidayOverride:
    """A date added to, or removed from, the bank holidays of some nations."""

    date: dt.date
    subdivisions: tuple[str, ...]
    action: str  # "add" or "remove"
    name: str
    source: str


@dataclass(frozen=True, slots=True)
class SkippedDay:
    """A day a deadline computation did not count, and why."""

    date: dt.date
    """The day not counted."""
    reason: str
    """Why: ``Saturday``, ``Good Friday (England and Wales)``, ``clock paused``..."""

    def __str__(self) -> str:
        return f"{format_date(self.date)}: {self.reason}"


_BANK_HOLIDAYS: dict[tuple[str, int], dict[dt.date, str]] = {}  # (subdivision, year) -> the package's holidays


def bank_holidays(subdivision: str, year: int) -> dict[dt.date, str]:
    """The bank holidays of one UK subdivision in one year, as the ``holidays`` package gives them."""
    found = _BANK_HOLIDAYS.get((subdivision, year))
    if found is None:
        import holidays as holidays_lib  # imported on first use: importing it takes a fifth of a second

        found = dict(holidays_lib.country_holidays("GB", subdiv=subdivision, years=year))
        _BANK_HOLIDAYS[(subdivision, year)] = found
    return found


def export_bank_holidays(subdivisions: Iterable[str], years: Iterable[int]) -> list[list[Any]]:
    """``[subdivision, year, [[ISO date, name], ...]]`` for each pair: what the rule-book cache keeps."""
    return [[sub, year, [[day.isoformat(), name] for day, name in sorted(bank_holidays(sub, year).items())]]
            for sub in sorted(set(subdivisions)) for year in years]


def import_bank_holidays(rows: list[list[Any]]) -> None:
    """Take bank holidays kept by ``export_bank_holidays`` (from the same version of the package). Checks their
    shape; raises ValueError on anything else."""
    parsed: dict[tuple[str, int], dict[dt.date, str]] = {}
    for sub, year, days in rows:
        if sub not in NATION_NAMES or not isinstance(year, int):
            raise ValueError(f"not a subdivision and year: {sub!r}, {year!r}")
        parsed[(sub, year)] = {dt.date.fromisoformat(day): str(name) for day, name in days}
    for key, days_of_year in parsed.items():
        _BANK_HOLIDAYS.setdefault(key, days_of_year)


@lru_cache(maxsize=8192)  # strftime is slow, and the same few hundred dates are named over and over
def format_date(day: dt.date) -> str:
    """``Fri 3 Apr 2026``: the form every explanation uses."""
    return f"{_WEEKDAY_NAMES[day.weekday()][:3]} {day.day} {day.strftime('%b %Y')}"


def _nations_label(subdivisions: Iterable[str]) -> str:
    subs = set(subdivisions)
    parts: list[str] = []
    if {"ENG", "WLS"} <= subs:
        parts.append("England and Wales")
        subs -= {"ENG", "WLS"}
    for code in ("ENG", "WLS", "SCT", "NIR"):
        if code in subs:
            parts.append(NATION_NAMES[code])
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


@dataclass(frozen=True, eq=False)
class Calendar:
    """A working-day calendar: Monday to Friday, less the bank holidays of ``subdivisions``.

    Calendars are compared and hashed by identity: each compiled rule book builds each calendar once, and the
    deadline caches look them up on every computation.

    ``known_through`` is the last date for which one-off proclamations are known; computations past it get a warning.
    """

    name: str
    title: str
    subdivisions: tuple[str, ...]
    known_through: dt.date
    overrides: tuple[HolidayOverride, ...] = ()
    description: str = ""
    _years: dict[int, dict[dt.date, str]] = field(default_factory=dict, compare=False, repr=False, hash=False)
    _table: "WorkingDayTable | None" = field(default=None, compare=False, repr=False, hash=False)

    def __post_init__(self) -> None:
        unknown = [s for s in self.subdivisions if s not in NATION_NAMES]
        if unknown or not self.subdivisions:
            raise CalendarError(
                f"calendar {self.name!r}: unknown subdivision(s) {unknown or '(none given)'}; "
                f"use some of {', '.join(NATION_NAMES)}"
            )

    def holidays_in_year(self, year: int) -> dict[dt.date, str]:
        """Every bank holiday of the calendar in ``year``, with its name and the nations that keep it."""
        cached = self._years.get(year)
        if cached is not None:
            return cached
        kept_by: dict[dt.date, dict[str, list[str]]] = {}
        for sub in self.subdivisions:
            for day, name in bank_holidays(sub, year).items():
                for single in name.split("; "):
                    kept_by.setdefault(day, {}).setdefault(single, []).append(sub)
        for override in self.overrides:
            if override.date.year != year:
                continue
            subs = [s for s in override.subdivisions if s in self.subdivisions]
            if not subs:
                continue
            if override.action == "add":
                kept_by.setdefault(override.date, {}).setdefault(override.name, []).extend(subs)
            else:
                names = kept_by.get(override.date, {})
                for name in list(names):
                    names[name] = [s for s in names[name] if s not in subs]
                    if not names[name]:
                        del names[name]
                if not names:
                    kept_by.pop(override.date, None)
        result = {
            day: "; ".join(f"{name} ({_nations_label(subs)})" for name, subs in sorted(names.items()))
            for day, names in sorted(kept_by.items())
        }
        self._years[year] = result
        return result

    def non_working_reason(self, day: dt.date) -> str | None:
        """Why ``day`` is not a working day (``"Saturday"``, ``"Good Friday (England and Wales)"``), or None."""
        weekday = day.weekday()
        if weekday >= 5:
            return _WEEKDAY_NAMES[weekday]
        return self.holidays_in_year(day.year).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.holidays_in_year(day.year)

    def table(self, *days: dt.date, ahead: int = 0) -> "WorkingDayTable":
        """The working-day table, covering ``days`` and at least ``ahead`` working days after the last of them."""
        table = self._table
        if table is not None and table.covers(days, ahead):
            return table
        # a new, larger table replaces the old one whole (two threads building one at once build the same table)
        first = min(days).year - 1
        last = max(days).year + 1 + ahead // 240  # about 250 working days a year
        if table is not None:
            first, last = min(first, table.first_year), max(last, table.last_year)
        while True:
            table = WorkingDayTable(self, first, last)
            if table.covers(days, ahead):
                break
            last += 1
        object.__setattr__(self, "_table", table)
        return table

    def beyond_horizon(self, day: dt.date) -> bool:
        return day > self.known_through

    def horizon_warning(self, day: dt.date) -> str:
        return (
            f"{format_date(day)} is after {format_date(self.known_through)}, the last date for which bank holidays "
            f"in {_nations_label(self.subdivisions)} are known; a bank holiday proclaimed later would move this date"
        )

    @property
    def nations(self) -> str:
        return _nations_label(self.subdivisions)


class WorkingDayTable:
    """The working days of a calendar over whole years, as sorted day ordinals, so that "the n-th working day after"
    and "working days between" are lookups (bisection) rather than walks day by day. Built whole, never changed."""

    def __init__(self, calendar: Calendar, first_year: int, last_year: int) -> None:
        self.first_year, self.last_year = first_year, last_year
        self.start = dt.date(first_year, 1, 1).toordinal()
        self.end = dt.date(last_year, 12, 31).toordinal()
        working: list[int] = []
        closed: list[int] = []
        skips: list[SkippedDay] = []  # beside ``closed``: each non-working day with its reason, made once
        holidays: dict[int, str] = {}
        for year in range(first_year, last_year + 1):
            holidays.update((day.toordinal(), name) for day, name in calendar.holidays_in_year(year).items())
        for ordinal in range(self.start, self.end + 1):
            # ordinal 1 (1 January of year 1) was a Monday: (ordinal - 1) % 7 is the weekday, Monday 0
            weekday = (ordinal - 1) % 7
            if weekday >= 5 or ordinal in holidays:
                closed.append(ordinal)
                skips.append(SkippedDay(dt.date.fromordinal(ordinal),
                                        _WEEKDAY_NAMES[weekday] if weekday >= 5 else holidays[ordinal]))
            else:
                working.append(ordinal)
        self.working = working
        self.closed = closed
        self.skips = skips

    def covers(self, days: tuple[dt.date, ...], ahead: int) -> bool:
        low, high = min(days).toordinal(), max(days).toordinal()
        if low < self.start or high > self.end:
            return False
        return bisect_right(self.working, high) + ahead < len(self.working)

    def skipped_between(self, first: int, last: int) -> list[SkippedDay]:
        """The non-working days from ordinal ``first`` to ``last``, both included, with their reasons."""
        return self.skips[bisect_left(self.closed, first):bisect_right(self.closed, last)]


# --- counting -------------------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def nth_working_day_after(
    calendar: Calendar, after: dt.date, count: int, paused: frozenset[dt.date] = frozenset()
) -> tuple[dt.date, tuple[SkippedDay, ...]]:
    """The ``count``-th working day strictly after ``after``, and the days passed over on the way.

    Days in ``paused`` are passed over as well (the clock was stopped). ``count`` 0 returns ``after`` itself.
    """
    if count < 0:
        raise CalendarError(f"cannot count {count} working days: the count must be 0 or more")
    if count == 0:
        return after, ()
    paused_working = sorted(d.toordinal() for d in paused if d > after and calendar.is_working_day(d))
    table = calendar.table(after, ahead=count + len(paused_working))
    working = table.working
    base = bisect_right(working, after.toordinal())
    # each paused working day on or before the deadline moves it on by one working day
    extra = 0
    due = working[base + count - 1]
    while extra < len(paused_working) and paused_working[extra] <= due:
        extra += 1
        due = working[base + count - 1 + extra]
    skipped = table.skipped_between(after.toordinal() + 1, due)
    if extra:
        skipped = sorted(skipped + [SkippedDay(dt.date.fromordinal(o), "clock paused") for o in paused_working[:extra]],
                         key=lambda skip: skip.date)
    return dt.date.fromordinal(due), tuple(skipped)


def roll_forward(calendar: Calendar, day: dt.date) -> tuple[dt.date, tuple[SkippedDay, ...]]:
    """``day`` if it is a working day, else the next working day, with the days rolled over."""
    table = calendar.table(day, ahead=1)
    ordinal = day.toordinal()
    found = table.working[bisect_left(table.working, ordinal)]
    return dt.date.fromordinal(found), tuple(table.skipped_between(ordinal, found - 1))


def working_days_before(calendar: Calendar, day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day strictly before ``day`` (``day`` itself when ``count`` is 0)."""
    if count <= 0:
        return day
    table = calendar.table(day - dt.timedelta(days=2 * count + 14), day)
    index = bisect_left(table.working, day.toordinal()) - count
    if index < 0:  # pragma: no cover - the table was made to reach far enough back
        raise CalendarError(f"cannot count {count} working days back from {day}")
    return dt.date.fromordinal(table.working[index])


def working_days_between(calendar: Calendar, start: dt.date, end: dt.date) -> int:
    """Working days in the closed interval [start, end]; 0 when end is before start."""
    if end < start:
        return 0
    table = calendar.table(start, end)
    return bisect_right(table.working, end.toordinal()) - bisect_left(table.working, start.toordinal())
