"""Turning what a caller passes into what the library works with, or a clear error saying what to pass.

The library accepts what the command line accepts: a moment is an aware ``datetime``, an ISO timestamp with a UTC
offset (``2026-04-08T17:00:00+01:00`` or ``...Z``), or a ``date`` (or ``YYYY-MM-DD``) meaning the end of that day
in London.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from .errors import ArgumentError

LONDON = ZoneInfo("Europe/London")  # as in caseview, without importing the case model (the CLI starts quicker)

MOMENT_HELP = (
    "pass an aware datetime (e.g. datetime(2026, 4, 8, 17, 0, tzinfo=timezone.utc)), an ISO timestamp with a UTC "
    "offset ('2026-04-08T17:00:00+01:00'), or a date ('2026-04-08' or date(2026, 4, 8)) meaning the end of that "
    "day in London"
)


def end_of_london_day(day: dt.date) -> dt.datetime:
    """The last instant of ``day`` in London (23:59:59.999999 local time)."""
    return dt.datetime.combine(day, dt.time(23, 59, 59, 999999), tzinfo=LONDON)


def moment_from(value: Any, name: str = "as_of") -> dt.datetime:
    """An aware datetime from what the caller passed; ArgumentError naming ``name`` and what to pass otherwise."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ArgumentError(f"{name}={value.isoformat()!r} has no UTC offset; add one, e.g. "
                                f"{name}=datetime(..., tzinfo=timezone.utc) or ZoneInfo('Europe/London')")
        return value
    if isinstance(value, dt.date):
        return end_of_london_day(value)
    if isinstance(value, str):
        return _moment_from_text(value.strip(), name)
    if value is None:
        raise ArgumentError(f"{name} is required: {MOMENT_HELP}")
    raise ArgumentError(f"{name} must be a moment, not {type(value).__name__}: {MOMENT_HELP}")


def _moment_from_text(text: str, name: str) -> dt.datetime:
    try:
        if len(text) == 10:
            return end_of_london_day(dt.date.fromisoformat(text))
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ArgumentError(f"{name}={text!r} is not a date (YYYY-MM-DD) or a timestamp with a UTC offset "
                            "(YYYY-MM-DDTHH:MM:SS+01:00)") from None
    if moment.tzinfo is None:
        raise ArgumentError(f"{name}={text!r} has no UTC offset; add one, e.g. {text}+01:00 or {text}Z")
    return moment


def kind_of(value: Any) -> str:
    """What a wrong argument is, in words: 'a dict', 'a str', 'None'."""
    if value is None:
        return "None"
    name = type(value).__name__
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"
