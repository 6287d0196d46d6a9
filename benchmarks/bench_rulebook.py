"""How long the rule-book checks take: loading and compiling, every worked example, coverage and lint.

    python benchmarks/bench_rulebook.py            # 5 runs of each; prints the median and the sizes measured
    python benchmarks/bench_rulebook.py --runs 10
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Callable

from charter_rules import load_compiled
from charter_rules.charter.text import load_charter
from charter_rules.charter.coverage import charter_coverage
from charter_rules.worked_examples import run_examples
from charter_rules.charter.findings import lint_rulebook
from charter_rules.rulebook import DEFAULT_RULES_DIR


def _median(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    book = load_compiled(DEFAULT_RULES_DIR)
    examples = run_examples(book)
    findings = lint_rulebook(book)
    print(f"rule book: {len(book.rules)} rules, {len(examples)} worked examples, "
          f"{sum(r.checks for r in examples)} checks, {len(findings)} lint findings")
    print(f"load and compile : {_median(lambda: load_compiled(DEFAULT_RULES_DIR), args.runs) * 1000:8.1f} ms")
    print(f"worked examples  : {_median(lambda: run_examples(book), args.runs) * 1000:8.1f} ms")
    print(f"coverage         : {_median(lambda: charter_coverage(load_charter(DEFAULT_RULES_DIR), book), args.runs) * 1000:8.1f} ms")
    print(f"lint             : {_median(lambda: lint_rulebook(book), args.runs) * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
