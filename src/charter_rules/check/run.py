"""``check_paths``: check whole exports on every core, with the same report whatever the number of workers.

The main process reads the export in chunks (about 256 KiB of JSON Lines, or 250 records) and sends each chunk, as
bytes, to a pool of worker processes; each worker loads and compiles the rule book once and checks chunks with the
same code a single process uses (``chunk.py``). Results come back in input order (at most a few chunks per worker
are in flight, so memory stays flat) and are folded into one report by ``merge.ReportBuilder``, which also finds
duplicate case ids across the whole export. One worker means no pool at all: everything runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Protocol

from .report import CheckReport
from .chunk import CheckSettings, Checker, ChunkResult, checker_for, install_checker
from ..compiler import CompiledRulebook, compile_rulebook
from .merge import ReportBuilder
from .reading import Chunk, read_chunks, total_bytes
from ..rulebook_cache import from_json, to_json

IN_FLIGHT_PER_WORKER = 3
SMALL_EXPORT_BYTES = 2 << 20  # below this, starting worker processes costs more than it saves


class ProgressSink(Protocol):
    """Hears how far a check has gone (bytes of input read, records checked)."""

    def read(self, nbytes: int) -> None: ...

    def checked(self, records: int) -> None: ...


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def check_paths(paths: Iterable[Path | str], book: CompiledRulebook, settings: CheckSettings, *,
                workers: int | None = None, progress: ProgressSink | None = None) -> CheckReport:
    """Check every record of the exports at ``paths``; bad records are rejected with where and why, never dropped.

    ``workers``: processes to use (default: one per core; 1 runs in this process, and so does an export under 2 MiB).
    The report is the same, byte for byte, whatever the number.
    """
    if settings.rules_dir is None:
        settings = replace(settings, rules_dir=str(book.rulebook.root))
    checker = Checker(book, settings)
    builder = ReportBuilder(checker)
    chunks = read_chunks(paths, csv_reader=checker.csv_reader, on_bytes=progress.read if progress else None,
                         max_record_bytes=settings.max_record_bytes)
    paths = list(paths)
    count = workers if workers is not None else default_workers()
    if count > 1 and total_bytes(paths) < SMALL_EXPORT_BYTES:
        count = 1
    if count <= 1:
        for chunk in chunks:
            _fold(builder, chunk, checker.check_chunk(chunk), progress)
        return builder.report
    context = multiprocessing.get_context("spawn")  # no fork: the parent may run threads (the progress bar)
    # workers get the validated rule book (JSON, validated again there) and only compile it: no YAML is read again
    source = (to_json(book.rulebook), str(book.rulebook.root), dict(book.rulebook.chosen))
    with ProcessPoolExecutor(count, mp_context=context, initializer=_start_worker,
                             initargs=(settings, source)) as pool:
        pending: deque[tuple[Chunk, Future[ChunkResult]]] = deque()
        for chunk in chunks:
            pending.append((chunk, pool.submit(_check_in_worker, chunk)))
            if len(pending) >= count * IN_FLIGHT_PER_WORKER:
                done_chunk, future = pending.popleft()
                _fold(builder, done_chunk, future.result(), progress)
        while pending:
            done_chunk, future = pending.popleft()
            _fold(builder, done_chunk, future.result(), progress)
    return builder.report


def _fold(builder: ReportBuilder, chunk: Chunk, result: ChunkResult, progress: ProgressSink | None) -> None:
    builder.add(chunk, result)
    if progress is not None:
        progress.checked(len(result))


_WORKER_SETTINGS: CheckSettings | None = None


def _start_worker(settings: CheckSettings, source: tuple[bytes, str, dict[str, str]]) -> None:
    """Compile the rule book sent by the main process, once, before the first chunk arrives."""
    global _WORKER_SETTINGS
    _exit_with_parent()
    _WORKER_SETTINGS = settings
    data, root, chosen = source
    install_checker(settings, compile_rulebook(from_json(data, Path(root)).with_settings(chosen)))


def _exit_with_parent() -> None:
    """End this worker when the process that started it dies (kill -9 included), instead of lingering.

    On Linux the kernel sends SIGKILL at once (prctl PR_SET_PDEATHSIG); everywhere, a thread checks every second
    whether the parent has changed (an orphan is adopted by another process)."""
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent:  # pragma: no cover - the parent died before the line above
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _check_in_worker(chunk: Chunk) -> ChunkResult:
    assert _WORKER_SETTINGS is not None
    return checker_for(_WORKER_SETTINGS).check_chunk(chunk)

