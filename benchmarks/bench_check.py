"""``charter-rules check`` end to end (read, validate, evaluate, write the report) on a synthetic export, side by side
with two others in the same run: the floor, reading the same file and decoding every line with orjson and nothing
else (one process); and a baseline, the evaluator run case by case in one process, without chunks or a pool,
tallying into a dict. On a shared machine, compare the ratios to the floor rather than the absolute rates.

Reports wall time, cases per second, CPU time, the ratio, and peak memory: the largest single process (as
``getrusage`` sees it) and the whole process tree (main process and workers, sampled from /proc every 50 ms).
Run by hand; numbers go in the closing note of a change, never into tests:

    python benchmarks/bench_check.py                                # 1,000,000 cases (generated once, then reused)
    python benchmarks/bench_check.py --cases 100000 --baseline-cases 20000
    python benchmarks/bench_check.py --export exports/ --workers 2 --format junit
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
from machine import describe_machine  # noqa: E402

AS_OF = generate.AS_OF.isoformat()


class TreeMemory:
    """Samples the summed resident memory of a process and all its descendants."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        self.pid, self.every, self.peak, self.peak_pss = pid, every, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = _tree(self.pid)
            self.peak = max(self.peak, sum(_rss(p) for p in pids))
            self.peak_pss = max(self.peak_pss, sum(_pss(p) for p in pids))
            self._stop.wait(self.every)


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    todo.extend(int(c) for c in handle.read().split())
        except OSError:
            continue
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _pss(pid: int) -> int:
    """Proportional set size: resident memory with pages shared between processes split among them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def measure(command: list[str]) -> dict[str, float]:
    """Run ``command``; wall and CPU seconds, peak memory of the largest process and of the whole tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with TreeMemory(process.pid) as tree:
        _, stderr = process.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr.decode()}")
    return {
        "wall": wall,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "max_process_mb": after.ru_maxrss / 1024,  # the largest process run so far (kilobytes on Linux)
        "tree_mb": tree.peak / 2**20,
        "tree_pss_mb": tree.peak_pss / 2**20,
    }


def baseline(export: Path, output: Path, limit: int) -> None:
    """The naive way: one record at a time through parse_snapshot and evaluate; counts in a dict; one JSON dump."""
    import orjson

    from charter_rules import default_rulebook, evaluate
    from charter_rules.errors import CharterRulesError
    from charter_rules.snapshot import parse_snapshot

    book = default_rulebook()
    as_of = generate.AS_OF
    counts: Counter[tuple[str, str]] = Counter()
    breaches, rejected, seen = [], [], set()
    read = 0
    with export.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            if read >= limit:
                break
            read += 1
            try:
                snapshot = parse_snapshot(orjson.loads(line), book.snapshot_model, source=str(export), line=number)
                if snapshot.case_id in seen:
                    rejected.append({"line": number, "error": "duplicate case id"})
                    continue
                seen.add(snapshot.case_id)
                evaluation = evaluate(book, snapshot, as_of=as_of)
            except (orjson.JSONDecodeError, CharterRulesError) as exc:
                rejected.append({"line": number, "error": str(exc)})
                continue
            for o in evaluation.obligations:
                counts[(o.rule_id, o.status.value)] += 1
                if o.is_breach:
                    breaches.append({"case_id": o.case_id, "rule": o.rule_id, "instance": o.instance,
                                     "status": o.status.value, "due_date": o.due_date, "line": number})
    output.write_bytes(orjson.dumps({"records_read": read, "counts": [[r, s, n] for (r, s), n in counts.items()],
                                     "breaches": breaches, "rejected": rejected}, option=orjson.OPT_INDENT_2))


def floor(export: Path) -> None:
    """Read the export and decode each line with orjson: the least any check of this file must do."""
    import orjson

    decoded = 0
    with export.open("rb") as handle:
        for line in handle:
            if line.strip():
                try:
                    orjson.loads(line)
                except orjson.JSONDecodeError:
                    pass
                decoded += 1
    print(decoded)


