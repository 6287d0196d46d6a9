"""What the evaluator returns: obligations with their state, timeliness, dates and the facts behind them.

Two axes, as the best SLA systems keep them: ``state`` says where the obligation is in its life (not applicable,
open, paused, satisfied, waived, indeterminate); ``timeliness`` says how it stands against its deadline (on time, at
risk, overdue, satisfied late). ``status`` folds both into the one word reports use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .calendars import SkippedDay

EXPLANATION_FORMAT = "charter-rules.evaluation/1"


class State(StrEnum):
    NOT_APPLICABLE = "not_applicable"
    OPEN = "open"
    PAUSED = "paused"
    SATISFIED = "satisfied"
    WAIVED = "waived"
    INDETERMINATE = "indeterminate"


class DutyKind(StrEnum):
    """What kind of duty an obligation is, from the strongest to the weakest."""

    STATUTORY = "statutory"
    STATUTORY_GUIDANCE = "statutory_guidance"
    CHARTER = "charter"
    LOCAL_STANDARD = "local_standard"

    @property
    def label(self) -> str:
        """Its title in plain words: 'law', 'statutory guidance', 'charter promise', 'local standard'."""
        return DUTY_TITLES[self]

    @property
    def breach_words(self) -> str:
        """What missing it is called: 'a breach of the law', 'a missed local standard'."""
        return DUTY_BREACH_WORDS[self]


DUTY_TITLES = {
    DutyKind.STATUTORY: "law",
    DutyKind.STATUTORY_GUIDANCE: "statutory guidance",
    DutyKind.CHARTER: "charter promise",
    DutyKind.LOCAL_STANDARD: "local standard",
}
DUTY_BREACH_WORDS = {
    DutyKind.STATUTORY: "a breach of the law",
    DutyKind.STATUTORY_GUIDANCE: "a departure from statutory guidance",
    DutyKind.CHARTER: "a broken charter promise",
    DutyKind.LOCAL_STANDARD: "a missed local standard",
}
DUTY_MEANINGS = {
    DutyKind.STATUTORY: "set by an Act of Parliament or regulations",
    DutyKind.STATUTORY_GUIDANCE: "guidance the law requires the force to follow, such as the Victims' Code or the "
                                 "ICO's and the IOPC's statutory guidance",
    DutyKind.CHARTER: "a promise in the force's own service charter",
    DutyKind.LOCAL_STANDARD: "the force's own standard, or this rule book's reading of an imprecise term such as "
                             "'as soon as possible'",
}
DUTY_ORDER = tuple(DutyKind)  # strongest first


def weakest_duty(*duties: "DutyKind | None") -> "DutyKind | None":
    """The weakest of the kinds given (statutory > statutory guidance > charter > local standard); None if none."""
    known = [d for d in duties if d is not None]
    if not known:
        return None
    return max(known, key=DUTY_ORDER.index)


@dataclass(frozen=True, slots=True)
class SettingInForce:
    """One interpretation setting as chosen for a run: ids for programs, titles for people."""

    id: str
    title: str
    value: str
    value_title: str
    is_default: bool

    def text(self) -> str:
        return f"{self.title}: {self.value_title}" + ("" if self.is_default else " (chosen for this run)")

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "value": self.value, "value_title": self.value_title,
                "default": self.is_default}


class Timeliness(StrEnum):
    ON_TIME = "on_time"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    SATISFIED_LATE = "satisfied_late"


class Status(StrEnum):
    """The single word used in reports: both axes folded together."""

    DUE = "due"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    SATISFIED = "satisfied"
    SATISFIED_LATE = "satisfied_late"
    WAIVED = "waived"
    PAUSED = "paused"
    NOT_APPLICABLE = "not_applicable"
    INDETERMINATE = "indeterminate"


@dataclass(frozen=True)
class StatusInfo:
    """Everything said about a status, in one place: reports, explanations, the docs and the monitor derive from it."""

    word: str  # the short word: "at risk" (explanations print it in capitals, the docs with a capital)
    label: str  # the word in report tables, where "satisfied" needs its "on time"
    meaning: str  # one sentence for people
    colour: str  # in timeline pictures (the docs' worked examples and the HTML report's case timelines)
    owed: bool  # the duty is (or was) owed in this case: counts towards a compliance rate
    breach: bool  # the duty was not met in time
    decided: bool  # counted in a compliance rate: met on time, met late, or overdue


STATUS_TABLE: dict[Status, StatusInfo] = {
    Status.DUE: StatusInfo("due", "due", "Owed and still within its deadline.", "#1d4ed8", True, False, False),
    Status.AT_RISK: StatusInfo(
        "at risk", "at risk", "Owed, not yet late, but close enough to its deadline to need attention now.",
        "#b45309", True, False, False),
    Status.OVERDUE: StatusInfo(
        "overdue", "overdue", "Owed and past its deadline with nothing yet recorded that meets it.", "#b91c1c",
        True, True, True),
    Status.SATISFIED: StatusInfo("satisfied", "satisfied on time", "Met on time by a recorded event.", "#15803d",
                                 True, False, True),
    Status.SATISFIED_LATE: StatusInfo("satisfied late", "satisfied late", "Met, but after its deadline.", "#c2410c",
                                      True, True, True),
    Status.WAIVED: StatusInfo(
        "waived", "waived",
        "Not owed in this case because an exception applies (for example the victim opted out).", "#4b5563",
        False, False, False),
    Status.PAUSED: StatusInfo(
        "paused", "paused",
        "The clock is stopped (for example while a fee is awaited) and will start again on an event.", "#b45309",
        False, False, False),
    Status.NOT_APPLICABLE: StatusInfo(
        "not applicable", "not applicable",
        "Not owed: the rule does not apply to this case, or nothing has started it yet.", "#4b5563", False, False, False),
    Status.INDETERMINATE: StatusInfo(
        "indeterminate", "indeterminate", "Cannot be decided because a fact it needs is missing from the case data.",
        "#7c3aed", False, False, False),
}
STATUS_MEANINGS = {status: info.meaning for status, info in STATUS_TABLE.items()}
STATUS_NAMES = tuple(status.value for status in STATUS_TABLE)  # the statuses in report order
OWED_STATUSES = tuple(status.value for status, info in STATUS_TABLE.items() if info.owed)
BREACH_STATUSES = frozenset(status.value for status, info in STATUS_TABLE.items() if info.breach)
DECIDED_STATUSES = tuple(status.value for status, info in STATUS_TABLE.items() if info.decided)


def decided_count(counts: Any) -> int:
    """How many obligations of a status count (a mapping status -> number) count in a compliance rate."""
    return sum(counts[status] for status in DECIDED_STATUSES)


@dataclass(frozen=True, slots=True)
class PausePeriod:
    """A stretch when the clock stood still."""

    start: dt.date
    end: dt.date | None  # None: still paused
    reason: str
    started_by: str
    ended_by: str | None


# DeadlineWork and Obligation are values: nothing changes them after the evaluator makes them (use
# dataclasses.replace for a changed copy). They are not declared frozen only because a frozen dataclass's
# constructor is eight times slower, and the evaluator makes tens of them per case.
@dataclass(slots=True)
class DeadlineWork:
    """How a deadline was worked out, step by step, so a person can check it by hand."""

    unit: str
    count: int
    count_source: str
    calendar: str
    calendar_title: str
    day_one_rule: str
    clock_start: dt.datetime
    clock_start_reason: str
    due_date: dt.date
    breach_at: dt.datetime  # the first moment at which it is late
    skipped: tuple[SkippedDay, ...] = ()
    pauses: tuple[PausePeriod, ...] = ()
    variant: str | None = None
    variant_reason: str | None = None
    extension: str | None = None
    extension_ignored: str | None = None
    unadjusted_due: dt.date | None = None  # before roll-forward or a short-month adjustment
    adjustment: str | None = None
    at_risk_from: dt.datetime | None = None
    warnings: tuple[str, ...] = ()
    restart_ignored: str | None = None  # a restart that came after the deadline, and why it was not applied
    # breach_at and at_risk_from in UTC, for the evaluator's comparisons with the case's moments (held in UTC):
    # comparing moments across time zones is many times slower; set by compute_deadline, not part of the record
    breach_utc: dt.datetime | None = field(default=None, repr=False, compare=False)
    at_risk_utc: dt.datetime | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an obligation is in its state, in words, with the value seen where there is one."""

    kind: str  # case_kind | not_triggered | no_version | condition | missing_fact | waiver | ended | lapsed | ...
    text: str
    seen: Any = None
    missing: tuple[str, ...] = ()


