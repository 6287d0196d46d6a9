"""Hand-worked scenarios: dates checked against the calendar by hand (working in each docstring), never against the
code's own output. Only the rules a scenario is about are asserted, so new rules elsewhere in the book do not matter.

Bank holidays in 2026 used here: Good Friday Fri 3 Apr and Easter Monday Mon 6 Apr (all of the UK); St Patrick's
Day Tue 17 Mar (Northern Ireland only). British Summer Time starts Sun 29 Mar 2026, so London midnight is 00:00Z
before that and 23:00Z the day before after it.
"""

from __future__ import annotations

from charter_rules.live import Monitor, TransitionKind

from .conftest import ENHANCED_FACTS, PLAIN_FACTS, crime, foi, of_rule, t

ARREST = "vcop-arrest-notice"


def test_arrest_notice_for_enhanced_victim_opens_at_risk_then_goes_overdue_and_escalates(monitor: Monitor) -> None:
    """Arrest Thu 2 Apr 2026 14:00 BST; enhanced rights (domestic abuse) give 1 working day. Day 1 is the first
    working day after the arrest: Fri 3 Apr (Good Friday) and Mon 6 Apr (Easter Monday) are skipped, so it is
    Tue 7 Apr, the due date. Late from Wed 8 Apr 00:00 BST = 2026-04-07T23:00Z. At risk 1 working day before the
    due date, Thu 2 Apr 00:00 - before the arrest, so at risk from the moment it opens."""
    monitor.put_case(crime("CR-1", "2026-03-30T09:00:00+01:00", ENHANCED_FACTS))
    update = monitor.post("CR-1", {"id": "a1", "type": "suspect_arrested", "at": "2026-04-02T14:00:00+01:00",
                                   "suspect": "S1"})
    arrest = t("2026-04-02T14:00:00+01:00")
    assert of_rule(update.transitions, ARREST) == [("opened", arrest), ("at_risk", arrest)]
    opened = next(tr for tr in update.transitions if tr.rule_id == ARREST)
    assert opened.obligation.due_date.isoformat() == "2026-04-07"
    assert opened.cause == "event" and opened.event_id == "a1"
    assert "Tue 7 Apr 2026" in opened.explanation
    assert not [n for n in update.notifications if n.transition.rule_id == ARREST]

    late_from = t("2026-04-07T23:00:00+00:00")
    wake = monitor.next_wake()
    assert wake is not None and wake <= late_from
    before = monitor.tick(t("2026-04-07T23:59:00+01:00"))
    assert of_rule(before.transitions, ARREST) == []

    update = monitor.tick(t("2026-04-08T00:00:00+01:00"))
    assert of_rule(update.transitions, ARREST) == [("overdue", late_from)]
    told = [n for n in update.notifications if n.escalation_id == "vcop-notice-overdue-enhanced"]
    assert len(told) == 1
    assert told[0].recipients == ("officer_in_charge", "supervisor")
    assert told[0].priority == "high"
    assert told[0].case_id == "CR-1" and told[0].kind is TransitionKind.OVERDUE
    assert "Due by the end of Tue 7 Apr 2026" in told[0].explanation
    assert "2026-04-07" in told[0].message

    update = monitor.post("CR-1", {"id": "a2", "type": "victim_informed", "at": "2026-04-08T10:00:00+01:00",
                                   "about": "arrest", "suspect": "S1"})
    assert of_rule(update.transitions, ARREST) == [("satisfied_late", t("2026-04-08T10:00:00+01:00"))]


def test_every_key_event_notice_for_an_enhanced_victim_escalates_when_overdue(monitor: Monitor) -> None:
    """Not only the arrest notice: a charge on Mon 13 Apr 2026 10:00 BST, 1 working day for enhanced rights, day 1
    the day after, so due Tue 14 Apr and late from Wed 15 Apr 00:00 BST = 2026-04-14T23:00Z."""
    monitor.put_case(crime("CR-9", "2026-03-30T09:00:00+01:00", ENHANCED_FACTS))
    monitor.post("CR-9", {"id": "c1", "type": "suspect_charged", "at": "2026-04-13T10:00:00+01:00", "suspect": "S1"})
    update = monitor.tick(t("2026-04-15T09:00:00+01:00"))
    assert ("overdue", t("2026-04-14T23:00:00+00:00")) in of_rule(update.transitions, "vcop-charge-notice")
    told = [n for n in update.notifications if n.escalation_id == "vcop-notice-overdue-enhanced"
            and n.transition.rule_id == "vcop-charge-notice"]
    assert len(told) == 1 and told[0].recipients == ("officer_in_charge", "supervisor")


