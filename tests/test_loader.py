"""The one rule-book loader: every file in rules/ is read and checked, and every problem is located (file:line).

Covers the files beside the rules (charter.yaml, figures.yaml, escalations/) and the check of a parameter's unit
against the deadline that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import charter_rules as cr
from charter_rules.cli import app

from .test_errors import edit, line_of

RULE = "commitments/vcop-support-referral.yaml"


def test_the_bundled_rule_book_is_loaded_whole():
    book = cr.load_rulebook()
    assert book.charter is not None and book.charter.sections
    assert book.figures is not None and book.figures.figures
    assert set(book.escalations) == {p.stem for p in (book.root / "escalations").glob("*.yaml")}
    for key in ("charter", "figures", *(f"escalation:{i}" for i in book.escalations)):
        assert key in book.sources


def test_a_parameter_used_in_another_unit_is_an_error_at_the_rule_line(rules_copy):
    # 2 working days (vcop_referral_working_days) counted as calendar months would be a deadline weeks too late
    path = edit(rules_copy, RULE, "      count: {param: vcop_referral_working_days}\n      unit: working_days",
                "      count: {param: vcop_referral_working_days}\n      unit: calendar_months\n      short_month: last_day_of_month")
    with pytest.raises(cr.CompileError) as info:
        cr.load_compiled(rules_copy)
    (problem,) = [p for p in info.value.problems if "vcop_referral_working_days" in p.message]
    assert problem.path == str(path)
    assert problem.line == line_of(path, "count: {param: vcop_referral_working_days}")
    parameters_line = line_of(rules_copy / "parameters.yaml", "vcop_referral_working_days:") + 3
    assert "is a number of working days (parameters.yaml:%d)" % parameters_line in problem.message
    assert "used here as a number of calendar months" in problem.message
    assert problem.hint and "working_days" in problem.hint


def test_rules_validate_reports_the_unit_mismatch(rules_copy):
    edit(rules_copy, RULE, "      unit: working_days\n      calendar: england_and_wales",
         "      unit: calendar_days\n      calendar: england_and_wales")
    result = CliRunner().invoke(app, ["rules", "validate", "--rules", str(rules_copy)])
    assert result.exit_code == 2
    assert "vcop-support-referral.yaml:" in result.output
    assert "number of working days" in result.output and "number of calendar days" in result.output


def test_a_bad_charter_map_stops_the_loader_with_its_line(rules_copy):
    path = edit(rules_copy, "charter.yaml", "publisher:", "publisherr:")
    with pytest.raises(cr.RuleValidationError) as info:
        cr.load_rulebook(rules_copy)
    unknown = [p for p in info.value.problems if "unknown key 'publisherr'" in p.message]
    assert unknown and unknown[0].path == str(path) and unknown[0].line == line_of(path, "publisherr:")


def test_a_bad_figures_file_is_reported_with_its_line(rules_copy):
    path = edit(rules_copy, "figures.yaml", "    rules: [vcop-written-confirmation]", "    rules: []")
    with pytest.raises(cr.RuleValidationError) as info:
        cr.load_rulebook(rules_copy)
    (problem,) = info.value.problems
    assert problem.path == str(path)
    assert problem.line == line_of(path, "rules: []")
    assert problem.field == "figures.0.rules"


def test_a_bad_escalation_rule_fails_rules_validate_with_its_line(rules_copy):
    path = edit(rules_copy, "escalations/case-three-overdue.yaml", "on: [overdue]", "on: [overdue]\nnotfy: [x]")
    result = CliRunner().invoke(app, ["rules", "validate", "--rules", str(rules_copy)])
    assert result.exit_code == 2
    assert f"{path.name}:{line_of(path, 'notfy:')}" in result.output
    assert "unknown key 'notfy'" in result.output


def test_an_escalation_id_must_match_its_file_name(rules_copy):
    path = edit(rules_copy, "escalations/case-three-overdue.yaml", "id: case-three-overdue", "id: three-overdue")
    with pytest.raises(cr.RuleValidationError) as info:
        cr.load_rulebook(rules_copy)
    (problem,) = info.value.problems
    assert problem.path == str(path) and problem.line == 1
    assert "differs from the file name" in problem.message and problem.hint == "use id: case-three-overdue"


def test_files_beside_the_rules_are_optional(rules_copy):
    (rules_copy / "figures.yaml").unlink()
    for path in (rules_copy / "escalations").glob("*.yaml"):
        path.unlink()
    book = cr.load_rulebook(rules_copy)
    assert book.figures is None and book.escalations == {}


def test_every_problem_in_every_file_is_reported_at_once(rules_copy):
    edit(rules_copy, "charter.yaml", "publisher:", "publisherr:")
    edit(rules_copy, "figures.yaml", "    rules: [vcop-written-confirmation]", "    rules: []")
    edit(rules_copy, RULE, "      unit: working_days", "      unit: working_days\n      workng_days: 3")
    with pytest.raises(cr.RuleValidationError) as info:
        cr.load_rulebook(rules_copy)
    files = {Path(p.path).name for p in info.value.problems}
    assert {"charter.yaml", "figures.yaml", "vcop-support-referral.yaml"} <= files
