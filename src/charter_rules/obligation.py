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


STATUS_MEANINGS = {
    Status.DUE: "Owed and still within its deadline.",
    Status.AT_RISK: "Owed, not yet late, but close enough to its deadline to need attention now.",
    Status.OVERDUE: "Owed and past its deadline with nothing yet recorded that meets it.",
    Status.SATISFIED: "Met on time by a recorded event.",
    Status.SATISFIED_LATE: "Met, but after its deadline.",
    Status.WAIVED: "Not owed in this case because an exception applies (for example the victim opted out).",
    Status.PAUSED: "The clock is stopped (for example while a fee is awaited) and will start again on an event.",
    Status.NOT_APPLICABLE: "Not owed: the rule does not apply to this case, or nothing has started it yet.",
    Status.INDETERMINATE: "Cannot be decided because a fact it needs is missing from the case data.",
}


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


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an obligation is in its state, in words, with the value seen where there is one."""

    kind: str  # case_kind | not_triggered | no_version | condition | missing_fact | waiver | ended
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
    trigger_title: str | None = None  # what started it, in words ("'Suspect arrested'")
    satisfied_by_title: str | None = None  # the title of the event type that met it

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


@dataclass(frozen=True)
class Evaluation:
    """Every obligation of one case at one moment."""

    case_id: str
    as_of: dt.datetime
    obligations: tuple[Obligation, ...]
    warnings: tuple[str, ...] = field(default=())

    def by_rule(self, rule_id: str) -> list[Obligation]:
        return [o for o in self.obligations if o.rule_id == rule_id]

    @property
    def next_change(self) -> dt.datetime | None:
        moments = [o.next_change for o in self.obligations if o.next_change is not None]
        return min(moments) if moments else None
