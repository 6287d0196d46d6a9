"""Fuzzing: hypothesis strategies over the whole snapshot space and over mutated rule files, and a long run by hand.

Every snapshot the strategies make is put through everything a record meets: validation, evaluation at an as-of
moment, the explanation (text and JSON, serialised), the case timeline and the live monitor's event digest. The one
property: nothing raises except a ``CharterRulesError`` (which every caller reports as a bad record).

Timestamps cover the edges of what Python and the supported range can hold: years 1, 1899, 1900, 2199, 2200, 9998
and 9999, offsets up to +-23:59, plus the shapes that are refused (numbers, digit strings, no offset).

The suite runs a bounded budget (``tests/test_fuzz.py``). The long run, by hand::

    python -m tests.fuzzing --snapshots 100000 --rules 2000 [--engine hypothesis] [--seed 14]

prints how many inputs were tried, how many were refused with a CharterRulesError, and every other exception.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import orjson
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import charter_rules as cr
from charter_rules.errors import CharterRulesError, Problem
from charter_rules.explain import explain_json, explain_text
from charter_rules.live.inputs import digest
from charter_rules.model import FieldSpec, Rule
from charter_rules.rulebook import read_mapping as _read, validate_model as _validate
from charter_rules.check.case_timeline import case_timeline

BOOK = cr.default_rulebook()
VOCABULARY = BOOK.vocabulary
RULES_DIR = BOOK.rulebook.root

# --- moments --------------------------------------------------------------------------------------------------------

EDGE_YEARS = [1, 2, 1899, 1900, 1901, 1970, 2025, 2026, 2027, 2198, 2199, 2200, 9998, 9999]
EDGE_OFFSETS = [0, 60, -60, 23 * 60 + 59, -(23 * 60 + 59), 330, -210]


def _stamp(year: int, month: int, day: int, second_of_day: int, offset: int, form: str) -> Any:
    day = min(day, 28 if month == 2 else 30)
    hh, rest = divmod(second_of_day, 3600)
    mm, ss = divmod(rest, 60)
    sign = "+" if offset >= 0 else "-"
    oh, om = divmod(abs(offset), 60)
    base = f"{year:04d}-{month:02d}-{day:02d}T{hh:02d}:{mm:02d}:{ss:02d}"
    if form == "offset":
        return f"{base}{sign}{oh:02d}:{om:02d}"
    if form == "z":
        return base + "Z"
    if form == "naive":
        return base
    if form == "date":
        return base[:10]
    if form == "epoch":
        return 1_700_000_000 + second_of_day
    return str(1_700_000_000 + second_of_day)  # digits


usual_moment = st.builds(
    lambda month, day, second, offset: _stamp(2026, month, day, second, offset, "offset"),
    st.integers(1, 12), st.integers(1, 31), st.integers(0, 86399), st.sampled_from([0, 60]))
edge_moment = st.builds(
    _stamp,
    st.one_of(st.sampled_from(EDGE_YEARS), st.integers(1, 9999)), st.integers(1, 12), st.integers(1, 31),
    st.one_of(st.sampled_from([0, 86399, 3600]), st.integers(0, 86399)),
    st.one_of(st.sampled_from(EDGE_OFFSETS), st.integers(-1439, 1439)),
    st.sampled_from(["offset", "offset", "offset", "z", "naive", "date", "epoch", "digits"]))


def _aware(text: Any) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


as_of_moments = st.one_of(usual_moment, usual_moment, usual_moment, edge_moment).map(_aware).filter(lambda m: m is not None)

# --- values by vocabulary type --------------------------------------------------------------------------------------

HUGE = [2 ** 63 - 1, 2 ** 63, 2 ** 64, 10 ** 30, -(2 ** 63) - 1]
junk = st.one_of(st.none(), st.text(max_size=12), st.integers(), st.sampled_from([*HUGE, -1, 367, 131]), st.booleans(),
                 st.floats(allow_nan=False), st.lists(st.integers(), max_size=2))
hostile_text = st.one_of(st.text(max_size=30),
                         st.sampled_from(["\x1b[31mred", "=cmd|'/C calc'!A0", "\ufffe\uffff", "\u202eevil", "\x00"]))


def value_for(spec: FieldSpec) -> st.SearchStrategy[Any]:
    """Values of the field's type, its edges included (junk is added by ``snapshots``)."""
    if spec.enum:
        good: st.SearchStrategy[Any] = st.sampled_from(spec.enum)
    elif spec.type == "integer":
        low = spec.minimum if spec.minimum is not None else -10
        high = spec.maximum if spec.maximum is not None else 10 ** 6
        good = st.one_of(st.integers(low, high), st.sampled_from([low, high]))
    elif spec.type == "number":
        good = st.floats(allow_nan=False)
    elif spec.type == "boolean":
        good = st.booleans()
    elif spec.type == "date":
        good = usual_moment.map(lambda m: m[:10])
    elif spec.type == "datetime":
        good = usual_moment
    elif spec.type == "string_list":
        good = st.lists(hostile_text, max_size=3)
    else:
        good = hostile_text
    return good