def test_plain_victim_gets_five_working_days_and_no_enhanced_escalation(monitor: Monitor) -> None:
    """Arrest Thu 2 Apr 2026 15:00; 5 working days: Tue 7, Wed 8, Thu 9, Fri 10, Mon 13 Apr (holidays 3 and 6 Apr
    skipped). At risk 1 working day before: Fri 10 Apr 00:00 BST (2026-04-09T23:00Z). Late from Tue 14 Apr 00:00
    BST (2026-04-13T23:00Z)."""
    monitor.put_case(crime("CR-2", "2026-03-30T10:00:00+01:00", PLAIN_FACTS))
    monitor.post("CR-2", {"id": "b1", "type": "suspect_arrested", "at": "2026-04-02T15:00:00+01:00", "suspect": "S7"})
    update = monitor.tick(t("2026-04-10T00:00:00+01:00"))
    assert of_rule(update.transitions, ARREST) == [("at_risk", t("2026-04-09T23:00:00+00:00"))]
    update = monitor.tick(t("2026-04-14T09:00:00+01:00"))
    assert of_rule(update.transitions, ARREST) == [("overdue", t("2026-04-13T23:00:00+00:00"))]
    assert not [n for n in update.notifications if n.escalation_id == "vcop-notice-overdue-enhanced"]


def test_foi_day_15_reminder_follows_the_clock_not_the_at_risk_threshold(monitor: Monitor) -> None:
    """Request Mon 2 Mar 2026 09:00 GMT; public-interest extension notified Mon 9 Mar, so the deadline is the 40th
    working day. Day 1 Tue 3 Mar: 3-6 Mar (4), 9-13 (9), 16 (10), Tue 17 Mar skipped (St Patrick's Day, NI: the FOI
    calendar is any part of the UK), 18-20 (13), 23 (14), Tue 24 Mar (15): the reminder is due at 00:00 GMT that
    day, while the request is still merely due. Day 40: 25-27 Mar (18), 30-31 (20), 1-2 Apr (22), 3 and 6 Apr
    skipped, 7-10 (26), 13-17 (31), 20-24 (36), 27-30 Apr (40): due Thu 30 Apr. At risk 5 working days before: 29,
    28, 27, 24, 23 Apr, so from Thu 23 Apr 00:00 BST (2026-04-22T23:00Z)."""
    monitor.put_case(foi("FOI-2", "2026-03-02T09:00:00+00:00"))
    update = monitor.post("FOI-2", {"id": "x1", "type": "foi_public_interest_extension_notified",
                                    "at": "2026-03-09T10:00:00+00:00"})
    assert of_rule(update.transitions, "foi-response") == [("rescheduled", t("2026-03-09T10:00:00+00:00"))]
    foi_response = next(tr for tr in update.transitions if tr.rule_id == "foi-response")
    assert foi_response.obligation.due_date.isoformat() == "2026-04-30"

    assert monitor.tick(t("2026-03-23T23:59:00+00:00")).transitions == ()
    update = monitor.tick(t("2026-03-24T00:00:00+00:00"))
    assert of_rule(update.transitions, "foi-response") == [("working_day", t("2026-03-24T00:00:00+00:00"))]
    reminder = next(tr for tr in update.transitions if tr.rule_id == "foi-response")
    assert reminder.working_day == 15 and reminder.status_after.value == "due"
    assert [(n.escalation_id, n.recipients) for n in update.notifications] == [("foi-day-15-reminder", ("foi_team",))]
    assert "working day 15" in update.notifications[0].message

    update = monitor.tick(t("2026-04-23T09:00:00+01:00"))
    assert of_rule(update.transitions, "foi-response") == [("at_risk", t("2026-04-22T23:00:00+00:00"))]
    assert update.notifications == ()  # the reminder fires once


