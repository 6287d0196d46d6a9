"""Compile a validated rule book into an immutable, thread-safe form the evaluator runs (``compiled.py``).

Compiling checks what no single file can: every fact, event type, event field, parameter, definition, calendar and
rule a rule names must exist, enum values must be allowed ones, and follow-up rules must not form a cycle. Problems
are reported together, each at its file and line. Parameters are resolved here, so evaluation never looks them up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from .compiled import (CompiledRule, CompiledRulebook, CompiledVersion, ExtensionSpec, PauseSpec, RestartSpec,
                       SnapshotModel, VariantSpec, WaiverSpec)
from .condition_syntax import EventCondition, param_names
from .condition_compiler import EventMatcher, choices
from .deadline_compiler import DeadlineCompiler, DeadlineSpec
from .errors import CompileError
from .model import Rule, RuleVersion
from .obligation import DutyKind, SettingInForce
from .rulebook import Rulebook, SourceFile, sort_problems

__all__ = ["CompiledRule", "CompiledRulebook", "CompiledVersion", "DeadlineSpec", "RuleCompiler", "compile_rulebook",
           "settings_in_force"]


class RuleCompiler(DeadlineCompiler):
    """Checks a validated rule book against itself and compiles its rules (conditions: see ``condition_compiler``;
    calendars, deadlines and periods: ``deadline_compiler``)."""

    def __init__(self, book: Rulebook) -> None:
        super().__init__(book)
        self._titles: tuple[tuple[str, str], ...] | None = None

    def event_title_pairs(self) -> tuple[tuple[str, str], ...]:
        if self._titles is None:
            self._titles = tuple((name, spec.title) for name, spec in self.vocab.events.items())
        return self._titles

    # --- rules --------------------------------------------------------------------------------------------------
    def version(self, rule: Rule, index: int, version: RuleVersion, source: SourceFile) -> CompiledVersion:
        loc: tuple[Any, ...] = ("versions", index)
        kind, trigger = self._trigger(version, source, loc)
        pauses, restarts, extensions = self._clock(version, source, loc + ("clock",))
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
            trigger=trigger,
            breach_of=version.trigger.breach_of,
            satisfied_by=self._satisfaction(version, kind, source, loc + ("satisfied_by",)),
            same_as_trigger=tuple(version.satisfied_by.same_as_trigger),
            same_by_type=self._same_by_type(version, source, loc + ("satisfied_by",)),
            deadline=self.deadline(version.deadline, source, loc + ("deadline",)),
            pauses=pauses,
            restarts=restarts,
            extensions=extensions,
            waivers=self._waivers(version, source, loc),
            variants=self._variants(version, source, loc),
            recurring=version.recurrence is not None,
            ends_on=self._series_events(version, "ends_on", source, loc),
            resumes_on=self._series_events(version, "resumes_on", source, loc),
            at_risk=at_risk,
            starts_after=self.period(version.trigger.starts_after, source, loc + ("trigger", "starts_after")),
            every=self.period(version.recurrence.every if version.recurrence else None, source,
                              loc + ("recurrence", "every")),
            titles=self.event_titles,
            fact_titles=self.fact_titles,
            breach_of_title=(self.book.rules[version.trigger.breach_of].title
                             if version.trigger.breach_of in self.book.rules else None),
            duty=DutyKind(version.duty),
        )

    def _trigger(self, version: RuleVersion, source: SourceFile,
                 loc: tuple[Any, ...]) -> tuple[str, EventMatcher | None]:
        """What starts an obligation: the case being received, an event, or the breach of another rule."""
        trigger = version.trigger
        if trigger.event:
            return "event", self.matcher(trigger.event, trigger.where, source, loc + ("trigger",), "event")
        if trigger.breach_of:
            if trigger.breach_of not in self.book.rules and trigger.breach_of not in self.book.failed_rules:
                self.problem(source, f"unknown rule {trigger.breach_of!r}", loc + ("trigger", "breach_of"),
                             hint=choices(self.book.rules, trigger.breach_of, "commitments/"))
            return "breach_of", None
        return "case_received", None

    def _satisfaction(self, version: RuleVersion, kind: str, source: SourceFile,
                      loc: tuple[Any, ...]) -> EventMatcher:
        """The events that meet the obligation; fields they must share with the trigger event must exist on it."""
        sat, trigger_event = version.satisfied_by, version.trigger.event
        if sat.same_as_trigger and kind != "event":
            self.problem(source, "same_as_trigger needs a trigger event to compare with", loc + ("same_as_trigger",))
        for name in sat.same_as_trigger:
            known_trigger = isinstance(trigger_event, str) and trigger_event in self.vocab.events
            if known_trigger and name not in self.vocab.events[trigger_event].fields:
                self.problem(source, f"trigger event {trigger_event!r} has no field {name!r}",
                             loc + ("same_as_trigger",))
        return self.matcher(sat.event, sat.where, source, loc, "event")

    def _same_by_type(self, version: RuleVersion, source: SourceFile,
                      loc: tuple[Any, ...]) -> dict[str, tuple[str, ...]]:
        """The same_as_trigger fields each satisfying event type can carry: an event of a type with no such field
        cannot name another subject, so it is not compared on it (a written confirmation names no officer)."""
        sat = version.satisfied_by
        events = self.vocab.events
        found = {t: tuple(f for f in sat.same_as_trigger if t not in events or f in events[t].fields)
                 for t in sat.event_types}
        for name in sat.same_as_trigger:
            if all(t in events and name not in events[t].fields for t in sat.event_types):
                self.problem(source, f"no satisfying event type has a field {name!r} to compare with the trigger's",
                             loc + ("same_as_trigger",))
        return found

    def _clock(self, version: RuleVersion, source: SourceFile, loc: tuple[Any, ...]
               ) -> tuple[tuple[PauseSpec, ...], tuple[RestartSpec, ...], tuple[ExtensionSpec, ...]]:
        """What stops, restarts and extends the clock."""
        clock = version.clock
        pauses = tuple(
            PauseSpec(self.event_type(p.from_, source, loc + ("pauses", i, "from")),
                      self.event_type(p.until, source, loc + ("pauses", i, "until")),
                      p.include_from_day, p.include_until_day, p.reason,
                      self.lapse(p.lapses_after, p.lapse_reason, source, loc + ("pauses", i, "lapses_after")),
                      self.condition(p.when, source, loc + ("pauses", i, "when")) if p.when else None,
                      p.during_extension)
            for i, p in enumerate(clock.pauses)
        )
        restarts = tuple(
            RestartSpec(self.matcher(r.on, r.where, source, loc + ("restarts", i), "on"), r.reason,
                        self.event_type(r.only_after, source, loc + ("restarts", i, "only_after"))
                        if r.only_after is not None else None)
            for i, r in enumerate(clock.restarts)
        )
        extensions = tuple(
            ExtensionSpec(self.matcher(e.on, e.where, source, loc + ("extensions", i), "on"),
                          self.change(e.to, version.deadline, source, loc + ("extensions", i, "to")),
                          e.only_if_before_deadline, e.reason)
            for i, e in enumerate(clock.extensions)
        )
        return pauses, restarts, extensions

    def _waivers(self, version: RuleVersion, source: SourceFile, loc: tuple[Any, ...]) -> tuple[WaiverSpec, ...]:
        return tuple(
            WaiverSpec(w.name, self.condition(w.when, source, loc + ("waived_when", i, "when")), w.reason,
                       w.takes_effect == "from_start", self.event_title_pairs())
            for i, w in enumerate(version.waived_when)
        )

    def _variants(self, version: RuleVersion, source: SourceFile, loc: tuple[Any, ...]) -> tuple[VariantSpec, ...]:
        """The deadline's variants; two with the same condition and different deadlines contradict each other."""
        seen: dict[str, int] = {}
        for i, v in enumerate(version.variants):
            key = v.when.model_dump_json()
            if key in seen and version.variants[seen[key]].deadline != v.deadline:
                other = version.variants[seen[key]].name
                self.problem(source, f"variants {other!r} and {v.name!r} have the same condition but different "
                             "deadlines", loc + ("variants", i), hint="merge them or make their conditions differ")
            seen.setdefault(key, i)
        return tuple(
            VariantSpec(v.name, self.condition(v.when, source, loc + ("variants", i, "when")),
                        self.change(v.deadline, version.deadline, source, loc + ("variants", i, "deadline")), v.reason)
            for i, v in enumerate(version.variants)
        )

    def _series_events(self, version: RuleVersion, key: str, source: SourceFile,
                       loc: tuple[Any, ...]) -> tuple[EventMatcher, ...]:
        """The events that end a recurring obligation (``ends_on``) or start it again once ended (``resumes_on``)."""
        found: list[EventMatcher] = []
        for i, node in enumerate(getattr(version.recurrence, key) if version.recurrence else ()):
            where = loc + ("recurrence", key, i)
            if not isinstance(node, EventCondition):
                self.problem(source, f"{key} takes event conditions ({{event: type, where: ...}})", where)
                continue
            found.append(self.matcher(node.event, node.where, source, where, "event"))
        return tuple(found)

    def rule(self, rule: Rule) -> CompiledRule:
        source = self.book.sources[f"rule:{rule.id}"]
        for i, kind in enumerate(rule.case_kinds):
            if kind not in self.vocab.case_kinds:
                self.problem(source, f"unknown case kind {kind!r}", ("case_kinds", i),
                             hint=choices(self.vocab.case_kinds, kind, "vocabulary.yaml"))
        self._example_settings(rule, source)
        for i, name in enumerate(rule.parameters):
            if name not in self.params:
                self.problem(source, f"unknown parameter {name!r}", ("parameters", i),
                             hint=choices(self.params, name, "parameters.yaml"))
        for i, counterpart in enumerate(rule.law_counterparts):
            loc = ("law_counterparts", i)
            if counterpart.rule in self.book.failed_rules:
                pass  # its own file is at fault and reported; not a second problem here
            elif counterpart.rule not in self.book.rules or counterpart.rule == rule.id:
                self.problem(source, f"law counterpart {counterpart.rule!r} is not another rule of the book",
                             loc + ("rule",), hint=choices(self.book.rules, counterpart.rule, "commitments/"))
            for name in counterpart.facts:
                if name not in self.vocab.facts:
                    self.problem(source, f"unknown fact {name!r}", loc + ("facts", name),
                                 hint=choices(self.vocab.facts, name, "vocabulary.yaml"))
        versions = tuple(v for i, version in enumerate(rule.versions)
                         for v in self.versions_by_value(rule, i, version, source))
        return CompiledRule(rule.id, rule, frozenset(rule.case_kinds), versions, kind_titles=self.kind_titles)

    def _example_settings(self, rule: Rule, source: SourceFile) -> None:
        """The settings a worked example chooses must exist, with one of their choices."""
        for i, example in enumerate(rule.examples):
            for name, value in example.settings.items():
                known = self.settings.get(name)
                if known is None or value not in known.choices:
                    hint = ("choices: " + ", ".join(known.choices)) if known else (
                        choices(self.settings, name, "settings.yaml") if self.settings else "add it to settings.yaml")
                    self.problem(source, f"unknown setting {name}={value!r}", ("examples", i, "settings", name),
                                 hint=hint)

    def versions_by_value(self, rule: Rule, index: int, version: RuleVersion,
                          source: SourceFile) -> list[CompiledVersion]:
        """A version compiled once for each set of parameter values in force during it: a dated parameter value
        that comes into force while the version is in force starts a new compiled version on that day."""
        starts = [version.valid_from] + sorted(
            day for day in self._value_dates(version)
            if day > version.valid_from and (version.valid_to is None or day <= version.valid_to))
        compiled = []
        for start, next_start in zip(starts, starts[1:] + [None]):
            self.on_date = start
            try:
                one = self.version(rule, index, version, source)
            finally:
                self.on_date = None
            end = next_start - dt.timedelta(days=1) if next_start else version.valid_to
            # each compiled version caches its own explanation texts (its counts may differ)
            compiled.append(replace(one, valid_from=start, valid_to=end, texts={}))
        return compiled

    def _value_dates(self, version: RuleVersion) -> set[dt.date]:
        """The days on which a dated value of a parameter the version reads (directly or through a definition)
        comes into force."""
        names = set(param_names(version, self.book.definitions.definitions))
        return {v.from_ for name in names if name in self.params for v in self.params[name].values}

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