@dataclass(slots=True)
class Obligation:
    """One obligation of one case under one rule (one occurrence, for repeating rules)."""

    case_id: str
    rule_id: str
    rule_title: str
    version: dt.date | None
    instance: int
    state: State
    timeliness: Timeliness | None = None
    triggered_at: dt.datetime | None = None
    trigger_event: str | None = None
    due_date: dt.date | None = None
    due_at: dt.datetime | None = None
    satisfied_at: dt.datetime | None = None
    satisfied_by: str | None = None
    next_change: dt.datetime | None = None
    deadline: DeadlineWork | None = None
    reasons: tuple[Reason, ...] = ()
    variant: str | None = None
    waiver: str | None = None
    needed: str | None = None  # what would satisfy it, in words
    ended_by: str | None = None
    duty: DutyKind | None = None  # the weaker of the version's kind of duty and its deadline parameter's

    @property
    def status(self) -> Status:
        state = self.state
        if state is State.OPEN:
            if self.timeliness is Timeliness.OVERDUE:
                return Status.OVERDUE
            if self.timeliness is Timeliness.AT_RISK:
                return Status.AT_RISK
            return Status.DUE
        if state is State.SATISFIED:
            return Status.SATISFIED_LATE if self.timeliness is Timeliness.SATISFIED_LATE else Status.SATISFIED
        return Status(state.value)

    @property
    def missing_facts(self) -> tuple[str, ...]:
        out: list[str] = []
        for reason in self.reasons:
            out.extend(m for m in reason.missing if m not in out)
        return tuple(out)

    @property
    def is_breach(self) -> bool:
        return self.timeliness in (Timeliness.OVERDUE, Timeliness.SATISFIED_LATE)

    @property
    def is_owed(self) -> bool:
        """Whether the duty is (or was, if met) owed in this case now: False when it does not apply, was waived
        (even after a breach that stands), lapsed, ended, or cannot be decided for a missing fact."""
        if self.state in (State.NOT_APPLICABLE, State.WAIVED, State.INDETERMINATE):
            return False
        return self.waiver is None and self.ended_by is None


@dataclass(frozen=True)
class Evaluation:
    """Every obligation of one case at one moment."""

    case_id: str
    as_of: dt.datetime
    obligations: tuple[Obligation, ...]
    warnings: tuple[str, ...] = field(default=())
    settings: tuple[SettingInForce, ...] = field(default=())  # the interpretation settings the rule book was loaded with

    def by_rule(self, rule_id: str) -> list[Obligation]:
        return [o for o in self.obligations if o.rule_id == rule_id]

    @property
    def next_change(self) -> dt.datetime | None:
        moments = [o.next_change for o in self.obligations if o.next_change is not None]
        return min(moments) if moments else None