def test_foi_fee_pause_is_reported_and_the_day_15_count_skips_the_paused_days(monitor: Monitor) -> None:
    """Request Mon 2 Mar 2026 (the rule file's worked example FOI-EX-4). Fees notice Mon 9 Mar, fee received Fri
    13 Mar: 9-13 Mar are not counted. Day 1 Tue 3 Mar: 3-6 Mar (4), 16 Mar (5), 17 Mar skipped, 18-20 (8), 23-27
    (13), 30 Mar (14), Tue 31 Mar (15): reminder at 00:00 BST = 2026-03-30T23:00Z. Due Thu 9 Apr (day 20)."""
    monitor.put_case(foi("FOI-4", "2026-03-02T09:00:00+00:00"))
    update = monitor.post("FOI-4", {"id": "f1", "type": "foi_fees_notice_given", "at": "2026-03-09T10:00:00+00:00"})
    assert of_rule(update.transitions, "foi-response") == [("paused", t("2026-03-09T10:00:00+00:00"))]
    update = monitor.post("FOI-4", {"id": "f2", "type": "foi_fee_received", "at": "2026-03-13T15:00:00+00:00"})
    assert of_rule(update.transitions, "foi-response") == [("resumed", t("2026-03-13T15:00:00+00:00"))]
    assert update.transitions[0].obligation.due_date.isoformat() == "2026-04-09"
    update = monitor.tick(t("2026-03-31T08:00:00+01:00"))
    assert [(tr.kind.value, tr.at, tr.working_day) for tr in update.transitions] == [
        ("at_risk", t("2026-03-30T23:00:00+00:00"), 15),
        ("working_day", t("2026-03-30T23:00:00+00:00"), 15),
    ]


def test_an_event_posted_late_takes_its_place_in_time(monitor: Monitor) -> None:
    """The victim was told on Fri 10 Apr 16:00, but the record arrives after a tick on Sat 11 Apr: the notice
    (due Mon 13 Apr) is satisfied on time, at the moment it happened."""
    monitor.put_case(crime("CR-3", "2026-03-30T10:00:00+01:00", PLAIN_FACTS))
    monitor.post("CR-3", {"id": "b1", "type": "suspect_arrested", "at": "2026-04-02T15:00:00+01:00", "suspect": "S7"})
    monitor.tick(t("2026-04-11T09:00:00+01:00"))
    update = monitor.post("CR-3", {"id": "b2", "type": "victim_informed", "at": "2026-04-10T16:00:00+01:00",
                                   "about": "arrest", "suspect": "S7"})
    assert of_rule(update.transitions, ARREST) == [("satisfied", t("2026-04-10T16:00:00+01:00"))]
    assert monitor.case_as_of("CR-3") == t("2026-04-11T09:00:00+01:00")


def test_notice_recorded_before_the_arrest_arrives_satisfies_it_at_once(monitor: Monitor) -> None:
    monitor.put_case(crime("CR-4", "2026-03-30T10:00:00+01:00", PLAIN_FACTS))
    update = monitor.post("CR-4", {"id": "i1", "type": "victim_informed", "at": "2026-04-03T09:00:00+01:00",
                                   "about": "arrest", "suspect": "S1"})
    assert of_rule(update.transitions, ARREST) == []
    update = monitor.post("CR-4", {"id": "a1", "type": "suspect_arrested", "at": "2026-04-02T18:00:00+01:00",
                                   "suspect": "S1"})
    assert of_rule(update.transitions, ARREST) == [("satisfied", t("2026-04-03T09:00:00+01:00"))]


def test_opting_out_of_referral_waives_it(monitor: Monitor) -> None:
    monitor.put_case(crime("CR-5", "2026-03-30T10:00:00+01:00", PLAIN_FACTS))
    update = monitor.post("CR-5", {"id": "o1", "type": "victim_opted_out_of_referral",
                                   "at": "2026-03-30T11:00:00+01:00"})
    assert of_rule(update.transitions, "vcop-support-referral") == [("waived", t("2026-03-30T11:00:00+01:00"))]


