"""The verdict path (``check``) against the full evaluation, case by case, on generated cases.

For every case, at one of several as-of moments (the benchmark's, earlier ones, the nights the clocks change), both
paths must give the same obligations with the same state, timeliness, due date, moment of breach, next change and
every other field; the rules the verdict path only names (for other kinds of case, not started) must be exactly one
not-applicable obligation with no dates in the full evaluation; the warnings must agree; an error must be the same
error; and where the verdict path gives what is still needed, it must be the full path's words (an overdue
obligation always has them, for the breach list). Since explanations are made from these fields alone, equal fields
mean identical explanations; the breaches' explanations are compared as text as well.

    python -m tests.differential --cases 200000            # what CI runs
    python -m tests.differential --cases 20000 --seed 5    # another sample

Exits 1, listing the first disagreements, if the paths disagree anywhere.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Iterable, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import generate  # noqa: E402  (benchmarks/generate.py: the synthetic export)

from charter_rules import CompiledRulebook, default_rulebook, evaluate  # noqa: E402
from charter_rules.errors import CharterRulesError  # noqa: E402
from charter_rules.evaluator.verdicts import VerdictPlan, Verdicts  # noqa: E402
from charter_rules.explain import obligation_text  # noqa: E402
from charter_rules.obligation import Evaluation, Obligation, State, Timeliness  # noqa: E402

UTC = dt.timezone.utc
# as-of moments the cases are evaluated at, in turn: the benchmark's; a month and a half earlier; the first hour of
# British Summer Time 2026 and the repeated hour when it ended in 2025; and a working morning in January
AS_OF_MOMENTS = (
    generate.AS_OF,
    generate.AS_OF - dt.timedelta(days=45),
    dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
    dt.datetime(2025, 10, 26, 1, 30, tzinfo=UTC),
    dt.datetime(2026, 1, 14, 9, 0, tzinfo=UTC),
)
FIELDS = tuple(f.name for f in dataclasses.fields(Obligation) if f.name != "needed")


def disagreements(full: Evaluation, fast: Verdicts) -> list[str]:
    """Every way the verdict path differs from the full evaluation of the same case at the same moment."""
    out: list[str] = []
    named = set(fast.not_started) | set(fast.not_for_kind)
    if len(named) != len(fast.not_started) + len(fast.not_for_kind):
        out.append("a rule is named twice among those not started or not for this kind of case")
    by_rule: dict[str, list[Obligation]] = {}
    for obligation in full.obligations:
        by_rule.setdefault(obligation.rule_id, []).append(obligation)
    for rule_id in sorted(named):
        out.extend(f"{rule_id}: {problem}" for problem in _only_not_applicable(by_rule.get(rule_id, [])))
    expected = [o for o in full.obligations if o.rule_id not in named]
    if len(expected) != len(fast.obligations):
        out.append(f"{len(expected)} obligations evaluated in full, {len(fast.obligations)} on the verdict path")
    for want, got in zip(expected, fast.obligations):
        out.extend(f"{want.rule_id} #{want.instance}: {p}" for p in _obligation_differences(want, got))
    if full.warnings != fast.warnings:
        out.append(f"warnings {full.warnings!r} against {fast.warnings!r}")
    if full.case_id != fast.case_id:
        out.append(f"case id {full.case_id!r} against {fast.case_id!r}")
    return out


def _only_not_applicable(obligations: list[Obligation]) -> Iterator[str]:
    if len(obligations) != 1:
        yield f"{len(obligations)} obligations in full where the verdict path counts one, not applicable"
        return
    o = obligations[0]
    if o.state is not State.NOT_APPLICABLE or o.timeliness is not None:
        yield f"{o.status.value} in full where the verdict path counts it not applicable"
    dated = {name: getattr(o, name) for name in ("triggered_at", "due_date", "due_at", "satisfied_at",
                                                 "next_change", "deadline") if getattr(o, name) is not None}
    if dated:
        yield f"has {', '.join(sorted(dated))} in full, which the verdict path leaves out"
    if o.missing_facts:
        yield f"misses facts {o.missing_facts} in full, which the verdict path leaves out"


def _obligation_differences(want: Obligation, got: Obligation) -> Iterator[str]:
    for name in FIELDS:
        a, b = getattr(want, name), getattr(got, name)
        if a != b or (isinstance(a, dt.datetime) and isinstance(b, dt.datetime) and a.utcoffset() != b.utcoffset()):
            yield f"{name} {a!r} in full, {b!r} on the verdict path"
    if got.needed is not None and got.needed != want.needed:
        yield f"still needed {want.needed!r} in full, {got.needed!r} on the verdict path"
    breach = got.state is State.OPEN and got.timeliness is Timeliness.OVERDUE
    if breach and got.needed != want.needed:
        yield "an overdue obligation without what is still needed on the verdict path"
    if (breach or got.timeliness is Timeliness.SATISFIED_LATE) and obligation_text(want) != obligation_text(got):
        yield "the breach is explained differently"


def compare_case(book: CompiledRulebook, plan: VerdictPlan, snapshot,
                 as_of: dt.datetime) -> tuple[list[str], Verdicts | None]:
    """The disagreements of one case (an error must be the same error on both paths), and its verdicts."""
    try:
        full: Evaluation | CharterRulesError = evaluate(book, snapshot, as_of=as_of)
    except CharterRulesError as exc:
        full = exc
    try:
        fast: Verdicts | CharterRulesError = plan.evaluate(snapshot, as_of=as_of)
    except CharterRulesError as exc:
        fast = exc
    if isinstance(full, CharterRulesError) or isinstance(fast, CharterRulesError):
        if type(full) is not type(fast) or str(full) != str(fast):
            return [f"{full!r} in full, {fast!r} on the verdict path"], None
        return [], None
    return disagreements(full, fast), fast


def snapshots(book: CompiledRulebook, lines: Iterable[bytes]) -> Iterator[object]:
    """The generated records (with the generator's data faults) that the case model accepts."""
    model = book.snapshot_model
    for line in lines:
        try:
            yield model.model_validate_json(line)
        except ValueError:
            continue  # a data fault: check rejects it before either path sees it


def run_block(seed: int, block: int, count: int) -> tuple[Counter, list[str]]:
    """One block of the generated export (the generator's unit, with its own seed; without data faults, which
    check rejects before either path sees them), compared in this process."""
    book = default_rulebook()
    return run(book, snapshots(book, generate.block_lines(seed, block, count, True)))


def run(book: CompiledRulebook, cases: Iterable[object]) -> tuple[Counter, list[str]]:
    """Compare every case; the tally (cases, obligations, statuses on the verdict path) and the disagreements."""
    plan = VerdictPlan(book)
    tally: Counter = Counter()
    problems: list[str] = []
    for number, snapshot in enumerate(cases):
        as_of = AS_OF_MOMENTS[number % len(AS_OF_MOMENTS)]
        found, fast = compare_case(book, plan, snapshot, as_of)
        tally["cases"] += 1
        if found:
            tally["cases that disagree"] += 1
            if len(problems) < 50:
                problems.extend(f"case {snapshot.case_id} as of {as_of.isoformat()}: {p}" for p in found[:5])
            continue
        if fast is None:
            tally["errors (the same on both paths)"] += 1
            continue
        tally["obligations"] += len(fast.obligations) + len(fast.not_started) + len(fast.not_for_kind)
        tally.update(o.status.value for o in fast.obligations)
    return tally, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=200_000, help="how many records to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)), help="processes (default: cores)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    blocks = [(args.seed, b, min(generate.BLOCK, args.cases - b * generate.BLOCK))
              for b in range((args.cases + generate.BLOCK - 1) // generate.BLOCK)]
    tally: Counter = Counter()
    problems: list[str] = []
    with ProcessPoolExecutor(max(1, args.workers)) as pool:
        for block_tally, block_problems in pool.map(run_block, *zip(*blocks)):
            tally.update(block_tally)
            problems.extend(block_problems[:50 - len(problems)] if len(problems) < 50 else ())
    elapsed = time.perf_counter() - started
    print(f"{tally['cases']:,} cases ({tally['obligations']:,} obligations) compared in {elapsed:.0f} s; "
          f"{tally['cases that disagree']:,} disagree")
    print("statuses on the verdict path: " + ", ".join(
        f"{status} {tally[status]:,}" for status in ("due", "at_risk", "overdue", "satisfied", "satisfied_late",
                                                     "waived", "paused", "not_applicable", "indeterminate")))
    for problem in problems:
        print("  " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
