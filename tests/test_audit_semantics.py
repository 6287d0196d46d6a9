"""Verdicts that stand up to an audit: waivers, lapses and restarts act from their own moment and never rewrite what
already happened; every obligation carries its kind of duty; interpretation settings are chosen per run.

Every date below is counted by hand from the sources, with England and Wales bank holidays (Good Friday 3 Apr,
Easter Monday 6 Apr, early May 4 May, spring 25 May 2026) and the clocks going forward on Sun 29 Mar 2026.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import charter_rules as cr
from charter_rules.obligation import DutyKind, State, Status, Timeliness, weakest_duty
from charter_rules.rulebook import DEFAULT_RULES_DIR

from .conftest import at, crime_case

REFERRAL_RULE = """\
id: test-referral
title: Refer the victim to support services
summary: A referral within five working days unless the victim opts out.
basis: law
case_kinds: [crime_report]
versions:
  - valid_from: 2020-01-01
    duty: statutory_guidance
    trigger: {case_received: true}
    satisfied_by:
      event: referred_to_victim_support
      description: the victim is referred
    deadline: {count: 5, unit: working_days, calendar: england_and_wales}
    variants:
      - name: longer_by_setting
        when: {setting: test_referral_days, equals: ten}
        deadline: {count: 10}
        reason: The setting gives ten working days.
      - name: local_reading
        when: {fact: victim_persistently_targeted, equals: true}
        deadline: {count: {param: test_local_days}}
        reason: This force's own standard for persistently targeted victims.
    waived_when:
      - name: victim_opted_out
        when: {event: victim_opted_out_of_referral}
        reason: the victim asked not to be referred
      - name: business_victim
        when: {fact: victim_is_business, equals: true}
        reason: a business is not referred
"""

FROM_START_RULE = REFERRAL_RULE.replace("id: test-referral", "id: test-referral-from-start").replace(
    "        reason: the victim asked not to be referred\n",
    "        reason: the victim asked not to be referred (the law treats the opt-out as applying from the start)\n"
    "        takes_effect: from_start\n")

UPDATES_RULE = """\
id: test-updates
title: Update the victim every 28 days
summary: An update within 28 days of the last one, until the victim declines updates.
basis: law
case_kinds: [crime_report]
versions:
  - valid_from: 2020-01-01
    duty: statutory_guidance
    trigger: {case_received: true}
    satisfied_by:
      event: victim_updated
      description: the victim is updated
    deadline: {count: 28, unit: calendar_days, calendar: england_and_wales}
    recurrence:
      description: each update starts the next 28 days
    waived_when:
      - name: declined
        when: {event: victim_declined_updates}
        reason: the victim declined updates
"""

FOI_RULE = """\
id: test-foi
title: Answer a request for information
summary: Twenty working days, paused for a fee that lapses after three months.
basis: law
case_kinds: [foi_request]
versions:
  - valid_from: 2005-01-01
    duty: statutory
    trigger: {case_received: true}
    satisfied_by:
      event: foi_response_sent
      description: the requester is answered
    deadline: {count: 20, unit: working_days, calendar: england_and_wales}
    clock:
      pauses:
        - from: foi_fees_notice_given
          until: foi_fee_received
          reason: FOIA s.10(2)
          lapses_after: {count: 3, unit: calendar_months}
          lapse_reason: FOIA s.9(2), the fee was not paid within three months of the fees notice
      restarts:
        - on: foi_clarification_received
          reason: FOIA s.10(6)(b)
