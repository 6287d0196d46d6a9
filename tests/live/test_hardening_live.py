"""The live monitor when things go wrong: a dying worker, two monitors on one store, a damaged store, a replay,
extreme moments and numbers; and the batch pool's workers when their parent is killed."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import charter_rules
from charter_rules.cli import app
from charter_rules.errors import MonitorError
from charter_rules.live import Monitor, PythonMatcher
from charter_rules.live.escalation import EscalationBook
from charter_rules.live.store import Store
from charter_rules.live.stream import bounded_lines, run_stream

from .conftest import needs_durable

runner = CliRunner()
CLEAN_STREAM = "".join(json.dumps(line) + "\n" for line in [
    {"case_id": "F-1", "kind": "foi_request", "received_at": "2026-03-26T10:00:00+00:00"},
    {"case_id": "F-1", "event": {"id": "c1", "type": "foi_clarification_sought", "at": "2026-03-30T10:00:00+01:00"}},
    {"tick": "2026-04-28T09:00:00+01:00"},
    {"case_id": "F-2", "kind": "foi_request", "received_at": "2026-04-01T10:00:00+01:00"},
    {"tick": "2026-05-20T09:00:00+01:00"},
])


def _watch(*args: str, stdin: str) -> Any:
    return runner.invoke(app, ["watch", "--matcher", "python", *args], input=stdin)


# --- replay ------------------------------------------------------------------------------------------------------


def test_a_resumed_watch_over_a_stream_it_has_seen_is_quiet_and_exits_0(tmp_path: Path) -> None:
    store = str(tmp_path / "monitor.sqlite")
    first = _watch("--store", store, stdin=CLEAN_STREAM)
    assert first.exit_code == 0, first.stderr
    assert first.stdout.strip()
    again = _watch("--store", store, stdin=CLEAN_STREAM)
    assert again.exit_code == 0, again.stderr
    assert again.stdout == ""
    settings, *notes = again.stderr.splitlines()  # the settings in force are named first, on every run
    assert settings.startswith("Settings: ")
    assert notes == [
        "note: 5 line(s) up to 2026-05-20T08:00:00+00:00 were already recorded in the store (a replay); nothing "
        "changed"]
    longer = CLEAN_STREAM + json.dumps({"case_id": "F-3", "kind": "foi_request",
                                        "received_at": "2026-06-01T10:00:00+01:00"}) + "\n"
    resumed = _watch("--store", store, stdin=longer)
    assert resumed.exit_code == 0 and resumed.stdout.strip()  # what is new is still reported


def test_a_tick_going_back_within_one_run_is_still_an_error(tmp_path: Path) -> None:
    stream = CLEAN_STREAM + json.dumps({"tick": "2026-05-01T09:00:00+01:00"}) + "\n"
    result = _watch("--store", str(tmp_path / "m.sqlite"), stdin=stream)
    assert result.exit_code == 2 and "cannot go back" in result.stderr


# --- extreme inputs ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    {"tick": "0001-01-01T00:00:00+00:00"},
    {"tick": "9999-12-31T23:59:59-05:00"},
    {"case_id": "F-1", "event": {"id": "x", "type": "foi_response_sent", "at": "0001-01-01T00:00:00+00:00"}},
    {"case_id": "F-9", "kind": "foi_request", "received_at": "9999-12-31T23:00:00+00:00"},
    {"case_id": "F-1", "event": {"id": "u", "type": "foi_fees_notice_given", "at": "2026-03-27T10:00:00+00:00",
                                 "note": 2 ** 64}},
])
def test_extreme_moments_and_numbers_are_bad_lines_not_crashes(line: dict[str, Any]) -> None:
    stream = CLEAN_STREAM.splitlines()[0] + "\n" + json.dumps(line) + "\n"
    for _ in range(2):  # and again, as a replay would send it
        result = _watch(stdin=stream)
        assert result.exit_code == 2, result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "line 2:" in result.stderr


def test_a_stream_line_over_the_maximum_is_a_bad_line(book: charter_rules.CompiledRulebook,
                                                      escalations: EscalationBook) -> None:
    data = CLEAN_STREAM.splitlines()[0].encode() + b"\n" + b" " * 5000 + b"\n" + b"x" * 3000
    lines = list(bounded_lines(io.BytesIO(data), max_bytes=1000))
    assert [type(x).__name__ for x in lines] == ["bytes", "InputTooLarge", "InputTooLarge"]
    problems: list[str] = []
    with Monitor(":memory:", book=book, escalations=escalations, matcher=PythonMatcher(escalations)) as monitor:
        summary = run_stream(lines, monitor, lambda record: None, problems.append)
    assert summary.bad == 2 and problems[0].startswith("line 2: the record is longer than")


# --- the store ---------------------------------------------------------------------------------------------------


def test_a_second_monitor_on_one_store_is_told_who_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "monitor.sqlite"
    first = Store(path)
    try:
        with pytest.raises(MonitorError, match=f"in use by process {os.getpid()}"):
            Store(path)
    finally:
        first.close()
    Store(path).close()  # free again once the first is closed


def test_a_second_watch_process_on_one_store_stops_at_once(tmp_path: Path) -> None:
    store = str(tmp_path / "monitor.sqlite")
    fifo = tmp_path / "stream"
    os.mkfifo(fifo)
    cmd = [sys.executable, "-m", "charter_rules", "watch", "--matcher", "python", "--store", store, str(fifo)]
    holder = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    writer = open(fifo, "w")  # the first watch now waits for lines, holding the store
    try:
        deadline = time.monotonic() + 60
        while not Path(store + ".lock").exists() or not Path(store + ".lock").read_text():
            assert time.monotonic() < deadline
            time.sleep(0.1)
        second = subprocess.run([*cmd[:-1], "-"], input=b"", capture_output=True, timeout=120)
        assert second.returncode == 2
        assert f"in use by process {holder.pid}".encode() in second.stderr
        assert b"Traceback" not in second.stderr
    finally:
        writer.close()
        holder.wait(60)
    assert holder.returncode == 0


def test_an_empty_store_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "monitor.sqlite"
    path.write_bytes(b"")
    with pytest.raises(MonitorError, match=r"monitor.sqlite is an empty file"):
        Store(path)


def test_a_store_with_junk_in_the_middle_is_an_error_naming_it(tmp_path: Path, book: charter_rules.CompiledRulebook,
                                                               escalations: EscalationBook) -> None:
    path = tmp_path / "monitor.sqlite"
    with Monitor(path, book=book, escalations=escalations, matcher=PythonMatcher(escalations)) as monitor:
        for i in range(200):
            monitor.put_case({"case_id": f"F-{i}", "kind": "foi_request", "received_at": "2026-03-26T10:00:00+00:00"})
    data = bytearray(path.read_bytes())
    middle = len(data) // 2 // 4096 * 4096  # a whole page in the middle (SQLite's default page size)
    data[middle:middle + 4096] = b"\xa5" * 4096
    path.write_bytes(bytes(data))
    with pytest.raises(MonitorError) as caught:
        with Monitor(path, book=book, escalations=escalations, matcher=PythonMatcher(escalations)) as monitor:
            for i in range(200):
                monitor.obligations(f"F-{i}")
    assert "monitor.sqlite" in str(caught.value)
    Store(tmp_path / "other.sqlite").close()  # and the lock of the damaged one was let go
    with pytest.raises(MonitorError):
        Store(path)


# --- the durable-rules worker ------------------------------------------------------------------------------------


class _DeadPipe:
    closed = False

    def write(self, data: bytes) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            raise BrokenPipeError(32, "Broken pipe")


class _DyingProcess:
    pid = 4242
    returncode = None

    def __init__(self) -> None:
        self.stdin = _DeadPipe()
        self.stdout = _DeadPipe()

    def poll(self) -> int | None:
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        self.returncode = -9
        return -9

    def kill(self) -> None:
        self.returncode = -9


@needs_durable
def test_stopping_a_worker_that_died_mid_write_never_raises(escalations: EscalationBook) -> None:
    from charter_rules.live.durable_adapter import DurableMatcher

    matcher = DurableMatcher(escalations)
    try:
        real = matcher._proc
        matcher._proc = _DyingProcess()  # type: ignore[assignment]
        matcher._stop()  # the broken pipe on write, close and the final close is expected, not an error
        assert matcher._proc is None
        matcher._proc = real
    finally:
        matcher.close()


DAMAGED_REPLY_WORKER = """
import struct, sys
header = struct.Struct(">I")
def read():
    (size,) = header.unpack(sys.stdin.buffer.read(4))
    return sys.stdin.buffer.read(size)
