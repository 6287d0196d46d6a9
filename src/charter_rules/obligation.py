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
    """Where an obligation is in its life."""

    NOT_APPLICABLE = "not_applicable"
    """Not owed: the rule is for another kind of case, a condition is not met, or nothing has started it."""
    OPEN = "open"
    """Owed and not yet met: see ``timeliness`` for how it stands against its deadline."""
    PAUSED = "paused"
    """Owed, with the clock stopped until an event starts it again (for example a fee being paid)."""
    SATISFIED = "satisfied"
    """Met by a recorded event (on time or late: see ``timeliness``)."""
    WAIVED = "waived"
    """Not owed in this case because an exception applies (for example the victim opted out)."""
    INDETERMINATE = "indeterminate"
    """Cannot be decided: a fact it needs is missing from the case data (``Obligation.missing_facts`` names it)."""


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
    """How an obligation stands against its deadline."""

    ON_TIME = "on_time"
    """Open and not yet close to its deadline, or met before it."""
    AT_RISK = "at_risk"
    """Open and within the rule's warning period before its deadline."""
    OVERDUE = "overdue"
    """Open and past its deadline: a breach until something meets it."""
    SATISFIED_LATE = "satisfied_late"
    """Met, but after its deadline: a breach that has been put right."""


class Status(StrEnum):
    """The single word used in reports: both axes folded together."""

    DUE = "due"
    """Owed and still within its deadline."""
    AT_RISK = "at_risk"
    """Owed, not yet late, but close enough to its deadline to need attention now."""
    OVERDUE = "overdue"
    """Owed and past its deadline with nothing yet recorded that meets it."""
    SATISFIED = "satisfied"
    """Met on time by a recorded event."""
    SATISFIED_LATE = "satisfied_late"
    """Met, but after its deadline."""
    WAIVED = "waived"
    """Not owed in this case because an exception applies."""
    PAUSED = "paused"
    """The clock is stopped and will start again on an event."""
    NOT_APPLICABLE = "not_applicable"
    """Not owed: the rule does not apply to this case, or nothing has started it yet."""
    INDETERMINATE = "indeterminate"
    """Cannot be decided because a fact it needs is missing from the case data."""


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
    """The London date the clock stopped."""
    end: dt.date | None
    """The London date it started again; None while still paused."""
    reason: str
    """Why the clock stops, in the rule's words (with its legal source)."""
    started_by: str
    """The id of the event that stopped it (its place in the input, ``events[3]``, if it has no id)."""
    ended_by: str | None
    """The id of the event that started it again, if any."""


