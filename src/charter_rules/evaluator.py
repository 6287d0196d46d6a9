"""The evaluator: a pure function of (compiled rule book, case snapshot, as-of moment).

Nothing here reads the clock, the disk or the network. Every rule gives at least one obligation for every case:
rules for other kinds of case, or not yet started, come back as *not applicable* with the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Callable, Iterable

from .calendars import format_date
from .caseview import CaseView, Occurrence, london_date, start_of_london_day
from .compiler import CompiledRule, CompiledRulebook, CompiledVersion, EventMatcher
from .deadlines import ClosedPause, add_period, compute_deadline, unit_text
from .errors import RuleConflictError
from .obligation import Evaluation, Obligation, PausePeriod, Reason, State, Timeliness
from .predicates import describe
from .snapshot import CaseSnapshot

MAX_INSTANCES = 500  # a repeating obligation never produces more than this many occurrences in one case


def evaluate(compiled: CompiledRulebook, snapshot: CaseSnapshot, *, as_of: dt.datetime) -> Evaluation:
    """Every obligation of ``snapshot`` under ``compiled`` as things stood at ``as_of`` (which needs a UTC offset).

    Events after ``as_of`` are ignored. Raises RuleConflictError if two variants of a rule apply and disagree.
    """
    case = CaseView(snapshot, as_of)
    produced: dict[str, list[Obligation]] = {}
    warnings: list[str] = []
    for rule in compiled.rules:
        if snapshot.kind not in rule.kinds:
            obligations = [_not_for_kind(rule, case)]
        else:
            obligations = _evaluate_rule(rule, case, produced)
        produced[rule.id] = obligations
        for obligation in obligations:
            if obligation.deadline is not None:
                warnings.extend(w for w in obligation.deadline.warnings if w not in warnings)
    ordered = tuple(o for rule in sorted(produced) for o in produced[rule])
    return Evaluation(snapshot.case_id, as_of, ordered, tuple(warnings))


# --- small builders ---------------------------------------------------------------------------------------------


def _not_for_kind(rule: CompiledRule, case: CaseView) -> Obligation:
    kind = case.snapshot.kind
    reason: Reason = _static("kind:" + kind, rule, lambda: Reason(  # type: ignore[arg-type, assignment]
        "case_kind", _kind_text(rule, kind), seen=kind))
    version = rule.version_on(case.as_of_date) or rule.versions[-1]
    return Obligation(case.snapshot.case_id, rule.id, rule.source.title, version.valid_from, 1,
                      State.NOT_APPLICABLE, reasons=(reason,))


def _kind_text(rule: CompiledRule, kind: str) -> str:
    """``the rule is for 'Crime report' cases; this case is a 'Complaint'``: the vocabulary's titles."""
    wanted = " and ".join(f"'{rule.kind_titles.get(k, k)}'" for k in sorted(rule.kinds))
    return f"the rule is for {wanted} cases; this case is a '{rule.kind_titles.get(kind, kind)}'"


def _simple(rule: CompiledRule, version: CompiledVersion | None, case: CaseView, instance: int, state: State,
            reasons: Iterable[Reason], trigger: tuple[dt.datetime, str | None] | None = None,
            **extra: object) -> Obligation:
    return Obligation(
        case.snapshot.case_id, rule.id, rule.source.title, version.valid_from if version else None, instance, state,
        triggered_at=trigger[0] if trigger else None, trigger_event=trigger[1] if trigger else None,
        trigger_title=_trigger_words(version, case, trigger[1]) if trigger else None,
        reasons=tuple(reasons), **extra,  # type: ignore[arg-type]
    )


def _trigger_words(version: CompiledVersion | None, case: CaseView, label: str | None) -> str | None:
    """What started an obligation, in words, from the label the evaluator keeps (an event id, or a phrase)."""
    if label == "case received":
        return "the case was received"
    if version is None:
        return None
    occurrence = next((o for o in case.events if o.ref == label), None)
    return _start_reason(version, label, occurrence)


