"""Where an obligation stands at the as-of moment, once its deadline is known; and a waiver acting from its moment.

A waiver never rewrites what already happened: an occurrence met by the waiver's moment stays met, one already
overdue by then keeps its breach (with the waiver recorded), and only what was still owed becomes waived.
"""

from __future__ import annotations

from dataclasses import replace

from ..calendars import format_date
from ..caseview import CaseView, Occurrence, london_date
from ..compiled import CompiledRule, CompiledVersion, DeadlineSpec
from ..obligation import DeadlineWork, Obligation, Reason, State, Timeliness
from .applicability import WaiverFrom
from .build import Trigger, clause, duty_of, obligation_without_deadline, still_needed
from .clock import Stopped, lapse_text
from .words import event_title, satisfied_title, start_words


def decide_status(rule: CompiledRule, version: CompiledVersion, case: CaseView, instance: int, trigger: Trigger,
                  work: DeadlineWork, spec: DeadlineSpec, variant: tuple[str, str] | None,
                  satisfied: Occurrence | None, end: Occurrence | None, trigger_event: Occurrence | None) -> Obligation:
    """Met (on time or late), ended, or still open (on time, at risk or overdue) at the as-of moment."""
    common = dict(
        triggered_at=trigger[0], trigger_event=trigger[1],
        trigger_title=start_words(version, trigger[1], trigger_event), due_date=work.due_date, due_at=work.breach_at,
        deadline=work, variant=variant[0] if variant else None, duty=duty_of(version, spec),
    )
    base = (case.snapshot.case_id, rule.id, rule.source.title, version.valid_from, instance)
    breach_at = work.breach_utc or work.breach_at  # compared in UTC, like the case's moments
    if satisfied is not None:
        on_time = satisfied.at < breach_at
        return Obligation(*base, State.SATISFIED, Timeliness.ON_TIME if on_time else Timeliness.SATISFIED_LATE,
                          satisfied_at=satisfied.at, satisfied_by=satisfied.ref,
                          satisfied_by_title=satisfied_title(version, satisfied), **common)  # type: ignore[arg-type]
    if end is not None:
        reason = Reason("ended", f"ended by {event_title(version, end.type)} on {format_date(end.date)}")
        if end.at >= breach_at:
            return Obligation(*base, State.OPEN, Timeliness.OVERDUE, reasons=(reason,),
                              needed=still_needed(version, trigger_event, format_date(work.due_date)),
                              ended_by=end.ref, **common)  # type: ignore[arg-type]
        return Obligation(*base, State.NOT_APPLICABLE, reasons=(reason,), ended_by=end.ref, **common)  # type: ignore[arg-type]
    as_of = case.as_of
    at_risk_from = work.at_risk_utc or work.at_risk_from
    if as_of >= breach_at:
        timeliness, next_change = Timeliness.OVERDUE, None
    elif at_risk_from is not None and as_of >= at_risk_from:
        timeliness, next_change = Timeliness.AT_RISK, work.breach_at
    else:
        timeliness = Timeliness.ON_TIME
        next_change = work.at_risk_from if work.at_risk_from is not None else work.breach_at
    # bulk work shows what is still needed only for a breach (the breach list); explanations show it always
    needed = (still_needed(version, trigger_event, format_date(work.due_date))
              if case.explain or timeliness is Timeliness.OVERDUE else None)
    return Obligation(*base, State.OPEN, timeliness, next_change=next_change, needed=needed, **common)  # type: ignore[arg-type]


def stopped_obligation(rule: CompiledRule, version: CompiledVersion, case: CaseView, instance: int,
                       trigger: Trigger, stopped: Stopped, spec: DeadlineSpec,
                       variant: tuple[str, str] | None) -> Obligation:
    """Paused (changing by itself when it would lapse), or no longer owed because the pause lapsed."""
    pause = stopped.pause.period
    extra = dict(variant=variant[0] if variant else None)
    if stopped.lapsed:
        return replace(obligation_without_deadline(
            rule, version, case, instance, State.NOT_APPLICABLE, [Reason("lapsed", lapse_text(stopped, case))],
            trigger, **extra), duty=duty_of(version, spec))
    text = f"the clock stopped on {format_date(pause.start)}: {clause(stopped.pause.reason_text)}"
    if stopped.lapse_at is not None and stopped.spec.lapse is not None:
        text += (f"; unless it starts again, the obligation ends on {format_date(london_date(stopped.lapse_at))} "
                 f"({stopped.spec.lapse.text} from the day the clock stopped: {clause(stopped.spec.lapse.reason)})")
    return replace(obligation_without_deadline(rule, version, case, instance, State.PAUSED,
                                               [Reason("paused", text)], trigger, next_change=stopped.lapse_at,
                                               **extra), duty=duty_of(version, spec))


def waive_from_moment(obligation: Obligation, waived: WaiverFrom) -> Obligation:
    """The obligation as the waiver leaves it, acting from its moment and never rewriting what came before."""
    at = waived.at
    if obligation.state in (State.NOT_APPLICABLE, State.INDETERMINATE):
        return obligation  # ended or undecided before or regardless of the waiver
    if obligation.satisfied_at is not None and obligation.satisfied_at <= at:
        return obligation  # met before the waiver: stays met
    started = obligation.triggered_at
    already_late = obligation.due_at is not None and obligation.due_at <= at and (
        started is None or started < at)
    since = _since(waived)
    if not already_late:
        return replace(obligation, state=State.WAIVED, timeliness=None, due_date=None, due_at=None, deadline=None,
                       next_change=None, needed=None, satisfied_at=None, satisfied_by=None,
                       waiver=waived.waiver.name, reasons=obligation.reasons + (Reason("waiver", since),))
    assert obligation.due_at is not None
    late_on = format_date(london_date(obligation.due_at))
    text = f"{since}; it was already overdue on {late_on} and that breach stands"
    if obligation.state is State.SATISFIED:  # met late, after the waiver: the lateness stands too
        return replace(obligation, waiver=waived.waiver.name, reasons=obligation.reasons + (Reason("waiver", text),))
    return replace(obligation, state=State.OPEN, timeliness=Timeliness.OVERDUE, next_change=None, needed=None,
                   waiver=waived.waiver.name, reasons=obligation.reasons + (Reason("waiver", text),))


def _since(waived: WaiverFrom) -> str:
    event = waived.event
    title = dict(waived.waiver.event_titles).get(event.type, event.type)
    return f"waived from {format_date(event.date)} ({title}, {event.ref}): {clause(waived.waiver.reason)}"
