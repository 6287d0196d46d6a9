"""Whether a rule version applies to a case, whether an exception waives it (and from which moment), and which
deadline variant holds. These depend only on the case, so they are decided once per version per evaluation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..caseview import CaseView, Occurrence
from ..compiled import CompiledRule, CompiledVersion, DeadlineSpec, WaiverSpec
from ..errors import RuleConflictError
from ..obligation import Obligation, Reason, State
from .build import Trigger, obligation_without_deadline
from .words import not_recorded

ONE_MICROSECOND = dt.timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class WaiverFrom:
    """A waiver that acts from a moment: the event that made its condition true."""

    waiver: WaiverSpec
    event: Occurrence

    @property
    def at(self) -> dt.datetime:
        return self.event.at


@dataclass(frozen=True, slots=True)
class DeadlineTerms:
    """What an applicable version owes this case: the deadline, the variant that set it, a waiver from a moment."""

    spec: DeadlineSpec
    variant: tuple[str, str] | None  # (name, reason)
    waiver: WaiverFrom | None


def terms_for(rule: CompiledRule, version: CompiledVersion, case: CaseView, instance: int,
              trigger: Trigger) -> Obligation | DeadlineTerms:
    """A finished obligation (not applicable, waived from the start, indeterminate), or the terms to work out."""
    known = case.memo.get(id(version))
    if known is not None:
        return known  # type: ignore[return-value]
    decided = decide_terms(rule, version, case, instance, trigger)
    if not isinstance(decided, Obligation):
        case.memo[id(version)] = decided
    return decided


def decide_terms(rule: CompiledRule, version: CompiledVersion, case: CaseView, instance: int,
                 trigger: Trigger) -> Obligation | DeadlineTerms:
    not_owed = applicability(rule, version, case, instance, trigger)
    if not_owed is not None:
        return not_owed
    unknown: list[str] = []
    waived = waiver_in_force(rule, version, case, instance, trigger, unknown)
    if isinstance(waived, Obligation):
        return waived
    chosen = []
    for variant in version.variants:
        result = variant.when.test(case, None)
        if result:
            chosen.append(variant)
        elif result is None:
            unknown.extend(variant.when.trace(case, None).all_missing())
    if unknown:
        missing = tuple(dict.fromkeys(unknown))
        return obligation_without_deadline(
            rule, version, case, instance, State.INDETERMINATE,
            [Reason("missing_fact", "cannot tell which deadline applies or whether it is waived: "
                    + not_recorded(version, missing), missing=missing)], trigger)
    if len({v.change for v in chosen}) > 1:
        names = tuple(v.name for v in chosen)
        raise RuleConflictError(
            "variants " + " and ".join(repr(n) for n in names) + " both apply but set different deadlines; "
            "make their conditions exclusive in the rule file",
            rule_id=rule.id, case_id=case.snapshot.case_id, names=names)
    if not chosen:
        return DeadlineTerms(version.deadline, None, waived)
    variant = (" + ".join(v.name for v in chosen), chosen[0].reason)
    return DeadlineTerms(version.deadline.changed(chosen[0].change), variant, waived)


def applicability(rule: CompiledRule, version: CompiledVersion, case: CaseView, instance: int,
                  trigger: Trigger) -> Obligation | None:
    """None when the version applies to the case; otherwise the obligation saying why not (or that it cannot tell)."""
    applies = version.applies.test(case, None)
    if applies is True:
        return None
    trace = version.applies.trace(case, None)
    if applies is None:
        missing = trace.all_missing()
        return obligation_without_deadline(
            rule, version, case, instance, State.INDETERMINATE,
            [Reason("missing_fact", "cannot tell whether the rule applies: "
                    + not_recorded(version, missing), missing=missing)], trigger)
    return obligation_without_deadline(
        rule, version, case, instance, State.NOT_APPLICABLE,
        [Reason("condition", f"the rule applies only if {leaf.text}", seen=leaf.seen) for leaf in trace.failing_leaves()],
        trigger)


def waiver_in_force(rule: CompiledRule, version: CompiledVersion, case: CaseView, instance: int, trigger: Trigger,
                    unknown: list[str]) -> Obligation | WaiverFrom | None:
    """The first waiver whose condition holds: a waived obligation if it holds from the start, else the moment it
    took effect. Waivers that cannot be decided add their missing facts to ``unknown``."""
    for waiver in version.waivers:
        result = waiver.when.test(case, None)
        if result:
            event = None if waiver.from_start else moment_it_became_true(waiver, case)
            if event is None:
                return obligation_without_deadline(rule, version, case, instance, State.WAIVED,
                                                   [Reason("waiver", waiver.reason)], trigger, waiver=waiver.name)
            return WaiverFrom(waiver, event)
        if result is None:
            unknown.extend(waiver.when.trace(case, None).all_missing())
    return None


def moment_it_became_true(waiver: WaiverSpec, case: CaseView) -> Occurrence | None:
    """The earliest event after which the waiver's condition holds; None if it held before any event it looks at
    (a condition on facts alone holds from the start)."""
    relevant = sorted((o for t in waiver.event_types for o in case.by_type.get(t, ())), key=lambda o: o.order)
    if not relevant:
        return None
    snapshot = case.snapshot
    if waiver.when.test(CaseView(snapshot, relevant[0].at - ONE_MICROSECOND), None):
        return None
    for occurrence in relevant:
        if waiver.when.test(CaseView(snapshot, occurrence.at), None):
            return occurrence
    return relevant[-1]  # pragma: no cover - the condition holds at the as-of moment, so it held after the last one