def _matches(matcher: EventMatcher, case: CaseView, occurrence: Occurrence) -> bool | None:
    if occurrence.type not in matcher.types:
        return False
    return True if matcher.where is None else matcher.where.test(case, occurrence)


def _find(matcher: EventMatcher, case: CaseView, after: dt.datetime, after_index: int | None = None) -> Occurrence | None:
    """The first event matching ``matcher`` at or after ``after`` (and after position ``after_index``)."""
    best: Occurrence | None = None
    for event_type in matcher.types:
        for occurrence in case.by_type.get(event_type, ()):
            if occurrence.at < after:
                continue
            if after_index is not None and _position(case, occurrence) <= after_index:
                continue
            if matcher.where is not None and not matcher.where.test(case, occurrence):
                continue
            if best is None or _position(case, occurrence) < _position(case, best):
                best = occurrence
            break
    return best


def _position(case: CaseView, occurrence: Occurrence) -> int:
    return occurrence.order


# --- one rule ---------------------------------------------------------------------------------------------------


def _triggers(rule: CompiledRule, case: CaseView, produced: dict[str, list[Obligation]]) -> list[tuple[dt.datetime, Occurrence | None, str | None]]:
    """Moments that start an obligation: (moment, triggering event, how to name it)."""
    kinds = rule.trigger_kinds
    found: list[tuple[dt.datetime, Occurrence | None, str | None]] = []
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
                if earlier.due_at is not None and earlier.is_breach and earlier.due_at <= case.as_of:
                    found.append((earlier.due_at, None, f"{earlier.rule_id} #{earlier.instance} overdue"))
    if len(found) > 1:
        found.sort(key=lambda row: (row[0], row[1].order if row[1] else -1))
    return found


def _evaluate_rule(rule: CompiledRule, case: CaseView, produced: dict[str, list[Obligation]]) -> list[Obligation]:
    out: list[Obligation] = []
    for moment, occurrence, label in _triggers(rule, case, produced):
        version = rule.version_on(case.date_of(moment))
        instance = len(out) + 1
        if version is None:
            spans = "; ".join(
                f"from {format_date(v.valid_from)}" + (f" to {format_date(v.valid_to)}" if v.valid_to else "")
                for v in rule.versions
            )
            out.append(_simple(rule, None, case, instance, State.NOT_APPLICABLE,
                               [Reason("no_version", f"no version of the rule was in force on "
                                       f"{format_date(london_date(moment))} (in force: {spans})")],
                               (moment, label)))
            continue
        if occurrence is not None:
            if version.trigger is None or version.trigger_kind != "event":
                continue  # this version is started by something else
            matched = _matches(version.trigger, case, occurrence)
            if matched is False:
                continue
            if matched is None:
                trace = version.trigger.where.trace(case, occurrence)  # type: ignore[union-attr]
                out.append(_simple(rule, version, case, instance, State.INDETERMINATE,
                                   [Reason("missing_fact", "cannot tell whether this event starts the obligation",
                                           missing=trace.all_missing())], (moment, label)))
                continue
        elif label == "case received" and version.trigger_kind != "case_received":
            continue
        elif label != "case received" and version.trigger_kind != "breach_of":
            continue
        out.extend(_instances(rule, version, case, moment, occurrence, label, len(out) + 1))
    if not out:
        version = rule.version_on(case.as_of_date) or rule.versions[-1]
        out.append(_simple(rule, version, case, 1, State.NOT_APPLICABLE, [_not_triggered(version, case)]))
    return out


_STATIC_TEXT: dict[tuple[str, int], tuple[object, object]] = {}  # per compiled rule or version: text that never varies


def _static(kind: str, owner: object, make: Callable[[], object]) -> object:
    """``make()``, worked out once per compiled rule or version (kept with it, so an id is never reused)."""
    cached = _STATIC_TEXT.get((kind, id(owner)))
    if cached is None or cached[0] is not owner:
        cached = _STATIC_TEXT[(kind, id(owner))] = (owner, make())
    return cached[1]


def _not_triggered(version: CompiledVersion, case: CaseView) -> Reason:
    if version.trigger_kind == "case_received":
        return Reason("not_triggered", f"the case was received after the as-of moment ({case.received_at.isoformat()})")
    return _static("not_triggered", version, lambda: _not_triggered_reason(version))  # type: ignore[return-value]


