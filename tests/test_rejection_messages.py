"""What a person reads about rejected records: one line each, grouped by cause, never the library's own words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from charter_rules.cli import app

from .conftest import crime_case

runner = CliRunner()
LIBRARY_WORDING = ("Input should", "Input tag", "Extra inputs", "Field required", "Value error", "not permitted",
                   "expected tags")


@pytest.fixture()
def export(tmp_path: Path) -> Path:
    records = []
    for number in range(6):
        case = crime_case(f"CR-{number}", events=[
            {"id": "a1", "type": "suspect_arrested", "at": "2026-04-02T14:00:00+01:00", "suspect": "S1"}])
        if number % 3 == 0:
            case["events"][0]["type"] = "victim_telephoned"
        if number % 3 == 1:
            case["received_at"] = "2026-03-30T09:00:00"
        records.append(json.dumps(case))
    records.append("{not json")
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(records) + "\n")
    return path


def test_a_rejected_record_is_one_short_plain_line(export: Path) -> None:
    # a terminal wide enough that the report does not wrap lines: each message is one line of its own
    result = runner.invoke(app, ["check", str(export), "--as-of", "2026-04-10", "--fail-on", "rejected"],
                           env={"COLUMNS": "400"})
    lines = [line for line in result.stdout.splitlines() if "rejected " in line and "export.jsonl:" in line]
    assert len(lines) == 5
    unknown = next(line for line in lines if ":1, case CR-0" in line)
    assert "case CR-0: events[0].type: unknown event type 'victim_telephoned' (did you mean" in unknown
    assert all(len(line) - len(str(export)) < 180 for line in lines), max(lines, key=len)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "junit", "html"])
def test_no_library_wording_in_any_report(export: Path, fmt: str) -> None:
    result = runner.invoke(app, ["check", str(export), "--as-of", "2026-04-10", "--format", fmt])
    for wording in LIBRARY_WORDING:
        assert wording not in result.stdout, (fmt, wording)


def test_rejections_are_grouped_by_cause_with_counts_and_first_lines(export: Path) -> None:
    result = runner.invoke(app, ["check", str(export), "--as-of", "2026-04-10", "--format", "json"])
    groups = json.loads(result.stdout)["rejection_causes"]
    by_cause = {g["cause"]: g for g in groups}
    unknown = by_cause["events.type: unknown event type 'victim_telephoned'"]
    assert unknown["records"] == 2 and unknown["first"] == [f"{export}:1", f"{export}:4"]
    assert unknown["hint"].startswith("did you mean")
    naive = by_cause["received_at: the timestamp has no UTC offset"]
    assert naive["records"] == 2 and naive["first"] == [f"{export}:2", f"{export}:5"]
    assert by_cause["not valid JSON"]["first"] == [f"{export}:7"]
    assert [g["records"] for g in groups] == sorted((g["records"] for g in groups), reverse=True)
    text = runner.invoke(app, ["check", str(export), "--as-of", "2026-04-10"]).stdout
    assert "2 records: events.type: unknown event type 'victim_telephoned'" in text