def _event_strategy(type_name: str) -> st.SearchStrategy[dict[str, Any]]:
    spec = VOCABULARY.events[type_name]
    fields = {name: value_for(f) for name, f in spec.fields.items()}
    required = {name: fields[name] for name, f in spec.fields.items() if f.required}
    optional = {name: fields[name] for name, f in spec.fields.items() if not f.required}
    return st.fixed_dictionaries({"type": st.just(type_name), "at": usual_moment, **required},
                                 optional={**optional, "note": hostile_text, "id": st.text(max_size=4)})


events = st.one_of([_event_strategy(name) for name in VOCABULARY.events])
facts = st.fixed_dictionaries({}, optional={name: value_for(spec) for name, spec in VOCABULARY.facts.items()})


@st.composite
def snapshots(draw: st.DrawFn) -> dict[str, Any]:
    """A case snapshot anywhere in the space the vocabulary allows, and a little beyond it."""
    mode = draw(st.sampled_from(["clean", "clean", "clean", "edges", "dirty"]))
    event_list = draw(st.lists(events, max_size=8))
    for index, event in enumerate(event_list):
        if "id" in event:
            event["id"] = f"e{index}" if draw(st.integers(0, 19)) else "e0"  # now and then, an id used twice
    case = {
        "case_id": draw(st.one_of(st.just("F-1"), hostile_text.filter(bool))),
        "kind": draw(st.sampled_from(list(VOCABULARY.case_kinds))),
        "received_at": draw(usual_moment),
        "facts": draw(facts),
        "events": event_list,
    }
    if mode == "edges":  # some timestamps at the edges of dates (and the refused shapes)
        if draw(st.booleans()):
            case["received_at"] = draw(edge_moment)
        for event in event_list:
            if draw(st.booleans()):
                event["at"] = draw(edge_moment)
    elif mode == "dirty":  # one value of the wrong type, or out of bounds, somewhere
        targets = [case, case["facts"], *event_list]
        target = draw(st.sampled_from(targets))
        keys = sorted(target) + ["unknown_key"]
        target[draw(st.sampled_from(keys))] = draw(junk)
    return case


def run_snapshot(data: dict[str, Any], as_of: dt.datetime, as_json: bool) -> str:
    """Everything a record meets; returns "ok" or the CharterRulesError class that refused it."""
    try:
        payload: Any = json.dumps(data).encode() if as_json else data
        snapshot = cr.parse_snapshot(payload, BOOK)
        for event in snapshot.events:
            digest(event)
        evaluation = cr.evaluate(BOOK, snapshot, as_of=as_of)
        orjson.dumps(explain_json(evaluation, BOOK))
        explain_text(evaluation, include_not_applicable=True)
        orjson.dumps(case_timeline(BOOK, snapshot, evaluation, "fuzz:1", None))
    except CharterRulesError as exc:
        return type(exc).__name__
    return "ok"


# --- the same space, drawn with random (hypothesis draws about 50 ms a snapshot; this draws 100,000 in seconds) ---

HOSTILE = ["\x1b[31mred", "=cmd|'/C calc'!A0", "\ufffe\uffff", "\u202eevil", "\x00", "", "plain", "Ωmega"]
JUNK: list[Any] = [None, "", "x", "2026-13-45", 0, -1, 131, 367, *HUGE, True, 1.5, -1e308, [1], {"a": 1}]


def random_moment(rng: random.Random, edge: bool) -> Any:
    if not edge:
        return _stamp(2026, rng.randint(1, 12), rng.randint(1, 31), rng.randint(0, 86399), rng.choice([0, 60]),
                      "offset")
    year = rng.choice(EDGE_YEARS) if rng.random() < 0.7 else rng.randint(1, 9999)
    offset = rng.choice(EDGE_OFFSETS) if rng.random() < 0.7 else rng.randint(-1439, 1439)
    second = rng.choice([0, 86399, 3600]) if rng.random() < 0.5 else rng.randint(0, 86399)
    form = rng.choice(["offset", "offset", "offset", "z", "naive", "date", "epoch", "digits"])
    return _stamp(year, rng.randint(1, 12), rng.randint(1, 31), second, offset, form)


