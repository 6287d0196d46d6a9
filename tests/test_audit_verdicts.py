"""Verdicts on adversarial cases against the bundled rule book: boundaries of the clock, events for the wrong subject,
events outside the obligation's own time, missing facts, moved bank holidays and clock-change nights.

Every date is counted by hand from the law and the bank holidays of the right nations (GOV.UK's list, and the
Scotland-only Mon 15 Jun 2026), never taken from the code's own output. Bank holidays used, 2026: Thu 1 Jan; Fri 2 Jan
(Scotland); Tue 17 Mar (Northern Ireland); Good Friday 3 Apr; Easter Monday 6 Apr (not Scotland); Mon 4 May; Mon
25 May. The clocks go forward at 01:00 GMT on Sun 29 Mar 2026 and back at 02:00 BST on Sun 25 Oct 2026.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import charter_rules as cr
from charter_rules.obligation import State, Status, Timeliness

from .conftest import at, crime_case

D = dt.date


def evaluate(book: cr.CompiledRulebook, data: dict[str, Any], as_of: str, rule: str) -> list[cr.Obligation]:
    return cr.evaluate(book, cr.parse_snapshot(data, book), as_of=at(as_of)).by_rule(rule)


def events(*rows: tuple[str, str, str] | tuple[str, str, str, dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        event = {"id": row[0], "type": row[1], "at": row[2]}
        if len(row) > 3:
            event.update(row[3])  # type: ignore[misc]
        out.append(event)
    return out


def foi_case(received: str, *rows: Any) -> dict[str, Any]:
    return {"case_id": "F-1", "kind": "foi_request", "received_at": received, "events": events(*rows)}


def sar_case(received: str, *rows: Any, regime: str = "uk_gdpr") -> dict[str, Any]:
    return {"case_id": "S-1", "kind": "subject_access_request", "received_at": received,
            "facts": {"sar_regime": regime}, "events": events(*rows)}


# --- 1. a restart at the very moment the deadline passes ------------------------------------------------------------
# FOI request received Mon 2 Mar 2026 09:00 GMT. FOIA s.10(1): the 20th working day following receipt, working days
# leaving out bank holidays in any part of the UK (s.10(6)). Day 1 Tue 3 Mar: 3-6 Mar (4), 9-13 (9), 16 (10), Tue 17
# Mar skipped (St Patrick's Day, NI), 18-20 (13), 23-27 (18), 30, 31 Mar (20): due Tue 31 Mar, late from Wed 1 Apr
# 00:00 BST. An answer sent at that moment is late; a clarification arriving at that moment comes after the deadline
# has passed, so it cannot restart the clock (the breach of s.10(1) is already complete).
FOI_RECEIVED = "2026-03-02T09:00:00+00:00"
FOI_LATE_FROM = "2026-04-01T00:00:00+01:00"


def test_an_answer_at_the_moment_the_deadline_passes_is_late(book):
    (o,) = evaluate(book, foi_case(FOI_RECEIVED, ("R", "foi_response_sent", FOI_LATE_FROM)),
                    "2026-04-20T12:00:00+01:00", "foi-response")
    assert (o.state, o.timeliness, o.due_date) == (State.SATISFIED, Timeliness.SATISFIED_LATE, D(2026, 3, 31))


def test_a_clarification_at_the_moment_the_deadline_passes_leaves_the_breach_standing(book):
    (o,) = evaluate(book, foi_case(FOI_RECEIVED, ("C", "foi_clarification_received", FOI_LATE_FROM)),
                    "2026-04-20T12:00:00+01:00", "foi-response")
    assert (o.status, o.due_date) == (Status.OVERDUE, D(2026, 3, 31))
    assert o.deadline is not None and o.deadline.restart_ignored is not None


def test_a_clarification_a_moment_before_the_deadline_passes_restarts_the_clock(book):
    # Tue 31 Mar 23:59:59 BST is still the due day. Day 1 Wed 1 Apr: 1, 2 Apr (2), Good Friday and Easter Monday
    # skipped, 7-10 Apr (6), 13-17 (11), 20-24 (16), 27-30 Apr (20): due Thu 30 Apr (the clarification was asked for
    # that morning: only information the authority asked for moves the date of receipt, s.1(3))
    (o,) = evaluate(book, foi_case(FOI_RECEIVED, ("Q", "foi_clarification_sought", "2026-03-31T10:00:00+01:00"),
                                   ("C", "foi_clarification_received", "2026-03-31T23:59:59+01:00")),
                    "2026-04-20T12:00:00+01:00", "foi-response")
    assert (o.status, o.due_date) == (Status.DUE, D(2026, 4, 30))


def test_proof_of_identity_at_the_moment_the_month_has_passed_leaves_the_breach_standing(book):
    # UK GDPR Art 12(3): one month from receipt (Mon 2 Mar 2026), the corresponding day Thu 2 Apr, a working day: late
    # from Fri 3 Apr 00:00 BST. Proof of identity that nobody asked for within the month, arriving at that moment,
    # does not start a new month (it would run to Sun 3 May, rolled over the Mon 4 May bank holiday to Tue 5 May).
    data = sar_case("2026-03-02T10:00:00+00:00", ("I", "sar_identity_received", "2026-04-03T00:00:00+01:00"))
    (o,) = evaluate(book, data, "2026-04-21T12:00:00+01:00", "sar-statutory-time-limit")
    assert (o.status, o.due_date) == (Status.OVERDUE, D(2026, 4, 2))


# --- 2. an investigation closed and then reopened -------------------------------------------------------------------
# The charter: "We will provide you with updates at regular intervals during our investigation into your case";
# the Victims' Code 2020 (Right 6): updates at the interval agreed with the victim. Closing the investigation ends
# the updates; when it becomes active again they are owed again, counted from the reopening. Updates agreed every 28
# calendar days, day 1 the day after the clock starts. Report Mon 2 Mar 2026 10:00 GMT: day 28 Mon 30 Mar.
UPDATES_RECEIVED = "2026-03-02T10:00:00+00:00"
CLOSED = ("C", "investigation_status_changed", "2026-03-20T10:00:00+00:00", {"status": "closed"})
REOPENED = ("A", "investigation_status_changed", "2026-05-04T10:00:00+01:00", {"status": "active"})


def updates_case(*rows: Any) -> dict[str, Any]:
    return crime_case(received=UPDATES_RECEIVED, events=events(*rows), agreed_update_interval_days=28)


def test_updates_are_owed_again_from_the_reopening(book):
    # closed Fri 20 Mar (before the first update was due: no longer owed); active again Mon 4 May: day 1 Tue 5 May,
    # day 28 Mon 1 Jun; nothing by then, so overdue on Wed 3 Jun
    first, again = evaluate(book, updates_case(CLOSED, REOPENED), "2026-06-03T12:00:00+01:00", "vcop-agreed-updates")
    assert first.state is State.NOT_APPLICABLE and first.ended_by == "C"
    assert (again.status, again.due_date, again.trigger_event) == (Status.OVERDUE, D(2026, 6, 1), "A")
    assert again.deadline is not None and again.deadline.clock_start_reason == "'Investigation status changed'"


def test_an_update_before_the_reopening_does_not_meet_one_owed_after_it(book):
    # an update on Fri 1 May, while the investigation was closed, answers nothing owed after the reopening
    update = ("U", "victim_updated", "2026-05-01T10:00:00+01:00")
    *_, again = evaluate(book, updates_case(CLOSED, update, REOPENED), "2026-06-03T12:00:00+01:00",
                         "vcop-agreed-updates")
    assert (again.status, again.due_date) == (Status.OVERDUE, D(2026, 6, 1))


def test_after_the_reopening_each_update_starts_the_next_interval(book):
    # update Fri 15 May meets the first interval after the reopening (due Mon 1 Jun); the next: day 1 Sat 16 May,
    # day 28 Fri 12 Jun, still running on Wed 10 Jun
    update = ("U", "victim_updated", "2026-05-15T10:00:00+01:00")
    first, met, running = evaluate(book, updates_case(CLOSED, REOPENED, update), "2026-06-10T12:00:00+01:00",
                                   "vcop-agreed-updates")
    assert first.state is State.NOT_APPLICABLE
    assert (met.state, met.timeliness, met.satisfied_by) == (State.SATISFIED, Timeliness.ON_TIME, "U")
    assert (running.status, running.due_date) == (Status.AT_RISK, D(2026, 6, 12))


def test_a_second_closure_and_reopening_start_a_third_series(book):
    # closed again Fri 8 May (the interval from 4 May is no longer owed), active again Mon 1 Jun: day 1 Tue 2 Jun,
    # day 28 Mon 29 Jun
    closed_again = ("C2", "investigation_status_changed", "2026-05-08T10:00:00+01:00", {"status": "closed"})
    reopened_again = ("A2", "investigation_status_changed", "2026-06-01T10:00:00+01:00", {"status": "active"})
    found = evaluate(book, updates_case(CLOSED, REOPENED, closed_again, reopened_again), "2026-06-30T12:00:00+01:00",
                     "vcop-agreed-updates")
    assert [(o.state, o.ended_by) for o in found[:2]] == [(State.NOT_APPLICABLE, "C"), (State.NOT_APPLICABLE, "C2")]
    assert (found[2].status, found[2].due_date, found[2].trigger_event) == (Status.OVERDUE, D(2026, 6, 29), "A2")


def test_an_investigation_marked_active_before_any_closure_starts_nothing_more(book):
    (only,) = evaluate(book, updates_case(REOPENED), "2026-03-20T12:00:00+00:00", "vcop-agreed-updates")
    assert (only.status, only.due_date) == (Status.DUE, D(2026, 3, 30))


def test_a_decision_not_to_investigate_reversed_makes_the_monthly_contact_owed_again(book):
    # the charter's monthly contact: decision not to investigate Fri 20 Mar, investigation active Mon 4 May; one
    # month from 4 May is Thu 4 Jun, overdue on Fri 5 Jun
    decided = ("N", "decision_not_to_investigate", "2026-03-20T10:00:00+00:00")
    first, again = evaluate(book, crime_case(received=UPDATES_RECEIVED, events=events(decided, REOPENED)),
                            "2026-06-05T12:00:00+01:00", "charter-monthly-update")
    assert first.state is State.NOT_APPLICABLE
    assert (again.status, again.due_date) == (Status.OVERDUE, D(2026, 6, 4))


def test_a_later_update_names_the_update_that_started_its_clock(book):
    # every 28 days from Mon 2 Mar: the update of Fri 20 Mar meets the first and starts the second
    update = ("U", "victim_updated", "2026-03-20T10:00:00+00:00")
    _, second = evaluate(book, updates_case(update), "2026-04-01T12:00:00+01:00", "vcop-agreed-updates")
    assert second.deadline is not None and second.deadline.clock_start_reason == "'Victim updated on progress'"
    assert "Clock started Fri 20 Mar 2026 10:00 GMT: 'Victim updated on progress'." in cr.obligation_text(second)


# --- 3. events recorded at the same instant -------------------------------------------------------------------------
# Events at one instant are put in a fixed order by type name, which says nothing about which came first. An answer
# recorded at the very moment of the request (as a date-only export records both: at midnight) meets it on time.


def test_an_acknowledgement_at_the_instant_of_the_review_request_is_on_time(book):
    # Victims' Right to Review: acknowledged within 10 working days (England and Wales). Requested Wed 1 Apr 2026:
    # 2 Apr (1), Good Friday and Easter Monday skipped, 7-10 Apr (5), 13-17 Apr (10): due Fri 17 Apr
    rows = events(("R", "vrr_requested", "2026-04-01T00:00:00+01:00"), ("K", "vrr_acknowledged", "2026-04-01T00:00:00+01:00"))
    (o,) = evaluate(book, crime_case(received="2026-03-02T10:00:00+00:00", events=rows), "2026-05-01T12:00:00+01:00",
                    "vcop-vrr-acknowledgement")
    assert (o.state, o.timeliness, o.due_date, o.satisfied_by) == (
        State.SATISFIED, Timeliness.ON_TIME, D(2026, 4, 17), "K")


def test_a_statement_offer_at_the_instant_of_the_witness_statement_is_on_time(book):
    # the Victim Personal Statement is offered the day the witness statement is taken (1 calendar day, day 1 that day)
    rows = events(("W", "witness_statement_taken", "2026-04-01T10:00:00+01:00"),
                  ("V", "victim_personal_statement_offered", "2026-04-01T10:00:00+01:00"))
    (o,) = evaluate(book, crime_case(received="2026-03-02T10:00:00+00:00", events=rows), "2026-05-01T12:00:00+01:00",
                    "vcop-vps-offer")
    assert (o.state, o.timeliness, o.due_date) == (State.SATISFIED, Timeliness.ON_TIME, D(2026, 4, 1))


def test_an_offer_before_the_witness_statement_does_not_meet_it(book):
    rows = events(("V", "victim_personal_statement_offered", "2026-04-01T09:59:59+01:00"),
                  ("W", "witness_statement_taken", "2026-04-01T10:00:00+01:00"))
    (o,) = evaluate(book, crime_case(received="2026-03-02T10:00:00+00:00", events=rows), "2026-05-01T12:00:00+01:00",
                    "vcop-vps-offer")
    assert (o.status, o.due_date) == (Status.OVERDUE, D(2026, 4, 1))


def test_two_updates_at_one_instant_meet_one_interval_each(book):
    # every 28 days from Mon 2 Mar 2026: two updates at 10:00 on Fri 20 Mar meet the first interval and the one it
    # started; the third runs from the second update: day 1 Sat 21 Mar, day 28 Fri 17 Apr
    rows = (("U1", "victim_updated", "2026-03-20T10:00:00+00:00"), ("U2", "victim_updated", "2026-03-20T10:00:00+00:00"))
    found = evaluate(book, updates_case(*rows), "2026-04-01T12:00:00+01:00", "vcop-agreed-updates")
    assert [(o.state, o.satisfied_by) for o in found] == [
        (State.SATISFIED, "U1"), (State.SATISFIED, "U2"), (State.OPEN, None)]
    assert found[2].due_date == D(2026, 4, 17)


# --- 4. a pause during an extension ---------------------------------------------------------------------------------
# UK GDPR Art 12(3): one month, extendable by two further months by notice within the first month; Art 12A (from 5
# Feb 2026): the days from asking for a clarification to receiving it, both included, are not counted. Received Mon 2
# Mar 2026; extension notified Fri 20 Mar: three months, corresponding day Tue 2 Jun. Clarification asked for Fri 10
# Apr, after the first month (Thu 2 Apr) but within the extended time, so the extended time stops too.
EXTENDED = ("X", "sar_extension_notified", "2026-03-20T10:00:00+00:00")
ASKED = ("Q", "sar_clarification_sought", "2026-04-10T10:00:00+01:00")


def test_a_clarification_asked_for_during_the_extension_stops_the_extended_clock(book):
    (o,) = evaluate(book, sar_case("2026-03-02T10:00:00+00:00", EXTENDED, ASKED), "2026-06-10T12:00:00+01:00",
                    "sar-statutory-time-limit")
    assert o.status is Status.PAUSED and not o.is_breach


def test_the_days_awaiting_a_clarification_during_the_extension_are_not_counted(book):
    # clarification received Mon 20 Apr: 10-20 Apr, 11 days, not counted: 2 Jun + 11 days = Sat 13 Jun, rolled forward to the next
    # working day in England and Wales, Mon 15 Jun (15 Jun is a bank holiday only in Scotland)
    data = sar_case("2026-03-02T10:00:00+00:00", EXTENDED, ASKED,
                    ("A", "sar_clarification_received", "2026-04-20T10:00:00+01:00"))
    (o,) = evaluate(book, data, "2026-06-10T12:00:00+01:00", "sar-statutory-time-limit")
    assert (o.status, o.due_date) == (Status.AT_RISK, D(2026, 6, 15))
    assert o.deadline is not None and o.deadline.extension is not None and len(o.deadline.pauses) == 1


def test_a_fees_notice_after_the_twentieth_working_day_does_not_stop_an_extended_foi_clock(book):
    # FOIA s.10(2) disregards the days from the fees notice to the fee in counting the twentieth working day; the
    # FOI fee pause does not say it runs in the public-interest extension, so a notice given after the twentieth
    # working day does not stop the extended clock (the stricter reading, where the law leaves room). Received Mon 2 Mar 2026, extension notified Fri 27 Mar, fees
    # notice Wed 8 Apr (after the 20th working day, Tue 31 Mar). The 40th working day: 1-2 Apr (22), Good Friday and
    # Easter Monday skipped, 7-10 Apr (26), 13-17 (31), 20-24 (36), 27-30 Apr (40): Thu 30 Apr
    data = foi_case(FOI_RECEIVED, ("X", "foi_public_interest_extension_notified", "2026-03-27T10:00:00+00:00"),
                    ("N", "foi_fees_notice_given", "2026-04-08T10:00:00+01:00"))
    (o,) = evaluate(book, data, "2026-05-20T12:00:00+01:00", "foi-response")
    assert (o.status, o.due_date) == (Status.OVERDUE, D(2026, 4, 30))


def test_a_fees_notice_within_the_twenty_days_still_stops_an_extended_foi_clock(book):
    # as above, but the fees notice on Mon 30 Mar, within the 20 working days, and no fee by Wed 20 May: paused
    data = foi_case(FOI_RECEIVED, ("X", "foi_public_interest_extension_notified", "2026-03-27T10:00:00+00:00"),
                    ("N", "foi_fees_notice_given", "2026-03-30T10:00:00+01:00"))
    (o,) = evaluate(book, data, "2026-05-20T12:00:00+01:00", "foi-response")
    assert o.status is Status.PAUSED


def test_a_pause_after_the_deadline_without_an_extension_leaves_the_breach_standing(book):
    # no extension: the fees notice of Wed 8 Apr comes after the 20th working day (Tue 31 Mar)
    data = foi_case(FOI_RECEIVED, ("N", "foi_fees_notice_given", "2026-04-08T10:00:00+01:00"))
    (o,) = evaluate(book, data, "2026-05-20T12:00:00+01:00", "foi-response")
    assert (o.status, o.due_date) == (Status.OVERDUE, D(2026, 3, 31))


def test_a_clarification_asked_for_during_a_part_3_extension_stops_the_extended_clock(book):
    # DPA 2018 s.54(3A)-(3D), from 5 Feb 2026: law-enforcement records, the same dates as above
    (o,) = evaluate(book, sar_case("2026-03-02T10:00:00+00:00", EXTENDED, ASKED, regime="dpa_part_3"),
                    "2026-06-10T12:00:00+01:00", "sar-law-enforcement-time-limit")
    assert o.status is Status.PAUSED and not o.is_breach


def test_proof_of_identity_asked_for_during_the_extension_does_not_stop_it(book):
    # the identity pause does not say it runs in the extension: asked Fri 10 Apr, after the first month, nothing
    # received; the extended time ends Tue 2 Jun and is overdue on Wed 10 Jun
    (o,) = evaluate(book, sar_case("2026-03-02T10:00:00+00:00", EXTENDED,
                                   ("I", "sar_identity_requested", "2026-04-10T10:00:00+01:00")),
                    "2026-06-10T12:00:00+01:00", "sar-statutory-time-limit")
    assert (o.status, o.due_date) == (Status.OVERDUE, D(2026, 6, 2))


# --- 5. clock-change nights -----------------------------------------------------------------------------------------
# Victims' Code 2020 Right 6: tell the victim of an arrest within 5 working days (England and Wales). The clocks went
# forward at 01:00 GMT on Sun 29 Mar 2026, so 01:30 BST that night is 00:30 GMT. An arrest any time on Sat 28 or Sun
# 29 Mar: day 1 Mon 30 Mar, 31 Mar (2), 1 Apr (3), 2 Apr (4), Good Friday 3 Apr and Easter Monday 6 Apr skipped, Tue
# 7 Apr (5): due by midnight at the end of Tue 7 Apr, BST (2026-04-07T23:00Z).


def arrest_case(arrested: str, *rows: Any) -> dict[str, Any]:
    return crime_case(received="2026-03-20T10:00:00+00:00",
                      events=events(("A", "suspect_arrested", arrested, {"suspect": "S1"}), *rows))


def test_an_arrest_in_the_hour_the_clocks_go_forward_is_counted_from_that_sunday(book):
    for arrested in ("2026-03-29T00:30:00+00:00", "2026-03-29T01:30:00+01:00", "2026-03-29T02:30:00+01:00",
                     "2026-03-28T23:30:00+00:00"):
        (o,) = evaluate(book, arrest_case(arrested), "2026-04-01T12:00:00+01:00", "vcop-arrest-notice")
        assert (o.status, o.due_date) == (Status.DUE, D(2026, 4, 7)), arrested


def test_a_notice_at_half_past_eleven_on_the_due_day_is_on_time_in_london_time(book):
    told = {"about": "arrest", "suspect": "S1"}
    (on_time,) = evaluate(book, arrest_case("2026-03-29T01:30:00+01:00", ("N", "victim_informed", "2026-04-07T23:30:00+01:00", told)),
                          "2026-04-20T12:00:00+01:00", "vcop-arrest-notice")
    (late,) = evaluate(book, arrest_case("2026-03-29T01:30:00+01:00", ("N", "victim_informed", "2026-04-07T23:30:00+00:00", told)),
                       "2026-04-20T12:00:00+01:00", "vcop-arrest-notice")
    assert on_time.timeliness is Timeliness.ON_TIME
    assert late.timeliness is Timeliness.SATISFIED_LATE  # 23:30 GMT is 00:30 BST on Wed 8 Apr


def complaint_case(received: str, *rows: Any) -> dict[str, Any]:
    return {"case_id": "C-1", "kind": "complaint", "received_at": received, "events": events(*rows),
            "facts": {"complaint_type": "police_conduct", "complaint_recorded_under_schedule_3": True,
                      "complaint_made_in_writing": True}}


def test_an_update_due_on_the_night_the_clocks_go_back_is_judged_by_london_midnight(book):
    # Police complaints: the complainant is updated at least every 28 days (calendar days, day 1 the day after, a
    # Sunday not moved). Received Sun 27 Sep 2026: day 1 Mon 28 Sep, day 28 Sun 25 Oct, the night the clocks go back
    # (02:00 BST becomes 01:00 GMT). Late from Mon 26 Oct 00:00 GMT. Both 01:30s of that night are on time.
    for given, timeliness in (("2026-10-25T01:30:00+01:00", Timeliness.ON_TIME),
                              ("2026-10-25T01:30:00+00:00", Timeliness.ON_TIME),
                              ("2026-10-25T23:30:00+00:00", Timeliness.ON_TIME),
                              ("2026-10-26T00:00:00+00:00", Timeliness.SATISFIED_LATE)):
        first, *_ = evaluate(book, complaint_case("2026-09-27T10:00:00+01:00",
                                                  ("U", "complaint_progress_update_given", given, {"in_writing": True})),
                             "2026-11-01T12:00:00+00:00", "police-complaint-progress-updates")
        assert (first.due_date, first.timeliness) == (D(2026, 10, 25), timeliness), given


def test_an_update_due_on_the_night_the_clocks_go_forward_is_late_after_london_midnight(book):
    # received Sun 1 Mar 2026: day 28 Sun 29 Mar; late from Mon 30 Mar 00:00 BST = Sun 29 Mar 23:00 GMT
    for given, timeliness in (("2026-03-29T22:30:00+00:00", Timeliness.ON_TIME),
                              ("2026-03-29T23:30:00+00:00", Timeliness.SATISFIED_LATE)):
        first, *_ = evaluate(book, complaint_case("2026-03-01T10:00:00+00:00",
                                                  ("U", "complaint_progress_update_given", given, {"in_writing": True})),
                             "2026-04-05T12:00:00+01:00", "police-complaint-progress-updates")
        assert (first.due_date, first.timeliness) == (D(2026, 3, 29), timeliness), given


# --- 6. moved and extra bank holidays, and month ends ---------------------------------------------------------------


def test_foi_days_around_the_moved_and_extra_bank_holidays(book):
    # FOIA s.10(6): any part of the UK. 2020: early May moved from Mon 4 May to Fri 8 May (VE Day), so 4 May was a
    # working day. Received Thu 30 Apr 2020: 1 May (1), 4-7 May (5), 8 May skipped, 11-15 (10), 18-22 (15), Spring
    # bank holiday 25 May skipped, 26-29 (19), Mon 1 Jun (20).
    # 2022: Spring bank holiday moved from Mon 30 May to Thu 2 Jun, Platinum Jubilee Fri 3 Jun. Received Mon 16 May:
    # 17-20 (4), 23-27 (9), 30, 31 May, 1 Jun (12), 2-3 Jun skipped, 6-10 (17), 13-15 Jun (20).
    # 2022: the State Funeral, Mon 19 Sep. Received Mon 5 Sep: 6-9 (4), 12-16 (9), 19 skipped, 20-23 (13), 26-30
    # (18), 3, 4 Oct (20).
    # 2023: early May Mon 1 May and the Coronation Mon 8 May. Received Thu 27 Apr: 28 Apr (1), 1 May skipped, 2-5
    # (5), 8 May skipped, 9-12 (9), 15-19 (14), 22-26 (19), Spring bank holiday 29 May skipped, Tue 30 May (20).
    # 2026-27: Christmas Fri 25 Dec, Boxing Day substitute Mon 28 Dec, New Year Fri 1 Jan, and Scotland's 2 January
    # (a Saturday) on Mon 4 Jan 2027. Received Wed 23 Dec 2026: 24 Dec (1), 29-31 Dec (4), 5-8 Jan (8), 11-15 (13),
    # 18-22 (18), 25, 26 Jan (20).
    for received, due in (("2020-04-30T10:00:00+01:00", D(2020, 6, 1)), ("2022-05-16T10:00:00+01:00", D(2022, 6, 15)),
                          ("2022-09-05T10:00:00+01:00", D(2022, 10, 4)), ("2023-04-27T10:00:00+01:00", D(2023, 5, 30)),
                          ("2026-12-23T10:00:00+00:00", D(2027, 1, 26))):
        (o,) = evaluate(book, foi_case(received), received, "foi-response")
        assert o.due_date == due, received


def test_a_victims_code_notice_does_not_skip_bank_holidays_only_in_scotland_or_northern_ireland(book):
    # England and Wales only (the Code applies there; legal-sources.md 0.1). Arrest Wed 23 Dec 2026: 24 Dec (1), 25
    # and 28 Dec skipped, 29-31 Dec (4), 1 Jan skipped, Mon 4 Jan 2027 (5), Scotland's 2 January holiday but a working
    # day in England and Wales. Arrest Mon 16 Mar 2026: 17 Mar (1, St Patrick's Day in Northern Ireland only), 18-20
    # (4), Mon 23 Mar (5). Arrest Fri 12 Jun 2026: Mon 15 Jun (1, Scotland only), 16-19 Jun (5). Arrest Fri 10 Jul
    # 2026: Mon 13 Jul (1, Northern Ireland only), 14-17 Jul (5).
    for arrested, due in (("2026-12-23T10:00:00+00:00", D(2027, 1, 4)), ("2026-03-16T10:00:00+00:00", D(2026, 3, 23)),
                          ("2026-06-12T10:00:00+01:00", D(2026, 6, 19)), ("2026-07-10T10:00:00+01:00", D(2026, 7, 17))):
        (o,) = evaluate(book, arrest_case(arrested), arrested, "vcop-arrest-notice")
        assert o.due_date == due, arrested


def test_a_personal_information_month_at_month_ends_and_in_a_leap_year(book):
    # UK GDPR Art 12(3) and the ICO: the corresponding day next month; with none, the last day of that month; moved
    # to the next working day when it is not one. 31 Jan 2026 -> Sat 28 Feb -> Mon 2 Mar. 31 Dec 2026 -> Sun 31 Jan
    # 2027 -> Mon 1 Feb. 29 Feb 2028 -> Wed 29 Mar 2028. 31 Mar 2026 -> Thu 30 Apr.
    for received, due in (("2026-01-31T10:00:00+00:00", D(2026, 3, 2)), ("2026-12-31T10:00:00+00:00", D(2027, 2, 1)),
                          ("2028-02-29T10:00:00+00:00", D(2028, 3, 29)), ("2026-03-31T10:00:00+01:00", D(2026, 4, 30))):
        (o,) = evaluate(book, sar_case(received), received, "sar-statutory-time-limit")
        assert o.due_date == due, received


# --- 7. the wrong subject, the wrong time, a missing fact -----------------------------------------------------------


def test_a_notice_about_another_suspect_or_before_the_arrest_does_not_meet_it(book):
    # arrest of S1 Wed 1 Apr 2026: due Fri 10 Apr (2 Apr (1), 3 and 6 Apr skipped, 7-10 Apr (5))
    rows = (("E", "victim_informed", "2026-03-31T10:00:00+01:00", {"about": "arrest", "suspect": "S1"}),
            ("O", "victim_informed", "2026-04-02T10:00:00+01:00", {"about": "arrest", "suspect": "S2"}),
            ("B", "victim_informed", "2026-04-02T10:00:00+01:00", {"about": "bail", "suspect": "S1"}))
    (o,) = evaluate(book, arrest_case("2026-04-01T10:00:00+01:00", *rows), "2026-04-20T12:00:00+01:00",
                    "vcop-arrest-notice")
    assert (o.status, o.due_date) == (Status.OVERDUE, D(2026, 4, 10))


def test_an_answer_after_the_as_of_moment_is_not_seen(book):
    data = foi_case(FOI_RECEIVED, ("R", "foi_response_sent", "2026-04-05T10:00:00+01:00"))
    (o,) = evaluate(book, data, "2026-04-01T12:00:00+01:00", "foi-response")
    assert (o.status, o.due_date) == (Status.OVERDUE, D(2026, 3, 31))


def test_an_enhanced_rights_victim_with_a_fact_missing_is_undecided_never_given_five_days(book):
    # a burglary victim, 40, not vulnerable or intimidated, not bereaved; whether persistently targeted is not
    # recorded: the deadline may be 1 working day or 5, so the notice is indeterminate
    for missing in ("victim_persistently_targeted", "victim_vulnerable", "victim_intimidated", "bereaved_family",
                    "victim_age_at_offence", "offence_category"):
        data = arrest_case("2026-04-01T10:00:00+01:00")
        del data["facts"][missing]
        (o,) = evaluate(book, data, "2026-04-03T12:00:00+01:00", "vcop-arrest-notice")
        assert o.state is State.INDETERMINATE and missing in o.missing_facts, missing


def test_an_under_18_victim_is_told_within_one_working_day(book):
    # enhanced rights: arrest Wed 1 Apr 2026, 1 working day: Thu 2 Apr
    data = arrest_case("2026-04-01T10:00:00+01:00")
    data["facts"]["victim_age_at_offence"] = 17
    (o,) = evaluate(book, data, "2026-04-03T12:00:00+01:00", "vcop-arrest-notice")
    assert (o.status, o.due_date, o.variant) == (Status.OVERDUE, D(2026, 4, 2), "enhanced_rights")


def test_the_law_in_force_is_that_of_the_london_day_the_request_arrived(book):
    # DPA 1998 s.7(8)/(10): 40 days beginning with the day of receipt, for requests before 25 May 2018: received Thu
    # 24 May 2018 at 23:30 BST, day 40 is Mon 2 Jul (24-31 May are 8 days, June 30 more, 1-2 Jul). Received Fri 25 May
    # 2018 at 00:30 BST (still 24 May in UTC): GDPR's month, Mon 25 Jun.
    for received, version, due in (("2018-05-24T23:30:00+01:00", D(2000, 3, 1), D(2018, 7, 2)),
                                   ("2018-05-25T00:30:00+01:00", D(2018, 5, 25), D(2018, 6, 25))):
        (o,) = evaluate(book, sar_case(received), received, "sar-statutory-time-limit")
        assert (o.version, o.due_date) == (version, due), received


# --- 8. an event id that takes another event's name -----------------------------------------------------------------
# An event without an id is named by its place, events[1]. An event whose own id is 'events[1]' would share that name:
# a repeating obligation met by one of them started its next occurrence from the other, again and again, listing
# 500 occurrences all met and never the interval still owed. Such a case is refused, naming the clash.


def test_an_id_taking_the_name_of_an_event_without_an_id_is_refused(book):
    import pytest

    rows = [{"id": "events[1]", "type": "victim_updated", "at": "2026-03-05T10:00:00+00:00"},
            {"type": "victim_updated", "at": "2026-03-20T10:00:00+00:00"}]
    data = crime_case(received=UPDATES_RECEIVED, events=rows, agreed_update_interval_days=28)
    with pytest.raises(cr.SnapshotError) as caught:
        cr.parse_snapshot(data, book)
    assert "event id 'events[1]' (events[0]) is the name of the event at events[1], which has no id" in str(caught.value)


def test_check_rejects_the_record_with_the_clash_and_evaluates_the_rest(book, tmp_path):
    import json

    from charter_rules.check.chunk import CheckSettings
    from charter_rules.check.run import check_paths

    clash = crime_case("CLASH", UPDATES_RECEIVED, [{"id": "events[1]", "type": "victim_updated", "at": UPDATES_RECEIVED},
                                                   {"type": "victim_updated", "at": UPDATES_RECEIVED}])
    fine = crime_case("FINE", UPDATES_RECEIVED, [{"id": "events[0]", "type": "victim_updated", "at": UPDATES_RECEIVED},
                                                 {"type": "victim_updated", "at": UPDATES_RECEIVED}])
    export = tmp_path / "export.jsonl"
    export.write_text(json.dumps(clash) + "\n" + json.dumps(fine) + "\n")
    report = check_paths([export], book, CheckSettings(as_of=at("2026-04-02T12:00:00+01:00")), workers=1)
    assert (report.records_read, report.evaluated, report.rejected) == (2, 1, 1)
    (rejected,) = report.rejections.records()
    assert rejected["case_id"] == "CLASH" and "is the name of the event at events[1]" in rejected["problems"][0]["message"]


def test_a_repeating_obligation_met_by_an_event_without_an_id_runs_on_from_it(book):
    # every 28 days from Mon 2 Mar 2026: updates Thu 5 Mar (named e1) and Fri 20 Mar (no id, events[1]); the third
    # interval runs from 20 Mar: day 1 Sat 21 Mar, day 28 Fri 17 Apr, overdue by Mon 1 Jun
    rows = [{"id": "e1", "type": "victim_updated", "at": "2026-03-05T10:00:00+00:00"},
            {"type": "victim_updated", "at": "2026-03-20T10:00:00+00:00"}]
    found = evaluate(book, crime_case(received=UPDATES_RECEIVED, events=rows, agreed_update_interval_days=28),
                     "2026-06-01T12:00:00+01:00", "vcop-agreed-updates")
    assert [(o.state, o.satisfied_by) for o in found] == [
        (State.SATISFIED, "e1"), (State.SATISFIED, "events[1]"), (State.OPEN, None)]
    assert (found[2].status, found[2].due_date) == (Status.OVERDUE, D(2026, 4, 17))


# --- 9. more occurrences than are worked out ------------------------------------------------------------------------


def test_a_series_longer_than_the_limit_ends_with_an_undecided_occurrence_not_silence(book):
    # updates agreed every day, given every day from Fri 2 Jan 2026 for 559 days, then none: the interval after the
    # last update is overdue by 1 Sep 2027, but only the first 500 occurrences are worked out. The 501st is shown as
    # undecided rather than the list ending on 500 met occurrences.
    first = dt.datetime(2026, 1, 1, 10, tzinfo=dt.timezone.utc)
    rows = [{"id": f"u{day}", "type": "victim_updated", "at": (first + dt.timedelta(days=day)).isoformat()}
            for day in range(1, 560)]
    data = crime_case(received="2026-01-01T09:00:00+00:00", events=rows, agreed_update_interval_days=1)
    found = evaluate(book, data, "2027-09-01T12:00:00+01:00", "vcop-agreed-updates")
    assert len(found) == cr.evaluator.MAX_INSTANCES + 1
    assert all(o.state is State.SATISFIED for o in found[:-1])
    last = found[-1]
    assert (last.state, last.instance, last.trigger_event) == (State.INDETERMINATE, 501, "u500")
    assert "more than 500 occurrences" in last.reasons[0].text


def test_a_clarification_after_twenty_days_inside_an_extension_is_not_called_a_breach(book):
    # received Mon 2 Mar 2026, public-interest extension Fri 20 Mar: the 40th working day is Thu 30 Apr (see above).
    # A clarification received Wed 8 Apr, after the 20th working day, does not restart the clock, and nothing is
    # overdue: the explanation must not say a breach stands.
    data = foi_case(FOI_RECEIVED, ("X", "foi_public_interest_extension_notified", "2026-03-20T10:00:00+00:00"),
                    ("C", "foi_clarification_received", "2026-04-08T10:00:00+01:00"))
    (o,) = evaluate(book, data, "2026-04-20T12:00:00+01:00", "foi-response")
    assert (o.status, o.due_date) == (Status.DUE, D(2026, 4, 30))
    assert o.deadline is not None and o.deadline.restart_ignored is not None
    assert "breach" not in cr.obligation_text(o)


# --- 10. nothing recorded after a breach erases it, in any rule -----------------------------------------------------
# Over every worked example of the bundled rule book: take each obligation that is a breach at the example's moment,
# add events of the case's kind (taken from the worked examples, so each is a valid event) at or after the moment it
# became late, and evaluate again later. Whatever the events (a restart, a pause, an extension, a waiver, an ending,
# a late answer, the very moment the deadline passed), the breach stands with the same due date.


def _example_cases(book: cr.CompiledRulebook) -> list[tuple[dict[str, Any], dt.datetime]]:
    return [(example.case, example.as_of) for rule in book.rules for example in rule.source.examples
            if not example.settings]


def _events_by_kind(book: cr.CompiledRulebook) -> dict[str, list[dict[str, Any]]]:
    pool: dict[str, dict[str, dict[str, Any]]] = {}
    for case, _ in _example_cases(book):
        for event in case.get("events", []):
            shape = {k: v for k, v in event.items() if k not in ("id", "at")}
            pool.setdefault(case["kind"], {})[repr(sorted(shape.items(), key=str))] = shape
    return {kind: list(shapes.values()) for kind, shapes in pool.items()}


def _key(o: cr.Obligation) -> tuple[Any, ...]:
    return (o.rule_id, o.trigger_event, o.triggered_at)


def _with_events_after(data: Any, book: cr.CompiledRulebook, cases: list[tuple[dict[str, Any], dt.datetime]],
                       pick: Any, moment_of: Any, first_minute: int) -> tuple[cr.Obligation, Any, list[Any]]:
    """Draw a case and one of its obligations, add up to 4 events of its kind from ``first_minute`` minutes after
    the obligation's moment, and evaluate again at or after the last of them."""
    from hypothesis import strategies as st

    case, as_of = data.draw(st.sampled_from(cases))
    before = cr.evaluate(book, cr.parse_snapshot(case, book), as_of=as_of)
    chosen = data.draw(st.sampled_from([o for o in before.obligations if pick(o)]))
    moment = moment_of(chosen).astimezone(dt.timezone.utc)
    shapes = data.draw(st.lists(st.sampled_from(_events_by_kind(book)[case["kind"]]), min_size=1, max_size=4))
    offsets = data.draw(st.lists(st.integers(first_minute, 60 * 24 * 60), min_size=len(shapes), max_size=len(shapes)))
    added = [{**shape, "id": f"added-{i}", "at": (moment + dt.timedelta(minutes=minutes)).isoformat()}
             for i, (shape, minutes) in enumerate(zip(shapes, offsets))]
    later = max([as_of.astimezone(dt.timezone.utc)] + [moment + dt.timedelta(minutes=m + 1) for m in offsets])
    after = cr.evaluate(book, cr.parse_snapshot({**case, "events": case.get("events", []) + added}, book), as_of=later)
    return chosen, [o for o in after.obligations if _key(o) == _key(chosen)], added


