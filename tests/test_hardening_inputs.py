"""Limits on exports: the largest record, decompression bombs, blank space, pipes and looping links, one BOM rule."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

import charter_rules
from charter_rules import inputlimits
from charter_rules.check import reading as sources
from charter_rules.cli import app
from charter_rules.check.csv_exports import CsvReader
from charter_rules.inputlimits import parse_size
from charter_rules.check.reading import ItemsChunk, LinesChunk, read_chunks, split_lines

from .conftest import crime_case

runner = CliRunner()


def _items(chunks) -> list[tuple[str, int | None, bytes | None, str | None]]:
    """(file name, line, payload, error) of every record, in order."""
    out = []
    for chunk in chunks:
        if isinstance(chunk, LinesChunk):
            out.extend((Path(chunk.source).name, line, text, None) for line, text in split_lines(chunk))
        else:
            assert isinstance(chunk, ItemsChunk)
            out.extend((Path(i.source).name, i.line, i.payload, i.error) for i in chunk.items)
    return out


@pytest.fixture()
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "BLOCK_BYTES", 64)


def test_a_line_over_the_maximum_is_rejected_with_its_line_and_the_next_lines_are_read(tmp_path, small_blocks):
    path = tmp_path / "cases.jsonl"
    path.write_bytes(b'{"a": 1}\n' + b"x" * 5000 + b'\n{"b": 2}\n' + b"y" * 3000)
    found = _items(read_chunks([path], max_record_bytes=1000))
    assert [(line, payload) for _, line, payload, _ in found] == [(1, b'{"a": 1}'), (2, None), (3, b'{"b": 2}'),
                                                                   (4, None)]
    assert "longer than 1,000 bytes" in found[1][3] and "--max-record-size" in found[1][3]


def test_a_line_just_under_the_maximum_spanning_blocks_is_kept_whole(tmp_path, small_blocks):
    record = b'{"k": "' + b"v" * 990 + b'"}'
    path = tmp_path / "cases.jsonl"
    path.write_bytes(b"\n" + record + b"\n")
    assert _items(read_chunks([path], max_record_bytes=len(record))) == [("cases.jsonl", 2, record, None)]
    assert _items(read_chunks([path], max_record_bytes=len(record) - 1))[0][2] is None


def test_a_64_kib_line_without_a_newline_is_one_rejection(tmp_path):
    path = tmp_path / "long.jsonl"
    path.write_bytes(b"z" * (64 << 10))
    found = _items(read_chunks([path], max_record_bytes=16 << 10))
    assert len(found) == 1 and found[0][1] == 1 and "longer than 16 KiB" in found[0][3]


def test_a_gzip_bomb_stops_with_a_rejection_naming_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(inputlimits, "GZIP_SLACK_BYTES", 1 << 20)
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(b"\n" * (40 << 20), 9))  # about 40 KB expanding 1,000 times
    found = _items(read_chunks([path]))
    assert len(found) == 1
    assert found[0][0] == "bomb.jsonl.gz" and "decompression bomb" in found[0][3]


def test_an_ordinary_gzip_export_is_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(inputlimits, "GZIP_SLACK_BYTES", 1 << 10)
    lines = b"".join(json.dumps(crime_case(f"C-{i}")).encode() + b"\n" for i in range(300))
    path = tmp_path / "cases.jsonl.gz"
    path.write_bytes(gzip.compress(lines))
    assert len(_items(read_chunks([path]))) == 300


def test_blank_space_in_and_before_a_json_array_is_dropped_and_lines_still_count(tmp_path, small_blocks):
    path = tmp_path / "cases.json"
    path.write_bytes(b"\n" * 300 + b"[" + b" \n" * 500 + b'{"a": 1},' + b"\t" * 1000 + b'\n{"b": 2}' + b" " * 900 + b"]")
    found = _items(read_chunks([path]))
    assert [(line, payload) for _, line, payload, _ in found] == [(801, b'{"a": 1}'), (802, b'{"b": 2}')]


def test_a_json_array_of_blank_space_only_has_no_records(tmp_path, small_blocks):
    path = tmp_path / "cases.json"
    path.write_bytes(b"[" + b" " * 100_000 + b"]")
    assert _items(read_chunks([path])) == []


def test_an_array_element_over_the_maximum_stops_the_file_with_its_line(tmp_path, small_blocks):
    path = tmp_path / "cases.json"
    path.write_bytes(b'[{"a": 1},\n{"b": "' + b"x" * 5000 + b'"}, {"c": 3}]')
    found = _items(read_chunks([path], max_record_bytes=1000))
    assert found[0][2] == b'{"a": 1}'
    assert found[1][1] == 2 and "the rest of the file was not read" in found[1][3]


def test_a_one_case_file_over_the_maximum_is_rejected(tmp_path):
    path = tmp_path / "case.json"
    path.write_bytes(b'{"k": "' + b"x" * 5000 + b'"}')
    found = _items(read_chunks([path], max_record_bytes=1000))
    assert found[0][2] is None and "longer than 1,000 bytes" in found[0][3]


def test_a_csv_line_over_the_maximum_is_rejected(tmp_path, book):
    path = tmp_path / "cases.csv"
    path.write_bytes(b"case_id,kind,received_at\n" + b"A" * 5000 + b",crime_report,2026-03-30T09:00:00+01:00\n")
    found = _items(read_chunks([path], csv_reader=CsvReader(book.vocabulary), max_record_bytes=1024))
    assert found[-1][1] == 2 and "longer than 1 KiB" in found[-1][3]


def test_pipes_and_looping_links_in_a_folder_are_reported_not_skipped(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "a.jsonl").write_text(json.dumps(crime_case("A")) + "\n")
    os.mkfifo(folder / "b.jsonl")
    (folder / "c.jsonl").symlink_to(folder / "c.jsonl")  # a link to itself
    (folder / "d.jsonl").symlink_to(folder / "missing.jsonl")
    (folder / "notes.txt").write_text("not an export")
    found = _items(read_chunks([folder]))
    assert [name for name, *_ in found] == ["a.jsonl", "b.jsonl", "c.jsonl", "d.jsonl"]
    assert "not a regular file" in found[1][3]
    assert "cannot be read" in found[2][3] and "cannot be read" in found[3][3]


def test_a_pipe_given_by_name_is_an_error_not_a_hang(tmp_path):
    fifo = tmp_path / "case.json"
    os.mkfifo(fifo)
    result = runner.invoke(app, ["evaluate", str(fifo), "--as-of", "2026-04-01"])
    assert result.exit_code == 2 and "not a regular file" in result.output
    found = _items(read_chunks([fifo]))
    assert "not a regular file" in found[0][3]


def test_a_byte_order_mark_is_left_out_by_check_evaluate_and_the_api(tmp_path, book):
    text = json.dumps(crime_case("BOM-1")).encode()
    case_file = tmp_path / "case.json"
    case_file.write_bytes(b"\xef\xbb\xbf" + text)
    assert charter_rules.parse_snapshot(b"\xef\xbb\xbf" + text, book).case_id == "BOM-1"
    assert charter_rules.parse_snapshot("\ufeff" + text.decode(), book).case_id == "BOM-1"
    assert runner.invoke(app, ["evaluate", str(case_file), "--as-of", "2026-04-01"]).exit_code == 0
    result = runner.invoke(app, ["check", str(case_file), "--as-of", "2026-04-01", "--format", "json"])
    assert json.loads(result.stdout)["totals"]["evaluated"] == 1


def test_the_maximum_record_size_option(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(crime_case("A", victim_name="x" * 2000)) + "\n")
    result = runner.invoke(app, ["check", str(path), "--as-of", "2026-04-01", "--max-record-size", "1K",
                                 "--format", "json"])
    assert result.exit_code == 2  # the one record is over 1 KiB, so nothing could be evaluated
    assert "longer than 1 KiB" in result.stdout
    assert runner.invoke(app, ["check", str(path), "--max-record-size", "lots"]).exit_code == 2
    assert parse_size("8M") == 8 << 20 and parse_size("512k") == 512 << 10 and parse_size("100") == 100


@pytest.mark.parametrize("command", [["queue"], ["compare", "--rules", "RULES", "--rules", "RULES"]])
def test_queue_and_compare_take_the_record_size_limit(tmp_path: Path, command: list[str]) -> None:
    from charter_rules.rulebook import DEFAULT_RULES_DIR

    export = tmp_path / "export.jsonl"
    long_case = {"case_id": "LONG", "kind": "general_enquiry", "received_at": "2026-04-01T10:00:00+01:00",
                 "facts": {"summary": "x" * 5000}}
    export.write_text(json.dumps(long_case) + "\n")
    args = [str(DEFAULT_RULES_DIR) if a == "RULES" else a for a in command]
    result = CliRunner().invoke(app, [*args, str(export), "--as-of", "2026-04-10", "--max-record-size", "2K"])
    assert "longer than" in result.output, result.output
    assert CliRunner().invoke(app, [*args, str(export), "--as-of", "2026-04-10",
                                    "--max-record-size", "12"]).exit_code == 2
