"""The charter map (rules/charter.yaml) and ``charter-rules coverage``: every sentence accounted for, both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import charter_rules as cr
from charter_rules.charter.text import load_charter, quote_in, slug
from charter_rules.cli import app
from charter_rules.charter.coverage import charter_coverage, coverage_text
from charter_rules.rulebook import DEFAULT_RULES_DIR

runner = CliRunner()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


def test_the_bundled_map_has_no_problems(book):
    report = charter_coverage(load_charter(DEFAULT_RULES_DIR), book)
    assert report.problems == ()
    counts = report.counts()
    assert counts["sentences"] == len(report.rows) > 40
    assert counts["checked_by_rules"] + sum(counts.get(c, 0) for c in (
        "organisational", "not_measurable_per_case", "informational")) == counts["sentences"]


def test_every_rule_of_the_book_is_reached_from_the_charter(book):
    report = charter_coverage(load_charter(DEFAULT_RULES_DIR), book)
    listed = {r for row in report.rows for r in row.rules}
    assert listed == set(book.by_id)


def test_the_key_promises_map_to_their_rules(book):
    charter = load_charter(DEFAULT_RULES_DIR)
    rules = {sentence.id: sentence.rules for _, sentence in charter.sentences()}
    assert "charter-personal-information-40-days" in rules["foi-2"]
    assert "sar-statutory-time-limit" in rules["foi-2"]
    assert rules["foi-3"] == ["foi-response"]
    assert rules["informed-3"] == ["charter-monthly-update"]
    assert "vcop-support-referral" in rules["victims-6"]


def test_slugs_and_quotes():
    assert slug("Frequently asked questions:") == "frequently-asked-questions"
    assert quote_in("within 20\n working days", "respond within 20 working days here")
    assert not quote_in("", "anything")
    assert not quote_in("within 21 working days", "respond within 20 working days here")


def test_coverage_command_prints_the_map_and_passes(book):
    result = runner.invoke(app, ["coverage"])
    assert result.exit_code == 0, result.output
    assert "foi-3: We will respond to any request for any other information within 20 working days" in result.output
    assert "checked by: foi-response" in result.output
    assert "not checked (organisational)" in result.output


def test_coverage_command_json(book):
    result = runner.invoke(app, ["coverage", "--format", "json"])
    assert result.exit_code == 0
    assert '"problems": []' in result.output


def test_a_sentence_naming_a_missing_rule_fails_coverage(rules_copy: Path):
    _edit(rules_copy / "charter.yaml", "rules: [foi-response]\n", "rules: [foi-reply]\n")
    result = runner.invoke(app, ["coverage", "--rules", str(rules_copy)])
    assert result.exit_code == 1
    assert "sentence foi-3 names rule 'foi-reply', which does not exist" in result.output
    # and the rule that quotes foi-3 is now missing from it
    assert "rule foi-response quotes sentence foi-3, which does not list it" in result.output


def test_an_unmapped_sentence_is_refused_with_its_line(rules_copy: Path):
    _edit(rules_copy / "charter.yaml", "        class: organisational\n        reason: A commitment about the force's website, not about any one case.\n", "")
    result = runner.invoke(app, ["coverage", "--rules", str(rules_copy)])
    assert result.exit_code == 2
    assert "charter.yaml" in result.output and "foi-4" in result.output and "needs either rules" in result.output


def test_a_quote_not_in_the_charter_fails_coverage(rules_copy: Path):
    _edit(rules_copy / "commitments" / "foi-response.yaml",
          "quote: We will respond to any request for any other information within 20 working days",
          "quote: We will respond to any request for any other information within 15 working days")
    report = charter_coverage(load_charter(rules_copy), cr.load_compiled(rules_copy))
    assert any("foi-response quotes words not found" in p for p in report.problems)


def test_a_quote_naming_an_unknown_section_fails_coverage(rules_copy: Path):
    _edit(rules_copy / "commitments" / "foi-response.yaml",
          "  - section: dealing-with-freedom-of-information-requests\n    quote: We will respond to any request",
          "  - section: freedom-of-information\n    quote: We will respond to any request")
    report = charter_coverage(load_charter(rules_copy), cr.load_compiled(rules_copy))
    assert any("quotes section 'freedom-of-information'" in p for p in report.problems)
    assert "problem(s)" in coverage_text(report)


def test_a_charter_rule_without_a_quote_fails_coverage(rules_copy: Path):
    path = rules_copy / "commitments" / "charter-referral-elsewhere.yaml"
    _edit(path, "charter:\n  - section: dealing-with-your-initial-enquiry\n    quote: We may refer you to an alternative "
                "organisation, for example your local authority or transfer you to a specialist department.\n", "")
    report = charter_coverage(load_charter(rules_copy), cr.load_compiled(rules_copy))
    assert "rule charter-referral-elsewhere is based on the charter but quotes no charter sentence" in report.problems


def test_a_section_id_must_be_its_heading_as_a_slug(rules_copy: Path):
    _edit(rules_copy / "charter.yaml", "  - id: keeping-you-informed\n", "  - id: informed\n")
    with pytest.raises(cr.RuleValidationError, match="keeping-you-informed"):
        load_charter(rules_copy)


def test_sentence_ids_are_unique(rules_copy: Path):
    _edit(rules_copy / "charter.yaml", "      - id: faq-12\n", "      - id: faq-11\n")
    with pytest.raises(cr.RuleValidationError, match="faq-11"):
        load_charter(rules_copy)


def test_a_missing_charter_file_is_a_clear_error(rules_copy: Path):
    (rules_copy / "charter.yaml").unlink()
    result = runner.invoke(app, ["coverage", "--rules", str(rules_copy)])
    assert result.exit_code == 2 and "charter map is missing" in result.output
