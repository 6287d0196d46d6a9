"""Conditions in words: a compiled condition (what the evaluator tests) rendered as plain-English Markdown.

The values come from the *compiled* predicate, so the page shows exactly the numbers and lists the evaluator uses
(parameters already resolved). The rule file's own condition is walked alongside only to say where a value came from
(``{param: name}`` becomes a link to that parameter). Logic is three-valued in the evaluator; the words keep that:
a fact that is not recorded is never read as "no".

Two negations are simplified, and only where the evaluator gives the same answer in every case, including when a fact
is missing: *not (fact is X)* is written *fact is not X*, and the other comparisons flip the same way. A negated
event-field test is not simplified, because a field left out of an event is false, not unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..condition_syntax import AllCondition, AnyCondition, EventCondition, FactCondition
from ..condition_syntax import FieldCondition, NotCondition, ParamRef
from ..predicates import AllOf, AnyOf, EventExists, FactTest, FieldTest, Named, NotOf, walk
from ._text import attr, humanize, join_words, md
from .refs import Refs

NEGATED = {
    "equals": "not_equals", "not_equals": "equals", "in": "not_in", "not_in": "in",
    "less_than": "at_least", "at_least": "less_than", "at_most": "greater_than", "greater_than": "at_most",
}
OPERATOR_WORDS = {
    "equals": "is", "not_equals": "is not", "in": "is one of", "not_in": "is none of",
    "less_than": "is less than", "at_most": "is at most", "greater_than": "is more than", "at_least": "is at least",
}


@dataclass
class Phrase:
    """A condition in words: a single phrase, or a lead-in ("all of these hold:") with parts."""

    text: str
    parts: list["Phrase"] = field(default_factory=list)

    def lines(self, depth: int = 0) -> list[str]:
        """As a Markdown bullet list (nested for groups)."""
        pad = "    " * depth
        out = [f"{pad}- {self.text}"]
        for part in self.parts:
            out.extend(part.lines(depth + 1))
        return out

    def inline(self) -> str:
        """As one phrase: groups become ``(a and b)``."""
        if not self.parts:
            return self.text
        if self.text == ALL:
            return join_words([_wrap(p) for p in self.parts], "and")
        if self.text == ANY:
            return join_words([_wrap(p) for p in self.parts], "or")
        return f"{self.text} {join_words([_wrap(p) for p in self.parts], 'and')}"

    @property
    def simple(self) -> bool:
        return not self.parts


ALL = "all of these hold:"
ANY = "at least one of these holds:"
NOT = "it is not the case that"


def _group(lead: str, parts: list[Phrase]) -> Phrase:
    """``all`` of an ``all`` is one ``all`` (and the same for ``any``): the same answer, in every case, in fewer words."""
    flat: list[Phrase] = []
    for part in parts:
        flat.extend(part.parts if part.text == lead and part.parts else [part])
    return flat[0] if len(flat) == 1 else Phrase(lead, flat)


def _wrap(phrase: Phrase) -> str:
    return f"({phrase.inline()})" if phrase.parts else phrase.inline()


def value_words(value: Any) -> str:
    """A value as a reader would say it (escaped Markdown)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return join_words([value_words(v) for v in value], "or")
    if isinstance(value, str):
        return f"“{md(humanize(value))}”"
    return md(value)


