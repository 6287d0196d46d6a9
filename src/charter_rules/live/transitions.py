"""Transitions: what changed in a case's obligations between two evaluations, one record per change.

The monitor never decides an obligation's status itself. It keeps the obligations of the last evaluation (as small
JSON records, keyed by rule and trigger) and, after the next evaluation, compares the two: a duty that was not owed
and now is was *opened*; one that was due and is now past its deadline went *overdue*; and so on. Working-day
milestones that escalation rules ask for ("the fifteenth working day") are read off the same deadline working.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..calendars import Calendar
from ..explain import obligation_text
from ..obligation import Evaluation, Obligation, State, Status
from ..rulebook_files import TransitionKind
from .progress import working_day_on, working_day_starts

OPEN_STATUSES = frozenset({Status.DUE, Status.AT_RISK, Status.OVERDUE})


KIND_MEANINGS = {
    TransitionKind.OPENED: "A duty is now owed that was not owed, or could not be decided, before.",
    TransitionKind.AT_RISK: "An owed duty is close enough to its deadline to need attention now.",
    TransitionKind.OVERDUE: "An owed duty is past its deadline with nothing recorded that meets it.",
    TransitionKind.SATISFIED: "A duty was met on time.",
    TransitionKind.SATISFIED_LATE: "A duty was met after its deadline.",
    TransitionKind.WAIVED: "An exception applies, so the duty is not owed.",
    TransitionKind.NOT_APPLICABLE: "A duty that applied before does not apply any more.",
    TransitionKind.PAUSED: "The duty's clock stopped.",
    TransitionKind.RESUMED: "The duty's clock started again.",
    TransitionKind.INDETERMINATE: "Whether the duty is owed can no longer be decided: a fact it needs is missing.",
    TransitionKind.RESCHEDULED: "The duty is still owed but its deadline moved.",
    TransitionKind.WORKING_DAY: "An owed duty reached a working day of its clock named by an escalation rule.",
}

_RANK = {kind: index for index, kind in enumerate(TransitionKind)}


def iso_utc(moment: dt.datetime | None) -> str | None:
    """One spelling per instant, so stored records compare equal whatever offset a time was given with."""
    if moment is None:
        return None
    if moment.tzinfo is dt.timezone.utc:
        return moment.isoformat()
    return moment.astimezone(dt.timezone.utc).isoformat()


def obligation_keys(obligations: tuple[Obligation, ...] | list[Obligation]) -> list[str]:
    """Stable keys: the rule and what started the obligation. Instance numbers are not stable (an arrest posted
    late becomes instance 1), triggers are."""
    keys: list[str] = []
    seen: dict[str, int] = {}
    for o in obligations:
        key = f"{o.rule_id}|{o.trigger_event or ''}|{iso_utc(o.triggered_at) or ''}"
        count = seen.get(key, 0)
        seen[key] = count + 1
        keys.append(key if count == 0 else f"{key}~{count + 1}")
    return keys


def held_record(key: str, o: Obligation) -> dict[str, Any]:
    """The part of an obligation the monitor keeps between evaluations (and compares in equivalence checks)."""
    if o.state is State.NOT_APPLICABLE and o.triggered_at is None:  # the common placeholder, kept small and fast
        return {"key": key, "rule": o.rule_id, "instance": o.instance, "status": "not_applicable",
                "version": o.version.isoformat() if o.version else None, "reasons": [r.text for r in o.reasons]}
    return {
        "key": key,
        "rule": o.rule_id,
        "instance": o.instance,
        "status": o.status.value,
        "version": o.version.isoformat() if o.version else None,
        "trigger": o.trigger_event,
        "triggered_at": iso_utc(o.triggered_at),
        "due_date": o.due_date.isoformat() if o.due_date else None,
        "due_at": iso_utc(o.due_at),
        "at_risk_from": iso_utc(o.deadline.at_risk_from) if o.deadline else None,
        "next_change": iso_utc(o.next_change),
        "satisfied_at": iso_utc(o.satisfied_at),
        "satisfied_by": o.satisfied_by,
        "variant": o.variant,
        "waiver": o.waiver,
        "ended_by": o.ended_by,
        "missing": list(o.missing_facts),
        "reasons": [r.text for r in o.reasons],
    }


def held_state(evaluation: Evaluation) -> list[dict[str, Any]]:
    """Every obligation of an evaluation as the monitor holds it."""
    obligations = evaluation.obligations
    return [held_record(key, o) for key, o in zip(obligation_keys(obligations), obligations)]


@dataclass(frozen=True)
class Transition:
    """One change in one obligation of one case."""

    case_id: str
    case_kind: str
    rule_id: str
    instance: int
    key: str
    kind: TransitionKind
    status_before: Status | None  # None: the obligation did not exist before
    status_after: Status | None  # None: it does not exist any more
    at: dt.datetime  # when it happened under the rules (the deadline passed, the event was recorded...)
    observed_at: dt.datetime  # the as-of moment of the evaluation that showed it
    cause: str  # "case" (record posted), "event" (event posted), "time" (the clock moved on)
    event_id: str | None
    working_day: int | None  # working day of the clock at observed_at (or N, for a working_day milestone)
    case_overdue_before: int  # overdue duties of the case just before this transition
    case_overdue_count: int  # and just after it
    obligation: Obligation  # after the change (before it, if the obligation is gone)

    @property
    def explanation(self) -> str:
        return obligation_text(self.obligation)

    def to_dict(self) -> dict[str, Any]:
        o = self.obligation
        return {
            "type": "transition",
            "case_id": self.case_id,
            "rule": self.rule_id,
            "instance": self.instance,
            "transition": self.kind.value,
            "status_before": self.status_before.value if self.status_before else None,
            "status_after": self.status_after.value if self.status_after else None,
            "at": self.at.isoformat(),
            "observed_at": self.observed_at.isoformat(),
            "cause": self.cause,
            "event_id": self.event_id,
            "due_date": o.due_date.isoformat() if o.due_date else None,
            "late_from": o.due_at.isoformat() if o.due_at else None,
            "working_day": self.working_day,
            "case_overdue_count": self.case_overdue_count,
            "explanation": self.explanation,
        }


def _kinds(before: Status | None, after: Status | None, rescheduled: bool) -> list[TransitionKind]:
    if after == before:
        return [TransitionKind.RESCHEDULED] if after in OPEN_STATUSES and rescheduled else []
    if after is None or after is Status.NOT_APPLICABLE:
        return [] if before in (None, Status.NOT_APPLICABLE) else [TransitionKind.NOT_APPLICABLE]
    if after in OPEN_STATUSES:
        kinds: list[TransitionKind] = []
        if before is Status.PAUSED:
            kinds.append(TransitionKind.RESUMED)
        elif before not in OPEN_STATUSES:
            kinds.append(TransitionKind.OPENED)
        if after is Status.AT_RISK:
            kinds.append(TransitionKind.AT_RISK)
        elif after is Status.OVERDUE:
            kinds.append(TransitionKind.OVERDUE)
        elif before in OPEN_STATUSES:  # back within a deadline that moved
            kinds.append(TransitionKind.RESCHEDULED)
        return kinds
    return [TransitionKind(after.value)]


def _effective(kind: TransitionKind, o: Obligation, is_new: bool, observed: dt.datetime) -> dt.datetime:
    moment: dt.datetime | None = None
    if kind is TransitionKind.OPENED and is_new:
        moment = o.triggered_at
    elif kind is TransitionKind.AT_RISK and o.deadline is not None:
        moment = o.deadline.at_risk_from
    elif kind is TransitionKind.OVERDUE:
        moment = o.due_at
    elif kind in (TransitionKind.SATISFIED, TransitionKind.SATISFIED_LATE):
        moment = o.satisfied_at
    if moment is None or moment > observed:
        return observed
    if o.triggered_at is not None and moment < o.triggered_at:
        return o.triggered_at  # at risk from before it started (a one-day deadline): at risk from the start
    return moment


@dataclass(frozen=True)
class Step:
    """One re-evaluation of one case: what it was held as, and what it is now."""

    case_id: str
    case_kind: str
    before: list[dict[str, Any]]
    after: Evaluation
    prev_as_of: dt.datetime | None  # None: the case is new
    cause: str
    event_id: str | None = None


Milestones = Mapping[str | None, tuple[int, ...]]  # rule id (None: every rule) -> working-day numbers


# (at, key, rank, kind, before, after, obligation, working day, carries the change of status)
_Row = tuple[dt.datetime, str, int, "TransitionKind", "Status | None", "Status | None", Obligation, "int | None", bool]


def diff(step: Step, calendars: Mapping[str, Calendar], milestones: Milestones,
         previous: Callable[[], Mapping[str, Obligation]]) -> list[Transition]:
    """The transitions of one step, in the order they happened. ``previous`` gives the obligations of the previous
    evaluation (needed only when an obligation disappears, to explain what it was)."""
    after_obligations = step.after.obligations
    after = dict(zip(obligation_keys(after_obligations), after_obligations))
    before = {record["key"]: record for record in step.before}
    observed = step.after.as_of
    # rows: (at, key, rank, kind, before, after, obligation, working day, carries the change of status)
    raw: list[_Row] = []

    overdue_after = 0
    for key, o in after.items():
        status = o.status
        overdue_after += status is Status.OVERDUE
        held = before.get(key)
        b = Status(held["status"]) if held else None
        if b is status and (status not in OPEN_STATUSES or held.get("due_at") == iso_utc(o.due_at)):  # type: ignore[union-attr]
            kinds: list[TransitionKind] = []  # unchanged: the common case, decided without more work
        else:
            kinds = _kinds(b, status, held is not None and held.get("due_at") != iso_utc(o.due_at))
        progress = _progress(o, calendars, observed) if kinds else None
        floor: dt.datetime | None = None  # nothing about a duty happens before it is opened (or resumed)
        for position, kind in enumerate(kinds):
            at = _effective(kind, o, held is None, observed)
            if floor is not None and at < floor:
                at = floor
            if kind in (TransitionKind.OPENED, TransitionKind.RESUMED):
                floor = at
            raw.append((at, key, _RANK[kind], kind, b, status, o, progress, position == len(kinds) - 1))
        raw += _milestone_rows(step, key, o, b, floor, calendars, milestones)
    raw += _gone_rows(before, after, observed, previous)

    raw.sort(key=lambda row: (row[0], row[6].rule_id, row[6].instance, row[1], row[2]))
    running = sum(1 for held in step.before if held["status"] == Status.OVERDUE.value)
    out: list[Transition] = []
    for at, key, _, kind, b, a, o, progress, carrier in raw:
        count_before = running
        if carrier:  # an obligation's change of status is counted once
            running += (a is Status.OVERDUE) - (b is Status.OVERDUE)
        out.append(Transition(
            case_id=step.case_id, case_kind=step.case_kind, rule_id=o.rule_id, instance=o.instance, key=key,
            kind=kind, status_before=b, status_after=a, at=at, observed_at=observed, cause=step.cause,
            event_id=step.event_id, working_day=progress, case_overdue_before=count_before,
            case_overdue_count=running, obligation=o,
        ))
    if running != overdue_after:  # pragma: no cover - every change to or from overdue makes a transition
        raise AssertionError(f"overdue count drifted for case {step.case_id}: {running} != {overdue_after}")
    return out


def _milestone_rows(step: Step, key: str, o: Obligation, b: Status | None, floor: dt.datetime | None,
                    calendars: Mapping[str, Calendar], milestones: Milestones) -> list[_Row]:
    """An open duty reaching a working day of its clock that an escalation rule asks about, since the last step."""
    if o.state is not State.OPEN or o.deadline is None:
        return []
    rows: list[_Row] = []
    open_before = b in OPEN_STATUSES
    for number in milestones.get(o.rule_id, ()) + milestones.get(None, ()):
        start = working_day_starts(o.deadline, calendars[o.deadline.calendar], number)
        if start is None or start > step.after.as_of:
            continue
        if open_before and step.prev_as_of is not None and start <= step.prev_as_of:
            continue  # reached before the previous evaluation: already reported
        if floor is not None and start < floor:
            start = floor
        rows.append((start, key, _RANK[TransitionKind.WORKING_DAY], TransitionKind.WORKING_DAY, b, o.status,
                     o, number, False))
    return rows


def _gone_rows(before: Mapping[str, Any], after: Mapping[str, Obligation], observed: dt.datetime,
               previous: Callable[[], Mapping[str, Obligation]]) -> list[_Row]:
    """Obligations that were owed, waived, paused or undecided and are no longer there: not applicable now."""
    gone = [key for key, held in before.items() if key not in after]
    if all(Status(before[key]["status"]) is Status.NOT_APPLICABLE for key in gone):
        return []
    old = previous()
    rows: list[_Row] = []
    for key in gone:
        b = Status(before[key]["status"])
        if b is not Status.NOT_APPLICABLE:
            rows.append((observed, key, _RANK[TransitionKind.NOT_APPLICABLE], TransitionKind.NOT_APPLICABLE, b, None,
                         old[key], None, True))
    return rows


def _progress(o: Obligation, calendars: Mapping[str, Calendar], moment: dt.datetime) -> int | None:
    if o.deadline is None or o.state is not State.OPEN:
        return None
    return working_day_on(o.deadline, calendars[o.deadline.calendar], moment)
