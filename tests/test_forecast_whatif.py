"""Forecast and what-if: a forecast equals evaluating the case at each forecast moment (and just before it), and
nothing changes between moments; a what-if equals evaluating the edited case. Dates worked out by hand."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import charter_rules
from charter_rules.cli import app
from charter_rules.errors import SnapshotError
from charter_rules.obligation import Status
from charter_rules.planning import forecast, what_if
from charter_rules.planning.words import signature

from .conftest import REPO, at

EXAMPLES = sorted((REPO / "examples" / "cases").glob("*.json"))
BURGLARY = REPO / "examples" / "cases" / "burglary-with-arrest.json"
LONG_INVESTIGATION = REPO / "examples" / "cases" / "complaint-police-conduct-long-investigation.json"
TINY = dt.timedelta(microseconds=1)
runner = CliRunner()


def _load(book, path: Path):
    return charter_rules.parse_snapshot(json.loads(path.read_text()), book)


def _states(book, case, moment):
    return {(o.rule_id, o.instance): signature(o) for o in charter_rules.evaluate(book, case, as_of=moment).obligations}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_forecast_equals_evaluating_at_each_moment_and_just_before(book, path: Path):
    case = _load(book, path)
    start = case.received_at + dt.timedelta(hours=1)
    result = forecast(book, case, start=start, until=start + dt.timedelta(days=800))
    moments = result.moments
    assert moments, "every example case has something ahead of it"
    previous = start
    for moment in moments:
        before, after = _states(book, case, moment - TINY), _states(book, case, moment)
        here = [c for c in result.changes if c.at == moment]
        changed = {key for key in after if before.get(key) != after[key]}
        assert changed == {(c.rule_id, c.instance) for c in here}
        for change in here:
            assert signature(change.after) == after[(change.rule_id, change.instance)]
            if change.before is not None:
                assert signature(change.before) == before[(change.rule_id, change.instance)]
        # nothing changes between two forecast moments: the state half-way equals the state just after the first
        assert _states(book, case, previous + (moment - previous) / 2) == _states(book, case, previous)
        previous = moment


def test_forecast_of_the_burglary_worked_by_hand(book):
    case = _load(book, BURGLARY)
    result = forecast(book, case, start=at("2026-04-08T12:00:00+01:00"), until=at("2026-04-30T00:00:00+01:00"))
    first = [c for c in result.changes if c.at == at("2026-04-09T00:00:00+01:00")]
    # officer contact details and written confirmation were due by the end of Wed 8 Apr 2026 (worked in the rules'
    # examples): both go overdue when Thu 9 Apr begins in London
    assert {c.rule_id for c in first} == {"charter-officer-contact-details", "vcop-written-confirmation"}
    assert all(c.after.status is Status.OVERDUE and c.before.status is Status.AT_RISK for c in first)
    assert "goes overdue: it was due by the end of Wed 8 Apr 2026" in first[0].text


def test_fixed_schedule_reports_its_next_occurrence(book):
    case = _load(book, LONG_INVESTIGATION)
    evaluation = charter_rules.evaluate(book, case, as_of=at("2027-03-20T12:00:00+00:00"))
    report = [o for o in evaluation.obligations if o.rule_id == "police-complaint-long-investigation-report"]
    # received Tue 2 Mar 2026... the first report started Tue 2 Mar 2027; 2 Mar 2027 + 6 months = Thu 2 Sep 2027
    assert report[-1].next_change == at("2027-09-02T00:00:00+01:00")
    result = forecast(book, case, start=at("2027-03-20T12:00:00+00:00"), until=at("2027-09-30T00:00:00+01:00"))
    starts = [c for c in result.changes if c.before is None]
    assert [(c.at, c.instance, c.after.due_date) for c in starts] == [
        # 10 working days with Thu 2 Sep 2027 as day 1: 2-3 Sep (2), 6-10 Sep (7), 13-15 Sep (10)
        (at("2027-09-02T00:00:00+01:00"), 2, dt.date(2027, 9, 15))]
    overdue = [c for c in result.changes if c.after.status is Status.OVERDUE]
    assert [c.at for c in overdue] == [at("2027-09-16T00:00:00+01:00")]


def test_forecast_refuses_a_horizon_before_its_start(book):
    case = _load(book, BURGLARY)
    with pytest.raises(charter_rules.CharterRulesError, match="before its start"):
        forecast(book, case, start=at("2026-04-08T12:00:00+01:00"), until=at("2026-04-01T12:00:00+01:00"))


TOLD = {"type": "victim_informed", "at": "2026-04-14T10:00:00+01:00", "about": "arrest", "suspect": "S1"}


def test_what_if_told_a_day_late_worked_by_hand(book):
    case = _load(book, BURGLARY)
    result = what_if(book, case, [{"remove": "e5"}, TOLD], as_of=at("2026-04-10T12:00:00+01:00"))
    # the arrest notice is due by the end of Mon 13 Apr 2026; told on Tue 14 Apr: late by 1 working day
    assert result.as_of == at("2026-04-14T10:00:00+01:00")  # compared when the added event is known
    assert [(c.rule_id, c.before.status, c.after.status) for c in result.changes] == [
        ("vcop-arrest-notice", Status.SATISFIED, Status.SATISFIED_LATE)]
    assert "met late by 1 working day" in result.changes[0].text
    assert "'Victim informed of a key event'" in result.premise and "e5" in result.premise


@pytest.mark.parametrize("edits", [
    [{"remove": "e5"}, TOLD], [{"remove": "e5"}], [{"remove": "e4"}],
    [{"type": "needs_assessment_completed", "at": "2026-04-01T09:00:00+01:00"}],
])
def test_what_if_equals_evaluating_the_edited_case(book, edits):
    raw = json.loads(BURGLARY.read_text())
    case = charter_rules.parse_snapshot(raw, book)
    moment = at("2026-04-20T12:00:00+01:00")
    result = what_if(book, case, edits, as_of=moment)
    changed = copy.deepcopy(raw)
    for number, edit in enumerate(edits, 1):
        if "remove" in edit:
            changed["events"] = [e for e in changed["events"] if e.get("id") != edit["remove"]]
        else:
            changed["events"].append({"id": f"what-if-{number}", **edit})
    expected_after = _states(book, charter_rules.parse_snapshot(changed, book), moment)
    expected_before = _states(book, case, moment)
    assert {(o.rule_id, o.instance): signature(o) for o in result.after.obligations} == expected_after
    differ = {k for k in expected_before.keys() | expected_after.keys()
              if expected_before.get(k) != expected_after.get(k)}
    assert {(c.rule_id, c.instance) for c in result.changes} == differ
    assert differ, "each of these edits changes something"


def test_what_if_refuses_an_unknown_event_id(book):
    with pytest.raises(SnapshotError, match="no event with id 'zz'"):
        what_if(book, _load(book, BURGLARY), [{"remove": "zz"}], as_of=at("2026-04-10T12:00:00+01:00"))


def test_cli_forecast_and_what_if():
    done = runner.invoke(app, ["evaluate", str(BURGLARY), "--as-of", "2026-04-08T12:00:00+01:00", "--forecast",
                               "--until", "2026-04-10"])
    assert done.exit_code == 0, done.output
    assert "Thu 9 Apr 2026 00:00 BST" in done.output and "goes overdue" in done.output
    done = runner.invoke(app, ["evaluate", str(BURGLARY), "--as-of", "2026-04-10T12:00:00+01:00", "--what-if",
                               '{"remove": "e5"}', "--what-if", json.dumps(TOLD), "--format", "json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert data["format"] == "charter-rules.what-if/1"
    assert [c["after"]["status"] for c in data["changes"]] == ["satisfied_late"]
    done = runner.invoke(app, ["evaluate", str(BURGLARY), "--what-if", "{not json"])
    assert done.exit_code == 2 and "not JSON" in done.output
