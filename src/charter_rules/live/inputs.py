"""Small helpers of the monitor: input checks, event digests, rule-book fingerprints, and the Update record."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import orjson
from pydantic import BaseModel

from ..compiled import CompiledRulebook
from ..errors import MonitorError, SnapshotError
from ..snapshot import CaseSnapshot, parse_snapshot
from .escalation import EscalationBook
from .notifications import Notification
from .transitions import Transition


@dataclass(frozen=True)
class Update:
    """What one call changed: transitions in the order they happened, and the escalations they caused."""

    transitions: tuple[Transition, ...] = ()
    notifications: tuple[Notification, ...] = ()
    duplicate: bool = False  # the input was already recorded: nothing changed
    warnings: tuple[str, ...] = ()  # problems recovered from (e.g. a matcher worker that crashed)

    def records(self) -> list[dict[str, Any]]:
        """JSON-ready records: each transition followed by the escalations it caused."""
        by_transition: dict[int, list[Notification]] = {}
        for n in self.notifications:
            by_transition.setdefault(id(n.transition), []).append(n)
        out: list[dict[str, Any]] = []
        for t in self.transitions:
            out.append(t.to_dict())
            out.extend(n.to_dict() for n in by_transition.get(id(t), ()))
        return out


def transition_order(t: Transition) -> tuple[Any, ...]:
    return (t.at, t.case_id, t.rule_id, t.instance, t.key, list(type(t.kind)).index(t.kind))


def fingerprint(book: CompiledRulebook, escalations: EscalationBook) -> str:
    """What the stored state depends on: every rule-book file, the interpretation settings chosen for the run (the
    same files read with another setting give other verdicts) and every escalation rule file."""
    hasher = hashlib.sha256()
    for key in sorted(book.rulebook.sources):
        path = Path(book.rulebook.sources[key].path)
        hasher.update(key.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"") + b"\0")
    hasher.update(settings_key(book).encode() + b"\0")
    hasher.update(escalations.fingerprint.encode())
    return hasher.hexdigest()


def what_changed(book: CompiledRulebook, stored_settings: str | None) -> str:
    """Why a store's fingerprint no longer matches, in words: the settings that differ (by title, then and now), or
    the files. ``stored_settings`` is the store's ``settings_key``, None for a store that did not keep it."""
    if stored_settings is None or stored_settings == settings_key(book):
        return "the rule book or escalation rules changed"
    then = dict(pair.split("=", 1) for pair in stored_settings.split(",") if "=" in pair)
    specs = {spec.id: spec for spec in book.rulebook.settings.settings}
    differ = []
    for setting in sorted(book.settings, key=lambda s: s.id):
        before = then.get(setting.id)
        if before == setting.value:
            continue
        spec = specs.get(setting.id)
        choice = spec.choices.get(before) if spec is not None and before is not None else None
        before_words = f"'{choice.title}'" if choice is not None else "not set" if before is None else repr(before)
        differ.append(f"'{setting.title}' was {before_words}, now '{setting.value_title}'")
    return "the interpretation settings changed (" + "; ".join(differ or ["a setting was removed"]) + ")"


def settings_key(book: CompiledRulebook) -> str:
    """The interpretation settings chosen for a run, as ``id=value`` pairs in id order (kept in a store's meta)."""
    return ",".join(f"{s.id}={s.value}" for s in sorted(book.settings, key=lambda s: s.id))


def _canonical(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat()
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and not -(2 ** 63) <= value < 2 ** 64:
        return str(value)  # JSON numbers past 64 bits cannot be written by orjson; their digits identify them
    return value


def digest(model: BaseModel) -> str:
    """One digest per event, whatever offset its times were written with: the same event posted twice matches."""
    return hashlib.sha256(orjson.dumps(_canonical(model.model_dump()), option=orjson.OPT_SORT_KEYS)).hexdigest()


def as_dict(value: Any, what: str) -> dict[str, Any]:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, Mapping):
        return dict(value)
    raise MonitorError(f"{what} must be a JSON object (a dict), got {type(value).__name__}")


def aware(moment: dt.datetime, what: str) -> dt.datetime:
    if not isinstance(moment, dt.datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise MonitorError(f"{what} must be a datetime with a UTC offset, got {moment!r}")
    return moment


def parse_with_event(data: dict[str, Any], book: CompiledRulebook, event_id: Any) -> CaseSnapshot:
    """Parse a case with a new last event; a problem in that event is reported as ``event 'id'``, field by field."""
    index = len(data["events"]) - 1
    try:
        return parse_snapshot(data, book.snapshot_model)
    except SnapshotError as exc:
        prefix = f"events[{index}]"
        problems = [
            dataclasses.replace(p, field=("event" + p.field[len(prefix):]) if p.field and p.field.startswith(prefix)
                                else p.field, path=p.path or f"event {event_id!r}")
            for p in exc.problems
        ]
        raise SnapshotError(problems, case_id=exc.case_id) from None
