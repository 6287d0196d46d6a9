"""Compile a validated rule book into an immutable, thread-safe form the evaluator runs.

Compiling checks what no single file can: every fact, event type, event field, parameter, definition, calendar and
rule a rule names must exist, enum values must be allowed ones, and follow-up rules must not form a cycle. Problems
are reported together, each at its file and line. Parameters are resolved here, so evaluation never looks them up.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from .calendars import Calendar, HolidayOverride
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
from .errors import CompileError, Problem
from .wording import did_you_mean
from .model import Deadline, DeadlineChange, FactRef, FieldSpec, Lapse, Period, Rule, RuleVersion
from .obligation import DutyKind, SettingInForce
from .predicates import (
    ALWAYS, AllOf, AnyOf, EventExists, FactTest, FieldTest, Named, NotOf, Predicate, SettingTest, comparison_text,
    event_types_of,
)
from .rulebook_limits import length_problem
from .rulebook import Rulebook, SourceFile, sort_problems
from .snapshot import RESERVED_EVENT_FIELDS, CaseSnapshot, build_snapshot_model


@dataclass(frozen=True, slots=True, eq=False)
class DeadlineSpec:
    """A deadline with its parameters resolved. ``count`` is an int, or the name of a fact holding it.

    Compared and hashed by identity, so the deadline caches look it up cheaply; ``changed`` returns the same object
    for the same change, so a variant's deadline is shared across cases too.
    """

    count: int | str
    unit: str
    calendar: Calendar
    day_one: str
    roll_forward: bool
    short_month: str | None
    count_source: str  # where the number comes from, in words: "as set in 'Working days to ...'" ("" if written in)
    count_duty: DutyKind | None = None  # the kind of duty of the parameter that sets the count, if it says

    def changed(self, change: "DeadlineChangeSpec") -> "DeadlineSpec":
        return _changed(self, change)


@lru_cache(maxsize=4096)
def _changed(base: DeadlineSpec, change: "DeadlineChangeSpec") -> DeadlineSpec:
    return DeadlineSpec(
        count=base.count if change.count is None else change.count,
        unit=change.unit or base.unit,
        calendar=change.calendar or base.calendar,
        day_one=change.day_one or base.day_one,
        roll_forward=base.roll_forward if change.roll_forward is None else change.roll_forward,
        short_month=base.short_month,
        count_source=change.count_source or base.count_source,
        count_duty=base.count_duty if change.count is None else change.count_duty,
    )


@dataclass(frozen=True, slots=True)
class DeadlineChangeSpec:
    count: int | str | None
    unit: str | None
    calendar: Calendar | None
    count_source: str | None
    count_duty: DutyKind | None = None
    day_one: str | None = None
    roll_forward: bool | None = None


@dataclass(frozen=True, slots=True)
class PeriodSpec:
    """A period with its parameter resolved: where a delayed or scheduled obligation starts."""

    count: int
    unit: str  # calendar_days | calendar_months
    short_month: str | None
    text: str  # plain English: "12 calendar months (parameter x)"


@dataclass(frozen=True, slots=True)
class EventMatcher:
    """Events of some types whose fields pass a test."""

    types: tuple[str, ...]
    where: Predicate | None


@dataclass(frozen=True, slots=True)
class LapseSpec:
    """How long a pause may stay unfinished before the obligation ends, with the law that says so."""

    count: int
    unit: str
    text: str  # plain English: "3 calendar months (parameter foi_fee_lapse_months)"
    reason: str


@dataclass(frozen=True, slots=True)
class PauseSpec:
    start: str
    until: str
    include_from_day: bool
    include_until_day: bool
    reason: str
    lapse: LapseSpec | None = None
    when: Predicate | None = None  # applies only in cases where this holds


@dataclass(frozen=True, slots=True)
class RestartSpec:
    matcher: EventMatcher
    reason: str


@dataclass(frozen=True, slots=True)
class ExtensionSpec:
    matcher: EventMatcher
    change: DeadlineChangeSpec
    only_if_before_deadline: bool
    reason: str


@dataclass(frozen=True, slots=True)
class WaiverSpec:
    name: str
    when: Predicate
    reason: str
    from_start: bool = False  # takes_effect: from_start; otherwise it acts from the moment it became true
    event_titles: tuple[tuple[str, str], ...] = ()  # (event type, title) for explanations
    event_types: tuple[str, ...] = ()  # event types its condition looks at, to find that moment

    def __post_init__(self) -> None:
        object.__setattr__(self, "event_types", event_types_of(self.when))


@dataclass(frozen=True, slots=True)
class VariantSpec:
    name: str
    when: Predicate
    change: DeadlineChangeSpec
    reason: str


@dataclass(frozen=True, slots=True)
class CompiledVersion:
    rule_id: str
    source: RuleVersion
    valid_from: dt.date
    valid_to: dt.date | None
    applies: Predicate
    trigger_kind: str  # "case_received" | "event" | "breach_of"
    trigger: EventMatcher | None
    breach_of: str | None
    satisfied_by: EventMatcher
    same_as_trigger: tuple[str, ...]
    deadline: DeadlineSpec
    pauses: tuple[PauseSpec, ...]
    restarts: tuple[RestartSpec, ...]
    extensions: tuple[ExtensionSpec, ...]
    waivers: tuple[WaiverSpec, ...]
    variants: tuple[VariantSpec, ...]
    recurring: bool
    ends_on: tuple[EventMatcher, ...]
    at_risk: tuple[int, str] | None
    starts_after: PeriodSpec | None = None
    titles: Mapping[str, str] = field(default_factory=dict)  # event type -> its title, for explanations
    fact_titles: Mapping[str, str] = field(default_factory=dict)  # fact -> its title
    breach_of_title: str | None = None  # the title of the rule named by breach_of
    every: PeriodSpec | None = None
    duty: DutyKind = DutyKind.STATUTORY
    # explanation texts that never vary for this version, worked out on first use by the evaluator
    texts: dict[str, object] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class CompiledRule:
    id: str
    source: Rule
    kinds: frozenset[str]
    versions: tuple[CompiledVersion, ...]
    # worked out once from the versions, for the evaluator's fast paths
    trigger_kinds: frozenset[str] = frozenset()
    trigger_types: tuple[str, ...] = ()
    kind_titles: Mapping[str, str] = field(default_factory=dict)  # case kind -> its title, for explanations
    # explanation texts that never vary for this rule, worked out on first use by the evaluator
    texts: dict[str, object] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "trigger_kinds", frozenset(v.trigger_kind for v in self.versions))
        types = dict.fromkeys(t for v in self.versions if v.trigger for t in v.trigger.types)
        object.__setattr__(self, "trigger_types", tuple(types))

    def version_on(self, day: dt.date) -> CompiledVersion | None:
        if len(self.versions) == 1:
            only = self.versions[0]
            return only if only.in_force_on(day) else None
        for version in self.versions:
            if version.in_force_on(day):
                return version
        return None


class SnapshotModel:
    """The case-snapshot model of a vocabulary, built when first asked for (building it takes a fifth of a second,
    and listing or documenting rules never needs it). Shared by the cut-down copies of a compiled rule book."""

    def __init__(self, vocabulary: Any) -> None:
        self._vocabulary = vocabulary
        self._model: type[CaseSnapshot] | None = None
        self._lock = threading.Lock()

    def get(self) -> type[CaseSnapshot]:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = build_snapshot_model(self._vocabulary)
        return self._model


@dataclass(frozen=True)
class CompiledRulebook:
    """Everything the evaluator needs, fixed at compile time. Safe to share between threads."""

    rulebook: Rulebook
    rules: tuple[CompiledRule, ...]  # follow-up rules come after the rules they follow
    by_id: Mapping[str, CompiledRule]
    calendars: Mapping[str, Calendar]
    snapshot_models: SnapshotModel
    settings: tuple[SettingInForce, ...] = ()  # every interpretation setting, with the value chosen for this book
    # the same book compiled with other settings (for worked examples that choose their own), made on first use
    with_other_settings: dict[tuple[tuple[str, str], ...], "CompiledRulebook"] = field(
        default_factory=dict, compare=False, repr=False)

    @property
    def snapshot_model(self) -> type[CaseSnapshot]:
        """The pydantic model that validates case snapshots for this rule book's vocabulary."""
        return self.snapshot_models.get()

    @property
    def vocabulary(self) -> Any:
        return self.rulebook.vocabulary

    def with_settings(self, settings: Mapping[str, str]) -> "CompiledRulebook":
        """This book with some settings chosen differently (compiled once per choice). Raises SettingError."""
        chosen = {**self.rulebook.chosen, **settings}
        if chosen == dict(self.rulebook.chosen):
            return self
        key = tuple(sorted(chosen.items()))
        found = self.with_other_settings.get(key)
        if found is None:
            found = self.with_other_settings[key] = compile_rulebook(self.rulebook.with_settings(chosen))
        return found