"""

TEST_SETTING = {
    "id": "test_referral_days",
    "title": "Days for a test referral",
    "question": "How many working days does the test referral allow?",
    "default": "five",
    "choices": {
        "five": {"title": "Five working days", "explanation": "The usual reading.",
                 "sources": [{"title": "Test source A"}]},
        "ten": {"title": "Ten working days", "explanation": "The generous reading.",
                "sources": [{"title": "Test source B"}]},
    },
}

TEST_PARAMETER = {
    "title": "Test local standard",
    "value": 3,
    "unit": "working days",
    "source": {"title": "This force's own standard"},
    "source_tag": "I",
    "confidence": "medium",
    "last_reviewed": "2026-01-01",
    "duty": "local_standard",
}


def write_test_rules(target: Path) -> Path:
    """A copy of the bundled rule book with the test rules, one test setting and one local-standard parameter."""
    import shutil

    shutil.copytree(DEFAULT_RULES_DIR, target)
    for text in (REFERRAL_RULE, FROM_START_RULE, UPDATES_RULE, FOI_RULE):
        rule_id = text.split("\n", 1)[0].split(": ", 1)[1]
        (target / "commitments" / f"{rule_id}.yaml").write_text(text)
    settings_path = target / "settings.yaml"
    settings = yaml.safe_load(settings_path.read_text()) if settings_path.is_file() else {"settings": []}
    settings.setdefault("settings", []).append(TEST_SETTING)
    settings_path.write_text(yaml.safe_dump(settings, sort_keys=False))
    parameters = yaml.safe_load((target / "parameters.yaml").read_text())
    parameters["parameters"]["test_local_days"] = TEST_PARAMETER
    (target / "parameters.yaml").write_text(yaml.safe_dump(parameters, sort_keys=False, default_flow_style=False))
    return target


@pytest.fixture(scope="module")
def test_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_test_rules(tmp_path_factory.mktemp("audit") / "rules")


@pytest.fixture(scope="module")
def book(test_rules: Path) -> cr.CompiledRulebook:
    return cr.load_compiled(test_rules)


def ev(book: cr.CompiledRulebook, data: dict[str, Any], as_of: str) -> cr.Evaluation:
    return cr.evaluate(book, cr.parse_snapshot(data, book), as_of=at(as_of))


def events(*rows: tuple[str, str, str]) -> list[dict[str, Any]]:
    return [{"id": i, "type": t, "at": a} for i, t, a in rows]


def foi_case(received: str, *rows: tuple[str, str, str]) -> dict[str, Any]:
    return {"case_id": "F-1", "kind": "foi_request", "received_at": received, "events": events(*rows)}


# --- 1. waivers act from their moment -------------------------------------------------------------------------------
# Received Wed 22 Apr 2026 10:00 BST. Five working days, day 1 the day after: Thu 23 (1), Fri 24 (2), Mon 27 (3),
# Tue 28 (4), Wed 29 Apr (5): due by the end of Wed 29 Apr, overdue from Thu 30 Apr 00:00 BST.
RECEIVED = "2026-04-22T10:00:00+01:00"


def test_an_opt_out_after_the_deadline_leaves_the_breach_standing(book):
    data = crime_case(received=RECEIVED, events=events(("E5", "victim_opted_out_of_referral", "2026-05-05T11:00:00+01:00")))
    (o,) = ev(book, data, "2026-05-08T12:00:00+01:00").by_rule("test-referral")
    assert (o.state, o.timeliness, o.status) == (State.OPEN, Timeliness.OVERDUE, Status.OVERDUE)
    assert o.due_date == dt.date(2026, 4, 29) and o.waiver == "victim_opted_out"
    assert o.is_breach and not o.is_owed and o.next_change is None
    text = cr.obligation_text(o)
    assert ("waived from Tue 5 May 2026 (Victim asked not to be referred, E5): the victim asked not to be referred; "
            "it was already overdue on Thu 30 Apr 2026 and that breach stands") in text
    assert "Still needed" not in text


def test_an_opt_out_while_still_owed_waives_it_from_then(book):
    # Wed 29 Apr 16:00 is still the due day: nothing was late yet
    data = crime_case(received=RECEIVED, events=events(("E5", "victim_opted_out_of_referral", "2026-04-29T16:00:00+01:00")))
    (o,) = ev(book, data, "2026-05-08T12:00:00+01:00").by_rule("test-referral")
    assert o.status is Status.WAIVED and o.waiver == "victim_opted_out" and not o.is_breach
    assert "waived from Wed 29 Apr 2026" in o.reasons[-1].text


def test_a_duty_met_before_the_opt_out_stays_met(book):
    data = crime_case(received=RECEIVED, events=events(
        ("R", "referred_to_victim_support", "2026-04-27T10:00:00+01:00"),
        ("E5", "victim_opted_out_of_referral", "2026-05-05T11:00:00+01:00")))
    (o,) = ev(book, data, "2026-05-08T12:00:00+01:00").by_rule("test-referral")
    assert o.status is Status.SATISFIED and o.waiver is None and o.satisfied_by == "R"


def test_a_duty_met_late_before_the_opt_out_stays_late(book):
    # referred Fri 1 May, after the due day Wed 29 Apr
    data = crime_case(received=RECEIVED, events=events(
        ("R", "referred_to_victim_support", "2026-05-01T10:00:00+01:00"),
        ("E5", "victim_opted_out_of_referral", "2026-05-05T11:00:00+01:00")))
    (o,) = ev(book, data, "2026-05-08T12:00:00+01:00").by_rule("test-referral")
    assert o.status is Status.SATISFIED_LATE and o.waiver is None


def test_a_waiver_stated_to_take_effect_from_the_start_waives_even_a_past_breach(book):
    data = crime_case(received=RECEIVED, events=events(("E5", "victim_opted_out_of_referral", "2026-05-05T11:00:00+01:00")))
    (o,) = ev(book, data, "2026-05-08T12:00:00+01:00").by_rule("test-referral-from-start")
    assert o.status is Status.WAIVED and not o.is_breach


def test_a_waiver_on_facts_alone_holds_from_the_start(book):
    (o,) = ev(book, crime_case(received=RECEIVED, victim_is_business=True), "2026-05-08T12:00:00+01:00").by_rule(
        "test-referral")
    assert o.status is Status.WAIVED and o.waiver == "business_victim"


# Monthly-style updates. Received Wed 1 Apr 2026 10:00 BST; 28 calendar days, day 1 the day after.
# #1: day 1 Thu 2 Apr, day 28 Wed 29 Apr; met by U1 Mon 27 Apr (on time).
# #2: starts Mon 27 Apr; day 1 Tue 28 Apr, day 28 Mon 25 May (a bank holiday, but the rule keeps it); met by U2 Fri
#     22 May (on time).
# #3: starts Fri 22 May; day 1 Sat 23 May, day 28 Fri 19 Jun: overdue from Sat 20 Jun 00:00 BST.
UPDATES = [("U1", "victim_updated", "2026-04-27T10:00:00+01:00"), ("U2", "victim_updated", "2026-05-22T10:00:00+01:00")]


def _updates(book: cr.CompiledRulebook, *extra: tuple[str, str, str], as_of: str) -> list[cr.Obligation]:
    data = crime_case(received="2026-04-01T10:00:00+01:00", events=events(*UPDATES, *extra))
    return ev(book, data, as_of).by_rule("test-updates")


def test_declining_updates_keeps_met_updates_and_the_overdue_one(book):
    found = _updates(book, ("D", "victim_declined_updates", "2026-06-24T10:00:00+01:00"), as_of="2026-07-01T12:00:00+01:00")
    assert [(o.instance, o.status, o.due_date, o.waiver) for o in found] == [
        (1, Status.SATISFIED, dt.date(2026, 4, 29), None),
        (2, Status.SATISFIED, dt.date(2026, 5, 25), None),
        (3, Status.OVERDUE, dt.date(2026, 6, 19), "declined"),
    ]
    assert "already overdue on Sat 20 Jun 2026 and that breach stands" in found[2].reasons[-1].text


def test_declining_updates_waives_only_what_was_still_owed(book):
    found = _updates(book, ("D", "victim_declined_updates", "2026-06-15T10:00:00+01:00"),
                     ("U3", "victim_updated", "2026-06-17T10:00:00+01:00"), as_of="2026-07-01T12:00:00+01:00")
    assert [(o.instance, o.status) for o in found] == [(1, Status.SATISFIED), (2, Status.SATISFIED), (3, Status.WAIVED)]
    assert "waived from Mon 15 Jun 2026 (Victim declined updates, D)" in found[2].reasons[-1].text


# --- 2. a pause that lapses (FOIA s.9(2)) ---------------------------------------------------------------------------
# Received Mon 2 Mar 2026 09:00 GMT; day 1 Tue 3 Mar. Fees notice Thu 5 Mar: the three months beginning with 5 Mar
# end with Thu 4 Jun, so an unpaid fee ends the request as Fri 5 Jun 00:00 BST (2026-06-04T23:00Z) begins.
FEES = ("N", "foi_fees_notice_given", "2026-03-05T10:00:00+00:00")


def test_an_unpaid_fee_keeps_the_request_paused_until_the_lapse_moment(book):
    (o,) = ev(book, foi_case("2026-03-02T09:00:00+00:00", FEES), "2026-06-04T12:00:00+01:00").by_rule("test-foi")
    assert o.status is Status.PAUSED
    assert o.next_change == at("2026-06-04T23:00:00+00:00")
    assert "unless it starts again, the obligation ends on Fri 5 Jun 2026" in o.reasons[0].text


def test_an_unpaid_fee_ends_the_request_after_three_months(book):
    (o,) = ev(book, foi_case("2026-03-02T09:00:00+00:00", FEES), "2026-06-08T12:00:00+01:00").by_rule("test-foi")
    assert o.state is State.NOT_APPLICABLE and not o.is_owed and not o.is_breach and o.next_change is None
    assert o.reasons[0].kind == "lapsed"
    assert o.reasons[0].text.startswith("ended on Fri 5 Jun 2026: the clock stopped on Thu 5 Mar 2026 (N)")
    assert "FOIA s.9(2)" in o.reasons[0].text


def test_a_fee_paid_after_the_lapse_restarts_nothing(book):
    data = foi_case("2026-03-02T09:00:00+00:00", FEES, ("P", "foi_fee_received", "2026-06-08T10:00:00+01:00"))
    (o,) = ev(book, data, "2026-07-20T12:00:00+01:00").by_rule("test-foi")
    assert o.state is State.NOT_APPLICABLE and o.reasons[0].kind == "lapsed"
    assert "'foi_fee_received' (P) on Mon 8 Jun 2026 came after that and restarts nothing" in o.reasons[0].text


def test_a_fee_paid_in_time_starts_the_clock_again(book):
    # paused Thu 5 Mar to Wed 3 Jun, both days left out. Counting: Tue 3 Mar (1), Wed 4 Mar (2), then Thu 4 Jun (3),
    # Fri 5 Jun (4), 8-12 Jun (9), 15-19 Jun (14), 22-26 Jun (19), Mon 29 Jun (20).
    data = foi_case("2026-03-02T09:00:00+00:00", FEES, ("P", "foi_fee_received", "2026-06-03T10:00:00+01:00"))
    (o,) = ev(book, data, "2026-06-30T12:00:00+01:00").by_rule("test-foi")
    assert (o.status, o.due_date) == (Status.OVERDUE, dt.date(2026, 6, 29))


def test_a_lapse_in_a_short_month_ends_with_the_last_day_of_february(book):
    # fees notice Mon 30 Nov 2026: there is no 30 Feb 2027, so the three months end with Sun 28 Feb 2027 and the
    # request lapses as Mon 1 Mar 2027 00:00 GMT begins
    data = foi_case("2026-11-27T09:00:00+00:00", ("N", "foi_fees_notice_given", "2026-11-30T10:00:00+00:00"))
    (o,) = ev(book, data, "2027-02-28T23:00:00+00:00").by_rule("test-foi")
    assert o.status is Status.PAUSED and o.next_change == at("2027-03-01T00:00:00+00:00")


# --- 3. restarts only while the deadline is running -----------------------------------------------------------------
# Received Mon 2 Mar 2026 09:00 GMT; day 1 Tue 3 Mar: 3-6 Mar (4), 9-13 (9), 16-20 (14), 23-27 (19), Mon 30 Mar (20):
# due Mon 30 Mar, late from Tue 31 Mar 00:00 BST (2026-03-30T23:00Z).


def test_a_clarification_after_the_deadline_leaves_the_breach_standing(book):
    data = foi_case("2026-03-02T09:00:00+00:00", ("C", "foi_clarification_received", "2026-04-02T10:00:00+01:00"))
    (o,) = ev(book, data, "2026-04-10T12:00:00+01:00").by_rule("test-foi")
    assert (o.status, o.due_date) == (Status.OVERDUE, dt.date(2026, 3, 30))
    assert o.deadline is not None and o.deadline.clock_start == at("2026-03-02T09:00:00+00:00")
    assert o.deadline.restart_ignored is not None
    assert "'FOI clarification received' on Thu 2 Apr 2026 came after the deadline (the end of Mon 30 Mar 2026)" \
        in o.deadline.restart_ignored
    assert "Not restarted:" in cr.obligation_text(o)
    assert cr.explain_json(ev(book, data, "2026-04-10T12:00:00+01:00"))["obligations"]


def test_a_clarification_while_the_deadline_runs_restarts_it(book):
    # received Fri 27 Mar: day 1 Mon 30 Mar: 30, 31 Mar, 1, 2 Apr (4); Good Friday 3 Apr and Easter Monday 6 Apr
    # skipped; 7-10 Apr (8), 13-17 (13), 20-24 (18), Mon 27 (19), Tue 28 Apr (20)
    data = foi_case("2026-03-02T09:00:00+00:00", ("C", "foi_clarification_received", "2026-03-27T10:00:00+00:00"))
    (o,) = ev(book, data, "2026-04-10T12:00:00+01:00").by_rule("test-foi")
    assert (o.status, o.due_date) == (Status.DUE, dt.date(2026, 4, 28))


def test_a_clarification_late_on_the_due_day_still_restarts_it(book):
    # Mon 30 Mar 23:30 BST is still the due day. Day 1 Tue 31 Mar: 31 Mar, 1, 2 Apr (3), 7-10 (7), 13-17 (12),
    # 20-24 (17), 27, 28, 29 Apr (20)
    data = foi_case("2026-03-02T09:00:00+00:00", ("C", "foi_clarification_received", "2026-03-30T23:30:00+01:00"))
    (o,) = ev(book, data, "2026-04-10T12:00:00+01:00").by_rule("test-foi")
    assert (o.status, o.due_date) == (Status.DUE, dt.date(2026, 4, 29))


# A restart while the fee is still unpaid: received Mon 2 Mar 2026 09:00 GMT, fees notice Thu 5 Mar, clarification
# received Mon 9 Mar (the new date of receipt, FOIA s.10(6)(b)). The working days from the fees notice to the fee
# are disregarded whatever the date of receipt (s.10(2)), so the restarted clock stays stopped until the fee comes.
CLARIFIED = ("C", "foi_clarification_received", "2026-03-09T10:00:00+00:00")


def test_a_restart_while_the_fee_is_unpaid_leaves_the_clock_stopped(book):
    # without the pause, 20 working days from Mon 9 Mar would end on Wed 8 Apr (Good Friday 3 Apr and Easter Monday
    # 6 Apr passed over), and the request would look overdue on Fri 10 Apr
    (o,) = ev(book, foi_case("2026-03-02T09:00:00+00:00", FEES, CLARIFIED), "2026-04-10T12:00:00+01:00").by_rule("test-foi")
    assert o.status is Status.PAUSED and not o.is_breach
    assert o.next_change == at("2026-06-04T23:00:00+00:00")  # three months beginning with the fees notice, Thu 5 Mar
    assert "the clock stopped on Thu 5 Mar 2026" in o.reasons[0].text


def test_a_restart_while_the_fee_is_unpaid_still_lapses_three_months_after_the_notice(book):
    (o,) = ev(book, foi_case("2026-03-02T09:00:00+00:00", FEES, CLARIFIED), "2026-06-08T12:00:00+01:00").by_rule("test-foi")
    assert o.state is State.NOT_APPLICABLE and o.reasons[0].kind == "lapsed" and not o.is_breach


def test_after_a_restart_the_days_until_the_fee_are_still_disregarded(book):
    # fee received Wed 25 Mar: 10-25 Mar are disregarded (the clock started again on 9 Mar, day 1 would be Tue 10 Mar).
    # Day 1 Thu 26 Mar: 26, 27 (2), 30, 31 Mar, 1, 2 Apr (6), Good Friday 3 Apr and Easter Monday 6 Apr passed over,
    # 7-10 Apr (10), 13-17 (15), 20-24 Apr (20): due Fri 24 Apr
    data = foi_case("2026-03-02T09:00:00+00:00", FEES, CLARIFIED, ("P", "foi_fee_received", "2026-03-25T10:00:00+00:00"))
    (o,) = ev(book, data, "2026-04-10T12:00:00+01:00").by_rule("test-foi")
    assert (o.status, o.due_date) == (Status.DUE, dt.date(2026, 4, 24))
    assert o.deadline is not None and o.deadline.clock_start == at("2026-03-09T10:00:00+00:00")
    assert [d.date for d in o.deadline.skipped if d.date <= dt.date(2026, 3, 25)] == [
        dt.date(2026, 3, day) for day in (10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25)]


def test_a_pause_that_ended_before_the_restart_is_not_carried_over(book):
    # fee paid Fri 6 Mar, clarification Mon 9 Mar: the new clock runs from 9 Mar with nothing disregarded. Day 1 Tue
    # 10 Mar: 10-13 (4), 16-20 (9), 23-27 (14), 30 Mar-2 Apr (18), 7, 8 Apr (20): due Wed 8 Apr
    data = foi_case("2026-03-02T09:00:00+00:00", FEES, ("P", "foi_fee_received", "2026-03-06T10:00:00+00:00"), CLARIFIED)
    (o,) = ev(book, data, "2026-04-10T12:00:00+01:00").by_rule("test-foi")
    assert (o.status, o.due_date) == (Status.OVERDUE, dt.date(2026, 4, 8))


# --- 4. kind of duty ------------------------------------------------------------------------------------------------


def test_the_kind_of_duty_is_the_weaker_of_the_version_and_its_deadline_parameter(book):
    plain = ev(book, crime_case(received=RECEIVED), "2026-05-08T12:00:00+01:00").by_rule("test-referral")[0]
    assert plain.duty is DutyKind.STATUTORY_GUIDANCE
    # a persistently targeted victim: the deadline comes from a local-standard parameter (3 working days:
    # Thu 23, Fri 24, Mon 27 Apr)
    local = ev(book, crime_case(received=RECEIVED, victim_persistently_targeted=True),
               "2026-05-08T12:00:00+01:00").by_rule("test-referral")[0]
    assert (local.duty, local.due_date, local.status) == (DutyKind.LOCAL_STANDARD, dt.date(2026, 4, 27), Status.OVERDUE)
    text = cr.obligation_text(local)
    assert "Kind of duty: local standard." in text and "a missed local standard" in text
    data = cr.explain_json(ev(book, crime_case(received=RECEIVED, victim_persistently_targeted=True),
                              "2026-05-08T12:00:00+01:00"))
    (found,) = [o for o in data["obligations"] if o["rule"] == "test-referral"]
    assert (found["duty"], found["duty_title"], found["is_owed"]) == ("local_standard", "local standard", True)
    statutory = ev(book, foi_case("2026-03-02T09:00:00+00:00"), "2026-04-10T12:00:00+01:00").by_rule("test-foi")[0]
    assert statutory.duty is DutyKind.STATUTORY and "a breach of the law" in cr.obligation_text(statutory)


def test_weakest_duty_order():
    assert weakest_duty(DutyKind.STATUTORY, DutyKind.CHARTER) is DutyKind.CHARTER
    assert weakest_duty(DutyKind.LOCAL_STANDARD, DutyKind.STATUTORY_GUIDANCE) is DutyKind.LOCAL_STANDARD
    assert weakest_duty(DutyKind.STATUTORY, None) is DutyKind.STATUTORY
    assert [d.label for d in DutyKind] == ["law", "statutory guidance", "charter promise", "local standard"]
    assert cr.DutyKind is DutyKind


def test_check_separates_legal_breaches_from_missed_local_standards(book, tmp_path):
    from charter_rules.check import CheckSettings
    from charter_rules.check import check_paths
    from charter_rules.reports import ReportOptions, render
    from charter_rules.reports.view import ReportView

    export = tmp_path / "cases.jsonl"
    export.write_text("\n".join(json.dumps(c) for c in (
        crime_case("LOCAL", RECEIVED, victim_persistently_targeted=True),
        foi_case("2026-03-02T09:00:00+00:00"),
    )) + "\n")
    report = check_paths([export], book, CheckSettings(as_of=at("2026-05-08T12:00:00+01:00")), workers=1)
    rows = {duty: (overdue, late) for duty, overdue, late, _ in ReportView(report, ReportOptions()).duty_rows()}
    # the local reading of test-referral is one missed local standard; test-foi is one breach of the law (other
    # bundled rules add their own)
    assert rows[DutyKind.LOCAL_STANDARD][0] >= 1 and rows[DutyKind.STATUTORY][0] >= 1
    for fmt, needle in (("text", "local standard:"), ("json", '"local_standard"'), ("markdown", "| local standard |"),
                        ("junit", 'name="breaches: local standard"'), ("html", "<th scope=row>Local standard</th>")):
        out = tmp_path / f"report.{fmt}"
        with out.open("wb") as handle:
            render(report, fmt, handle, ReportOptions())
        body = out.read_text()
        assert needle in body, fmt
        # the settings in force are named (the text report wraps its lines to the terminal's width)
        assert "Days for a test referral" in " ".join(body.split()), fmt


# --- 5. settings ----------------------------------------------------------------------------------------------------


def test_a_setting_is_bound_when_the_book_is_loaded(test_rules):
    case = crime_case(received=RECEIVED)
    default = cr.load_compiled(test_rules)
    chosen = cr.load_compiled(test_rules, settings={"test_referral_days": "ten"})
    # ten working days from Thu 23 Apr: 23, 24, 27-30 Apr, 1 May (7), Mon 4 May bank holiday, 5-7 May (10)
    assert ev(default, case, "2026-04-23T12:00:00+01:00").by_rule("test-referral")[0].due_date == dt.date(2026, 4, 29)
    evaluation = ev(chosen, case, "2026-04-23T12:00:00+01:00")
    assert evaluation.by_rule("test-referral")[0].due_date == dt.date(2026, 5, 7)
    assert "Days for a test referral: Ten working days (chosen for this run)" in cr.explain_text(evaluation)
    (setting,) = [s for s in cr.explain_json(evaluation)["settings"] if s["id"] == "test_referral_days"]
    assert setting == {"id": "test_referral_days", "title": "Days for a test referral", "value": "ten",
                       "value_title": "Ten working days", "default": False}


def test_an_unknown_setting_or_choice_is_a_clear_error(test_rules):
    with pytest.raises(cr.SettingError, match="unknown setting 'nope'.*test_referral_days \\(five, ten\\)"):
        cr.load_compiled(test_rules, settings={"nope": "x"})
    with pytest.raises(cr.SettingError, match="'seven' is not a choice of setting 'test_referral_days'.*"
                                              "five \\(Five working days\\), ten \\(Ten working days\\)"):
        cr.load_compiled(test_rules, settings={"test_referral_days": "seven"})


def test_a_condition_on_an_unknown_setting_does_not_compile(test_rules, tmp_path):
    import shutil

    broken = tmp_path / "rules"
    shutil.copytree(test_rules, broken)
    path = broken / "commitments" / "test-referral.yaml"
    path.write_text(path.read_text().replace("setting: test_referral_days, equals: ten",
                                             "setting: test_referral_dayz, equals: ten"))
    with pytest.raises(cr.CompileError, match="unknown setting 'test_referral_dayz'"):
        cr.load_compiled(broken)


def test_the_cli_takes_settings_on_every_command_that_loads_rules(test_rules, tmp_path):
    from typer.testing import CliRunner

    from charter_rules.cli import app

    runner = CliRunner()
    case = tmp_path / "case.json"
    case.write_text(json.dumps(crime_case(received=RECEIVED)))
    good = ["--rules", str(test_rules), "--setting", "test_referral_days=ten"]
    result = runner.invoke(app, ["evaluate", str(case), "--as-of", "2026-04-23", *good])
    assert result.exit_code == 0, result.output
    assert "Due by the end of Thu 7 May 2026" in result.stdout and "Ten working days" in result.stdout
    for command in (["rules", "validate"], ["rules", "list"], ["test", "test-referral"]):
        assert runner.invoke(app, [*command, *good]).exit_code in (0, 1), command
    bad = runner.invoke(app, ["rules", "validate", "--rules", str(test_rules), "--setting", "test_referral_days=7"])
    assert bad.exit_code == 2 and "is not a choice of setting 'test_referral_days'" in bad.output
    malformed = runner.invoke(app, ["rules", "validate", "--rules", str(test_rules), "--setting", "novalue"])
    assert malformed.exit_code == 2 and "ID=VALUE" in malformed.output


def test_check_workers_load_the_rule_book_with_the_chosen_settings(test_rules):
    from charter_rules.check.chunk import CheckSettings, checker_for

    settings = CheckSettings(as_of=at("2026-05-08T12:00:00+01:00"), rules_dir=str(test_rules),
                             rule_settings=(("test_referral_days", "ten"),))
    assert checker_for(settings).book.rulebook.chosen["test_referral_days"] == "ten"


def test_a_worked_example_may_choose_its_settings(test_rules, tmp_path):
    import shutil

    from charter_rules.worked_examples import run_examples

    rules = tmp_path / "rules"
    shutil.copytree(test_rules, rules)
    # ten working days from Thu 23 Apr 2026: 23, 24, 27-30 Apr, 1 May (7), Mon 4 May bank holiday, 5-7 May (10)
    (rules / "commitments" / "test-referral.yaml").write_text(REFERRAL_RULE + """\
