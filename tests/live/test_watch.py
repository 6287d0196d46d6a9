"""``charter-rules watch`` and the demo in examples/live/."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import charter_rules
from charter_rules.cli import app
from charter_rules.evaluator import evaluate
from charter_rules.live import Monitor, PythonMatcher
from charter_rules.live.escalation import EscalationBook
from charter_rules.live.stream import run_stream
from charter_rules.live.transitions import held_state

from .conftest import needs_durable

DEMO = Path(__file__).resolve().parents[2] / "examples" / "live"
DEMO_RULES = {"foi-response", "vcop-arrest-notice"}
STABLE_ESCALATIONS = {"vcop-notice-overdue-enhanced", "foi-day-15-reminder"}
runner = CliRunner()


def _records(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _demo_part(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lines the demo is about; the other rules' lines follow the rest of the rule book."""
    return [r for r in records if (r["type"] == "transition" and r["rule"] in DEMO_RULES)
            or (r["type"] == "escalation" and r["escalation"] in STABLE_ESCALATIONS)]


def _watch(*args: str, stdin: str | None = None) -> Any:
    return runner.invoke(app, ["watch", *args], input=stdin)


@pytest.mark.parametrize("matcher", ["python", pytest.param("durable", marks=needs_durable)])
def test_the_demo_gives_the_expected_output(matcher: str) -> None:
    result = _watch(str(DEMO / "events.jsonl"), "--matcher", matcher)
    assert result.exit_code == 2  # the demo has bad lines on purpose
    expected = _records((DEMO / "expected.jsonl").read_text())
    got = _records(result.stdout)
    assert _demo_part(got) == _demo_part(expected)
    assert result.stderr.splitlines() == (DEMO / "expected-stderr.txt").read_text().splitlines()


def test_the_demo_key_moments_are_the_hand_worked_ones() -> None:
    """The working is in examples/live/README.md."""
    got = _records(_watch(str(DEMO / "events.jsonl"), "--matcher", "python").stdout)
    moments = [(r["case_id"], r["transition"], dt.datetime.fromisoformat(r["at"])) for r in got
               if r["type"] == "transition" and r["rule"] in DEMO_RULES]
    assert moments == [(case, kind, dt.datetime.fromisoformat(at)) for case, kind, at in [
        ("FOI-2", "opened", "2026-03-02T09:00:00+00:00"),
        ("FOI-2", "rescheduled", "2026-03-09T10:00:00+00:00"),
        ("FOI-2", "working_day", "2026-03-24T00:00:00+00:00"),
        ("FOI-1", "opened", "2026-03-26T10:00:00+00:00"),
        ("CR-1", "opened", "2026-04-02T14:00:00+01:00"),
        ("CR-1", "at_risk", "2026-04-02T14:00:00+01:00"),
        ("CR-2", "opened", "2026-04-02T15:00:00+01:00"),
        ("CR-1", "overdue", "2026-04-08T00:00:00+01:00"),
        ("CR-1", "satisfied_late", "2026-04-08T10:00:00+01:00"),
        ("CR-2", "at_risk", "2026-04-10T00:00:00+01:00"),
        ("CR-2", "satisfied", "2026-04-10T16:00:00+01:00"),
        ("FOI-1", "at_risk", "2026-04-20T00:00:00+01:00"),
        ("FOI-1", "working_day", "2026-04-20T00:00:00+01:00"),
        ("FOI-2", "at_risk", "2026-04-23T00:00:00+01:00"),
        ("FOI-1", "overdue", "2026-04-28T00:00:00+01:00"),
        ("FOI-2", "satisfied", "2026-04-28T12:00:00+01:00"),
        ("FOI-1", "satisfied_late", "2026-04-28T15:00:00+01:00"),
    ]]  # instants compared as instants: the output may give them in any UTC offset
    due = {(r["case_id"], r["rule"]): r["due_date"] for r in got if r["type"] == "transition" and r["due_date"]}
    assert due[("FOI-2", "foi-response")] == "2026-04-30"
    assert due[("FOI-1", "foi-response")] == "2026-04-27"
    assert due[("CR-1", "vcop-arrest-notice")] == "2026-04-07"
    assert due[("CR-2", "vcop-arrest-notice")] == "2026-04-13"
    escalations = [(r["escalation"], r["case_id"], r["notify"]) for r in got if r["type"] == "escalation"
                   and r["escalation"] in STABLE_ESCALATIONS]
    assert escalations == [
        ("foi-day-15-reminder", "FOI-2", ["foi_team"]),
        ("vcop-notice-overdue-enhanced", "CR-1", ["officer_in_charge", "supervisor"]),
        ("foi-day-15-reminder", "FOI-1", ["foi_team"]),
    ]


