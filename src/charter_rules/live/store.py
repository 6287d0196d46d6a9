"""The monitor's state in SQLite (the standard library's sqlite3): a file, so a restarted service loses nothing.

Tables::

    meta    (key, value)                    schema version, monitor clock, rule book fingerprints
    cases   (case_id, snapshot, as_of, wake, held, rev)
            snapshot  the case record with every event, as posted (JSON)
            as_of     the moment the held obligations were evaluated at (microseconds since the epoch, UTC)
            wake      the next moment the case can change by itself, or NULL; indexed, so a tick reads only the
                      cases whose time has come
            held      the obligations of the last evaluation (JSON; see transitions.held_record)
    events  (case_id, event_id, digest)     every event id seen, to recognise an event posted twice

Every change happens inside one transaction (``with store.transaction():``), so a failure half-way leaves the
store as it was; transactions nest as savepoints.

One process at a time: a store file is locked (``<store>.lock``, holding the owner's process id) for as long as a
monitor has it open, so a second monitor on the same file stops at once with "in use by process N" instead of
failing later with "database is locked"; the lock goes with the process, however it ends. A store is checked when
opened (SQLite's quick_check): a damaged file, or an empty one, is an error naming it, never silently a new store.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import orjson

from ..errors import MonitorError

SCHEMA_VERSION = "1"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cases (
    case_id TEXT PRIMARY KEY,
    snapshot BLOB NOT NULL,
    as_of INTEGER NOT NULL,
    wake INTEGER,
    held BLOB NOT NULL,
    rev INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS cases_by_wake ON cases (wake) WHERE wake IS NOT NULL;
CREATE TABLE IF NOT EXISTS events (
    case_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (case_id, event_id)
) WITHOUT ROWID;
"""


def to_micros(moment: dt.datetime) -> int:
    delta = moment - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(value: int) -> dt.datetime:
    return EPOCH + dt.timedelta(microseconds=value)


@dataclass
class CaseRow:
    case_id: str
    snapshot: dict[str, Any]
    as_of: dt.datetime
    wake: dt.datetime | None
    held: list[dict[str, Any]]
    rev: int


