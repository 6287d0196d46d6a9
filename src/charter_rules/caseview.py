"""A case as the evaluator sees it at one moment: events up to the as-of moment, in a fixed order, by type.

Events after the as-of moment are left out. Events are ordered by time, then by type, then by id, then by their place
in the input, so two events with the same timestamp are always taken in the same order. Inside the evaluator every
instant is held in UTC (comparing instants with one time zone is several times faster than across zones); dates are
always London dates, and explanations show London time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from .snapshot import CaseSnapshot

LONDON = ZoneInfo("Europe/London")
UTC = dt.timezone.utc


def london_date(moment: dt.datetime) -> dt.date:
    """The calendar date in London at ``moment`` (which must carry a UTC offset)."""
    return moment.astimezone(LONDON).date()


def start_of_london_day(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in London, as an aware datetime."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=LONDON)


@dataclass(slots=True)
class Occurrence:
    """One event of the case with its UTC time and London date worked out once (a value: never changed)."""

    event: Any
    at: dt.datetime  # in UTC
    date: dt.date  # in London
    index: int  # place in the input
    order: int  # place in time order, after same-time events are ordered
    type: str

    @property
    def ref(self) -> str:
        """How explanations name the event: its id, or its place in the input."""
        return self.event.id if self.event.id is not None else f"events[{self.index}]"


class CaseView:
    """The snapshot's facts and the events known at ``as_of``."""

    __slots__ = ("snapshot", "as_of", "as_of_date", "facts", "events", "by_type", "received_at", "received_date", "memo",
                 "dates")

    def __init__(self, snapshot: CaseSnapshot, as_of: dt.datetime) -> None:
        if as_of.tzinfo is None or as_of.utcoffset() is None:
            raise ValueError("as_of must carry a UTC offset")
        self.snapshot = snapshot
        self.as_of = as_of = as_of.astimezone(UTC)
        self.as_of_date = london_date(as_of)
        self.facts = snapshot.facts
        self.received_at = snapshot.received_at.astimezone(UTC)
        self.received_date = london_date(self.received_at)
        known = []
        for index, event in enumerate(snapshot.events):
            at = event.at.astimezone(UTC)
            if at <= as_of:
                known.append((at, event.type, event.id or "", index, event))
        known.sort(key=lambda row: row[:4])
        self.events = tuple(
            Occurrence(row[4], row[0], london_date(row[0]), row[3], order, row[1]) for order, row in enumerate(known)
        )
        self.dates = {occurrence.at: occurrence.date for occurrence in self.events}
        self.dates[self.received_at] = self.received_date
        by_type: dict[str, list[Occurrence]] = {}
        for occurrence in self.events:
            by_type.setdefault(occurrence.type, []).append(occurrence)
        self.by_type: dict[str, list[Occurrence]] = by_type
        # results that depend only on this case at this moment (named definitions, a rule version's gate),
        # keyed by the id of the compiled object, which outlives the evaluation
        self.memo: dict[int, object] = {}

    def date_of(self, moment: dt.datetime) -> dt.date:
        """The London date of ``moment``, looked up when it is the case's receipt or one of its events."""
        known = self.dates.get(moment)
        return known if known is not None else london_date(moment)
