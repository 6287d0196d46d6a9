"""Read case snapshots from export files as a stream of chunks, remembering where every record came from.

Accepted: ``.jsonl`` / ``.ndjson`` (one snapshot a line), ``.json`` (one snapshot, or an array of them), ``.csv``
(the flat layout of docs/batch.md, one row per event), any of them gzip-compressed (``.gz``), and folders of such
files (read in name order). Nothing is parsed here beyond what is needed to split records apart: the records travel
as bytes to whoever validates them, so a process pool never pickles a Python object per case. Memory stays flat
however large the export: files are read in blocks, and a JSON array is split element by element without loading it
(``json_arrays.py``). The records and chunks themselves are in ``records.py``.

A record that cannot be read (a file that does not exist, an unterminated array, a malformed CSV row) is passed on as
an :class:`Item` carrying its error, never dropped, so totals always add up.
"""

from __future__ import annotations

import gzip
import stat
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

import orjson

from ..wording import json_error_text
from ..inputlimits import BOM, MAX_RECORD_BYTES, InputTooLarge, bounded, too_long
from .json_arrays import json_items
from .records import BLOCK_BYTES, Chunk, Item, ItemsChunk, LinesChunk, RawRecord, where_text

__all__ = ["Chunk", "FilePart", "Item", "ItemsChunk", "LinesChunk", "RawRecord", "plan_parts", "read_chunks",
           "read_part", "read_records", "split_lines", "total_bytes", "where_text"]

SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv")
RECORDS_PER_CHUNK = 250  # a chunk of records split out of JSON arrays, CSV files or single-case files


def file_kind(path: Path) -> str | None:
    """``lines``, ``json`` or ``csv`` from the file name (``.gz`` looked through), or None if not an export."""
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".json"):
        return "json"
    if name.endswith((".jsonl", ".ndjson")):
        return "lines"
    return None


