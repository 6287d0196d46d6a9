"""Hostile exports against ``charter-rules check``: time and peak memory of each, to show the input limits hold.

* a gzip bomb: 1 GB of one byte repeated, compressed to about 1 MB (with and without newlines);
* one line of 64 MB without a newline (rejected by the maximum record size; and read whole with the limit raised);
* a JSON array holding nothing but blank space, at several sizes (time should grow linearly).

Each case runs ``python -m charter_rules check FILE --workers 1 --format json -o /dev/null`` under /usr/bin/time,
which gives the wall time and the peak resident memory of the process. Files go to --dir (default /tmp) and are
kept for a second run.

    python benchmarks/bench_limits.py                 # everything, whitespace arrays up to 256 MB
    python benchmarks/bench_limits.py --max-array-mb 64

The first line is a baseline (one ordinary case): start-up and loading the rule book; subtract it from the others.
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
from pathlib import Path

MB = 1 << 20


def _write_repeated(path: Path, byte: bytes, size: int, *, compressed: bool, head: bytes = b"", tail: bytes = b"") -> None:
    if path.exists():
        return
    block = byte * MB
    opener = gzip.open(path, "wb", compresslevel=9) if compressed else path.open("wb")
    with opener as handle:
        handle.write(head)
        for _ in range(size // MB):
            handle.write(block)
        handle.write(tail)


def _measure(label: str, path: Path, *extra: str) -> None:
    with tempfile.NamedTemporaryFile("r") as timing:
        cmd = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", timing.name, sys.executable, "-m", "charter_rules", "check",
               str(path), "--workers", "1", "--no-progress", "--format", "json", "-o", os.devnull,
               "--as-of", "2026-06-30", *extra]
        done = subprocess.run(cmd, capture_output=True, text=True)
        seconds, user, system, kib = timing.read().split()[-4:]
    message = (done.stderr.strip().splitlines() or [""])[-1][:90]
    print(f"{label:<40} {path.stat().st_size / MB:>7.1f} MB on disk {float(seconds):>6.1f} s wall "
          f"{float(user) + float(system):>6.1f} s CPU {int(kib) / 1024:>5.0f} MB peak  exit {done.returncode}  {message}",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "charter-rules-limits")
    parser.add_argument("--max-array-mb", type=int, default=256)
    args = parser.parse_args()
    folder = args.dir
    folder.mkdir(parents=True, exist_ok=True)

    baseline = folder / "one-case.jsonl"
    baseline.write_text('{"case_id": "F-1", "kind": "foi_request", "received_at": "2026-03-26T10:00:00+00:00"}\n')
    _measure("baseline: one case (start-up, rule book)", baseline)

    bomb = folder / "bomb-1gb-one-line.jsonl.gz"
    _write_repeated(bomb, b"0", 1024 * MB, compressed=True)
    _measure("gzip bomb, 1 GB without a newline", bomb)
    lines_bomb = folder / "bomb-1gb-newlines.jsonl.gz"
    _write_repeated(lines_bomb, b"\n", 1024 * MB, compressed=True)
    _measure("gzip bomb, 1 GB of newlines", lines_bomb)

    long_line = folder / "line-64mb.jsonl"
    _write_repeated(long_line, b"x", 64 * MB, compressed=False)
    _measure("64 MB line, no newline (limit 8M)", long_line)
    _measure("64 MB line, no newline (limit 128M)", long_line, "--max-record-size", "128M")

    size = 16
    while size <= args.max_array_mb:
        array = folder / f"blank-array-{size}mb.json"
        _write_repeated(array, b" ", size * MB, compressed=False, head=b"[", tail=b"]")
        _measure(f"JSON array of {size} MB blank space", array)
        size *= 2


if __name__ == "__main__":
    main()
