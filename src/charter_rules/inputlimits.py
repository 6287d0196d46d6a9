"""Limits on what one export may ask of memory: the largest record, and how far a compressed file may expand.

* A record (a JSON line, an element of a JSON array, a one-case JSON file, a CSV line) longer than
  ``max_record_bytes`` (default 8 MiB; a real case snapshot is a few kilobytes) is rejected, naming the file and the
  line it starts on. JSON Lines and JSON arrays carry on with the next record; a one-case file or a CSV file stops
  there, and the rejection says the rest of the file was not read.
* A gzip file may expand to at most ``GZIP_MAX_RATIO`` times its compressed size plus ``GZIP_SLACK_BYTES``. Case
  exports compress about 5 to 20 times; a file that expands 1,000 times (1 MB to 1 GB) is a decompression bomb, and
  reading stops with a rejection naming the file.
"""

from __future__ import annotations

import io
import os
import re
import stat
from pathlib import Path
from typing import IO

MAX_RECORD_BYTES = 8 << 20
BOM = b"\xef\xbb\xbf"  # a UTF-8 byte-order mark: left out wherever case data is read (check, evaluate, the API)
GZIP_MAX_RATIO = 200
GZIP_SLACK_BYTES = 64 << 20


class InputTooLarge(Exception):
    """Reading stopped: a record or a decompressed file passed its limit. ``line`` is where, when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def too_long(limit: int) -> str:
    return (f"the record is longer than {size_text(limit)} (the maximum record size); "
            "a longer one can be allowed with --max-record-size")


def size_text(size: int) -> str:
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if size >= 1 << shift and size % (1 << shift) == 0:
            return f"{size >> shift} {unit}"
    return f"{size:,} bytes"


_SIZE = re.compile(r"\s*(\d+)\s*([kmg]?)i?b?\s*", re.I)


def parse_size(text: str) -> int:
    """``8M``, ``512k``, ``1G`` or a number of bytes (ValueError otherwise)."""
    match = _SIZE.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not a size; write e.g. 8M, 512K or 1G")
    return int(match.group(1)) << {"": 0, "k": 10, "m": 20, "g": 30}[match.group(2).lower()]


class BoundedReader(io.RawIOBase):
    """A binary reader over ``handle`` that stops a decompression bomb and (for CSV) an over-long line.

    ``compressed`` is the underlying compressed file of a gzip handle (None for a plain file). ``max_line`` bounds
    the bytes between two newlines (None: unbounded, for formats where a line is not a record).
    """

    def __init__(self, handle: IO[bytes], compressed: IO[bytes] | None, *, max_line: int | None = None) -> None:
        super().__init__()
        self._handle = handle
        self._compressed = compressed
        self.fileobj = compressed if compressed is not None else handle  # where progress is measured
        self._max_line = max_line
        self._out = 0
        self._since_newline = 0
        self._line = 1

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "bytearray | memoryview") -> int:  # type: ignore[override]
        # a read never longer than max_line: a line over it always spans two reads, so checking where each read
        # ends is enough
        data = self._handle.read(min(len(buffer), self._max_line or len(buffer)))
        size = len(data)
        buffer[:size] = data
        self._out += size
        if self._compressed is not None:
            self._check_expansion()
        if self._max_line is not None and size:
            last = data.rfind(b"\n")
            if last < 0:
                self._since_newline += size
            elif self._since_newline + data.index(b"\n") > self._max_line:
                self._since_newline += data.index(b"\n")
            else:
                self._line += data.count(b"\n")
                self._since_newline = size - last - 1
            if self._since_newline > self._max_line:
                raise InputTooLarge(too_long(self._max_line) + "; the rest of the file was not read", self._line)
        return size

    def _check_expansion(self) -> None:
        assert self._compressed is not None
        allowed = GZIP_MAX_RATIO * self._compressed.tell() + GZIP_SLACK_BYTES
        if self._out > allowed:
            raise InputTooLarge(
                f"the file expands more than {GZIP_MAX_RATIO} times its compressed size when decompressed "
                f"({size_text(self._out)} so far), which case exports never do: it looks like a decompression bomb; "
                "the rest of the file was not read")


def bounded(handle: IO[bytes], *, max_line: int | None = None) -> BoundedReader:
    """``handle`` guarded by a :class:`BoundedReader` (a gzip handle's compressed file is found by itself)."""
    return BoundedReader(handle, getattr(handle, "fileobj", None), max_line=max_line)


def strip_bom(data: bytes | str) -> bytes | str:
    """``data`` without a leading UTF-8 byte-order mark (spreadsheet tools write one)."""
    if isinstance(data, bytes):
        return data[len(BOM):] if data.startswith(BOM) else data
    return data[1:] if data.startswith("\ufeff") else data


def read_case_file(path: Path, max_bytes: int = MAX_RECORD_BYTES) -> bytes:
    """The bytes of a one-case file, without a byte-order mark. OSError (with a plain reason) for a missing file,
    a pipe or device (reading one could wait for ever), or a file over ``max_bytes``."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise OSError(f"{path} is not a regular file (a folder, pipe, socket or device)")
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise OSError(f"{path}: {too_long(max_bytes)}")
    return strip_bom(data)  # type: ignore[return-value]
