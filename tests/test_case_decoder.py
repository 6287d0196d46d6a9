"""The fast case decoder (msgspec) against the pydantic snapshot model, on generated good and bad records.

The decoder may decline any record (pydantic then judges it), but a record it accepts must be one pydantic accepts,
with the same values, giving the same evaluation. Since ``check`` hands every declined record to pydantic, the
records accepted and refused are exactly pydantic's.
"""

from __future__ import annotations

import datetime as dt

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from charter_rules import default_rulebook, evaluate
from charter_rules.case_decoder import CaseDecoder

AS_OF = dt.datetime(2026, 6, 30, 23, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def decoder(book):
    return CaseDecoder(book.vocabulary)


# --- values, good and bad ---------------------------------------------------------------------------------------

good_timestamps = st.builds(
    lambda d, offset, frac, z: (d.replace(microsecond=0) + dt.timedelta(microseconds=frac)).replace(
        tzinfo=dt.timezone(dt.timedelta(minutes=offset))).isoformat().replace("+00:00", "Z" if z else "+00:00"),
    st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2027, 12, 31)),
    st.sampled_from([0, 0, 60, -300, 330, -720, 840]), st.sampled_from([0, 0, 500000, 123456, 1]), st.booleans())
offsets = st.sampled_from(["Z", "z", "+00:00", "+01:00", "-05:30", "+14:00", "+23:59", "+24:00", "", "+0100", "+01"])
timestamps = st.one_of(
    good_timestamps,
    st.builds(lambda d, sep, frac, off: d.strftime(f"%Y-%m-%d{sep}%H:%M:%S") + frac + off,
              st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2035, 12, 31)),
              st.sampled_from(["T", "t", " ", "_"]),
              st.sampled_from(["", ".5", ".123456", ".1234567", ".000000001", ",5"]), offsets),
    st.sampled_from(["2026-03-02T09:15+00:00", "2026-03-02T24:00:00Z", "2026-02-29T09:00:00Z", "2026-03-02T09:15:60Z",
                     "2026-03-02", "2026-W10-1T09:00:00Z", "20260302T091500Z", "2026-03-02T09:15:00.Z",
                     "2026-03-02T09:15:00+01:00:30", "2026-03-02T09:15:00-00:00", " 2026-03-02T09:15:00Z",
                     "2026-3-2T09:15:00Z", "+2026-03-02T09:15:00Z"]),
    st.integers(-10**10, 10**10), st.floats(allow_nan=True), st.none(), st.text(max_size=12),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**63, 2**63 - 1), st.floats(allow_nan=False),
                    st.sampled_from([0.0, 3.0, -1.0, 1e308, 17.5, 1e-7]), st.text(max_size=8),
                    st.sampled_from(["3", "3.0", "true", "1", "", "2026-03-02", "burglary", "arrest", "yes"]),
                    st.lists(st.text(max_size=4), max_size=3), st.just({"a": 1}), st.just([1, "x"]))


def _good_value(spec):
    if spec.enum:
        return st.sampled_from(spec.enum)
    low = spec.minimum if spec.minimum is not None else -1000
    high = spec.maximum if spec.maximum is not None else 1000
    return {
        "string": st.text(max_size=10),
        "integer": st.integers(low, high),
        "number": st.one_of(st.integers(low, high), st.floats(low, high, allow_nan=False)),
        "boolean": st.booleans(),
        "date": st.dates(dt.date(2000, 1, 1), dt.date(2035, 1, 1)).map(dt.date.isoformat),
        "datetime": good_timestamps,
        "string_list": st.lists(st.text(max_size=5), max_size=3),
    }[spec.type]