def _not_triggered_reason(version: CompiledVersion) -> Reason:
    if version.trigger_kind == "breach_of":
        text = f"nothing under '{version.breach_of_title or version.breach_of}' has gone overdue"
    else:
        assert version.trigger is not None
        text = "nothing has started it: no " + " or ".join(_title(version, t) for t in version.trigger.types)
        if version.trigger.where is not None:
            text += f", where {describe(version.trigger.where)},"
        text += " by the as-of moment"
    return Reason("not_triggered", text)


def _gate(rule: CompiledRule, version: CompiledVersion, case: CaseView, instance: int,
          trigger: tuple[dt.datetime, str | None]) -> Obligation | tuple[tuple[str, str] | None, object]:
    """Applicability, waivers and variants. Returns a finished obligation, or (variant, deadline spec).

    They depend only on the case, so the answer for a version is worked out once per evaluation.
    """
    known = case.memo.get(id(version))
    if known is not None:
        return known  # type: ignore[return-value]
    decided = _decide(rule, version, case, instance, trigger)
    if not isinstance(decided, Obligation):
        case.memo[id(version)] = decided
    return decided


def _decide(rule: CompiledRule, version: CompiledVersion, case: CaseView, instance: int,
            trigger: tuple[dt.datetime, str | None]) -> Obligation | tuple[tuple[str, str] | None, object]:
    applies = version.applies.test(case, None)
    if applies is not True:
        trace = version.applies.trace(case, None)
        if applies is None:
            missing = trace.all_missing()
            return _simple(rule, version, case, instance, State.INDETERMINATE,
                           [Reason("missing_fact", "cannot tell whether the rule applies: "
                                   + _not_recorded(version, missing), missing=missing)],
                           trigger)
        leaves = trace.failing_leaves()
        return _simple(rule, version, case, instance, State.NOT_APPLICABLE,
                       [Reason("condition", f"the rule applies only if {leaf.text}", seen=leaf.seen) for leaf in leaves],
                       trigger)
    unknown: list[str] = []
    for waiver in version.waivers:
        result = waiver.when.test(case, None)
        if result:
            return _simple(rule, version, case, instance, State.WAIVED,
                           [Reason("waiver", waiver.reason)], trigger, waiver=waiver.name)
        if result is None:
            unknown.extend(waiver.when.trace(case, None).all_missing())
    chosen = []
    for variant in version.variants:
        result = variant.when.test(case, None)
        if result:
            chosen.append(variant)
        elif result is None:
            unknown.extend(variant.when.trace(case, None).all_missing())
    if unknown:
        missing = tuple(dict.fromkeys(unknown))
        return _simple(rule, version, case, instance, State.INDETERMINATE,
                       [Reason("missing_fact", "cannot tell which deadline applies or whether it is waived: "
                               + _not_recorded(version, missing), missing=missing)],
                       trigger)
    if len({v.change for v in chosen}) > 1:
        names = tuple(v.name for v in chosen)
        raise RuleConflictError(
            "variants " + " and ".join(repr(n) for n in names) + " both apply but set different deadlines; "
            "make their conditions exclusive in the rule file",
            rule_id=rule.id, case_id=case.snapshot.case_id, names=names)
    spec = version.deadline
    variant = None
    if chosen:
        spec = spec.changed(chosen[0].change)
        variant = (" + ".join(v.name for v in chosen), chosen[0].reason)
    return variant, spec


