"""The durable-rules hazards the adapter guards against, each shown to be handled (docs/decisions/durable-rules.md).

Engine-level hazards are exercised in-process with ``DurableEngine`` (the class the worker runs); process-level
ones (crashes, the session cap over a worker's life) through ``DurableMatcher`` and its worker process.
"""

from __future__ import annotations

import copy
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import charter_rules
from charter_rules import MonitorError
from charter_rules.live import Monitor
from charter_rules.live.escalation import EscalationBook

from .conftest import ENHANCED_FACTS, crime, needs_durable, t

pytestmark = needs_durable

RULES = {
    "overdue": {"all": [{"m": {"$and": [{"k_transition": 1}, {"transition": "overdue"}]}}]},
    "late": {"all": [{"m": {"$and": [{"k_working_day": 1}, {"$gte": {"working_day": 15}}]}}]},
}


def _facts(n: int, kind: str = "overdue") -> list[dict[str, Any]]:
    return [{"fx": i, "tf": 1, "k_transition": 1, "transition": kind, "k_working_day": 0} for i in range(n)]


def _engine(**kwargs: Any) -> Any:
    from charter_rules.live.durable_worker import DurableEngine

    return DurableEngine(RULES, **kwargs)


def test_the_rule_definitions_given_to_the_engine_are_never_mutated() -> None:
    """Ruleset.__init__ deletes 'run' from the definitions it is given: reusing them would fail with KeyError.
    The worker registers a deep copy, so one template serves any number of engines, unchanged."""
    before = copy.deepcopy(RULES)
    first, second = _engine(), _engine()
    assert RULES == before
    assert first.run(_facts(2)) == second.run(_facts(2)) == [(0, "overdue"), (1, "overdue")]


def test_facts_matching_no_rule_do_not_strand_the_matches_of_others() -> None:
    """assert_facts raises MessageNotHandledException for a whole batch and leaves its matches unrun; asserting
    one fact at a time makes the exception mean only 'this fact matched nothing'."""
    facts = _facts(3)
    facts[1]["transition"] = "opened"  # matches no rule
    assert _engine().run(facts) == [(0, "overdue"), (2, "overdue")]


def test_every_rule_sees_every_fact() -> None:
    """Posted events are consumed by the first rule that fires; transitions are asserted as facts instead."""
    fact = {"fx": 0, "tf": 1, "k_transition": 1, "transition": "overdue", "k_working_day": 1, "working_day": 16}
    assert sorted(_engine().run([fact])) == [(0, "late"), (0, "overdue")]


def test_an_exception_in_an_action_surfaces_instead_of_being_swallowed() -> None:
    """The engine stores an action's exception in the session state (c.s.exception) and carries on."""
    from charter_rules.live.durable_worker import EngineError

    def collect(name: str, index: int) -> None:
        if index == 1:
            raise ValueError("cannot record this match")

    engine = _engine(collect=collect)
    with pytest.raises(EngineError, match="cannot record this match"):
        engine.run(_facts(3))
    assert engine.run(_facts(1)) == []  # the engine is still usable afterwards (collect drops index 0)


def test_a_message_id_whose_hash_collides_is_asserted_again_under_a_new_id() -> None:
    """Message identity is a 32-bit FNV-1a hash: 'x496069' and 'x1035124' collide, so the engine refuses the second
    as 'already observed' and never stores it. The adapter retries under another id and both facts match."""
    from charter_rules.live.patterns import fnv1a_32

    assert fnv1a_32("x496069") == fnv1a_32("x1035124")
    engine = _engine()
    hits = engine.run(_facts(2), ids=[["x496069"], ["x1035124", "x1035124-again"]])
    assert hits == [(0, "overdue"), (1, "overdue")]
    assert engine.id_retries == 1


def test_sessions_are_short_lived_and_never_leak_facts_into_the_next_batch() -> None:
    """One fresh sid per batch, deleted after it: a fact of an earlier batch never joins a later one (sid hashes
    can collide, so two live sessions could share state; there is never more than one)."""
    engine = _engine()
    assert engine.run(_facts(2)) == [(0, "overdue"), (1, "overdue")]
    assert engine.run(_facts(1, kind="opened")) == []
    assert engine.sessions == 2
    from charter_rules.live.durable_worker import RULESET

    for sid in ("s1", "s2"):
        with pytest.raises(Exception, match="error code: 309"):  # state not found: deleted
            engine.host.get_facts(RULESET, sid)


def test_a_batch_with_no_match_at_all_is_safe_to_delete() -> None:
    """Deleting a session no action ever touched can crash the engine (uninitialised state): every session opens
    with a sentinel fact whose rule fires, and 50 empty batches in a row run fine."""
    engine = _engine()
    for _ in range(50):
        assert engine.run(_facts(3, kind="opened")) == []


def test_no_engine_threads_are_started() -> None:
    before = threading.active_count()
    engine = _engine()
    engine.run(_facts(2))
    time.sleep(0.3)
    assert threading.active_count() == before


# --- the worker process ---------------------------------------------------------------------------------------


@pytest.fixture()
def matcher(escalations: EscalationBook) -> Any:
    from charter_rules.live.durable_adapter import DurableMatcher

    m = DurableMatcher(escalations, batch_size=1)
    yield m
    m.close()


