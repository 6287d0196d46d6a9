"""Small pieces every step shares: matching events, texts kept on the compiled rule, obligations with no deadline."""

from __future__ import annotations

import datetime as dt
from typing import Callable, Iterable, TypeVar

from ..caseview import CaseView, Occurrence
from ..compiled import CompiledRule, CompiledVersion, DeadlineSpec, EventMatcher
from ..obligation import DUTY_ORDER, DutyKind, Obligation, Reason, State
from ..predicates import describe
from .words import event_title, kind_text, trigger_words

T = TypeVar("T")
Trigger = tuple[dt.datetime, "str | None"]  # when the obligation started, and how explanations name what started it
_DUTY_RANK = {duty: rank for rank, duty in enumerate(DUTY_ORDER)}


def kept_text(owner: CompiledRule | CompiledVersion, key: str, make: Callable[[], T]) -> T:
    """``make()``, worked out once and kept on the compiled rule or version it describes."""
    texts = owner.texts
    found = texts.get(key)
    if found is None:
        found = texts[key] = make()
    return found  # type: ignore[return-value]


def clause(text: str) -> str:
    """A rule file's sentence made fit to sit inside a longer one (no closing full stop)."""
    return text.strip().rstrip(".")


def duty_of(version: CompiledVersion, spec: DeadlineSpec | None = None) -> DutyKind:
    """The weaker of the version's kind of duty and that of the parameter setting the deadline's count."""
    duty = version.duty
    if spec is not None and spec.count_duty is not None and _DUTY_RANK[spec.count_duty] > _DUTY_RANK[duty]:
        return spec.count_duty
    return duty


def not_for_this_kind(rule: CompiledRule, case: CaseView) -> Obligation:
    kind = case.snapshot.kind
    reason = kept_text(rule, "kind:" + kind, lambda: Reason("case_kind", kind_text(rule, kind), seen=kind))
    version = rule.version_on(case.as_of_date) or rule.versions[-1]
    return Obligation(case.snapshot.case_id, rule.id, rule.source.title, version.valid_from, 1,
                      State.NOT_APPLICABLE, reasons=(reason,), duty=version.duty)


def obligation_without_deadline(rule: CompiledRule, version: CompiledVersion | None, case: CaseView, instance: int,
                                state: State, reasons: Iterable[Reason], trigger: Trigger | None = None,
                                **extra: object) -> Obligation:
    """An obligation decided before any deadline is worked out (not applicable, waived, indeterminate, ...)."""
    return Obligation(
        case.snapshot.case_id, rule.id, rule.source.title, version.valid_from if version else None, instance, state,
        triggered_at=trigger[0] if trigger else None, trigger_event=trigger[1] if trigger else None,
        trigger_title=trigger_words(version, case, trigger[1]) if trigger else None,
        reasons=tuple(reasons), duty=version.duty if version else None, **extra,  # type: ignore[arg-type]
    )


def matches(matcher: EventMatcher, case: CaseView, occurrence: Occurrence) -> bool | None:
    if occurrence.type not in matcher.types:
        return False
    return True if matcher.where is None else matcher.where.test(case, occurrence)


def matching_events(matcher: EventMatcher, case: CaseView, after: dt.datetime) -> list[Occurrence]:
    """Every event matching ``matcher`` at or after ``after``, in time order."""
    found = [o for t in matcher.types for o in case.by_type.get(t, ())
             if o.at >= after and (matcher.where is None or matcher.where.test(case, o))]
    if len(matcher.types) > 1:
        found.sort(key=lambda o: o.order)
    return found


def first_match(matcher: EventMatcher, case: CaseView, after: dt.datetime) -> Occurrence | None:
    """The first event matching ``matcher`` at or after ``after``."""
    best: Occurrence | None = None
    for event_type in matcher.types:
        for occurrence in case.by_type.get(event_type, ()):
            if occurrence.at < after:
                continue
            if matcher.where is not None and not matcher.where.test(case, occurrence):
                continue
            if best is None or occurrence.order < best.order:
                best = occurrence
            break
    return best


def find_satisfaction(version: CompiledVersion, case: CaseView, moment: dt.datetime,
                      trigger_event: Occurrence | None) -> Occurrence | None:
    """The first event that meets the obligation: at or after its start, after the event that started it.

    An event of another type at the very same instant as the event that started it counts too: the order of events
    at one instant (by type, then id) says nothing about which came first, and an answer given at the moment of the
    request is not late. Not for a repeating obligation, whose next occurrence starts at the event that met this one:
    there each must come after the one before, or two events at one instant would start each other's occurrences
    without end."""
    after_index = trigger_event.order if trigger_event is not None else None
    # the instant and type of the event that started it, when another type at that instant may meet it
    same_instant = (trigger_event.at, trigger_event.type) if trigger_event is not None and not version.recurring \
        else None
    best: Occurrence | None = None
    for event_type in version.satisfied_by.types:
        for candidate in case.by_type.get(event_type, ()):
            if candidate.at < moment:
                continue
            if after_index is not None and candidate.order <= after_index and not (
                    same_instant is not None and candidate.at == same_instant[0] and candidate.type != same_instant[1]):
                continue
            if version.satisfied_by.where is not None and not version.satisfied_by.where.test(case, candidate):
                continue
            if trigger_event is not None and any(
                getattr(candidate.event, f, None) != getattr(trigger_event.event, f, None)
                for f in version.same_by_type.get(candidate.type, version.same_as_trigger)
            ):
                continue
            if best is None or candidate.order < best.order:
                best = candidate
            break
    return best


def still_needed(version: CompiledVersion, trigger_event: Occurrence | None, due: str) -> str:
    """What would meet an open obligation, in words."""
    detail = kept_text(version, "needed", lambda: _needed_head(version))
    for name in version.same_as_trigger:
        value = getattr(trigger_event.event, name, None) if trigger_event is not None else None
        detail += f", for the same {name.replace('_', ' ')} ({value})"
    return f"{detail}, by the end of {due}"


def _needed_head(version: CompiledVersion) -> str:
    matcher = version.satisfied_by
    detail = " or ".join(event_title(version, t) for t in matcher.types)
    if matcher.where is not None:
        detail += f", where {describe(matcher.where)}"
    return f"{version.source.satisfied_by.description}: {detail}"
