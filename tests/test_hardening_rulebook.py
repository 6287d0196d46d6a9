"""Lengths in rule files are checked when the rule book loads, with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from charter_rules import load_compiled
from charter_rules.cli import app
from charter_rules.errors import RulebookError

RULE = "commitments/charter-enquiry-explained.yaml"


def _edit(rules: Path, name: str, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` in a rule book file; the line it is on."""
    path = rules / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return text[:text.index(old)].count("\n") + 1


def _problems(rules: Path) -> list[str]:
    with pytest.raises(RulebookError) as caught:
        load_compiled(rules)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("count", ["1000000000", "100000000000000000000000", "-3", "2000"])
def test_an_outlandish_deadline_is_an_error_at_its_line(rules_copy, count):
    line = _edit(rules_copy, RULE, "count: {param: charter_prompt_action_working_days}", f"count: {count}")
    problems = _problems(rules_copy)
    assert any(RULE in p and f":{line}:" in p and "deadline" in p for p in problems), problems


def test_a_huge_count_in_months_from_a_parameter_is_an_error(rules_copy):
    _edit(rules_copy, "parameters.yaml", "value: 20\n", "value: 1000000\n")
    problems = _problems(rules_copy)
    assert any("foi-response.yaml" in p and "longer than" in p for p in problems), problems


def test_a_huge_at_risk_warning_is_an_error(rules_copy):
    line = _edit(rules_copy, RULE, "at_risk: {before: 1, unit: working_days}",
                 "at_risk: {before: 100000000, unit: working_days}")
    assert any("at-risk warning" in p and f":{line}:" in p for p in _problems(rules_copy))


def test_a_long_deadline_with_its_reason_is_accepted(rules_copy):
    _edit(rules_copy, RULE, "count: {param: charter_prompt_action_working_days}",
          "count: 2000\n      long_deadline_reason: a test of a deliberately long deadline")
    book = load_compiled(rules_copy)
    assert book.by_id["charter-enquiry-explained"].versions[0].deadline.count == 2000


def test_rules_validate_reports_the_problem_and_exits_2(rules_copy):
    _edit(rules_copy, RULE, "count: {param: charter_prompt_action_working_days}", "count: 1000000000")
    result = CliRunner().invoke(app, ["rules", "validate", "--rules", str(rules_copy)])
    assert result.exit_code == 2
    assert "longer than" in result.output


def test_a_nul_character_in_a_rule_file_is_a_syntax_error_with_its_line(rules_copy):
    line = _edit(rules_copy, RULE, "      unit: working_days\n", "      unit: working_days\x00\n")
    problems = _problems(rules_copy)
    assert any(RULE in p and "U+0000" in p and f":{line}:" in p for p in problems), problems


def test_an_outlandish_lapse_is_an_error_at_its_line(rules_copy):
    name = "commitments/foi-response.yaml"
    line = _edit(rules_copy, name, "lapses_after: {count: {param: foi_fee_lapse_months}, unit: calendar_months}",
                 "lapses_after: {count: 100000, unit: calendar_months}")
    problems = _problems(rules_copy)
    assert any(name in p and f":{line}:" in p and "a lapse of 100000 calendar months" in p for p in problems), problems