def _cases_with(book: cr.CompiledRulebook, pick: Any) -> list[tuple[dict[str, Any], dt.datetime]]:
    return [(case, as_of) for case, as_of in _example_cases(book)
            if any(pick(o) for o in cr.evaluate(book, cr.parse_snapshot(case, book), as_of=as_of).obligations)]


PROPERTY_EXAMPLES = int(__import__("os").environ.get("AUDIT_EXAMPLES", "300"))


def test_events_after_a_breach_never_erase_it(book):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    def is_breach(o: cr.Obligation) -> bool:
        return o.is_breach

    cases = _cases_with(book, is_breach)
    assert len(cases) > 50  # the worked examples hold many breaches to try this on

    @settings(max_examples=PROPERTY_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def check(data: st.DataObject) -> None:
        breach, same, added = _with_events_after(data, book, cases, is_breach, lambda o: o.due_at, 0)
        assert same, f"{breach.rule_id}: the breach is no longer listed after {added}"
        assert same[0].is_breach and same[0].due_date == breach.due_date, (breach.rule_id, added, same[0].status)

    check()


def test_events_after_a_duty_was_met_on_time_never_change_it(book):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    def met_on_time(o: cr.Obligation) -> bool:
        return o.timeliness is Timeliness.ON_TIME and o.state is State.SATISFIED

    cases = _cases_with(book, met_on_time)
    assert len(cases) > 50

    @settings(max_examples=PROPERTY_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def check(data: st.DataObject) -> None:
        met, same, added = _with_events_after(data, book, cases, met_on_time, lambda o: o.satisfied_at, 1)
        assert same, f"{met.rule_id}: the met duty is no longer listed after {added}"
        assert (same[0].state, same[0].timeliness, same[0].satisfied_by, same[0].due_date) == (
            met.state, met.timeliness, met.satisfied_by, met.due_date), (met.rule_id, added)

    check()


TWO_WAYS_RULE = """\
id: test-two-ways
title: Keep in touch every 28 days
summary: A contact of either kind within 28 days of the last one.
basis: law
case_kinds: [crime_report]
versions:
  - valid_from: 2020-01-01
    duty: statutory_guidance
    trigger: {case_received: true}
    satisfied_by:
      event: [victim_updated, victim_personal_statement_offered]
      description: the victim is contacted
    deadline: {count: 28, unit: calendar_days, calendar: england_and_wales}
    recurrence:
      description: each contact starts the next 28 days
"""


def test_two_kinds_of_contact_at_one_instant_meet_one_occurrence_each_of_a_repeating_duty(tmp_path):
    # received Mon 2 Mar 2026; an update and a statement offer both at 10:00 on Fri 20 Mar meet the first 28 days and
    # the 28 days the first of them started; the third runs from the second: day 1 Sat 21 Mar, day 28 Fri 17 Apr.
    # (Were same-instant contacts to meet occurrences started by each other, the series would never end.)
    import shutil

    from charter_rules.rulebook import DEFAULT_RULES_DIR

    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules)
    (rules / "commitments" / "test-two-ways.yaml").write_text(TWO_WAYS_RULE)
    two_ways = cr.load_compiled(rules)
    rows = events(("U", "victim_updated", "2026-03-20T10:00:00+00:00"),
                  ("V", "victim_personal_statement_offered", "2026-03-20T10:00:00+00:00"))
    found = evaluate(two_ways, crime_case(received=UPDATES_RECEIVED, events=rows), "2026-04-20T12:00:00+01:00",
                     "test-two-ways")
    assert [(o.state, o.satisfied_by) for o in found] == [
        (State.SATISFIED, "V"), (State.SATISFIED, "U"), (State.OPEN, None)]
    assert (found[2].status, found[2].due_date) == (Status.OVERDUE, D(2026, 4, 17))


# --- 11. the officer whose details are given ------------------------------------------------------------------------
# The charter: the person is given the contact details of the officer dealing with their case, within 5 working days
# of an officer being made responsible (this rule book's reading of "as soon as possible"). DC 3 takes over on Mon
# 20 Apr 2026: Tue 21 (1), Wed 22 (2), Thu 23 (3), Fri 24 (4), Mon 27 Apr (5).
OFFICERS = (("O1", "officer_in_charge_assigned", "2026-03-30T11:00:00+01:00", {"officer": "DC 1"}),
            ("D1", "officer_contact_details_given", "2026-03-31T10:00:00+01:00", {"officer": "DC 1"}),
            ("O2", "officer_in_charge_assigned", "2026-04-20T09:00:00+01:00", {"officer": "DC 3"}))


def officer_case(*rows: Any) -> dict[str, Any]:
    return crime_case(received="2026-03-30T09:00:00+01:00", events=events(*OFFICERS, *rows))


def test_the_previous_officers_details_do_not_introduce_the_new_officer(book):
    stale = ("D2", "officer_contact_details_given", "2026-04-21T10:00:00+01:00", {"officer": "DC 1"})
    _, new = evaluate(book, officer_case(stale), "2026-04-28T12:00:00+01:00", "charter-officer-contact-details")
    assert (new.status, new.due_date, new.satisfied_by) == (Status.OVERDUE, D(2026, 4, 27), None)


def test_the_new_officers_details_introduce_them(book):
    fresh = ("D2", "officer_contact_details_given", "2026-04-21T10:00:00+01:00", {"officer": "DC 3"})
    _, new = evaluate(book, officer_case(fresh), "2026-04-28T12:00:00+01:00", "charter-officer-contact-details")
    assert (new.state, new.timeliness, new.satisfied_by) == (State.SATISFIED, Timeliness.ON_TIME, "D2")


def test_a_written_confirmation_with_the_officers_contact_still_meets_it(book):
    # a written confirmation has no field naming the officer, so it is not compared on one
    letter = ("W", "written_confirmation_sent", "2026-04-22T10:00:00+01:00",
              {"reference": "CR-9", "includes_officer_contact": True})
    _, new = evaluate(book, officer_case(letter), "2026-04-28T12:00:00+01:00", "charter-officer-contact-details")
    assert (new.state, new.timeliness, new.satisfied_by) == (State.SATISFIED, Timeliness.ON_TIME, "W")


def test_a_field_no_satisfying_event_has_cannot_be_compared_with_the_trigger(tmp_path):
    import shutil

    import pytest

    from charter_rules.rulebook import DEFAULT_RULES_DIR

    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules)
    path = rules / "commitments" / "vcop-vps-offer.yaml"
    text = path.read_text()
    path.write_text(text.replace("    trigger: {event: witness_statement_taken}\n", "    trigger: {event: suspect_arrested}\n")
                    .replace("      event: victim_personal_statement_offered\n",
                             "      event: victim_personal_statement_offered\n      same_as_trigger: [suspect]\n"))
    with pytest.raises(cr.CharterRulesError) as caught:
        cr.load_compiled(rules)
    assert "no satisfying event type has a field 'suspect'" in str(caught.value)


