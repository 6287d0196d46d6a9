"""One occurrence of an obligation, step by step: terms, clock start, restarts, pauses, extensions, status."""

from __future__ import annotations

import datetime as dt

from ..caseview import CaseView, Occurrence
from ..compiled import CompiledRule, CompiledVersion
from ..obligation import Obligation, Reason, State
from .applicability import terms_for
from .build import find_satisfaction, obligation_without_deadline
from .clock import Clock, Stopped, apply_extensions, apply_pauses, apply_restarts, deadline_count, start_reason
from .status import decide_status, stopped_obligation, waive_from_moment
from .words import fact_title


def one_occurrence(rule: CompiledRule, version: CompiledVersion, case: CaseView, instance: int, moment: dt.datetime,
                   trigger_event: Occurrence | None, label: str | None, end: Occurrence | None,
                   scheduled_start: str | None = None) -> Obligation:
    """The obligation started at ``moment`` (by ``trigger_event`` if an event), as it stands at the as-of moment."""
    trigger = (moment, label)
    terms = terms_for(rule, version, case, instance, trigger)
    if isinstance(terms, Obligation):
        return terms
    count = deadline_count(terms.spec, case)
    if count is None:
        fact = terms.spec.count
        return obligation_without_deadline(
            rule, version, case, instance, State.INDETERMINATE,
            [Reason("missing_fact", f"the deadline is set by {fact_title(version, fact)}, which is not recorded",
                    missing=(str(fact),))], trigger)
    satisfied = met_by(version, case, moment, trigger_event, end)
    clock = Clock(terms.spec, count, moment, scheduled_start or start_reason(version, label, trigger_event), case.date_of(moment),
                  version.at_risk, terms.variant)
    apply_restarts(version, case, clock, satisfied)
    work, spec = apply_pauses(version, case, clock, satisfied), terms.spec
    if not isinstance(work, Stopped):
        work, spec = apply_extensions(version, case, clock, work, satisfied)
    if isinstance(work, Stopped):
        obligation = stopped_obligation(rule, version, case, instance, trigger, work, spec, terms.variant)
    else:
        obligation = decide_status(rule, version, case, instance, trigger, work, spec, terms.variant, satisfied, end,
                                   trigger_event)
    return obligation if terms.waiver is None else waive_from_moment(obligation, terms.waiver)


def met_by(version: CompiledVersion, case: CaseView, moment: dt.datetime, trigger_event: Occurrence | None,
           end: Occurrence | None) -> Occurrence | None:
    """The event that met the obligation, if any; none once the series had ended (it answers nothing owed)."""
    satisfied = find_satisfaction(version, case, moment, trigger_event)
    if satisfied is not None and end is not None and end.order < satisfied.order:
        return None
    return satisfied