def settings_in_force(book: Rulebook) -> tuple[SettingInForce, ...]:
    """Every interpretation setting of the book with the value chosen for it, in words for explanations."""
    out = []
    for setting in book.settings.settings:
        value = book.chosen.get(setting.id, setting.default)
        out.append(SettingInForce(setting.id, setting.title, value, setting.choices[value].title,
                                  value == setting.default))
    return tuple(out)


def compile_rulebook(book: Rulebook) -> CompiledRulebook:
    """Check a loaded rule book as a whole and turn it into the evaluator's form. Raises CompileError."""
    compiler = RuleCompiler(book)
    compiled = {rule_id: compiler.rule(rule) for rule_id, rule in book.rules.items()}
    for name in book.definitions.definitions:  # those no rule uses yet are checked too
        compiler.definition(name, book.sources["definitions"], ("definitions", name))
    ordered = compiler.order(compiled)
    if compiler.problems:  # a version compiled once per dated parameter value may repeat a problem
        raise CompileError(sort_problems(compiler.problems))
    return CompiledRulebook(
        rulebook=book,
        rules=ordered,
        by_id=MappingProxyType({r.id: r for r in ordered}),
        calendars=MappingProxyType(compiler.calendars),
        snapshot_models=SnapshotModel(book.vocabulary),
        settings=settings_in_force(book),
        compiled_by=compile_rulebook,
    )
