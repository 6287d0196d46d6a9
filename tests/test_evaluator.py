"""The evaluator's behaviour: states, timeliness, ordering, as-of, conflicts, explanations."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

import charter_rules as cr
from charter_rules.obligation import State, Status, Timeliness

from .conftest import at, crime_case


def run(book, data, as_of):
    return cr.evaluate(book, cr.parse_snapshot(data, book), as_of=at(as_of))


def arrest_case(**facts):
    return crime_case(events=[{"id": "a1", "type": "suspect_arrested", "at": "2026-04-02T14:00:00+01:00",
                               "suspect": "S1"}], **facts)


def test_every_rule_gives_an_obligation(book):
    evaluation = run(book, crime_case(), "2026-04-01T12:00:00+01:00")
    assert {o.rule_id for o in evaluation.obligations} == set(book.by_id)


def test_other_case_kinds_are_not_applicable_with_the_reason(book):
    evaluation = run(book, crime_case(), "2026-04-01T12:00:00+01:00")
    (foi,) = evaluation.by_rule("foi-response")
    assert foi.state is State.NOT_APPLICABLE
    assert foi.reasons[0].kind == "case_kind"
    assert foi.reasons[0].seen == "crime_report"


def test_open_obligation_has_dates_and_next_change(book):
    evaluation = run(book, arrest_case(), "2026-04-08T12:00:00+01:00")
    (notice,) = evaluation.by_rule("vcop-arrest-notice")
    assert notice.status is Status.DUE
    assert notice.due_date == dt.date(2026, 4, 13)
    # late from midnight at the start of Tue 14 Apr, London time (BST)
    assert notice.due_at == dt.datetime(2026, 4, 13, 23, 0, tzinfo=dt.timezone.utc)
    # at risk one working day before: from the start of Fri 10 Apr
    assert notice.next_change == dt.datetime(2026, 4, 9, 23, 0, tzinfo=dt.timezone.utc)
    assert notice.triggered_at == at("2026-04-02T14:00:00+01:00")
    assert notice.trigger_event == "a1"
    assert "victim is told of the arrest" in notice.needed
    assert "by the end of Mon 13 Apr 2026" in notice.needed


def test_timeliness_moves_with_as_of(book):
    data = arrest_case()
    statuses = [run(book, data, moment).by_rule("vcop-arrest-notice")[0].status for moment in (
        "2026-04-09T23:59:00+01:00", "2026-04-10T00:00:00+01:00", "2026-04-13T23:59:59+01:00",
        "2026-04-14T00:00:00+01:00")]
    assert statuses == [Status.DUE, Status.AT_RISK, Status.AT_RISK, Status.OVERDUE]


def test_events_after_as_of_are_ignored(book):
    data = arrest_case()
    data["events"].append({"id": "i1", "type": "victim_informed", "at": "2026-04-09T10:00:00+01:00",
                           "about": "arrest", "suspect": "S1"})
    before = run(book, data, "2026-04-09T09:59:59+01:00").by_rule("vcop-arrest-notice")[0]
    after = run(book, data, "2026-04-09T10:00:00+01:00").by_rule("vcop-arrest-notice")[0]
    assert before.status is Status.DUE
    assert after.status is Status.SATISFIED and after.satisfied_by == "i1"


def test_satisfaction_before_the_trigger_does_not_count(book):
    data = arrest_case()
    data["events"].insert(0, {"id": "i0", "type": "victim_informed", "at": "2026-04-01T10:00:00+01:00",
                              "about": "arrest", "suspect": "S1"})
    notice = run(book, data, "2026-04-20T12:00:00+01:00").by_rule("vcop-arrest-notice")[0]
    assert notice.status is Status.OVERDUE


def test_same_timestamp_events_are_ordered_deterministically(book):
    events = [
        {"id": "u2", "type": "victim_updated", "at": "2026-04-20T10:00:00+01:00", "investigation_active": True,
         "next_review_date": "2026-05-20"},
        {"id": "u1", "type": "victim_updated", "at": "2026-04-20T10:00:00+01:00", "investigation_active": True,
         "next_review_date": "2026-05-20"},
    ]
    first = run(book, crime_case(events=events), "2026-06-01T12:00:00+01:00")
    second = run(book, crime_case(events=list(reversed(events))), "2026-06-01T12:00:00+01:00")
    assert first.obligations == second.obligations
    updates = first.by_rule("charter-monthly-update")
    # ties are broken by type, then id: u1 satisfies the first month, u2 the second
    assert [o.satisfied_by for o in updates[:2]] == ["u1", "u2"]


def test_missing_fact_makes_it_indeterminate_naming_the_fact(book):
    data = arrest_case()
    del data["facts"]["victim_age_at_offence"]
    notice = run(book, data, "2026-04-08T12:00:00+01:00").by_rule("vcop-arrest-notice")[0]
    assert notice.state is State.INDETERMINATE
    assert notice.missing_facts == ("victim_age_at_offence",)
    assert "'Victim's age at the time of the offence' is not recorded" in cr.obligation_text(notice)
    assert "victim_age_at_offence" not in cr.obligation_text(notice)  # the id stays in JSON


def test_known_true_fact_decides_despite_other_missing_facts(book):
    # domestic abuse alone gives enhanced rights: unknown age or vulnerability does not matter (three-valued 'any')
    data = crime_case(events=arrest_case()["events"], offence_category="domestic_abuse")
    for name in ("victim_age_at_offence", "victim_vulnerable", "victim_intimidated", "victim_persistently_targeted"):
        del data["facts"][name]
    notice = run(book, data, "2026-04-08T12:00:00+01:00").by_rule("vcop-arrest-notice")[0]
    assert notice.variant == "enhanced_rights"
    assert notice.due_date == dt.date(2026, 4, 7)


def test_not_applicable_names_the_condition_and_the_value_seen(book):
    notice = run(book, arrest_case(victim_is_business=True), "2026-04-08T12:00:00+01:00").by_rule("vcop-arrest-notice")[0]
    assert notice.state is State.NOT_APPLICABLE
    assert notice.reasons[0].kind == "condition"
    assert "'Victim is a business'" in notice.reasons[0].text  # the vocabulary's title, not the fact's id
    assert notice.reasons[0].seen is True


def test_not_triggered_says_what_would_start_it(book):
    notice = run(book, crime_case(), "2026-04-08T12:00:00+01:00").by_rule("vcop-arrest-notice")[0]
    assert notice.state is State.NOT_APPLICABLE
    assert "'Suspect arrested'" in notice.reasons[0].text


def test_waiver(book):
    data = crime_case(events=[{"id": "o1", "type": "victim_opted_out_of_referral", "at": "2026-03-30T09:30:00+01:00"}])
    referral = run(book, data, "2026-04-20T12:00:00+01:00").by_rule("vcop-support-referral")[0]
    assert referral.status is Status.WAIVED and referral.waiver == "victim_opted_out"
    assert "asked not to be referred" in referral.reasons[0].text


def test_version_in_force_on_the_trigger_date_is_used(book):
    # the Victims' Code 2020 rules start on 1 April 2021: a crime reported before has no version in force
    data = crime_case(received="2021-03-31T12:00:00+01:00")
    referral = run(book, data, "2021-04-20T12:00:00+01:00").by_rule("vcop-support-referral")[0]
    assert referral.state is State.NOT_APPLICABLE and referral.reasons[0].kind == "no_version"
    data = crime_case(received="2021-04-01T12:00:00+01:00")
    referral = run(book, data, "2021-04-20T12:00:00+01:00").by_rule("vcop-support-referral")[0]
    assert referral.version == dt.date(2021, 4, 1)
    assert referral.status is Status.OVERDUE


def test_recurring_instances_are_numbered(book):
    events = [{"id": f"u{i}", "type": "victim_updated", "at": f"2026-0{m}-15T10:00:00+01:00",
               "investigation_active": True, "next_review_date": "2026-09-01"} for i, m in enumerate((4, 5, 6), 1)]
    updates = run(book, crime_case(events=events), "2026-07-01T12:00:00+01:00").by_rule("charter-monthly-update")
    assert [(o.instance, o.status) for o in updates] == [
        (1, Status.SATISFIED), (2, Status.SATISFIED), (3, Status.SATISFIED), (4, Status.DUE)]
    assert updates[3].due_date == dt.date(2026, 7, 15)


def test_explanation_lists_skipped_days_and_sources(book):
    evaluation = run(book, arrest_case(), "2026-04-14T12:00:00+01:00")
    notice = evaluation.by_rule("vcop-arrest-notice")[0]
    text = cr.obligation_text(notice)
    assert "Fri 3 Apr 2026: Good Friday (England and Wales)" in text
    assert "Mon 6 Apr 2026: Easter Monday (England and Wales)" in text
    assert "5 working days (as set in 'Working days to tell a victim of a key event in the investigation')" in text
    assert "Clock started Thu 2 Apr 2026 14:00 BST: 'Suspect arrested'." in text
    for code in ("vcop_notify_working_days", "suspect_arrested", "(a1)", "victim_informed"):
        assert code not in text, code  # ids belong in JSON, not in sentences
    assert "Overdue" in text and "Still needed" in text
    data = cr.explain_json(evaluation, book)
    assert data["format"] == "charter-rules.evaluation/1"
    entry = next(o for o in data["obligations"] if o["rule"] == "vcop-arrest-notice")
    assert entry["status"] == "overdue"
    assert entry["deadline"]["due_date"] == "2026-04-13"
    assert {"date": "2026-04-03", "reason": "Good Friday (England and Wales)"} in entry["deadline"]["skipped_days"]
    assert entry["charter"] and entry["references"]
    assert entry["explanation"] == text


def test_naive_as_of_is_refused(book):
    snapshot = cr.parse_snapshot(crime_case(), book)
    with pytest.raises(ValueError, match="UTC offset"):
        cr.evaluate(book, snapshot, as_of=dt.datetime(2026, 4, 1, 12))


def test_compiled_rulebook_is_safe_to_share_between_threads(book):
    cases = [cr.parse_snapshot(arrest_case(), book) for _ in range(4)]
    expected = cr.evaluate(book, cases[0], as_of=at("2026-04-08T12:00:00+01:00")).obligations
    results: list[object] = []

    def work(snapshot):
        for _ in range(50):
            results.append(cr.evaluate(book, snapshot, as_of=at("2026-04-08T12:00:00+01:00")).obligations)

    threads = [threading.Thread(target=work, args=(c,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 200 and all(r == expected for r in results)


CONFLICT_VARIANTS = """
    variants:
      - name: enhanced_rights
        when: {is: enhanced_rights}
        deadline: {count: 1}
        reason: Enhanced rights.
      - name: young_victim
        when: {fact: victim_age_at_offence, less_than: 18}
        deadline: {count: 2}
        reason: A made-up rule for the test.
"""


def test_two_disagreeing_variants_are_an_error_naming_both(rules_copy: Path):
    path = rules_copy / "commitments" / "vcop-arrest-notice.yaml"
    text = path.read_text()
    start = text.index("    variants:")
    end = text.index("    at_risk:")
    path.write_text(text[:start] + CONFLICT_VARIANTS.lstrip("\n") + text[end:])
    book = cr.load_compiled(rules_copy)
    data = arrest_case(victim_age_at_offence=15)
    with pytest.raises(cr.RuleConflictError) as info:
        run(book, data, "2026-04-08T12:00:00+01:00")
    message = str(info.value)
    assert "'enhanced_rights'" in message and "'young_victim'" in message and "vcop-arrest-notice" in message
    assert "T-1" in message
    # an adult victim meets only one variant: no conflict
    run(book, arrest_case(victim_age_at_offence=40, offence_category="domestic_abuse"), "2026-04-08T12:00:00+01:00")


def test_status_words(book):
    obligation = run(book, arrest_case(), "2026-04-20T12:00:00+01:00").by_rule("vcop-arrest-notice")[0]
    assert obligation.timeliness is Timeliness.OVERDUE and obligation.is_breach
