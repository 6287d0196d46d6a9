"""A case's timeline for reports (``check --case ID``): its events and its obligations' dates, in time order.

Dates (``..._date``) are London dates, as deadlines are counted; instants (``..._at``) keep their offsets.
"""

from __future__ import annotations

from typing import Any

import orjson

from ..caseview import CaseView, london_date
from ..compiler import CompiledRulebook
from ..obligation import Evaluation
from .redact import REDACTED, PersonalData
from ..snapshot import CaseSnapshot


def case_timeline(book: CompiledRulebook, snapshot: CaseSnapshot, evaluation: Evaluation, where: str,
                  personal: PersonalData | None) -> dict[str, Any]:
    """Plain data (JSON-ready): the case, its events up to the as-of moment, and every obligation that applied."""
    view = CaseView(snapshot, evaluation.as_of)
    vocabulary = book.vocabulary
    facts = snapshot.facts.model_dump(exclude_none=True, mode="json") if snapshot.facts is not None else {}
    if personal is not None:
        facts = {k: (REDACTED if personal.is_personal_fact(k) else v) for k, v in facts.items()}
    events = []
    for occurrence in view.events:
        details = occurrence.event.model_dump(exclude_none=True, mode="json")
        fields = {k: v for k, v in details.items() if k not in ("id", "type", "at")}
        if personal is not None:
            fields = {k: (REDACTED if personal.is_personal_field(k) else v) for k, v in fields.items()}
        spec = vocabulary.events.get(occurrence.type)
        events.append({
            "ref": occurrence.ref,
            "type": occurrence.type,
            "title": spec.title if spec is not None else occurrence.type,
            "at": occurrence.at.isoformat(),
            "date": occurrence.date.isoformat(),
            "fields": fields,
        })
    obligations = []
    for o in evaluation.obligations:
        if o.triggered_at is None and o.due_date is None:
            continue  # never started: nothing to place on a timeline
        obligations.append({
            "rule": o.rule_id,
            "title": o.rule_title,
            "instance": o.instance,
            "status": o.status.value,
            "triggered_at": o.triggered_at.isoformat() if o.triggered_at else None,
            "triggered_date": london_date(o.triggered_at).isoformat() if o.triggered_at else None,
            "trigger": o.trigger_event,
            "due_date": o.due_date.isoformat() if o.due_date else None,
            "satisfied_at": o.satisfied_at.isoformat() if o.satisfied_at else None,
            "satisfied_date": london_date(o.satisfied_at).isoformat() if o.satisfied_at else None,
            "satisfied_by": o.satisfied_by,
            "variant": o.variant,
            "reasons": [r.text for r in o.reasons],
        })
    timeline = {
        "case_id": snapshot.case_id,
        "where": where,
        "kind": snapshot.kind,
        "received_at": snapshot.received_at.isoformat(),
        "received_date": london_date(snapshot.received_at).isoformat(),
        "as_of": evaluation.as_of.isoformat(),
        "as_of_date": london_date(evaluation.as_of).isoformat(),
        "facts": facts,
        "events": events,
        "obligations": obligations,
    }
    if personal is not None:
        raw = snapshot.model_dump(mode="json")
        scrubbed = personal.scrub_bytes(orjson.dumps(timeline), personal.values_in(raw))
        timeline = orjson.loads(scrubbed)
    return timeline
