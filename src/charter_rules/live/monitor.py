"""The live monitor: cases and their events in, transitions and escalations out, state kept in SQLite.

The evaluator stays the only judge of obligations. For every change the monitor re-evaluates the case from its
stored snapshot (so events posted out of order simply take their place in time), compares the obligations with the
ones it held, and reports the differences as transitions; escalation rules then say who must be told. Time comes
only from ``tick(now)``, an event's own time, or an explicit ``as_of``: nothing reads the clock.

Typical use::

    monitor = Monitor("cases.sqlite")
    monitor.put_case({"case_id": "CR-1", "kind": "crime_report", "received_at": "...", "facts": {...}})
    update = monitor.post("CR-1", {"id": "e1", "type": "suspect_arrested", "at": "...", "suspect": "S1"})
    for t in update.transitions: ...             # obligation opened: tell the victim by Tue 7 Apr
    monitor.tick(now)                            # at monitor.next_wake() or any later moment
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from pydantic import BaseModel

from .._api import default_rulebook
from ..caseview import CaseView, start_of_london_day
from ..compiled import CompiledRulebook
from ..errors import MonitorError
from ..evaluator import evaluate
from ..obligation import Evaluation, Obligation, State
from ..snapshot import CaseSnapshot, parse_snapshot
from .escalation import EscalationBook, load_escalations
from .facts import build_facts
from .inputs import (Update, aware, as_dict, digest, fingerprint, parse_with_event, settings_key, transition_order,
                     what_changed)
from .matchers import Matcher, MatcherChoice, select_matcher
from .notifications import Notification, notifications
from .progress import working_day_starts
from .store import CaseRow, Store, from_micros, to_micros
from .transitions import Step, Transition, diff, held_state, obligation_keys

__all__ = ["Monitor", "Update"]

TICK_CHUNK = 1000  # cases re-evaluated and matched together within one tick


class Monitor:
    """Keeps cases in a SQLite store and reports how their obligations change as events and time arrive.

    ``store``: a file path (state survives restarts) or ``":memory:"``. ``book``: the compiled rule book (default:
    the bundled one). ``escalations``: an ``EscalationBook``, a directory of escalation rules, ``None`` for the
    rule book's escalations/ directory, or ``False`` for none. ``matcher``: ``"auto"``, ``"python"``,
    ``"durable"`` or a matcher object (the caller then closes it). ``accept_rule_changes``: reopening a store
    made under other rules is an error unless this is true; then every case is re-evaluated on the next tick.
    """

    def __init__(self, store: str | Path = ":memory:", *, book: CompiledRulebook | None = None,
                 escalations: EscalationBook | str | Path | None | bool = None,
                 matcher: MatcherChoice | Matcher = "auto", accept_rule_changes: bool = False,
                 cache_size: int = 4096) -> None:
        self.book = book if book is not None else default_rulebook()
        if isinstance(escalations, EscalationBook):
            self.escalations = escalations
        elif escalations is False:
            self.escalations = EscalationBook()
        elif escalations is None or escalations is True:
            self.escalations = load_escalations(self.book)
        else:
            self.escalations = load_escalations(self.book, escalations)
        self._owns_matcher = isinstance(matcher, str)
        self.matcher: Matcher = select_matcher(self.escalations, matcher) if isinstance(matcher, str) else matcher
        try:
            self.store = Store(store)
        except MonitorError:
            self._close_matcher()
            raise
        self._cache: OrderedDict[str, tuple[int, CaseSnapshot]] = OrderedDict()
        self._cache_size = cache_size
        self._boundaries = {
            rule.id: sorted({start_of_london_day(v.valid_from) for v in rule.versions}
                            | {start_of_london_day(v.valid_to + dt.timedelta(days=1)) for v in rule.versions
                               if v.valid_to is not None})
            for rule in self.book.rules
        }
        current, settings = fingerprint(self.book, self.escalations), settings_key(self.book)
        stored = self.store.get_meta("fingerprint")
        if stored is not None and stored != current:
            if not accept_rule_changes:
                changed = what_changed(self.book, self.store.get_meta("settings"))
                self.close()
                raise MonitorError(f"{changed} since this store was written; open it with accept_rule_changes=True "
                                   "(--accept-rule-changes) to re-evaluate every case on the next tick")
            with self.store.transaction():
                self.store.wake_all()
                self.store.set_meta("fingerprint", current)
                self.store.set_meta("settings", settings)
        elif stored is None:
            with self.store.transaction():
                self.store.set_meta("fingerprint", current)
                self.store.set_meta("settings", settings)

    # --- lifecycle ------------------------------------------------------------------------------------------
    def _close_matcher(self) -> None:
        if self._owns_matcher:
            self.matcher.close()

    def close(self) -> None:
        self._close_matcher()
        self.store.close()

    def __enter__(self) -> "Monitor":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group many calls in one SQLite transaction (much faster for a bulk load). Each call inside is still all
        or nothing on its own; if the block ends with an exception, everything in it is undone."""
        try:
            with self.store.transaction():
                yield
        except BaseException:
            self._cache.clear()  # it may hold snapshots of changes just undone
            raise

    batch = transaction  # the earlier name, kept for existing callers

    # --- reading ----------------------------------------------------------------------------------------------
    @property
    def clock(self) -> dt.datetime | None:
        """The moment of the last tick (None before the first)."""
        value = self.store.get_meta("clock")
        return None if value is None else from_micros(int(value))

    def next_wake(self) -> dt.datetime | None:
        """The earliest moment at which some case can change by itself: call ``tick`` then (or later)."""
        return self.store.next_wake()

    def case_ids(self) -> list[str]:
        return self.store.case_ids()

    def _row(self, case_id: str) -> CaseRow:
        row = self.store.load(case_id)
        if row is None:
            raise MonitorError(f"unknown case {case_id!r}: post its case record first")
        return row

    def obligations(self, case_id: str) -> list[dict[str, Any]]:
        """The obligations the monitor holds for a case (as of ``case_as_of``), one record each."""
        return self._row(case_id).held

    def case_as_of(self, case_id: str) -> dt.datetime:
        return self._row(case_id).as_of

    def snapshot(self, case_id: str) -> CaseSnapshot:
        """The case as the monitor holds it: its record and every event posted, in arrival order."""
        return self._parse(self._row(case_id))

    def evaluation(self, case_id: str) -> Evaluation:
        """The full evaluation behind the held obligations (re-run at the case's as-of moment; it is pure)."""
        row = self._row(case_id)
        return evaluate(self.book, self._parse(row), as_of=row.as_of)

    def _parse(self, row: CaseRow) -> CaseSnapshot:
        cached = self._cache.get(row.case_id)
        if cached is not None and cached[0] == row.rev:
            self._cache.move_to_end(row.case_id)
            return cached[1]
        snapshot = parse_snapshot(row.snapshot, self.book.snapshot_model, source=f"monitor store case {row.case_id}")
        self._remember(row.case_id, row.rev, snapshot)
        return snapshot

    def _remember(self, case_id: str, rev: int, snapshot: CaseSnapshot) -> None:
        self._cache[case_id] = (rev, snapshot)
        self._cache.move_to_end(case_id)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    # --- evaluation steps -------------------------------------------------------------------------------------
    def _wake(self, snapshot: CaseSnapshot, evaluation: Evaluation) -> dt.datetime | None:
        as_of = evaluation.as_of
        candidates: list[dt.datetime] = []
        if evaluation.next_change is not None:
            candidates.append(evaluation.next_change)
        candidates.extend(e.at for e in snapshot.events if e.at > as_of)
        if snapshot.received_at > as_of:
            candidates.append(snapshot.received_at)
        milestones = self.escalations.milestones
        for o in evaluation.obligations:
            if o.triggered_at is None:  # a placeholder: its wording follows the rule version in force
                bounds = self._boundaries.get(o.rule_id, [])
                index = bisect.bisect_right(bounds, as_of)
                if index < len(bounds):
                    candidates.append(bounds[index])
            if milestones and o.state is State.OPEN and o.deadline is not None:
                for number in milestones.get(o.rule_id, ()) + milestones.get(None, ()):
                    start = working_day_starts(o.deadline, self.book.calendars[o.deadline.calendar], number)
                    if start is not None and start > as_of:
                        candidates.append(start)
        later = [c for c in candidates if c > as_of]
        return min(later) if later else None

    def _step(self, case_id: str, snapshot: CaseSnapshot, before: list[dict[str, Any]],
              old: CaseSnapshot | None, prev_as_of: dt.datetime | None, moment: dt.datetime, cause: str,
              event_id: str | None = None) -> tuple[list[Transition], Evaluation]:
        evaluation = evaluate(self.book, snapshot, as_of=moment)

        def previous() -> Mapping[str, Obligation]:
            assert old is not None and prev_as_of is not None
            obligations = evaluate(self.book, old, as_of=prev_as_of).obligations
            return dict(zip(obligation_keys(obligations), obligations))

        step = Step(case_id, snapshot.kind, before, evaluation, prev_as_of, cause, event_id)
        return diff(step, self.book.calendars, self.escalations.milestones, previous), evaluation

    def _facts(self, transitions: list[Transition], snapshot: CaseSnapshot,
               moment: dt.datetime) -> list[dict[str, Any]]:
        if not self.escalations.escalations or not transitions:
            return []
        return build_facts(transitions, snapshot, self.escalations.facts_used, self.escalations.checks,
                           lambda: CaseView(snapshot, moment))

    def _advance(self, row: CaseRow, new_snapshot: CaseSnapshot, new_json: dict[str, Any], moment: dt.datetime,
                 cause: str, event_id: str | None, pending: list[tuple[str, int, CaseSnapshot]]
                 ) -> tuple[list[Transition], list[dict[str, Any]]]:
        """Bring a stored case to ``moment`` (time first, then the change), save it, return transitions + facts."""
        old = self._parse(row)
        transitions: list[Transition] = []
        facts: list[dict[str, Any]] = []
        before, prev_as_of = row.held, row.as_of
        if row.wake is not None and row.wake <= moment and old is not new_snapshot:
            caught_up, evaluation = self._step(row.case_id, old, before, old, prev_as_of, moment, "time")
            transitions += caught_up
            facts += self._facts(caught_up, old, moment)
            before, prev_as_of = held_state(evaluation), moment
        changed, evaluation = self._step(row.case_id, new_snapshot, before, old, prev_as_of, moment, cause, event_id)
        transitions += changed
        facts += self._facts(changed, new_snapshot, moment)
        rev = row.rev + (0 if new_snapshot is old else 1)
        self.store.save(row.case_id, new_json, moment, self._wake(new_snapshot, evaluation), held_state(evaluation), rev)
        pending.append((row.case_id, rev, new_snapshot))
        return transitions, facts

    def _finish(self, transitions: list[Transition], facts: list[dict[str, Any]]) -> tuple[list[Notification], list[str]]:
        matches = self.matcher.match(facts) if facts else []
        incidents = self.matcher.take_incidents()
        return notifications(self.escalations, transitions, matches), incidents

    def _commit(self, pending: Iterable[tuple[str, int, CaseSnapshot]]) -> None:
        for case_id, rev, snapshot in pending:
            self._remember(case_id, rev, snapshot)

    # --- input ------------------------------------------------------------------------------------------------
    def _moment(self, as_of: dt.datetime | None, *candidates: dt.datetime | None) -> dt.datetime:
        if as_of is not None:
            return aware(as_of, "as_of")
        known = [c for c in candidates if c is not None]
        clock = self.clock
        if clock is not None:
            known.append(clock)
        return max(known)

    def put_case(self, record: Mapping[str, Any] | CaseSnapshot, *, as_of: dt.datetime | None = None) -> Update:
        """Create a case, or update the facts of one already held (events in the record are added like posts).

        Posting the same record again changes nothing (``Update.duplicate``). Every event needs an ``id``."""
        data = as_dict(record, "a case record")
        snapshot = parse_snapshot(data, self.book.snapshot_model, source="case record")
        for index, event in enumerate(snapshot.events):
            if event.id is None:
                raise MonitorError(f"case {snapshot.case_id!r}: events[{index}] has no 'id'; the monitor needs one "
                                   "to recognise an event posted twice")
        with self.store.transaction():
            row = self.store.load(snapshot.case_id)
            pending: list[tuple[str, int, CaseSnapshot]] = []
            if row is None:
                moment = self._moment(as_of, snapshot.received_at, *(e.at for e in snapshot.events))
                clock = self.clock
                if clock is not None and moment < clock:
                    raise MonitorError(f"case {snapshot.case_id!r} cannot be evaluated as of {moment.isoformat()}, "
                                       f"before the monitor's clock ({clock.isoformat()})")
                stored = snapshot.model_dump(mode="json", exclude_none=True)
                transitions, evaluation = self._step(snapshot.case_id, snapshot, [], None, None, moment, "case")
                for event in snapshot.events:
                    self.store.add_event(snapshot.case_id, event.id, digest(event))
                self.store.save(snapshot.case_id, stored, moment, self._wake(snapshot, evaluation),
                                held_state(evaluation), 0)
                pending.append((snapshot.case_id, 0, snapshot))
                facts = self._facts(transitions, snapshot, moment)
            else:
                merged = self._merge(row, snapshot)
                if merged is None:
                    return Update(duplicate=True)
                new_json, new_snapshot, added = merged
                moment = self._moment(as_of, row.as_of, *(e.at for e in added))
                self._check_not_before(row, moment)
                transitions, facts = self._advance(row, new_snapshot, new_json, moment, "case", None, pending)
            found, incidents = self._finish(transitions, facts)
        self._commit(pending)
        return Update(tuple(transitions), tuple(found), warnings=tuple(incidents))

    def _merge(self, row: CaseRow, snapshot: CaseSnapshot) -> tuple[dict[str, Any], CaseSnapshot, list[Any]] | None:
        stored = self._parse(row)
        added = []
        for event in snapshot.events:
            known = self.store.event_digest(row.case_id, event.id)
            if known is None:
                added.append(event)
            elif known != digest(event):
                raise MonitorError(f"case {row.case_id!r}: event {event.id!r} was already recorded with other details")
        head = snapshot.model_dump(mode="json", exclude_none=True, exclude={"events"})
        same_head = head == stored.model_dump(mode="json", exclude_none=True, exclude={"events"})
        if same_head and not added:
            return None
        for event in added:
            self.store.add_event(row.case_id, event.id, digest(event))
        events = list(row.snapshot.get("events", [])) + [e.model_dump(mode="json", exclude_none=True) for e in added]
        new_json = {**head, "events": events}
        return new_json, parse_snapshot(new_json, self.book.snapshot_model, source="case record"), added

    def _check_not_before(self, row: CaseRow, moment: dt.datetime) -> None:
        floor = max(row.as_of, self.clock or row.as_of)
        if moment < floor:
            raise MonitorError(f"case {row.case_id!r} is already evaluated as of {floor.isoformat()}; "
                               f"it cannot be evaluated as of the earlier {moment.isoformat()}")

    def validate_event(self, case_id: str, event: Mapping[str, Any] | BaseModel) -> Any:
        """Check an event of a held case without recording it; returns the validated event.

        Raises MonitorError (unknown case, no id) or SnapshotError (naming every field at fault)."""
        data = as_dict(event, "an event")
        event_id = data.get("id")
        if not isinstance(event_id, str) or not event_id:
            raise MonitorError(f"case {case_id!r}: the event has no 'id'; the monitor needs one to recognise an "
                               "event posted twice")
        head = {k: v for k, v in self._row(case_id).snapshot.items() if k != "events"}
        return parse_with_event({**head, "events": [data]}, self.book, event_id).events[0]

    def post(self, case_id: str, event: Mapping[str, Any] | BaseModel, *, as_of: dt.datetime | None = None) -> Update:
        """Record one event of a case and report what it changed.

        The case is evaluated as of ``as_of``, by default the latest of the event's own time, the case's last
        evaluation and the last tick. An event posted twice (same case, same ``id``, same details) changes nothing;
        the same id with other details is an error. An event from the past takes its place in time."""
        data = as_dict(event, "an event")
        event_id = data.get("id")
        if not isinstance(event_id, str) or not event_id:
            raise MonitorError(f"case {case_id!r}: the event has no 'id'; the monitor needs one to recognise an "
                               "event posted twice")
        with self.store.transaction():
            row = self._row(case_id)
            head = {k: v for k, v in row.snapshot.items() if k != "events"}
            events = list(row.snapshot.get("events", []))
            known = self.store.event_digest(case_id, event_id)
            if known is not None:
                single = parse_with_event({**head, "events": [data]}, self.book, event_id)
                if known != digest(single.events[0]):
                    raise MonitorError(f"case {case_id!r}: event {event_id!r} was already recorded with other details")
                return Update(duplicate=True)
            new_snapshot = parse_with_event({**head, "events": events + [data]}, self.book, event_id)
            new_event = new_snapshot.events[-1]
            new_json = {**head, "events": events + [new_event.model_dump(mode="json", exclude_none=True)]}
            moment = self._moment(as_of, row.as_of, new_event.at)
            self._check_not_before(row, moment)
            self.store.add_event(case_id, event_id, digest(new_event))
            pending: list[tuple[str, int, CaseSnapshot]] = []
            transitions, facts = self._advance(row, new_snapshot, new_json, moment, "event", event_id, pending)
            found, incidents = self._finish(transitions, facts)
        self._commit(pending)
        return Update(tuple(transitions), tuple(found), warnings=tuple(incidents))

    def tick(self, now: dt.datetime) -> Update:
        """Move the clock to ``now`` and report every change time alone has made since each case's last look.

        Only cases whose stored wake time has come are re-evaluated (an indexed query)."""
        now = aware(now, "now")
        clock = self.clock
        if clock is not None and now < clock:
            raise MonitorError(f"the clock cannot go back: the last tick was at {clock.isoformat()}")
        all_transitions: list[Transition] = []
        all_found: list[Notification] = []
        warnings: list[str] = []
        pending: list[tuple[str, int, CaseSnapshot]] = []
        seen: set[str] = set()
        with self.store.transaction():
            while True:
                rows = [r for r in self.store.due(now, TICK_CHUNK)]
                if not rows:
                    break
                transitions: list[Transition] = []
                facts: list[dict[str, Any]] = []
                for row in rows:
                    if row.case_id in seen:  # pragma: no cover - a wake time is always after the as-of moment
                        raise AssertionError(f"case {row.case_id} woke twice in one tick")
                    seen.add(row.case_id)
                    snapshot = self._parse(row)
                    moment = max(now, row.as_of)
                    changed, evaluation = self._step(row.case_id, snapshot, row.held, snapshot, row.as_of, moment,
                                                     "time")
                    transitions += changed
                    facts += self._facts(changed, snapshot, moment)
                    self.store.save(row.case_id, row.snapshot, moment, self._wake(snapshot, evaluation),
                                    held_state(evaluation), row.rev)
                found, incidents = self._finish(transitions, facts)
                all_transitions += transitions
                all_found += found
                warnings += incidents
            self.store.set_meta("clock", str(to_micros(now)))
        self._commit(pending)
        all_transitions.sort(key=transition_order)
        rank = {id(t): i for i, t in enumerate(all_transitions)}
        all_found.sort(key=lambda n: (rank[id(n.transition)], n.escalation_id))
        return Update(tuple(all_transitions), tuple(all_found), warnings=tuple(warnings))

    def remove_case(self, case_id: str) -> bool:
        """Forget a case and its events (for example when it is closed and retention ends)."""
        with self.store.transaction():
            gone = self.store.remove(case_id)
        self._cache.pop(case_id, None)
        return gone
