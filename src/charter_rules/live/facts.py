"""The flat *transition fact*: one record per transition holding every value an escalation condition may test.

Both matchers read exactly this record, so they cannot disagree about the data, only about the logic (and the tests
check that they do not). Values are JSON scalars: dates as ``YYYY-MM-DD``, times as UTC ISO strings, so string order
is time order. A value that is not known is left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..caseview import CaseView
from ..obligation import STATUS_NAMES
from ..predicates import Predicate
from ..snapshot import CaseSnapshot
from .transitions import Transition, TransitionKind, iso_utc

FACT_PREFIX = "fact_"
CHECK_PREFIX = "check_"


@dataclass(frozen=True)
class FieldType:
    type: str  # string | integer | date
    enum: tuple[str, ...] | None
    description: str


STATUS_VALUES = STATUS_NAMES

# Fields of a transition that ``{field: ...}`` conditions may test. ``rule`` and ``case_kind`` values are checked
# against the rule book when escalation rules are loaded.
TRANSITION_FIELDS: dict[str, FieldType] = {
    "transition": FieldType("string", tuple(k.value for k in TransitionKind), "What happened (see `on`)."),
    "rule": FieldType("string", None, "Id of the rule whose obligation changed."),
    "instance": FieldType("integer", None, "Which obligation of that rule in the case (1, 2, ...)."),
    "case_kind": FieldType("string", None, "Kind of the case (crime_report, foi_request, ...)."),
    "status_before": FieldType("string", STATUS_VALUES, "Status before; not set if the obligation is new."),
    "status_after": FieldType("string", STATUS_VALUES, "Status after; not set if the obligation is gone."),
    "cause": FieldType("string", ("case", "event", "time"), "What made the change: a case record, an event, time."),
    "working_day": FieldType("integer", None, "Working day of the deadline's clock (the milestone, for working_day)."),
    "due_date": FieldType("date", None, "The due date, if the obligation has one."),
    "case_overdue_before": FieldType("integer", None, "Overdue duties of the case just before this transition."),
    "case_overdue_count": FieldType("integer", None, "Overdue duties of the case just after this transition."),
    "variant": FieldType("string", None, "The deadline variant that applies (e.g. enhanced_rights)."),
    "waiver": FieldType("string", None, "The waiver that applies, if waived."),
}


def fact_value(value: Any) -> Any:
    """A case fact as a JSON scalar (lists are kept: conditions on them are precomputed checks)."""
    if isinstance(value, dt.datetime):
        return iso_utc(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [fact_value(v) for v in value]
    return value


def transition_fields(t: Transition) -> dict[str, Any]:
    o = t.obligation
    values: dict[str, Any] = {
        "transition": t.kind.value,
        "rule": t.rule_id,
        "instance": t.instance,
        "case_kind": t.case_kind,
        "status_before": t.status_before.value if t.status_before else None,
        "status_after": t.status_after.value if t.status_after else None,
        "cause": t.cause,
        "working_day": t.working_day,
        "due_date": o.due_date.isoformat() if o.due_date else None,
        "case_overdue_before": t.case_overdue_before,
        "case_overdue_count": t.case_overdue_count,
        "variant": o.variant,
        "waiver": o.waiver,
    }
    return {k: v for k, v in values.items() if v is not None}


def build_facts(transitions: list[Transition], snapshot: CaseSnapshot, facts_used: Mapping[str, str],
                checks: Mapping[str, Predicate], view: Callable[[], CaseView]) -> list[dict[str, Any]]:
    """The flat facts of one case's transitions. ``facts_used`` maps property -> case fact name; ``checks`` maps
    property -> a rule-book predicate decided on the case as of the transitions' moment (``view``)."""
    case_values: dict[str, Any] = {}
    for prop, name in facts_used.items():
        value = getattr(snapshot.facts, name, None)
        if value is not None:
            case_values[prop] = fact_value(value)
    if checks:
        case_view = view()
        for prop, predicate in checks.items():
            result = predicate.test(case_view, None)
            if result is not None:
                case_values[prop] = bool(result)
    return [{**transition_fields(t), **case_values} for t in transitions]