class RuleCompiler:
    """Checks a validated rule book against itself and compiles its rules, conditions and calendars."""

    def __init__(self, book: Rulebook) -> None:
        self.book = book
        self.problems: list[Problem] = []
        self.vocab = book.vocabulary
        self.params = book.parameters.parameters
        self.calendars = self._build_calendars()
        self._definitions: dict[str, Predicate] = {}
        self._defining: list[str] = []
        self.event_titles = MappingProxyType({name: spec.title for name, spec in self.vocab.events.items()})
        self.kind_titles = MappingProxyType({name: spec.title for name, spec in self.vocab.case_kinds.items()})
        self.fact_titles = MappingProxyType({name: spec.label(name) for name, spec in self.vocab.facts.items()})
        self.settings = book.settings.by_id()
        self._titles: tuple[tuple[str, str], ...] | None = None

    # --- calendars ----------------------------------------------------------------------------------------------
    def _build_calendars(self) -> dict[str, Calendar]:
        spec = self.book.calendars
        overrides = tuple(
            HolidayOverride(o.date, tuple(o.subdivisions), o.action, o.name, o.source) for o in spec.overrides
        )
        return {
            name: Calendar(
                name=name,
                title=cal.title,
                subdivisions=tuple(cal.subdivisions),
                known_through=spec.known_through,
                overrides=overrides,
                description=cal.description,
            )
            for name, cal in spec.calendars.items()
        }

    def problem(self, source: SourceFile, message: str, loc: tuple[Any, ...], hint: str | None = None) -> None:
        self.problems.append(source.problem(message, loc, hint=hint))

    # --- values -------------------------------------------------------------------------------------------------
    def value(self, operand: Any, source: SourceFile, loc: tuple[Any, ...]) -> Any:
        if isinstance(operand, ParamRef):
            if operand.param not in self.params:
                self.problem(source, f"unknown parameter {operand.param!r}", loc + ("param",),
                             hint=_choices(self.params, operand.param, "parameters.yaml"))
                return None
            value = self.params[operand.param].value
            return tuple(value) if isinstance(value, list) else value
        return tuple(operand) if isinstance(operand, list) else operand

    def _check_enum(self, spec: FieldSpec | None, operator: str, operand: Any, source: SourceFile,
                    loc: tuple[Any, ...]) -> None:
        if spec is None or not spec.enum or operator == "is_set":
            return
        values = operand if isinstance(operand, tuple) else (operand,)
        for value in values:
            if value not in spec.enum:
                self.problem(source, f"{value!r} is not an allowed value", loc,
                             hint=did_you_mean(value, spec.enum) or "allowed: " + ", ".join(spec.enum))

    # --- conditions ---------------------------------------------------------------------------------------------
    def condition(self, node: Any, source: SourceFile, loc: tuple[Any, ...],
                  event_types: tuple[str, ...] | None = None) -> Predicate:
        if node is None:
            return ALWAYS
        if isinstance(node, FactCondition):
            spec = self.vocab.facts.get(node.fact)
            if spec is None:
                self.problem(source, f"unknown fact {node.fact!r}", loc + ("fact",),
                             hint=_choices(self.vocab.facts, node.fact, "vocabulary.yaml"))
            operand = self.value(node.operand, source, loc + (node.operator,))
            self._check_enum(spec, node.operator, operand, source, loc + (node.operator,))
            subject = f"'{spec.label(node.fact)}'" if spec is not None else f"'{node.fact}'"
            return FactTest(node.fact, node.operator, operand,
                            comparison_text(subject, node.operator, operand) if operand is not None else "")
        if isinstance(node, FieldCondition):
            if event_types is None:
                self.problem(source, "'field' conditions are only allowed inside 'where' of an event", loc)
                return ALWAYS
            specs = [self.vocab.events[t].fields.get(node.field) for t in event_types if t in self.vocab.events]
            if node.field not in RESERVED_EVENT_FIELDS and specs and all(s is None for s in specs):
                fields = sorted({f for t in event_types if t in self.vocab.events for f in self.vocab.events[t].fields})
                self.problem(source, f"event type {'/'.join(event_types)} has no field {node.field!r}",
                             loc + ("field",), hint=_choices(fields, node.field, "the event type in vocabulary.yaml"))
            operand = self.value(node.operand, source, loc + (node.operator,))
            spec = next((s for s in specs if s is not None), None)
            self._check_enum(spec, node.operator, operand, source, loc + (node.operator,))
            return FieldTest(node.field, node.operator, operand, self._field_text(node, spec, operand))
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

    def _field_text(self, node: FieldCondition, spec: FieldSpec | None, operand: Any) -> str:
        """``its type is 'Officer contact details given'``: the field's and event types' words, not their names."""
        if operand is None:
            return ""
        if node.field == "type":
            values = operand if isinstance(operand, tuple) else (operand,)
            titled = tuple(f"'{self.event_titles.get(v, v)}'" for v in values)
            return comparison_text("its type", node.operator, titled if isinstance(operand, tuple) else titled[0])
        label = spec.label(node.field) if spec is not None else node.field.replace("_", " ")
        return comparison_text(f"its '{label}'", node.operator, operand)

    def setting_test(self, node: SettingCondition, source: SourceFile, loc: tuple[Any, ...]) -> Predicate:
        """A setting is chosen when the book is loaded, so its test is decided here, once."""
        setting = self.settings.get(node.setting)
        if setting is None:
            self.problem(source, f"unknown setting {node.setting!r}", loc + ("setting",),
                         hint=_choices(self.settings, node.setting, "settings.yaml") if self.settings else "add it to settings.yaml")
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

    def definition(self, name: str, source: SourceFile, loc: tuple[Any, ...]) -> Predicate:
        if name in self._definitions:
            return self._definitions[name]
        spec = self.book.definitions.definitions.get(name)
        if spec is None:
            self.problem(source, f"unknown definition {name!r}", loc,
                         hint=_choices(self.book.definitions.definitions, name, "definitions.yaml"))
            return ALWAYS
        if name in self._defining:
            self.problem(source, "definitions refer to each other in a loop: " + " -> ".join(self._defining + [name]), loc)
            return ALWAYS
        self._defining.append(name)
        def_source = self.book.sources["definitions"]
        inner = self.condition(spec.condition, def_source, ("definitions", name, "condition"))
        self._defining.pop()
        predicate = Named(name, inner, spec.title)
        self._definitions[name] = predicate
        return predicate

    def matcher(self, types: str | list[str] | tuple[str, ...], where: Any, source: SourceFile,
                loc: tuple[Any, ...], event_key: str) -> EventMatcher:
        names = (types,) if isinstance(types, str) else tuple(types)
        for name in names:
            if name not in self.vocab.events:
                self.problem(source, f"unknown event type {name!r}", loc + (event_key,),
                             hint=_choices(self.vocab.events, name, "vocabulary.yaml"))
        where_pred = self.condition(where, source, loc + ("where",), event_types=names) if where is not None else None
        return EventMatcher(names, where_pred)

    def event_type(self, name: str, source: SourceFile, loc: tuple[Any, ...]) -> str:
        if name not in self.vocab.events:
            self.problem(source, f"unknown event type {name!r}", loc,
                         hint=_choices(self.vocab.events, name, "vocabulary.yaml"))
        return name

    # --- deadlines ----------------------------------------------------------------------------------------------
    def event_title_pairs(self) -> tuple[tuple[str, str], ...]:
        if self._titles is None:
            self._titles = tuple((name, spec.title) for name, spec in self.vocab.events.items())
        return self._titles

    def count_duty(self, count: Any) -> DutyKind | None:
        """The kind of duty of the parameter a count is taken from (None for a number, a fact or an unmarked one)."""
        if isinstance(count, ParamRef) and count.param in self.params:
            return DutyKind(self.params[count.param].duty)
        return None

    def lapse(self, lapse: Lapse | None, reason: str | None, source: SourceFile, loc: tuple[Any, ...]) -> LapseSpec | None:
        if lapse is None:
            return None
        count, _ = self.count(lapse.count, source, loc + ("count",))
        assert isinstance(count, int)  # a lapse's count is a number or a parameter, never a fact
        if count < 1:
            self.problem(source, f"a lapse must be at least 1 unit long, got {count}", loc + ("count",))
        text = unit_words(count, lapse.unit)
        if isinstance(lapse.count, ParamRef):
            text += f" (parameter {lapse.count.param})"
        return LapseSpec(count, lapse.unit, text, reason or "")

    def count(self, count: Any, source: SourceFile, loc: tuple[Any, ...]) -> tuple[int | str, str]:
        if isinstance(count, ParamRef):
            value = self.value(count, source, loc)
            if value is not None and not isinstance(value, int):
                self.problem(source, f"parameter {count.param!r} is not a whole number", loc + ("param",))
                value = 0
            title = self.params[count.param].title if count.param in self.params else count.param
            return (value if isinstance(value, int) else 0), f"as set in '{title}'"
        if isinstance(count, FactRef):
            spec = self.vocab.facts.get(count.fact)
            if spec is None or spec.type != "integer":
                self.problem(source, f"fact {count.fact!r} is not an integer fact", loc + ("fact",),
                             hint="name a fact of type integer in vocabulary.yaml")
            return count.fact, f"the number in '{spec.label(count.fact) if spec is not None else count.fact}'"
        return int(count), ""

    def period(self, period: Period | None, source: SourceFile, loc: tuple[Any, ...]) -> PeriodSpec | None:
        if period is None:
            return None
        count, text = self.count(period.count, source, loc + ("count",))
        assert isinstance(count, int)  # a Period's count is a number or a parameter, never a fact
        if count < 1:
            self.problem(source, f"a period must be at least 1 unit long, got {count}", loc + ("count",))
        self.length(count, period.unit, None, source, loc + ("count",), "a period")
        words = "calendar day" if period.unit == "calendar_days" else "calendar month"
        plain = f"{count} {words}{'' if count == 1 else 's'}"
        if isinstance(period.count, ParamRef):
            plain += f" ({text})"
        return PeriodSpec(count, period.unit, period.short_month, plain)

    def calendar(self, name: str, source: SourceFile, loc: tuple[Any, ...]) -> Calendar:
        calendar = self.calendars.get(name)
        if calendar is None:
            self.problem(source, f"unknown calendar {name!r}", loc, hint=_choices(self.calendars, name, "calendars.yaml"))
            return next(iter(self.calendars.values()))
        return calendar

    def length(self, count: int | str | None, unit: str, reason: str | None, source: SourceFile,
               loc: tuple[Any, ...], what: str = "a deadline") -> None:
        """A count written in the rule (or its parameter) must be a sensible length (``rulebook_limits.py``)."""
        if isinstance(count, int):
            problem = length_problem(count, unit, reason=reason, what=what)
            if problem is not None:
                self.problem(source, problem, loc)

    def deadline(self, deadline: Deadline, source: SourceFile, loc: tuple[Any, ...]) -> DeadlineSpec:
        count, text = self.count(deadline.count, source, loc + ("count",))
        self.length(count, deadline.unit, deadline.long_deadline_reason, source, loc + ("count",))
        return DeadlineSpec(
            count=count,
            unit=deadline.unit,
            calendar=self.calendar(deadline.calendar, source, loc + ("calendar",)),
            day_one=deadline.day_one,
            roll_forward=deadline.if_due_on_non_working_day == "roll_forward",
            short_month=deadline.short_month,
            count_source=text,
            count_duty=self.count_duty(deadline.count),
        )

    def change(self, change: DeadlineChange, base: Deadline, source: SourceFile, loc: tuple[Any, ...]) -> DeadlineChangeSpec:
        count, text = (None, None)
        if change.count is not None:
            count, text = self.count(change.count, source, loc + ("count",))
            self.length(count, change.unit or base.unit, base.long_deadline_reason, source, loc + ("count",))
        unit = change.unit
        if unit == "calendar_months" and base.short_month is None:
            self.problem(source, "a change to calendar_months needs the base deadline to state short_month", loc + ("unit",))
        calendar = self.calendar(change.calendar, source, loc + ("calendar",)) if change.calendar else None
        roll = None if change.if_due_on_non_working_day is None else change.if_due_on_non_working_day == "roll_forward"
        if roll and (unit or base.unit) in ("working_days", "hours"):
            self.problem(source, f"if_due_on_non_working_day has no meaning for {unit or base.unit}; leave it out",
                         loc + ("if_due_on_non_working_day",))
        return DeadlineChangeSpec(count, unit, calendar, text, self.count_duty(change.count), change.day_one, roll)

    # --- rules --------------------------------------------------------------------------------------------------
    def clock(self, version: RuleVersion, source: SourceFile, loc: tuple[Any, ...]) -> tuple[
            tuple[PauseSpec, ...], tuple[RestartSpec, ...], tuple[ExtensionSpec, ...]]:
        """A version's pauses, restarts and extensions, with their events, conditions and lapses checked."""
        clock = version.clock
        pauses = tuple(
            PauseSpec(self.event_type(p.from_, source, loc + ("clock", "pauses", i, "from")),
                      self.event_type(p.until, source, loc + ("clock", "pauses", i, "until")),
                      p.include_from_day, p.include_until_day, p.reason,
                      self.lapse(p.lapses_after, p.lapse_reason, source, loc + ("clock", "pauses", i, "lapses_after")),
                      self.condition(p.when, source, loc + ("clock", "pauses", i, "when")) if p.when else None)
            for i, p in enumerate(clock.pauses)
        )
        restarts = tuple(
            RestartSpec(self.matcher(r.on, r.where, source, loc + ("clock", "restarts", i), "on"), r.reason)
            for i, r in enumerate(clock.restarts)
        )
        extensions = tuple(
            ExtensionSpec(
                self.matcher(e.on, e.where, source, loc + ("clock", "extensions", i), "on"),
                self.change(e.to, version.deadline, source, loc + ("clock", "extensions", i, "to")),
                e.only_if_before_deadline,
                e.reason,
            )
            for i, e in enumerate(clock.extensions)
        )
        return pauses, restarts, extensions

    def variants(self, version: RuleVersion, source: SourceFile, loc: tuple[Any, ...]) -> tuple[VariantSpec, ...]:
        """A version's deadline variants; two with the same condition must not set different deadlines."""
        variants = tuple(
            VariantSpec(
                v.name,
                self.condition(v.when, source, loc + ("variants", i, "when")),
                self.change(v.deadline, version.deadline, source, loc + ("variants", i, "deadline")),
                v.reason,
            )
            for i, v in enumerate(version.variants)
        )
        seen_variants: dict[str, int] = {}
        for i, v in enumerate(version.variants):
            key = v.when.model_dump_json()
            if key in seen_variants and version.variants[seen_variants[key]].deadline != v.deadline:
                other = version.variants[seen_variants[key]].name
                self.problem(source, f"variants {other!r} and {v.name!r} have the same condition but different "
                             "deadlines", loc + ("variants", i), hint="merge them or make their conditions differ")
            seen_variants.setdefault(key, i)
        return variants

    def version(self, rule: Rule, index: int, version: RuleVersion, source: SourceFile) -> CompiledVersion:
        loc: tuple[Any, ...] = ("versions", index)
        trigger = version.trigger
        trigger_matcher = None
        kind = "case_received"
        if trigger.event:
            kind = "event"
            trigger_matcher = self.matcher(trigger.event, trigger.where, source, loc + ("trigger",), "event")
        elif trigger.breach_of:
            kind = "breach_of"
            if trigger.breach_of not in self.book.rules and trigger.breach_of not in self.book.failed_rules:
                self.problem(source, f"unknown rule {trigger.breach_of!r}", loc + ("trigger", "breach_of"),
                             hint=_choices(self.book.rules, trigger.breach_of, "commitments/"))
        sat = version.satisfied_by
        satisfied_by = self.matcher(sat.event, sat.where, source, loc + ("satisfied_by",), "event")
        if sat.same_as_trigger and kind != "event":
            self.problem(source, "same_as_trigger needs a trigger event to compare with",
                         loc + ("satisfied_by", "same_as_trigger"))
        for name in sat.same_as_trigger:
            known_trigger = isinstance(trigger.event, str) and trigger.event in self.vocab.events
            if known_trigger and name not in self.vocab.events[trigger.event].fields:
                self.problem(source, f"trigger event {trigger.event!r} has no field {name!r}",
                             loc + ("satisfied_by", "same_as_trigger"))
        pauses, restarts, extensions = self.clock(version, source, loc)
        waivers = tuple(
            WaiverSpec(w.name, self.condition(w.when, source, loc + ("waived_when", i, "when")), w.reason,
                       w.takes_effect == "from_start", self.event_title_pairs())
            for i, w in enumerate(version.waived_when)
        )
        variants = self.variants(version, source, loc)
        ends_on: list[EventMatcher] = []
        if version.recurrence is not None:
            for i, node in enumerate(version.recurrence.ends_on):
                if not isinstance(node, EventCondition):
                    self.problem(source, "ends_on takes event conditions ({event: type, where: ...})",
                                 loc + ("recurrence", "ends_on", i))
                    continue
                ends_on.append(self.matcher(node.event, node.where, source, loc + ("recurrence", "ends_on", i), "event"))
        at_risk = (version.at_risk.before, version.at_risk.unit) if version.at_risk else None
        if at_risk:
            self.length(at_risk[0], at_risk[1], version.deadline.long_deadline_reason, source,
                        loc + ("at_risk", "before"), "an at-risk warning")
        return CompiledVersion(
            rule_id=rule.id,
            source=version,
            valid_from=version.valid_from,
            valid_to=version.valid_to,
            applies=self.condition(version.applies_when, source, loc + ("applies_when",)),
            trigger_kind=kind,
            trigger=trigger_matcher,
            breach_of=trigger.breach_of,
            satisfied_by=satisfied_by,
            same_as_trigger=tuple(sat.same_as_trigger),
            deadline=self.deadline(version.deadline, source, loc + ("deadline",)),
            pauses=pauses,
            restarts=restarts,
            extensions=extensions,
            waivers=waivers,
            variants=variants,
            recurring=version.recurrence is not None,
            ends_on=tuple(ends_on),
            at_risk=at_risk,
            starts_after=self.period(trigger.starts_after, source, loc + ("trigger", "starts_after")),
            every=self.period(version.recurrence.every if version.recurrence else None, source,
                              loc + ("recurrence", "every")),
            titles=self.event_titles,
            fact_titles=self.fact_titles,
            breach_of_title=(self.book.rules[trigger.breach_of].title
                             if trigger.breach_of and trigger.breach_of in self.book.rules else None),
            duty=DutyKind(version.duty),
        )

    def rule(self, rule: Rule) -> CompiledRule:
        source = self.book.sources[f"rule:{rule.id}"]
        for i, kind in enumerate(rule.case_kinds):
            if kind not in self.vocab.case_kinds:
                self.problem(source, f"unknown case kind {kind!r}", ("case_kinds", i),
                             hint=_choices(self.vocab.case_kinds, kind, "vocabulary.yaml"))
        for i, example in enumerate(rule.examples):
            for name, value in example.settings.items():
                known = self.settings.get(name)
                if known is None or value not in known.choices:
                    hint = ("choices: " + ", ".join(known.choices)) if known else (
                        _choices(self.settings, name, "settings.yaml") if self.settings else "add it to settings.yaml")
                    self.problem(source, f"unknown setting {name}={value!r}", ("examples", i, "settings", name),
                                 hint=hint)
        for i, name in enumerate(rule.parameters):
            if name not in self.params:
                self.problem(source, f"unknown parameter {name!r}", ("parameters", i),
                             hint=_choices(self.params, name, "parameters.yaml"))
        for i, counterpart in enumerate(rule.law_counterparts):
            loc = ("law_counterparts", i)
            if counterpart.rule in self.book.failed_rules:
                pass  # its own file is at fault and reported; not a second problem here
            elif counterpart.rule not in self.book.rules or counterpart.rule == rule.id:
                self.problem(source, f"law counterpart {counterpart.rule!r} is not another rule of the book",
                             loc + ("rule",), hint=_choices(self.book.rules, counterpart.rule, "commitments/"))
            for name in counterpart.facts:
                if name not in self.vocab.facts:
                    self.problem(source, f"unknown fact {name!r}", loc + ("facts", name),
                                 hint=_choices(self.vocab.facts, name, "vocabulary.yaml"))
        versions = tuple(self.version(rule, i, v, source) for i, v in enumerate(rule.versions))
        return CompiledRule(rule.id, rule, frozenset(rule.case_kinds), versions, kind_titles=self.kind_titles)

    def order(self, rules: dict[str, CompiledRule]) -> tuple[CompiledRule, ...]:
        ordered: list[CompiledRule] = []
        state: dict[str, int] = {}

        def visit(rule_id: str, path: list[str]) -> None:
            if state.get(rule_id) == 2:
                return
            if state.get(rule_id) == 1:
                source = self.book.sources[f"rule:{rule_id}"]
                self.problem(source, "follow-up rules form a cycle: " + " -> ".join(path + [rule_id]), ("versions",))
                return
            state[rule_id] = 1
            for version in rules[rule_id].versions:
                if version.breach_of in rules:
                    visit(version.breach_of, path + [rule_id])
            state[rule_id] = 2
            ordered.append(rules[rule_id])

        for rule_id in sorted(rules):
            visit(rule_id, [])
        return tuple(ordered)



