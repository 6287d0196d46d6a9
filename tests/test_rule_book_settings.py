"""The interpretation settings in rules/settings.yaml change the verdicts they should, on dates worked out by hand.

Each setting's other choice is checked here through the public API (default_rulebook(settings=...)), beside the
worked examples in the rule files that choose it. Bank holidays used: Mon 13 Jul 2026 (Battle of the Boyne,
observed: Northern Ireland only) and Mon 30 Nov 2026 (St Andrew's Day: Scotland only).
"""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import BaseModel

import charter_rules as cr
from charter_rules.rulebook import load_rulebook

UK_WIDE = {"ico_roll_forward_holidays": "any_part_of_uk"}
RELEVANT_DAY = {"charter_forty_days_start": "from_relevant_day"}


def _due(settings: dict[str, str] | None, rule_id: str, case: dict, as_of: str) -> dt.date | None:
    book = cr.default_rulebook(settings=settings)
    evaluation = cr.evaluate(book, cr.parse_snapshot(case, book), as_of=dt.datetime.fromisoformat(as_of))
    (obligation,) = [o for o in evaluation.obligations if o.rule_id == rule_id]
    return obligation.due_date


# Received Sat 13 Jun 2026: one month on is Mon 13 Jul 2026, a bank holiday in Northern Ireland only.
# England and Wales (the default): due Mon 13 Jul. Any part of the UK: the next working day, Tue 14 Jul.
@pytest.mark.parametrize(("rule_id", "kind", "facts"), [
    ("sar-statutory-time-limit", "subject_access_request", {"sar_regime": "uk_gdpr"}),
    ("sar-law-enforcement-time-limit", "subject_access_request", {"sar_regime": "dpa_part_3"}),
    ("dp-rights-time-limit", "data_rights_request", {"sar_regime": "uk_gdpr", "dp_right": "erasure"}),
    ("dp-rights-law-enforcement-time-limit", "data_rights_request", {"sar_regime": "dpa_part_3", "dp_right": "rectification"}),
])
def test_the_roll_forward_counts_uk_wide_holidays_only_when_chosen(rule_id, kind, facts):
    case = {"case_id": "S-1", "kind": kind, "received_at": "2026-06-13T10:00:00+01:00", "facts": facts}
    assert _due(None, rule_id, case, "2026-06-20T12:00:00+01:00") == dt.date(2026, 7, 13)
    assert _due(UK_WIDE, rule_id, case, "2026-06-20T12:00:00+01:00") == dt.date(2026, 7, 14)


def test_a_complaint_acknowledgement_due_on_st_andrews_day_moves_only_with_uk_wide_holidays():
    # Received Sat 31 Oct 2026; ICO counting: day 1 Sun 1 Nov, day 30 Mon 30 Nov (Scotland-only bank holiday).
    case = {"case_id": "S-2", "kind": "complaint", "received_at": "2026-10-31T11:00:00+00:00",
            "facts": {"complaint_type": "data_protection"}}
    assert _due(None, "dp-complaint-acknowledgement", case, "2026-11-02T12:00:00+00:00") == dt.date(2026, 11, 30)
    assert _due(UK_WIDE, "dp-complaint-acknowledgement", case, "2026-11-02T12:00:00+00:00") == dt.date(2026, 12, 1)


def test_the_charters_forty_days_run_from_proof_of_identity_only_when_chosen():
    # Request Mon 2 Mar 2026, proof of identity Mon 9 Mar. From receipt: day 40 is Fri 10 Apr.
    # From the relevant day (the 1998 Act's reading): 9 Mar is day 1, day 40 is Fri 17 Apr.
    case = {"case_id": "S-3", "kind": "subject_access_request", "received_at": "2026-03-02T10:00:00+00:00",
            "facts": {"sar_regime": "uk_gdpr"},
            "events": [{"id": "i1", "type": "sar_identity_requested", "at": "2026-03-03T10:00:00+00:00"},
                       {"id": "i2", "type": "sar_identity_received", "at": "2026-03-09T10:00:00+00:00"}]}
    rule = "charter-personal-information-40-days"
    assert _due(None, rule, case, "2026-03-20T12:00:00+00:00") == dt.date(2026, 4, 10)
    assert _due(RELEVANT_DAY, rule, case, "2026-03-20T12:00:00+00:00") == dt.date(2026, 4, 17)


def test_the_icos_earlier_clarification_pause_applies_before_5_february_2026_only_when_chosen():
    # Received Mon 2 Feb 2026 (before UK GDPR Art 12A); clarification asked Wed 4 Feb, received Mon 9 Feb.
    # The statute (default): one month, Mon 2 Mar 2026, whatever the clarification.
    # The ICO's 2020 guidance: 4 to 9 Feb, both included, are 6 days not counted: 2 Mar + 6 days = Sun 8 Mar, not a
    # working day, so Mon 9 Mar.
    case = {"case_id": "S-4", "kind": "subject_access_request", "received_at": "2026-02-02T10:00:00+00:00",
            "facts": {"sar_regime": "uk_gdpr"},
            "events": [{"id": "c1", "type": "sar_clarification_sought", "at": "2026-02-04T10:00:00+00:00"},
                       {"id": "c2", "type": "sar_clarification_received", "at": "2026-02-09T10:00:00+00:00"}]}
    rule = "sar-statutory-time-limit"
    ico = {"sar_clarification_pause_before_2026": "ico_guidance"}
    assert _due(None, rule, case, "2026-02-20T12:00:00+00:00") == dt.date(2026, 3, 2)
    assert _due(ico, rule, case, "2026-02-20T12:00:00+00:00") == dt.date(2026, 3, 9)


def test_the_strict_reading_of_s164a_counts_from_the_day_of_receipt_without_moving_a_weekend_deadline():
    # Received Fri 19 Jun 2026. ICO (default): day 1 Sat 20 Jun, day 30 Sun 19 Jul, moved to Mon 20 Jul.
    # The Act's words: day 1 Fri 19 Jun, day 30 Sat 18 Jul, not moved.
    case = {"case_id": "S-5", "kind": "complaint", "received_at": "2026-06-19T10:00:00+01:00",
            "facts": {"complaint_type": "data_protection"}}
    strict = {"dp_complaint_counting": "statute_words"}
    assert _due(None, "dp-complaint-acknowledgement", case, "2026-06-25T12:00:00+01:00") == dt.date(2026, 7, 20)
    assert _due(strict, "dp-complaint-acknowledgement", case, "2026-06-25T12:00:00+01:00") == dt.date(2026, 7, 18)


def test_every_setting_is_used_by_some_rule():
    book = cr.default_rulebook()
    used: set[str] = set()

    def walk(node):
        if isinstance(node, BaseModel) and "setting" in type(node).model_fields:
            used.add(node.setting)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                walk(value)
        elif isinstance(node, BaseModel):
            for name in type(node).model_fields:
                walk(getattr(node, name))

    for rule in book.rules:
        walk(rule.source.versions)
    declared = {s.id for s in load_rulebook().settings.settings}
    assert declared <= used, f"settings no rule uses: {sorted(declared - used)}"