def test_at_the_end_of_the_demo_the_monitor_holds_what_a_batch_evaluation_gives(
        book: charter_rules.CompiledRulebook, escalations: EscalationBook) -> None:
    lines = (DEMO / "events.jsonl").read_text().splitlines()
    with Monitor(":memory:", book=book, escalations=escalations, matcher=PythonMatcher(escalations)) as monitor:
        run_stream(lines, monitor, lambda record: None, lambda text: None)
        end = monitor.clock
        assert end is not None
        finals: dict[str, dict[str, Any]] = {}
        for line in lines:
            try:
                data = json.loads(line)
            except ValueError:
                continue
            if "event" in data and data["case_id"] in finals:
                if all(e["id"] != data["event"]["id"] for e in finals[data["case_id"]]["events"]):
                    finals[data["case_id"]]["events"].append(data["event"])
            elif "kind" in data:
                finals[data["case_id"]] = dict(data, events=[])
        finals["CR-2"]["events"] = [e for e in finals["CR-2"]["events"] if e["id"] != "b3"]  # line 13 was refused
        assert sorted(monitor.case_ids()) == sorted(finals)
        for case_id, data in finals.items():
            batch = evaluate(book, charter_rules.parse_snapshot(data, book), as_of=end)
            assert monitor.obligations(case_id) == held_state(batch), case_id


def test_a_second_run_on_the_same_store_continues_the_first(tmp_path: Path) -> None:
    lines = (DEMO / "events.jsonl").read_text().splitlines(keepends=True)
    store = str(tmp_path / "monitor.sqlite")
    whole = _watch(str(DEMO / "events.jsonl"), "--matcher", "python", "--store", str(tmp_path / "whole.sqlite"))
    first = _watch("--matcher", "python", "--store", store, stdin="".join(lines[:10]))
    second = _watch("--matcher", "python", "--store", store, stdin="".join(lines[10:]))
    assert first.exit_code == 0 and second.exit_code == 2
    assert _records(first.stdout) + _records(second.stdout) == _records(whole.stdout)


def test_bad_lines_are_reported_with_their_number_and_never_stop_the_stream() -> None:
    stream = "\n".join([
        '{"case_id": "F-1", "kind": "foi_request", "received_at": "2026-03-26T10:00:00+00:00"}',
        '{"tick": "yesterday"}',
        '[1, 2]',
        '{"case_id": "F-1", "event": {"id": "r1", "type": "foi_response_sent", "at": "2026-04-01T10:00:00+01:00"}, "x": 1}',
        '{"something": "else"}',
        '{"case_id": "F-2", "kind": "foi_request", "received_at": "2026-03-27T10:00:00+00:00", "facts": {"nope": 1}}',
        '{"tick": "2026-03-20T10:00:00+00:00"}',
        '{"case_id": "F-1", "event": {"id": "r1", "type": "foi_response_sent", "at": "2026-04-01T10:00:00+01:00"}}',
    ]) + "\n"
    result = _watch("--matcher", "python", "--no-escalations", stdin=stream)
    assert result.exit_code == 2
    settings, *errors = result.stderr.splitlines()
    assert settings.startswith("Settings: Clarification pause for personal-information requests")  # named first
    assert [e.split(":")[0] for e in errors] == ["line 2", "line 3", "line 4", "line 5", "line 6", "line 7"]
    assert "is not a timestamp" in errors[0]
    assert "a line must be a JSON object" in errors[1]
    assert "'case_id' and 'event' only" in errors[2]
    assert "unknown line" in errors[3]
    assert "facts.nope" in errors[4]
    assert "cannot go back" in errors[5]
    out = _records(result.stdout)
    assert ("F-1", "satisfied") in {(r["case_id"], r["transition"]) for r in out}
    assert all(r["type"] == "transition" for r in out)


def test_a_clean_stream_exits_zero_and_ticks_move_the_clock() -> None:
    stream = ('{"case_id": "F-1", "kind": "foi_request", "received_at": "2026-03-26T10:00:00+00:00"}\n'
              '{"tick": "2026-04-28T09:00:00+01:00"}\n')
    result = _watch("--matcher", "python", stdin=stream)
    assert result.exit_code == 0, result.stderr
    kinds = [(r["type"], r["escalation"] if r["type"] == "escalation" else r["transition"])
             for r in _records(result.stdout)]
    assert kinds == [("transition", "opened"), ("transition", "at_risk"), ("transition", "working_day"),
                     ("escalation", "foi-day-15-reminder"), ("transition", "overdue")]


def test_an_unusable_store_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not a database at all")
    result = _watch("--matcher", "python", "--store", str(bad), stdin="")
    assert result.exit_code == 2 and "not a monitor store" in result.stderr


def test_next_wake_after_the_demo_is_in_the_future() -> None:
    with Monitor(":memory:", matcher="python") as monitor:
        run_stream((DEMO / "events.jsonl").read_text().splitlines(), monitor, lambda r: None, lambda t: None)
        wake = monitor.next_wake()
        assert wake is None or wake > dt.datetime(2026, 4, 30, 17, tzinfo=dt.timezone.utc)