# DeadlineWork and Obligation are values: nothing changes them after the evaluator makes them (use
# dataclasses.replace for a changed copy). They are not declared frozen only because a frozen dataclass's
# constructor is eight times slower, and the evaluator makes tens of them per case.
@dataclass(slots=True)
class DeadlineWork:
    """How a deadline was worked out, step by step, so a person can check it by hand."""

    unit: str
    """``working_days``, ``calendar_days``, ``calendar_months`` or ``hours``."""
    count: int
    """How many units the deadline allows."""
    count_source: str
    """Where the number comes from, in words (``as set in 'Working days to ...'``); empty if written in the rule."""
    calendar: str
    """The id of the working-day calendar counted on (see ``calendars.yaml``)."""
    calendar_title: str
    """The calendar's title, e.g. ``England and Wales``."""
    day_one_rule: str
    """``day_after_trigger`` or ``trigger_day``: which day counts as day 1."""
    clock_start: dt.datetime
    """When the clock started (the trigger, or the latest restart)."""
    clock_start_reason: str
    """What started the clock, in words."""
    due_date: dt.date
    """The last London date on which meeting it is on time."""
    breach_at: dt.datetime
    """The first moment at which it is late (midnight after ``due_date``, or the exact hour)."""
    skipped: tuple[SkippedDay, ...] = ()
    """Every day not counted, with the reason (weekend, bank holiday, clock paused)."""
    pauses: tuple[PausePeriod, ...] = ()
    """Every stretch when the clock stood still."""
    variant: str | None = None
    """The name of the variant deadline that applies (e.g. enhanced rights), if any."""
    variant_reason: str | None = None
    """Why that variant applies, in words."""
    extension: str | None = None
    """How the deadline was extended, in words, if it was."""
    extension_ignored: str | None = None
    """Why an extension did not count (for example it was given after the deadline), if one did not."""
    unadjusted_due: dt.date | None = None
    """The due date before a roll-forward or a short-month adjustment moved it."""
    adjustment: str | None = None
    """How the due date was adjusted, in words."""
    at_risk_from: dt.datetime | None = None
    """When it becomes at risk, if the rule sets a warning period."""
    warnings: tuple[str, ...] = ()
    """Cautions about the answer (e.g. a date past the last known bank holidays)."""
    restart_ignored: str | None = None
    """A restart that came after the deadline, and why it was not applied."""
    breach_utc: dt.datetime | None = field(default=None, repr=False, compare=False)
    """``breach_at`` in UTC, for the evaluator's comparisons with the case's moments (held in UTC; comparing moments
    across time zones is many times slower). Set by ``compute_deadline``; not part of the record."""
    at_risk_utc: dt.datetime | None = field(default=None, repr=False, compare=False)
    """``at_risk_from`` in UTC, likewise."""


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an obligation is in its state, in words, with the value seen where there is one."""

    kind: str
    """``case_kind``, ``not_triggered``, ``no_version``, ``condition``, ``missing_fact``, ``waiver``, ``paused``,
    ``ended``, ``lapsed`` and others."""
    text: str
    """The reason in plain words."""
    seen: Any = None
    """The value the condition looked at, where there is a single one."""
    missing: tuple[str, ...] = ()
    """The facts whose absence left it undecided."""


@dataclass(slots=True)
class Obligation:
    """One obligation of one case under one rule (one occurrence, for repeating rules)."""

    case_id: str
    """The case it belongs to."""
    rule_id: str
    """The rule's id, e.g. ``vcop-arrest-notice`` (the name reports print)."""
    rule_title: str
    """The rule's title, in plain words."""
    version: dt.date | None
    """The date from which the rule version applied was in force (None if no version was in force)."""
    instance: int
    """1 for the first obligation of the rule in the case, 2 for the next (one per arrest, per month...)."""
    state: State
    """Where it is in its life: not applicable, open, paused, satisfied, waived or indeterminate."""
    timeliness: Timeliness | None = None
    """How it stands against its deadline (None when not applicable, waived, paused or indeterminate)."""
    triggered_at: dt.datetime | None = None
    """When it started: the case was received, or the triggering event happened."""
    trigger_event: str | None = None
    """What started it, for programs: the event's id (``events[3]`` without one) or ``case received``."""
    due_date: dt.date | None = None
    """The last London date on which meeting it is on time."""
    due_at: dt.datetime | None = None
    """The first moment at which it is late."""
    satisfied_at: dt.datetime | None = None
    """When the event that met it happened."""
    satisfied_by: str | None = None
    """The id of the event that met it (``events[3]`` without one)."""
    next_change: dt.datetime | None = None
    """The next moment at which it changes by itself (becomes at risk or overdue); None if it will not."""
    deadline: DeadlineWork | None = None
    """How the deadline was worked out, step by step."""
    reasons: tuple[Reason, ...] = ()
    """Why it is in its state (not applicable, waived, indeterminate, paused, ended)."""
    variant: str | None = None
    """The name of the variant deadline that applies, if any."""
    waiver: str | None = None
    """The name of the exception that waived it, if any."""
    needed: str | None = None
    """What would meet it, and by when, in words (while it is open)."""
    ended_by: str | None = None
    """The id of the event that ended a repeating obligation, if any."""
    trigger_title: str | None = None
    """What started it, in words (``'Suspect arrested'``, ``the case was received``)."""
    satisfied_by_title: str | None = None
    """The title of the kind of event that met it (``'Victim informed of a key event'``)."""
    duty: DutyKind | None = None
    """The kind of duty: the weaker of the version's kind of duty and its deadline parameter's."""

    @property
    def status(self) -> Status:
        """The one word reports use: ``state`` and ``timeliness`` folded together."""
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
        """The facts whose absence left it indeterminate (fact names, as in the case data)."""
        out: list[str] = []
        for reason in self.reasons:
            out.extend(m for m in reason.missing if m not in out)
        return tuple(out)

    @property
    def is_breach(self) -> bool:
        """True when overdue or met late."""
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
    """The case evaluated."""
    as_of: dt.datetime
    """The moment it was evaluated at: events after it were not seen."""
    obligations: tuple[Obligation, ...]
    """Every obligation of the case, at least one per rule, in rule order."""
    warnings: tuple[str, ...] = field(default=())
    """Cautions about the whole answer (e.g. a deadline past the last known bank holidays)."""
    settings: tuple[SettingInForce, ...] = field(default=())
    """The interpretation settings the rule book was loaded with."""

    def by_rule(self, rule_id: str) -> list[Obligation]:
        """The obligations of one rule, first instance first."""
        return [o for o in self.obligations if o.rule_id == rule_id]

    @property
    def next_change(self) -> dt.datetime | None:
        """The first moment at which any obligation changes by itself: when to look at the case again."""
        moments = [o.next_change for o in self.obligations if o.next_change is not None]
        return min(moments) if moments else None
