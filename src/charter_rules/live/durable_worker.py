"""The durable-rules worker: runs escalation patterns in durable-rules' engine, in its own process.

This file is started as a script (``python durable_worker.py``) by ``durable_adapter.DurableMatcher``, so it imports
nothing from charter-rules: only the standard library, orjson and durable-rules. It reads requests from stdin and
writes replies to stdout, each a 4-byte big-endian length followed by JSON. It can also be imported, which the
tests do to exercise the engine in-process.

The engine is used only in the ways found safe (see docs/decisions/durable-rules.md):

* no background threads: ``SyncHost`` overrides ``Host._run``, so the dispatch and timer threads never start;
* no timers, no negation, no correlations: patterns are single-fact and positive (``patterns.py``);
* one short-lived session per batch with a fresh sid (a counter), deleted before the next: one live session;
* transitions are asserted as facts (events are consumed by the first rule that fires), one at a time, so
  MessageNotHandledException means exactly "this fact matched nothing";
* every fact has its own id, and one refused as "already observed" (its id's 32-bit hash collides with another's)
  is asserted again under a new id;
* each session opens with a sentinel fact whose rule must fire exactly once: a session no action ever touched can
  crash the engine when deleted, and the sentinel proves actions run;
* actions only collect results; an exception swallowed into the session state (``c.s.exception``) fails the batch;
* the rule definitions are deep-copied before registering (the engine deletes ``run`` from what it is given).
"""

from __future__ import annotations

import copy
import faulthandler
import os
import struct
import sys
from typing import Any, BinaryIO, Callable, Mapping, Sequence

import orjson

RULESET = "escalations"
SENTINEL_RULE = "$sentinel"
MAX_ID_ATTEMPTS = 8
HEADER = struct.Struct(">I")


class EngineError(Exception):
    """The engine reported a failure that sending the batch again would not fix."""


class DurableEngine:
    """One durable-rules ruleset in this process, matched one session per batch."""

    def __init__(self, template: Mapping[str, Any], collect: Callable[[str, int], None] | None = None) -> None:
        from durable import engine as durable_engine

        class SyncHost(durable_engine.Host):  # type: ignore[misc]
            def _run(self) -> None:  # no dispatch or timer threads
                return None

        self._not_handled = durable_engine.MessageNotHandledException
        self._observed = durable_engine.MessageObservedException
        self._hits: list[tuple[int, str]] = []
        self._collect = collect or (lambda name, index: self._hits.append((index, name)))
        self._sentinel_fired = 0
        definition = copy.deepcopy(dict(template))  # Ruleset.__init__ deletes 'run' from what it is given
        for name, rule in definition.items():
            rule["run"] = self._action(name)
        definition[SENTINEL_RULE] = {"all": [{"m": {"sentinel": 1}}], "run": self._sentinel}
        self.host = SyncHost()
        self.host.register_rulesets({RULESET: definition})
        self.sessions = 0
        self.id_retries = 0

    def _action(self, name: str) -> Callable[[Any], None]:
        def action(c: Any) -> None:
            self._collect(name, c.m.fx)

        return action

    def _sentinel(self, c: Any) -> None:
        self._sentinel_fired += 1

    @staticmethod
    def _check(state: Any) -> None:
        if isinstance(state, dict) and state.get("exception"):
            raise EngineError("an action failed inside the engine (swallowed into the session state): "
                              f"{state['exception']}")

    def run(self, facts: Sequence[Mapping[str, Any]],
            ids: Sequence[Sequence[str]] | None = None) -> list[tuple[int, str]]:
        """Match one batch in a fresh session, then delete it. Returns (fact ``fx``, rule name) pairs.

        ``ids`` (for tests) gives, per fact, the message ids to try in turn; by default ``f<n>``, ``f<n>r1``..."""
        self.sessions += 1
        sid = f"s{self.sessions}"
        self._hits = []
        self._sentinel_fired = 0
        try:
            self._check(self.host.assert_fact(RULESET, {"sid": sid, "id": "sentinel", "sentinel": 1}))
            if self._sentinel_fired != 1:
                raise EngineError(f"the session sentinel fired {self._sentinel_fired} times instead of once")
            for position, fact in enumerate(facts):
                self._assert(sid, position, fact, ids[position] if ids else None)
        finally:
            self.host.delete_state(RULESET, sid)
        return self._hits

    def _assert(self, sid: str, position: int, fact: Mapping[str, Any], ids: Sequence[str] | None = None) -> None:
        for attempt in range(MAX_ID_ATTEMPTS):
            message = dict(fact)
            message["sid"] = sid
            message["id"] = ids[attempt] if ids else (f"f{position}" if attempt == 0 else f"f{position}r{attempt}")
            try:
                state = self.host.assert_fact(RULESET, message)
            except self._not_handled:
                return  # the fact matched no rule; nothing is pending
            except self._observed:
                self.id_retries += 1  # its id's hash collides with another fact's: it was not stored
                continue
            self._check(state)
            return
        raise EngineError(f"fact {position} was refused as already observed {MAX_ID_ATTEMPTS} times")


def read_frame(stream: BinaryIO) -> bytes | None:
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    body = stream.read(size)
    return body if len(body) == size else None


def write_frame(stream: BinaryIO, data: bytes) -> None:
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def serve(requests: BinaryIO, replies: BinaryIO) -> None:
    """Answer match requests until the input ends or a stop request arrives."""
    first = read_frame(requests)
    if first is None:
        return
    try:
        engine = DurableEngine(orjson.loads(first)["template"])
    except BaseException as exc:  # an import or build failure is reported, not raised into nowhere
        write_frame(replies, orjson.dumps({"error": f"{type(exc).__name__}: {exc}", "stage": "start"}))
        return
    write_frame(replies, orjson.dumps({"ready": os.getpid()}))
    while True:
        frame = read_frame(requests)
        if frame is None:
            return
        request = orjson.loads(frame)
        if request.get("op") == "stop":
            return
        try:
            hits = [hit for batch in request["batches"] for hit in engine.run(batch)]
            reply = {"ok": hits, "sessions": engine.sessions, "id_retries": engine.id_retries}
        except Exception as exc:
            reply = {"error": f"{type(exc).__name__}: {exc}", "stage": "match"}
        write_frame(replies, orjson.dumps(reply))


def main() -> None:
    faulthandler.enable()  # a crash in the engine prints where it happened, on stderr
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # nothing printed by accident can corrupt the replies
    serve(sys.stdin.buffer, replies)


if __name__ == "__main__":
    main()