def open_binary(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")  # type: ignore[return-value]


def expand_paths(paths: Iterable[Path | str]) -> Iterator[Path | Item]:
    """Files to read, in a stable order; a path that does not exist, or cannot be read as a file, comes back as an
    error item. In a folder, every entry named like an export is either read or reported (a pipe, a socket, a
    symbolic link that loops or leads nowhere); entries named otherwise are not exports and are left alone."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for entry in sorted(p for p in path.rglob("*") if file_kind(p)):
                found = _regular_file(entry, in_folder=True)
                if found is not None:
                    yield found
        else:
            found = _regular_file(path, in_folder=False)
            if found is not None:
                yield found


def _regular_file(path: Path, *, in_folder: bool) -> Path | Item | None:
    """``path`` if it is a regular file; an error item if it cannot be read as one; None for a folder in a folder."""
    try:
        mode = path.stat().st_mode  # follows symbolic links
    except OSError as exc:
        if not in_folder and not path.is_symlink():
            return Item(str(path), None, error="no such file or folder")
        return Item(str(path), None, error=f"cannot be read: {exc.strerror or exc} (a symbolic link that loops or "
                                            "leads nowhere?)")
    if stat.S_ISREG(mode):
        return path
    if stat.S_ISDIR(mode):
        return None
    return Item(str(path), None, error="not a regular file (a pipe, socket or device): not read; save the export "
                                       "to a file first")


def total_bytes(paths: Iterable[Path | str]) -> int:
    """The size on disk of every file an export would read (for a progress bar)."""
    return sum(p.stat().st_size for p in expand_paths(paths) if isinstance(p, Path))


CsvReader = Callable[[Path, IO[bytes]], Iterator[Item]]


def read_chunks(paths: Iterable[Path | str], *, csv_reader: CsvReader | None = None,
                on_bytes: Callable[[int], None] | None = None,
                max_record_bytes: int = MAX_RECORD_BYTES) -> Iterator[Chunk]:
    """Every record of every file, in input order, in chunks. ``on_bytes`` hears how many bytes were read.

    A record longer than ``max_record_bytes``, and a gzip file that expands like a decompression bomb, are
    rejected with where they are (``inputlimits.py``)."""
    pending: list[Item] = []
    for entry in expand_paths(paths):
        if isinstance(entry, Item):
            pending.append(entry)
            continue
        kind = file_kind(entry)
        if kind is None:
            pending.append(Item(str(entry), None,
                                error="unknown file type; use .json, .jsonl, .ndjson or .csv (optionally .gz)"))
            continue
        if pending and (kind == "lines" or len(pending) >= RECORDS_PER_CHUNK):
            yield ItemsChunk(tuple(pending))
            pending = []
        source = str(entry)
        try:
            with open_binary(entry) as opened:
                handle = bounded(opened, max_line=max_record_bytes if kind == "csv" else None)
                if kind == "lines":
                    yield from _line_chunks(source, handle, on_bytes, max_record=max_record_bytes)
                    continue
                if kind == "csv":
                    if csv_reader is None:
                        raise ValueError("CSV input needs the rule book's vocabulary")
                    items: Iterator[Item] = csv_reader(entry, handle)  # type: ignore[arg-type]
                else:
                    items = json_items(source, handle, max_record_bytes, BLOCK_BYTES)  # type: ignore[arg-type]
                for item in items:
                    pending.append(item)
                    if len(pending) >= RECORDS_PER_CHUNK:
                        yield ItemsChunk(tuple(pending))
                        pending = []
        except InputTooLarge as exc:
            pending.append(Item(source, exc.line, error=str(exc)))
        except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
            pending.append(Item(source, None, error=f"cannot read file: {exc}"))
        finally:
            if on_bytes is not None and kind != "lines":
                on_bytes(entry.stat().st_size)
    if pending:
        yield ItemsChunk(tuple(pending))


def _line_chunks(source: str, handle: IO[bytes], on_bytes: Callable[[int], None] | None, *, first_line: int = 1,
                 limit: int | None = None, max_record: int = MAX_RECORD_BYTES) -> Iterator[Chunk]:
    """Whole lines in blocks of about BLOCK_BYTES (up to ``limit`` bytes from where the handle is).

    A line longer than ``max_record`` comes out as a one-item chunk carrying its rejection; its bytes are dropped as
    they are read, so memory stays bounded and time linear however long it is."""
    raw = getattr(handle, "fileobj", None) or handle  # for gzip, progress follows the compressed bytes
    line = first_line
    pieces: list[bytes] = []  # the start of a line whose end has not been read yet (empty once it is too long)
    pending = 0  # the length of that start
    last_pos = raw.tell()
    remaining = limit
    block_size = max(1, min(BLOCK_BYTES, max_record))  # so a line longer than max_record never fits in one block
    at_start = first_line == 1
    while True:
        size = block_size if remaining is None else min(block_size, remaining)
        block = handle.read(size) if size > 0 else b""
        if remaining is not None:
            remaining -= len(block)
        if on_bytes is not None:
            pos = raw.tell()
            on_bytes(pos - last_pos)
            last_pos = pos
        if not block:
            break
        if at_start and block.startswith(BOM):  # spreadsheet tools start files with one
            block = block[len(BOM):]
        at_start = False
        cut = block.rfind(b"\n") + 1
        if cut == 0:  # inside one long line: keep reading
            pending += len(block)
            if pending <= max_record:
                pieces.append(block)
            else:
                pieces = []
            continue
        begin = 0
        if pending:  # this block ends the line begun before it
            end_of_first = block.index(b"\n")
            if pending + end_of_first > max_record:
                yield ItemsChunk((Item(source, line, error=too_long(max_record)),))
                line += 1
                begin, pieces = end_of_first + 1, []
        data = b"".join(pieces) + block[begin:cut] if pieces else block[begin:cut]
        pieces = [block[cut:]] if cut < len(block) else []
        pending = len(block) - cut
        if data:
            yield LinesChunk(source, line, data)
            line += data.count(b"\n")
    if pending > max_record:
        yield ItemsChunk((Item(source, line, error=too_long(max_record)),))
    elif pending:
        yield LinesChunk(source, line, b"".join(pieces) + b"\n")


def split_lines(chunk: LinesChunk) -> Iterator[tuple[int, bytes]]:
    """(line number, text) of every non-blank line of a chunk."""
    if not chunk.data.strip():  # blank through and through (whole blocks of newlines): nothing to split
        return
    number = chunk.first_line
    for text in chunk.data.split(b"\n")[:-1]:
        if text.strip():
            yield number, text
        number += 1


# --- parsed records (for callers that want Python data) -----------------------------------------------------------


def read_records(paths: Iterable[Path | str], *, csv_reader: CsvReader | None = None,
                 max_record_bytes: int = MAX_RECORD_BYTES) -> Iterator[RawRecord]:
    """Every record of every file, parsed with orjson, streamed; one longer than ``max_record_bytes`` is rejected."""
    for chunk in read_chunks(paths, csv_reader=csv_reader, max_record_bytes=max_record_bytes):
        if isinstance(chunk, LinesChunk):
            for line, text in split_lines(chunk):
                yield _parsed(chunk.source, line, text)
        else:
            for item in chunk.items:
                if item.payload is None:
                    yield RawRecord(item.source, item.line, error=item.error)
                else:
                    yield _parsed(item.source, item.line, item.payload)


def _parsed(source: str, line: int | None, text: bytes) -> RawRecord:
    try:
        return RawRecord(source, line, orjson.loads(text))
    except orjson.JSONDecodeError as exc:
        return RawRecord(source, line, error=f"not valid JSON: {json_error_text(exc.msg, exc.pos)}")


# --- parts of an export, for a cluster: workers read their own part ------------------------------------------------


@dataclass(frozen=True, slots=True)
class FilePart:
    """A stretch of one export file that a worker reads itself: bytes [start, end) of a JSON Lines file, made of
    whole lines starting at ``first_line``; or (``end`` None) the whole file, whatever its format."""

    source: str
    start: int = 0
    end: int | None = None
    first_line: int = 1


def plan_parts(paths: Iterable[Path | str], part_bytes: int = 32 << 20) -> list[FilePart | Item]:
    """Cut the export into parts of about ``part_bytes``, at line ends (only uncompressed JSON Lines files are cut;
    any other file is one part). Counting the lines before each cut reads each file once, at memory speed."""
    parts: list[FilePart | Item] = []
    for entry in expand_paths(paths):
        if isinstance(entry, Item):
            parts.append(entry)
            continue
        size = entry.stat().st_size
        if file_kind(entry) != "lines" or entry.name.lower().endswith(".gz") or size <= part_bytes:
            parts.append(FilePart(str(entry)))
            continue
        with entry.open("rb") as handle:
            start, line = 0, 1
            while start < size:
                handle.seek(min(start + part_bytes, size))
                handle.readline()  # move to the end of the line the cut fell in
                end = min(handle.tell(), size)
                parts.append(FilePart(str(entry), start, end, line))
                handle.seek(start)
                remaining = end - start
                while remaining > 0:  # count the lines in the part, block by block
                    block = handle.read(min(BLOCK_BYTES * 8, remaining))
                    line += block.count(b"\n")
                    remaining -= len(block)
                start = end
    return parts


def read_part(part: FilePart | Item, *, csv_reader: CsvReader | None = None,
              max_record_bytes: int = MAX_RECORD_BYTES) -> Iterator[Chunk]:
    """The chunks of one part (a part planned from an unreadable path is that one error)."""
    if isinstance(part, Item):
        yield ItemsChunk((part,))
        return
    if part.end is None:
        yield from read_chunks([part.source], csv_reader=csv_reader, max_record_bytes=max_record_bytes)
        return
    with open(part.source, "rb") as handle:
        handle.seek(part.start)
        yield from _line_chunks(part.source, handle, None, first_line=part.first_line, limit=part.end - part.start,
                                max_record=max_record_bytes)