class ConditionWords:
    """Renders compiled conditions for one page (``refs`` knows the page's depth)."""

    def __init__(self, refs: Refs) -> None:
        self.refs = refs
        self.definitions = refs.book.rulebook.definitions.definitions

    def phrase(self, pred: Any, src: Any = None, event_types: tuple[str, ...] | None = None) -> Phrase:
        if isinstance(pred, FactTest):
            return Phrase(self._comparison(self.refs.fact(pred.fact), pred.operator, pred.operand, src, True))
        if isinstance(pred, FieldTest):
            label, description = self.refs.field_label(pred.field, event_types)
            subject = f'its <abbr title="{attr(description)}">{md(label)}</abbr>' if description else f"its {md(label)}"
            return Phrase(self._comparison(subject, pred.operator, pred.operand, src, False))
        if isinstance(pred, EventExists):
            inner = src.where if isinstance(src, EventCondition) else None
            text = f"{self.refs.event(pred.event_type)} has been recorded"
            if pred.where is not None:
                text += " where " + self.phrase(pred.where, inner, (pred.event_type,)).inline()
            return Phrase(text)
        if isinstance(pred, Named):
            return Phrase(f"the case meets the definition {self.refs.definition(pred.name)}")
        if isinstance(pred, AllOf):
            srcs = src.all_ if isinstance(src, AllCondition) else [None] * len(pred.parts)
            return _group(ALL, [self.phrase(p, s, event_types) for p, s in zip(pred.parts, srcs, strict=True)])
        if isinstance(pred, AnyOf):
            srcs = src.any_ if isinstance(src, AnyCondition) else [None] * len(pred.parts)
            return _group(ANY, [self.phrase(p, s, event_types) for p, s in zip(pred.parts, srcs, strict=True)])
        if isinstance(pred, NotOf):
            inner_src = src.not_ if isinstance(src, NotCondition) else None
            part = pred.part
            if isinstance(part, FactTest) and (part.operator in NEGATED or part.operator == "is_set"):
                operator = NEGATED.get(part.operator, "is_set")
                operand = (not part.operand) if part.operator == "is_set" else part.operand
                return Phrase(self._comparison(self.refs.fact(part.fact), operator, operand, inner_src, True))
            if isinstance(part, NotOf):  # not (not X) is X, in three-valued logic too
                return self.phrase(part.part, inner_src.not_ if isinstance(inner_src, NotCondition) else None,
                                   event_types)
            inner = self.phrase(part, inner_src, event_types)
            if inner.simple:
                return Phrase(f"{NOT} {inner.text}")
            return Phrase(f"{NOT} {inner.text[:-1]}", inner.parts) if inner.text in (ALL, ANY) else Phrase(NOT, [inner])
        return Phrase(md(getattr(pred, "text", "always")))

    def _comparison(self, subject: str, operator: str, operand: Any, src: Any, is_fact: bool) -> str:
        if operator == "is_set":
            return f"{subject} is recorded" if operand else f"{subject} is not recorded"
        if isinstance(operand, bool) and operator in ("equals", "not_equals"):
            yes = operand if operator == "equals" else not operand
            recorded = "recorded as " if is_fact else ""
            return f"{subject} is {recorded}{'yes' if yes else 'no'}"
        text = f"{subject} {OPERATOR_WORDS[operator]} {value_words(operand)}"
        param = _param_of(src, operator)
        if param is not None:
            text += f" (set in {self.refs.param(param)})"
        return text

    def definition_phrase(self, name: str, pred: Any) -> Phrase:
        """The body of a named definition, from its compiled predicate."""
        spec = self.definitions.get(name)
        inner = pred.part if isinstance(pred, Named) else pred
        return self.phrase(inner, spec.condition if spec is not None else None)


def _param_of(src: Any, operator: str) -> str | None:
    """The parameter a comparison's value came from, if the rule file named one."""
    if not isinstance(src, (FactCondition, FieldCondition)):
        return None
    # the compiled operator may be the negation of the source's (not {fact: x, equals: y}); the operand is the same
    operand = src.operand
    return operand.param if isinstance(operand, ParamRef) else None


def definitions_used(pred: Any, seen: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every named definition a compiled condition uses, directly or through other definitions, in order of use
    (added to ``seen`` if given)."""
    found: dict[str, Any] = {} if seen is None else seen
    for part in walk(pred):
        if isinstance(part, Named):
            found.setdefault(part.name, part)
    return found


def facts_used(pred: Any, out: list[str] | None = None) -> list[str]:
    """Every case fact a compiled condition reads, definitions included, in order of first use (added to ``out``
    if given)."""
    found = [] if out is None else out
    for part in walk(pred):
        if isinstance(part, FactTest) and part.fact not in found:
            found.append(part.fact)
    return found
