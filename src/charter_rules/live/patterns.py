"""Compile condition trees to durable-rules patterns: one single-fact, positive pattern per alternative.

durable-rules has no three-valued logic, and its negation (``$not``/``none``) depends on the order facts arrive,
so neither is used. Instead each tree is rewritten into the alternatives that make it *true*:

* ``T(all) = T(a) and T(b)``, ``T(any) = T(a) or T(b)``, ``T(not a) = F(a)``, and the mirror ``F`` rules;
* a case-fact comparison is true when the fact is known and the comparison holds, false when it is known and the
  opposite comparison holds (``less_than`` <-> ``at_least``...), unknown otherwise;
* a transition field that is not set makes a comparison false;
* knowing a value is an explicit flag property ``k_<prop>`` (1 or 0); booleans travel as 1/0; precomputed checks as
  1 (yes), 0 (no) or -1 (unknown).

The result is put in disjunctive normal form: each alternative is a plain ``$and`` of comparisons on one message,
which the engine matches in its alpha network alone (no joins, no negation, no correlation). A fact that satisfies
several alternatives of one escalation rule fires it once: matches are collected as a set.

The engine's own limits are checked here, when escalation rules are loaded, not when a worker meets them: at most
32 expression slots per condition (each ``$and``/``$or`` takes two), at most 255 properties per message, and property
names that differ in their 32-bit FNV-1a hash (the engine tells properties apart by hash alone).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from .tree import NEGATED, And, Check, Cmp, Node, Not

MAX_ALTERNATIVES = 64  # per escalation rule; more means the condition should be split into several rules
MAX_EXPRESSION_SLOTS = 31  # the engine fails at 32 (MAX_SEQUENCE_EXPRESSIONS)
MAX_PROPERTIES = 255
RESERVED_PROPERTIES = ("sid", "id", "tf", "fx", "sentinel")

_OPS = {"equals": None, "not_equals": "$neq", "less_than": "$lt", "at_most": "$lte", "greater_than": "$gt",
        "at_least": "$gte"}


class PatternError(ValueError):
    """A condition cannot be expressed within durable-rules' limits."""


# An atom is a hashable tuple: ("cmp", prop, op, value) | ("in", prop, values) | ("known", prop, 0/1)
# | ("tri", prop, -1/0/1). A conjunction is a frozenset of atoms; a formula in DNF is a set of conjunctions.
Atom = tuple[Any, ...]
Conj = frozenset[Atom]
TRUE: set[Conj] = {frozenset()}
FALSE: set[Conj] = set()


def _and(*parts: set[Conj]) -> set[Conj]:
    result: set[Conj] = {frozenset()}
    for part in parts:
        result = {a | b for a in result for b in part}
        if len(result) > MAX_ALTERNATIVES * 4:
            raise PatternError(f"the condition expands to more than {MAX_ALTERNATIVES} alternatives")
    return {conj for conj in result if _consistent(conj)}


def _or(*parts: set[Conj]) -> set[Conj]:
    out: set[Conj] = set()
    for part in parts:
        out |= part
    return out


def _consistent(conj: Conj) -> bool:
    seen: dict[tuple[str, str], Any] = {}
    for atom in conj:
        if atom[0] in ("known", "tri"):
            slot = (atom[0], atom[1])
            if slot in seen and seen[slot] != atom[2]:
                return False
            seen[slot] = atom[2]
    return True


def _value(value: Any) -> Any:
    return int(value) if isinstance(value, bool) else value


def _comparison(prop: str, operator: str, operand: Any) -> set[Conj]:
    """Alternatives for ``prop <operator> operand`` on a fact where ``prop`` is known."""
    known = ("known", prop, 1)
    if operator == "in":
        values = tuple(sorted({_value(v) for v in operand}, key=repr))
        if not values:
            return FALSE
        atom = ("cmp", prop, "equals", values[0]) if len(values) == 1 else ("in", prop, values)
        return {frozenset({known, atom})}
    if operator == "not_in":
        return {frozenset({known} | {("cmp", prop, "not_equals", _value(v)) for v in operand})}
    return {frozenset({known, ("cmp", prop, operator, _value(operand))})}


