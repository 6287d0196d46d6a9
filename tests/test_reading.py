"""Reading exports: every record found, where it was, in order, whatever the format; bad ones kept as errors."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import orjson
import pytest

from charter_rules.check import reading
from charter_rules.check.csv_exports import CsvReader, write_csv
from charter_rules.check.reading import FilePart, Item, ItemsChunk, LinesChunk, plan_parts, read_chunks, read_part, \
    read_records, split_lines

from .conftest import crime_case


def _records(chunks) -> list[tuple[str, int | None, bytes | None, str | None]]:
    out = []
    for chunk in chunks:
        if isinstance(chunk, LinesChunk):
            out += [(chunk.source, line, text, None) for line, text in split_lines(chunk)]
        else:
            out += [(i.source, i.line, i.payload, i.error) for i in chunk.items]
    return out


@pytest.fixture()
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tiny read blocks, so every boundary case of the block-wise readers is exercised."""
    monkeypatch.setattr(reading, "BLOCK_BYTES", 7)


def test_json_lines_keep_their_line_numbers_and_skip_blank_lines(tmp_path: Path, small_blocks: None):
    path = tmp_path / "export.jsonl"
    path.write_bytes(b'{"case_id": "A"}\n\n   \n{"case_id": "B"}\n{"case_id": "C"}')  # no newline at the end
    found = _records(read_chunks([path]))
    assert [(line, orjson.loads(text)["case_id"]) for _, line, text, _ in found] == [(1, "A"), (4, "B"), (5, "C")]


def test_a_json_array_is_split_element_by_element_with_the_line_each_starts_on(tmp_path: Path, small_blocks: None):
    path = tmp_path / "export.json"
    tricky = {"case_id": "B", "note": 'brackets ] } [ { , and an escaped quote \\" and a backslash \\\\'}
    path.write_text('[\n  {"case_id": "A", "events": [{"a": [1, 2]}, {}]},\n  ' + json.dumps(tricky) + ',\n\n  '
                    '{"case_id": "C"}\n]\n')
    found = _records(read_chunks([path]))
    assert [line for _, line, _, _ in found] == [2, 3, 5]
    assert [orjson.loads(text)["case_id"] for _, _, text, _ in found] == ["A", "B", "C"]
    assert orjson.loads(found[1][2]) == tricky


def test_array_edge_cases(tmp_path: Path, small_blocks: None):
    empty = tmp_path / "empty.json"
    empty.write_text("[ ]")
    assert _records(read_chunks([empty])) == []
    trailing = tmp_path / "trailing.json"
    trailing.write_text('[{"case_id": "A"},\n]')
    found = _records(read_chunks([trailing]))
    assert found[0][2] == b'{"case_id": "A"}' and found[1][1:] == (2, None, "not valid JSON: an empty element in the array")
    cut = tmp_path / "cut.json"
    cut.write_text('[{"case_id": "A"},\n {"case_id": "B", "note": "never clo')
    found = _records(read_chunks([cut]))
    assert found[0][2] == b'{"case_id": "A"}'
    assert found[1][1] == 2 and "not closed" in found[1][3]


def test_a_single_snapshot_file_is_one_record_and_gzip_is_read_through(tmp_path: Path):
    single = tmp_path / "one.json"
    single.write_text(json.dumps(crime_case("A")))
    lines = tmp_path / "many.jsonl.gz"
    with gzip.open(lines, "wb") as handle:
        handle.write(b'{"case_id": "B"}\n{"case_id": "C"}\n')
    array = tmp_path / "array.json.gz"
    with gzip.open(array, "wb") as handle:
        handle.write(b'[{"case_id": "D"}, {"case_id": "E"}]')
    found = _records(read_chunks([single, lines, array]))
    assert [(Path(s).name, line) for s, line, _, _ in found] == [
        ("one.json", None), ("many.jsonl.gz", 1), ("many.jsonl.gz", 2), ("array.json.gz", 1), ("array.json.gz", 1)]
    assert [orjson.loads(t)["case_id"] for _, _, t, _ in found] == ["A", "B", "C", "D", "E"]


def test_folders_are_read_in_name_order_and_bad_paths_become_error_records(tmp_path: Path):
    folder = tmp_path / "exports"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.jsonl").write_text('{"case_id": "B"}\n')
    (folder / "a.json").write_text('{"case_id": "A"}')
    (folder / "sub" / "c.ndjson").write_text('{"case_id": "C"}\n')
    (folder / "README.txt").write_text("not an export")
    odd = tmp_path / "cases.xml"
    odd.write_text("<cases/>")
    found = _records(read_chunks([folder, tmp_path / "missing.jsonl", odd]))
    assert [Path(s).name for s, _, _, _ in found] == ["a.json", "b.jsonl", "c.ndjson", "missing.jsonl", "cases.xml"]
    assert found[3][3] == "no such file or folder"
    assert "unknown file type" in found[4][3]


def test_a_damaged_gzip_file_is_one_error_record(tmp_path: Path):
    path = tmp_path / "broken.jsonl.gz"
    path.write_bytes(b"this is not gzip")
    found = _records(read_chunks([path]))
    assert len(found) == 1 and found[0][3].startswith("cannot read file")


def test_read_records_parses_for_library_callers(tmp_path: Path):
    path = tmp_path / "export.jsonl"
    path.write_text('{"case_id": "A"}\n{broken\n')
    records = list(read_records([path]))
    assert records[0].data == {"case_id": "A"} and records[0].where == f"{path}:1"
    assert records[1].error.startswith("not valid JSON") and records[1].line == 2