def unit_words(count: int, unit: str) -> str:
    singular = {"working_days": "working day", "calendar_days": "calendar day", "calendar_months": "calendar month",
                "hours": "hour"}[unit]
    return f"{count} {singular}" + ("" if count == 1 else "s")


def settings_in_force(book: Rulebook) -> tuple[SettingInForce, ...]:
    out = []
    for setting in book.settings.settings:
        value = book.chosen.get(setting.id, setting.default)
        out.append(SettingInForce(setting.id, setting.title, value, setting.choices[value].title,
                                  value == setting.default))
    return tuple(out)


def _choices(options: Iterable[str], name: str, listed_in: str) -> str:
    """"did you mean 'x'?" for the nearest known name, or where the known names are listed."""
    return did_you_mean(name, options) or f"no known name is close; see {listed_in}"


def compile_rulebook(book: Rulebook) -> CompiledRulebook:
    """Check a loaded rule book as a whole and turn it into the evaluator's form. Raises CompileError."""
    compiler = RuleCompiler(book)
    compiled = {rule_id: compiler.rule(rule) for rule_id, rule in book.rules.items()}
    ordered = compiler.order(compiled)
    if compiler.problems:
        raise CompileError(sort_problems(compiler.problems))
    return CompiledRulebook(
        rulebook=book,
        rules=ordered,
        by_id=MappingProxyType({r.id: r for r in ordered}),
        calendars=MappingProxyType(compiler.calendars),
        snapshot_models=SnapshotModel(book.vocabulary),
        settings=settings_in_force(book),
    )
