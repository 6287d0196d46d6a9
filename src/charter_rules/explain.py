"""Explanations in two forms from one source: structured (JSON, versioned) and plain English.

Both are rendered from the same ``Obligation`` and ``DeadlineWork`` records the evaluator produced, so the words can
never say something the numbers do not.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .calendars import format_date
from .caseview import LONDON, london_date
from .compiled import CompiledRulebook
from .units import unit_text
from .obligation import EXPLANATION_FORMAT, STATUS_TABLE, DeadlineWork, Evaluation, Obligation, SettingInForce, State, \
    Status

STATUS_WORDS = {status: info.word.upper() for status, info in STATUS_TABLE.items()}

DAY_ONE_WORDS = {
    "day_after_trigger": "the day after the clock started",
    "trigger_day": "the day the clock started",
}


def format_moment(moment: dt.datetime) -> str:
    """``Thu 2 Apr 2026 14:00 BST``: a moment in London time."""
    local = moment.astimezone(LONDON)
    return f"{format_date(local.date())} {local.strftime('%H:%M')} {local.tzname()}"


# --- structured ---------------------------------------------------------------------------------------------------


def _iso(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def deadline_dict(work: DeadlineWork) -> dict[str, Any]:
    return {
        "count": work.count,
        "unit": work.unit,
        "count_source": work.count_source,
        "calendar": work.calendar,
        "day_one": work.day_one_rule,
        "clock_start": work.clock_start.isoformat(),
        "clock_start_reason": work.clock_start_reason,
        "due_date": work.due_date.isoformat(),
        "late_from": work.breach_at.isoformat(),
        "at_risk_from": _iso(work.at_risk_from),
        "skipped_days": [{"date": s.date.isoformat(), "reason": s.reason} for s in work.skipped],
        "pauses": [
            {"from": p.start.isoformat(), "until": _iso(p.end), "reason": p.reason, "started_by": p.started_by,
             "ended_by": p.ended_by}
            for p in work.pauses
        ],
        "variant": work.variant,
        "variant_reason": work.variant_reason,
        "extension": work.extension,
        "extension_ignored": work.extension_ignored,
        "restart_ignored": work.restart_ignored,
        "unadjusted_due_date": _iso(work.unadjusted_due),
        "adjustment": work.adjustment,
        "warnings": list(work.warnings),
    }


def obligation_dict(obligation: Obligation, book: CompiledRulebook | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": obligation.rule_id,
        "title": obligation.rule_title,
        "version": _iso(obligation.version),
        "instance": obligation.instance,
        "status": obligation.status.value,
        "state": obligation.state.value,
        "timeliness": obligation.timeliness.value if obligation.timeliness else None,
        "triggered_at": _iso(obligation.triggered_at),
        "trigger": obligation.trigger_event,
        "due_date": _iso(obligation.due_date),
        "late_from": _iso(obligation.due_at),
        "satisfied_at": _iso(obligation.satisfied_at),
        "satisfied_by": obligation.satisfied_by,
        "next_change": _iso(obligation.next_change),
        "duty": obligation.duty.value if obligation.duty else None,
        "duty_title": obligation.duty.label if obligation.duty else None,
        "is_owed": obligation.is_owed,
        "variant": obligation.variant,
        "waiver": obligation.waiver,
        "missing_facts": list(obligation.missing_facts),
        "reasons": [
            {"kind": r.kind, "text": r.text, **({"seen": r.seen} if r.seen is not None else {})}
            for r in obligation.reasons
        ],
        "needed": obligation.needed if obligation.state is State.OPEN else None,
        "deadline": deadline_dict(obligation.deadline) if obligation.deadline else None,
    }
    if book is not None and obligation.rule_id in book.by_id:
        rule = book.by_id[obligation.rule_id].source
        data["charter"] = [q.quote for q in rule.charter]
        data["references"] = [{"title": r.title, "href": r.href} for r in rule.references]
    data["explanation"] = obligation_text(obligation)
    return data


def explain_json(evaluation: Evaluation, book: CompiledRulebook | None = None) -> dict[str, Any]:
    """The evaluation as a JSON-ready dict, with a format version for consumers to check."""
    return {
        "format": EXPLANATION_FORMAT,
        "case_id": evaluation.case_id,
        "as_of": evaluation.as_of.isoformat(),
        "next_change": _iso(evaluation.next_change),
        "settings": [setting.to_dict() for setting in evaluation.settings],
        "warnings": list(evaluation.warnings),
        "obligations": [obligation_dict(o, book) for o in evaluation.obligations],
    }


# --- plain English ------------------------------------------------------------------------------------------------


def deadline_lines(work: DeadlineWork) -> list[str]:
    lines = []
    lines.append(f"Clock started {format_moment(work.clock_start)}: {work.clock_start_reason}.")
    count = unit_text(work.count, work.unit) + (f" ({work.count_source})" if work.count_source else "")
    if work.unit == "hours":
        lines.append(f"Deadline: {count}, an exact time.")
    else:
        lines.append(
            f"Deadline: {count} on the {work.calendar_title} calendar; "
            f"day 1 is {DAY_ONE_WORDS[work.day_one_rule]}."
        )
    if work.variant:
        lines.append(f"A different deadline applies: {work.variant_reason}")
    if work.extension:
        lines.append(f"Extended: {work.extension}")
    if work.extension_ignored:
        lines.append(f"Not extended: {work.extension_ignored}")
    if work.restart_ignored:
        lines.append(f"Not restarted: {work.restart_ignored}")
    started = london_date(work.clock_start)
    for pause in work.pauses:
        until = format_date(pause.end) if pause.end else "still paused"
        carried = " (it began before the clock started again, and kept it stopped)" if pause.start < started else ""
        lines.append(f"Clock paused {format_date(pause.start)} to {until}{carried}: {pause.reason}")
    if work.skipped:
        lines.append("Not counted:")
        lines.extend(f"  - {day}" for day in work.skipped)
    if work.adjustment:
        lines.append(f"Adjusted: {work.adjustment}.")
    if work.unit == "hours":
        lines.append(f"Due by {format_moment(work.breach_at)}.")
    else:
        lines.append(f"Due by the end of {format_date(work.due_date)} (London time).")
    if work.at_risk_from is not None:
        lines.append(f"At risk from {format_moment(work.at_risk_from)}.")
    lines.extend(f"Warning: {w}." for w in work.warnings)
    return lines


def obligation_text(obligation: Obligation) -> str:
    """One obligation explained in plain English, every date and skipped day spelled out."""
    head = f"{obligation.rule_id}"
    if obligation.instance > 1 or obligation.state not in (State.NOT_APPLICABLE,):
        head += f" #{obligation.instance}"
    lines = [f"{head} [{STATUS_WORDS[obligation.status]}] {obligation.rule_title}"]
    if obligation.version is not None:
        lines.append(f"Rule version in force from {format_date(obligation.version)}.")
    if obligation.duty is not None and obligation.state is not State.NOT_APPLICABLE:
        lines.append(f"Kind of duty: {obligation.duty.label}.")
    for reason in obligation.reasons:
        seen = f" (seen: {reason.seen})" if reason.seen is not None else ""
        prefix = {
            State.NOT_APPLICABLE: "Not applicable: ",
            State.INDETERMINATE: "Indeterminate: ",
            State.WAIVED: "Waived: ",
            State.PAUSED: "Paused: ",
        }.get(obligation.state, "Note: ")
        lines.append(prefix + reason.text + seen + ".")
    if obligation.triggered_at is not None and obligation.deadline is None:
        started = obligation.trigger_title or obligation.trigger_event
        lines.append(f"Started {format_moment(obligation.triggered_at)}: {started}.")
    if obligation.deadline is not None:
        lines.extend(deadline_lines(obligation.deadline))
    status = obligation.status
    if obligation.satisfied_at is not None:
        when = format_moment(obligation.satisfied_at)
        late = " after the deadline" if status is Status.SATISFIED_LATE else ", on time"
        what = f"'{obligation.satisfied_by_title}'" if obligation.satisfied_by_title else "a recorded event"
        lines.append(f"Met by {what} at {when}{late}"
                     + (_breach_words(obligation) if status is Status.SATISFIED_LATE else "") + ".")
    elif obligation.state is State.OPEN:
        if status is Status.OVERDUE:
            lines.append("Overdue: nothing recorded meets it" + _breach_words(obligation) + ".")
        if obligation.needed:
            lines.append(f"Still needed: {obligation.needed}.")
    if obligation.next_change is not None and obligation.state in (State.OPEN, State.SATISFIED):
        work = obligation.deadline
        if work is not None and obligation.next_change not in (work.at_risk_from, work.breach_at):
            lines.append(f"The next occurrence starts {format_moment(obligation.next_change)}.")
        else:
            lines.append(f"Changes by itself at {format_moment(obligation.next_change)}.")
    return "\n".join(lines)


def _breach_words(obligation: Obligation) -> str:
    return f": {obligation.duty.breach_words}" if obligation.duty is not None else ""


def settings_line(settings: tuple[SettingInForce, ...]) -> str | None:
    """The interpretation settings in force, in one line for people; None when the rule book has none."""
    if not settings:
        return None
    return "Settings: " + "; ".join(s.text() for s in settings) + "."


def explain_text(evaluation: Evaluation, *, include_not_applicable: bool = True) -> str:
    """Every obligation of a case explained, most urgent first."""
    order = [Status.OVERDUE, Status.AT_RISK, Status.DUE, Status.PAUSED, Status.INDETERMINATE,
             Status.SATISFIED_LATE, Status.SATISFIED, Status.WAIVED, Status.NOT_APPLICABLE]
    chosen = [o for o in evaluation.obligations if include_not_applicable or o.state is not State.NOT_APPLICABLE]
    chosen.sort(key=lambda o: (order.index(o.status), o.rule_id, o.instance))
    header = f"Case {evaluation.case_id} as of {format_moment(evaluation.as_of)}"
    blocks = [header, "=" * len(header)]
    settings = settings_line(evaluation.settings)
    if settings:
        blocks.append(settings)
    blocks.extend(f"Warning: {w}." for w in evaluation.warnings)
    blocks.extend(obligation_text(o) + "\n" for o in chosen)
    return "\n".join(blocks).rstrip() + "\n"