examples:
  - name: Under the ten-day setting, a referral is due on Thursday 7 May
    settings: {test_referral_days: ten}
    as_of: 2026-04-23T12:00:00+01:00
    case: {case_id: X-1, kind: crime_report, received_at: "2026-04-22T10:00:00+01:00",
           facts: {offence_category: burglary, victim_age_at_offence: 40, victim_vulnerable: false,
                   victim_intimidated: false, victim_persistently_targeted: false, bereaved_family: false,
                   victim_is_business: false}}
    expect: [{due: 2026-05-07, variant: longer_by_setting}]
""")
    book = cr.load_compiled(rules)
    (result,) = run_examples(book, ["test-referral"])
    assert result.passed, result.failures
    path = rules / "commitments" / "test-referral.yaml"
    path.write_text(path.read_text().replace("{test_referral_days: ten}", "{test_referral_days: eleven}"))
    with pytest.raises(cr.CompileError, match="unknown setting test_referral_days='eleven'"):
        cr.load_compiled(rules)


def test_a_variant_may_change_how_days_are_counted(test_rules, tmp_path):
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(test_rules, rules)
    text = UPDATES_RULE.replace("id: test-updates", "id: test-strict").replace("""    waived_when:""", """\
    variants:
      - name: strict
        when: {fact: victim_is_business, equals: true}
        deadline: {day_one: trigger_day, if_due_on_non_working_day: roll_forward}
        reason: The strict reading.
    waived_when:""")
    (rules / "commitments" / "test-strict.yaml").write_text(text)
    book = cr.load_compiled(rules)
    # received Wed 1 Apr 2026. Usual: day 1 Thu 2 Apr, day 28 Wed 29 Apr. Strict: day 1 Wed 1 Apr, day 28 Tue 28 Apr.
    usual = ev(book, crime_case(received="2026-04-01T10:00:00+01:00"), "2026-04-02T12:00:00+01:00")
    strict = ev(book, crime_case(received="2026-04-01T10:00:00+01:00", victim_is_business=True),
                "2026-04-02T12:00:00+01:00")
    assert usual.by_rule("test-strict")[0].due_date == dt.date(2026, 4, 29)
    assert strict.by_rule("test-strict")[0].due_date == dt.date(2026, 4, 28)
    # received Fri 24 Apr: strict day 28 is Thu 21 May; received Thu 30 Apr: day 28 is Wed 27 May; received Tue 28
    # Apr: day 28 is Mon 25 May, the spring bank holiday, rolled forward to Tue 26 May
    late = ev(book, crime_case(received="2026-04-28T10:00:00+01:00", victim_is_business=True),
              "2026-04-29T12:00:00+01:00")
    assert late.by_rule("test-strict")[0].due_date == dt.date(2026, 5, 26)


def test_a_clarification_after_the_lapse_does_not_revive_the_request(book):
    # fees notice Thu 5 Mar 2026, unpaid: the request ended as Fri 5 Jun began; a clarification on Mon 8 Jun is too
    # late to start anything
    data = foi_case("2026-03-02T09:00:00+00:00", FEES, ("C", "foi_clarification_received", "2026-06-08T10:00:00+01:00"))
    (o,) = ev(book, data, "2026-07-20T12:00:00+01:00").by_rule("test-foi")
    assert o.state is State.NOT_APPLICABLE and o.reasons[0].kind == "lapsed" and not o.is_breach
