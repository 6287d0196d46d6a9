"""How long a command takes from process start: `charter-rules rules list` and `charter-rules evaluate CASE`.

Each command is started as a new process, again and again, with the rule-book cache warm (one run first fills it);
the wall time and the CPU time of each run (user + system, from the kernel's accounting of finished children) are
reported as median and p90, beside the floor of starting Python itself (`python -c pass`) measured in the same run.
On a shared machine the wall time waits for the CPU; the CPU time does not.

    python benchmarks/bench_cli.py                  # 15 runs of each
    python benchmarks/bench_cli.py --runs 30 --cold # also with the cache turned off (every run reads the YAML)
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from machine import describe_machine

REPO = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).with_name("charter-rules")
CASE = REPO / "examples" / "cases" / "burglary-with-arrest.json"

COMMANDS = {
    "python -c pass (floor)": [sys.executable, "-c", "pass"],
    "charter-rules rules list": [str(SCRIPT), "rules", "list"],
    "charter-rules evaluate CASE": [str(SCRIPT), "evaluate", str(CASE), "--as-of", "2026-04-08"],
    "charter-rules evaluate CASE --format json": [str(SCRIPT), "evaluate", str(CASE), "--as-of", "2026-04-08",
                                                  "--format", "json"],
}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    cpu, start = _children_cpu(), time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return wall, _children_cpu() - cpu


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(runs: int, env: dict[str, str], label: str) -> None:
    print(f"\n{label}")
    print(f"{'command':45} {'wall median':>12} {'wall p90':>10} {'CPU median':>11} {'CPU p90':>9}")
    for name, command in COMMANDS.items():
        _run(command, env)  # warm the page cache and the rule-book cache
        walls, cpus = zip(*(_run(command, env) for _ in range(runs)))
        print(f"{name:45} {statistics.median(walls) * 1000:9.0f} ms {_quantile(list(walls), 0.9) * 1000:7.0f} ms "
              f"{statistics.median(cpus) * 1000:8.0f} ms {_quantile(list(cpus), 0.9) * 1000:6.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--cold", action="store_true", help="also measure with the rule-book cache turned off")
    args = parser.parse_args()
    if not SCRIPT.exists():
        raise SystemExit(f"{SCRIPT} not found: install the project (pip install -e .) in this Python's environment")
    print(describe_machine())
    env = dict(os.environ)
    measure(args.runs, env, "rule-book cache on (the default)")
    if args.cold:
        measure(args.runs, dict(env, CHARTER_RULES_CACHE="off"), "rule-book cache off: every run reads the YAML")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
