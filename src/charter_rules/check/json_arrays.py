"""JSON export files split into records without loading them whole: a file holding one case is one record, and each
element of a top-level array is a record of its own, with the line it starts on.

Only strings and structural characters are looked at, so an array of any size streams through in blocks; the elements
themselves are parsed later, one by one, so a bad element is one rejected record.
"""

from __future__ import annotations

import re
from typing import IO, Iterator

from ..inputlimits import BOM, MAX_RECORD_BYTES, too_long
from .records import BLOCK_BYTES, Item

# a string (with its escapes; ``close`` is missing when the buffer ends inside it), or one structural character
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*(?P<close>")?|[\[\]{},]', re.S)
_WS = b" \t\r\n"


def json_items(source: str, handle: IO[bytes], max_record: int = MAX_RECORD_BYTES,
               block_bytes: int = BLOCK_BYTES) -> Iterator[Item]:
    """The records of a JSON export file, read ``block_bytes`` at a time."""
    head = handle.read(block_bytes)
    if head.startswith(BOM):
        head = head[len(BOM):]
    first_line = 1
    while head and not head.strip(_WS):  # leading blank space, dropped block by block
        first_line += head.count(b"\n")
        head = handle.read(block_bytes)
    if not head.lstrip(_WS).startswith(b"["):  # one snapshot in the file: the whole file is the record
        data = head + handle.read(max(0, max_record + 1 - len(head)))
        if len(data) > max_record:
            yield Item(source, None, error=too_long(max_record) + "; the rest of the file was not read")
        else:
            yield Item(source, None, payload=data) if data.strip() else Item(source, None, error="the file is empty")
        return
    yield from _array_items(source, head, handle, max_record, first_line, block_bytes)


def _array_items(source: str, head: bytes, handle: IO[bytes], max_record: int = MAX_RECORD_BYTES,
                 base_line: int = 1, block_bytes: int = BLOCK_BYTES) -> Iterator[Item]:
    """Each element of a top-level JSON array as its own record, with the line it starts on.

    Only strings and structural characters are looked at, so the array is never loaded whole; the elements
    themselves are parsed later, one by one, so a bad element is one rejected record. Blank space between elements
    is dropped as it is read, and an element longer than ``max_record`` stops the file, so time is linear and memory
    bounded whatever the file holds.
    """
    buffer = bytearray(head)  # base_line is the line number at buffer[0]
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
        if len(buffer) - begin > max_record:
            line = base_line + buffer.count(b"\n", 0, begin + _leading_blanks(buffer, begin))
            yield Item(source, line, error=too_long(max_record) + "; the rest of the file was not read")
            return
        more = handle.read(block_bytes)
        if not more:
            line = base_line + buffer.count(b"\n", 0, begin + _leading_blanks(buffer, begin))
            yield Item(source, line, error="not valid JSON: the array is not closed (the file ends inside it)")
            return
        if depth == 0 and incomplete is None and not buffer[begin:].strip(_WS):
            begin = resume = len(buffer)  # only blank space since the last element: nothing to keep
        base_line += buffer.count(b"\n", 0, begin)
        del buffer[:begin]
        buffer += more
        pos, begin = resume - begin, 0


def _leading_blanks(buffer: bytearray, start: int) -> int:
    rest = buffer[start:]
    return len(rest) - len(rest.lstrip(_WS))


def _element(source: str, buffer: bytearray, start: int, end: int, base_line: int) -> Item:
    text = bytes(buffer[start:end])
    stripped = text.lstrip(_WS)
    line = base_line + buffer.count(b"\n", 0, start + len(text) - len(stripped))
    if not stripped.strip(_WS):
        return Item(source, line, error="not valid JSON: an empty element in the array")
    return Item(source, line, payload=stripped.rstrip(_WS))
