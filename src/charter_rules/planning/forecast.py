"""Forecast: every future moment at which an obligation of a case changes by itself, up to a horizon.

An obligation changes by itself when it goes at risk, goes overdue, a delayed duty starts, the next occurrence of
a fixed schedule starts, or an event already recorded with a later time comes into effect. The forecast steps from
one such moment to the next (the earliest ``next_change`` of the evaluation, or the next recorded event) and
evaluates the case again there, so each change it reports is exactly what evaluating at that moment gives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..compiled import CompiledRulebook
from ..errors import CharterRulesError
from ..evaluator import evaluate
from ..explain import format_moment
from ..obligation import Evaluation, Obligation, Status
from ..snapshot import CaseSnapshot
from .words import obligation_label, signature, standing

MAX_STEPS = 10_000  # a guard: a case with more moments than this before the horizon is refused, not truncated


@dataclass(frozen=True)
class ForecastChange:
    """One obligation changing by itself at one moment: before is None for a new occurrence."""

    at: dt.datetime
    rule_id: str
    instance: int
    before: Obligation | None
    after: Obligation
    text: str


@dataclass(frozen=True)
class Forecast:
    case_id: str
    start: dt.datetime
    until: dt.datetime
    changes: tuple[ForecastChange, ...]
    final: Evaluation  # the case as it will stand at the horizon if nothing is recorded

    @property
    def moments(self) -> list[dt.datetime]:
        return sorted({c.at for c in self.changes})


def next_moment(evaluation: Evaluation, snapshot: CaseSnapshot, after: dt.datetime) -> dt.datetime | None:
    """The first moment after ``after`` at which the case may change with nothing new recorded."""
    candidates = [o.next_change for o in evaluation.obligations if o.next_change is not None and o.next_change > after]
    candidates.extend(e.at for e in snapshot.events if e.at > after)
    if snapshot.received_at > after:
        candidates.append(snapshot.received_at)
    return min(candidates) if candidates else None


def forecast(book: CompiledRulebook, snapshot: CaseSnapshot, *, start: dt.datetime,
             until: dt.datetime) -> Forecast:
    """Every change of the case's obligations after ``start`` and up to ``until`` (both with UTC offsets)."""
    if until < start:
        raise CharterRulesError(f"the forecast horizon {format_moment(until)} is before its start "
                                f"{format_moment(start)}; choose a later --until")
    current = evaluate(book, snapshot, as_of=start)
    moment = start
    changes: list[ForecastChange] = []
    for _ in range(MAX_STEPS):
        upcoming = next_moment(current, snapshot, moment)
        if upcoming is None or upcoming > until:
            return Forecast(snapshot.case_id, start, until, tuple(changes), current)
        later = evaluate(book, snapshot, as_of=upcoming)
        changes.extend(_changes(book, current, later, upcoming))
        current, moment = later, upcoming
    raise CharterRulesError(f"case {snapshot.case_id}: more than {MAX_STEPS} changes before "
                            f"{format_moment(until)}; choose a nearer --until")


def _changes(book: CompiledRulebook, before: Evaluation, after: Evaluation, at: dt.datetime) -> list[ForecastChange]:
    earlier = {(o.rule_id, o.instance): o for o in before.obligations}
    out = []
    for obligation in after.obligations:
        old = earlier.get((obligation.rule_id, obligation.instance))
        if old is not None and signature(old) == signature(obligation):
            continue
        text = f"{obligation_label(obligation)}: {_change_words(book, old, obligation)}"
        if obligation.satisfied_at == at and obligation.satisfied_by is not None:
            text += f" (by event {obligation.satisfied_by}, already recorded for that moment)"
        out.append(ForecastChange(at, obligation.rule_id, obligation.instance, old, obligation, text))
    return out


_VERBS = {Status.AT_RISK: "goes at risk", Status.OVERDUE: "goes overdue", Status.DUE: "starts"}


def _change_words(book: CompiledRulebook, old: Obligation | None, new: Obligation) -> str:
    if old is None:
        return f"a new occurrence starts, {standing(new, book)}"
    now = standing(new, book)
    if old.due_at == new.due_at and old.status is not Status.NOT_APPLICABLE:
        if new.status in (Status.SATISFIED, Status.SATISFIED_LATE):
            return f"is {now}"
        verb = _VERBS.get(new.status)
        if verb is not None:
            return f"{verb}: {now.split(': ', 1)[-1]}"
    return f"was {standing(old, book)}; now {now}"
