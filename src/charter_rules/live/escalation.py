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
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..compiled import CompiledRulebook
from ..condition_compiler import ConditionCompiler, LeafField
from ..errors import CompileError, Problem, RuleValidationError
from ..predicates import AllOf, AnyOf, EventExists, FactTest, FieldTest, Named, NotOf, Predicate, fold
from ..rulebook import SourceFile, read_folder
from ..rulebook_files import EscalationRule
from .facts import CHECK_PREFIX, FACT_PREFIX, TRANSITION_FIELDS
from .patterns import Alternative, PatternError, alternatives, check_properties
from .transitions import Milestones, iso_utc
from .tree import And, Check, Cmp, Node, Not, Or, props

MESSAGE_FIELDS = ("case_id", "rule", "rule_title", "instance", "transition", "due_date", "working_day",
                  "case_overdue_count", "status_after", "title")


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


class _Trees:
    """Turns escalation rules' conditions into the trees both matchers run.

    Conditions are compiled by the rule book's one condition compiler (so names and values are checked exactly as in
    rules), with the fields of a transition as what a ``{field: ...}`` condition reads; the compiled condition is
    then folded into a tree: facts and transition fields become comparisons of properties, and any other rule-book
    test (an event of the case, a list fact) a precomputed check.
    """

    def __init__(self, book: CompiledRulebook, problems: list[Problem]) -> None:
        self.book = book
        self.vocab = book.rulebook.vocabulary
        self.problems = problems
        self.facts_used: dict[str, str] = {}
        self.checks: dict[str, Predicate] = {}
        self.compiler = ConditionCompiler(book.rulebook, outer_fields=_transition_fields(book))

    def problem(self, source: SourceFile, message: str, loc: tuple[Any, ...], hint: str | None = None) -> None:
        self.problems.append(source.problem(message, loc, hint=hint))

    def known(self, names: tuple[str, ...], known: set[str], what: str, source: SourceFile,
              loc: tuple[Any, ...]) -> None:
        for value in names:
            if value not in known:
                self.problem(source, f"unknown {what} {value!r}", loc, hint="known: " + ", ".join(sorted(known)))

    def tree(self, condition: Any, source: SourceFile, loc: tuple[Any, ...]) -> Node:
        predicate = self.compiler.condition(condition, source, loc)
        problems, self.compiler.problems = self.compiler.problems, []
        self.problems.extend(problems)
        if problems:
            return Check("check_invalid")
        return fold(predicate, self._node, leaves=(EventExists,))

    def _check(self, predicate: Predicate) -> Check:
        prop = f"{CHECK_PREFIX}{len(self.checks)}"
        self.checks[prop] = predicate
        return Check(prop)

    def _node(self, predicate: Predicate, parts: list[Node]) -> Node:
        if isinstance(predicate, AllOf):
            return And(tuple(parts))
        if isinstance(predicate, AnyOf):
            return Or(tuple(parts))
        if isinstance(predicate, NotOf):
            return Not(parts[0])
        if isinstance(predicate, Named):
            return parts[0]
        if isinstance(predicate, FactTest):
            return self._fact(predicate)
        if isinstance(predicate, FieldTest):
            kind = TRANSITION_FIELDS[predicate.field].type
            return Cmp(predicate.field, predicate.operator, _comparable(predicate.operand, kind), missing_unknown=False)
        return self._check(predicate)  # an event of the case

    def _fact(self, test: FactTest) -> Node:
        kind = self.vocab.facts[test.fact].type
        if kind == "string_list" and test.operator != "is_set":
            return self._check(test)
        prop = FACT_PREFIX + test.fact
        self.facts_used[prop] = test.fact
        operand = test.operand if test.operator == "is_set" else _comparable(test.operand, kind)
        return Cmp(prop, test.operator, operand, missing_unknown=True)


def _transition_fields(book: CompiledRulebook) -> dict[str, LeafField]:
    """The fields of a transition, as the condition compiler checks them (rule ids and case kinds by name)."""
    fields = {name: LeafField(spec.type, spec.enum) for name, spec in TRANSITION_FIELDS.items()}
    fields["rule"] = LeafField("string", known=tuple(book.by_id), known_as="rule")
    fields["case_kind"] = LeafField("string", known=tuple(book.rulebook.vocabulary.case_kinds), known_as="case kind")
    return fields


def _comparable(operand: Any, kind: str) -> Any:
    """Dates and times as strings that compare in time order (the durable-rules engine compares plain values)."""
    if isinstance(operand, tuple):
        return tuple(_comparable(value, kind) for value in operand)
    if kind == "date" and isinstance(operand, str):
        return dt.date.fromisoformat(operand).isoformat()
    if kind == "datetime" and isinstance(operand, str):
        return iso_utc(dt.datetime.fromisoformat(operand))
    return operand


def _compile(rule: EscalationRule, source: SourceFile, builder: _Trees) -> Node:
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
        parts.append(builder.tree(rule.when, source, ("when",)))
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
    if directory is None:  # the rule book's own escalations/, read and checked with the rest of rules/
        rules = {i: (r, book.rulebook.sources[f"escalation:{i}"]) for i, r in book.rulebook.escalations.items()}
    else:
        rules = read_folder(root, EscalationRule, "escalation rule", schema_problems)
    builder = _Trees(book, problems)
    compiled = [_compiled(rule, source, builder) for rule, source in rules.values()]
    if schema_problems:
        raise RuleValidationError(schema_problems + problems)
    if problems:
        raise CompileError(problems)
    alts = _engine_alternatives(compiled, problems)
    used: set[str] = set().union(*(props(e.tree) for e in compiled))
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
        milestones=_milestones(rule for rule, _ in rules.values()),
        alternatives=tuple(alts),
        fingerprint=_fingerprint(root),
    )


def _compiled(rule: EscalationRule, source: SourceFile, builder: _Trees) -> CompiledEscalation:
    return CompiledEscalation(rule.id, rule.title, tuple(rule.notify), rule.priority,
                              string.Template(rule.message) if rule.message else None,
                              _compile(rule, source, builder), source.path)


def _milestones(rules: Iterable[EscalationRule]) -> Milestones:
    """The working days of the clock each rule's obligations must be reported on (None: any rule's)."""
    found: dict[str | None, set[int]] = {}
    for rule in rules:
        if rule.working_day is not None:
            for rule_id in list(rule.rules) or [None]:
                found.setdefault(rule_id, set()).add(rule.working_day)
    return {k: tuple(sorted(v)) for k, v in found.items()}


def _engine_alternatives(compiled: list[CompiledEscalation], problems: list[Problem]) -> list[Alternative]:
    """Each condition as the durable-rules engine's alternatives; one too wide for the engine is a problem."""
    alts: list[Alternative] = []
    for escalation in compiled:
        try:
            alts.extend(alternatives(escalation.id, escalation.tree))
        except PatternError as exc:
            source = SourceFile(escalation.path, {})
            problems.append(source.problem(f"cannot be matched by the durable-rules engine: {exc}",
                                           hint="split it into several escalation rules"))
    return alts


def _fingerprint(root: Path) -> str:
    """A digest of the escalation files, so a stored monitor can tell that its rules changed."""
    digest = hashlib.sha256()
    for path in sorted(root.glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
