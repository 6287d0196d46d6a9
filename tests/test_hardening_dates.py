"""The supported range of dates, timestamps as ISO 8601 only, bounded numbers, and the CLI's exit statuses."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import charter_rules
from charter_rules.cli import app, main
from charter_rules.compiler import DeadlineSpec
from charter_rules.deadlines import compute_deadline
from charter_rules.errors import CalendarError, RulebookError, SnapshotError
from charter_rules.rulebook import load_rulebook

from .conftest import crime_case

runner = CliRunner()


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


# --- the supported range of dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("received", [
    "0001-01-01T00:30:00+01:00",  # a "null date" placeholder; converting it to UTC would fall before year 1
    "9999-12-31T23:00:00+00:00",
    "9999-12-31T23:59:59-23:59",  # past 9999 in UTC
    "1899-12-31T23:59:59+00:00",
    "2200-01-01T00:00:00+00:00",
])
def test_a_timestamp_outside_the_range_is_a_bad_record_naming_the_field(book, received):
    with pytest.raises(SnapshotError) as caught:
        charter_rules.parse_snapshot(crime_case(received=received), book)
    problem = caught.value.problems[0]
    assert problem.field == "received_at"
    assert "supported range of dates" in problem.message


def test_an_event_outside_the_range_names_the_event_field(book):
    case = crime_case(events=[{"id": "e1", "type": "suspect_arrested", "at": "0001-01-01T00:00:00+00:00"}])
    with pytest.raises(SnapshotError) as caught:
        charter_rules.parse_snapshot(case, book)
    assert caught.value.problems[0].field == "events[0].at"


@pytest.mark.parametrize("received", ["1900-01-01T00:00:00+00:00", "2199-12-31T23:59:59+00:00"])
def test_the_edges_of_the_range_are_accepted(book, received):
    snapshot = charter_rules.parse_snapshot(crime_case(received=received), book)
    assert snapshot.received_at.year in (1900, 2199)


def test_a_deadline_past_the_range_is_a_clear_error_not_an_overflow(book):
    snapshot = charter_rules.parse_snapshot(crime_case(received="2199-12-30T10:00:00+00:00"), book)
    with pytest.raises(CalendarError, match="after the end of the supported range"):
        charter_rules.evaluate(book, snapshot, as_of=dt.datetime(2199, 12, 31, 12, tzinfo=dt.timezone.utc))


def test_as_of_outside_the_range_is_refused_by_the_library(book):
    snapshot = charter_rules.parse_snapshot(crime_case(), book)
    far = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.timezone(-dt.timedelta(hours=5)))
    with pytest.raises(CalendarError, match="supported range"):
        charter_rules.evaluate(book, snapshot, as_of=far)


@pytest.mark.parametrize("count,unit", [(10**9, "working_days"), (10**23, "hours"), (10**6, "calendar_months"),
                                        (10**9, "calendar_days"), (-1, "working_days")])
def test_compute_deadline_refuses_counts_it_cannot_finish(book, count, unit):
    spec = DeadlineSpec(count, unit, book.calendars["england_and_wales"], "day_after_trigger", False,
                        "last_day_of_month" if unit == "calendar_months" else None, str(count))
    start = dt.datetime(2026, 1, 5, 12, tzinfo=dt.timezone.utc)
    with pytest.raises(CalendarError):
        compute_deadline(spec, count, start, "test", [], None)


def test_a_working_day_deadline_at_the_end_of_the_range_is_still_counted(book):
    # Sun 1 Dec 2199 + 10 working days: Mon 2 - Fri 6 Dec are 1-5, Mon 9 - Fri 13 Dec are 6-10 (no bank holiday
    # before Christmas) -> Fri 13 Dec 2199
    spec = DeadlineSpec(10, "working_days", book.calendars["england_and_wales"], "day_after_trigger", False, None, "10")
    work = compute_deadline(spec, 10, dt.datetime(2199, 12, 1, 12, tzinfo=dt.timezone.utc), "test", [], None)
    assert work.due_date == dt.date(2199, 12, 13)


# --- timestamps are ISO 8601 strings with an offset ----------------------------------------------------------------


@pytest.mark.parametrize("value", [1700000000, 1700000000.5, "1700000000", "1700000000.5", True])
def test_numbers_and_digit_strings_are_not_timestamps(book, value):
    with pytest.raises(SnapshotError) as caught:
        charter_rules.parse_snapshot(crime_case(received=value), book)
    assert "ISO 8601" in caught.value.problems[0].message
    text = json.dumps(crime_case(received=value))
    with pytest.raises(SnapshotError):
        charter_rules.parse_snapshot(text, book)


# --- numbers are bounded by the vocabulary -------------------------------------------------------------------------


def test_a_huge_number_in_an_event_is_rejected_with_its_field(book):
    event = {"id": "u1", "type": "update_arrangements_agreed", "at": "2026-03-30T10:00:00+01:00",
             "interval_days": 10**30, "method": "email"}
    with pytest.raises(SnapshotError) as caught:
        charter_rules.parse_snapshot(crime_case(events=[event]), book)
    assert caught.value.problems[0].field == "events[0].interval_days"


def test_a_vocabulary_number_without_bounds_is_a_rule_book_error(rules_copy):
    vocabulary = rules_copy / "vocabulary.yaml"
    text = vocabulary.read_text()
    vocabulary.write_text(text.replace("interval_days: {type: integer, minimum: 1, maximum: 366,",
                                       "interval_days: {type: integer, minimum: 1,"))
    with pytest.raises(RulebookError) as caught:
        load_rulebook(rules_copy)
    assert "needs both a minimum and a maximum" in str(caught.value)
    assert caught.value.problems[0].line is not None


# --- the command line: ranges and exit statuses --------------------------------------------------------------------


def test_check_rejects_out_of_range_records_and_exits_2_when_none_is_left(tmp_path):
    export = _write_jsonl(tmp_path / "cases.jsonl", [crime_case("A", received="0001-01-01T00:30:00+01:00")])
    result = runner.invoke(app, ["check", str(export), "--as-of", "2026-05-01", "--format", "json"])
    assert result.exit_code == 2, result.output
    report = json.loads(result.stdout)
    assert report["totals"]["rejected"] == 1


def test_check_with_one_good_and_one_out_of_range_record_reports_both(tmp_path):
    export = _write_jsonl(tmp_path / "cases.jsonl", [crime_case("A", received="9999-12-31T23:00:00+00:00"),
                                                     crime_case("B")])
    result = runner.invoke(app, ["check", str(export), "--as-of", "2026-03-31", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["totals"]["rejected"] == 1 and report["totals"]["evaluated"] == 1


@pytest.mark.parametrize("as_of", ["9999-12-31T23:59:59-05:00", "0001-01-01", "1700000000"])
def test_as_of_extremes_are_a_usage_error(tmp_path, as_of):
    export = _write_jsonl(tmp_path / "cases.jsonl", [crime_case("A")])
    result = runner.invoke(app, ["check", str(export), "--as-of", as_of])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [["9999-12-30", "5"], ["2199-12-30", "1000000000"],
                                  ["2026-01-01", "100000000000000000000000", "hours"],
                                  ["2026-01-01", "1000000", "calendar_months"]])
def test_deadline_command_with_huge_counts_or_far_dates_exits_2(args):
    result = runner.invoke(app, ["deadline", *args])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("name,content", [("empty.json", b""), ("empty.csv", b""), ("blank.jsonl", b"  \n\n "),
                                          ("not-gzip.jsonl.gz", b"hello\n"), ("blank.json", b" \n\t ")])
def test_an_export_with_nothing_readable_exits_2(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(app, ["check", str(path), "--as-of", "2026-05-01"])
    assert result.exit_code == 2, result.output


def test_an_internal_fault_exits_3_with_one_line_and_a_pointer_to_debug(tmp_path, monkeypatch, capsys):
    export = _write_jsonl(tmp_path / "cases.jsonl", [crime_case("A")])

    def broken(*args, **kwargs):
        raise RuntimeError("something inside went wrong")

    monkeypatch.setattr("charter_rules.cli.check.check_paths", broken)
    with pytest.raises(SystemExit) as caught:
        main(["check", str(export), "--as-of", "2026-05-01"])
    assert caught.value.code == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: something inside went wrong" in err
    assert "--debug" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as caught:
        main(["check", str(export), "--as-of", "2026-05-01", "--debug"])
    assert caught.value.code == 3
    assert "Traceback" in capsys.readouterr().err


def test_charter_rules_errors_are_never_internal(tmp_path, capsys):
    export = _write_jsonl(tmp_path / "cases.jsonl", [crime_case("A")])
    with pytest.raises(SystemExit) as caught:
        main(["check", str(export), "--as-of", "2026-05-01", "--rules", str(tmp_path / "nowhere")])
    assert caught.value.code == 2
    assert "Traceback" not in capsys.readouterr().err
