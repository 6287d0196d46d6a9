"""Benchmark the live monitor: events per second through ``post`` (escalations on, each matcher), and ``tick`` over
many open cases in a SQLite file.

    python benchmarks/bench_live.py                      # 1,000 cases for post, 100,000 for tick
    python benchmarks/bench_live.py --post-cases 200 --tick-cases 10000

Synthetic cases (seed 42): half crime reports (a third with enhanced rights), half FOI requests, received over
30 days; crime cases get arrests, notices (some late, some never), a referral; FOI requests a response (some late)
and sometimes a fee pause. Numbers are wall-clock on this machine; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import charter_rules
from charter_rules.live import Monitor, durable_importable, load_escalations

UTC = dt.timezone.utc
START = dt.datetime(2026, 3, 2, 9, tzinfo=UTC)
PLAIN = {"offence_category": "burglary", "victim_age_at_offence": 45, "victim_vulnerable": False,
         "victim_intimidated": False, "victim_persistently_targeted": False, "bereaved_family": False,
         "victim_is_business": False}
ENHANCED = {"offence_category": "domestic_abuse", "victim_age_at_offence": 30, "victim_is_business": False}


def _at(moment: dt.datetime) -> str:
    return moment.isoformat()


def make_cases(n: int, seed: int = 42) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        received = START + dt.timedelta(minutes=rng.randrange(30 * 24 * 60))
        events: list[dict[str, Any]] = []
        if i % 2 == 0:
            facts = ENHANCED if rng.random() < 1 / 3 else PLAIN
            record = {"case_id": f"CR-{i}", "kind": "crime_report", "received_at": _at(received), "facts": facts}
            for s in range(rng.randrange(0, 3)):
                arrest = received + dt.timedelta(hours=rng.randrange(1, 200))
                events.append({"id": f"a{s}", "type": "suspect_arrested", "at": _at(arrest), "suspect": f"S{s}"})
                if rng.random() < 0.8:
                    told = arrest + dt.timedelta(hours=rng.randrange(1, 300))
                    events.append({"id": f"i{s}", "type": "victim_informed", "at": _at(told), "about": "arrest",
                                   "suspect": f"S{s}"})
            if rng.random() < 0.7:
                events.append({"id": "v1", "type": "referred_to_victim_support",
                               "at": _at(received + dt.timedelta(hours=rng.randrange(1, 120)))})
        else:
            record = {"case_id": f"FOI-{i}", "kind": "foi_request", "received_at": _at(received)}
            if rng.random() < 0.2:
                fee = received + dt.timedelta(days=rng.randrange(1, 10))
                events.append({"id": "f1", "type": "foi_fees_notice_given", "at": _at(fee)})
                events.append({"id": "f2", "type": "foi_fee_received", "at": _at(fee + dt.timedelta(days=3))})
            if rng.random() < 0.85:
                events.append({"id": "r1", "type": "foi_response_sent",
                               "at": _at(received + dt.timedelta(days=rng.randrange(5, 40)))})
        out.append((record, events))
    return out


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_post(cases: list[tuple[dict[str, Any], list[dict[str, Any]]]], matcher: str, folder: Path) -> dict[str, Any]:
    book = charter_rules.default_rulebook()
    escalations = False if matcher == "off" else None
    stream = sorted(((dt.datetime.fromisoformat(e["at"]), r["case_id"], e) for r, evs in cases for e in evs),
                    key=lambda row: (row[0], row[1], row[2]["id"]))
    with Monitor(folder / f"post-{matcher}.sqlite", book=book, escalations=escalations,
                 matcher="python" if matcher == "off" else matcher) as monitor:
        started = time.perf_counter()
        with monitor.transaction():
            for record, _ in cases:
                monitor.put_case(record, as_of=dt.datetime.fromisoformat(record["received_at"]))
        opened = time.perf_counter() - started
        transitions = notifications = 0
        started = time.perf_counter()
        for _, case_id, event in stream:
            update = monitor.post(case_id, event)
            transitions += len(update.transitions)
            notifications += len(update.notifications)
        elapsed = time.perf_counter() - started
        return {"matcher": monitor.matcher.name if matcher != "off" else "off", "cases": len(cases),
                "open_s": opened, "events": len(stream), "post_s": elapsed, "events_per_s": len(stream) / elapsed,
                "transitions": transitions, "escalations": notifications}


def bench_tick(n: int, folder: Path, matcher: str) -> list[dict[str, Any]]:
    book = charter_rules.default_rulebook()
    cases = make_cases(n, seed=7)
    rows = []
    with Monitor(folder / "tick.sqlite", book=book, matcher=matcher) as monitor:
        started = time.perf_counter()
        with monitor.transaction():
            for record, _ in cases:
                monitor.put_case(record, as_of=dt.datetime.fromisoformat(record["received_at"]))
        rows.append({"step": f"open {n:,} cases (one transaction)", "seconds": time.perf_counter() - started,
                     "evaluated": n})
        last = max(dt.datetime.fromisoformat(r["received_at"]) for r, _ in cases)
        for label, moment in (("catch-up tick to the last receipt", last),
                              ("tick +1 minute", last + dt.timedelta(minutes=1)),
                              ("tick +1 day", last + dt.timedelta(days=1)),
                              ("tick +1 day 1 minute", last + dt.timedelta(days=1, minutes=1)),
                              ("tick +8 days", last + dt.timedelta(days=8)),
                              ("tick +60 days (every deadline passed)", last + dt.timedelta(days=60))):
            started = time.perf_counter()
            update = monitor.tick(moment)
            elapsed = time.perf_counter() - started
            rows.append({"step": label, "seconds": elapsed, "transitions": len(update.transitions),
                         "escalations": len(update.notifications), "evaluated": monitor.store.count(as_of=moment)})
        started = time.perf_counter()
        for _ in range(1000):
            monitor.next_wake()
        rows.append({"step": "next_wake() (mean of 1,000)", "seconds": (time.perf_counter() - started) / 1000})
    return rows


def bench_match(n: int) -> list[tuple[str, float, int]]:
    """Matching alone: the bundled escalation rules over ``n`` synthetic transition facts."""
    from charter_rules.live import PythonMatcher

    escalations = load_escalations(charter_rules.default_rulebook())
    rng = random.Random(3)
    rules = ["vcop-arrest-notice", "foi-response", "vcop-support-referral", "charter-monthly-update"]
    facts = []
    for _ in range(n):
        fact: dict[str, Any] = {"transition": rng.choice(["opened", "at_risk", "overdue", "satisfied", "working_day"]),
                                "rule": rng.choice(rules), "case_kind": "crime_report", "instance": 1,
                                "case_overdue_before": rng.randrange(4), "working_day": rng.randrange(1, 25)}
        fact["case_overdue_count"] = fact["case_overdue_before"] + (fact["transition"] == "overdue")
        for prop, name in escalations.facts_used.items():
            if rng.random() < 0.8:
                fact[prop] = rng.choice([True, False]) if name.startswith(("victim_v", "victim_i", "victim_p", "bere",
                                                                           "victim_opted")) else None
        fact["fact_offence_category"] = rng.choice(["domestic_abuse", "burglary", "fraud"])
        fact["fact_victim_age_at_offence"] = rng.randrange(10, 80)
        facts.append({k: v for k, v in fact.items() if v is not None})
    out = []
    matchers: list[Any] = [PythonMatcher(escalations)]
    if durable_importable():
        from charter_rules.live.durable_adapter import DurableMatcher

        matchers.append(DurableMatcher(escalations))
    for matcher in matchers:
        matcher.match(facts[:100])  # warm up
        started = time.perf_counter()
        hits = matcher.match(facts)
        out.append((matcher.name, time.perf_counter() - started, len(hits)))
        matcher.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--post-cases", type=int, default=1000)
    parser.add_argument("--tick-cases", type=int, default=100_000)
    parser.add_argument("--tick-matcher", default="python", choices=["python", "durable"])
    parser.add_argument("--match-facts", type=int, default=20_000)
    args = parser.parse_args()
    charter_rules.default_rulebook()
    load_escalations(charter_rules.default_rulebook())
    print(f"Python {sys.version.split()[0]}; durable-rules importable: {durable_importable()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = make_cases(args.post_cases)
        print(f"\npost: {args.post_cases:,} cases opened, then every event posted in time order (SQLite file)")
        print(f"{'escalations':<14}{'events':>8}{'events/s':>10}{'µs/event':>10}{'transitions':>13}"
              f"{'escalations':>13}{'open cases/s':>14}")
        for matcher in ["off", "python"] + (["durable"] if durable_importable() else []):
            r = bench_post(cases, matcher, folder)
            print(f"{r['matcher']:<14}{r['events']:>8,}{r['events_per_s']:>10,.0f}{1e6 / r['events_per_s']:>10,.0f}"
                  f"{r['transitions']:>13,}{r['escalations']:>13,}{r['cases'] / r['open_s']:>14,.0f}")
        print(f"\nmatching alone: {args.match_facts:,} transition facts against the bundled escalation rules")
        for name, seconds, hits in bench_match(args.match_facts):
            print(f"  {name:<10}{args.match_facts / seconds:>12,.0f} facts/s{1e6 * seconds / args.match_facts:>8.1f} µs/fact"
                  f"{hits:>8,} matches")
        print(f"\ntick over {args.tick_cases:,} open cases (escalations on, {args.tick_matcher} matcher)")
        for row in bench_tick(args.tick_cases, folder, args.tick_matcher):
            extra = ""
            if "transitions" in row:
                extra = (f"  {row['evaluated']:>7,} cases re-evaluated, {row['transitions']:>7,} transitions, "
                         f"{row['escalations']:>6,} escalations")
            print(f"  {row['step']:<40}{row['seconds'] * 1000:>12,.2f} ms{extra}")
    print(f"\nmax RSS {rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