def true_of(node: Node) -> set[Conj]:
    """The alternatives under which ``node`` is true."""
    if isinstance(node, Cmp):
        if node.operator == "is_set":
            return {frozenset({("known", node.prop, 1 if node.operand else 0)})}
        if node.missing_unknown and node.operator in ("in", "not_in") and not node.operand:
            return FALSE if node.operator == "in" else TRUE
        return _comparison(node.prop, node.operator, node.operand)
    if isinstance(node, Check):
        return {frozenset({("tri", node.prop, 1)})}
    if isinstance(node, Not):
        return false_of(node.part)
    if isinstance(node, And):
        return _and(*(true_of(p) for p in node.parts))
    return _or(*(true_of(p) for p in node.parts))


def false_of(node: Node) -> set[Conj]:
    """The alternatives under which ``node`` is false (not merely unknown)."""
    if isinstance(node, Cmp):
        if node.operator == "is_set":
            return {frozenset({("known", node.prop, 0 if node.operand else 1)})}
        if node.missing_unknown and node.operator in ("in", "not_in") and not node.operand:
            return TRUE if node.operator == "in" else FALSE
        opposite = _comparison(node.prop, NEGATED[node.operator], node.operand)
        if node.missing_unknown:
            return opposite
        return _or(opposite, {frozenset({("known", node.prop, 0)})})
    if isinstance(node, Check):
        return {frozenset({("tri", node.prop, 0)})}
    if isinstance(node, Not):
        return true_of(node.part)
    if isinstance(node, And):
        return _or(*(false_of(p) for p in node.parts))
    return _and(*(false_of(p) for p in node.parts))


def _atom_json(atom: Atom) -> dict[str, Any]:
    kind, prop = atom[0], atom[1]
    if kind == "known":
        return {f"k_{prop}": atom[2]}
    if kind == "tri":
        return {prop: atom[2]}
    if kind == "in":
        return {"$or": [{prop: v} for v in atom[2]]}
    op = _OPS[atom[2]]
    return {prop: atom[3]} if op is None else {op: {prop: atom[3]}}


def _atom_order(atom: Atom) -> tuple[Any, ...]:
    # known flags and equalities first, so alternatives share the front of the alpha network
    rank = {"known": 0, "tri": 1, "cmp": 2, "in": 3}[atom[0]]
    return (rank, atom[1], repr(atom[2:]))


def conjunction_json(conj: Conj) -> dict[str, Any]:
    atoms = [_atom_json(a) for a in sorted(conj, key=_atom_order)]
    if not atoms:
        return {"tf": 1}  # every transition fact carries tf: 1
    if len(atoms) == 1:
        return atoms[0]
    slots = 2 + 2 * sum(1 for a in conj if a[0] == "in")
    if slots > MAX_EXPRESSION_SLOTS:
        raise PatternError(f"an alternative needs {slots} expression slots; the engine allows {MAX_EXPRESSION_SLOTS}")
    return {"$and": atoms}


@dataclass(frozen=True)
class Alternative:
    """One engine rule: the escalation it belongs to and its pattern on the single fact ``m``."""

    name: str
    escalation_id: str
    pattern: dict[str, Any]


def alternatives(escalation_id: str, node: Node) -> list[Alternative]:
    """The engine rules for one escalation rule. Raises PatternError if it cannot be expressed."""
    conjs = {c for c in true_of(node) if _consistent(c)}
    if len(conjs) > MAX_ALTERNATIVES:
        raise PatternError(f"the condition expands to {len(conjs)} alternatives; the limit is {MAX_ALTERNATIVES}")
    ordered = sorted(conjs, key=lambda c: sorted(repr(_atom_order(a)) for a in c))
    return [Alternative(f"{escalation_id}#{i}", escalation_id, conjunction_json(c)) for i, c in enumerate(ordered)]


def fnv1a_32(text: str) -> int:
    """The engine's hash for property names, session ids and message ids (FNV-1a, 32 bits, over UTF-8 bytes)."""
    value = 2166136261
    for byte in text.encode("utf-8"):
        value ^= byte if byte < 128 else byte - 256 & 0xFFFFFFFF  # the engine hashes signed chars
        value = (value * 16777619) & 0xFFFFFFFF
    return value


def check_properties(names: Iterable[str]) -> None:
    """Refuse property sets the engine would confuse (equal hashes) or not hold (too many)."""
    all_names = sorted(set(names) | set(RESERVED_PROPERTIES))
    if len(all_names) > MAX_PROPERTIES:
        raise PatternError(f"transition facts would need {len(all_names)} properties; the engine holds {MAX_PROPERTIES}")
    seen: dict[int, str] = {}
    for name in all_names:
        value = fnv1a_32(name)
        if value in seen:
            raise PatternError(f"properties {seen[value]!r} and {name!r} share one hash in the engine; rename one")
        seen[value] = name
