"""Every obligation of one rule for one case: what starts each, and the occurrences of a repeating one."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..calendars import format_date
from ..caseview import CaseView, Occurrence, in_utc, london_date, start_of_london_day
from ..compiled import CompiledRule, CompiledVersion
from ..deadlines import add_period
from ..obligation import Obligation, Reason, State
from ..predicates import describe
from .build import kept_text, matches, obligation_without_deadline
from .clock import start_reason
from .occurrence import one_occurrence
from .words import event_title

MAX_INSTANCES = 500  # a repeating obligation never produces more than this many occurrences in one case

Start = tuple[dt.datetime, "Occurrence | None", "str | None"]  # (moment, the event that started it, its name)


def starts_of(rule: CompiledRule, case: CaseView, produced: dict[str, list[Obligation]]) -> list[Start]:
    """Moments that start an obligation of the rule, in time order."""
    kinds = rule.trigger_kinds
    found: list[Start] = []
    if "case_received" in kinds and case.received_at <= case.as_of:
        found.append((case.received_at, None, "case received"))
    if "event" in kinds:
        by_type = case.by_type
        for event_type in rule.trigger_types:  # the sort below fixes the order: (time, place in time order) is unique
            for occurrence in by_type.get(event_type, ()):
                found.append((occurrence.at, occurrence, occurrence.ref))
    if "breach_of" in kinds:
        for v in rule.versions:
            for earlier in produced.get(v.breach_of or "", ()):
                if earlier.is_breach and earlier.due_at is not None and in_utc(earlier.due_at) <= case.as_of:
                    found.append((earlier.due_at, None, f"{earlier.rule_id} #{earlier.instance} overdue"))
    if len(found) > 1:
        found.sort(key=lambda row: (row[0], row[1].order if row[1] else -1))
    return found


def evaluate_rule(rule: CompiledRule, case: CaseView, produced: dict[str, list[Obligation]]) -> list[Obligation]:
    out: list[Obligation] = []
    for moment, occurrence, label in starts_of(rule, case, produced):
        version = rule.version_on(case.date_of(moment))
        if version is None:
            out.append(obligation_without_deadline(rule, None, case, len(out) + 1, State.NOT_APPLICABLE,
                                                   [no_version_in_force(rule, moment)], (moment, label)))
            continue
        started = started_by(rule, version, case, len(out) + 1, moment, occurrence, label)
        if started is False:
            continue
        if isinstance(started, Obligation):
            out.append(started)
            continue
        out.extend(occurrences(rule, version, case, moment, occurrence, label, len(out) + 1))
    if not out:
        version = rule.version_on(case.as_of_date) or rule.versions[-1]
        out.append(obligation_without_deadline(rule, version, case, 1, State.NOT_APPLICABLE,
                                               [not_started(version, case)]))
    return out


def started_by(rule: CompiledRule, version: CompiledVersion, case: CaseView, instance: int, moment: dt.datetime,
               occurrence: Occurrence | None, label: str | None) -> bool | Obligation:
    """Whether this start is one the version counts: True, False, or an indeterminate obligation."""
    if occurrence is None:
        wanted = "case_received" if label == "case received" else "breach_of"
        return version.trigger_kind == wanted
    if version.trigger is None or version.trigger_kind != "event":
        return False  # this version is started by something else
    matched = matches(version.trigger, case, occurrence)
    if matched is None:
        trace = version.trigger.where.trace(case, occurrence)  # type: ignore[union-attr]
        return obligation_without_deadline(
            rule, version, case, instance, State.INDETERMINATE,
            [Reason("missing_fact", "cannot tell whether this event starts the obligation",
                    missing=trace.all_missing())], (moment, label))
    return matched


def occurrences(rule: CompiledRule, version: CompiledVersion, case: CaseView, moment: dt.datetime,
                occurrence: Occurrence | None, label: str | None, first_instance: int) -> list[Obligation]:
    """The obligation started at ``moment``, for a repeating rule each occurrence after it, and the series started
    again by each event that resumes it once it has ended (what the end ended stays ended)."""
    out, end = one_series(rule, version, case, moment, occurrence, label, first_instance)
    while end is not None and version.resumes_on:
        resumed = series_resumption(version, case, end)
        if resumed is None:
            break
        if len(out) >= MAX_INSTANCES:
            out.append(beyond_the_limit(rule, version, case, first_instance + len(out),
                                        (resumed.at, resumed, resumed.ref)))
            break
        version = rule.version_on(resumed.date) or version
        series, end = one_series(rule, version, case, resumed.at, resumed, resumed.ref, first_instance + len(out))
        out.extend(series)
    return out


def one_series(rule: CompiledRule, version: CompiledVersion, case: CaseView, moment: dt.datetime,
               occurrence: Occurrence | None, label: str | None,
               first_instance: int) -> tuple[list[Obligation], Occurrence | None]:
    """The occurrences of one series started at ``moment``, and the event that ended it (None while it runs)."""
    end = series_end(version, case, moment)
    start: Start = (moment, occurrence, label)
    scheduled: str | None = None
    if version.starts_after is not None:
        delayed = delayed_start(rule, version, case, moment, label, end, first_instance)
        if isinstance(delayed, Obligation):
            return [delayed], end
        start, scheduled = (delayed[0], occurrence, label), delayed[1]
    out: list[Obligation] = []
    while len(out) < MAX_INSTANCES:  # one more occurrence follows when this ends without a break: say it is unknown
        instance = first_instance + len(out)
        current = version if not out else (rule.version_on(case.date_of(start[0])) or version)
        obligation = one_occurrence(rule, current, case, instance, start[0], start[1], start[2], end, scheduled)
        if rule.source.information_only and obligation.is_breach:
            obligation = window_closed(obligation)
        out.append(obligation)
        following = next_occurrence(version, case, obligation, start, end)
        if following is None:
            out[-1] = with_scheduled_next(version, case, obligation, start, end)
            break
        start, scheduled = following
    else:
        out.append(beyond_the_limit(rule, version, case, first_instance + len(out), start))
    return out, end


def beyond_the_limit(rule: CompiledRule, version: CompiledVersion, case: CaseView, instance: int,
                     start: Start) -> Obligation:
    """The occurrence after the last one worked out, when a series has more than MAX_INSTANCES: undecided, never
    silently left out (it, or one after it, may be owed or overdue)."""
    return obligation_without_deadline(
        rule, version, case, instance, State.INDETERMINATE,
        [Reason("too_many_occurrences",
                f"this repeating obligation has more than {MAX_INSTANCES} occurrences in this case, and only the "
                f"first {MAX_INSTANCES} are worked out; whether this one, starting {format_date(london_date(start[0]))}"
                ", or any after it is owed or overdue is not decided")],
        (start[0], start[2]))


def with_scheduled_next(version: CompiledVersion, case: CaseView, obligation: Obligation, start: Start,
                        end: Occurrence | None) -> Obligation:
    """On a fixed schedule the next occurrence starts by itself: it is the last occurrence's next change (if sooner
    than its own), so a forecast and a monitor see it coming."""
    if version.every is None or obligation.state not in (State.OPEN, State.SATISFIED):
        return obligation
    day, _ = add_period(london_date(start[0]), version.every)
    next_start = start_of_london_day(day)
    at = in_utc(next_start)  # compared in UTC, like the case's moments
    if at <= case.as_of or (end is not None and end.at < at):
        return obligation
    if obligation.next_change is not None and in_utc(obligation.next_change) <= at:
        return obligation
    return replace(obligation, next_change=next_start)


def next_occurrence(version: CompiledVersion, case: CaseView, obligation: Obligation, start: Start,
                    end: Occurrence | None) -> tuple[Start, str | None] | None:
    """Where the next occurrence starts, and why (for a fixed schedule); None when the series stops here."""
    if version.every is not None:
        # a fixed schedule: the next occurrence starts a set time after this one started, met or not
        if obligation.state not in (State.OPEN, State.SATISFIED):
            return None
        day, note = add_period(london_date(start[0]), version.every)
        next_start = start_of_london_day(day)
        at = in_utc(next_start)  # compared in UTC, like the case's moments
        if at > case.as_of or (end is not None and end.at < at):
            return None
        reason = (f"{version.every.text} after occurrence #{obligation.instance} started on "
                  f"{format_date(london_date(start[0]))}" + (f" ({note})" if note else ""))
        return (next_start, start[1], start[2]), reason
    if not (version.recurring and obligation.state is State.SATISFIED and obligation.satisfied_at):
        return None
    # each satisfying event starts the next occurrence
    assert obligation.satisfied_by is not None  # met by an event, so it names one
    next_event = case.first_with_ref(obligation.satisfied_by)
    if end is not None and end.order <= next_event.order:
        return None
    return (next_event.at, next_event, next_event.ref), None


def series_end(version: CompiledVersion, case: CaseView, moment: dt.datetime) -> Occurrence | None:
    """The first event that ends a repeating obligation, at or after it started."""
    ends = [o for m in version.ends_on for t in m.types for o in case.by_type.get(t, ())
            if o.at >= moment and matches(m, case, o)]
    return min(ends, key=lambda o: o.order) if ends else None


def series_resumption(version: CompiledVersion, case: CaseView, end: Occurrence) -> Occurrence | None:
    """The first event after ``end`` that starts the ended series again."""
    found = [o for m in version.resumes_on for t in m.types for o in case.by_type.get(t, ())
             if o.order > end.order and matches(m, case, o)]
    return min(found, key=lambda o: o.order) if found else None


def delayed_start(rule: CompiledRule, version: CompiledVersion, case: CaseView, moment: dt.datetime,
                  label: str | None, end: Occurrence | None, instance: int) -> Obligation | tuple[dt.datetime, str]:
    """For an obligation that starts a set time after its trigger: the start and why, or why it has not started."""
    assert version.starts_after is not None
    day, note = add_period(london_date(moment), version.starts_after)
    reason = (f"{version.starts_after.text} after {start_reason(version, label)} on "
              f"{format_date(london_date(moment))}" + (f" ({note})" if note else ""))
    start = start_of_london_day(day)
    at = in_utc(start)  # compared in UTC, like the case's moments
    if end is not None and end.at < at:
        return obligation_without_deadline(
            rule, version, case, instance, State.NOT_APPLICABLE,
            [Reason("ended", f"ended by {event_title(version, end.type)} on {format_date(end.date)}, before it was due to "
                    f"start on {format_date(day)}")], (moment, label), ended_by=end.ref)
    if at > case.as_of:
        return obligation_without_deadline(rule, version, case, instance, State.NOT_APPLICABLE,
                                           [Reason("not_triggered", f"it starts on {format_date(day)}: {reason}")],
                                           None, next_change=start)
    return start, reason


def window_closed(obligation: Obligation) -> Obligation:
    """An information-only rule's window has passed: say so, without calling it a breach by the force."""
    due = format_date(obligation.due_date) if obligation.due_date else "its deadline"
    if obligation.satisfied_by is not None:
        text = f"it happened ({obligation.satisfied_by}) after the time allowed ended with {due}"
    else:
        text = f"the time allowed ended with {due} and nothing was recorded by then"
    text += "; this rule is for information: the time limit binds someone other than the force"
    return replace(obligation, state=State.NOT_APPLICABLE, timeliness=None, next_change=None,
                   reasons=obligation.reasons + (Reason("window_closed", text),))


def no_version_in_force(rule: CompiledRule, moment: dt.datetime) -> Reason:
    spans = "; ".join(f"from {format_date(v.valid_from)}" + (f" to {format_date(v.valid_to)}" if v.valid_to else "")
                      for v in rule.versions)
    return Reason("no_version", f"no version of the rule was in force on {format_date(london_date(moment))} "
                                f"(in force: {spans})")


def not_started(version: CompiledVersion, case: CaseView) -> Reason:
    if version.trigger_kind == "case_received":
        return Reason("not_triggered", f"the case was received after the as-of moment ({case.received_at.isoformat()})")
    return kept_text(version, "not_triggered", lambda: _nothing_started_it(version))


def _nothing_started_it(version: CompiledVersion) -> Reason:
    if version.trigger_kind == "breach_of":
        text = f"nothing under '{version.breach_of_title or version.breach_of}' has gone overdue"
    else:
        assert version.trigger is not None
        text = "nothing has started it: no " + " or ".join(event_title(version, t) for t in version.trigger.types)
        if version.trigger.where is not None:
            text += f", where {describe(version.trigger.where)},"
        text += " by the as-of moment"
    return Reason("not_triggered", text)