class Store:
    """SQLite persistence for the monitor. ``path`` is a file, or ``":memory:"`` for a store that ends with it."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        self._lock: int | None = None
        if self.path != ":memory:":
            self._lock = _take_lock(self.path)
            if os.path.isfile(self.path) and os.path.getsize(self.path) == 0:
                self._release()
                raise MonitorError(f"{self.path} is an empty file, not a monitor store (a store is never empty); "
                                   "remove it to start a new store, or give the right file")
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=True)
        except sqlite3.Error as exc:
            self._release()
            raise MonitorError(f"cannot open the monitor store {self.path}: {exc}") from None
        self._depth = 0
        try:
            if self.path != ":memory:":
                self._db.execute("PRAGMA busy_timeout=5000")
                self._check_integrity()
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            version = self.get_meta("schema")
        except sqlite3.DatabaseError as exc:
            self.close()
            raise MonitorError(f"{self.path} is not a monitor store: {exc}") from None
        if version is None:
            self.set_meta("schema", SCHEMA_VERSION)
        elif version != SCHEMA_VERSION:
            self.close()
            raise MonitorError(f"{self.path} holds monitor store schema {version}; this version reads {SCHEMA_VERSION}")

    def _check_integrity(self) -> None:
        rows = [str(r[0]) for r in self._db.execute("PRAGMA quick_check(5)").fetchall()]
        if rows != ["ok"]:
            raise sqlite3.DatabaseError("the file is damaged (" + "; ".join(rows) + "); restore it from a backup")

    def close(self) -> None:
        self._db.close()
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)  # the lock goes with the file descriptor
            self._lock = None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing. A nested use is a savepoint: its failure undoes it alone (and the caller decides)."""
        if self._depth:
            name = f"sp{self._depth}"
            self._db.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._db.execute(f"ROLLBACK TO {name}")
                self._db.execute(f"RELEASE {name}")
                raise
            else:
                self._db.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1
            return
        self._db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")
        finally:
            self._depth = 0

    # meta
    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    # cases
    def _row(self, row: tuple[Any, ...]) -> CaseRow:
        case_id, snapshot, as_of, wake, held, rev = row
        try:
            return CaseRow(case_id, orjson.loads(snapshot), from_micros(as_of),
                           None if wake is None else from_micros(wake), orjson.loads(held), rev)
        except (orjson.JSONDecodeError, TypeError, OverflowError) as exc:
            raise MonitorError(f"{self.path}: the stored record of case {case_id!r} is damaged ({exc}); restore "
                               "the store from a backup") from None

    def load(self, case_id: str) -> CaseRow | None:
        row = self._db.execute("SELECT case_id, snapshot, as_of, wake, held, rev FROM cases WHERE case_id = ?",
                               (case_id,)).fetchone()
        return None if row is None else self._row(row)

    def save(self, case_id: str, snapshot: dict[str, Any], as_of: dt.datetime, wake: dt.datetime | None,
             held: list[dict[str, Any]], rev: int) -> None:
        self._db.execute(
            "INSERT INTO cases (case_id, snapshot, as_of, wake, held, rev) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (case_id) DO UPDATE SET snapshot = excluded.snapshot, as_of = excluded.as_of, "
            "wake = excluded.wake, held = excluded.held, rev = excluded.rev",
            (case_id, orjson.dumps(snapshot), to_micros(as_of), None if wake is None else to_micros(wake),
             orjson.dumps(held), rev))

    def remove(self, case_id: str) -> bool:
        gone = self._db.execute("DELETE FROM cases WHERE case_id = ?", (case_id,)).rowcount
        self._db.execute("DELETE FROM events WHERE case_id = ?", (case_id,))
        return bool(gone)

    def due(self, now: dt.datetime, limit: int) -> list[CaseRow]:
        """Cases whose wake time has come, earliest first (uses the wake index)."""
        rows = self._db.execute(
            "SELECT case_id, snapshot, as_of, wake, held, rev FROM cases WHERE wake IS NOT NULL AND wake <= ? "
            "ORDER BY wake, case_id LIMIT ?", (to_micros(now), limit)).fetchall()
        return [self._row(r) for r in rows]

    def next_wake(self) -> dt.datetime | None:
        row = self._db.execute("SELECT MIN(wake) FROM cases WHERE wake IS NOT NULL").fetchone()
        return None if row is None or row[0] is None else from_micros(row[0])

    def case_ids(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT case_id FROM cases ORDER BY case_id")]

    def count(self, as_of: dt.datetime | None = None) -> int:
        """How many cases are held (evaluated as of exactly ``as_of``, if given)."""
        if as_of is None:
            return int(self._db.execute("SELECT COUNT(*) FROM cases").fetchone()[0])
        return int(self._db.execute("SELECT COUNT(*) FROM cases WHERE as_of = ?", (to_micros(as_of),)).fetchone()[0])

    def wake_all(self) -> None:
        """Make every case due at once (after a rule book change)."""
        self._db.execute("UPDATE cases SET wake = as_of")

    # events
    def event_digest(self, case_id: str, event_id: str) -> str | None:
        row = self._db.execute("SELECT digest FROM events WHERE case_id = ? AND event_id = ?",
                               (case_id, event_id)).fetchone()
        return None if row is None else str(row[0])

    def add_event(self, case_id: str, event_id: str, digest: str) -> None:
        self._db.execute("INSERT INTO events (case_id, event_id, digest) VALUES (?, ?, ?)", (case_id, event_id, digest))


def _take_lock(path: str) -> int:
    """Lock ``path`` for this process (``<path>.lock``, holding its process id), or say who holds it."""
    lock_path = path + ".lock"
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise MonitorError(f"cannot lock the monitor store {path}: {exc.strerror} ({lock_path})") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        owner = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
        os.close(fd)
        raise MonitorError(f"the monitor store {path} is in use by process {owner}; stop that monitor first, or "
                           "give this one another --store") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd
