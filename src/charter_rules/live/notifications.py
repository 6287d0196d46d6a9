"""Notifications: an escalation rule fired by a transition, with who to tell and why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable

from .escalation import CompiledEscalation, EscalationBook
from .transitions import Transition, TransitionKind


@dataclass(frozen=True)
class Notification:
    """Tell ``recipients`` that ``transition`` happened, because escalation rule ``escalation_id`` says so."""

    escalation_id: str
    title: str
    recipients: tuple[str, ...]
    priority: str
    message: str
    transition: Transition

    @property
    def case_id(self) -> str:
        return self.transition.case_id

    @property
    def at(self) -> dt.datetime:
        return self.transition.at

    @property
    def kind(self) -> TransitionKind:
        return self.transition.kind

    @property
    def explanation(self) -> str:
        """The obligation whose change caused the notification, explained in plain English."""
        return self.transition.explanation

    def to_dict(self) -> dict[str, Any]:
        t = self.transition
        return {
            "type": "escalation",
            "escalation": self.escalation_id,
            "title": self.title,
            "notify": list(self.recipients),
            "priority": self.priority,
            "case_id": t.case_id,
            "rule": t.rule_id,
            "instance": t.instance,
            "transition": t.kind.value,
            "at": t.at.isoformat(),
            "observed_at": t.observed_at.isoformat(),
            "message": self.message,
            "explanation": self.explanation,
        }


def _message(escalation: CompiledEscalation, t: Transition) -> str:
    o = t.obligation
    values = {
        "case_id": t.case_id,
        "rule": t.rule_id,
        "rule_title": o.rule_title,
        "instance": str(t.instance),
        "transition": t.kind.value.replace("_", " "),
        "due_date": o.due_date.isoformat() if o.due_date else "(none)",
        "working_day": str(t.working_day) if t.working_day is not None else "(none)",
        "case_overdue_count": str(t.case_overdue_count),
        "status_after": t.status_after.value.replace("_", " ") if t.status_after else "gone",
        "title": escalation.title,
    }
    if escalation.message is not None:
        return escalation.message.safe_substitute(values)
    return f"{escalation.title}: case {t.case_id}, {t.rule_id} #{t.instance} ({o.rule_title}) is {values['transition']}."


def notifications(book: EscalationBook, transitions: list[Transition],
                  matches: Iterable[tuple[int, str]]) -> list[Notification]:
    """Notifications for the matched (transition index, escalation id) pairs, in transition order, then by rule."""
    by_id = book.by_id
    out = []
    for index, escalation_id in sorted(set(matches)):
        escalation = by_id[escalation_id]
        t = transitions[index]
        out.append(Notification(escalation.id, escalation.title, escalation.notify, escalation.priority,
                                _message(escalation, t), t))
    return out