@st.composite
def records(draw, vocabulary):
    """A case record: mostly well formed, with a chance of each kind of fault."""
    bad = draw(st.integers(0, 2)) == 0
    maybe = (lambda good: st.one_of(good, scalars) if bad else good)  # noqa: E731
    facts = {}
    for name, spec in vocabulary.facts.items():
        if draw(st.booleans()):
            facts[name] = draw(maybe(_good_value(spec)))
    events = []
    for index in range(draw(st.integers(0, 6))):
        type_name = draw(st.sampled_from(sorted(vocabulary.events)) if not bad or draw(st.booleans())
                         else st.text(max_size=6))
        event = {"type": type_name, "at": draw(timestamps if bad else good_timestamps)}
        if draw(st.booleans()):
            event["id"] = draw(maybe(st.sampled_from(["e1", "e2", "e3", f"x{index}"])))
        if draw(st.integers(0, 5)) == 0:
            event["note"] = draw(maybe(st.text(max_size=5)))
        for name, spec in (vocabulary.events[type_name].fields.items() if type_name in vocabulary.events else ()):
            if spec.required or draw(st.booleans()):
                event[name] = draw(maybe(_good_value(spec)))
        if bad and draw(st.integers(0, 8)) == 0:
            event[draw(st.sampled_from(["extra", "at", "typ"]))] = draw(scalars)
        events.append(event)
    record = {"case_id": draw(maybe(st.sampled_from(["C-1", "x", "CR-000123"]))),
              "kind": draw(maybe(st.sampled_from(sorted(vocabulary.case_kinds)))),
              "received_at": draw(timestamps if bad else good_timestamps), "facts": facts, "events": events}
    if bad:
        for key in draw(st.lists(st.sampled_from(["case_id", "kind", "received_at", "facts", "events"]), max_size=2)):
            if draw(st.booleans()):
                record.pop(key, None)
            else:
                record[key] = draw(scalars)
        if draw(st.integers(0, 6)) == 0:
            record["extra"] = 1
    return record


# --- comparison -------------------------------------------------------------------------------------------------


def _same(fast, slow) -> None:
    """Every value the evaluator can read is equal, of the same type, with the same UTC offset."""
    def same_value(a, b, where):
        assert type(a) is type(b), where
        assert a == b, where
        if isinstance(a, dt.datetime):
            assert a.utcoffset() == b.utcoffset(), where

    for name in ("case_id", "kind", "received_at"):
        same_value(getattr(fast, name), getattr(slow, name), name)
    for name in type(slow.facts).model_fields:
        same_value(getattr(fast.facts, name), getattr(slow.facts, name), f"facts.{name}")
    assert len(fast.events) == len(slow.events)
    for index, (a, b) in enumerate(zip(fast.events, slow.events)):
        for name in type(b).model_fields:
            same_value(getattr(a, name), getattr(b, name), f"events[{index}].{name}")


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(record=records(default_rulebook().vocabulary))
def test_the_decoder_accepts_only_what_pydantic_accepts_with_the_same_values(book, decoder, record):
    payload = orjson.dumps(record)
    fast = decoder.decode(payload)
    try:
        slow = book.snapshot_model.model_validate_json(payload)
    except ValidationError:
        slow = None
    if fast is None:
        return
    assert slow is not None, f"the decoder accepted a record pydantic refuses: {payload!r}"
    _same(fast, slow)
    assert evaluate(book, fast, as_of=AS_OF) == evaluate(book, slow, as_of=AS_OF)


def test_the_decoder_takes_the_bulk_of_good_records(book, decoder):
    """Not a speed test: the fast path must actually be used on ordinary records (examples and a synthetic mix)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import generate

    lines = list(generate.generate(400, seed=3))
    valid = [line for line in lines if _valid(book, line)]
    taken = [line for line in valid if decoder.decode(line) is not None]
    assert len(taken) == len(valid) > 300


def _valid(book, line: bytes) -> bool:
    try:
        book.snapshot_model.model_validate_json(line)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("payload", [
    b'{"case_id": "C", "kind": "crime_report", "received_at": "2026-03-02T09:15:00"}',  # no offset
    b'{"case_id": "", "kind": "crime_report", "received_at": "2026-03-02T09:15:00Z"}',
    b'{"case_id": "C", "kind": "crime_report", "received_at": "2026-03-02T09:15:00Z", "x": 1}',
    b'{"case_id": "C", "kind": "crime_report", "received_at": "2026-03-02T09:15:00Z", "facts": null}',
    b'{"case_id": "C", "kind": "crime_report", "received_at": "2026-03-02T09:15:00Z", "events": '
    b'[{"type": "reference_number_issued", "at": "2026-03-02T09:20:00Z", "id": "e1", "reference": "R"},'
    b' {"type": "reference_number_issued", "at": "2026-03-02T09:21:00Z", "id": "e1", "reference": "R"}]}',
    b'{"case_id": "C", "kind": "crime_report", "received_at": "2026-03-02T09:15:00Z", "facts": '
    b'{"victim_age_at_offence": "40"}}',
    b'{"case_id": "C", "kind": "crime_report", "received_at": "2026-03-02T09:15:00Z", "facts": '
    b'{"victim_age_at_offence": 40.0}}',
    b'{"case_id": "C"',
])
def test_records_the_decoder_leaves_to_pydantic(decoder, payload):
    assert decoder.decode(payload) is None
