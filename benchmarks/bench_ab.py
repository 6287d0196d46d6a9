"""The evaluator of two source trees side by side: CPU time per case on the same generated cases, each tree in its own
process, alternated, so that other work on the machine weighs on both alike. Run by hand:

    git archive 70e3a3d | (mkdir -p /tmp/before && tar -x -C /tmp/before)
    python benchmarks/bench_ab.py /tmp/before .                # earlier commit, then this tree, three times each

For each tree: the full evaluation (``charter_rules.evaluate``) and, where the tree has it, the verdict path
``check`` uses, on the typical crime report of bench_evaluator.py, the synthetic mix and its crime reports.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(tree: Path, cases: int) -> str:
    """Runs in a child process whose ``sys.path`` puts ``tree/src`` first."""
    sys.path.insert(0, str(tree / "src"))
    import charter_rules
    from charter_rules import default_rulebook, evaluate

    assert Path(charter_rules.__file__).resolve().is_relative_to(tree.resolve()), charter_rules.__file__
    sys.path.insert(0, str(HERE))
    import generate
    from bench_evaluator import TYPICAL

    book = default_rulebook()
    model = book.snapshot_model
    mix = [model.model_validate_json(line) for line in generate.generate(cases, seed=1, clean=True)]
    crime = [s for s in mix if s.kind == "crime_report"]
    typical = [model.model_validate(TYPICAL)] * 1000
    as_of = generate.AS_OF
    paths = {"full": lambda s: evaluate(book, s, as_of=as_of)}
    try:
        from charter_rules.evaluator.verdicts import VerdictPlan
    except ImportError:
        pass
    else:
        plan = VerdictPlan(book)
        paths["verdict path"] = lambda s: plan.evaluate(s, as_of=as_of)
    out = []
    for name, run in paths.items():
        for label, group in (("typical", typical), ("mix", mix), ("crime", crime)):
            out.append(f"{name} {label} {best_cpu(run, group):.0f} us")
    return f"{tree}: " + "; ".join(out)


def best_cpu(run, cases: list, rounds: int = 5) -> float:
    """CPU microseconds per case, the best of ``rounds`` passes."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for case in cases:
            run(case)
        best = min(best, (time.process_time() - start) / len(cases) * 1e6)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees", nargs="+", type=Path, help="source trees (each with src/charter_rules)")
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3, help="alternate the trees this many times")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(measure(args.trees[0], args.cases), flush=True)
        return 0
    from machine import describe_machine

    print(describe_machine())
    for _ in range(args.repeat):
        for tree in args.trees:
            subprocess.run([sys.executable, __file__, str(tree), "--cases", str(args.cases), "--child"], check=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    raise SystemExit(main())
