"""Read case snapshots from export files as a stream of chunks, remembering where every record came from.

Accepted: ``.jsonl`` / ``.ndjson`` (one snapshot a line), ``.json`` (one snapshot, or an array of them), ``.csv``
(the flat layout of docs/batch.md, one row per event), any of them gzip-compressed (``.gz``), and folders of such
files (read in name order). Nothing is parsed here beyond what is needed to split records apart: the records travel
as bytes to whoever validates them, so a process pool never pickles a Python object per case. Memory stays flat
however large the export: files are read in blocks, and a JSON array is split element by element without loading it.

A record that cannot be read (a file that does not exist, an unterminated array, a malformed CSV row) is passed on as
an :class:`Item` carrying its error, never dropped, so totals always add up.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

import orjson

SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv")
BLOCK_BYTES = 1 << 18  # a JSON Lines chunk: about 256 KiB of whole lines (small buffers keep memory flat)
RECORDS_PER_CHUNK = 250  # a chunk of records split out of JSON arrays, CSV files or single-case files
BOM = b"\xef\xbb\xbf"  # a UTF-8 byte-order mark, left out


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
    """Files to read, in a stable order; a path that does not exist comes back as an error item."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and file_kind(p))
        elif path.is_file():
            yield path
        else:
            yield Item(str(path), None, error="no such file or folder")


def total_bytes(paths: Iterable[Path | str]) -> int:
    """The size on disk of every file an export would read (for a progress bar)."""
    return sum(p.stat().st_size for p in expand_paths(paths) if isinstance(p, Path))


CsvReader = Callable[[Path, IO[bytes]], Iterator[Item]]


def read_chunks(paths: Iterable[Path | str], *, csv_reader: CsvReader | None = None,
                on_bytes: Callable[[int], None] | None = None) -> Iterator[Chunk]:
    """Every record of every file, in input order, in chunks. ``on_bytes`` hears how many bytes were read."""
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
            with open_binary(entry) as handle:
                if kind == "lines":
                    yield from _line_chunks(source, handle, on_bytes)
                    continue
                if kind == "csv":
                    if csv_reader is None:
                        raise ValueError("CSV input needs the rule book's vocabulary")
                    items: Iterator[Item] = csv_reader(entry, handle)
                else:
                    items = _json_items(source, handle)
                for item in items:
                    pending.append(item)
                    if len(pending) >= RECORDS_PER_CHUNK:
                        yield ItemsChunk(tuple(pending))
                        pending = []
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            pending.append(Item(source, None, error=f"cannot read file: {exc}"))
        finally:
            if on_bytes is not None and kind != "lines":
                on_bytes(entry.stat().st_size)
    if pending:
        yield ItemsChunk(tuple(pending))


def _line_chunks(source: str, handle: IO[bytes], on_bytes: Callable[[int], None] | None, *, first_line: int = 1,
                 limit: int | None = None) -> Iterator[LinesChunk]:
    """Whole lines in blocks of about BLOCK_BYTES (up to ``limit`` bytes from where the handle is)."""
    raw = getattr(handle, "fileobj", None) or handle  # for gzip, progress follows the compressed bytes
    line = first_line
    carry = b""
    last_pos = raw.tell()
    remaining = limit
    while True:
        size = BLOCK_BYTES if remaining is None else min(BLOCK_BYTES, remaining)
        block = handle.read(size) if size > 0 else b""
        if remaining is not None:
            remaining -= len(block)
        if on_bytes is not None:
            pos = raw.tell()
            on_bytes(pos - last_pos)
            last_pos = pos
        if not block:
            break
        if line == 1 and not carry and block.startswith(BOM):  # spreadsheet tools start files with one
            block = block[len(BOM):]
        block = carry + block
        cut = block.rfind(b"\n") + 1
        if cut == 0:  # one very long line: keep reading
            carry = block
            continue
        data, carry = block[:cut], block[cut:]
        yield LinesChunk(source, line, data)
        line += data.count(b"\n")
    if carry:
        yield LinesChunk(source, line, carry + b"\n")


