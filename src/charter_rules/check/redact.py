"""Keep personal data out of reports and logs (``--redact``).

Personal data is what rules/vocabulary.yaml marks ``personal: true`` (names, contact details, officers), and the
free-text ``note`` of every event. Redaction works in two layers: reports are built without personal values in the
first place (a rejected record's message does not quote the value it refused; a case timeline shows personal fields
as ``[redacted]``), and every line written for a case is also scrubbed of that case's personal values, so a value
that turns up somewhere unexpected (a rule's wording, an event id) is still caught.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from ..model import VocabularyFile

REDACTED = "[redacted]"
FREE_TEXT_FIELDS = frozenset({"note"})
MIN_SCRUB_LENGTH = 3  # shorter values (a "Y", an initial) would blank out ordinary words


@dataclass(frozen=True)
class PersonalData:
    """The facts and event fields that hold personal data."""

    facts: frozenset[str]
    fields: frozenset[str]

    @classmethod
    def from_vocabulary(cls, vocabulary: VocabularyFile) -> "PersonalData":
        facts = frozenset(name for name, spec in vocabulary.facts.items() if spec.personal)
        fields = frozenset(
            name for event in vocabulary.events.values() for name, spec in event.fields.items() if spec.personal
        )
        return cls(facts, fields | FREE_TEXT_FIELDS)

    def values_in(self, data: Any) -> list[str]:
        """Every personal value in a raw case (a dict as exported), longest first."""
        found: set[str] = set()
        if not isinstance(data, dict):
            return []
        facts = data.get("facts")
        if isinstance(facts, dict):
            for name in self.facts:
                _collect(facts.get(name), found)
        events = data.get("events")
        if isinstance(events, list):
            for event in events:
                if isinstance(event, dict):
                    for name in self.fields:
                        _collect(event.get(name), found)
        return sorted((v for v in found if len(v) >= MIN_SCRUB_LENGTH), key=lambda v: (-len(v), v))

    def scrub(self, text: str, values: list[str]) -> str:
        """Scrub plain text (a sentence of the work queue, an explanation in a comparison)."""
        for value in values:
            if value in text:
                text = text.replace(value, REDACTED)
        return text

    def scrub_bytes(self, line: bytes, values: list[str]) -> bytes:
        """Scrub a JSON line: values are looked for as they appear once encoded (escapes and all)."""
        for value in values:
            encoded = orjson.dumps(value)[1:-1]
            if encoded in line:
                line = line.replace(encoded, REDACTED.encode())
        return line

    def is_personal_fact(self, name: str) -> bool:
        return name in self.facts

    def is_personal_field(self, name: str) -> bool:
        return name in self.fields


def _collect(value: Any, found: set[str]) -> None:
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, list):
        for item in value:
            _collect(item, found)
        return
    found.add(str(value))