# --- parts, for a cluster -----------------------------------------------------------------------------------------


def test_parts_cover_every_line_once_with_the_right_numbers(tmp_path: Path):
    path = tmp_path / "export.jsonl"
    lines = [json.dumps({"case_id": f"C{i}", "pad": "x" * (i % 17)}) for i in range(200)]
    path.write_text("\n".join(lines[:50]) + "\n\n" + "\n".join(lines[50:]) + "\n")
    parts = plan_parts([path], part_bytes=500)
    assert len(parts) > 5 and all(isinstance(p, FilePart) for p in parts)
    found = [(line, orjson.loads(text)["case_id"]) for part in parts for chunk in read_part(part)
             for line, text in split_lines(chunk)]
    expected = [(i + 1 if i < 50 else i + 2, f"C{i}") for i in range(200)]
    assert found == expected


# --- CSV ------------------------------------------------------------------------------------------------------------


def _csv_items(book, text: str) -> list[Item]:
    reader = CsvReader(book.vocabulary)
    return list(reader(Path("export.csv"), io.BytesIO(text.encode())))


def test_csv_round_trip_gives_back_the_same_cases(book):
    cases = [
        crime_case("A", events=[
            {"id": "e1", "type": "suspect_arrested", "at": "2026-04-02T14:00:00+01:00", "suspect": "S1"},
            {"id": "e2", "type": "victim_informed", "at": "2026-04-03T10:00:00+01:00", "about": "arrest",
             "suspect": "S1", "reason_given": True, "note": 'said "thanks", then hung up'},
        ], victim_name="Ann Example"),
        {"case_id": "B", "kind": "foi_request", "received_at": "2026-03-02T09:00:00+00:00", "events": []},
    ]
    buffer = io.BytesIO()
    write_csv(cases, buffer, book.vocabulary)
    items = _csv_items(book, buffer.getvalue().decode())
    assert [i.line for i in items] == [2, 4]
    assert [orjson.loads(i.payload) for i in items] == cases


def test_csv_bad_cells_reject_their_case_with_line_and_column(book):
    text = ("case_id,kind,received_at,fact.victim_age_at_offence,fact.victim_is_business,event_id,event_type,event_at\n"
            "A,crime_report,2026-03-30T09:00:00+01:00,forty,false,,,\n"
            "B,crime_report,2026-03-30T09:00:00+01:00,30,false,e1,suspect_arrested,2026-04-01T10:00:00+01:00\n"
            "B,crime_report,2026-03-30T09:00:00+01:00,31,false,e2,victim_updated,2026-04-02T10:00:00+01:00\n"
            "C,crime_report,2026-03-30T09:00:00+01:00,30,maybe,,,\n"
            "D,crime_report,2026-03-30T09:00:00+01:00,30\n"
            "E,crime_report,2026-03-30T09:00:00+01:00,30,false,e1,,2026-04-01T10:00:00+01:00\n"
            "F,crime_report,2026-03-30T09:00:00+01:00,30,false,,,\n")
    items = _csv_items(book, text)
    errors = [(i.case_id, i.line, i.field, i.error) for i in items if i.error]
    assert errors == [
        ("A", 2, "fact.victim_age_at_offence", "'forty' is not a whole number"),
        ("B", 4, "fact.victim_age_at_offence",
         "'31' differs from 30 on an earlier row of the case; case and fact columns must agree on every row"),
        ("C", 5, "fact.victim_is_business", "'maybe' is not true or false"),
        ("D", 6, None, "the row has 4 cells, the header 8"),
        ("E", 7, "event_type", "the row has event details but no event_type"),
    ]
    good = [orjson.loads(i.payload) for i in items if i.payload]
    assert good == [{"case_id": "F", "kind": "crime_report", "received_at": "2026-03-30T09:00:00+01:00",
                     "facts": {"victim_age_at_offence": 30, "victim_is_business": False}, "events": []}]


@pytest.mark.parametrize("header, field", [
    ("case_id,kind,received_at,fact.shoe_size", "fact.shoe_size"),
    ("case_id,kind,received_at,field.colour", "field.colour"),
    ("case_id,kind,received_at,colour", "colour"),
    ("case_id,kind", "received_at"),
    ("case_id,kind,received_at,kind", "kind"),
])
def test_a_bad_csv_header_rejects_the_file(book, header: str, field: str):
    items = _csv_items(book, header + "\nA,crime_report,2026-03-30T09:00:00+01:00,x\n")
    assert len(items) == 1 and items[0].line == 1 and items[0].field == field and items[0].payload is None


def test_csv_files_are_read_through_read_chunks(tmp_path: Path, book):
    path = tmp_path / "export.csv.gz"
    with gzip.open(path, "wb") as handle:
        write_csv([crime_case("A"), crime_case("B")], handle, book.vocabulary)
    chunks = list(read_chunks([path], csv_reader=CsvReader(book.vocabulary)))
    assert isinstance(chunks[0], ItemsChunk)
    assert [orjson.loads(i.payload)["case_id"] for i in chunks[0].items] == ["A", "B"]


def test_a_byte_order_mark_at_the_start_is_left_out(tmp_path: Path):
    lines = tmp_path / "bom.jsonl"
    lines.write_bytes(b'\xef\xbb\xbf{"case_id": "A"}\n{"case_id": "B"}\n')
    array = tmp_path / "bom.json"
    array.write_bytes(b'\xef\xbb\xbf[{"case_id": "C"}]')
    found = _records(read_chunks([lines, array]))
    assert [orjson.loads(text)["case_id"] for _, _, text, _ in found] == ["A", "B", "C"]
