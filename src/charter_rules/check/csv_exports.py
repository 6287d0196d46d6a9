"""Case exports as CSV: one row per event, the rows of a case next to each other (the layout in docs/batch.md).

Columns (any order; a header row is required):

* case columns: ``case_id``, ``kind``, ``received_at`` - the same on every row of a case (or left empty after the first);
* fact columns: ``fact.<name>`` for any fact of rules/vocabulary.yaml - likewise;
* event columns: ``event_id``, ``event_type``, ``event_at``, and ``field.<name>`` for event fields (``field.note`` for
  the free-text note). A case with no events is one row with the event columns empty.

An empty cell means "not recorded". Integers, numbers and booleans (``true`` / ``false``) are converted by the
vocabulary's type; lists (``string_list``) are separated by ``|``. Each case becomes the same JSON a JSON Lines export
would hold, so the rest of the pipeline does not know it came from CSV. A malformed row rejects its case with the
file, the line and the column at fault; a bad header rejects the file.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

import orjson

from ..model import FieldSpec, VocabularyFile
from .records import Item
from ..textsafe import csv_cell, csv_value

CASE_COLUMNS = ("case_id", "kind", "received_at")
EVENT_COLUMNS = ("event_id", "event_type", "event_at")
LIST_SEPARATOR = "|"


class _RowError(Exception):
    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(message)
        self.line, self.field, self.message = line, field, message


def _convert(value: str, spec: FieldSpec | None, line: int, column: str) -> Any:
    if spec is None:
        return value
    try:
        if spec.type == "integer":
            return int(value)
        if spec.type == "number":
            return float(value)
    except ValueError:
        raise _RowError(line, column, f"{value!r} is not a {'whole number' if spec.type == 'integer' else 'number'}") from None
    if spec.type == "boolean":
        lowered = value.strip().lower()
        if lowered not in ("true", "false"):
            raise _RowError(line, column, f"{value!r} is not true or false")
        return lowered == "true"
    if spec.type == "string_list":
        return [part for part in value.split(LIST_SEPARATOR) if part]
    return value


class CsvReader:
    """Reads the flat CSV layout against a vocabulary; an instance is a ``sources.CsvReader``."""

    def __init__(self, vocabulary: VocabularyFile) -> None:
        self.vocabulary = vocabulary

    def __call__(self, path: Path, handle: IO[bytes]) -> Iterator[Item]:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        try:
            yield from self._read(str(path), csv.reader(text))
        finally:
            text.detach()  # the caller owns the file and closes it

    def _read(self, source: str, reader: Any) -> Iterator[Item]:
        try:
            header = next(reader)
        except StopIteration:
            yield Item(source, 1, error="the CSV file is empty: it needs a header row")
            return
        except (csv.Error, UnicodeDecodeError) as exc:
            yield Item(source, 1, error=f"cannot read the CSV header: {exc}")
            return
        problem = self._check_header(header)
        if problem is not None:
            yield Item(source, 1, error=problem[1], field=problem[0])
            return
        yield from self._cases(source, header, reader)

    def _check_header(self, header: list[str]) -> tuple[str, str] | None:
        seen: set[str] = set()
        events = self.vocabulary.events
        known_fields = {name for spec in events.values() for name in spec.fields} | {"note"}
        for column in header:
            if column in seen:
                return column, f"column {column!r} appears twice in the header"
            seen.add(column)
            if column in CASE_COLUMNS or column in EVENT_COLUMNS:
                continue
            if column.startswith("fact."):
                if column[5:] not in self.vocabulary.facts:
                    return column, f"unknown fact {column[5:]!r}: add it to rules/vocabulary.yaml or drop the column"
                continue
            if column.startswith("field."):
                if column[6:] not in known_fields:
                    return column, f"no event type has a field {column[6:]!r}"
                continue
            return column, (f"unknown column {column!r}: use case_id, kind, received_at, event_id, event_type, "
                            "event_at, fact.<name> or field.<name>")
        missing = [c for c in CASE_COLUMNS if c not in seen]
        if missing:
            return missing[0], "the header has no " + ", ".join(repr(c) for c in missing) + " column"
        return None

    def _cases(self, source: str, header: list[str], reader: Any) -> Iterator[Item]:
        width = len(header)
        current: str | None = None
        rows: list[tuple[int, list[str]]] = []
        error: _RowError | None = None
        line = 1
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError) as exc:
                error = error or _RowError(start, "", f"malformed CSV: {exc}")
                continue
            line = start
            if not any(cell.strip() for cell in row):
                continue
            case_id = row[header.index("case_id")] if len(row) > header.index("case_id") else ""
            if case_id != current and (rows or error):
                yield self._item(source, header, rows, error, current)
                rows, error = [], None
            current = case_id
            if len(row) != width:
                error = error or _RowError(line, "", f"the row has {len(row)} cells, the header {width}")
                continue
            rows.append((line, row))
        if rows or error:
            yield self._item(source, header, rows, error, current)

    def _item(self, source: str, header: list[str], rows: list[tuple[int, list[str]]], error: _RowError | None,
              case_id: str | None) -> Item:
        first = rows[0][0] if rows else (error.line if error else None)
        if error is None:
            try:
                return Item(source, first, payload=orjson.dumps(self._case(header, rows)))
            except _RowError as exc:
                error = exc
        return Item(source, error.line, error=error.message, field=error.field or None, case_id=case_id or None)

    def _case(self, header: list[str], rows: list[tuple[int, list[str]]]) -> dict[str, Any]:
        vocab = self.vocabulary
        case: dict[str, Any] = {}
        facts: dict[str, Any] = {}
        events: list[dict[str, Any]] = []
        for line, row in rows:
            event: dict[str, Any] = {}
            for column, cell in zip(header, row):
                value = csv_value(cell)
                if column in EVENT_COLUMNS or column.startswith("field."):
                    if value != "":
                        event[column] = value
                    continue
                if value == "":
                    continue
                if column.startswith("fact."):
                    name = column[5:]
                    converted = _convert(value, vocab.facts.get(name), line, column)
                    target, key = facts, name
                else:
                    target, key, converted = case, column, value
                if key in target and target[key] != converted:
                    raise _RowError(line, column, f"{value!r} differs from {target[key]!r} on an earlier row of the "
                                                  "case; case and fact columns must agree on every row")
                target[key] = converted
            if event:
                events.append(self._event(event, line))
        if facts:
            case["facts"] = facts
        case["events"] = events
        return case

    def _event(self, cells: dict[str, str], line: int) -> dict[str, Any]:
        for column in ("event_type", "event_at"):
            if column not in cells:
                raise _RowError(line, column, f"the row has event details but no {column}")
        event_type = cells["event_type"]
        spec = self.vocabulary.events.get(event_type)
        event: dict[str, Any] = {"type": event_type, "at": cells["event_at"]}
        if "event_id" in cells:
            event["id"] = cells["event_id"]
        for column, value in cells.items():
            if column.startswith("field."):
                name = column[6:]
                field_spec = spec.fields.get(name) if spec is not None else None
                event[name] = _convert(value, field_spec, line, column)
        return event


def csv_header(vocabulary: VocabularyFile) -> list[str]:
    """Every column the vocabulary allows, in a stable order."""
    fields = sorted({name for spec in vocabulary.events.values() for name in spec.fields} | {"note"})
    return [*CASE_COLUMNS, *(f"fact.{f}" for f in vocabulary.facts), *EVENT_COLUMNS, *(f"field.{f}" for f in fields)]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return csv_cell(LIST_SEPARATOR.join(str(v) for v in value))
    if isinstance(value, str):
        return csv_cell(value)  # no spreadsheet formula from case data
    return str(value)


def write_csv(cases: Iterable[dict[str, Any]], handle: IO[bytes], vocabulary: VocabularyFile | None = None) -> None:
    """Write case snapshots (dicts) in the flat layout. Without a vocabulary, the bundled one is used."""
    if vocabulary is None:
        from .._api import default_rulebook

        vocabulary = default_rulebook().vocabulary
    header = csv_header(vocabulary)
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(header)
    for case in cases:
        facts = case.get("facts") or {}
        base = {"case_id": case.get("case_id"), "kind": case.get("kind"), "received_at": case.get("received_at"),
                **{f"fact.{k}": v for k, v in facts.items()}}
        events = case.get("events") or [{}]
        for event in events:
            row = dict(base)
            if event:
                row.update({"event_id": event.get("id"), "event_type": event.get("type"), "event_at": event.get("at")})
                row.update({f"field.{k}": v for k, v in event.items() if k not in ("id", "type", "at")})
            writer.writerow([_cell(row.get(column)) for column in header])
    text.detach()
