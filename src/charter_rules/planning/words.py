"""Plain sentences about an obligation's standing, shared by the forecast, the what-if and the work queue."""

from __future__ import annotations

import datetime as dt

from ..calendars import format_date, working_days_between
from ..caseview import london_date
from ..compiled import CompiledRulebook
from ..explain import format_moment
from ..obligation import Obligation, State, Status


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def working_days_late(obligation: Obligation, book: CompiledRulebook) -> int | None:
    """Working days from the day after the due date up to the day it was met (on the deadline's calendar)."""
    work = obligation.deadline
    if obligation.satisfied_at is None or obligation.due_date is None or work is None:
        return None
    calendar = book.calendars.get(work.calendar)
    if calendar is None:
        return None
    met = london_date(obligation.satisfied_at)
    return working_days_between(calendar, obligation.due_date + dt.timedelta(days=1), met)


def standing(obligation: Obligation | None, book: CompiledRulebook) -> str:
    """Where an obligation stands, in a phrase: 'overdue: it was due by the end of Mon 13 Apr 2026'."""
    if obligation is None:
        return "not yet started"
    status = obligation.status
    due = f"the end of {format_date(obligation.due_date)}" if obligation.due_date else "its deadline"
    if status is Status.OVERDUE:
        return f"overdue: it was due by {due}"
    if status is Status.AT_RISK:
        return f"at risk: due by {due}"
    if status is Status.DUE:
        return f"due by {due}"
    if status in (Status.SATISFIED, Status.SATISFIED_LATE):
        met = format_moment(obligation.satisfied_at) if obligation.satisfied_at else "?"
        if status is Status.SATISFIED:
            return f"met on time ({met}; due by {due})"
        late = working_days_late(obligation, book)
        by = f" by {plural(late, 'working day')}" if late else ""
        return f"met late{by} ({met}; due by {due})"
    reason = obligation.reasons[0].text if obligation.reasons else ""
    word = {State.WAIVED: "waived", State.PAUSED: "paused", State.NOT_APPLICABLE: "not owed",
            State.INDETERMINATE: "cannot be decided"}.get(obligation.state, status.value.replace("_", " "))
    return f"{word}: {reason}" if reason else word


def obligation_label(obligation: Obligation) -> str:
    """'Tell the victim when a suspect is arrested' (with '#2' for a later occurrence)."""
    suffix = f" (occurrence {obligation.instance})" if obligation.instance > 1 else ""
    return f"'{obligation.rule_title}'{suffix}"


def event_title(book: CompiledRulebook, event_type: str) -> str:
    spec = book.vocabulary.events.get(event_type)
    return spec.title if spec is not None else event_type.replace("_", " ")


def signature(obligation: Obligation) -> tuple[object, ...]:
    """What a reader would call a change: its status, due date and deadline moment, and when it was met."""
    return (obligation.status, obligation.due_date, obligation.due_at, obligation.satisfied_at)
