"""Bad rule files and bad case data get errors that say what, where (file:line, field) and how to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest

import charter_rules as cr
from charter_rules._yaml import load_yaml_text

from .conftest import crime_case

RULE = "commitments/vcop-support-referral.yaml"


def edit(root: Path, relative: str, old: str, new: str) -> Path:
    path = root / relative
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1))
    return path


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_unknown_key_names_file_line_and_key(rules_copy):
    path = edit(rules_copy, RULE, "      unit: working_days", "      unit: working_days\n      workng_days: 3")
    with pytest.raises(cr.RuleValidationError) as info:
        cr.load_rulebook(rules_copy)
    (problem,) = info.value.problems
    assert problem.path == str(path)
    assert problem.line == line_of(path, "workng_days")
    assert "unknown key 'workng_days'" in problem.message
    assert f"{path}:{problem.line}" in str(info.value)


def test_duplicate_key_is_a_syntax_error(rules_copy):
    path = edit(rules_copy, RULE, "title: Refer", "title: Duplicate\ntitle: Refer")
    with pytest.raises(cr.RuleSyntaxError) as info:
        cr.load_rulebook(rules_copy)
    assert "duplicate key 'title' (first given on line 2)" in str(info.value)
    assert info.value.line == 3 and info.value.path == str(path)


def test_bad_yaml_syntax_points_at_the_line(rules_copy):
    path = edit(rules_copy, RULE, "basis: charter_and_law", "basis: [charter_and_law")
    with pytest.raises(cr.RuleSyntaxError) as info:
        cr.load_rulebook(rules_copy)
    assert info.value.path == str(path)
    assert info.value.line is not None


def test_python_objects_in_yaml_are_refused():
    with pytest.raises(cr.RuleSyntaxError, match="could not determine a constructor"):
        load_yaml_text("x: !!python/object/apply:os.system ['echo hacked']", "evil.yaml")


def test_yes_no_on_off_stay_strings():
    data, _ = load_yaml_text("on: yes\noff: no\nflag: true", "x.yaml")
    assert data == {"on": "yes", "off": "no", "flag": True}


def test_months_without_a_short_month_policy_are_refused(rules_copy):
    path = edit(rules_copy, "commitments/charter-monthly-update.yaml", "      short_month: last_day_of_month\n", "")
    with pytest.raises(cr.RuleValidationError) as info:
        cr.load_rulebook(rules_copy)
    problem = info.value.problems[0]
    assert "31 January + 1 month" in problem.message and problem.path == str(path)


def test_every_problem_is_reported_at_once(rules_copy):
    edit(rules_copy, RULE, "      unit: working_days", "      unit: fortnights")
    edit(rules_copy, "commitments/foi-response.yaml", "title: Answer", "titel: Answer")
    with pytest.raises(cr.RuleValidationError) as info:
        cr.load_rulebook(rules_copy)
    text = str(info.value)
    assert "fortnights" in text and "titel" in text and len(info.value.problems) >= 2


def test_rule_id_must_match_file_name(rules_copy):
    edit(rules_copy, RULE, "id: vcop-support-referral", "id: vcop-referral")
    with pytest.raises(cr.RuleValidationError, match="use id: vcop-support-referral"):
        cr.load_rulebook(rules_copy)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("count: {param: vcop_referral_working_days}", "count: {param: vcop_referal_days}", "unknown parameter 'vcop_referal_days'"),
        ("      event: referred_to_victim_support", "      event: refered_to_victim_support", "unknown event type"),
        ("      calendar: england_and_wales", "      calendar: england", "unknown calendar 'england'"),
        ("not: {fact: victim_is_business, equals: true}", "not: {fact: victim_is_busines, equals: true}",
         "unknown fact 'victim_is_busines'"),
        ("case_kinds: [crime_report]", "case_kinds: [crime]", "unknown case kind 'crime'"),
    ],
)
def test_compile_errors_name_file_and_line(rules_copy, old, new, message):
    path = edit(rules_copy, RULE, old, new)
    with pytest.raises(cr.CompileError) as info:
        cr.load_compiled(rules_copy)
    problem = info.value.problems[0]
    assert message in problem.message
    assert problem.path == str(path)
    assert problem.line == line_of(path, new.strip().split("\n")[0].strip()[:30])


def test_enum_values_in_conditions_are_checked(rules_copy):
    edit(rules_copy, "commitments/vcop-arrest-notice.yaml", "where: {field: about, equals: arrest}",
         "where: {field: about, equals: arest}")
    with pytest.raises(cr.CompileError, match="'arest' is not an allowed value"):
        cr.load_compiled(rules_copy)


def test_condition_with_two_shapes_is_refused(rules_copy):
    edit(rules_copy, RULE, "not: {fact: victim_is_business, equals: true}",
         "not: {fact: victim_is_business, event: x, equals: true}")
    with pytest.raises(cr.RuleValidationError, match="exactly one of the keys"):
        cr.load_rulebook(rules_copy)


def test_missing_rulebook_directory(tmp_path):
    with pytest.raises(cr.RuleValidationError, match="rule book directory not found"):
        cr.load_rulebook(tmp_path / "nope")


# --- case data ----------------------------------------------------------------------------------------------------


def snapshot_error(book, data) -> cr.SnapshotError:
    with pytest.raises(cr.SnapshotError) as info:
        cr.parse_snapshot(data, book, source="export.jsonl", line=7)
    return info.value


def test_naive_timestamp_is_rejected_with_a_fix(book):
    data = crime_case(events=[{"type": "suspect_arrested", "at": "2026-04-02T14:00:00", "suspect": "S1"}])
    error = snapshot_error(book, data)
    (problem,) = error.problems
    assert problem.field == "events[0].at"
    assert problem.message == "the timestamp has no UTC offset, got '2026-04-02T14:00:00'"
    assert "add a UTC offset" in (problem.hint or "")
    assert str(error).startswith("case 'T-1': export.jsonl:7: error:")


def test_unknown_event_type(book):
    error = snapshot_error(book, crime_case(events=[{"type": "suspect_arested", "at": "2026-04-02T14:00:00Z"}]))
    (problem,) = error.problems
    assert problem.field == "events[0].type"
    assert problem.message == "unknown event type 'suspect_arested'"
    assert problem.hint == "did you mean 'suspect_arrested'?"  # the nearest name, not the whole list
    assert len(str(error)) < 200


def test_missing_required_event_field(book):
    error = snapshot_error(book, crime_case(events=[{"type": "suspect_arrested", "at": "2026-04-02T14:00:00Z"}]))
    assert error.problems[0].field == "events[0].suspect"


def test_unknown_fact_and_bad_enum(book):
    error = snapshot_error(book, crime_case(offence_category="burgled", victim_shoe_size=9))
    fields = {p.field: p for p in error.problems}
    assert set(fields) == {"facts.offence_category", "facts.victim_shoe_size"}
    assert fields["facts.victim_shoe_size"].message == "unknown field"
    assert fields["facts.offence_category"].message.startswith("'burgled' is not")
    assert fields["facts.offence_category"].hint == "did you mean 'burglary'?"


def test_boolean_facts_must_be_booleans(book):
    error = snapshot_error(book, crime_case(victim_vulnerable="yes"))
    assert error.problems[0].field == "facts.victim_vulnerable"


def test_duplicate_event_ids(book):
    events = [{"id": "e1", "type": "suspect_arrested", "at": "2026-04-02T14:00:00Z", "suspect": "S1"},
              {"id": "e1", "type": "suspect_arrested", "at": "2026-04-02T15:00:00Z", "suspect": "S2"}]
    error = snapshot_error(book, crime_case(events=events))
    assert "event id 'e1' is used twice" in str(error)


def test_unknown_case_kind_and_missing_case_id(book):
    data = crime_case()
    data["kind"] = "crime"
    del data["case_id"]
    error = snapshot_error(book, data)
    assert {p.field for p in error.problems} == {"case_id", "kind"}


def test_json_text_input(book):
    snapshot = cr.parse_snapshot('{"case_id": "J1", "kind": "foi_request", "received_at": "2026-01-05T10:00:00Z"}', book)
    assert snapshot.case_id == "J1"
    with pytest.raises(cr.SnapshotError, match="not valid JSON"):
        cr.parse_snapshot('{"case_id": ', book)
