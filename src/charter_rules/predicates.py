"""Compiled conditions: fast three-valued tests, and a slower traced form that explains a result.

``Predicate.test(case, event)`` returns True, False or None (unknown). ``Predicate.trace(case, event)`` returns a
``TraceNode`` tree saying, for every part, what value it saw and what it decided: explanations use it to name the
condition that failed and the facts that were missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Protocol, TypeVar

from .condition_syntax import OPERATOR_WORDS

if TYPE_CHECKING:  # pragma: no cover
    from .caseview import CaseView, Occurrence


@dataclass(frozen=True, slots=True)
class TraceNode:
    """One part of a condition as it was decided for one case."""

    text: str  # plain-English statement of the condition
    result: bool | None
    seen: Any = None  # the value it looked at, if a single one
    missing: tuple[str, ...] = ()  # facts it needed and did not have
    children: tuple["TraceNode", ...] = ()

    def failing_leaves(self) -> list["TraceNode"]:
        """The innermost parts that made this node false (or unknown)."""
        if self.result is True:
            return []
        bad = [c for c in self.children if c.result is self.result]
        if not bad:
            return [self]
        leaves: list[TraceNode] = []
        for child in bad:
            leaves.extend(child.failing_leaves())
        return leaves

    def all_missing(self) -> tuple[str, ...]:
        """Facts whose absence made this node unknown (none when the node was decided)."""
        if self.result is not None:
            return ()
        out: list[str] = list(self.missing)
        for child in self.children:
            out.extend(m for m in child.all_missing() if m not in out)
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"condition": self.text, "result": _result_word(self.result)}
        if self.seen is not None:
            data["seen"] = self.seen
        if self.missing:
            data["missing_facts"] = list(self.missing)
        if self.children:
            data["parts"] = [c.to_dict() for c in self.children]
        return data


def _result_word(result: bool | None) -> str:
    return "unknown" if result is None else ("true" if result else "false")


class Predicate(Protocol):
    text: str

    def test(self, case: "CaseView", event: "Occurrence | None") -> bool | None: ...

    def trace(self, case: "CaseView", event: "Occurrence | None") -> TraceNode: ...


def all_of(results: Iterable[bool | None]) -> bool | None:
    """Three-valued 'and': false if any is false, else unknown if any is unknown, else true. Stops at a false."""
    unknown = False
    for result in results:
        if result is False:
            return False
        if result is None:
            unknown = True
    return None if unknown else True


def any_of(results: Iterable[bool | None]) -> bool | None:
    """Three-valued 'or': true if any is true, else unknown if any is unknown, else false. Stops at a true."""
    unknown = False
    for result in results:
        if result is True:
            return True
        if result is None:
            unknown = True
    return None if unknown else False


def compare(operator: str, value: Any, operand: Any) -> bool:
    if isinstance(value, list):
        if operator in ("in", "not_in"):
            hit = any(item in operand for item in value)
            return hit if operator == "in" else not hit
        if operator in ("equals", "not_equals"):
            hit = operand in value
            return hit if operator == "equals" else not hit
    if operator == "equals":
        return bool(value == operand)
    if operator == "not_equals":
        return bool(value != operand)
    if operator == "in":
        return value in operand
    if operator == "not_in":
        return value not in operand
    if operator == "less_than":
        return bool(value < operand)
    if operator == "at_most":
        return bool(value <= operand)
    if operator == "greater_than":
        return bool(value > operand)
    if operator == "at_least":
        return bool(value >= operand)
    raise AssertionError(operator)  # pragma: no cover - the model allows no other operator


def _describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(_describe_value(v) for v in value)
    return str(value)


@dataclass(frozen=True, slots=True)
class FactTest:
    fact: str
    operator: str
    operand: Any
    text: str = ""

    def __post_init__(self) -> None:
        if not self.text:
            object.__setattr__(self, "text", _comparison_text(f"fact '{self.fact}'", self.operator, self.operand))

    def test(self, case: "CaseView", event: "Occurrence | None") -> bool | None:
        value = getattr(case.facts, self.fact, None)
        if self.operator == "is_set":
            return (value is not None) == self.operand
        if value is None:
            if self.operator in ("in", "not_in") and isinstance(self.operand, tuple) and not self.operand:
                # nothing is in an empty list, whatever the missing value would have been
                return self.operator == "not_in"
            return None
        return compare(self.operator, value, self.operand)

    def trace(self, case: "CaseView", event: "Occurrence | None") -> TraceNode:
        value = getattr(case.facts, self.fact, None)
        result = self.test(case, event)
        missing = (self.fact,) if result is None else ()
        return TraceNode(self.text, result, seen=_jsonable(value), missing=missing)


@dataclass(frozen=True, slots=True)
class FieldTest:
    field: str
    operator: str
    operand: Any
    text: str = ""

    def __post_init__(self) -> None:
        if not self.text:
            object.__setattr__(self, "text", _comparison_text(f"its '{self.field}'", self.operator, self.operand))

    def test(self, case: "CaseView", event: "Occurrence | None") -> bool | None:
        value = getattr(event.event, self.field, None) if event is not None else None
        if self.operator == "is_set":
            return (value is not None) == self.operand
        if value is None:
            return False  # an event field left out is simply not there: the event does not match
        return compare(self.operator, value, self.operand)

    def trace(self, case: "CaseView", event: "Occurrence | None") -> TraceNode:
        value = getattr(event.event, self.field, None) if event is not None else None
        return TraceNode(self.text, self.test(case, event), seen=_jsonable(value))


@dataclass(frozen=True, slots=True)
class EventExists:
    event_type: str
    where: Predicate | None
    text: str

    def test(self, case: "CaseView", event: "Occurrence | None") -> bool | None:
        occurrences = case.by_type.get(self.event_type, ())
        if self.where is None:
            return bool(occurrences)
        unknown = False
        for occurrence in occurrences:
            result = self.where.test(case, occurrence)
            if result:
                return True
            if result is None:
                unknown = True
        return None if unknown else False

    def trace(self, case: "CaseView", event: "Occurrence | None") -> TraceNode:
        result = self.test(case, event)
        occurrences = case.by_type.get(self.event_type, ())
        seen = f"{len(occurrences)} '{self.event_type}' event(s) by the as-of moment"
        return TraceNode(self.text, result, seen=seen)


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[Predicate, ...]
    text: str = "all of these hold"

    def test(self, case: "CaseView", event: "Occurrence | None") -> bool | None:
        return all_of(part.test(case, event) for part in self.parts)

    def trace(self, case: "CaseView", event: "Occurrence | None") -> TraceNode:
        children = tuple(p.trace(case, event) for p in self.parts)
        return TraceNode(self.text, self.test(case, event), children=children)


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Predicate, ...]
    text: str = "at least one of these holds"

    def test(self, case: "CaseView", event: "Occurrence | None") -> bool | None:
        return any_of(part.test(case, event) for part in self.parts)

    def trace(self, case: "CaseView", event: "Occurrence | None") -> TraceNode:
        children = tuple(p.trace(case, event) for p in self.parts)
        return TraceNode(self.text, self.test(case, event), children=children)


@dataclass(frozen=True, slots=True)
class NotOf:
    part: Predicate
    text: str = "this does not hold"

    def test(self, case: "CaseView", event: "Occurrence | None") -> bool | None:
        result = self.part.test(case, event)
        return None if result is None else not result

    def trace(self, case: "CaseView", event: "Occurrence | None") -> TraceNode:
        inner = self.part.trace(case, event)
        text = f"it is not true that {describe(self.part)}"
        return TraceNode(text, self.test(case, event), seen=inner.seen if not inner.children else None,
                         children=(inner,))


@dataclass(frozen=True, slots=True)
class Named:
    """A named definition: decided by its condition, explained under its title."""

    name: str
    part: Predicate
    text: str

    def test(self, case: "CaseView", event: "Occurrence | None") -> bool | None:
        if event is not None:
            return self.part.test(case, event)
        key = id(self)
        memo = case.memo
        if key in memo:
            return memo[key]  # type: ignore[return-value]
        result = memo[key] = self.part.test(case, None)
        return result

    def trace(self, case: "CaseView", event: "Occurrence | None") -> TraceNode:
        inner = self.part.trace(case, event)
        return TraceNode(self.text, inner.result, children=(inner,))


@dataclass(frozen=True, slots=True)
class SettingTest:
    """An interpretation setting compared with a value: decided when the rule book was loaded."""

    setting: str
    chosen: str
    result: bool
    text: str

    def test(self, case: "CaseView", event: "Occurrence | None") -> bool | None:
        return self.result

    def trace(self, case: "CaseView", event: "Occurrence | None") -> TraceNode:
        return TraceNode(self.text, self.result, seen=self.chosen)


def event_types_of(predicate: Predicate) -> tuple[str, ...]:
    """Every event type a condition looks at (through named definitions too), in the order met."""
    found: dict[str, None] = {}
    stack = [predicate]
    while stack:
        node = stack.pop(0)
        if isinstance(node, EventExists):
            found[node.event_type] = None
        elif isinstance(node, (AllOf, AnyOf)):
            stack.extend(node.parts)
        elif isinstance(node, (NotOf, Named)):
            stack.append(node.part)
    return tuple(found)


def _comparison_text(subject: str, operator: str, operand: Any) -> str:
    if operator == "is_set":
        return f"{subject} is recorded" if operand else f"{subject} is not recorded"
    return f"{subject} {OPERATOR_WORDS[operator]} {_describe_value(operand)}"


comparison_text = _comparison_text  # for the compiler, which words conditions with the vocabulary's titles


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)


@dataclass
class _Always:
    text: str = "always"
    extra: dict[str, Any] = field(default_factory=dict)

    def test(self, case: "CaseView", event: "Occurrence | None") -> bool | None:
        return True

    def trace(self, case: "CaseView", event: "Occurrence | None") -> TraceNode:
        return TraceNode(self.text, True)


ALWAYS: Predicate = _Always()


# --- walking a compiled condition: the one way, used by the docs, the explanations and the monitor -------------

T = TypeVar("T")


def parts_of(predicate: Predicate) -> tuple[Predicate, ...]:
    """The conditions directly inside a compiled condition: the parts of all/any/not, a definition's condition, and
    the ``where`` of an event condition."""
    if isinstance(predicate, (AllOf, AnyOf)):
        return predicate.parts
    if isinstance(predicate, (NotOf, Named)):
        return (predicate.part,)
    if isinstance(predicate, EventExists) and predicate.where is not None:
        return (predicate.where,)
    return ()


def walk(predicate: Predicate) -> Iterator[Predicate]:
    """Every condition in a compiled condition, itself first, then its parts in order (depth first)."""
    yield predicate
    for part in parts_of(predicate):
        yield from walk(part)


def fold(predicate: Predicate, combine: Callable[[Predicate, list[T]], T], *, leaves: tuple[type, ...] = ()) -> T:
    """Combine a compiled condition from the inside out: ``combine(condition, [results of its parts])``.

    Conditions of the ``leaves`` types are combined without looking inside them (their parts are ``[]``).
    """
    parts = () if isinstance(predicate, leaves) else parts_of(predicate)
    return combine(predicate, [fold(part, combine, leaves=leaves) for part in parts])


def describe(predicate: Predicate) -> str:
    """The whole condition in one plain-English phrase."""
    return fold(predicate, _describe_one)


def _describe_one(predicate: Predicate, parts: list[str]) -> str:
    if isinstance(predicate, AllOf):
        return " and ".join(_wrap(p) for p in parts)
    if isinstance(predicate, AnyOf):
        return " or ".join(_wrap(p) for p in parts)
    if isinstance(predicate, NotOf):
        return f"not ({parts[0]})"
    if isinstance(predicate, Named):
        return predicate.text.lower() if predicate.text[:1].isupper() and predicate.text[1:2].islower() else predicate.text
    if isinstance(predicate, EventExists) and predicate.where is not None:
        return f"{predicate.text[:-len(' (with the stated details)')]} with {parts[0]}"
    return predicate.text


def _wrap(text: str) -> str:
    return f"({text})" if " and " in text or " or " in text else text

PredicateFactory = Callable[[Any], Predicate]
