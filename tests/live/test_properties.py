"""Properties of the monitor over generated streams (with duplicates, out-of-order events, fact updates, ticks).

* equivalence: after any stream, the obligations the monitor holds equal a batch evaluation of each case's final
  snapshot at the same moment;
* restart: closing and reopening the monitor on the same SQLite file anywhere in the stream changes nothing;
* matcher agreement: the durable-rules matcher and the plain-Python matcher raise the same escalations;
* the escalation "three or more overdue duties" fires exactly on the transitions that cross three.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import charter_rules
from charter_rules.evaluator import evaluate
from charter_rules.live import Monitor, PythonMatcher
from charter_rules.live.escalation import EscalationBook
from charter_rules.live.transitions import held_state

from .conftest import needs_durable
from .streams import final_snapshots, latest_moment, run, streams

BOOK = charter_rules.default_rulebook()
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.data_too_large])


def _monitor(escalations: EscalationBook, path: str | Path = ":memory:", matcher: Any = None) -> Monitor:
    return Monitor(path, book=BOOK, escalations=escalations, matcher=matcher or PythonMatcher(escalations))


@SETTINGS
@given(ops=streams(BOOK), extra=st.integers(0, 24 * 60))
def test_held_obligations_equal_batch_evaluation_of_the_final_snapshot(ops: list[tuple[Any, ...]], extra: int,
                                                                       escalations: EscalationBook) -> None:
    with _monitor(escalations) as monitor:
        _, accepted = run(monitor, ops)
        end = max(latest_moment(ops), monitor.clock or latest_moment(ops)) + dt.timedelta(hours=extra)
        monitor.tick(end)
        wake = monitor.next_wake()
        assert wake is None or wake > end
        finals = final_snapshots(accepted)
        assert sorted(monitor.case_ids()) == sorted(finals)
        for case_id, data in finals.items():
            snapshot = charter_rules.parse_snapshot(data, BOOK)
            batch = held_state(evaluate(BOOK, snapshot, as_of=end))
            assert monitor.case_as_of(case_id) <= end
            assert monitor.obligations(case_id) == batch, case_id


@SETTINGS
@given(ops=streams(BOOK), cuts=st.sets(st.integers(0, 60), max_size=4))
def test_reopening_the_store_mid_stream_changes_nothing(ops: list[tuple[Any, ...]], cuts: set[int],
                                                        escalations: EscalationBook) -> None:
    with tempfile.TemporaryDirectory() as folder:
        with _monitor(escalations, Path(folder) / "straight.sqlite") as monitor:
            straight, _ = run(monitor, ops)
            straight_state = {c: monitor.obligations(c) for c in monitor.case_ids()}
            straight_wake, straight_clock = monitor.next_wake(), monitor.clock
        restarted: list[dict[str, Any]] = []
        path = Path(folder) / "restarted.sqlite"
        start = 0
        for cut in sorted(c for c in cuts if c < len(ops)) + [len(ops)]:
            with _monitor(escalations, path) as monitor:
                records, _ = run(monitor, ops[start:cut])
                restarted += records
            start = cut
        with _monitor(escalations, path) as monitor:
            assert {c: monitor.obligations(c) for c in monitor.case_ids()} == straight_state
            assert (monitor.next_wake(), monitor.clock) == (straight_wake, straight_clock)
    assert restarted == straight


@needs_durable
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                 HealthCheck.function_scoped_fixture])
@given(ops=streams(BOOK))
def test_durable_and_python_matchers_raise_the_same_escalations(ops: list[tuple[Any, ...]], escalations: EscalationBook,
                                                                durable_matcher: Any) -> None:
    with _monitor(escalations) as monitor:
        python_records, _ = run(monitor, ops)
    with _monitor(escalations, matcher=durable_matcher) as monitor:
        durable_records, _ = run(monitor, ops)
    assert durable_records == python_records


@SETTINGS
@given(ops=streams(BOOK))
def test_three_overdue_fires_exactly_when_a_case_reaches_three(ops: list[tuple[Any, ...]],
                                                               escalations: EscalationBook) -> None:
    with _monitor(escalations) as monitor:
        records, _ = run(monitor, ops)
    for index, record in enumerate(records):
        if record["type"] != "transition":
            continue
        following = []
        for later in records[index + 1:]:
            if later["type"] != "escalation":
                break
            following.append(later["escalation"])
        crossed = record["transition"] == "overdue" and record["case_overdue_count"] >= 3 and (
            record["case_overdue_count"] - 1 < 3)
        assert ("case-three-overdue" in following) == crossed, record