def _flat(n: int) -> list[dict[str, Any]]:
    return [{"transition": "overdue", "case_overdue_before": 2, "case_overdue_count": 3, "rule": "foi-response"}
            for _ in range(n)]


def test_more_than_1024_batches_run_in_one_worker_because_sessions_are_deleted(matcher: Any) -> None:
    """A ruleset holds at most 1024 live sessions (MemoryError, then SIGSEGV). 1,100 one-fact batches in one
    worker process, each in its own session, all match; the worker is never replaced."""
    pid = matcher.worker_pid
    hits = matcher.match(_flat(1100))
    assert hits == [(i, "case-three-overdue") for i in range(1100)]
    assert matcher.sessions == 1100 and matcher.worker_pid == pid and matcher.starts == 1
    assert matcher.take_incidents() == []


def test_a_worker_killed_between_tasks_is_reported_and_replaced(matcher: Any) -> None:
    pid = matcher.worker_pid
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    assert matcher.match(_flat(3)) == [(0, "case-three-overdue"), (1, "case-three-overdue"), (2, "case-three-overdue")]
    assert matcher.worker_pid != pid and matcher.starts == 2
    incidents = matcher.take_incidents()
    assert len(incidents) == 1 and "SIGKILL" in incidents[0] and "while idle" in incidents[0]


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the worker working")
def test_a_worker_crashing_mid_task_is_reported_and_the_task_retried(escalations: EscalationBook) -> None:
    from charter_rules.live.durable_adapter import DurableMatcher

    matcher = DurableMatcher(escalations, batch_size=1)
    try:
        pid = matcher.worker_pid
        assert pid is not None
        idle = _cpu_ticks(pid)
        result: dict[str, Any] = {}
        worker = threading.Thread(target=lambda: result.update(hits=matcher.match(_flat(20000))))
        worker.start()
        deadline = time.monotonic() + 30
        while _cpu_ticks(pid) < idle + 5 and time.monotonic() < deadline:  # it is busy with the task
            time.sleep(0.01)
        os.kill(pid, signal.SIGSEGV)
        worker.join(120)
        assert result["hits"] == [(i, "case-three-overdue") for i in range(20000)]
        incidents = matcher.take_incidents()
        assert len(incidents) == 1 and "SIGSEGV" in incidents[0] and str(pid) in incidents[0]
        assert "while matching 20000" in incidents[0]  # it died with the task in hand, not idle
        assert matcher.starts == 2
    finally:
        matcher.close()


CRASHING_WORKER = """
import os, signal, struct, sys
header = struct.Struct(">I")
def read():
    (size,) = header.unpack(sys.stdin.buffer.read(4))
    return sys.stdin.buffer.read(size)
read()
body = b'{"ready": 1}'
sys.stdout.buffer.write(header.pack(len(body)) + body)
sys.stdout.buffer.flush()
read()
os.kill(os.getpid(), signal.SIGSEGV)
"""


def test_when_retries_run_out_the_caller_gets_monitor_error_and_nothing_is_recorded(
        book: charter_rules.CompiledRulebook, escalations: EscalationBook, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that crashes on every task (here a stand-in that segfaults as soon as a batch arrives): after
    ``retries`` new attempts the tick fails with MonitorError, every attempt is on record, the service is still up,
    nothing was stored, and the same tick succeeds once the engine works again."""
    from charter_rules.live import durable_adapter

    matcher = durable_adapter.DurableMatcher(escalations, retries=1)
    try:
        with Monitor(":memory:", book=book, escalations=escalations, matcher=matcher) as monitor:
            monitor.put_case(crime("CR-1", "2026-03-30T09:00:00+01:00", ENHANCED_FACTS))
            monitor.post("CR-1", {"id": "a1", "type": "suspect_arrested", "at": "2026-04-02T14:00:00+01:00",
                                  "suspect": "S1"})
            held = monitor.obligations("CR-1")
            crashing = tmp_path / "crashing_worker.py"
            crashing.write_text(CRASHING_WORKER)
            monkeypatch.setattr(durable_adapter, "WORKER", crashing)
            matcher.close()  # the next task starts the stand-in
            with pytest.raises(MonitorError, match="lost 2 times in a row"):
                monitor.tick(t("2026-04-08T09:00:00+01:00"))
            incidents = matcher.take_incidents()
            assert len(incidents) == 2 and all("SIGSEGV" in text for text in incidents)
            assert monitor.clock is None and monitor.obligations("CR-1") == held  # rolled back
            monkeypatch.undo()
            update = monitor.tick(t("2026-04-08T09:00:00+01:00"))  # the same tick, repeated
            assert "vcop-notice-overdue-enhanced" in {n.escalation_id for n in update.notifications}
    finally:
        matcher.close()


def test_a_worker_that_cannot_start_is_an_error_not_a_hang(escalations: EscalationBook,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from charter_rules.live import durable_adapter

    monkeypatch.setattr(durable_adapter, "WORKER", Path("/nonexistent/worker.py"))
    with pytest.raises(MonitorError, match="could not start"):
        durable_adapter.DurableMatcher(escalations, start_timeout=10)