def _instances(rule: CompiledRule, version: CompiledVersion, case: CaseView, moment: dt.datetime,
               occurrence: Occurrence | None, label: str | None, first_instance: int) -> list[Obligation]:
    out: list[Obligation] = []
    ends = [o for m in version.ends_on for t in m.types for o in case.by_type.get(t, ())
            if o.at >= moment and _matches(m, case, o)]
    end = min(ends, key=lambda o: _position(case, o)) if ends else None
    trigger_at, trigger_occ, trigger_label = moment, occurrence, label
    start_reason: str | None = None
    if version.starts_after is not None:
        day, note = add_period(london_date(moment), version.starts_after)
        start_reason = (f"{version.starts_after.text} after {_start_reason(version, label)} on "
                        f"{format_date(london_date(moment))}" + (f" ({note})" if note else ""))
        trigger_at = start_of_london_day(day)
        if end is not None and end.at < trigger_at:
            return [_simple(rule, version, case, first_instance, State.NOT_APPLICABLE,
                            [Reason("ended", f"ended by {_title(version, end.type)} on {format_date(end.date)}, before "
                                    f"it was due to start on {format_date(day)}")], (moment, label), ended_by=end.ref)]
        if trigger_at > case.as_of:
            return [_simple(rule, version, case, first_instance, State.NOT_APPLICABLE,
                            [Reason("not_triggered", f"it starts on {format_date(day)}: {start_reason}")],
                            None, next_change=trigger_at)]
    while len(out) < MAX_INSTANCES:
        instance = first_instance + len(out)
        current = version
        if len(out) > 0:
            current = rule.version_on(case.date_of(trigger_at)) or version
        obligation = _one(rule, current, case, instance, trigger_at, trigger_occ, trigger_label, end, start_reason)
        if rule.source.information_only and obligation.is_breach:
            obligation = _window_closed(obligation)
        out.append(obligation)
        if version.every is not None:
            # a fixed schedule: the next occurrence starts a set time after this one started, met or not
            if obligation.state not in (State.OPEN, State.SATISFIED):
                break
            day, note = add_period(london_date(trigger_at), version.every)
            next_start = start_of_london_day(day)
            if next_start > case.as_of or (end is not None and end.at < next_start):
                break
            start_reason = (f"{version.every.text} after occurrence #{instance} started on "
                            f"{format_date(london_date(trigger_at))}" + (f" ({note})" if note else ""))
            trigger_at = next_start
            continue
        if not (version.recurring and obligation.state is State.SATISFIED and obligation.satisfied_at):
            break
        next_occ = next(o for o in case.events if o.ref == obligation.satisfied_by)
        if end is not None and _position(case, end) <= _position(case, next_occ):
            break
        trigger_at, trigger_occ, trigger_label = next_occ.at, next_occ, next_occ.ref
    return out


def _window_closed(obligation: Obligation) -> Obligation:
    """An information-only rule's window has passed: say so, without calling it a breach by the force."""
    due = format_date(obligation.due_date) if obligation.due_date else "its deadline"
    if obligation.satisfied_by is not None:
        text = f"it happened ({obligation.satisfied_by}) after the time allowed ended with {due}"
    else:
        text = f"the time allowed ended with {due} and nothing was recorded by then"
    text += "; this rule is for information: the time limit binds someone other than the force"
    return replace(obligation, state=State.NOT_APPLICABLE, timeliness=None, next_change=None,
                   reasons=obligation.reasons + (Reason("window_closed", text),))


