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
    # skipped, 7-10 Apr (6), 13-17 (11), 20-24 (16), 27-30 Apr (20): due Thu 30 Apr
    (o,) = evaluate(book, foi_case(FOI_RECEIVED, ("C", "foi_clarification_received", "2026-03-31T23:59:59+01:00")),
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