def split_lines(chunk: LinesChunk) -> Iterator[tuple[int, bytes]]:
    """(line number, text) of every non-blank line of a chunk."""
    number = chunk.first_line
    for text in chunk.data.split(b"\n")[:-1]:
        if text.strip():
            yield number, text
        number += 1


# --- JSON documents and arrays, split without loading them whole --------------------------------------------------

# a string (with its escapes; ``close`` is missing when the buffer ends inside it), or one structural character
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*(?P<close>")?|[\[\]{},]', re.S)
_WS = b" \t\r\n"


def _json_items(source: str, handle: IO[bytes]) -> Iterator[Item]:
    head = handle.read(BLOCK_BYTES)
    if head.startswith(BOM):
        head = head[len(BOM):]
    if not head.lstrip(_WS).startswith(b"["):  # one snapshot in the file: the whole file is the record
        data = head + handle.read()
        yield Item(source, None, payload=data) if data.strip() else Item(source, None, error="the file is empty")
        return
    yield from _array_items(source, head, handle)


def _array_items(source: str, buffer: bytes, handle: IO[bytes]) -> Iterator[Item]:
    """Each element of a top-level JSON array as its own record, with the line it starts on.

    Only strings and structural characters are looked at, so the array is never loaded whole; the elements
    themselves are parsed later, one by one, so a bad element is one rejected record.
    """
    base_line = 1  # the line number at buffer[0]
    begin = buffer.index(b"[") + 1  # where the current element starts
    pos = begin
    depth = 0
    count = 0
    while True:
        incomplete: int | None = None
        for match in _TOKENS.finditer(buffer, pos):
            token = match.group()
            if token[:1] == b'"':
                if match.group("close") is None:
                    incomplete = match.start()
                    break
            elif token in (b"{", b"["):
                depth += 1
            elif token in (b"}", b"]"):
                if depth == 0:  # the end of the array
                    if count or buffer[begin:match.start()].strip(_WS):
                        yield _element(source, buffer, begin, match.start(), base_line)
                    return
                depth -= 1
            elif depth == 0:  # a comma between elements
                yield _element(source, buffer, begin, match.start(), base_line)
                count += 1
                begin = match.end()
        resume = incomplete if incomplete is not None else len(buffer)
        more = handle.read(BLOCK_BYTES)
        if not more:
            rest = buffer[begin:]
            line = base_line + buffer.count(b"\n", 0, begin + len(rest) - len(rest.lstrip(_WS)))
            yield Item(source, line, error="not valid JSON: the array is not closed (the file ends inside it)")
            return
        base_line += buffer.count(b"\n", 0, begin)
        buffer = buffer[begin:] + more
        pos, begin = resume - begin, 0


def _element(source: str, buffer: bytes, start: int, end: int, base_line: int) -> Item:
    text = buffer[start:end]
    stripped = text.lstrip(_WS)
    line = base_line + buffer.count(b"\n", 0, start + len(text) - len(stripped))
    if not stripped.strip(_WS):
        return Item(source, line, error="not valid JSON: an empty element in the array")
    return Item(source, line, payload=stripped.rstrip(_WS))


# --- parsed records (for callers that want Python data) -----------------------------------------------------------


def read_records(paths: Iterable[Path | str], *, csv_reader: CsvReader | None = None) -> Iterator[RawRecord]:
    """Every record of every file, parsed with orjson, streamed."""
    for chunk in read_chunks(paths, csv_reader=csv_reader):
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
        return RawRecord(source, line, error=f"not valid JSON: {exc}")


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


def read_part(part: FilePart | Item, *, csv_reader: CsvReader | None = None) -> Iterator[Chunk]:
    """The chunks of one part (a part planned from an unreadable path is that one error)."""
    if isinstance(part, Item):
        yield ItemsChunk((part,))
        return
    if part.end is None:
        yield from read_chunks([part.source], csv_reader=csv_reader)
        return
    with open(part.source, "rb") as handle:
        handle.seek(part.start)
        yield from _line_chunks(part.source, handle, None, first_line=part.first_line, limit=part.end - part.start)
