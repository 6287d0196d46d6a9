"""A fast decoder for case records in bulk: msgspec structs built from the vocabulary, beside the pydantic model.

The pydantic snapshot model (``snapshot.py``) stays the public model, the source of the JSON Schema and the judge of
every record: this decoder only takes the records it can decode *exactly* as pydantic would, many times faster, and
hands every other record back (``decode`` returns None) for pydantic to accept or to reject with its error messages.
So the records accepted and refused are pydantic's, and the decoder must never accept a record pydantic refuses, nor
give a value pydantic would give differently: msgspec runs in strict mode (no coercion of strings to numbers, no
float to int), which accepts a subset of what pydantic's lax mode does, and ``tests/test_case_decoder.py`` checks
the two against each other on generated good and bad records, down to the evaluation.

The structs answer the same attribute names as the pydantic models (``case_id``, ``kind``, ``received_at``,
``facts.<fact>``, ``events[i].type``, ``.id``, ``.at``, ``.note`` and each event field), which is all the evaluator
reads.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, Optional, Union

import msgspec

from .daterange import day_in_range, in_range
from .model import FieldSpec, VocabularyFile

AwareDatetime = Annotated[dt.datetime, msgspec.Meta(tz=True)]
# seven digits after a point: perhaps a time finer than microseconds, which msgspec rounds and pydantic cuts short
# (a comma before the fraction msgspec refuses anyway); searching for this is fast, a fuller pattern is not
_TOO_FINE = re.compile(rb"\.[0-9]{7}")


# the msgspec type of each vocabulary field type (FieldSpec.python_type adds enums and ranges, as for pydantic)
FIELD_TYPES = {"string": str, "integer": int, "number": float, "boolean": bool, "date": dt.date,
               "datetime": AwareDatetime, "string_list": list[str]}


def _python_type(spec: FieldSpec) -> Any:
    return spec.python_type(FIELD_TYPES, lambda low, high: msgspec.Meta(ge=low, le=high))


def _field(name: str, spec: FieldSpec, *, required: bool) -> tuple[Any, ...]:
    if required:
        return (name, _python_type(spec))
    return (name, Optional[_python_type(spec)], None)


def _type_property(name: str) -> property:
    return property(lambda self: name, doc="The event type (the tag of the record).")


class CaseDecoder:
    """Decodes one case record from JSON bytes, or declines it (None) for the pydantic model to judge."""

    def __init__(self, vocabulary: VocabularyFile) -> None:
        facts = msgspec.defstruct(
            "CaseFacts", [_field(name, spec, required=False) for name, spec in vocabulary.facts.items()],
            forbid_unknown_fields=True, frozen=True)
        # fields holding dates or times: checked against the supported range of dates after decoding
        self._fact_dates = tuple(n for n, s in vocabulary.facts.items() if s.type in ("date", "datetime"))
        self._event_dates = {t: tuple(n for n, s in e.fields.items() if s.type in ("date", "datetime"))
                             for t, e in vocabulary.events.items()}
        events = []
        for type_name, event_spec in vocabulary.events.items():
            fields = [("at", AwareDatetime)]
            fields += [_field(n, s, required=True) for n, s in event_spec.fields.items() if s.required]
            fields += [("id", Optional[str], None), ("note", Optional[str], None)]
            fields += [_field(n, s, required=False) for n, s in event_spec.fields.items() if not s.required]
            events.append(msgspec.defstruct(
                "Event_" + type_name, fields, tag_field="type", tag=type_name, forbid_unknown_fields=True,
                frozen=True, namespace={"type": _type_property(type_name)}))
        event_union: Any = Union[tuple(events)] if len(events) > 1 else events[0]
        snapshot = msgspec.defstruct("CaseSnapshot", [
            ("case_id", Annotated[str, msgspec.Meta(min_length=1)]),
            ("kind", Literal[tuple(vocabulary.case_kinds)]),  # type: ignore[misc]
            ("received_at", AwareDatetime),
            ("facts", facts, msgspec.field(default_factory=facts)),
            ("events", list[event_union], msgspec.field(default_factory=list)),
        ], forbid_unknown_fields=True, frozen=True)
        self._decoder = msgspec.json.Decoder(snapshot, strict=True)

    def decode(self, payload: bytes) -> Any | None:
        """The record as structs, or None when the pydantic model must judge it (anything not plainly valid)."""
        if _TOO_FINE.search(payload):
            return None  # past microseconds, msgspec rounds a time where pydantic cuts it short
        try:
            record = self._decoder.decode(payload)
        except (msgspec.ValidationError, msgspec.DecodeError):
            return None
        if not self._dates_in_range(record):
            return None  # outside the supported range of dates: pydantic names the field
        ids = [event.id for event in record.events if event.id is not None]
        if len(ids) != len(set(ids)) or any(i.startswith("events[") for i in ids):
            return None  # an event id used twice, or one that may be another event's name: pydantic says
        return record

    def _dates_in_range(self, record: Any) -> bool:
        if not in_range(record.received_at):
            return False
        for name in self._fact_dates:
            if not _value_in_range(getattr(record.facts, name)):
                return False
        for event in record.events:
            if not in_range(event.at):
                return False
            for name in self._event_dates.get(event.type, ()):
                if not _value_in_range(getattr(event, name)):
                    return False
        return True


def _value_in_range(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, dt.datetime):
        return in_range(value)
    return day_in_range(value)
