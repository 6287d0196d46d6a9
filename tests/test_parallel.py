"""The process pool: the same report, byte for byte, with one worker or two; records come out in input order."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from charter_rules.check import reading, run
from charter_rules.check.chunk import CheckSettings
from charter_rules.cli import app
from charter_rules.check.run import check_paths
from charter_rules.reports import FORMATS, ReportOptions, render

from .conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import generate  # noqa: E402


@pytest.fixture(autouse=True)
def always_a_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """These exports are small: make sure two workers really means a pool of two processes."""
    monkeypatch.setattr(run, "SMALL_EXPORT_BYTES", 0)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1500 synthetic cases with every kind of data fault, duplicates among them."""
    path = tmp_path_factory.mktemp("pool") / "export.jsonl"
    path.write_bytes(b"\n".join(generate.generate(1500, seed=11)) + b"\n")
    return path


def rendered(report, fmt: str) -> bytes:
    out = io.BytesIO()
    render(report, fmt, out, ReportOptions())
    return out.getvalue()


def test_one_worker_and_two_give_the_same_report_bytes(book, export: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(reading, "BLOCK_BYTES", 32 * 1024)  # many chunks, so duplicates cross chunk boundaries
    settings = CheckSettings(as_of=generate.AS_OF, timeline_cases=frozenset({"CR-00000005"}))
    one = check_paths([export], book, settings, workers=1)
    two = check_paths([export], book, settings, workers=2)
    assert one.records_read == 1500 and one.rejected > 0
    duplicates = [r for r in one.rejections.records() if "duplicate case id" in r["error"]]
    assert duplicates, "the synthetic export should hold duplicates"
    for fmt in FORMATS:
        assert rendered(one, fmt) == rendered(two, fmt), fmt


def test_breaches_and_rejections_come_out_in_input_order(book, export: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(reading, "BLOCK_BYTES", 16 * 1024)
    report = check_paths([export], book, CheckSettings(as_of=generate.AS_OF), workers=2)
    lines = [int(b["where"].rsplit(":", 1)[1]) for b in report.breaches.records()]
    assert lines == sorted(lines) and lines
    lines = [r["line"] for r in report.rejections.records()]
    assert lines == sorted(lines) and lines


def test_the_cli_writes_identical_files_for_any_number_of_workers(export: Path, tmp_path: Path):
    runner = CliRunner()
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"report-{workers}.json"
        result = runner.invoke(app, ["check", str(export), "--as-of", "2026-06-30", "--format", "json",
                                     "--output", str(out), "--workers", workers, "--fail-on", "rejected"])
        assert result.exit_code == 1, result.output
        outputs.append(out.read_bytes())
        assert "checking" not in result.output  # no progress bar when the output is not a terminal
    assert outputs[0] == outputs[1]


def test_csv_and_json_exports_go_through_the_pool_too(book, tmp_path: Path):
    from charter_rules.check.csv_exports import write_csv
    import orjson

    cases = [orjson.loads(line) for line in generate.generate(300, seed=3, clean=True)]
    csv_path = tmp_path / "export.csv"
    with csv_path.open("wb") as handle:
        write_csv(cases, handle, book.vocabulary)
    jsonl_path = tmp_path / "export.jsonl"
    jsonl_path.write_bytes(b"\n".join(orjson.dumps(c) for c in cases) + b"\n")
    settings = CheckSettings(as_of=generate.AS_OF)
    from_csv = check_paths([csv_path], book, settings, workers=2)
    from_jsonl = check_paths([jsonl_path], book, settings, workers=1)
    assert from_csv.rejected == 0 and from_csv.evaluated == 300
    assert from_csv.counts == from_jsonl.counts


def test_two_workers_really_run_in_other_processes(book, export: Path, monkeypatch: pytest.MonkeyPatch):
    from charter_rules.check import chunk
    from charter_rules.check.reading import LinesChunk

    checked_here: list[str] = []
    original = chunk.Checker.check_chunk

    def spy(self, chunk):  # runs only in this process: workers import their own, unpatched module
        checked_here.append("lines" if isinstance(chunk, LinesChunk) else "one record again")
        return original(self, chunk)

    monkeypatch.setattr(chunk.Checker, "check_chunk", spy)
    report = check_paths([export], book, CheckSettings(as_of=generate.AS_OF), workers=2)
    assert report.records_read == 1500
    assert "lines" not in checked_here  # here, only duplicates are checked again (to take their counts back out)
    assert len(checked_here) == sum("duplicate case id" in r["error"] for r in report.rejections.records())
    check_paths([export], book, CheckSettings(as_of=generate.AS_OF), workers=1)
    assert "lines" in checked_here
