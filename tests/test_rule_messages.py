"""Rule-file errors read like a good compiler's: the line with a caret, the nearest name, every problem in one run."""

from __future__ import annotations

from pathlib import Path

import pytest

import charter_rules as cr

from .test_errors import edit, line_of

FOI = "commitments/foi-response.yaml"
ARREST = "commitments/vcop-arrest-notice.yaml"
BAIL = "commitments/vcop-bail-notice.yaml"
LIBRARY_WORDING = ("Extra inputs", "Input should", "Input tag", "Field required", "Value error", "not permitted")


def problems_of(rules: Path) -> list[cr.Problem]:
    with pytest.raises(cr.RulebookError) as info:
        cr.load_compiled(rules)
    text = str(info.value)
    for wording in LIBRARY_WORDING:
        assert wording not in text, wording
    return info.value.problems


def test_an_unknown_key_is_shown_at_its_own_line_with_a_caret_and_the_nearest_key(rules_copy):
    path = edit(rules_copy, FOI, "      day_one: day_after_trigger\n",
                "      day_one: day_after_trigger\n      calender:\n        name: england\n")
    (problem,) = problems_of(rules_copy)
    assert problem.message == "unknown key 'calender'"
    assert problem.hint == "did you mean 'calendar'?"
    assert problem.line == line_of(path, "calender:")  # the key's line, not its value's on the next line
    assert problem.column == 7
    lines = str(problem).splitlines()
    assert lines[1].endswith("|       calender:")
    assert lines[2].index("^") == lines[1].index("calender")


def test_a_misspelt_event_type_gets_the_nearest_name_and_no_follow_on_errors(rules_copy):
    path = edit(rules_copy, ARREST, "trigger: {event: suspect_arrested}", "trigger: {event: suspect_arested}")
    (problem,) = problems_of(rules_copy)  # not also "trigger event has no field 'suspect'"
    assert problem.message == "unknown event type 'suspect_arested'"
    assert problem.hint == "did you mean 'suspect_arrested'?"
    assert problem.line == line_of(path, "suspect_arested")
    assert "known:" not in str(problem)  # never the whole list of names


def test_a_misspelt_parameter_and_fact_get_the_nearest_name(rules_copy):
    edit(rules_copy, FOI, "count: {param: foi_response_working_days}", "count: {param: foi_respose_working_days}")
    edit(rules_copy, "commitments/vcop-support-referral.yaml", "not: {fact: victim_is_business, equals: true}",
         "not: {fact: victim_is_busines, equals: true}")
    hints = {p.message: p.hint for p in problems_of(rules_copy)}
    assert hints["unknown parameter 'foi_respose_working_days'"] == "did you mean 'foi_response_working_days'?"
    assert hints["unknown fact 'victim_is_busines'"] == "did you mean 'victim_is_business'?"


def test_one_run_shows_schema_and_cross_file_problems_sorted_by_file_and_line(rules_copy):
    edit(rules_copy, FOI, "trigger: {case_received: true}", "trigger: {case_recieved: true}")
    edit(rules_copy, BAIL, "case_kinds: [crime_report]", "case_kinds: [crime_reports]")
    edit(rules_copy, ARREST, "trigger: {event: suspect_arrested}", "trigger: {event: suspect_arested}")
    problems = problems_of(rules_copy)
    assert [Path(p.path).name for p in problems] == ["foi-response.yaml", "vcop-arrest-notice.yaml",
                                                     "vcop-bail-notice.yaml"]
    assert [p.message for p in problems] == ["unknown key 'case_recieved'", "unknown event type 'suspect_arested'",
                                             "unknown case kind 'crime_reports'"]


def test_a_rule_that_fails_the_schema_gives_no_errors_in_the_rules_that_name_it(rules_copy):
    books = [p for p in (rules_copy / "commitments").glob("*.yaml") if "law_counterparts:" in p.read_text()]
    assert books, "test setup: some rule names a law counterpart"
    text = books[0].read_text()
    named = text.split("law_counterparts:")[1].split("rule:")[1].split()[0].strip(",}")
    target = rules_copy / "commitments" / f"{named}.yaml"
    target.write_text(target.read_text().replace("title:", "titel:", 1))
    problems = problems_of(rules_copy)
    (problem,) = problems  # not also "required key 'title' is missing", nor a problem in the rule naming it
    assert (problem.message, problem.hint) == ("unknown key 'titel'", "did you mean 'title'?")
    assert Path(problem.path) == target


def test_a_misspelt_operator_inside_a_condition_is_found_at_its_own_place(rules_copy):
    # 'not' and 'fact' are keys here and also the names pydantic gives the condition's kinds: neither is dropped
    path = edit(rules_copy, "commitments/vcop-support-referral.yaml", "not: {fact: victim_is_business, equals: true}",
                "not: {fact: victim_is_business, equal: true}")
    (problem,) = problems_of(rules_copy)
    assert (problem.message, problem.hint) == ("unknown key 'equal'", "did you mean 'equals'?")
    assert problem.line == line_of(path, "equal: true")
    assert path.read_text().splitlines()[problem.line - 1][problem.column - 1:].startswith("equal: true")
