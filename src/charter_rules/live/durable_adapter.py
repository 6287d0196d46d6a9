"""The durable-rules matcher: escalation patterns matched by durable-rules' engine in a worker process.

The engine (a C extension) can crash the process that runs it, so it never runs in the caller's: the worker is a
fresh Python process running ``durable_worker.py`` as a script, spoken to over its stdin and stdout. A worker that
dies (SIGSEGV, SIGKILL, anything) or does not answer within ``timeout`` seconds is reported, replaced, and the
batch is sent again, up to ``retries`` times; after that the caller gets MonitorError and the monitor records
nothing, so the same input can be sent again. Every other durable-rules hazard is handled in the worker (see its
docstring); the patterns it runs come from ``patterns.py``.

A plain subprocess is used rather than ``multiprocessing``: multiprocessing's spawn re-imports the caller's main
module in the child, which fails for any script without an ``if __name__ == "__main__"`` guard.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, Mapping, Sequence

import orjson

from ..errors import MonitorError
from .durable_worker import HEADER
from .escalation import EscalationBook

WORKER = Path(__file__).with_name("durable_worker.py")
_STOP = b'{"op":"stop"}'


class _WorkerLost(Exception):
    pass


def _exit_text(code: int | None) -> str:
    if code is None:
        return "did not answer in time and was killed"
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:  # pragma: no cover
            return f"was killed by signal {-code}"
    return f"exited with status {code}"


def encode_fact(index: int, fact: Mapping[str, Any], value_props: Sequence[str],
                check_props: Sequence[str]) -> dict[str, Any]:
    """A flat transition fact as the engine's patterns expect it (see ``patterns.py``): a known flag next to every
    value, booleans as 1/0, checks as 1/0/-1, the fact's index as ``fx`` and ``tf: 1`` on every fact."""
    message: dict[str, Any] = {"fx": index, "tf": 1}
    for prop in value_props:
        value = fact.get(prop)
        if value is None:
            message["k_" + prop] = 0
        else:
            message["k_" + prop] = 1
            message[prop] = int(value) if isinstance(value, bool) else value
    for prop in check_props:
        value = fact.get(prop)
        message[prop] = -1 if value is None else int(bool(value))
    return message


def _close_quietly(stream: Any) -> None:
    """Close a pipe to a worker that may have died: a write still buffered fails, and that is expected."""
    if stream is None or stream.closed:
        return
    try:
        stream.close()
    except OSError:
        try:
            stream.close()  # the buffer was dropped by the failed flush; this time the file closes
        except OSError:
            pass


