"""A case as the evaluator sees it at one moment: events up to the as-of moment, in a fixed order, by type.

Events after the as-of moment are left out. Events are ordered by time, then by type, then by id, then by their place
in the input, so two events with the same timestamp are always taken in the same order. Inside the evaluator every
instant is held in UTC (comparing instants with one time zone is several times faster than across zones); dates are
always London dates, and explanations show London time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from .snapshot import CaseSnapshot

LONDON = ZoneInfo("Europe/London")
UTC = dt.timezone.utc
_ORDER = itemgetter(0, 1, 2, 3)  # events in time order: time, type, id, place in the input


_OFFSETS: dict[dt.date, "dt.timedelta | None"] = {}  # UTC day -> London's offset all that day (None: it changes)


def london_date(moment: dt.datetime) -> dt.date:
    """The calendar date in London at ``moment`` (which must carry a UTC offset).

    London's offset is looked up once per UTC day (a few hundred days cover a typical export) and asked of the time
    zone database itself; on the two days a year the clocks change, the database answers every moment."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    day = moment.date()
    offset = _OFFSETS.get(day, False)
    if offset is False:
        offset = _OFFSETS[day] = _offset_all_day(day)
    if offset is None:
        return moment.astimezone(LONDON).date()
    return (moment + offset).date()


def _offset_all_day(day: dt.date) -> dt.timedelta | None:
    """London's UTC offset throughout the UTC day ``day``, or None if it changes during that day."""
    first = dt.datetime(day.year, day.month, day.day, tzinfo=UTC).astimezone(LONDON).utcoffset()
    last = dt.datetime(day.year, day.month, day.day, 23, 59, 59, 999999, tzinfo=UTC).astimezone(LONDON).utcoffset()
    return first if first == last else None


def in_utc(moment: dt.datetime) -> dt.datetime:
    """The same instant in UTC. Comparing two moments is many times faster when both carry the same time zone, so
    the evaluator compares in UTC and keeps London time for what it reports."""
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


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
                 "explain", "_dates", "_by_ref")

    def __init__(self, snapshot: CaseSnapshot, as_of: dt.datetime, *, explain: bool = True) -> None:
        if as_of.tzinfo is None or as_of.utcoffset() is None:
            raise ValueError("as_of must carry a UTC offset")
        self.snapshot = snapshot
        # False for bulk work: words that only an explanation shows are left out (see evaluator/verdicts.py)
        self.explain = explain
        self.as_of = as_of = as_of.astimezone(UTC)
        self.as_of_date = london_date(as_of)
        self.facts = snapshot.facts
        self.received_at = snapshot.received_at.astimezone(UTC)
        self.received_date = london_date(self.received_at)
        known = []
        for index, event in enumerate(snapshot.events):
            at = event.at
            if at.tzinfo is not UTC:
                at = at.astimezone(UTC)
            if at <= as_of:
                known.append((at, event.type, event.id or "", index, event))
        known.sort(key=_ORDER)  # the place in the input is unique, so the event itself is never compared
        by_type: dict[str, list[Occurrence]] = {}
        events = []
        for order, (at, event_type, _, index, event) in enumerate(known):
            occurrence = Occurrence(event, at, london_date(at), index, order, event_type)
            events.append(occurrence)
            found = by_type.get(event_type)
            if found is None:
                by_type[event_type] = [occurrence]
            else:
                found.append(occurrence)
        self.events = tuple(events)
        # the London dates of the case's own moments, by the identity of the moment (each is held by this view, so
        # no other object can share its id while the view lives): the evaluator asks for them over and over
        self._dates = {id(o.at): o.date for o in events}
        self._dates[id(self.received_at)] = self.received_date
        self._by_ref: dict[str, Occurrence] | None = None
        self.by_type: dict[str, list[Occurrence]] = by_type
        # results that depend only on this case at this moment (named definitions, a rule version's gate),
        # keyed by the id of the compiled object, which outlives the evaluation
        self.memo: dict[int, object] = {}

    def first_with_ref(self, ref: str) -> Occurrence:
        """The first event (in time order) that explanations name ``ref``."""
        by_ref = self._by_ref
        if by_ref is None:
            by_ref = self._by_ref = {}
            for occurrence in self.events:
                by_ref.setdefault(occurrence.ref, occurrence)
        return by_ref[ref]

    def date_of(self, moment: dt.datetime) -> dt.date:
        """The London date of ``moment``."""
        known = self._dates.get(id(moment))
        return known if known is not None else london_date(moment)
