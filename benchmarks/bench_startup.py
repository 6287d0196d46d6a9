"""Where a command's start-up time goes: the CPU of each step of `charter-rules evaluate CASE`, one after the other.

Each run is a new Python process that takes the steps in the order the command does (import typer, rich, pydantic,
the command line, the rule-file models, the compiler, read the cached rule book and compile it, the evaluator,
read the case, evaluate, explain) and times each with `time.process_time`; a step's time is what it adds to
those before it (a module already imported costs nothing again). Reported: the median of each step over the runs,
beside `python -c pass` and the whole process (user + system, from the kernel). The rule-book cache must be warm
(run any command once first); the script does that.

    python benchmarks/bench_startup.py --runs 9
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

from machine import describe_machine

REPO = Path(__file__).resolve().parents[1]
CASE = REPO / "examples" / "cases" / "burglary-with-arrest.json"

# run in the child: (step name, code), in the order the command takes them
STEPS = [
    ("typer and click", "import typer, typer.main"),
    ("rich (console, markup)", "import rich.console, rich.markup"),
    ("pydantic (BaseModel and its machinery)", "from pydantic import BaseModel, ConfigDict, Field, ValidationError"),
    ("the command line's entry module and what all commands share", "import charter_rules.cli._common"),
    ("the core commands' module", "import charter_rules.cli.core"),
    ("the rule-file models (classes; validators deferred)",
     "import charter_rules.model, charter_rules.model_files, charter_rules.rulebook_files"),
    ("the compiler's modules and the cache reader", "import charter_rules._api"),
    ("reading the cached rule book (validated) and compiling it", "book = charter_rules._api.load_compiled()"),
    ("the table of `rules list` laid out by rich (discarded)",
     "import io; from rich.console import Console; from rich.table import Table; "
     "t = Table('rule', 'title', 'basis', 'case kinds', 'versions', 'examples'); "
     "[t.add_row(r.id, r.source.title, r.source.basis, ', '.join(sorted(r.kinds)), str(len(r.source.versions)), "
     "str(len(r.source.examples))) for r in book.rules]; Console(file=io.StringIO(), width=120).print(t)"),
    ("the evaluator and explanation modules", "import charter_rules.evaluator, charter_rules.explain"),
    ("reading the case (the fast decoder, as `evaluate` does)",
     f"snap = book.case_decoder.decode(open({str(CASE)!r}, 'rb').read()); assert snap is not None"),
    ("evaluating it", "ev = charter_rules.evaluator.evaluate(book, snap, as_of=__import__('datetime').datetime"
                      ".fromisoformat('2026-04-10T12:00:00+01:00'))"),
    ("explaining it (text)", "charter_rules.explain.explain_text(ev)"),
]

# what every command pays before reading the rule book, whatever is done to charter-rules' own code: the command-line
# libraries, pydantic, and the pydantic classes of the rule files (the rule book's form in memory, read by the compiler
# and the explanations)
DESIGN_FLOOR = ("typer and click", "rich (console, markup)", "pydantic (BaseModel and its machinery)",
                "the rule-file models (classes; validators deferred)")

CHILD = """
import json, os, sys, time
steps = json.loads(sys.argv[1])
spent = {}
scope = {}
for name, code in steps:
    start = time.process_time()
    exec(code, scope)
    spent[name] = time.process_time() - start
sys.stdout.write(json.dumps(spent))
"""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    print(describe_machine())
    subprocess.run([Path(sys.executable).with_name("charter-rules"), "rules", "list"], check=True,
                   stdout=subprocess.DEVNULL)  # the rule-book cache warm
    per_step: dict[str, list[float]] = {name: [] for name, _ in STEPS}
    whole, floor = [], []
    for _ in range(args.runs):
        before = _children_cpu()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        floor.append(_children_cpu() - before)
        before = _children_cpu()
        done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(STEPS)], check=True, capture_output=True,
                              env=dict(os.environ))
        whole.append(_children_cpu() - before)
        for name, seconds in json.loads(done.stdout).items():
            per_step[name].append(seconds)
    print(f"\n{'step':62} {'CPU median':>10}")
    print(f"{'python -c pass (the floor)':62} {statistics.median(floor) * 1000:7.0f} ms")
    for name, values in per_step.items():
        print(f"{name:62} {statistics.median(values) * 1000:7.0f} ms")
    print(f"{'the whole process (all of the above, and starting Python)':62} {statistics.median(whole) * 1000:7.0f} ms")
    design = statistics.median(floor) + sum(statistics.median(per_step[name]) for name in DESIGN_FLOOR)
    print(f"\nthe floor of this design, before a byte of the rule book is read: {design * 1000:.0f} ms\n"
          f"  (starting Python, {', '.join(DESIGN_FLOOR)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