def random_value(rng: random.Random, spec: FieldSpec) -> Any:
    if spec.enum:
        return rng.choice(spec.enum)
    if spec.type == "integer":
        low = spec.minimum if spec.minimum is not None else -10
        high = spec.maximum if spec.maximum is not None else 10 ** 6
        return rng.choice([low, high, rng.randint(low, high)])
    if spec.type == "number":
        return rng.uniform(-1e6, 1e6)
    if spec.type == "boolean":
        return rng.random() < 0.5
    if spec.type == "date":
        return random_moment(rng, False)[:10]
    if spec.type == "datetime":
        return random_moment(rng, False)
    if spec.type == "string_list":
        return [rng.choice(HOSTILE) for _ in range(rng.randint(0, 3))]
    return rng.choice(HOSTILE)


EVENT_TYPES = sorted(VOCABULARY.events)


def random_snapshot(rng: random.Random) -> dict[str, Any]:
    """What ``snapshots`` draws, drawn with ``random``: clean, with date edges, or with one junk value."""
    mode = rng.choice(["clean", "clean", "clean", "edges", "dirty"])
    kind = rng.choice(sorted(VOCABULARY.case_kinds))
    facts = {name: random_value(rng, spec) for name, spec in VOCABULARY.facts.items() if rng.random() < 0.4}
    events = []
    for index in range(rng.randint(0, 8)):
        type_name = rng.choice(EVENT_TYPES)
        spec = VOCABULARY.events[type_name]
        event: dict[str, Any] = {"id": f"e{index}" if rng.random() < 0.95 else "e0", "type": type_name,
                                 "at": random_moment(rng, mode == "edges" and rng.random() < 0.5)}
        for name, field_spec in spec.fields.items():
            if field_spec.required or rng.random() < 0.5:
                event[name] = random_value(rng, field_spec)
        if rng.random() < 0.2:
            event["note"] = rng.choice(HOSTILE)
        events.append(event)
    case = {"case_id": rng.choice(["F-1", *HOSTILE[:5]]), "kind": kind,
            "received_at": random_moment(rng, mode == "edges" and rng.random() < 0.5), "facts": facts,
            "events": events}
    if mode == "dirty":
        target = rng.choice([case, facts, *events])
        target[rng.choice([*sorted(target), "unknown_key"])] = rng.choice(JUNK)
    return case


def random_as_of(rng: random.Random) -> dt.datetime:
    while True:
        moment = _aware(random_moment(rng, rng.random() < 0.25))
        if moment is not None:
            return moment


# --- rule files ------------------------------------------------------------------------------------------------------

RULE_FILES = sorted((RULES_DIR / "commitments").glob("*.yaml"))
RULE_DATA = {path.name: yaml.safe_load(path.read_text()) for path in RULE_FILES}
leaf_values = st.one_of(st.sampled_from([0, -1, -10 ** 6, 10 ** 9, 10 ** 23, 2 ** 64, "", None, True, [], {},
                                         "2026-02-30", "9999-12-31", "0001-01-01", "&a", "*a", "!!python/object"]),
                        st.text(max_size=8), st.integers())


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, prefix + (key,)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, prefix + (index,)))
    return found


def _mutate(data: Any, path: tuple[Any, ...], op: str, value: Any) -> Any:
    if not path:
        return value if op == "replace" else data
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if op == "replace":
        parent[last] = value
    elif op == "delete":
        del parent[last]
    elif op == "wrap":
        parent[last] = [parent[last]]
    elif op == "rename" and isinstance(parent, dict):
        parent[f"{last}x"] = parent.pop(last)
    return data


@st.composite
def rule_documents(draw: st.DrawFn) -> tuple[str, str]:
    """(file name, YAML text): a bundled rule file with a few mutations of its data, sometimes of its text."""
    name = draw(st.sampled_from(sorted(RULE_DATA)))
    data = copy.deepcopy(RULE_DATA[name])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)))
        op = draw(st.sampled_from(["replace", "replace", "delete", "wrap", "rename"]))
        data = _mutate(data, path, op, draw(leaf_values))
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    if draw(st.integers(0, 9)) == 0:  # a mutation of the text itself
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(["\t", ": :", "\n  - ", "'", "&a x\n", "*a", "{", "\x00"])) + text[at:]
    return name, text


_COMPILER: Any = None
_CASES = [json.loads(p.read_text()) for p in sorted((RULES_DIR.parent / "examples" / "cases").glob("*.json"))]
_AS_OF = dt.datetime(2026, 11, 30, 12, tzinfo=dt.timezone.utc)