read()
body = b'{"ready": 1}'
sys.stdout.buffer.write(header.pack(len(body)) + body)
sys.stdout.buffer.flush()
read()
sys.stdout.buffer.write(header.pack(9) + b'{"ok": [1')
sys.stdout.buffer.flush()
"""


@needs_durable
def test_a_worker_dying_half_way_through_its_reply_is_retried_then_a_monitor_error(
        escalations: EscalationBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from charter_rules.live import durable_adapter

    script = tmp_path / "damaged_worker.py"
    script.write_text(DAMAGED_REPLY_WORKER)
    monkeypatch.setattr(durable_adapter, "WORKER", script)
    matcher = durable_adapter.DurableMatcher(escalations, retries=2)
    try:
        facts = [{"transition": "overdue", "case_overdue_before": 2, "case_overdue_count": 3, "rule": "foi-response"}]
        with pytest.raises(MonitorError, match="lost 3 times in a row"):
            matcher.match(facts)
        incidents = matcher.take_incidents()
        assert len(incidents) == 3 and all("damaged reply" in text for text in incidents)
    finally:
        matcher.close()


@needs_durable
def test_killing_the_worker_at_random_moments_never_lets_an_exception_escape(escalations: EscalationBook) -> None:
    import random
    import threading

    from charter_rules.live.durable_adapter import DurableMatcher

    facts = [{"transition": "overdue", "case_overdue_before": 2, "case_overdue_count": 3, "rule": "foi-response"}
             for _ in range(3000)]
    expected = [(i, "case-three-overdue") for i in range(3000)]
    matcher = DurableMatcher(escalations, batch_size=1, retries=3)
    rng = random.Random(14)
    try:
        for _ in range(4):
            pid = matcher.worker_pid or 0
            killer = threading.Timer(rng.uniform(0.0, 0.3), lambda p=pid: _kill_quietly(p))
            killer.start()
            outcome: Any
            try:
                outcome = matcher.match(facts)
            except MonitorError as exc:  # retries can run out; that is a reported failure, not a crash
                outcome = exc
            killer.join()
            assert outcome == expected or isinstance(outcome, MonitorError)
    finally:
        matcher.close()


def _kill_quietly(pid: int) -> None:
    try:
        if pid:
            os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# --- the batch pool ----------------------------------------------------------------------------------------------

POOL_PARENT = """
import sys, time
import charter_rules
from charter_rules.check import run as parallel
from charter_rules.caseview import LONDON
from charter_rules.check.chunk import CheckSettings
import datetime as dt

