"""What would meet an obligation, in one plain sentence with the vocabulary's titles, never its ids.

"Record 'Victim informed': the victim is told of the arrest, for suspect S1, by the end of Mon 13 Apr 2026."
"""

from __future__ import annotations

from typing import Any

from ..calendars import format_date
from ..compiled import CompiledRulebook
from ..obligation import Obligation
from ..snapshot import CaseSnapshot
from .words import event_title


def action_sentence(book: CompiledRulebook, obligation: Obligation, snapshot: CaseSnapshot) -> str:
    rule = book.by_id.get(obligation.rule_id)
    version = None
    if rule is not None:
        version = next((v for v in rule.versions if v.valid_from == obligation.version), None)
    if version is None:  # not expected for an owed obligation; fall back to the evaluator's own words
        return (obligation.needed or obligation.rule_title).rstrip(".") + "."
    titles = " or ".join(f"'{event_title(book, t)}'" for t in version.satisfied_by.types)
    what = version.source.satisfied_by.description
    sentence = f"Record {titles}: {what}"
    trigger = _trigger_event(snapshot, obligation.trigger_event)
    for name in version.same_as_trigger:
        value = getattr(trigger, name, None) if trigger is not None else None
        if value is not None:
            sentence += f", for {name.replace('_', ' ')} {value}"
    if obligation.due_date is not None:
        sentence += f", by the end of {format_date(obligation.due_date)}"
    return sentence + "."


def _trigger_event(snapshot: CaseSnapshot, ref: str | None) -> Any:
    if ref is None:
        return None
    for index, event in enumerate(snapshot.events):
        if event.id == ref or (event.id is None and ref == f"events[{index}]"):
            return event
    return None
