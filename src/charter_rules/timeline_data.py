"""A case's timeline as plain data (JSON-ready): its events and its obligations' dates, in time order.

The same data draws the picture on the documentation site's worked examples and in the HTML report of
``check --case ID`` (``charter_rules.drawing.timeline``), and is listed in the JSON report
(``check.case_timeline`` adds the case's facts and where it was read).

Dates (``..._date``) are London dates, as deadlines are counted; instants (``..._at``) keep their offsets. Each
obligation with a deadline carries the days the evaluator counted (numbered as it counted them) and the days it did not
count with the reason, so the picture shows the evaluator's own working, never a second computation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from .caseview import CaseView, london_date
from .compiled import CompiledRulebook
from .deadlines import unit_text
from .obligation import STATUS_MEANINGS, DeadlineWork, Obligation

ONE_DAY = dt.timedelta(days=1)


def counted_days(work: DeadlineWork) -> tuple[dict[dt.date, int], dict[dt.date, str]]:
    """Day numbers as the evaluator counted them, and the days it did not count with the reason for each."""
    skipped = {s.date: s.reason for s in work.skipped}
    numbers: dict[dt.date, int] = {}
    if work.unit not in ("working_days", "calendar_days"):
        return numbers, skipped
    day = london_date(work.clock_start) + (ONE_DAY if work.day_one_rule == "day_after_trigger" else dt.timedelta())
    count = 0
    while day <= work.due_date and count < work.count:
        if day not in skipped:
            count += 1
            numbers[day] = count
        day += ONE_DAY
    if work.unit == "working_days" and (count != work.count or (numbers and max(numbers) != work.due_date)):
        return {}, skipped  # never show numbers that disagree with the evaluator's due date
    return numbers, skipped


def _range(view: CaseView, obligations: list[Obligation]) -> tuple[dt.date, dt.date]:
    days = [view.received_date, view.as_of_date]
    days.extend(o.date for o in view.events)
    for obligation in obligations:
        for moment in (obligation.triggered_at, obligation.satisfied_at):
            if moment is not None:
                days.append(london_date(moment))
        if obligation.deadline is not None:
            days.extend([london_date(obligation.deadline.clock_start), obligation.deadline.due_date])
    return min(days) - ONE_DAY, max(days) + ONE_DAY


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _deadline(book: CompiledRulebook, work: DeadlineWork, first: dt.date, last: dt.date) -> dict[str, Any]:
    numbers, skipped = counted_days(work)
    calendar = book.calendars.get(work.calendar)
    non_working: dict[str, str] = {}
    day = first
    while day <= last and calendar is not None:
        reason = skipped.get(day) or calendar.non_working_reason(day)
        if reason is not None:
            non_working[day.isoformat()] = reason
        day += ONE_DAY
    start = london_date(work.clock_start)
    counting_from = start if work.unit == "hours" else start + (
        ONE_DAY if work.day_one_rule == "day_after_trigger" else dt.timedelta())
    return {
        "unit": work.unit,
        "count": work.count,
        "length": unit_text(work.count, work.unit),
        "calendar": work.calendar_title,
        "clock_start": work.clock_start.isoformat(),
        "clock_start_reason": work.clock_start_reason,
        "counting_from": counting_from.isoformat(),
        "due_date": work.due_date.isoformat(),
        "breach_at": work.breach_at.isoformat(),
        "counted": {d.isoformat(): n for d, n in numbers.items()},
        "not_counted": {d.isoformat(): r for d, r in skipped.items()},
        "non_working": non_working,
        "pauses": [{"start": p.start.isoformat(), "end": p.end.isoformat() if p.end else None, "reason": p.reason}
                   for p in work.pauses],
    }


def _obligation(book: CompiledRulebook, o: Obligation, titles: dict[str, str], first: dt.date,
                last: dt.date, wording: Callable[[str], str]) -> dict[str, Any]:
    return {
        "rule": o.rule_id,
        "title": o.rule_title,
        "instance": o.instance,
        "status": o.status.value,
        "status_meaning": STATUS_MEANINGS[o.status],
        "triggered_at": _iso(o.triggered_at),
        "triggered_date": london_date(o.triggered_at).isoformat() if o.triggered_at else None,
        "trigger": o.trigger_event,
        "due_date": o.due_date.isoformat() if o.due_date else None,
        "satisfied_at": _iso(o.satisfied_at),
        "satisfied_date": london_date(o.satisfied_at).isoformat() if o.satisfied_at else None,
        "satisfied_by": o.satisfied_by,
        "satisfied_by_title": titles.get(o.satisfied_by or "", o.satisfied_by),
        "variant": o.variant,
        "reasons": [wording(r.text) for r in o.reasons],
        "deadline": _deadline(book, o.deadline, first, last) if o.deadline is not None else None,
    }


def timeline_data(book: CompiledRulebook, view: CaseView, obligations: list[Obligation],
                  wording: Callable[[str], str] = str) -> dict[str, Any]:
    """The events known at the view's moment and the given obligations, one lane each, as plain data.

    ``wording`` rewrites the evaluator's reasons for a reader (the docs site replaces names by titles).
    """
    vocabulary = book.vocabulary
    titles: dict[str, str] = {}
    events = []
    for occurrence in view.events:
        spec = vocabulary.events.get(occurrence.type)
        title = spec.title if spec is not None else occurrence.type
        titles.setdefault(occurrence.ref, title)
        details = occurrence.event.model_dump(exclude_none=True, mode="json")
        events.append({
            "ref": occurrence.ref,
            "type": occurrence.type,
            "title": title,
            "at": occurrence.at.isoformat(),
            "date": occurrence.date.isoformat(),
            "fields": {k: v for k, v in details.items() if k not in ("id", "type", "at")},
        })
    first, last = _range(view, obligations)
    return {
        "received_at": view.received_at.isoformat(),
        "received_date": view.received_date.isoformat(),
        "as_of": view.as_of.isoformat(),
        "as_of_date": view.as_of_date.isoformat(),
        "first_day": first.isoformat(),
        "last_day": last.isoformat(),
        "events": events,
        "obligations": [_obligation(book, o, titles, first, last, wording) for o in obligations],
    }
