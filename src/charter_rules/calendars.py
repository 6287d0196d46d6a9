"""UK working-day calendars: weekends, bank holidays of chosen nations, and dated overrides.

Bank holidays come from the ``holidays`` package, one subdivision at a time (``ENG``, ``WLS``, ``SCT``, ``NIR``).
A calendar is the *union* of the subdivisions it names, which is what FOIA s.10(6) means by "a bank holiday ... in any
part of the United Kingdom". (``holidays.UK()`` with no subdivision is the *intersection*, never the union.)
Overrides add or remove dates for proclamations the package does not know yet, each with its source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

import holidays as holidays_lib

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
            for day, name in holidays_lib.country_holidays("GB", subdiv=sub, years=year).items():
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
    day = after
    skipped: list[SkippedDay] = []
    counted = 0
    one = dt.timedelta(days=1)
    while counted < count:
        day += one
        reason = calendar.non_working_reason(day)
        if reason is not None:
            skipped.append(SkippedDay(day, reason))
        elif day in paused:
            skipped.append(SkippedDay(day, "clock paused"))
        else:
            counted += 1
    return day, tuple(skipped)


def roll_forward(calendar: Calendar, day: dt.date) -> tuple[dt.date, tuple[SkippedDay, ...]]:
    """``day`` if it is a working day, else the next working day, with the days rolled over."""
    skipped: list[SkippedDay] = []
    while (reason := calendar.non_working_reason(day)) is not None:
        skipped.append(SkippedDay(day, reason))
        day += dt.timedelta(days=1)
    return day, tuple(skipped)


def working_days_between(calendar: Calendar, start: dt.date, end: dt.date) -> int:
    """Working days in the closed interval [start, end]; 0 when end is before start."""
    count = 0
    day = start
    while day <= end:
        if calendar.is_working_day(day):
            count += 1
        day += dt.timedelta(days=1)
    return count
