"""The command line: exact exit codes and the output people rely on."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from charter_rules.cli import app

from .conftest import REPO, crime_case

runner = CliRunner()
CASES = REPO / "examples" / "cases"


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_evaluate_text_explains_with_skipped_days():
    result = invoke("evaluate", str(CASES / "burglary-with-arrest.json"), "--as-of", "2026-04-10T12:00:00+01:00")
    assert result.exit_code == 0, result.output
    assert "Case CR-2026-0412 as of Fri 10 Apr 2026 12:00 BST" in result.output
    assert "Mon 6 Apr 2026: Easter Monday (England and Wales)" in result.output
    assert "vcop-arrest-notice #1 [SATISFIED]" in result.output


def test_evaluate_json_is_versioned():
    result = invoke("evaluate", str(CASES / "foi-with-clarification.json"), "--as-of", "2026-07-15", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "charter-rules.evaluation/1"
    foi = next(o for o in data["obligations"] if o["rule"] == "foi-response")
    assert foi["status"] == "satisfied" and foi["due_date"] == "2026-07-09"
    assert data["as_of"] == "2026-07-15T23:59:59.999999+01:00"  # a bare date means the end of that day in London


def test_evaluate_bad_case_exits_2_naming_the_field(tmp_path: Path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(crime_case(events=[{"type": "suspect_arrested", "at": "2026-04-02T14:00:00",
                                                   "suspect": "S1"}])))
    result = invoke("evaluate", str(path), "--as-of", "2026-04-10")
    assert result.exit_code == 2
    assert "SnapshotError" in result.output and "events[0].at" in result.output and str(path) in result.output


def test_as_of_without_offset_is_refused():
    result = invoke("evaluate", str(CASES / "burglary-with-arrest.json"), "--as-of", "2026-04-10T12:00:00")
    assert result.exit_code == 2
    assert "no UTC offset" in result.output


def test_check_exit_codes(tmp_path: Path):
    clean = invoke("check", str(CASES / "foi-with-clarification.json"), "--as-of", "2026-07-15")
    assert clean.exit_code == 0, clean.output
    breaches = invoke("check", str(CASES), "--as-of", "2026-07-15T12:00:00+01:00")
    assert breaches.exit_code == 1, breaches.output
    assert "overdue" in breaches.output
    missing = invoke("check", str(tmp_path / "nothing-here.jsonl"), "--as-of", "2026-07-15")
    assert missing.exit_code == 2


def test_check_reports_rejected_records_and_totals(tmp_path: Path):
    export = tmp_path / "export.jsonl"
    good = json.dumps(crime_case(case_id="A"))
    naive = json.dumps(crime_case(case_id="B", received="2026-03-30T09:00:00"))
    export.write_text("\n".join([good, "{not json", naive, good]) + "\n")
    result = invoke("check", str(export), "--as-of", "2026-03-30T10:00:00+01:00", "--format", "json",
                    "--fail-on", "rejected")
    assert result.exit_code == 1
    data = json.loads(result.output)
    totals = data["totals"]
    assert (totals["records_read"], totals["evaluated"], totals["rejected"]) == (4, 1, 3)
    wheres = [r["where"] for r in data["rejected"]]
    assert wheres == [f"{export}:2", f"{export}:3", f"{export}:4"]
    assert "duplicate case id" in data["rejected"][2]["error"]
    assert "received_at" in data["rejected"][1]["error"]


def test_rules_validate_and_list():
    result = invoke("rules", "validate")
    assert result.exit_code == 0 and "rule book OK" in result.output
    listed = invoke("rules", "list")
    assert "foi-response" in listed.output


def test_rules_validate_reports_file_and_line(tmp_path: Path, rules_copy: Path):
    path = rules_copy / "commitments" / "foi-response.yaml"
    path.write_text(path.read_text().replace("unit: working_days", "unit: workdays", 1))
    result = invoke("rules", "validate", "--rules", str(rules_copy))
    assert result.exit_code == 2
    assert f"{path}:" in result.output and "workdays" in result.output


def test_schema_case_and_rule():
    case = json.loads(invoke("schema", "case").output)
    assert case["title"] == "CaseSnapshot" and "events" in case["properties"]
    rule = json.loads(invoke("schema", "rule").output)
    assert "versions" in rule["properties"]


def test_deadline_calculator_shows_skipped_days():
    result = invoke("deadline", "2026-06-01", "20", "working_days", "--calendar", "any_part_of_uk")
    assert result.exit_code == 0, result.output
    assert "Tue 30 Jun 2026 (2026-06-30)" in result.output
    assert "Mon 15 Jun 2026: Scotland's participation in the FIFA World Cup final (Scotland)" in result.output


def test_deadline_calculator_refuses_unknown_calendar():
    result = invoke("deadline", "2026-06-01", "20", "--calendar", "wales")
    assert result.exit_code == 2 and "calendars:" in result.output


def test_worked_examples_command():
    result = invoke("test")
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].endswith(" failed")
    assert ", 0 failed" in result.output


def test_rules_validate_checks_escalation_rules_too(rules_copy: Path):
    first = sorted((rules_copy / "escalations").glob("*.yaml"))[0]
    first.write_text(first.read_text().replace(f"id: {first.stem}", "id: another-id", 1))
    result = invoke("rules", "validate", "--rules", str(rules_copy))
    assert result.exit_code == 2
    assert f"{first}:" in result.output and f"use id: {first.stem}" in result.output


def test_evaluate_gives_the_same_answer_whichever_reader_takes_the_case(monkeypatch):
    # a plainly valid case is read by the fast decoder; force every case through the case-snapshot model instead
    from charter_rules.case_decoder import CaseDecoder

    for path in sorted(CASES.glob("*.json")):
        for output in ("json", "text"):
            args = ("evaluate", str(path), "--as-of", "2026-07-15T12:00:00+01:00", "--format", output, "--all")
            fast = invoke(*args)
            with monkeypatch.context() as patch:
                patch.setattr(CaseDecoder, "decode", lambda self, payload: None)
                judged = invoke(*args)
            assert fast.exit_code == judged.exit_code == 0, (path, fast.output)
            assert fast.output == judged.output, path
