"""What-if: evaluate a case with events added or removed, and say which obligations that changes.

Both the case as recorded and the edited case are evaluated at the same moment: the as-of moment, or the time of
the latest event added if that is later (an event tomorrow is only seen tomorrow). Only obligations whose status,
due date or time met changes are reported, each before and after in a plain sentence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..compiled import CompiledRulebook
from ..errors import Problem, SnapshotError
from ..evaluator import evaluate
from ..explain import format_moment
from ..obligation import Evaluation, Obligation
from ..snapshot import CaseSnapshot, parse_snapshot
from .words import event_title, obligation_label, signature, standing

SOURCE = "--what-if"


@dataclass(frozen=True)
class CaseEdit:
    """One change to a case: an event to add (its fields as in a case snapshot) or the id of one to remove."""

    add: dict[str, Any] | None = None
    remove: str | None = None

    def describe(self, book: CompiledRulebook) -> str:
        if self.remove is not None:
            return f"event {self.remove} had not been recorded"
        assert self.add is not None
        when = self.add.get("at")
        moment = dt.datetime.fromisoformat(str(when).replace("Z", "+00:00")) if when else None
        at = f" at {format_moment(moment)}" if moment and moment.tzinfo else ""
        details = [f"{k.replace('_', ' ')} {v}" for k, v in self.add.items() if k not in ("id", "type", "at", "note")]
        extra = f" ({', '.join(details)})" if details else ""
        return f"'{event_title(book, str(self.add.get('type')))}'{extra} were recorded{at}"


def parse_edit(data: Any) -> CaseEdit:
    """``{"remove": "e5"}`` or an event ``{"type": ..., "at": ..., ...}``; anything else is refused, clearly."""
    if not isinstance(data, dict):
        raise SnapshotError(Problem("a what-if must be a JSON object: an event {\"type\": ..., \"at\": ...} or "
                                    "{\"remove\": \"EVENT_ID\"}", path=SOURCE))
    if "remove" in data:
        if set(data) != {"remove"} or not isinstance(data["remove"], str):
            raise SnapshotError(Problem("{\"remove\": ...} takes one event id and nothing else", path=SOURCE,
                                        field="remove"))
        return CaseEdit(remove=data["remove"])
    for needed in ("type", "at"):
        if needed not in data:
            raise SnapshotError(Problem(f"an added event needs '{needed}'", path=SOURCE, field=needed,
                                        hint="e.g. {\"type\": \"victim_informed\", \"at\": \"2026-04-14T10:00:00+01:00\"}"))
    return CaseEdit(add=dict(data))


def edited(book: CompiledRulebook, snapshot: CaseSnapshot, edits: list[CaseEdit]) -> tuple[CaseSnapshot, set[str]]:
    """The case with the edits made, validated against the vocabulary like any case, and the ids of events added."""
    data = snapshot.model_dump(mode="json", exclude_none=True)
    events: list[dict[str, Any]] = data.setdefault("events", [])
    used = {e.get("id") for e in events}
    added: set[str] = set()
    for number, edit in enumerate(edits, 1):
        if edit.remove is not None:
            kept = [e for e in events if e.get("id") != edit.remove]
            if len(kept) == len(events):
                raise SnapshotError(Problem(f"case {snapshot.case_id} has no event with id {edit.remove!r}",
                                            path=SOURCE, field="remove", hint="give the id of a recorded event"),
                                    case_id=snapshot.case_id)
            events[:] = kept
            continue
        event = dict(edit.add or {})
        if "id" not in event:
            event_id = f"what-if-{number}"
            while event_id in used:
                event_id += "'"
            event["id"] = event_id
        used.add(event["id"])
        added.add(str(event["id"]))
        events.append(event)
    return parse_snapshot(data, book.snapshot_model, source=SOURCE), added


@dataclass(frozen=True)
class WhatIfChange:
    rule_id: str
    instance: int
    before: Obligation | None
    after: Obligation | None
    text: str


@dataclass(frozen=True)
class WhatIf:
    case_id: str
    as_of: dt.datetime  # the moment both are evaluated at
    edits: tuple[CaseEdit, ...]
    premise: str  # "If 'Victim informed' were recorded at ...": the edits in words
    changes: tuple[WhatIfChange, ...]
    unaffected: int  # obligations owed or met in the case that the edits leave as they were
    before: Evaluation
    after: Evaluation


def what_if(book: CompiledRulebook, snapshot: CaseSnapshot, edits: list[CaseEdit | dict[str, Any]], *,
            as_of: dt.datetime) -> WhatIf:
    """Evaluate ``snapshot`` as recorded and with ``edits`` made, at the same moment, and say what differs."""
    parsed = [e if isinstance(e, CaseEdit) else parse_edit(e) for e in edits]
    changed, added = edited(book, snapshot, parsed)
    moment = max([as_of, *(e.at for e in changed.events if e.id in added)])
    before = evaluate(book, snapshot, as_of=moment)
    after = evaluate(book, changed, as_of=moment)
    premise = "If " + " and ".join(e.describe(book) for e in parsed)
    changes, unaffected = _compare(book, before, after)
    return WhatIf(snapshot.case_id, moment, tuple(parsed), premise, tuple(changes), unaffected, before, after)


def _compare(book: CompiledRulebook, before: Evaluation, after: Evaluation) -> tuple[list[WhatIfChange], int]:
    old = {(o.rule_id, o.instance): o for o in before.obligations}
    new = {(o.rule_id, o.instance): o for o in after.obligations}
    changes: list[WhatIfChange] = []
    unaffected = 0
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a is not None and b is not None and signature(a) == signature(b):
            if a.status.value not in ("not_applicable",):
                unaffected += 1
            continue
        label = obligation_label(b or a)  # type: ignore[arg-type]
        if b is None:
            text = f"{label} would no longer arise (it was {standing(a, book)})"
        elif a is None:
            text = f"{label} would arise: {standing(b, book)}"
        else:
            text = f"{label} would be {standing(b, book)} (instead of {standing(a, book)})"
        changes.append(WhatIfChange(key[0], key[1], a, b, text))
    return changes, unaffected


def what_if_text(result: WhatIf) -> str:
    """The what-if in sentences, for people."""
    lines = [f"Case {result.case_id}, compared at {format_moment(result.as_of)}.", result.premise + ":"]
    if not result.changes:
        lines.append("  nothing would change.")
    lines.extend(f"  - {c.text}." for c in result.changes)
    if result.unaffected:
        noun = "obligation is" if result.unaffected == 1 else "obligations are"
        lines.append(f"{result.unaffected} other {noun} unaffected.")
    return "\n".join(lines) + "\n"
