"""The text report of ``check`` at the widths people and CI logs use: 80, 100, 120 and 200 columns (``COLUMNS``).

Each is compared with a snapshot in tests/snapshots/ (read by eye when it was made; set CHARTER_UPDATE_SNAPSHOTS=1 to
write them again after a deliberate change, and read the difference). Whatever the width, a rule's title is never
cut, no line of the summary is wider than asked, and columns that are zero for every rule are left out.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from charter_rules.cli import app

from .conftest import crime_case

SNAPSHOTS = Path(__file__).parent / "snapshots"
AS_OF = "2026-04-02T12:00:00+01:00"
RECEIVED = "2026-03-27T10:00:00+00:00"  # support referral due Tue 31 Mar 2026 (2 working days), see test_batch.py


def _export(folder: Path) -> None:
    rows = [
        crime_case("LATE", RECEIVED, [{"id": "r", "type": "referred_to_victim_support",
                                       "at": "2026-04-01T09:00:00+01:00"}]),
        crime_case("ON-TIME", RECEIVED, [{"id": "r", "type": "referred_to_victim_support",
                                          "at": "2026-03-30T10:00:00+01:00"}]),
        crime_case("OVERDUE", RECEIVED),
    ]
    (folder / "export.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n{\"case_id\": \"CUT\"\n")


def _report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: int) -> str:
    _export(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check", "export.jsonl", "--as-of", AS_OF, "--workers", "1"],
                                env={"COLUMNS": str(columns)})
    assert result.exit_code == 1, result.output
    return result.output


@pytest.mark.parametrize("columns", [80, 100, 120, 200])
def test_text_report_matches_its_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    text = _report(tmp_path, monkeypatch, columns)
    snapshot = SNAPSHOTS / f"check-text-{columns}.txt"
    if os.environ.get("CHARTER_UPDATE_SNAPSHOTS"):
        snapshot.write_text(text, encoding="utf-8")
    assert text == snapshot.read_text(encoding="utf-8")


@pytest.mark.parametrize("columns", [80, 100, 120, 200])
def test_titles_are_whole_and_the_summary_fits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               columns: int) -> None:
    text = _report(tmp_path, monkeypatch, columns)
    summary = text[:text.index("records read:")]
    assert "…" not in text
    assert all(len(line) <= columns for line in summary.splitlines())
    # every line of the report fits, wrapped with a hanging indent; only a single word wider than the line (a file
    # name) may stick out, since an identifier is never cut
    too_wide = [line for line in text.splitlines() if len(line) > columns and " " in line.strip()]
    assert not too_wide, too_wide
    flat = " ".join(summary.replace("│", " ").split())
    for title in ("Refer the victim to support services unless they opt out",
                  "Send the victim written confirmation of the crime report"):
        words = title.split()
        assert all(word in flat for word in words), title
    # nothing was waived or paused in this export: those columns are left out
    assert "waived" not in summary.split("Obligations as of")[1].splitlines()[1:3].__str__()


def test_columns_decide_between_the_table_and_the_long_layout(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert "  rule  " in _report(tmp_path, monkeypatch, 120).splitlines()[2]
    narrow = _report(tmp_path, monkeypatch, 100)
    assert " rule " not in narrow
    assert "\nRefer the victim to support services unless they opt out\n  33.3% met on time; 1 overdue, 1 " in narrow