class DurableMatcher:
    """Escalation matching by durable-rules in a worker process whose crash cannot take the caller down."""

    name = "durable"

    def __init__(self, book: EscalationBook, *, batch_size: int = 256, retries: int = 2, timeout: float = 60.0,
                 start_timeout: float = 60.0) -> None:
        self._template = orjson.dumps({"template": {a.name: {"all": [{"m": a.pattern}]} for a in book.alternatives}})
        self._escalation_of = {a.name: a.escalation_id for a in book.alternatives}
        self._value_props = book.value_props
        self._check_props = book.check_props
        self.batch_size = max(1, batch_size)
        self.retries = retries
        self.timeout = timeout
        self.start_timeout = start_timeout
        self._incidents: list[str] = []
        self._proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.sessions = 0
        self.id_retries = 0
        self._start()

    # --- the worker ---------------------------------------------------------------------------------------------
    def _start(self) -> None:
        # -P: the worker's own directory is not put on sys.path, so no module here can shadow another
        self._proc = subprocess.Popen([sys.executable, "-P", str(WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      close_fds=True)
        self.starts += 1
        try:
            self._send(self._template)
            reply = self._receive(self.start_timeout)
        except _WorkerLost as exc:
            self._stop()
            raise MonitorError(f"the durable-rules worker could not start: it {exc}") from None
        if "error" in reply:
            self._stop()
            raise MonitorError(f"the durable-rules worker could not start: {reply['error']}")

    @property
    def worker_pid(self) -> int | None:
        """The process id of the running worker (None if there is none)."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def _send(self, data: bytes) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        try:
            self._proc.stdin.write(HEADER.pack(len(data)) + data)
            self._proc.stdin.flush()
        except OSError:
            raise _WorkerLost(self._lost()) from None

    def _lost(self) -> str:
        assert self._proc is not None
        try:
            code = self._proc.wait(5)
        except subprocess.TimeoutExpired:
            self._proc.kill()  # our own worker, hung: end it
            self._proc.wait()
            code = None
        return _exit_text(code)

    def _read(self, size: int, timeout: float) -> bytes:
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        chunks: list[bytes] = []
        missing = size
        while missing:
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                self._proc.kill()
                self._proc.wait()
                raise _WorkerLost(_exit_text(None))
            chunk = os.read(fd, missing)
            if not chunk:
                raise _WorkerLost(self._lost())
            chunks.append(chunk)
            missing -= len(chunk)
        return b"".join(chunks)

    def _receive(self, timeout: float) -> dict[str, Any]:
        (size,) = HEADER.unpack(self._read(HEADER.size, timeout))
        try:
            reply = orjson.loads(self._read(size, timeout))
        except orjson.JSONDecodeError:  # a worker dying while it writes can leave half a reply
            assert self._proc is not None
            self._proc.kill()
            raise _WorkerLost("sent a damaged reply and was stopped") from None
        if not isinstance(reply, dict):
            raise _WorkerLost("sent a reply that is not an object")
        return reply

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            try:
                assert proc.stdin is not None
                proc.stdin.write(HEADER.pack(len(_STOP)) + _STOP)
                proc.stdin.close()
            except OSError:  # BrokenPipeError and the like: the worker is gone already
                pass
            try:
                proc.wait(2)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for stream in (proc.stdin, proc.stdout):
            _close_quietly(stream)

    def close(self) -> None:
        self._stop()

    def take_incidents(self) -> list[str]:
        out, self._incidents = self._incidents, []
        return out

    # --- matching -----------------------------------------------------------------------------------------------
    def match(self, facts: Sequence[Mapping[str, Any]]) -> list[tuple[int, str]]:
        if not facts or not self._escalation_of:
            return []
        encoded = [encode_fact(i, f, self._value_props, self._check_props) for i, f in enumerate(facts)]
        request = orjson.dumps({"batches": [encoded[i:i + self.batch_size]
                                            for i in range(0, len(encoded), self.batch_size)]})
        for attempt in range(self.retries + 1):
            pid = None
            try:
                if self._proc is not None and self._proc.poll() is not None:
                    text = (f"durable-rules worker (pid {self._proc.pid}) {_exit_text(self._proc.returncode)} "
                            "while idle; a new one was started")
                    self._incidents.append(text)
                if self._proc is None or self._proc.poll() is not None:
                    self._stop()
                    self._start()
                assert self._proc is not None
                pid = self._proc.pid
                self._send(request)
                reply = self._receive(self.timeout)
            except (_WorkerLost, MonitorError) as exc:
                text = (f"durable-rules worker (pid {pid}) {exc} while matching {len(facts)} transition(s); "
                        f"attempt {attempt + 1} of {self.retries + 1}")
                self._incidents.append(text)
                self._stop()
                continue
            if "error" in reply:
                raise MonitorError(f"the durable-rules engine failed: {reply['error']}")
            self.sessions = reply["sessions"]
            self.id_retries = reply["id_retries"]
            return sorted({(index, self._escalation_of[name]) for index, name in reply["ok"]})
        raise MonitorError(f"the durable-rules worker was lost {self.retries + 1} times in a row while matching "
                           f"{len(facts)} transition(s); nothing was recorded, so the same input can be sent again")
