"""The compiled form of a rule book: what the evaluator, the explanations and the documentation read.

Everything here is fixed when the rule book is compiled (``compiler.py``) and never changes afterwards, so a compiled
book is safe to share between threads. Parameters are already resolved, conditions are predicate trees, and the
titles explanations need are looked up once.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from .calendars import Calendar
from .condition_compiler import EventMatcher
from .deadline_compiler import DeadlineChangeSpec, DeadlineSpec, LapseSpec, PeriodSpec
from .model import Rule, RuleVersion
from .obligation import DutyKind, SettingInForce
from .predicates import Predicate, event_types_of
from .rulebook import Rulebook
from .snapshot import CaseSnapshot, build_snapshot_model

__all__ = ["CompiledRule", "CompiledRulebook", "CompiledVersion", "DeadlineChangeSpec", "DeadlineSpec", "EventMatcher",
           "ExtensionSpec", "LapseSpec", "PauseSpec", "PeriodSpec", "RestartSpec", "SnapshotModel", "VariantSpec",
           "WaiverSpec"]


@dataclass(frozen=True, slots=True)
class PauseSpec:
    start: str
    until: str
    include_from_day: bool
    include_until_day: bool
    reason: str
    lapse: LapseSpec | None = None
    when: Predicate | None = None  # applies only in cases where this holds
    during_extension: bool = False  # also stops an extended clock when it begins after the original deadline


@dataclass(frozen=True, slots=True)
class RestartSpec:
    matcher: EventMatcher
    reason: str
    only_after: str | None = None  # an event type that must come before the restarting event (the force's request)


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
    resumes_on: tuple[EventMatcher, ...] = ()
    # for each satisfying event type, the same_as_trigger fields it can carry (one it has no field for is not compared)
    same_by_type: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
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
    """The case-snapshot model of a vocabulary and its fast decoder, each built when first asked for (the model takes
    about a tenth of a second to build, and listing or documenting rules never needs either). Shared by the cut-down
    copies of a compiled rule book."""

    def __init__(self, vocabulary: Any) -> None:
        self._vocabulary = vocabulary
        self._model: type[CaseSnapshot] | None = None
        self._decoder: Any = None
        self._lock = threading.Lock()

    def get(self) -> type[CaseSnapshot]:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = build_snapshot_model(self._vocabulary)
        return self._model

    def decoder(self) -> Any:
        """The vocabulary's ``CaseDecoder`` (msgspec structs that take the plainly valid records; see case_decoder)."""
        if self._decoder is None:
            from .case_decoder import CaseDecoder

            with self._lock:
                if self._decoder is None:
                    self._decoder = CaseDecoder(self._vocabulary)
        return self._decoder


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
    # what compiled this book (``compiler.compile_rulebook``), to compile it again with other settings
    compiled_by: Callable[[Rulebook], "CompiledRulebook"] | None = field(default=None, compare=False, repr=False)

    @property
    def snapshot_model(self) -> type[CaseSnapshot]:
        """The pydantic model that validates case snapshots for this rule book's vocabulary."""
        return self.snapshot_models.get()

    @property
    def case_decoder(self) -> Any:
        """The fast decoder of case records in JSON (``case_decoder.CaseDecoder``): it takes the records it can read
        exactly as ``snapshot_model`` would and declines (None) every other, for the model to judge."""
        return self.snapshot_models.decoder()

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
            if self.compiled_by is None:
                raise TypeError("this compiled rule book does not know what compiled it; compile it with "
                                "compile_rulebook")
            found = self.with_other_settings[key] = self.compiled_by(self.rulebook.with_settings(chosen))
        return found
