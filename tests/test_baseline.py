"""check --baseline: breaches new, persisting, resolved and not in this run, between two exports worked by hand.

General enquiries received Mon 11 May 2026 10:00, resolved at first contact (so no explanation or reference number
is owed) and not a matter for the police: the referral elsewhere is due within 5 working days with Tue 12 May as
day 1: Tue 12, Wed 13, Thu 14, Fri 15, Mon 18 May. Both exports are checked as of Wed 20 May 2026 noon.

  case  earlier export                 later export                      comparison
  K1    no referral: overdue           no referral: overdue              persisting
  K2    no referral: overdue           referred Tue 19 May: met late     persisting (was overdue)
  K3    (absent)                       no referral: overdue              new, overdue
  K4    no referral: overdue           (absent)                          case not in this run
  K5    no referral: overdue           referred Thu 14 May: on time      resolved
  K6    no referral: overdue           invalid record: rejected          case not in this run
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import xmlschema
from typer.testing import CliRunner

from charter_rules.cli import app

runner = CliRunner()
AS_OF = "2026-05-20T12:00:00+01:00"
SCHEMA = Path(__file__).parent / "data" / "junit.xsd"
RULE = "charter-referral-elsewhere"


def enquiry(case_id: str, referred: str | None = None) -> dict:
    events = []
    if referred:
        events.append({"id": "r1", "type": "referred_to_other_organisation", "at": referred})
    return {"case_id": case_id, "kind": "general_enquiry", "received_at": "2026-05-11T10:00:00+01:00",
            "facts": {"resolved_at_first_contact": True, "matter_for_police": False}, "events": events}


def write(path: Path, cases: list[dict]) -> Path:
    path.write_text("".join(json.dumps(c) + "\n" for c in cases))
    return path


@pytest.fixture()
def runs(tmp_path: Path) -> tuple[Path, Path]:
    earlier = write(tmp_path / "earlier.jsonl", [enquiry(k) for k in ("K1", "K2", "K4", "K5", "K6")])
    bad = enquiry("K6")
    del bad["received_at"]
    later = write(tmp_path / "later.jsonl", [
        enquiry("K1"), enquiry("K2", "2026-05-19T10:00:00+01:00"), enquiry("K3"),
        enquiry("K5", "2026-05-14T10:00:00+01:00"), bad])
    report = tmp_path / "earlier.json"
    done = runner.invoke(app, ["check", str(earlier), "--as-of", AS_OF, "--format", "json", "-o", str(report)])
    assert done.exit_code == 1, done.output  # overdue breaches
    return report, later


def check(later: Path, report: Path, *args: str) -> tuple[int, str]:
    done = runner.invoke(app, ["check", str(later), "--as-of", AS_OF, "--baseline", str(report), *args])
    return done.exit_code, done.stdout


def test_json_lists_each_kind_worked_by_hand(runs):
    report, later = runs
    code, output = check(later, report, "--format", "json", "--fail-on", "new-overdue")
    assert code == 1
    compared = json.loads(output)["compared_with_baseline"]
    keys = {kind: sorted((b["case_id"], b["status"]) for b in compared[kind])
            for kind in ("new", "persisting", "resolved", "not_in_run")}
    assert keys == {"new": [("K3", "overdue")],
                    "persisting": [("K1", "overdue"), ("K2", "satisfied_late")],
                    "resolved": [("K5", "overdue")],
                    "not_in_run": [("K4", "overdue"), ("K6", "overdue")]}
    assert [b["baseline_status"] for b in sorted(compared["persisting"], key=lambda b: b["case_id"])] == \
        ["overdue", "overdue"]
    assert compared["totals"] == {"new": 1, "persisting": 2, "resolved": 1, "not_in_run": 2, "new_overdue": 1,
                                  "new_satisfied_late": 0}
    assert compared["rules"] == [{"rule": RULE, "new": 1, "persisting": 2, "resolved": 1, "not_in_run": 2}]


def test_fail_on_new_only_fails_when_things_get_worse(runs, tmp_path: Path):
    report, later = runs
    assert check(later, report, "--fail-on", "new-satisfied_late")[0] == 0  # K2 met late is not new
    assert check(later, report, "--fail-on", "new-breach")[0] == 1
    same = write(tmp_path / "same.jsonl", [enquiry("K1"), enquiry("K2")])
    code, output = check(same, report, "--fail-on", "new-overdue")
    assert code == 0, output  # K1 is still overdue, but it is not new
    assert "0 new breaches" in output and "passed" in output


@pytest.mark.parametrize("fmt, marker", [
    ("text", "1 new breach (1 overdue, 0 met late), 2 persisting, 1 resolved, 2 whose case is not in this run"),
    ("markdown", "### Compared with the baseline"),
    ("html", "<h2>Compared with the baseline</h2>"),
    ("junit", 'name="new since the baseline"'),
])
def test_every_format_shows_the_comparison(runs, fmt, marker):
    report, later = runs
    code, output = check(later, report, "--format", fmt, "--fail-on", "new-overdue")
    assert code == 1
    assert marker in " ".join(output.split())  # the text report wraps long lines to the terminal's width
    assert "K3" in output
    if fmt == "junit":
        xmlschema.XMLSchema(str(SCHEMA)).validate(output)
        assert 'type="new-overdue"' in output


@pytest.mark.parametrize("content, message", [
    ('{"format": "charter-rules.check/1", "breaches": []}', "old format charter-rules.check/1"),
    ('{"format": "charter-rules.evaluation/1"}', "not a charter-rules check report"),
    ('{"something": 1}', "it has no 'format'"),
    ("not json at all", "the baseline is not JSON"),
    ('{"format": "charter-rules.check/2", "breaches": [{"rule": "x"}]}', "breaches[0] lacks case_id"),
])
def test_an_old_or_foreign_baseline_is_refused_clearly(runs, tmp_path: Path, content, message):
    _, later = runs
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    done = runner.invoke(app, ["check", str(later), "--as-of", AS_OF, "--baseline", str(bad)])
    assert done.exit_code == 2
    assert message in done.output and str(bad) in done.output


def test_new_outcomes_need_a_baseline(runs):
    _, later = runs
    done = runner.invoke(app, ["check", str(later), "--as-of", AS_OF, "--fail-on", "new-overdue"])
    assert done.exit_code == 2 and "--baseline" in done.output
