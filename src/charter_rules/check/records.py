"""What reading an export yields: records split apart (or the reason one could not be read), in chunks, each
remembering the file and line it came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

BLOCK_BYTES = 1 << 18  # read this much at a time: about 256 KiB of whole lines (small buffers keep memory flat)


@dataclass(frozen=True, slots=True)
class Item:
    """One record split out of a file: its JSON text, or the reason it could not be read."""

    source: str
    line: int | None  # 1-based line where the record starts; None when the whole file is the record
    payload: bytes | None = None
    error: str | None = None
    field: str | None = None  # the field at fault, for an error found while reading (CSV)
    case_id: str | None = None  # known when the error was found after reading the case id (CSV)


@dataclass(frozen=True, slots=True)
class LinesChunk:
    """Whole lines of a JSON Lines file: ``data`` starts at line ``first_line`` and ends with a newline."""

    source: str
    first_line: int
    data: bytes


@dataclass(frozen=True, slots=True)
class ItemsChunk:
    """Records already split apart (JSON arrays, CSV, one-case files, unreadable files)."""

    items: tuple[Item, ...]


Chunk = LinesChunk | ItemsChunk


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record of an export, parsed: its data (or the reason it could not be read) and where it was."""

    source: str
    line: int | None
    data: Any = None
    error: str | None = None

    @property
    def where(self) -> str:
        return where_text(self.source, self.line)


def where_text(source: str, line: int | None) -> str:
    return f"{source}:{line}" if line is not None else source
