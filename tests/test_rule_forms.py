"""Rule-file forms that remove repetition: versions that state only what changes (``inherits: previous``)."""

from __future__ import annotations

import datetime as dt

import pytest

import charter_rules as cr
from charter_rules.explain import deadline_lines
from charter_rules.rule_forms import effective_versions, merged

from .test_errors import edit

SAR = "commitments/sar-statutory-time-limit.yaml"


def test_merged_merges_mappings_replaces_lists_and_removes_nulls():
    base = {"clock": {"restarts": [1, 2], "extensions": [3]}, "applies_when": {"fact": "x"}, "deadline": {"count": 1}}
    changes = {"clock": {"pauses": [4], "restarts": [5]}, "applies_when": None}
    assert merged(base, changes) == {"clock": {"restarts": [5], "extensions": [3], "pauses": [4]},
                                     "deadline": {"count": 1}}
    assert base["clock"] == {"restarts": [1, 2], "extensions": [3]}  # the earlier version is left as it was


def test_dates_and_change_note_are_never_inherited():
    versions = effective_versions([
        {"valid_from": "2018-05-25", "valid_to": "2026-02-04", "change_note": "old", "trigger": {"case_received": True}},
        {"valid_from": "2026-02-05", "inherits": "previous"},
    ])
    assert versions[1] == {"valid_from": "2026-02-05", "inherits": "previous", "trigger": {"case_received": True}}


def test_the_sar_rule_from_5_february_2026_is_the_2018_version_with_a_clarification_pause():
    rule = cr.load_rulebook().rules["sar-statutory-time-limit"]
    gdpr_2018, art_12a = rule.versions[1], rule.versions[2]
    assert (gdpr_2018.valid_from, gdpr_2018.valid_to) == (dt.date(2018, 5, 25), dt.date(2026, 2, 4))
    assert (art_12a.valid_from, art_12a.valid_to, art_12a.inherits) == (dt.date(2026, 2, 5), None, "previous")
    for same in ("applies_when", "trigger", "satisfied_by", "deadline", "at_risk", "waived_when", "variants"):
        assert getattr(art_12a, same) == getattr(gdpr_2018, same), same
    assert art_12a.clock.extensions == gdpr_2018.clock.extensions
    assert [p.from_ for p in art_12a.clock.pauses] == [p.from_ for p in gdpr_2018.clock.pauses] == [
        "sar_fee_requested", "sar_identity_requested", "sar_clarification_sought"]
    # before 5 February 2026 the clarification pause is a setting (the ICO's guidance); from then on it is the law
    assert gdpr_2018.clock.pauses[2].when is not None and art_12a.clock.pauses[2].when is None
    assert [r.on for r in art_12a.clock.restarts] == ["sar_identity_received", "sar_fee_received"]
    assert art_12a.clock.restarts[0].reason.startswith("UK GDPR Art 12A")
    assert gdpr_2018.clock.restarts[0].reason.startswith("ICO guidance")
    assert "Art 12A" in (art_12a.change_note or "") and "Art 12A" not in (gdpr_2018.change_note or "")


def test_null_removes_an_inherited_key(rules_copy):
    edit(rules_copy, SAR, "    inherits: previous", "    inherits: previous\n    at_risk: null")
    rule = cr.load_rulebook(rules_copy).rules["sar-statutory-time-limit"]
    assert rule.versions[1].at_risk is not None and rule.versions[2].at_risk is None


def test_the_first_version_cannot_inherit(rules_copy):
    path = edit(rules_copy, SAR, "  - valid_from: 2000-03-01\n", "  - valid_from: 2000-03-01\n    inherits: previous\n")
    with pytest.raises(cr.RuleValidationError) as info:
        cr.load_rulebook(rules_copy)
    (problem,) = info.value.problems
    assert problem.path == str(path) and "no version before it to inherit from" in problem.message


# --- dated parameter values ------------------------------------------------------------------------------------

REFERRAL_DAYS = """  vcop_referral_working_days:
    title: Working days to refer a victim to support services
    value: 2
"""
# a change in the law, as one dated line: from Mon 1 June 2026 (a made-up change, for the test) 3 working days
DATED_REFERRAL_DAYS = """  vcop_referral_working_days:
    title: Working days to refer a victim to support services
    values:
      - {from: 2021-04-01, value: 2}
      - {from: 2026-06-01, value: 3}
"""


def _referral(book: cr.CompiledRulebook, received: str) -> cr.Obligation:
    from .conftest import crime_case

    case = cr.parse_snapshot(crime_case("R-1", received), book)
    result = cr.evaluate(book, case, as_of=dt.datetime(2026, 6, 10, 12, tzinfo=dt.timezone.utc))
    (referral,) = result.by_rule("vcop-support-referral")
    return referral


def test_the_value_in_force_on_the_day_the_clock_starts_is_used_and_shown(rules_copy):
    edit(rules_copy, "parameters.yaml", REFERRAL_DAYS, DATED_REFERRAL_DAYS)
    book = cr.load_compiled(rules_copy)
    # received Fri 29 May 2026: 2 working days from the day after (Mon 1 Jun, Tue 2 Jun); 25 May was the holiday
    before = _referral(book, "2026-05-29T10:00:00+01:00")
    assert before.due_date == dt.date(2026, 6, 2) and before.version == dt.date(2021, 4, 1)
    # received Mon 1 Jun 2026: 3 working days (Tue 2, Wed 3, Thu 4 Jun)
    after = _referral(book, "2026-06-01T10:00:00+01:00")
    assert after.due_date == dt.date(2026, 6, 4) and after.version == dt.date(2026, 6, 1)
    shown = "as set in 'Working days to refer a victim to support services', in force from Mon 1 Jun 2026"
    assert after.deadline is not None and after.deadline.count_source == shown
    assert f"Deadline: 3 working days ({shown})" in "\n".join(deadline_lines(after.deadline))
    versions = book.by_id["vcop-support-referral"].versions
    assert [(v.valid_from, v.valid_to) for v in versions][-2:] == [(dt.date(2021, 4, 1), dt.date(2026, 5, 31)),
                                                                   (dt.date(2026, 6, 1), None)]


def test_a_version_before_the_first_dated_value_is_an_error(rules_copy):
    edit(rules_copy, "parameters.yaml", REFERRAL_DAYS, DATED_REFERRAL_DAYS.replace("2021-04-01", "2022-01-01"))
    with pytest.raises(cr.CompileError) as info:
        cr.load_compiled(rules_copy)
    (problem,) = info.value.problems
    assert "'vcop_referral_working_days' has no value in force on 2021-04-01" in problem.message
    assert problem.path.endswith("vcop-support-referral.yaml") and problem.line is not None


def test_a_parameter_has_one_value_or_dated_values_in_order(rules_copy):
    edit(rules_copy, "parameters.yaml", REFERRAL_DAYS,
         DATED_REFERRAL_DAYS.replace("2021-04-01", "2027-01-01"))
    with pytest.raises(cr.RuleValidationError, match="dated values must be in date order"):
        cr.load_rulebook(rules_copy)


def test_the_bundled_extension_parameters_are_dated_from_their_commencement():
    params = cr.load_rulebook().parameters.parameters
    part3 = params["sar_part3_extended_total_months"]
    assert part3.value_on(dt.date(2026, 2, 4)) is None and part3.value_on(dt.date(2026, 2, 5)) == 3
    assert params["sar_extended_total_months"].value_on(dt.date(2018, 5, 25)) == 3
