"""The durable-rules translation of escalation conditions agrees with three-valued logic, on random conditions.

Three implementations are compared on random condition trees and random transition facts (values missing, known,
true, false or unknown): the tree itself (what the plain-Python matcher runs), the positive alternatives of
``patterns.py`` evaluated in Python on the encoded fact, and durable-rules' engine running those patterns.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from charter_rules.live.durable_adapter import encode_fact
from charter_rules.live.patterns import MAX_ALTERNATIVES, PatternError, alternatives, true_of
from charter_rules.live.tree import And, Check, Cmp, Node, Not, Or, props

from .conftest import needs_durable

# property -> (kind, missing is unknown?, values to draw from)
PROPS: dict[str, tuple[str, bool, list[Any]]] = {
    "fact_age": ("integer", True, [0, 17, 18, 30, 64]),
    "fact_offence": ("string", True, ["burglary", "fraud", "domestic_abuse"]),
    "fact_vulnerable": ("boolean", True, [True, False]),
    "fact_day": ("date", True, ["2026-04-01", "2026-04-07", "2026-05-01"]),
    "working_day": ("integer", False, [1, 14, 15, 16]),
    "status_before": ("string", False, ["due", "at_risk", "overdue"]),
    "due_date": ("date", False, ["2026-04-07", "2026-04-13"]),
}
CHECKS = ["check_0", "check_1"]
OPERATORS = {
    "integer": ["equals", "not_equals", "in", "not_in", "less_than", "at_most", "greater_than", "at_least", "is_set"],
    "date": ["equals", "not_equals", "less_than", "at_most", "greater_than", "at_least", "is_set"],
    "string": ["equals", "not_equals", "in", "not_in", "is_set"],
    "boolean": ["equals", "not_equals", "in", "is_set"],
}


@st.composite
def leaves(draw: Any) -> Node:
    if draw(st.integers(0, 5)) == 0:
        return Check(draw(st.sampled_from(CHECKS)))
    prop = draw(st.sampled_from(sorted(PROPS)))
    kind, unknown, values = PROPS[prop]
    operator = draw(st.sampled_from(OPERATORS[kind]))
    if operator == "is_set":
        operand: Any = draw(st.booleans())
    elif operator in ("in", "not_in"):
        operand = tuple(draw(st.lists(st.sampled_from(values), max_size=3, unique=True)))
    else:
        operand = draw(st.sampled_from(values))
    return Cmp(prop, operator, operand, missing_unknown=unknown)


trees = st.recursive(
    leaves(),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda parts: And(tuple(parts))),
        st.lists(inner, min_size=1, max_size=3).map(lambda parts: Or(tuple(parts))),
        inner.map(Not),
    ),
    max_leaves=7,
)


@st.composite
def flat_facts(draw: Any) -> dict[str, Any]:
    fact: dict[str, Any] = {}
    for prop, (_, _, values) in PROPS.items():
        if draw(st.booleans()):
            fact[prop] = draw(st.sampled_from(values))
    for prop in CHECKS:
        value = draw(st.sampled_from([True, False, None]))
        if value is not None:
            fact[prop] = value
    return fact


def _holds(atom: tuple[Any, ...], message: dict[str, Any]) -> bool:
    kind, prop = atom[0], atom[1]
    if kind == "known":
        return bool(message.get("k_" + prop) == atom[2])
    if kind == "tri":
        return bool(message.get(prop) == atom[2])
    if prop not in message:
        return False
    value = message[prop]
    if kind == "in":
        return value in atom[2]
    operand = atom[3]
    return {"equals": value == operand, "not_equals": value != operand, "less_than": value < operand,
            "at_most": value <= operand, "greater_than": value > operand, "at_least": value >= operand}[atom[2]]


VALUE_PROPS = sorted(PROPS)


@settings(max_examples=400, deadline=None)
@given(tree=trees, facts=st.lists(flat_facts(), min_size=1, max_size=8))
def test_positive_alternatives_are_true_exactly_when_the_tree_is_true(tree: Node, facts: list[dict[str, Any]]) -> None:
    try:
        conjunctions = true_of(tree)
    except PatternError:
        assume(False)
        return
    for fact in facts:
        message = encode_fact(0, fact, VALUE_PROPS, CHECKS)
        by_patterns = any(all(_holds(a, message) for a in conj) for conj in conjunctions)
        assert by_patterns == (tree.test(fact) is True), (tree, fact)


@needs_durable
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=st.lists(trees, min_size=1, max_size=5), facts=st.lists(flat_facts(), min_size=1, max_size=12))
def test_durable_rules_engine_agrees_with_the_trees(rules: list[Node], facts: list[dict[str, Any]]) -> None:
    from charter_rules.live.durable_worker import DurableEngine

    alts = []
    for index, tree in enumerate(rules):
        try:
            alts += alternatives(f"r{index}", tree)
        except PatternError:
            assume(False)
    engine = DurableEngine({a.name: {"all": [{"m": a.pattern}]} for a in alts})
    names = {a.name: a.escalation_id for a in alts}
    encoded = [encode_fact(i, f, VALUE_PROPS, CHECKS) for i, f in enumerate(facts)]
    hits = {(index, names[name]) for index, name in engine.run(encoded)}
    expected = {(i, f"r{r}") for i, fact in enumerate(facts) for r, tree in enumerate(rules) if tree.test(fact) is True}
    assert hits == expected


def test_a_condition_with_too_many_alternatives_is_refused() -> None:
    wide = And(tuple(Or((Cmp(f"p{i}", "equals", 1, True), Cmp(f"q{i}", "equals", 1, True))) for i in range(7)))
    with pytest.raises(PatternError, match=f"limit is {MAX_ALTERNATIVES}|more than {MAX_ALTERNATIVES}"):
        alternatives("wide", wide)
    assert props(wide) == {f"p{i}" for i in range(7)} | {f"q{i}" for i in range(7)}
