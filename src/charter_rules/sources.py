"""Read case snapshots from export files, one record at a time, remembering where each came from.

Accepted: ``.json`` (one snapshot or an array of them), ``.jsonl`` / ``.ndjson`` (one per line), either of them
gzip-compressed (``.gz``), and folders of such files (read in name order). A record that cannot be read is passed
on as a ``RawRecord`` with its error, never dropped, so totals always add up.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import orjson

SUFFIXES = (".json", ".jsonl", ".ndjson")


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record of an export: its data (or the reason it could not be read) and where it was."""

    source: str
    line: int | None  # 1-based line for JSON Lines; None for a whole-file JSON document
    data: Any = None
    error: str | None = None

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return "lines" if suffix != ".json" else "json"
    return None


def _open(path: Path) -> Any:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")


def expand_paths(paths: Iterable[Path | str]) -> Iterator[Path | RawRecord]:
    """Files to read, in a stable order; a path that does not exist comes back as an error record."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and _kind(p)):
                yield child
        elif path.is_file():
            yield path
        else:
            yield RawRecord(str(path), None, error="no such file or folder")


def read_records(paths: Iterable[Path | str]) -> Iterator[RawRecord]:
    """Every record of every file, streamed: memory stays flat however large a JSON Lines export is."""
    for item in expand_paths(paths):
        if isinstance(item, RawRecord):
            yield item
            continue
        kind = _kind(item)
        if kind is None:
            yield RawRecord(str(item), None, error="unknown file type; use .json, .jsonl or .ndjson (optionally .gz)")
            continue
        try:
            if kind == "lines":
                yield from _read_lines(item)
            else:
                yield from _read_json(item)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            yield RawRecord(str(item), None, error=f"cannot read file: {exc}")


def _read_lines(path: Path) -> Iterator[RawRecord]:
    with _open(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield RawRecord(str(path), number, orjson.loads(line))
            except orjson.JSONDecodeError as exc:
                yield RawRecord(str(path), number, error=f"not valid JSON: {exc}")


def _read_json(path: Path) -> Iterator[RawRecord]:
    with _open(path) as handle:
        text = handle.read()
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        yield RawRecord(str(path), None, error=f"not valid JSON: {exc}")
        return
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield RawRecord(f"{path}[{index}]", None, item)
    else:
        yield RawRecord(str(path), None, data)