def _one(rule: CompiledRule, version: CompiledVersion, case: CaseView, instance: int, moment: dt.datetime,
         occurrence: Occurrence | None, label: str | None, end: Occurrence | None,
         scheduled_start: str | None = None) -> Obligation:
    trigger = (moment, label)
    gated = _gate(rule, version, case, instance, trigger)
    if isinstance(gated, Obligation):
        return gated
    variant, spec = gated
    count = spec.count  # type: ignore[attr-defined]
    if isinstance(count, str):
        value = getattr(case.facts, count, None)
        if value is None:
            return _simple(rule, version, case, instance, State.INDETERMINATE,
                           [Reason("missing_fact", f"the deadline is set by {_fact(version, count)}, which is not recorded",
                                   missing=(count,))], trigger)
        count = int(value)

    after_index = _position(case, occurrence) if occurrence is not None else None
    satisfied = _find_satisfaction(version, case, moment, occurrence, after_index)
    if satisfied is not None and end is not None and _position(case, end) < _position(case, satisfied):
        satisfied = None  # the series had already ended: a later event answers nothing that was still owed

    # clock start: the trigger, or the latest restart before the obligation was met
    clock_start, start_reason = moment, scheduled_start or _start_reason(version, label)
    for restart in version.restarts:
        for event_type in restart.matcher.types:
            for o in case.by_type.get(event_type, ()):
                if o.at < clock_start or (satisfied is not None and o.at > satisfied.at):
                    continue
                if _matches(restart.matcher, case, o):
                    clock_start = o.at
                    start_reason = f"restarted by {_title(version, o.type)} on {format_date(o.date)}: {restart.reason}"

    # pauses count only if they begin while the clock is still running (on or before the running due date)
    pauses: list[ClosedPause] = []
    start_date = case.date_of(clock_start)
    work = compute_deadline(spec, count, clock_start, start_reason, [], version.at_risk,  # type: ignore[arg-type]
                            variant=variant, start_date=start_date)
    for pause in _pauses(version, case, clock_start, satisfied):
        if pause.period.start > work.due_date:
            continue
        if pause.period.end is None:
            return _simple(rule, version, case, instance, State.PAUSED,
                           [Reason("paused", f"the clock stopped on {format_date(pause.period.start)}: "
                                   f"{pause.reason_text}")],
                           trigger, variant=variant[0] if variant else None)
        pauses.append(pause)
        work = compute_deadline(spec, count, clock_start, start_reason, pauses, version.at_risk,  # type: ignore[arg-type]
                                variant=variant, start_date=start_date)
    for extension in version.extensions:
        ext = _find(extension.matcher, case, clock_start)
        if ext is None or (satisfied is not None and ext.at > satisfied.at):
            continue
        if extension.only_if_before_deadline and ext.at >= work.breach_at:
            work = compute_deadline(spec, count, clock_start, start_reason, pauses, version.at_risk,  # type: ignore[arg-type]
                                    variant=variant, start_date=start_date, extension_ignored=(
                                        f"{_title(version, ext.type)} on {format_date(ext.date)} came after the deadline "
                                        f"of {format_date(work.due_date)}, so it does not extend it"))
            continue
        longer = spec.changed(extension.change)  # type: ignore[attr-defined]
        new_count = longer.count if isinstance(longer.count, int) else count
        work = compute_deadline(longer, new_count, clock_start, start_reason, pauses, version.at_risk,
                                variant=variant, start_date=start_date, extension=(
                                    f"extended to {unit_text(new_count, longer.unit)} by {_title(version, ext.type)} "
                                    f"on {format_date(ext.date)}: {extension.reason}"))
        break

    common = dict(
        triggered_at=moment, trigger_event=label, trigger_title=_start_reason(version, label, occurrence),
        due_date=work.due_date, due_at=work.breach_at, deadline=work,
        variant=variant[0] if variant else None,
    )
    base = (case.snapshot.case_id, rule.id, rule.source.title, version.valid_from, instance)
    if satisfied is not None:
        on_time = satisfied.at < work.breach_at
        return Obligation(*base, State.SATISFIED, Timeliness.ON_TIME if on_time else Timeliness.SATISFIED_LATE,
                          satisfied_at=satisfied.at, satisfied_by=satisfied.ref,
                          satisfied_by_title=version.titles.get(satisfied.type, satisfied.type), **common)  # type: ignore[arg-type]
    needed = _needed(version, case, occurrence, work.due_date)
    if end is not None:
        reason = Reason("ended", f"ended by {_title(version, end.type)} on {format_date(end.date)}")
        if end.at >= work.breach_at:
            return Obligation(*base, State.OPEN, Timeliness.OVERDUE, reasons=(reason,), needed=needed,
                              ended_by=end.ref, **common)  # type: ignore[arg-type]
        return Obligation(*base, State.NOT_APPLICABLE, reasons=(reason,), ended_by=end.ref, **common)  # type: ignore[arg-type]
    as_of = case.as_of
    if as_of >= work.breach_at:
        timeliness, next_change = Timeliness.OVERDUE, None
    elif work.at_risk_from is not None and as_of >= work.at_risk_from:
        timeliness, next_change = Timeliness.AT_RISK, work.breach_at
    else:
        timeliness = Timeliness.ON_TIME
        next_change = work.at_risk_from if work.at_risk_from is not None else work.breach_at
    return Obligation(*base, State.OPEN, timeliness, next_change=next_change, needed=needed, **common)  # type: ignore[arg-type]