def test_recording_a_missing_fact_turns_an_undecided_duty_into_an_owed_one(monitor: Monitor) -> None:
    """Without the victim's age and vulnerability the arrest notice's deadline cannot be chosen (indeterminate);
    once they are recorded it is owed (5 working days: due Mon 13 Apr)."""
    sparse = {"offence_category": "burglary", "victim_is_business": False}
    monitor.put_case(crime("CR-6", "2026-03-30T10:00:00+01:00", sparse))
    update = monitor.post("CR-6", {"id": "a1", "type": "suspect_arrested", "at": "2026-04-02T15:00:00+01:00",
                                   "suspect": "S1"})
    assert of_rule(update.transitions, ARREST) == [("indeterminate", t("2026-04-02T15:00:00+01:00"))]
    update = monitor.put_case(crime("CR-6", "2026-03-30T10:00:00+01:00", PLAIN_FACTS),
                              as_of=t("2026-04-03T12:00:00+01:00"))
    assert of_rule(update.transitions, ARREST) == [("opened", t("2026-04-03T12:00:00+01:00"))]
    assert update.transitions[0].cause == "case"


def test_three_overdue_duties_escalate_once_per_crossing(monitor: Monitor) -> None:
    """Three arrests on Thu 2 Apr, none notified: each notice is due Mon 13 Apr (5 working days) and late from
    Tue 14 Apr 00:00 BST. Whatever else the case owes, the inspector is told once as the count of overdue duties
    reaches three, and not again while it stays at three or more."""
    monitor.put_case(crime("CR-7", "2026-03-30T10:00:00+01:00", PLAIN_FACTS))
    for n in (1, 2, 3):
        monitor.post("CR-7", {"id": f"a{n}", "type": "suspect_arrested", "at": "2026-04-02T15:00:00+01:00",
                              "suspect": f"S{n}"})
    seen = []
    for day in ("2026-04-03", "2026-04-08", "2026-04-10", "2026-04-14", "2026-04-20", "2026-05-05"):
        update = monitor.tick(t(f"{day}T09:00:00+01:00"))
        seen += [n for n in update.notifications if n.escalation_id == "case-three-overdue"]
        crossing = [tr for tr in update.transitions
                    if tr.kind is TransitionKind.OVERDUE and tr.case_overdue_before < 3 <= tr.case_overdue_count]
        assert [n.transition for n in update.notifications if n.escalation_id == "case-three-overdue"] == crossing
    assert len(seen) == 1
    overdue_now = [o for o in monitor.obligations("CR-7") if o["status"] == "overdue"]
    assert len(overdue_now) >= 3
    assert sum(1 for o in overdue_now if o["rule"] == ARREST) == 3


def test_a_duty_decided_only_after_its_deadline_opens_and_is_overdue_at_that_moment(monitor: Monitor) -> None:
    """The arrest of Thu 2 Apr cannot be judged until the victim's details are recorded on Mon 20 Apr 12:00; by
    then the 5-working-day notice (due Mon 13 Apr) is long overdue. It opens and goes overdue at that moment, in that
    order, and the overdue transition is the one that raises the case's overdue count."""
    sparse = {"offence_category": "burglary", "victim_is_business": False}
    monitor.put_case(crime("CR-8", "2026-03-30T10:00:00+01:00", sparse))
    monitor.post("CR-8", {"id": "a1", "type": "suspect_arrested", "at": "2026-04-02T15:00:00+01:00", "suspect": "S1"})
    recorded = t("2026-04-20T12:00:00+01:00")
    update = monitor.put_case(crime("CR-8", "2026-03-30T10:00:00+01:00", PLAIN_FACTS), as_of=recorded)
    mine = [tr for tr in update.transitions if tr.rule_id == ARREST]
    assert [(tr.kind.value, tr.at) for tr in mine] == [("opened", recorded), ("overdue", recorded)]
    assert mine[0].case_overdue_count == mine[0].case_overdue_before
    assert mine[1].case_overdue_count == mine[1].case_overdue_before + 1
    assert mine[1].obligation.due_date.isoformat() == "2026-04-13"