class Stall:
    def read(self, n):
        pass
    def checked(self, n):
        print("stalled", flush=True)
        time.sleep(600)

if __name__ == "__main__":
    parallel.SMALL_EXPORT_BYTES = 0
    book = charter_rules.default_rulebook()
    settings = CheckSettings(as_of=dt.datetime(2026, 5, 1, tzinfo=LONDON))
    parallel.check_paths([sys.argv[1]], book, settings, workers=2, progress=Stall())
"""


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the workers")
def test_pool_workers_exit_when_their_parent_is_killed(tmp_path: Path) -> None:
    export = tmp_path / "cases.jsonl"
    case = {"case_id": "", "kind": "foi_request", "received_at": "2026-03-26T10:00:00+00:00"}
    export.write_text("".join(json.dumps(dict(case, case_id=f"F-{i}")) + "\n" for i in range(3000)))
    script = tmp_path / "parent.py"
    script.write_text(POOL_PARENT)
    parent = subprocess.Popen([sys.executable, str(script), str(export)], stdout=subprocess.PIPE)
    try:
        assert parent.stdout is not None
        assert parent.stdout.readline().strip() == b"stalled"
        workers = _children(parent.pid)
        assert len(workers) >= 2
    finally:
        parent.kill()
        parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)


def test_a_byte_order_mark_at_the_start_of_a_stream_is_left_out() -> None:
    result = _watch(stdin="\ufeff" + CLEAN_STREAM)
    assert result.exit_code == 0, result.stderr


def test_the_event_digest_survives_numbers_past_64_bits() -> None:
    from pydantic import BaseModel

    from charter_rules.live.inputs import digest

    class Numbers(BaseModel):
        value: int

    assert digest(Numbers(value=2 ** 64)) != digest(Numbers(value=2 ** 64 + 1))
    assert digest(Numbers(value=-(2 ** 70))) == digest(Numbers(value=-(2 ** 70)))