def _title(version: CompiledVersion, event_type: str) -> str:
    """An event type as people read it: its title from the vocabulary, quoted."""
    return f"'{version.titles.get(event_type, event_type)}'"


def _fact(version: CompiledVersion, name: str) -> str:
    return f"'{version.fact_titles.get(name, name)}'"


def _not_recorded(version: CompiledVersion, missing: Iterable[str]) -> str:
    return ", ".join(f"{_fact(version, m)} is not recorded" for m in missing)


def _start_reason(version: CompiledVersion, label: str | None, occurrence: Occurrence | None = None) -> str:
    """What started the clock, in words (event ids stay in ``trigger_event``, for JSON)."""
    if version.trigger_kind == "case_received":
        return "the case was received"
    if version.trigger_kind == "breach_of":
        return f"'{version.breach_of_title or version.breach_of}' went overdue"
    if occurrence is not None:
        return _title(version, occurrence.type)
    return _title(version, version.trigger.types[0]) if version.trigger else "an event"


def _find_satisfaction(version: CompiledVersion, case: CaseView, moment: dt.datetime,
                       occurrence: Occurrence | None, after_index: int | None) -> Occurrence | None:
    best: Occurrence | None = None
    for event_type in version.satisfied_by.types:
        for candidate in case.by_type.get(event_type, ()):
            if candidate.at < moment:
                continue
            if after_index is not None and _position(case, candidate) <= after_index:
                continue
            if version.satisfied_by.where is not None and not version.satisfied_by.where.test(case, candidate):
                continue
            if occurrence is not None and any(
                getattr(candidate.event, f, None) != getattr(occurrence.event, f, None) for f in version.same_as_trigger
            ):
                continue
            if best is None or _position(case, candidate) < _position(case, best):
                best = candidate
            break
    return best


def _pauses(version: CompiledVersion, case: CaseView, start: dt.datetime,
            satisfied: Occurrence | None) -> list[ClosedPause]:
    """Every pause after the clock start, in time order; an unfinished one has ``period.end`` None.

    A pause still open when the obligation was met is taken to end on the day it was met.
    """
    found: list[ClosedPause] = []
    for spec in version.pauses:
        cursor = start
        for stop in case.by_type.get(spec.start, ()):
            if stop.at < cursor or (satisfied is not None and stop.at > satisfied.at):
                continue
            resume = next((o for o in case.by_type.get(spec.until, ()) if o.at >= stop.at), None)
            if resume is None:
                if satisfied is not None:
                    period = PausePeriod(stop.date, satisfied.date, spec.reason, stop.ref, satisfied.ref)
                    found.append(ClosedPause(period, spec.include_from_day, False))
                else:
                    found.append(ClosedPause(PausePeriod(stop.date, None, spec.reason, stop.ref, None),
                                             spec.include_from_day, spec.include_until_day))
                break
            period = PausePeriod(stop.date, resume.date, spec.reason, stop.ref, resume.ref)
            found.append(ClosedPause(period, spec.include_from_day, spec.include_until_day))
            cursor = resume.at
    found.sort(key=lambda p: p.period.start)
    return found


def _needed(version: CompiledVersion, case: CaseView, occurrence: Occurrence | None, due: dt.date) -> str:
    detail = _static("needed", version, lambda: _needed_head(version))
    for name in version.same_as_trigger:
        value = getattr(occurrence.event, name, None) if occurrence is not None else None
        detail += f", for the same {name.replace('_', ' ')} ({value})"
    return f"{detail}, by the end of {format_date(due)}"


def _needed_head(version: CompiledVersion) -> str:
    matcher = version.satisfied_by
    detail = " or ".join(_title(version, t) for t in matcher.types)
    if matcher.where is not None:
        detail += f", where {describe(matcher.where)}"
    return f"{version.source.satisfied_by.description}: {detail}"
