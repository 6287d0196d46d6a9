"""The evaluator alone, with the full rule book: microseconds per case (median and 95th percentile) and cases per
second, on a typical crime report and on the synthetic mix of case kinds. Validation is done beforehand and is not
timed. Run by hand (numbers go in the closing note of a change, never into tests):

    python benchmarks/bench_evaluator.py                # 20 000 cases of the synthetic mix
    python benchmarks/bench_evaluator.py --cases 5000 --per-rule

Each figure is given for the full evaluation (``charter_rules.evaluate``, with every explanation) and for the
verdict path ``check`` uses (``evaluator/verdicts.py``).

Issue 2's target: a typical case against the full rule book in under 100 microseconds (median).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import generate  # noqa: E402
from machine import describe_machine  # noqa: E402

from charter_rules import default_rulebook, evaluate  # noqa: E402
from charter_rules.caseview import CaseView  # noqa: E402

# A typical crime report: burglary, victim details complete, referred and confirmed in writing, an arrest told to
# the victim, three monthly updates, the investigation still open; 9 events.
TYPICAL = {
    "case_id": "CR-TYPICAL", "kind": "crime_report", "received_at": "2026-03-02T09:15:00+00:00",
    "facts": {"offence_category": "burglary", "victim_age_at_offence": 46, "victim_vulnerable": False,
              "victim_intimidated": False, "victim_persistently_targeted": False, "bereaved_family": False,
              "victim_is_business": False, "victim_name": "Sam Example", "victim_phone": "07700900000"},
    "events": [
        {"id": "e1", "type": "reference_number_issued", "at": "2026-03-02T09:20:00+00:00", "reference": "CR-TYPICAL"},
        {"id": "e2", "type": "referred_to_victim_support", "at": "2026-03-02T16:00:00+00:00", "service": "VS"},
        {"id": "e3", "type": "written_confirmation_sent", "at": "2026-03-03T10:00:00+00:00", "reference": "CR-TYPICAL",
         "includes_officer_contact": True, "method": "email"},
        {"id": "e4", "type": "officer_in_charge_assigned", "at": "2026-03-03T11:00:00+00:00", "officer": "PC 1234"},
        {"id": "e5", "type": "suspect_arrested", "at": "2026-03-10T06:30:00+00:00", "suspect": "S1"},
        {"id": "e6", "type": "victim_informed", "at": "2026-03-11T10:00:00+00:00", "about": "arrest", "suspect": "S1",
         "method": "phone"},
        {"id": "e7", "type": "victim_updated", "at": "2026-03-30T10:00:00+01:00", "method": "phone",
         "investigation_active": True, "next_review_date": "2026-04-27"},
        {"id": "e8", "type": "victim_updated", "at": "2026-04-24T10:00:00+01:00", "method": "phone",
         "investigation_active": True, "next_review_date": "2026-05-22"},
        {"id": "e9", "type": "victim_updated", "at": "2026-05-20T10:00:00+01:00", "method": "email",
         "investigation_active": True, "next_review_date": "2026-06-19"},
    ],
}


def timings(book, snapshots, as_of, rounds: int, evaluator=None) -> list[float]:
    """Microseconds per evaluation, the best of ``rounds`` for each case (less noise from other processes).
    ``evaluator``: another function of (book, snapshot, as_of=...) to time, such as the verdict path."""
    evaluator = evaluator or evaluate
    best = [float("inf")] * len(snapshots)
    clock = time.perf_counter_ns
    for _ in range(rounds):
        for i, snapshot in enumerate(snapshots):
            start = clock()
            evaluator(book, snapshot, as_of=as_of)
            elapsed = (clock() - start) / 1000
            if elapsed < best[i]:
                best[i] = elapsed
    return best


def summary(label: str, micros: list[float]) -> str:
    ordered = sorted(micros)
    median = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    mean = statistics.fmean(ordered)
    return (f"{label:34s} median {median:7.1f} us   p95 {p95:7.1f} us   mean {mean:7.1f} us   "
            f"{1e6 / mean:9,.0f} cases/s (one core)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3, help="time each case this many times, keep the best")
    parser.add_argument("--per-rule", action="store_true", help="also time each rule alone on crime reports")
    parser.add_argument("--profile", action="store_true", help="also show where the verdict path's time goes")
    args = parser.parse_args(argv)

    book = default_rulebook()
    model = book.snapshot_model
    as_of = generate.AS_OF
    print(describe_machine())
    print(f"rule book: {len(book.rules)} rules; as of {as_of.isoformat()}")

    from charter_rules.evaluator.verdicts import VerdictPlan  # here, so bench_ab.py can read TYPICAL from older trees

    plan = VerdictPlan(book)

    def verdicts(_book, snapshot, *, as_of):
        return plan.evaluate(snapshot, as_of=as_of)

    typical = model.model_validate(TYPICAL)
    print(summary("typical crime report (9 events)", timings(book, [typical] * 2000, as_of, args.rounds)))
    print(summary("  verdict path (check)", timings(book, [typical] * 2000, as_of, args.rounds, verdicts)))

    snapshots = [model.model_validate_json(line) for line in generate.generate(args.cases, seed=1, clean=True)]
    print(summary(f"synthetic mix ({len(snapshots)} cases)", timings(book, snapshots, as_of, args.rounds)))
    print(summary("  verdict path (check)", timings(book, snapshots, as_of, args.rounds, verdicts)))
    by_kind: dict[str, list] = {}
    for snapshot in snapshots:
        by_kind.setdefault(snapshot.kind, []).append(snapshot)
    for kind, group in sorted(by_kind.items()):
        print(summary(f"  {kind} ({len(group)})", timings(book, group, as_of, args.rounds)))
    crime = by_kind.get("crime_report", [])[:3000]
    start = time.perf_counter()
    for snapshot in crime:
        CaseView(snapshot, as_of)
    print(f"{'  of which CaseView (crime)':34s} {(time.perf_counter() - start) / max(len(crime), 1) * 1e6:7.1f} us")
    if args.per_rule and crime:
        empty = replace(book, rules=(), by_id=MappingProxyType({}))
        base = statistics.median(timings(empty, crime, as_of, args.rounds))
        print(f"\nper rule, on {len(crime)} crime reports (median, less {base:.1f} us for the case view):")
        for rule in book.rules:
            if "crime_report" not in rule.kinds:
                continue
            alone = replace(book, rules=(rule,), by_id=MappingProxyType({rule.id: rule}))
            print(f"  {rule.id:42s} {statistics.median(timings(alone, crime, as_of, args.rounds)) - base:7.1f} us")
    if args.profile and crime:
        print_profile(plan, crime, as_of)
    return 0


# where the verdict path's time goes, by step: (label, function) pairs whose cumulative time is reported
STEPS = (
    ("the case view (events in order, London dates)", "caseview.py", "__init__"),
    ("applicability, waivers and variants (once per version)", "applicability.py", "terms_for"),
    ("the deadline: clock start, restarts, pauses, the date arithmetic", "clock.py", "apply_pauses"),
    ("  of which the date arithmetic and its record", "deadlines.py", "compute_deadline"),
    ("extensions", "clock.py", "apply_extensions"),
    ("the event that meets it", "occurrence.py", "met_by"),
    ("state and timeliness at the as-of moment", "status.py", "decide_status"),
    ("the next occurrence of a repeating obligation", "rule.py", "next_occurrence"),
    ("the end of a repeating obligation", "rule.py", "series_end"),
    ("what starts each obligation", "rule.py", "starts_of"),
)


def print_profile(plan, snapshots: list, as_of) -> None:
    """The verdict path under cProfile: each step's share of the time (cumulative, so steps inside others are
    counted in both), then the functions that spend the most time themselves. cProfile adds a fixed cost per call,
    so the shares, not the microseconds, are what to read."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for snapshot in snapshots:
        plan.evaluate(snapshot, as_of=as_of)
    profiler.disable()
    stats = pstats.Stats(profiler)
    entries = stats.stats  # type: ignore[attr-defined]  # (file, line, name) -> (calls, ncalls, own, cumulative, _)
    total = sum(value[2] for value in entries.values())
    print(f"\nwhere the verdict path's time goes on {len(snapshots)} crime reports (cProfile, share of the total):")
    for label, module, name in STEPS:
        cumulative = sum(value[3] for (path, _, func), value in entries.items()
                         if path.endswith(module) and func == name)
        print(f"  {label:66s} {cumulative / total * 100:5.1f} %")
    print("functions spending the most time themselves:")
    ranked = sorted(entries.items(), key=lambda item: item[1][2], reverse=True)[:15]
    for (path, line, func), (_, calls, own, _, _) in ranked:
        where = f"{Path(path).name}:{line}({func})" if line else func
        print(f"  {where:66s} {own / total * 100:5.1f} %  {calls / len(snapshots):6.1f} calls a case")


if __name__ == "__main__":
    raise SystemExit(main())
