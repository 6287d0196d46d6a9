"""Put checked chunks back together in input order, finding duplicate case ids across the whole export.

Chunks may be checked anywhere (this process, a pool, a cluster) and in any order; :class:`ReportBuilder` takes
their results in input order, so the first record of a case id is always the one evaluated and every later one is a
rejected duplicate, however the work was split. A duplicate has already been counted by the worker that checked it,
so its counts are taken back out: it is checked again here (the same code, so the same counts) and subtracted.

Case ids seen so far are kept as 16-byte digests in a compact table (about 24 bytes a case), not as Python strings,
so a million-case export needs about 50 MB for them rather than several times that.
"""

from __future__ import annotations

from array import array

import orjson

from .report import CheckReport, Spool
from .chunk import NO_DIGEST, Checker, ChunkResult, rejection_entry
from ..errors import Problem
from .reading import Chunk, FilePart, Item, ItemsChunk, LinesChunk, read_part, split_lines, where_text

_LINE_BITS = 40


class CaseIndex:
    """Case-id digests with where each was first seen (open addressing over three flat arrays)."""

    def __init__(self, capacity: int = 1 << 16) -> None:
        self._allocate(capacity)
        self.count = 0

    def _allocate(self, capacity: int) -> None:
        self._mask = capacity - 1
        self._hi = array("Q", [0]) * capacity
        self._lo = array("Q", [0]) * capacity
        self._loc = array("q", [-1]) * capacity  # -1: an empty slot (locations are never negative)

    def add(self, digest: bytes, location: int) -> int | None:
        """Remember ``digest`` at ``location``; if it was seen before, return where instead (and keep the first)."""
        hi = int.from_bytes(digest[:8], "little")
        lo = int.from_bytes(digest[8:], "little")
        mask, his, locs = self._mask, self._hi, self._loc
        slot = hi & mask
        while True:
            found = locs[slot]
            if found < 0:
                break
            if his[slot] == hi and self._lo[slot] == lo:
                return found
            slot = (slot + 1) & mask
        his[slot] = hi
        self._lo[slot] = lo
        locs[slot] = location
        self.count += 1
        if self.count * 10 > (mask + 1) * 6:
            self._grow()
        return None

    def __contains__(self, digest: object) -> bool:
        if not isinstance(digest, bytes) or len(digest) != 16:
            return False
        hi = int.from_bytes(digest[:8], "little")
        lo = int.from_bytes(digest[8:], "little")
        slot = hi & self._mask
        while self._loc[slot] >= 0:
            if self._hi[slot] == hi and self._lo[slot] == lo:
                return True
            slot = (slot + 1) & self._mask
        return False

    def _grow(self) -> None:
        old = (self._hi, self._lo, self._loc)
        self._allocate((self._mask + 1) * 2)
        mask, his, los, locs = self._mask, self._hi, self._lo, self._loc
        for hi, lo, loc in zip(*old):
            if loc >= 0:
                slot = hi & mask
                while locs[slot] >= 0:
                    slot = (slot + 1) & mask
                his[slot], los[slot], locs[slot] = hi, lo, loc


class ReportBuilder:
    """Folds chunk results, in input order, into one :class:`CheckReport`."""

    def __init__(self, checker: Checker) -> None:
        self.checker = checker
        book = checker.book
        self.report = CheckReport(checker.settings.as_of, {r.id: r.source.title for r in book.rules},
                                  redacted=checker.settings.redact, settings=book.settings,
                                  fact_titles={name: spec.label(name) for name, spec in book.vocabulary.facts.items()})
        self.index = CaseIndex()
        self.report.evaluated_cases = self.index
        self._sources: list[str] = []
        self._source_ids: dict[str, int] = {}

    def add(self, chunk: Chunk | FilePart | Item, result: ChunkResult) -> None:
        """Fold in the result of the next chunk (or part) of the export, in input order."""
        duplicates: dict[int, bytes] = {}
        digests = result.digests
        add = self.index.add
        for index, line in enumerate(result.lines):
            digest = bytes(digests[16 * index:16 * index + 16])
            if digest == NO_DIGEST:
                continue
            source = _source_of(chunk, index)
            first = add(digest, self._location(source, line))
            if first is not None:
                duplicates[index] = self._duplicate(chunk, result, index, source, line or None, first)
        counts = result.counts
        breaches = Spool()
        if duplicates:
            breaches = Spool(line for index, line in result.breaches if index not in duplicates)
        else:
            breaches.append_block(bytes(result.breach_block), len(result.breach_records))
        rejections = sorted([*result.rejections, *duplicates.items()], key=lambda row: row[0])
        part = CheckReport(
            self.report.as_of, {}, counts,
            breaches=breaches,
            rejections=Spool(line for _, line in rejections),
            timelines={case_id: t for index, case_id, t in result.timelines if index not in duplicates},
            redacted=self.report.redacted,
        )
        self.report.merge(part)

    def _duplicate(self, chunk: Chunk | FilePart | Item, result: ChunkResult, index: int, source: str,
                   line: int | None, first: int) -> bytes:
        """Take the duplicate's counts back out (checking it again gives exactly them) and say why it is rejected."""
        item = _item_of(chunk, index, line, self.checker)
        again = self.checker.check_item(item)
        result.counts.add(again.counts, -1)
        result.counts.records_read += 1
        result.counts.rejected += 1
        case_id = orjson.loads(item.payload or b"{}").get("case_id")
        first_source = self._sources[first >> _LINE_BITS]
        first_line = first & ((1 << _LINE_BITS) - 1) or None
        problem = Problem(f"duplicate case id: first seen at {where_text(first_source, first_line)}", path=source,
                          line=line, field="case_id", hint="each case must appear once in an export",
                          cause="duplicate case id")
        return rejection_entry(source, line, case_id, [problem])

    def _location(self, source: str, line: int | None) -> int:
        source_id = self._source_ids.get(source)
        if source_id is None:
            source_id = self._source_ids[source] = len(self._sources)
            self._sources.append(source)
        return (source_id << _LINE_BITS) | (line or 0)


def _source_of(chunk: Chunk | FilePart | Item, index: int) -> str:
    if isinstance(chunk, ItemsChunk):
        return chunk.items[index].source
    return chunk.source


def _item_of(chunk: Chunk | FilePart | Item, index: int, line: int | None, checker: Checker) -> Item:
    """The record again, to check it a second time: from the chunk in hand, or read again from a part's file."""
    if isinstance(chunk, Item):
        return chunk
    if isinstance(chunk, ItemsChunk):
        return chunk.items[index]
    chunks = [chunk] if isinstance(chunk, LinesChunk) else read_part(
        chunk, csv_reader=checker.csv_reader, max_record_bytes=checker.settings.max_record_bytes)
    position = 0
    for piece in chunks:
        if isinstance(piece, ItemsChunk):
            if index < position + len(piece.items):
                return piece.items[index - position]
            position += len(piece.items)
            continue
        for number, text in split_lines(piece):
            if number == line:
                return Item(piece.source, line, payload=text)
            position += 1
    raise AssertionError(f"record {index} (line {line}) is not in {chunk}")  # pragma: no cover
