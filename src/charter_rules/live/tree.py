"""Escalation conditions compiled to a small tree over one flat *transition fact*.

Every escalation rule is decided against a single flat record per transition (see ``facts.py``): transition fields
(``transition``, ``rule``, ``working_day``, ``case_overdue_count``...), the case facts the conditions name
(``fact_<name>``) and, for the few tests that need more than one value (an event of the case happened, a fact holding
a list), a precomputed yes/no/unknown (``check_<n>``). Nothing in a condition can look at two records, so the same
tree can be run by the plain-Python matcher here and compiled to single-fact patterns for durable-rules
(``patterns.py``).

Logic is the rule book's: a case fact that is not recorded is *unknown*; a transition field that is not set does not
match (as an event field in ``where``); ``all``/``any``/``not`` are three-valued. An escalation fires only when its
condition is *true*.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Union

from ..predicates import all_of, any_of, compare

NEGATED = {
    "equals": "not_equals",
    "not_equals": "equals",
    "in": "not_in",
    "not_in": "in",
    "less_than": "at_least",
    "at_least": "less_than",
    "at_most": "greater_than",
    "greater_than": "at_most",
}


@dataclass(frozen=True, slots=True)
class Cmp:
    """Compare one property of the flat fact with a value. ``operand`` is a scalar, or a tuple for in/not_in."""

    prop: str
    operator: str  # equals not_equals in not_in less_than at_most greater_than at_least is_set
    operand: Any
    missing_unknown: bool  # True for case facts (three-valued), False for transition fields

    def test(self, fact: Mapping[str, Any]) -> bool | None:
        value = fact.get(self.prop)
        if self.operator == "is_set":
            return (value is not None) == bool(self.operand)
        if value is None:
            if not self.missing_unknown:
                return False
            if self.operator in ("in", "not_in") and not self.operand:
                return self.operator == "not_in"  # nothing is in an empty list, known or not
            return None
        return compare(self.operator, value, self.operand)


@dataclass(frozen=True, slots=True)
class Check:
    """A precomputed yes (True), no (False) or unknown (None) held in the flat fact."""

    prop: str

    def test(self, fact: Mapping[str, Any]) -> bool | None:
        value = fact.get(self.prop)
        return None if value is None else bool(value)


@dataclass(frozen=True, slots=True)
class And:
    parts: tuple["Node", ...]

    def test(self, fact: Mapping[str, Any]) -> bool | None:
        return all_of(part.test(fact) for part in self.parts)


@dataclass(frozen=True, slots=True)
class Or:
    parts: tuple["Node", ...]

    def test(self, fact: Mapping[str, Any]) -> bool | None:
        return any_of(part.test(fact) for part in self.parts)


@dataclass(frozen=True, slots=True)
class Not:
    part: "Node"

    def test(self, fact: Mapping[str, Any]) -> bool | None:
        result = self.part.test(fact)
        return None if result is None else not result


Node = Union[Cmp, Check, And, Or, Not]


def props(node: Node) -> set[str]:
    """Every property of the flat fact a tree reads."""
    if isinstance(node, (Cmp, Check)):
        return {node.prop}
    if isinstance(node, Not):
        return props(node.part)
    out: set[str] = set()
    for part in node.parts:
        out |= props(part)
    return out
