"""The JSON Lines protocol of ``charter-rules watch``: case records, events and ticks in; transitions out.

Each input line is one JSON object:

* a case record: ``{"case_id": "CR-1", "kind": "crime_report", "received_at": "...", "facts": {...}}``
  (a record for a case already held updates its facts);
* an event: ``{"case_id": "CR-1", "event": {"id": "e1", "type": "suspect_arrested", "at": "...", ...}}``;
* a tick: ``{"tick": "2026-04-08T09:00:00+01:00"}``.

The clock moves forward with the stream: before an event (or a case received) later than the clock, and for a
tick line, the monitor ticks through every wake time up to that moment, as a scheduler calling ``tick`` at
``next_wake()`` would, so every deadline that passed in between is reported at its own moment, in time order. Output lines are
the transitions, each followed by the escalations it caused. A bad line is reported (with its number) and skipped;
it never stops the stream.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import IO, Any, Callable, Iterable, Iterator

import orjson

from ..daterange import RANGE_TEXT, in_range
from ..errors import CharterRulesError, MonitorError
from ..inputlimits import MAX_RECORD_BYTES, InputTooLarge, strip_bom, too_long
from ..snapshot import parse_snapshot
from .monitor import Monitor, Update


@dataclass
class StreamSummary:
    lines: int = 0
    bad: int = 0
    duplicates: int = 0
    transitions: int = 0
    escalations: int = 0
    replayed: int = 0  # lines at or before the clock the store was resumed at: already recorded, nothing to do


def _moment(text: Any, what: str) -> dt.datetime:
    if not isinstance(text, str):
        raise MonitorError(f"{what} must be a timestamp string with a UTC offset")
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise MonitorError(f"{what} {text!r} is not a timestamp (e.g. 2026-04-08T09:00:00+01:00)") from None
    if moment.tzinfo is None:
        raise MonitorError(f"{what} {text!r} has no UTC offset; add one, e.g. +01:00 or Z")
    if not in_range(moment):
        raise MonitorError(f"{what} {text!r} is outside the supported range of dates, {RANGE_TEXT}")
    return moment


def advance(monitor: Monitor, moment: dt.datetime, emit: Callable[[Update], None]) -> None:
    """Move the clock to ``moment`` through every wake time on the way, as a scheduler calling ``tick`` at
    ``next_wake()`` would: each change is reported at its own moment, none is folded into a later one."""
    while True:
        wake = monitor.next_wake()
        clock = monitor.clock
        if wake is None or wake >= moment:
            break
        emit(monitor.tick(wake if clock is None or wake > clock else clock))
    clock = monitor.clock
    if clock is None or moment > clock:
        emit(monitor.tick(moment))


def handle_line(monitor: Monitor, data: Any, emit: Callable[[Update], None]) -> Update | None:
    """Apply one decoded line. Returns the update it made (None for a tick, which is emitted directly)."""
    if not isinstance(data, dict):
        raise MonitorError("a line must be a JSON object: a case record, an event or a tick")
    if "tick" in data:
        if set(data) != {"tick"}:
            raise MonitorError("a tick line holds only 'tick'")
        moment = _moment(data["tick"], "tick")
        clock = monitor.clock
        if clock is not None and moment < clock:
            raise MonitorError(f"the clock cannot go back: it is already {clock.isoformat()}")
        advance(monitor, moment, emit)
        return None
    if "event" in data:
        if set(data) != {"case_id", "event"}:
            raise MonitorError("an event line holds 'case_id' and 'event' only")
        case_id, event = data["case_id"], data["event"]
        if not isinstance(case_id, str):
            raise MonitorError("'case_id' must be a string")
        validated = monitor.validate_event(case_id, event)
        advance(monitor, validated.at, emit)
        return monitor.post(case_id, event)
    if "case_id" in data:
        record = parse_snapshot(data, monitor.book.snapshot_model, source="case record")
        advance(monitor, record.received_at, emit)
        return monitor.put_case(data)
    raise MonitorError("unknown line: expected a case record (case_id, kind, ...), an event ({case_id, event}) "
                       "or a tick ({tick})")


def bounded_lines(handle: IO[bytes], max_bytes: int = MAX_RECORD_BYTES) -> Iterator[bytes | InputTooLarge]:
    """The lines of a stream; a line longer than ``max_bytes`` comes out as an InputTooLarge (its bytes are read
    and dropped, so memory stays bounded), for ``run_stream`` to report with its number."""
    first = True
    while True:
        line = handle.readline(max_bytes + 1)
        if not line:
            return
        if first:
            line, first = strip_bom(line), False  # type: ignore[assignment]
        if len(line) <= max_bytes or line.endswith(b"\n"):
            yield line
            continue
        while line and not line.endswith(b"\n"):  # the rest of the long line
            line = handle.readline(max_bytes)
        yield InputTooLarge(too_long(max_bytes))


def run_stream(lines: Iterable[str | bytes | InputTooLarge], monitor: Monitor, write: Callable[[dict[str, Any]], None],
               report: Callable[[str], None]) -> StreamSummary:
    """Feed a JSON Lines stream to ``monitor``; ``write`` gets output records, ``report`` problems and notes."""
    summary = StreamSummary()

    def emit(update: Update) -> None:
        for text in update.warnings:
            report(f"warning: {text}")
        for record in update.records():
            write(record)
        summary.transitions += len(update.transitions)
        summary.escalations += len(update.notifications)

    resumed_at = monitor.clock  # a store resumed: lines up to its clock may be a replay of what it recorded
    for number, line in enumerate(lines, 1):
        summary.lines = number
        if isinstance(line, InputTooLarge):
            summary.bad += 1
            report(f"line {number}: {line}")
            continue
        if not line.strip():
            continue
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            summary.bad += 1
            report(f"line {number}: not JSON: {exc}")
            continue
        if resumed_at is not None and _replayed_tick(data, resumed_at):
            summary.replayed += 1
            continue
        try:
            update = handle_line(monitor, data, emit)
        except CharterRulesError as exc:
            summary.bad += 1
            report(f"line {number}: {type(exc).__name__}: {exc}")
            continue
        if update is None:
            continue
        if update.duplicate:
            summary.duplicates += 1
            if resumed_at is not None and _moment_of(data) is not None and _moment_of(data) <= resumed_at:
                summary.replayed += 1
                continue
            what = f"event {data['event'].get('id')!r}" if "event" in data else "case record"
            report(f"line {number}: note: {what} of case {data.get('case_id')!r} was already recorded; nothing changed")
        emit(update)
    if summary.replayed:
        report(f"note: {summary.replayed} line(s) up to {resumed_at.isoformat() if resumed_at else '-'} were already "
               "recorded in the store (a replay); nothing changed")
    return summary


def _replayed_tick(data: Any, resumed_at: dt.datetime) -> bool:
    """A tick at or before the clock the store was resumed at: time the monitor has already been through."""
    if not isinstance(data, dict) or set(data) != {"tick"}:
        return False
    moment = _moment_of(data)
    return moment is not None and moment <= resumed_at


def _moment_of(data: dict[str, Any]) -> dt.datetime | None:
    """The moment a line speaks of (a tick, an event's time, a case's receipt), or None if it has none readable."""
    if "tick" in data:
        text = data["tick"]
    elif isinstance(data.get("event"), dict):
        text = data["event"].get("at")
    else:
        text = data.get("received_at")
    try:
        return _moment(text, "moment")
    except CharterRulesError:
        return None
