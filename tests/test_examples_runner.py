"""The worked-example runner itself: it must fail what is wrong and count exactly what it checked."""

from __future__ import annotations

from typing import Any

import pytest

import charter_rules as cr
from charter_rules.worked_examples import CHECKED_FIELDS, check_example, run_examples
from charter_rules.model import Example, ExpectedObligation

BOOK = cr.default_rulebook()

# An arrest on Thu 2 Apr 2026 with no enhanced rights: due Mon 13 Apr (Good Friday and Easter Monday skipped).
CASE = {
    "case_id": "RUN-1", "kind": "crime_report", "received_at": "2026-03-30T09:00:00+01:00",
    "facts": {"offence_category": "burglary", "victim_age_at_offence": 45, "victim_vulnerable": False,
              "victim_intimidated": False, "victim_persistently_targeted": False, "bereaved_family": False,
              "victim_is_business": False},
    "events": [{"id": "a1", "type": "suspect_arrested", "at": "2026-04-02T14:00:00+01:00", "suspect": "S1"},
               {"id": "a2", "type": "suspect_arrested", "at": "2026-04-02T15:00:00+01:00", "suspect": "S2"}],
}


def example(*expect: dict[str, Any], case: dict[str, Any] | None = None) -> Example:
    return Example.model_validate({"name": "runner test", "as_of": "2026-04-08T12:00:00+01:00",
                                   "case": case or CASE, "expect": list(expect)})


def run(*expect: dict[str, Any], case: dict[str, Any] | None = None):
    return check_example(BOOK, "vcop-arrest-notice", 0, example(*expect, case=case))


def test_a_right_expectation_passes_and_counts_each_field():
    result = run({"instance": 1, "state": "open", "timeliness": "on_time", "due": "2026-04-13"})
    assert result.passed and result.failures == []
    assert result.checks == 3


def test_the_check_count_is_exact_across_expectations():
    result = run({"instance": 1, "due": "2026-04-13", "status": "due"},
                 {"instance": 2, "due": "2026-04-13"},
                 {"rule": "foi-response", "state": "not_applicable"})
    assert result.passed
    assert result.checks == 4


@pytest.mark.parametrize("field, wrong", [
    ("due", "2026-04-14"), ("state", "satisfied"), ("timeliness", "overdue"), ("status", "overdue"),
    ("variant", "enhanced_rights"), ("satisfied_by", "i1"), ("version", "2021-04-02"),
    ("due_at", "2026-04-13T23:00:00+01:00"), ("next_change", "2026-04-09T00:00:00+01:00"),
    ("missing_facts", ["bereaved_family"]), ("waiver", "victim_opted_out"),
])
def test_a_wrong_expectation_fails_and_says_which_field(field, wrong):
    result = run({"instance": 1, field: wrong})
    assert not result.passed
    assert result.checks == 1
    assert len(result.failures) == 1 and f"{field} expected" in result.failures[0]


def test_one_wrong_field_among_right_ones_fails_the_example():
    result = run({"instance": 1, "state": "open", "due": "2026-04-12", "timeliness": "on_time"})
    assert not result.passed and result.checks == 3 and len(result.failures) == 1


def test_an_expectation_with_nothing_to_check_fails():
    result = run({"instance": 1})
    assert not result.passed
    assert "states nothing to check" in result.failures[0]
    assert result.checks == 0


def test_an_example_that_checked_nothing_never_passes():
    result = run({"instance": 1})
    assert result.checks == 0 and not result.passed


def test_an_unknown_instance_fails():
    result = run({"instance": 9, "state": "open"})
    assert not result.passed
    assert "has no obligation #9" in result.failures[0]


def test_several_obligations_need_an_instance():
    result = run({"state": "open"})
    assert not result.passed
    assert "say which with instance" in result.failures[0]


def test_an_unknown_rule_fails():
    result = run({"rule": "no-such-rule", "state": "open"})
    assert not result.passed and "unknown rule" in result.failures[0]


def test_a_case_that_is_not_valid_data_fails_with_the_reason():
    broken = dict(CASE, events=[{"id": "a1", "type": "suspect_arrested", "at": "2026-04-02T14:00:00+01:00"}])
    result = run({"instance": 1, "state": "open"}, case=broken)
    assert not result.passed and "could not evaluate" in result.failures[0] and "suspect" in result.failures[0]


def test_every_stated_field_is_one_the_runner_checks():
    # a field added to ExpectedObligation but not to CHECKED_FIELDS would be silently ignored
    assert set(ExpectedObligation.model_fields) - {"rule", "instance"} == set(CHECKED_FIELDS)


def test_an_expectation_cannot_name_a_field_that_does_not_exist():
    with pytest.raises(Exception, match="due_date"):
        example({"instance": 1, "due_date": "2026-04-13"})


def test_run_examples_runs_every_example_of_every_rule_once():
    results = run_examples(BOOK)
    assert len(results) == sum(len(r.source.examples) for r in BOOK.rules)
    assert len({(r.rule_id, r.index) for r in results}) == len(results)
    assert sum(r.checks for r in results) == sum(
        sum(1 for e in ex.expect for f in CHECKED_FIELDS if getattr(e, f) is not None)
        for rule in BOOK.rules for ex in rule.source.examples)


def test_run_examples_can_be_limited_to_some_rules():
    results = run_examples(BOOK, ["foi-response"])
    assert {r.rule_id for r in results} == {"foi-response"}
    assert len(results) == len(BOOK.by_id["foi-response"].source.examples)


def test_a_failing_example_names_its_file_and_line(tmp_path):
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(cr.rulebook.DEFAULT_RULES_DIR, rules)
    path = rules / "commitments" / "vcop-arrest-notice.yaml"
    lines = path.read_text().splitlines()
    start = lines.index("examples:")
    number = next(i for i in range(start, len(lines)) if "due: 2026-04-13}" in lines[i])
    lines[number] = lines[number].replace("due: 2026-04-13}", "due: 2099-01-01}")
    path.write_text("\n".join(lines) + "\n")
    book = cr.load_compiled(rules)
    failed = [r for r in run_examples(book, ["vcop-arrest-notice"]) if not r.passed]
    assert len(failed) == 1
    (failure,) = failed[0].failures
    assert failure.startswith(f"{path}:{number + 1}: vcop-arrest-notice #")  # the line of the wrong 'due'
    assert "due expected 2099-01-01" in failure
    assert failed[0].where.startswith(f"{path}:") and failed[0].where in failed[0].label
