"""Every misuse of the public functions raises ArgumentError saying what to pass; what the CLI accepts works."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import charter_rules as cr

CASE_FILE = Path(__file__).resolve().parents[1] / "examples" / "cases" / "burglary-with-arrest.json"
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def case_data() -> dict:
    return json.loads(CASE_FILE.read_text())


def statuses(result: cr.Evaluation) -> list[tuple[str, int, str]]:
    return [(o.rule_id, o.instance, o.status.value) for o in result.obligations]


def test_load_compiled_without_a_path_is_the_bundled_book():
    assert cr.load_compiled() is cr.default_rulebook()


@pytest.mark.parametrize("wrong", [42, ["rules"], None.__class__])
def test_load_compiled_refuses_what_is_not_a_path(wrong):
    with pytest.raises(cr.ArgumentError, match="path of a rule book directory"):
        cr.load_compiled(wrong)


@pytest.mark.parametrize("as_of", ["2026-04-08", dt.date(2026, 4, 8)])
def test_a_date_means_the_end_of_that_london_day(book, case_data, as_of):
    expected = cr.evaluate(book, case_data, as_of=dt.datetime(2026, 4, 8, 23, 59, 59, 999999, tzinfo=LONDON))
    got = cr.evaluate(book, case_data, as_of=as_of)
    assert got.as_of == dt.datetime(2026, 4, 8, 22, 59, 59, 999999, tzinfo=dt.timezone.utc)  # BST: UTC+1
    assert statuses(got) == statuses(expected)


def test_a_winter_date_ends_at_midnight_utc(book, case_data):
    got = cr.evaluate(book, case_data, as_of="2026-01-15")
    assert got.as_of == dt.datetime(2026, 1, 15, 23, 59, 59, 999999, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("text", ["2026-04-08T17:00:00+01:00", "2026-04-08T16:00:00Z", "2026-04-08T16:00:00+00:00"])
def test_iso_timestamps_with_an_offset_are_accepted(book, case_data, text):
    got = cr.evaluate(book, case_data, as_of=text)
    assert got.as_of == dt.datetime(2026, 4, 8, 16, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(
    ("as_of", "words"),
    [
        ("2026-04-08T17:00:00", "has no UTC offset"),
        (dt.datetime(2026, 4, 8, 17, 0), "has no UTC offset"),
        ("next tuesday", "is not a date"),
        (1775664000, "must be a moment, not int"),
        (None, "as_of is required"),
    ],
)
def test_a_wrong_as_of_says_what_to_pass(book, case_data, as_of, words):
    with pytest.raises(cr.ArgumentError, match=words) as caught:
        cr.evaluate(book, case_data, as_of=as_of)
    assert "tzinfo" not in str(caught.value) or "tzinfo=" in str(caught.value)
    assert isinstance(caught.value, cr.CharterRulesError)


def test_evaluate_takes_a_dict_json_text_bytes_or_a_path(book, case_data):
    expected = statuses(cr.evaluate(book, cr.parse_snapshot(book, case_data), as_of="2026-04-08"))
    for case in (case_data, json.dumps(case_data), json.dumps(case_data).encode(), CASE_FILE):
        assert statuses(cr.evaluate(book, case, as_of="2026-04-08")) == expected


def test_swapped_evaluate_arguments_say_the_order(book, case_data):
    with pytest.raises(cr.ArgumentError, match=r"rule book first: evaluate\(book, case"):
        cr.evaluate(case_data, book, as_of="2026-04-08")


@pytest.mark.parametrize(
    ("wrong_book", "words"),
    [("rules/", "not a path"), ({"rules": []}, "not a dict"), (None, "not None")],
)
def test_evaluate_without_a_rule_book_says_how_to_load_one(case_data, wrong_book, words):
    with pytest.raises(cr.ArgumentError, match=words) as caught:
        cr.evaluate(wrong_book, case_data, as_of="2026-04-08")
    assert "load_compiled" in str(caught.value)


def test_an_uncompiled_rulebook_says_to_compile_it(book, case_data):
    with pytest.raises(cr.ArgumentError, match="compile_rulebook"):
        cr.evaluate(book.rulebook, case_data, as_of="2026-04-08")


@pytest.mark.parametrize("wrong_case", [object(), dt.date(2026, 4, 8), {"a", "set"}])
def test_evaluate_refuses_what_is_not_a_case(book, wrong_case):
    with pytest.raises(cr.ArgumentError, match="a dict, JSON text or bytes, or a file path"):
        cr.evaluate(book, wrong_case, as_of="2026-04-08")


@pytest.mark.parametrize("json_value", [42, ["events"], None])
def test_a_json_value_that_is_not_an_object_is_bad_case_data(book, json_value):
    with pytest.raises(cr.SnapshotError, match="must be a mapping"):
        cr.evaluate(book, json_value, as_of="2026-04-08")


def test_parse_snapshot_accepts_both_orders(book, case_data):
    assert cr.parse_snapshot(book, case_data) == cr.parse_snapshot(case_data, book)


def test_parse_snapshot_of_a_missing_file_names_it(book, tmp_path):
    with pytest.raises(cr.ArgumentError, match="no such file"):
        cr.parse_snapshot(book, tmp_path / "absent.json")


def test_parse_snapshot_without_a_book(case_data):
    with pytest.raises(cr.ArgumentError, match="rule book first"):
        cr.parse_snapshot(case_data, None)


def test_explain_accepts_every_documented_order(book, case_data):
    result = cr.evaluate(book, case_data, as_of="2026-04-08")
    assert cr.explain_text(book, result) == cr.explain_text(result)
    with_book = cr.explain_json(book, result)
    assert cr.explain_json(result, book) == with_book
    assert "charter" in with_book["obligations"][0]
    assert "charter" not in cr.explain_json(result)["obligations"][0]


@pytest.mark.parametrize("call", [cr.explain_text, cr.explain_json])
def test_explaining_something_else_says_what_to_pass(book, case_data, call):
    with pytest.raises(cr.ArgumentError, match=r"result of charter_rules.evaluate\(book, case, as_of=...\), not a dict"):
        call(book, case_data)
    with pytest.raises(cr.ArgumentError, match="not a dict"):
        call(case_data)