# --- a restart counts only for what the force asked for ---------------------------------------------------------------
# FOIA s.1(3) and s.10(6)(b): the date of receipt moves to the day further information arrives only where the
# authority required it and informed the applicant; DPA 1998 s.7(3) and UK GDPR Art 12(6) likewise for identity.
# Received Mon 2 Mar 2026 09:00 GMT: due Tue 31 Mar (worked above).


def test_a_clarification_nobody_asked_for_restarts_nothing(book):
    (o,) = evaluate(book, foi_case(FOI_RECEIVED, ("C", "foi_clarification_received", "2026-03-09T10:00:00+00:00")),
                    "2026-04-20T12:00:00+01:00", "foi-response")
    assert (o.status, o.due_date) == (Status.OVERDUE, D(2026, 3, 31))
    assert o.deadline is not None and o.deadline.clock_start == dt.datetime.fromisoformat(FOI_RECEIVED)
    assert "no 'FOI clarification sought' is recorded before it" in (o.deadline.restart_ignored or "")


def test_a_clarification_asked_for_after_it_arrived_restarts_nothing(book):
    # a request recorded after the information arrived cannot have been the reason for it: the clock is not
    # restarted on 9 Mar; the request of Tue 10 Mar stops it, as a request for clarification does, until an answer
    data = foi_case(FOI_RECEIVED, ("C", "foi_clarification_received", "2026-03-09T10:00:00+00:00"),
                    ("Q", "foi_clarification_sought", "2026-03-10T10:00:00+00:00"))
    (o,) = evaluate(book, data, "2026-03-20T12:00:00+00:00", "foi-response")
    assert o.status is Status.PAUSED and "the clock stopped on Tue 10 Mar 2026" in o.reasons[0].text


def test_a_clarification_asked_for_restarts_the_clock(book):
    # asked Wed 4 Mar, received Mon 9 Mar: day 1 Tue 10 Mar, 10-13 (4), 16 (5), skip 17 Mar, 18-20 (8), 23-27 (13),
    # 30 Mar-2 Apr (17), skip 3 and 6 Apr, 7-9 Apr (20): due Thu 9 Apr
    data = foi_case(FOI_RECEIVED, ("Q", "foi_clarification_sought", "2026-03-04T10:00:00+00:00"),
                    ("C", "foi_clarification_received", "2026-03-09T10:00:00+00:00"))
    (o,) = evaluate(book, data, "2026-03-20T12:00:00+00:00", "foi-response")
    assert (o.status, o.due_date) == (Status.DUE, D(2026, 4, 9))
