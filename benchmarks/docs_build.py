"""How long the documentation site takes to build (mkdocs build --strict, every page generated from the rule book).

    python benchmarks/docs_build.py            # 3 builds into a temporary folder; prints each time and the median
    python benchmarks/docs_build.py --runs 5

Also prints the pages and the worked-example timelines generated, so a time can be read against the size of the
rule book it was measured on.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from charter_rules.docgen import build_site


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times = []
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        for run in range(args.runs):
            start = time.perf_counter()
            code = build_site(site, strict=True)
            elapsed = time.perf_counter() - start
            if code != 0:
                print(f"build {run + 1} failed (exit {code})", file=sys.stderr)
                return 1
            times.append(elapsed)
            print(f"build {run + 1}: {elapsed:.2f} s")
        pages = len(list(site.rglob("*.html")))
        rule_pages = len(list((site / "rules").glob("*.html"))) - 1  # less the rules index
        timelines = sum(p.read_text(encoding="utf-8").count('class="cr-timeline"') for p in (site / "rules").glob("*.html"))
    print(f"median {statistics.median(times):.2f} s for {pages} pages ({rule_pages} rule pages, {timelines} timelines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
