"""The one compiler of the condition language, used by rules, definitions and escalation rules alike.

It checks every name a condition uses against the rule book (facts, event types, event fields, parameters,
definitions, with definitions that refer to each other in a loop refused) and every value against the type and
allowed values of what it is compared with, and gives back a compiled condition (``predicates``).

Where a ``{field: ...}`` outside an event's ``where`` reads from is the caller's to say (``outer_fields``): a rule has
none (such a condition is refused), an escalation rule reads the fields of a transition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from .calendars import format_date
from .condition_syntax import (
    AllCondition,
    AnyCondition,
    DefinitionCondition,
    EventCondition,
    FactCondition,
    FieldCondition,
    NotCondition,
    ParamRef,
    SettingCondition,
)
from .errors import Problem
from .predicates import (
    ALWAYS, AllOf, AnyOf, EventExists, FactTest, FieldTest, Named, NotOf, Predicate, SettingTest, comparison_text,
)
from .problems import SourceFile
from .rulebook import Rulebook
from .snapshot import RESERVED_EVENT_FIELDS
from .wording import did_you_mean

ORDERED_OPERATORS = ("less_than", "at_most", "greater_than", "at_least")
_KIND_WORDS = {"integer": "a number", "number": "a number", "boolean": "true or false", "string": "a text value",
               "string_list": "a text value", "date": "a date (YYYY-MM-DD)",
               "datetime": "a timestamp with a UTC offset"}


@dataclass(frozen=True, slots=True)
class LeafField:
    """What a ``{field: ...}`` condition compares with: its type (as in the vocabulary) and allowed values."""

    type: str
    enum: tuple[str, ...] | None = None
    known: tuple[str, ...] | None = None  # names of the rule book it must be one of (rule ids, case kinds)
    known_as: str = ""  # what those names are: "rule", "case kind"


@dataclass(frozen=True, slots=True)
class EventMatcher:
    """Events of some types whose fields pass a test."""

    types: tuple[str, ...]
    where: Predicate | None


def choices(options: Iterable[str], name: object, listed_in: str) -> str:
    """"did you mean 'x'?" for the nearest known name, or where the known names are listed."""
    return did_you_mean(name, options) or f"no known name is close; see {listed_in}"


class ConditionCompiler:
    """Compiles conditions of one rule book, collecting every problem in ``problems``."""

    def __init__(self, book: Rulebook, outer_fields: Mapping[str, LeafField] | None = None) -> None:
        self.book = book
        self.problems: list[Problem] = []
        self.vocab = book.vocabulary
        self.params = book.parameters.parameters
        self.outer_fields = outer_fields
        self.on_date: dt.date | None = None  # the day whose parameter values apply (None: the latest values)
        self._definitions: dict[tuple[str, dt.date | None], Predicate] = {}
        self._defining: list[str] = []
        self.settings = book.settings.by_id()
        self.event_titles = MappingProxyType({name: spec.title for name, spec in self.vocab.events.items()})
        self.kind_titles = MappingProxyType({name: spec.title for name, spec in self.vocab.case_kinds.items()})
        self.fact_titles = MappingProxyType({name: spec.label(name) for name, spec in self.vocab.facts.items()})

    def problem(self, source: SourceFile, message: str, loc: tuple[Any, ...], hint: str | None = None) -> None:
        self.problems.append(source.problem(message, loc, hint=hint))

    # --- values -------------------------------------------------------------------------------------------------
    def value(self, operand: Any, source: SourceFile, loc: tuple[Any, ...]) -> Any:
        """An operand with its parameter looked up; lists become tuples."""
        if isinstance(operand, ParamRef):
            if operand.param not in self.params:
                self.problem(source, f"unknown parameter {operand.param!r}", loc + ("param",),
                             hint=choices(self.params, operand.param, "parameters.yaml"))
                return None
            value = self.param_value(operand.param, source, loc)
            return tuple(value) if isinstance(value, list) else value
        return tuple(operand) if isinstance(operand, list) else operand

    def param_value(self, name: str, source: SourceFile, loc: tuple[Any, ...]) -> Any:
        """A known parameter's value in force on ``on_date``; None (and a problem) if none is in force yet."""
        param = self.params[name]
        value = param.value_on(self.on_date)
        if value is None:
            first = param.values[0].from_.isoformat()
            self.problem(source, f"parameter {name!r} has no value in force on {self.on_date}: its first value is "
                         f"from {first}", loc + ("param",), hint=f"start this version on {first} or later")
        return value

    def param_origin(self, name: str) -> str:
        """Where a parameter's value comes from, in words: ``as set in 'its title'`` (``, in force from ...`` if
        dated)."""
        param = self.params.get(name)
        since = param.in_force_from(self.on_date) if param is not None and param.values else None
        title = param.title if param is not None else name
        return f"as set in '{title}'" + (f", in force from {format_date(since)}" if since else "")

    def check_operand(self, kind: str | None, enum: tuple[str, ...] | list[str] | None, operator: str, operand: Any,
                      source: SourceFile, loc: tuple[Any, ...]) -> None:
        """The operand fits what it is compared with: its type, its allowed values, and an order if one is used."""
        if operator == "is_set" or kind is None or operand is None:
            return
        many = operator in ("in", "not_in")
        if many != isinstance(operand, tuple):
            self.problem(source, "in/not_in take a list; other comparisons a single value", loc)
            return
        if operator in ORDERED_OPERATORS and kind in ("string", "string_list", "boolean"):
            words = "true/false" if kind == "boolean" else "text"
            self.problem(source, f"{operator} orders numbers, dates and times, not {words} values", loc,
                         hint="use equals, not_equals, in or not_in")
        for value in operand if many else (operand,):
            self._check_scalar(kind, enum, value, source, loc)

    def _check_scalar(self, kind: str, enum: tuple[str, ...] | list[str] | None, value: Any, source: SourceFile,
                      loc: tuple[Any, ...]) -> None:
        fits = {
            "integer": isinstance(value, (int, float)) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
        }.get("integer" if kind == "number" else kind, isinstance(value, str))
        if not fits:
            self.problem(source, f"{value!r} is not {_KIND_WORDS.get(kind, 'a valid value')}", loc)
            return
        if enum and value not in enum:
            self.problem(source, f"{value!r} is not an allowed value", loc,
                         hint=did_you_mean(value, enum) or "allowed: " + ", ".join(enum))
        try:
            if kind == "date":
                dt.date.fromisoformat(value)
            elif kind == "datetime" and dt.datetime.fromisoformat(value).tzinfo is None:
                raise ValueError("no UTC offset")
        except ValueError as exc:
            self.problem(source, f"{value!r} is not a valid {kind} ({exc})", loc,
                         hint="write dates as YYYY-MM-DD and times with a UTC offset")

    # --- conditions ---------------------------------------------------------------------------------------------
    def condition(self, node: Any, source: SourceFile, loc: tuple[Any, ...],
                  event_types: tuple[str, ...] | None = None) -> Predicate:
        """Compile a condition; ``event_types``: the events whose fields a ``field`` condition reads (in ``where``)."""
        if node is None:
            return ALWAYS
        if isinstance(node, FactCondition):
            return self._fact(node, source, loc)
        if isinstance(node, FieldCondition):
            if event_types is None:
                return self._outer_field(node, source, loc)
            return self._event_field(node, event_types, source, loc)
        if isinstance(node, EventCondition):
            matcher = self.matcher(node.event, node.where, source, loc, event_key="event")
            title = self.vocab.events[node.event].title if node.event in self.vocab.events else node.event
            text = f"'{title}' has happened" + (" (with the stated details)" if node.where else "")
            return EventExists(node.event, matcher.where, text)
        if isinstance(node, DefinitionCondition):
            return self.definition(node.is_, source, loc + ("is",))
        if isinstance(node, AllCondition):
            return AllOf(tuple(self.condition(c, source, loc + ("all", i), event_types) for i, c in enumerate(node.all_)))
        if isinstance(node, AnyCondition):
            return AnyOf(tuple(self.condition(c, source, loc + ("any", i), event_types) for i, c in enumerate(node.any_)))
        if isinstance(node, NotCondition):
            return NotOf(self.condition(node.not_, source, loc + ("not",), event_types))
        if isinstance(node, SettingCondition):
            return self.setting_test(node, source, loc)
        raise AssertionError(type(node))  # pragma: no cover

    def setting_test(self, node: SettingCondition, source: SourceFile, loc: tuple[Any, ...]) -> Predicate:
        """A setting is chosen when the book is loaded, so its test is decided here, once."""
        setting = self.settings.get(node.setting)
        if setting is None:
            self.problem(source, f"unknown setting {node.setting!r}", loc + ("setting",),
                         hint=choices(self.settings, node.setting, "settings.yaml") if self.settings
                         else "add it to settings.yaml")
            return ALWAYS
        operand = node.operand
        values = tuple(operand) if isinstance(operand, list) else (operand,)
        for value in values:
            if value not in setting.choices:
                self.problem(source, f"{value!r} is not a choice of setting {setting.id!r}", loc + (node.operator,),
                             hint="choices: " + ", ".join(setting.choices))
        chosen = self.book.chosen.get(setting.id, setting.default)
        result = chosen in values if node.operator in ("equals", "in") else chosen not in values
        titles = " or ".join(f"'{setting.choices[v].title}'" for v in values if v in setting.choices)
        verb = "is" if node.operator in ("equals", "in") else "is not"
        return SettingTest(setting.id, chosen, result, f"the setting '{setting.title}' {verb} {titles}")

    def _fact(self, node: FactCondition, source: SourceFile, loc: tuple[Any, ...]) -> Predicate:
        spec = self.vocab.facts.get(node.fact)
        if spec is None:
            self.problem(source, f"unknown fact {node.fact!r}", loc + ("fact",),
                         hint=choices(self.vocab.facts, node.fact, "vocabulary.yaml"))
        operand = self.value(node.operand, source, loc + (node.operator,))
        if spec is not None:
            self.check_operand(spec.type, spec.enum, node.operator, operand, source, loc + (node.operator,))
        subject = f"'{spec.label(node.fact)}'" if spec is not None else f"'{node.fact}'"
        return FactTest(node.fact, node.operator, operand,
                        comparison_text(subject, node.operator, operand) if operand is not None else "")

    def _event_field(self, node: FieldCondition, event_types: tuple[str, ...], source: SourceFile,
                     loc: tuple[Any, ...]) -> Predicate:
        specs = [self.vocab.events[t].fields.get(node.field) for t in event_types if t in self.vocab.events]
        if node.field not in RESERVED_EVENT_FIELDS and specs and all(s is None for s in specs):
            fields = sorted({f for t in event_types if t in self.vocab.events for f in self.vocab.events[t].fields})
            self.problem(source, f"event type {'/'.join(event_types)} has no field {node.field!r}",
                         loc + ("field",), hint=choices(fields, node.field, "the event type in vocabulary.yaml"))
        operand = self.value(node.operand, source, loc + (node.operator,))
        spec = next((s for s in specs if s is not None), None)
        if spec is not None:
            self.check_operand(spec.type, spec.enum, node.operator, operand, source, loc + (node.operator,))
        return FieldTest(node.field, node.operator, operand, self._field_text(node, spec, operand))

    def _field_text(self, node: FieldCondition, spec: Any, operand: Any) -> str:
        """``its type is 'Officer contact details given'``: the field's and event types' words, not their names."""
        if operand is None:
            return ""
        if node.field == "type":
            values = operand if isinstance(operand, tuple) else (operand,)
            titled = tuple(f"'{self.event_titles.get(v, v)}'" for v in values)
            return comparison_text("its type", node.operator, titled if isinstance(operand, tuple) else titled[0])
        label = spec.label(node.field) if spec is not None else node.field.replace("_", " ")
        return comparison_text(f"its '{label}'", node.operator, operand)

    def _outer_field(self, node: FieldCondition, source: SourceFile, loc: tuple[Any, ...]) -> Predicate:
        if self.outer_fields is None:
            self.problem(source, "'field' conditions are only allowed inside 'where' of an event", loc)
            return ALWAYS
        spec = self.outer_fields.get(node.field)
        if spec is None:
            self.problem(source, f"transitions have no field {node.field!r}", loc + ("field",),
                         hint=choices(self.outer_fields, node.field, "the fields of a transition"))
            return ALWAYS
        operand = self.value(node.operand, source, loc + (node.operator,))
        self.check_operand(spec.type, spec.enum, node.operator, operand, source, loc + (node.operator,))
        if spec.known is not None and node.operator != "is_set":
            for value in operand if isinstance(operand, tuple) else (operand,):
                if isinstance(value, str) and value not in spec.known:
                    self.problem(source, f"unknown {spec.known_as} {value!r}", loc + (node.operator,),
                                 hint=choices(spec.known, value, f"the {spec.known_as} names"))
        return FieldTest(node.field, node.operator, operand)

    def definition(self, name: str, source: SourceFile, loc: tuple[Any, ...]) -> Predicate:
        """A named definition, compiled once; one that refers back to itself is refused."""
        if (name, self.on_date) in self._definitions:
            return self._definitions[(name, self.on_date)]
        spec = self.book.definitions.definitions.get(name)
        if spec is None:
            self.problem(source, f"unknown definition {name!r}", loc,
                         hint=choices(self.book.definitions.definitions, name, "definitions.yaml"))
            return ALWAYS
        if name in self._defining:
            self.problem(source, "definitions refer to each other in a loop: " + " -> ".join(self._defining + [name]), loc)
            return ALWAYS
        self._defining.append(name)
        outer, self.outer_fields = self.outer_fields, None  # a definition is the rule book's: no transition fields
        try:
            inner = self.condition(spec.condition, self.book.sources["definitions"], ("definitions", name, "condition"))
        finally:
            self.outer_fields = outer
            self._defining.pop()
        predicate = Named(name, inner, spec.title)
        self._definitions[(name, self.on_date)] = predicate
        return predicate

    def matcher(self, types: str | list[str] | tuple[str, ...], where: Any, source: SourceFile,
                loc: tuple[Any, ...], event_key: str) -> EventMatcher:
        names = (types,) if isinstance(types, str) else tuple(types)
        for name in names:
            if name not in self.vocab.events:
                self.problem(source, f"unknown event type {name!r}", loc + (event_key,),
                             hint=choices(self.vocab.events, name, "vocabulary.yaml"))
        where_pred = self.condition(where, source, loc + ("where",), event_types=names) if where is not None else None
        return EventMatcher(names, where_pred)

    def event_type(self, name: str, source: SourceFile, loc: tuple[Any, ...]) -> str:
        if name not in self.vocab.events:
            self.problem(source, f"unknown event type {name!r}", loc,
                         hint=choices(self.vocab.events, name, "vocabulary.yaml"))
        return name