def _export_path(cases: int, seed: int) -> Path:
    return Path(tempfile.gettempdir()) / f"charter-rules-bench-{cases}-{seed}.jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--export", type=Path, help="an existing export to check instead of a generated one")
    parser.add_argument("--workers", type=int, default=None, help="for check (default: one per core)")
    parser.add_argument("--format", default="json", help="report format for check (text, json, junit, ...)")
    parser.add_argument("--baseline-cases", type=int, default=None,
                        help="records for the baseline (default: all); it is slow, a sample gives its rate")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--run-baseline", nargs=3, metavar=("EXPORT", "OUTPUT", "LIMIT"), help=argparse.SUPPRESS)
    parser.add_argument("--run-floor", metavar="EXPORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_floor:
        floor(Path(args.run_floor))
        return 0
    if args.run_baseline:
        baseline(Path(args.run_baseline[0]), Path(args.run_baseline[1]), int(args.run_baseline[2]))
        return 0

    export = args.export or _export_path(args.cases, args.seed)
    if args.export is None and not export.exists():
        print(f"generating {args.cases:,} cases into {export} ...", file=sys.stderr)
        subprocess.run([sys.executable, str(Path(__file__).parent / "generate.py"), str(args.cases), "--out",
                        str(export), "--seed", str(args.seed)], check=True)
    size = sum(p.stat().st_size for p in ([export] if export.is_file() else export.rglob("*")) if p.is_file())
    records = args.cases if args.export is None else None
    print(describe_machine())
    print(f"export: {export} ({size / 2**20:,.0f} MiB{f', {records:,} records' if records else ''})")

    workdir = Path(tempfile.mkdtemp(prefix="charter-bench-"))
    low = measure([sys.executable, __file__, "--run-floor", str(export)]) if export.is_file() else None
    if low is not None:
        print(f"floor (read + orjson.loads of every line, one process): {low['wall']:.1f} s wall, CPU {low['cpu']:.1f} s")
    command = [sys.executable, "-m", "charter_rules", "check", str(export), "--as-of", AS_OF, "--format", args.format,
               "--output", str(workdir / f"report.{args.format}"), "--fail-on", "overdue"]
    if args.workers:
        command += ["--workers", str(args.workers)]
    result = measure(command)
    if records is None:
        import orjson

        records = orjson.loads(_json_head(workdir, command))["totals"]["records_read"]
    rate = records / result["wall"]
    print(f"check ({args.workers or os.cpu_count()} workers, --format {args.format}): {records:,} records in "
          f"{result['wall']:.1f} s = {rate:,.0f} cases/s ({result['wall'] / records * 1e6:.1f} us/case); "
          f"CPU {result['cpu']:.1f} s; peak memory {result['tree_mb']:.0f} MB resident for the process tree "
          f"({result['tree_pss_mb']:.0f} MB counting shared pages once), {result['max_process_mb']:.0f} MB for the "
          "largest process")
    cores = len(os.sched_getaffinity(0))
    print(f"  CPU per case {result['cpu'] / records * 1e6:.1f} us (all processes); on {cores} idle cores that is "
          f"about {cores * records / result['cpu']:,.0f} cases/s (wall time above is inflated when other work "
          "shares the machine: see the load average)")
    if low is not None:
        floor_cpu = low["cpu"] / records
        print(f"  against the floor measured in this run ({floor_cpu * 1e6:.1f} us CPU a line, "
              f"{records / low['wall']:,.0f} lines/s wall in one process): CPU per case "
              f"{result['cpu'] / records / floor_cpu:.1f}x the floor (target: at most 5x); throughput (wall) "
              f"{rate / (records / low['wall']):.2f}x the floor's")
    if args.skip_baseline:
        return 0
    limit = min(args.baseline_cases or records, records)
    base = measure([sys.executable, __file__, "--run-baseline", str(export), str(workdir / "baseline.json"),
                    str(limit)])
    base_rate = limit / base["wall"]
    print(f"baseline (case by case, one process): {limit:,} records in {base['wall']:.1f} s = {base_rate:,.0f} "
          f"cases/s ({base['wall'] / limit * 1e6:.1f} us/case); CPU {base['cpu']:.1f} s; peak memory "
          f"{base['tree_mb']:.0f} MB")
    print(f"  CPU per case {base['cpu'] / limit * 1e6:.1f} us")
    print(f"ratio: check is {rate / base_rate:.2f}x the baseline's throughput (wall), "
          f"{(base['cpu'] / limit) / (result['cpu'] / records):.2f}x less CPU per case; the 50,000 cases/s target is "
          f"{rate / 50_000:.0%} reached (wall)")
    return 0


def _json_head(workdir: Path, command: list[str]) -> bytes:
    """The totals of a check run whose export size is not known: run it again with --format json if needed."""
    report = workdir / "report.json"
    if not report.exists():
        subprocess.run(command[:command.index("--format")] + ["--format", "json", "--output", str(report)],
                       check=False, capture_output=True)
    return report.read_bytes()


if __name__ == "__main__":
    raise SystemExit(main())
