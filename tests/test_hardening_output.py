"""Case data cannot inject terminal controls, break JUnit XML, or run as a spreadsheet formula."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from charter_rules.cli import app
from charter_rules.check.csv_exports import CsvReader, write_csv
from charter_rules.textsafe import csv_cell, csv_value, lines, one_line, xml_chars

from .conftest import crime_case

runner = CliRunner()
EVIL_ID = "X\x1b[31mRED\x1b]0;title\x07\u202eEVIL\ufffe\uffff\x00\x0b"


@pytest.fixture()
def evil_export(tmp_path: Path) -> Path:
    path = tmp_path / "cases.jsonl"
    bad = {"case_id": "Y\x1b[2J", "kind": "crime_report", "received_at": "nonsense\x1b[31m"}
    path.write_text(json.dumps(crime_case(EVIL_ID)) + "\n" + json.dumps(bad) + "\n")
    return path


def _check(export: Path, *extra: str) -> str:
    result = runner.invoke(app, ["check", str(export), "--as-of", "2026-06-01", "--fail-on", "overdue",
                                 "--fail-on", "rejected", "--case", EVIL_ID, *extra])
    assert result.exit_code == 1, result.output
    return result.stdout


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "junit"])
def test_no_control_character_from_case_data_reaches_a_report(evil_export, fmt):
    output = _check(evil_export, "--format", fmt)
    assert "RED" in output  # the value is still there, made visible
    for forbidden in ("\x1b", "\x07", "\u202e", "\x00", "\x0b"):
        assert forbidden not in output
    assert "\\x1b" in output


def test_junit_always_parses_and_keeps_the_value_visible(evil_export):
    root = ET.fromstring(_check(evil_export, "--format", "junit").encode())
    names = [case.get("name") for case in root.iter("testcase")]
    assert any(name and name.startswith("X\\x1b[31mRED") and "\\ufffe\\uffff" in name for name in names)


def test_json_report_keeps_the_exact_value(evil_export):
    report = json.loads(_check(evil_export, "--format", "json"))
    assert any(b["case_id"] == EVIL_ID for b in report["breaches"])


def test_helpers():
    assert one_line("a\nb\x1b") == "a\\x0ab\\x1b"
    assert lines("a\nb\x9b") == "a\nb\\x9b"
    assert xml_chars("ok\tline\n\ud800\ufffe") == "ok\tline\n\\ud800\\ufffe"
    assert one_line("plain text") == "plain text"


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "'=x", "''+y",
                                   "'plain", "plain", "-"])
def test_csv_cells_never_start_a_formula_and_round_trip(value):
    cell = csv_cell(value)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert csv_value(cell) == value


def test_write_csv_neutralises_formulas_and_reads_them_back(book):
    case = crime_case("=cmd|'/C calc'!A0", victim_name="@evil", events=[
        {"id": "+e1", "type": "suspect_arrested", "at": "2026-03-31T10:00:00+01:00", "note": "-1+1"}])
    buffer = io.BytesIO()
    write_csv([case], buffer, book.vocabulary)
    text = buffer.getvalue().decode()
    for row in text.splitlines()[1:]:
        assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row.split(","))
    reader = CsvReader(book.vocabulary)
    items = list(reader(Path("cases.csv"), io.BytesIO(buffer.getvalue())))
    data = json.loads(items[0].payload)
    assert data["case_id"] == "=cmd|'/C calc'!A0"
    assert data["facts"]["victim_name"] == "@evil"
    assert data["events"][0]["id"] == "+e1" and data["events"][0]["note"] == "-1+1"
