"""Hypothesis strategies for event streams, generated from the rule book's own vocabulary.

A stream is a list of operations: case records (and, sometimes, a later record updating a case's facts), events
in shuffled order (so many arrive out of time order), exact repeats of events, and ticks at random moments. Events
come mostly from the types the bundled rules and escalations react to, and sometimes from any type of the
vocabulary, so a rule added to the book is exercised too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

import charter_rules
from charter_rules import CharterRulesError, Monitor
from charter_rules.live.transitions import iso_utc

BASE = dt.datetime(2026, 3, 16, tzinfo=dt.timezone.utc)  # a Monday; the window spans Easter 2026
BST = dt.timezone(dt.timedelta(hours=1))
QUARTERS = 8 * 7 * 24 * 4  # eight weeks in quarter hours

FOCUS = (
    "suspect_arrested", "victim_informed", "referred_to_victim_support", "victim_opted_out_of_referral",
    "victim_updated", "investigation_status_changed", "foi_response_sent", "foi_fees_notice_given",
    "foi_fee_received", "foi_clarification_sought", "foi_clarification_received",
    "foi_public_interest_extension_notified",
)
KINDS = ("crime_report", "foi_request")


def moments(limit: int = QUARTERS) -> st.SearchStrategy[dt.datetime]:
    """Moments on the quarter hour, written with a UTC or a +01:00 offset (the same instant either way)."""
    return st.builds(lambda q, tz: (BASE + dt.timedelta(minutes=15 * q)).astimezone(tz),
                     st.integers(0, limit), st.sampled_from([dt.timezone.utc, BST]))


def _value(spec: Any) -> st.SearchStrategy[Any]:
    if spec.enum:
        return st.sampled_from(list(spec.enum))
    if spec.type == "boolean":
        return st.booleans()
    if spec.type in ("integer", "number"):
        low = int(spec.minimum) if spec.minimum is not None else 0
        high = int(spec.maximum) if spec.maximum is not None else low + 40
        return st.integers(low, min(high, low + 40))
    if spec.type == "date":
        return st.dates(dt.date(2026, 3, 1), dt.date(2026, 7, 31)).map(dt.date.isoformat)
    if spec.type == "datetime":
        return moments().map(dt.datetime.isoformat)
    if spec.type == "string_list":
        return st.lists(st.sampled_from(["S1", "S2", "x"]), max_size=2)
    return st.sampled_from(["S1", "S2", "S3"])


def facts(book: charter_rules.CompiledRulebook) -> st.SearchStrategy[dict[str, Any]]:
    specs = book.rulebook.vocabulary.facts
    optional = st.fixed_dictionaries({}, optional={name: _value(spec) for name, spec in specs.items()})
    enhanced = st.just({"offence_category": "domestic_abuse", "victim_age_at_offence": 30, "victim_is_business": False})
    plain = st.just({"offence_category": "burglary", "victim_age_at_offence": 45, "victim_vulnerable": False,
                     "victim_intimidated": False, "victim_persistently_targeted": False, "bereaved_family": False,
                     "victim_is_business": False})
    return st.one_of(enhanced, plain, optional)


@st.composite
def events(draw: Any, book: charter_rules.CompiledRulebook, case_id: str, count: int) -> list[dict[str, Any]]:
    vocabulary = book.rulebook.vocabulary.events
    focus = [t for t in FOCUS if t in vocabulary]
    out = []
    for index in range(count):
        kind = draw(st.one_of(st.sampled_from(focus), st.sampled_from(sorted(vocabulary))))
        event: dict[str, Any] = {"id": f"{case_id}-e{index}", "type": kind, "at": draw(moments()).isoformat()}
        for name, spec in vocabulary[kind].fields.items():
            if spec.required or draw(st.booleans()):
                event[name] = draw(_value(spec))
        out.append(event)
    return out


@st.composite
def streams(draw: Any, book: charter_rules.CompiledRulebook, max_cases: int = 3,
            max_events: int = 8) -> list[tuple[Any, ...]]:
    """Operations: ("case", record) | ("event", case_id, event) | ("tick", moment)."""
    kinds = sorted(book.rulebook.vocabulary.case_kinds)
    ops: list[tuple[Any, ...]] = []
    later: list[tuple[Any, ...]] = []
    for number in range(draw(st.integers(1, max_cases))):
        case_id = f"C{number}"
        kind = draw(st.one_of(st.sampled_from([k for k in KINDS if k in kinds]), st.sampled_from(kinds)))
        record = {"case_id": case_id, "kind": kind, "received_at": draw(moments(QUARTERS // 3)).isoformat(),
                  "facts": draw(facts(book))}
        ops.append(("case", record))
        for event in draw(events(book, case_id, draw(st.integers(0, max_events)))):
            later.append(("event", case_id, event))
        if draw(st.integers(0, 4)) == 0:
            later.append(("case", dict(record, facts=draw(facts(book)))))
    for op in draw(st.lists(st.sampled_from(later), max_size=4)) if later else []:
        later.append(op)  # exact repeats
    later += [("tick", m) for m in draw(st.lists(moments(), max_size=4))]
    ops += draw(st.permutations(later))
    return ops


def run(monitor: Monitor, ops: list[tuple[Any, ...]]) -> tuple[list[dict[str, Any]], list[tuple[Any, ...]]]:
    """Apply a stream; returns the output records and the operations the monitor accepted."""
    records: list[dict[str, Any]] = []
    accepted: list[tuple[Any, ...]] = []
    for op in ops:
        try:
            if op[0] == "case":
                update = monitor.put_case(op[1])
            elif op[0] == "event":
                update = monitor.post(op[1], op[2])
            else:
                clock = monitor.clock
                update = monitor.tick(op[1] if clock is None or op[1] > clock else clock)
        except CharterRulesError as exc:  # e.g. two variants of a rule that disagree for generated facts
            records.append({"type": "rejected", "op": repr(op), "error": type(exc).__name__})
            continue
        accepted.append(op)
        records.extend(update.records())
    return records, accepted


def latest_moment(ops: list[tuple[Any, ...]]) -> dt.datetime:
    moments_seen = []
    for op in ops:
        if op[0] == "case":
            moments_seen.append(dt.datetime.fromisoformat(op[1]["received_at"]))
        elif op[0] == "event":
            moments_seen.append(dt.datetime.fromisoformat(op[2]["at"]))
        else:
            moments_seen.append(op[1])
    return max(moments_seen)


def final_snapshots(accepted: list[tuple[Any, ...]]) -> dict[str, dict[str, Any]]:
    """Each case as a batch export would hold it at the end: its latest record and every distinct event."""
    cases: dict[str, dict[str, Any]] = {}
    for op in accepted:
        if op[0] == "case":
            events_so_far = cases.get(op[1]["case_id"], {}).get("events", [])
            cases[op[1]["case_id"]] = dict(op[1], events=events_so_far)
        elif op[0] == "event":
            events_so_far = cases[op[1]]["events"]
            if all(e["id"] != op[2]["id"] for e in events_so_far):
                events_so_far.append(op[2])
    return cases


def comparable(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Output records with instants in one spelling (stores keep UTC; inputs may use +01:00)."""
    out = []
    for record in records:
        record = dict(record)
        for key in ("at", "observed_at", "late_from"):
            if isinstance(record.get(key), str):
                record[key] = iso_utc(dt.datetime.fromisoformat(record[key]))
        out.append(record)
    return out
