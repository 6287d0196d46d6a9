"""Charter versus law (``charter-rules lint``): computed findings checked against hand-worked dates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import charter_rules as cr
from charter_rules.cli import app
from charter_rules.charter.findings import findings_text, lint_rulebook

runner = CliRunner()


@pytest.fixture(scope="module")
def findings():
    return {f.id: f for f in lint_rulebook(cr.default_rulebook())}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


def test_the_40_days_are_later_than_the_uk_gdpr_month(findings):
    finding = findings["charter-personal-information-40-days-later-than-sar-statutory-time-limit"]
    assert finding.severity == "high" and finding.kind == "later_than_law"
    assert finding.charter_rule == "charter-personal-information-40-days" and finding.law_rule == "sar-statutory-time-limit"
    assert finding.charter_says == "We will respond to any appropriate request for personal information within 40 calendar days"
    # Hand-worked. A request received Thu 5 Feb 2026: one month is Thu 5 Mar (a working day); day 40 counting
    # 5 Feb as day 1 is Mon 16 Mar (5 Feb + 39 days): 11 days later, the widest gap of the year. The narrowest is
    # 4 days: received Tue 3 Mar, the month ends on Good Friday 3 Apr and rolls past Easter Monday to Tue 7 Apr,
    # while day 40 is Sat 11 Apr. The charter is later on every day of the year.
    assert "on 365 of them, by 4 days to 11 days" in finding.evidence
    assert "Thu 5 Feb 2026" in finding.evidence and "Thu 5 Mar 2026" in finding.evidence
    assert "Mon 16 Mar 2026" in finding.evidence
    assert finding.law_source is not None and "Article 12" in finding.law_source.title
    assert "Quality of service" in finding.charter_source
    assert "one calendar month" in finding.advice


def test_the_40_days_are_later_than_the_part_3_month(findings):
    finding = findings["charter-personal-information-40-days-later-than-sar-law-enforcement-time-limit"]
    assert finding.severity == "high"
    assert "section 54" in finding.advice


def test_the_40_days_repeat_the_repealed_1998_act(findings):
    finding = findings["charter-personal-information-40-days-repeats-expired-sar-statutory-time-limit-2000-03-01"]
    assert finding.kind == "obsolete_standard" and finding.severity == "medium"
    assert "Data Protection Act 1998" in finding.title and "Thu 24 May 2018" in finding.title
    # the sample year is the last of the 1998 Act: 25 May 2017 to 24 May 2018
    assert "365 days from Thu 25 May 2017 to Thu 24 May 2018" in finding.evidence
    # the part 3 rule never had a 40-day version, so there is no such finding for it
    assert not any(f.startswith("charter-personal-information-40-days-repeats-expired-sar-law-enforcement") for f in findings)


def test_monthly_updates_are_later_than_an_agreed_fortnight(findings):
    finding = findings["charter-monthly-update-later-than-vcop-agreed-updates"]
    assert finding.severity == "high"
    # Hand-worked: every 14 days against the corresponding date a month on; the gap is the month's length less
    # 14: 14 days (February), 16 (30-day months), 17 (31-day months). Received Sat 1 May 2021: the law's next
    # update is due Sat 15 May, the charter's Tue 1 Jun.
    assert "on 365 of them, by 14 days to 17 days" in finding.evidence
    assert "Sat 15 May 2021" in finding.evidence and "Tue 1 Jun 2021" in finding.evidence
    weekly = findings["charter-monthly-update-later-than-vcop-agreed-updates-2"]
    assert "by 21 days to 24 days" in weekly.evidence


def test_wording_findings_come_from_the_charter_map(findings):
    support = findings["victim-support-is-one-service-among-several"]
    assert support.kind == "wording" and support.severity == "medium"
    assert "Victim Support" in support.charter_says
    assert "services that support victims" in support.law_says
    monthly = findings["monthly-updates-are-the-2006-standard"]
    assert monthly.charter_rule == "charter-monthly-update" and monthly.law_rule == "vcop-agreed-updates"
    assert "2006" in monthly.law_says


def test_every_finding_has_both_sides_and_advice(findings):
    for finding in findings.values():
        assert finding.charter_says and finding.law_says and finding.advice, finding.id
        assert finding.charter_source and finding.law_source is not None, finding.id


def test_findings_are_ordered_most_severe_first():
    order = [f.severity for f in lint_rulebook(cr.default_rulebook())]
    assert order == sorted(order, key=["high", "medium", "low"].index)


def test_a_charter_promise_no_later_than_the_law_gives_no_computed_finding(rules_copy: Path):
    # 20 calendar days is always within one calendar month, and differs from the 1998 Act's 40
    _edit(rules_copy / "parameters.yaml", "  charter_personal_information_days:\n    title: Calendar days the charter "
          "promises for a request for personal information\n    value: 40\n",
          "  charter_personal_information_days:\n    title: Calendar days the charter promises for a request for "
          "personal information\n    value: 20\n")
    ids = {f.id for f in lint_rulebook(cr.load_compiled(rules_copy))}
    assert not any(i.startswith("charter-personal-information-40-days") for i in ids)
    assert "charter-monthly-update-later-than-vcop-agreed-updates" in ids


def test_sample_facts_that_do_not_make_the_law_apply_are_an_error(rules_copy: Path):
    _edit(rules_copy / "commitments" / "charter-personal-information-40-days.yaml",
          "    facts: {sar_regime: uk_gdpr}\n    advice", "    facts: {sar_regime: dpa_part_3}\n    advice")
    with pytest.raises(cr.RuleValidationError) as caught:
        lint_rulebook(cr.load_compiled(rules_copy))
    problem = caught.value.problems[0]
    assert problem.path.endswith("charter-personal-information-40-days.yaml") and problem.line is not None
    assert "sar-statutory-time-limit is not_applicable" in problem.message


def test_a_wording_finding_naming_an_unknown_rule_is_an_error(rules_copy: Path):
    _edit(rules_copy / "charter.yaml", "            law_rule: vcop-agreed-updates\n", "            law_rule: vcop-updates\n")
    with pytest.raises(cr.RuleValidationError, match="vcop-updates"):
        lint_rulebook(cr.load_compiled(rules_copy))


def test_lint_command_reports_and_exits_0_by_default():
    result = runner.invoke(app, ["lint"])
    assert result.exit_code == 0, result.output
    assert "The charter says: We will respond to any appropriate request for personal information" in result.output
    assert "What to do:" in result.output


def test_lint_command_can_fail_on_a_severity():
    assert runner.invoke(app, ["lint", "--fail-on", "high"]).exit_code == 1


def test_lint_command_json():
    result = runner.invoke(app, ["lint", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert {"id", "title", "severity", "charter_rule", "law_rule", "charter_says", "law_says", "charter_source",
            "law_source", "advice"} <= set(data[0])


def test_text_for_no_findings():
    assert findings_text([]).startswith("No differences")
