"""The range of dates charter-rules works with: 1 January 1900 to 31 December 2199, London time.

Why these bounds:

* Every deadline is counted on a UK working-day calendar. The bank holidays behind them are known from 1900 on
  (the Bank Holidays Act 1871 and its successors, as the ``holidays`` package records them), and one-off
  proclamations are only known a year or so ahead (each calendar's ``known_through``); 2199 leaves room for any
  deadline a rule may set (at most a few decades, see ``rulebook_limits``) while staying far from the end of what
  Python's dates can hold (9999-12-31), so no computation near the edge can overflow.
* Dates outside it in real exports are placeholders, not facts: ``0001-01-01`` is the "no date" of many databases,
  ``9999-12-31`` the "never" of others. Taking them as real would make a case look centuries overdue (or never
  due); such a record is rejected, naming the field, so it is fixed at source.

Timestamps are ISO 8601 strings with a UTC offset (``2026-04-01T09:30:00+01:00`` or ``...Z``). A number, or a string
of digits, is refused rather than read as Unix time: an epoch count carries no offset and is easily a unit off.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from pydantic_core import PydanticCustomError

from .errors import CalendarError

_LONDON = ZoneInfo("Europe/London")
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=_LONDON)
LATEST = dt.datetime(2199, 12, 31, 23, 59, 59, 999999, tzinfo=_LONDON)
RANGE_TEXT = "1 Jan 1900 to 31 Dec 2199 (London time)"

_TIMESTAMP_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]")
_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}$")


def in_range(moment: dt.datetime) -> bool:
    """Whether an aware ``moment`` lies in the supported range (compared as instants, so no offset can overflow)."""
    if 1901 <= moment.year <= 2198:
        return True  # no UTC offset (under a day) can take a moment of these years outside the range
    return EARLIEST <= moment <= LATEST  # comparing across time zones takes microseconds: only near the ends


def day_in_range(day: dt.date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def check_moment(moment: dt.datetime, what: str = "the moment") -> dt.datetime:
    """``moment`` itself, or CalendarError if it is outside the supported range."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment  # the caller says what a naive moment means (usually: refused)
    if not in_range(moment):
        raise CalendarError(f"{what} {moment.isoformat()} is outside the supported range of dates, {RANGE_TEXT}")
    return moment


def check_day(day: dt.date, what: str = "the date") -> dt.date:
    if not day_in_range(day):
        raise CalendarError(f"{what} {day.isoformat()} is outside the supported range of dates, {RANGE_TEXT}")
    return day


# --- pydantic validators for snapshot fields ------------------------------------------------------------------------


def timestamp_form(value: Any) -> Any:
    """Before parsing: a timestamp must be an ISO 8601 string (or a datetime), never a number or digits."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _TIMESTAMP_SHAPE.match(value):
        return value
    raise PydanticCustomError(
        "timestamp_form", "must be an ISO 8601 timestamp with a UTC offset (numbers and Unix times are not accepted)"
    )


def timestamp_range(value: dt.datetime) -> dt.datetime:
    """After parsing: the moment must lie in the supported range."""
    if not in_range(value):
        raise PydanticCustomError("date_range", "is outside the supported range of dates, {range}",
                                  {"range": RANGE_TEXT})
    return value


def date_form(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _DATE_SHAPE.match(value):
        return value
    raise PydanticCustomError("date_form", "must be a date written YYYY-MM-DD")


def date_range(value: dt.date) -> dt.date:
    if not day_in_range(value):
        raise PydanticCustomError("date_range", "is outside the supported range of dates, {range}",
                                  {"range": RANGE_TEXT})
    return value