def run_rule_document(name: str, text: str, folder: Path) -> str:
    """Load, validate and compile a rule file, then evaluate the example cases with it in the book."""
    global _COMPILER
    from dataclasses import replace
    from types import MappingProxyType

    from charter_rules.compiler import RuleCompiler

    path = folder / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    problems: list[Problem] = []
    try:
        read = _read(path, problems)
        if read is None:
            return "RuleSyntaxError"
        data, source = read
        rule = _validate(Rule, data, source, problems)
        if rule is None:
            return "RuleValidationError"
        if _COMPILER is None:
            _COMPILER = RuleCompiler(BOOK.rulebook)
        _COMPILER.problems = []
        compiled = _COMPILER.rule(rule)
        if _COMPILER.problems:
            return "CompileError"
        rules = tuple(compiled if r.id == compiled.id else r for r in BOOK.rules)
        if compiled.id not in BOOK.by_id:
            return "CompileError"  # a renamed id: the file name check of load_rulebook refuses it
        book = replace(BOOK, rules=rules, by_id=MappingProxyType({r.id: r for r in rules}))
        for case in _CASES:
            cr.evaluate(book, cr.parse_snapshot(case, BOOK), as_of=_AS_OF)
    except CharterRulesError as exc:
        return type(exc).__name__
    return "ok"


# --- the long run by hand -------------------------------------------------------------------------------------------


def _run(label: str, count: int, strategy: st.SearchStrategy[Any], body: Callable[..., str]) -> int:
    outcomes: Counter[str] = Counter()
    crashes: Counter[str] = Counter()
    first: dict[str, str] = {}
    started = time.monotonic()

    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def once(args: Any) -> None:
        try:
            outcomes[body(*args)] += 1
        except Exception as exc:  # noqa: BLE001 - counting exactly these is the point of the run
            key = f"{type(exc).__name__}: {str(exc)[:120]}"
            crashes[key] += 1
            first.setdefault(key, traceback.format_exc())

    once()
    seconds = time.monotonic() - started
    total = sum(outcomes.values()) + sum(crashes.values())
    print(f"{label}: {total} inputs in {seconds:.0f} s; outcomes {dict(outcomes.most_common())}; "
          f"exceptions that are not CharterRulesError: {sum(crashes.values())}")
    for key, n in crashes.most_common():
        print(f"  {n} x {key}\n{first[key]}")
    return sum(crashes.values())


def _run_random(count: int, seed: int) -> int:
    """``count`` snapshots drawn by ``random_snapshot``, each run through ``run_snapshot``."""
    rng = random.Random(seed)
    outcomes: Counter[str] = Counter()
    crashes: Counter[str] = Counter()
    first: dict[str, str] = {}
    started = time.monotonic()
    for number in range(count):
        data, as_of, as_json = random_snapshot(rng), random_as_of(rng), rng.random() < 0.5
        try:
            outcomes[run_snapshot(data, as_of, as_json)] += 1
        except Exception as exc:  # noqa: BLE001 - counting exactly these is the point of the run
            key = f"{type(exc).__name__}: {str(exc)[:120]}"
            crashes[key] += 1
            first.setdefault(key, json.dumps(data, default=str)[:2000] + "\n" + traceback.format_exc())
        if number and number % 10_000 == 0:
            print(f"  {number} snapshots, {sum(crashes.values())} unexpected exceptions so far", flush=True)
    seconds = time.monotonic() - started
    print(f"snapshots (random, seed {seed}): {count} in {seconds:.0f} s; outcomes {dict(outcomes.most_common())}; "
          f"exceptions that are not CharterRulesError: {sum(crashes.values())}")
    for key, n in crashes.most_common():
        print(f"  {n} x {key}\n{first[key]}")
    return sum(crashes.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fuzz snapshots and rule files; report every unexpected exception.")
    parser.add_argument("--snapshots", type=int, default=100_000)
    parser.add_argument("--rules", type=int, default=2_000)
    parser.add_argument("--engine", choices=["random", "hypothesis"], default="random",
                        help="random: fast draws of the same space (default); hypothesis: the suite's strategies")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    bad = 0
    if args.snapshots and args.engine == "random":
        bad += _run_random(args.snapshots, args.seed)
    elif args.snapshots:
        bad += _run("snapshots", args.snapshots, st.tuples(snapshots(), as_of_moments, st.booleans()), run_snapshot)
    if args.rules:
        with tempfile.TemporaryDirectory() as folder:
            bad += _run("rule files", args.rules, rule_documents(),
                        lambda name, text: run_rule_document(name, text, Path(folder)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
