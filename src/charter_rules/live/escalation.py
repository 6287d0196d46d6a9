"""Escalation rules: who must be told when a transition happens. One YAML file per rule in rules/escalations/.

Example (rules/escalations/vcop-notice-overdue-enhanced.yaml)::

    id: vcop-notice-overdue-enhanced
    title: A Victims' Code notice is overdue for a victim with enhanced rights
    on: [overdue]                          # transition kinds (see charter_rules.live.TransitionKind)
    rules: [vcop-arrest-notice]            # only obligations of these rules (default: any rule)
    when: {is: enhanced_rights}            # the rule book's condition language (optional)
    notify: [officer_in_charge, supervisor]
    priority: high

``when`` uses the rule book's conditions: ``fact`` (a case fact), ``is`` (a definition), ``event`` (an event of
the case happened), ``all``/``any``/``not``, and ``field`` for a field of the transition (see
``TRANSITION_FIELDS``: ``working_day``, ``case_overdue_count``, ``status_before``...). ``on: [working_day]`` with
``working_day: N`` asks the monitor to report when an open obligation reaches working day N of its clock.
Files are read with the rule book's safe YAML loader; every problem is reported with its file and line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Mapping

from pydantic import Field, model_validator

from ..compiler import CompiledRulebook, RuleCompiler
from ..condition_syntax import (
    AllCondition,
    AnyCondition,
    Condition,
    DefinitionCondition,
    EventCondition,
    FactCondition,
    FieldCondition,
    NotCondition,
    ParamRef,
)
from ..errors import CompileError, Problem, RuleValidationError
from ..model import NAME_PATTERN, RULE_ID_PATTERN, Strict
from ..predicates import FactTest, Predicate
from ..rulebook import SourceFile, read_mapping, validate_model
from .facts import CHECK_PREFIX, FACT_PREFIX, TRANSITION_FIELDS
from .patterns import Alternative, PatternError, alternatives, check_properties
from .progress import MAX_WORKING_DAY
from .transitions import Milestones, TransitionKind, iso_utc
from .tree import And, Check, Cmp, Node, Not, Or, props

_KIND_WORDS = {"integer": "a number", "boolean": "true or false", "string": "a text value",
               "date": "a date (YYYY-MM-DD)", "datetime": "a timestamp with a UTC offset"}
MESSAGE_FIELDS = ("case_id", "rule", "rule_title", "instance", "transition", "due_date", "working_day",
                  "case_overdue_count", "status_after", "title")


class EscalationRule(Strict):
    """One escalation rule file."""

    id: str = Field(pattern=RULE_ID_PATTERN, description="Equals the file name without .yaml.")
    title: str = Field(description="What has happened, in words; the notification's headline.")
    description: str | None = None
    on: list[TransitionKind] = Field(min_length=1, description="Transition kinds that can fire it.")
    rules: list[str] = Field(default_factory=list, description="Only obligations of these rules (default: any).")
    case_kinds: list[str] = Field(default_factory=list, description="Only cases of these kinds (default: any).")
    working_day: int | None = Field(default=None, ge=1, le=MAX_WORKING_DAY,
                                    description="With on: [working_day]: the working day of the clock to report.")
    when: Condition | None = Field(default=None, description="A further condition, in the rule book's language.")
    notify: list[str] = Field(min_length=1, description="Roles to tell, e.g. officer_in_charge, supervisor.")
    priority: Literal["routine", "high", "urgent"] = "routine"
    message: str | None = Field(default=None, description="Text of the notification; $case_id, $rule, ... allowed.")

    @model_validator(mode="after")
    def _milestone(self) -> "EscalationRule":
        if TransitionKind.WORKING_DAY in self.on and (self.on != [TransitionKind.WORKING_DAY] or self.working_day is None):
            raise ValueError("on: [working_day] goes alone, with working_day: N (the working day to report)")
        if self.working_day is not None and self.on != [TransitionKind.WORKING_DAY]:
            raise ValueError("working_day: N needs on: [working_day]")
        for role in self.notify:
            if not re.match(NAME_PATTERN, role):
                raise ValueError(f"notify: {role!r} is not a role name (lower-case letters, digits, _)")
        return self


@dataclass(frozen=True)
class CompiledEscalation:
    id: str
    title: str
    notify: tuple[str, ...]
    priority: str
    message: string.Template | None
    tree: Node
    path: Path


@dataclass(frozen=True)
class EscalationBook:
    """Escalation rules checked against a rule book, ready for either matcher."""

    escalations: tuple[CompiledEscalation, ...] = ()
    facts_used: Mapping[str, str] = field(default_factory=dict)  # property -> case fact
    checks: Mapping[str, Predicate] = field(default_factory=dict)  # property -> precomputed rule-book test
    value_props: tuple[str, ...] = ()  # properties compared by value (they travel with a known flag)
    check_props: tuple[str, ...] = ()
    milestones: Milestones = field(default_factory=dict)
    alternatives: tuple[Alternative, ...] = ()
    fingerprint: str = "none"

    @property
    def by_id(self) -> dict[str, CompiledEscalation]:
        return {e.id: e for e in self.escalations}


class _Builder:
    """Turns condition models into trees, checking every name and value against the rule book."""

    def __init__(self, book: CompiledRulebook, problems: list[Problem]) -> None:
        self.book = book
        self.vocab = book.rulebook.vocabulary
        self.params = book.rulebook.parameters.parameters
        self.problems = problems
        self.facts_used: dict[str, str] = {}
        self.checks: dict[str, Predicate] = {}
        self._core: RuleCompiler | None = None
        self._defining: list[str] = []

    def problem(self, source: SourceFile, message: str, loc: tuple[Any, ...], hint: str | None = None) -> None:
        self.problems.append(source.problem(message, loc, hint=hint))

    def check(self, predicate: Predicate) -> Check:
        prop = f"{CHECK_PREFIX}{len(self.checks)}"
        self.checks[prop] = predicate
        return Check(prop)

    def value(self, operand: Any, source: SourceFile, loc: tuple[Any, ...]) -> Any:
        if isinstance(operand, ParamRef):
            if operand.param not in self.params:
                self.problem(source, f"unknown parameter {operand.param!r}", loc + ("param",))
                return None
            operand = self.params[operand.param].value
        return tuple(operand) if isinstance(operand, list) else operand

    def node(self, cond: Any, source: SourceFile, loc: tuple[Any, ...]) -> Node:
        if isinstance(cond, FactCondition):
            return self.fact(cond, source, loc)
        if isinstance(cond, FieldCondition):
            spec = TRANSITION_FIELDS.get(cond.field)
            if spec is None:
                self.problem(source, f"transitions have no field {cond.field!r}", loc + ("field",),
                             hint="fields: " + ", ".join(TRANSITION_FIELDS))
                return Check("check_invalid")
            operand = self.typed(cond.operator, self.value(cond.operand, source, loc + (cond.operator,)),
                                 spec.type, spec.enum, source, loc + (cond.operator,))
            if cond.field == "rule":
                self.known(operand, set(self.book.by_id), "rule", source, loc + (cond.operator,))
            if cond.field == "case_kind":
                self.known(operand, set(self.vocab.case_kinds), "case kind", source, loc + (cond.operator,))
            return Cmp(cond.field, cond.operator, operand, missing_unknown=False)
        if isinstance(cond, EventCondition):
            if self._core is None:
                self._core = RuleCompiler(self.book.rulebook)
            predicate = self._core.condition(cond, source, loc)
            self.problems.extend(self._core.problems)
            self._core.problems.clear()
            return self.check(predicate)
        if isinstance(cond, DefinitionCondition):
            return self.definition(cond.is_, source, loc + ("is",))
        if isinstance(cond, AllCondition):
            return And(tuple(self.node(c, source, loc + ("all", i)) for i, c in enumerate(cond.all_)))
        if isinstance(cond, AnyCondition):
            return Or(tuple(self.node(c, source, loc + ("any", i)) for i, c in enumerate(cond.any_)))
        if isinstance(cond, NotCondition):
            return Not(self.node(cond.not_, source, loc + ("not",)))
        raise AssertionError(type(cond))  # pragma: no cover

    def definition(self, name: str, source: SourceFile, loc: tuple[Any, ...]) -> Node:
        spec = self.book.rulebook.definitions.definitions.get(name)
        if spec is None:
            self.problem(source, f"unknown definition {name!r}", loc,
                         hint="known: " + ", ".join(sorted(self.book.rulebook.definitions.definitions)))
            return Check("check_invalid")
        if name in self._defining:
            self.problem(source, "definitions refer to each other in a loop", loc)
            return Check("check_invalid")
        self._defining.append(name)
        inner = self.node(spec.condition, self.book.rulebook.sources["definitions"], ("definitions", name, "condition"))
        self._defining.pop()
        return inner

    def fact(self, cond: FactCondition, source: SourceFile, loc: tuple[Any, ...]) -> Node:
        spec = self.vocab.facts.get(cond.fact)
        if spec is None:
            self.problem(source, f"unknown fact {cond.fact!r}", loc + ("fact",),
                         hint="see the facts in rules/vocabulary.yaml")
            return Check("check_invalid")
        operand = self.value(cond.operand, source, loc + (cond.operator,))
        if spec.type == "string_list" and cond.operator != "is_set":
            return self.check(FactTest(cond.fact, cond.operator, operand))  # type: ignore[arg-type]
        kinds = {"integer": "integer", "number": "integer", "boolean": "boolean", "date": "date", "datetime": "datetime"}
        kind = kinds.get(spec.type, "string")
        operand = self.typed(cond.operator, operand, kind, tuple(spec.enum) if spec.enum else None, source,
                             loc + (cond.operator,))
        prop = FACT_PREFIX + cond.fact
        self.facts_used[prop] = cond.fact
        return Cmp(prop, cond.operator, operand, missing_unknown=True)

    def typed(self, operator: str, operand: Any, kind: str, enum: tuple[str, ...] | None, source: SourceFile,
              loc: tuple[Any, ...]) -> Any:
        """Check an operand against the type it is compared with; dates and times become comparable strings."""
        if operator == "is_set":
            return operand
        many = operator in ("in", "not_in")
        if many != isinstance(operand, tuple):
            self.problem(source, "in/not_in take a list; other comparisons a single value", loc)
            return operand
        values = list(operand) if many else [operand]
        ordered = operator in ("less_than", "at_most", "greater_than", "at_least")
        if ordered and kind in ("string", "boolean"):
            words = "text" if kind == "string" else "true/false"
            self.problem(source, f"{operator} orders numbers, dates and times, not {words} values", loc,
                         hint="use equals, not_equals, in or not_in")
        out = []
        for value in values:
            out.append(self.scalar(value, kind, enum, source, loc))
        return tuple(out) if many else out[0]

    def scalar(self, value: Any, kind: str, enum: tuple[str, ...] | None, source: SourceFile,
               loc: tuple[Any, ...]) -> Any:
        ok = {
            "integer": isinstance(value, (int, float)) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
            "string": isinstance(value, str),
            "date": isinstance(value, str),
            "datetime": isinstance(value, str),
        }[kind]
        if not ok:
            self.problem(source, f"{value!r} is not {_KIND_WORDS[kind]}", loc)
            return value
        if enum is not None and value not in enum:
            self.problem(source, f"{value!r} is not an allowed value", loc, hint="allowed: " + ", ".join(enum))
        try:
            if kind == "date":
                return dt.date.fromisoformat(value).isoformat()
            if kind == "datetime":
                moment = dt.datetime.fromisoformat(value)
                if moment.tzinfo is None:
                    raise ValueError("no UTC offset")
                return iso_utc(moment)
        except ValueError as exc:
            self.problem(source, f"{value!r} is not a valid {kind} ({exc})", loc,
                         hint="write dates as YYYY-MM-DD and times with a UTC offset")
        return value

    def known(self, operand: Any, names: set[str], what: str, source: SourceFile, loc: tuple[Any, ...]) -> None:
        for value in operand if isinstance(operand, tuple) else (operand,):
            if isinstance(value, str) and value not in names:
                self.problem(source, f"unknown {what} {value!r}", loc, hint="known: " + ", ".join(sorted(names)))


def _compile(rule: EscalationRule, source: SourceFile, builder: _Builder) -> Node:
    parts: list[Node] = [Cmp("transition", "in", tuple(k.value for k in rule.on), missing_unknown=False)]
    if rule.rules:
        builder.known(tuple(rule.rules), set(builder.book.by_id), "rule", source, ("rules",))
        parts.append(Cmp("rule", "in", tuple(rule.rules), missing_unknown=False))
    if rule.case_kinds:
        builder.known(tuple(rule.case_kinds), set(builder.vocab.case_kinds), "case kind", source, ("case_kinds",))
        parts.append(Cmp("case_kind", "in", tuple(rule.case_kinds), missing_unknown=False))
    if rule.working_day is not None:
        parts.append(Cmp("working_day", "equals", rule.working_day, missing_unknown=False))
    if rule.when is not None:
        parts.append(builder.node(rule.when, source, ("when",)))
    if rule.message is not None:
        template = string.Template(rule.message)
        unknown = [n for n in template.get_identifiers() if n not in MESSAGE_FIELDS]
        if unknown or not template.is_valid():
            builder.problem(source, f"message uses unknown or malformed placeholders {unknown}", ("message",),
                            hint="allowed: " + ", ".join("$" + f for f in MESSAGE_FIELDS))
    return And(tuple(parts))


def load_escalations(book: CompiledRulebook, directory: Path | str | None = None) -> EscalationBook:
    """Read, check and compile the escalation rules in ``directory`` (default: escalations/ of the rule book).

    A missing default directory means no escalation rules. Raises RuleValidationError (schema) or CompileError
    (names, values, engine limits), listing every problem with its file and line.
    """
    root = Path(directory) if directory is not None else Path(book.rulebook.root) / "escalations"
    if not root.is_dir():
        if directory is not None:
            raise RuleValidationError(Problem("escalation rule directory not found", path=str(root)))
        return EscalationBook()
    problems: list[Problem] = []
    schema_problems: list[Problem] = []
    builder = _Builder(book, problems)
    compiled: list[CompiledEscalation] = []
    milestones: dict[str | None, set[int]] = {}
    digest = hashlib.sha256()
    for path in sorted(root.glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        read = read_mapping(path, schema_problems)
        if read is None:
            continue
        data, source = read
        rule = validate_model(EscalationRule, data, source, schema_problems)
        if rule is None:
            continue
        if rule.id != path.stem:
            schema_problems.append(source.problem(f"id {rule.id!r} differs from the file name", ("id",),
                                                  hint=f"use id: {path.stem}"))
            continue
        tree = _compile(rule, source, builder)
        if rule.working_day is not None:
            targets: list[str | None] = list(rule.rules) or [None]
            for rule_id in targets:
                milestones.setdefault(rule_id, set()).add(rule.working_day)
        compiled.append(CompiledEscalation(rule.id, rule.title, tuple(rule.notify), rule.priority,
                                           string.Template(rule.message) if rule.message else None, tree, path))
    if schema_problems:
        raise RuleValidationError(schema_problems + problems)
    if problems:
        raise CompileError(problems)
    alts: list[Alternative] = []
    for escalation in compiled:
        try:
            alts.extend(alternatives(escalation.id, escalation.tree))
        except PatternError as exc:
            source = SourceFile(escalation.path, {})
            problems.append(source.problem(f"cannot be matched by the durable-rules engine: {exc}",
                                           hint="split it into several escalation rules"))
    used: set[str] = set()
    for escalation in compiled:
        used |= props(escalation.tree)
    value_props = tuple(sorted(p for p in used if not p.startswith(CHECK_PREFIX)))
    check_props = tuple(sorted(p for p in used if p.startswith(CHECK_PREFIX)))
    try:
        check_properties(list(value_props) + [f"k_{p}" for p in value_props] + list(check_props))
    except PatternError as exc:
        problems.append(Problem(str(exc), path=str(root)))
    if problems:
        raise CompileError(problems)
    return EscalationBook(
        escalations=tuple(compiled),
        facts_used=dict(builder.facts_used),
        checks=dict(builder.checks),
        value_props=value_props,
        check_props=check_props,
        milestones={k: tuple(sorted(v)) for k, v in milestones.items()},
        alternatives=tuple(alts),
        fingerprint=digest.hexdigest(),
    )
