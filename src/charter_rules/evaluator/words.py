"""How explanations name things: the vocabulary's titles (event types, facts, case kinds, rules), never ids.

Ids stay on the obligation (``trigger_event``, ``satisfied_by``, ``ended_by``) for JSON; these are the sentences.
"""

from __future__ import annotations

from typing import Iterable

from ..caseview import CaseView, Occurrence
from ..compiled import CompiledRule, CompiledVersion


def event_title(version: CompiledVersion, event_type: str) -> str:
    """An event type as people read it: its title from the vocabulary, quoted."""
    return f"'{version.titles.get(event_type, event_type)}'"


def fact_title(version: CompiledVersion, name: str) -> str:
    return f"'{version.fact_titles.get(name, name)}'"


def not_recorded(version: CompiledVersion, missing: Iterable[str]) -> str:
    """``'Victim's age at the time of the offence' is not recorded, ...``."""
    return ", ".join(f"{fact_title(version, m)} is not recorded" for m in missing)


def kind_text(rule: CompiledRule, kind: str) -> str:
    """``the rule is for 'Crime report' cases; this case is a 'Complaint'``."""
    wanted = " and ".join(f"'{rule.kind_titles.get(k, k)}'" for k in sorted(rule.kinds))
    return f"the rule is for {wanted} cases; this case is a '{rule.kind_titles.get(kind, kind)}'"


def start_words(version: CompiledVersion, label: str | None, occurrence: Occurrence | None = None) -> str:
    """What started the clock, in words (event ids stay in ``trigger_event``, for JSON): the event that started it,
    where one did (for a repeating rule, the event that met the previous occurrence or resumed the series)."""
    if occurrence is not None:
        return event_title(version, occurrence.type)
    if version.trigger_kind == "case_received":
        return "the case was received"
    if version.trigger_kind == "breach_of":
        return f"'{version.breach_of_title or version.breach_of}' went overdue"
    return event_title(version, version.trigger.types[0]) if version.trigger else "an event"


def trigger_words(version: CompiledVersion | None, case: CaseView, label: str | None) -> str | None:
    """What started an obligation, in words, from the label the evaluator keeps (an event id, or a phrase)."""
    if label == "case received":
        return "the case was received"
    if version is None:
        return None
    occurrence = next((o for o in case.events if o.ref == label), None)
    return start_words(version, label, occurrence)


def satisfied_title(version: CompiledVersion, occurrence: Occurrence) -> str:
    return version.titles.get(occurrence.type, occurrence.type)
