"""The work queue and the forecast on a synthetic export: wall time and cases per second. Run by hand (numbers go in
the closing note of a change, never into tests):

    python benchmarks/bench_planning.py                  # 2,000 cases, as of 2026-07-15 noon
    python benchmarks/bench_planning.py --cases 20000
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import generate  # noqa: E402
from machine import describe_machine  # noqa: E402

from charter_rules import default_rulebook, parse_snapshot  # noqa: E402
from charter_rules.planning import build_queue, forecast  # noqa: E402
from charter_rules.sources import read_records  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--as-of", default="2026-07-15T12:00:00+01:00")
    args = parser.parse_args()
    as_of = dt.datetime.fromisoformat(args.as_of)
    book = default_rulebook()
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "export.jsonl"
        export.write_bytes(b"".join(line + b"\n" for line in generate.block_lines(7, 0, args.cases, True)))
        start = time.perf_counter()
        queue = build_queue(book, [export], as_of=as_of, group_by="officer")
        took = time.perf_counter() - start
        print(describe_machine())
        print(f"queue: {queue.evaluated} cases, {queue.totals['total']} rows in {took:.2f} s "
              f"({queue.evaluated / took:,.0f} cases/s)")
        snapshots = [parse_snapshot(r.data, book) for r in read_records([export]) if r.data is not None]
        start = time.perf_counter()
        changes = sum(len(forecast(book, s, start=as_of, until=as_of + dt.timedelta(days=90)).changes)
                      for s in snapshots)
        took = time.perf_counter() - start
        print(f"forecast to 90 days: {len(snapshots)} cases, {changes} changes in {took:.2f} s "
              f"({len(snapshots) / took:,.0f} cases/s)")


if __name__ == "__main__":
    main()
