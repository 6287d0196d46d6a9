"""The monitor's contract: duplicates, conflicts, errors, the clock, persistence and atomicity."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any, Mapping, Sequence

import pytest

import charter_rules
from charter_rules import MonitorError, SnapshotError
from charter_rules.evaluator import evaluate
from charter_rules.live import Monitor, PythonMatcher
from charter_rules.live.escalation import EscalationBook, load_escalations
from charter_rules.live.transitions import held_state
from charter_rules.rulebook import DEFAULT_RULES_DIR

from .conftest import ENHANCED_FACTS, PLAIN_FACTS, crime, foi, t

ARREST = {"id": "a1", "type": "suspect_arrested", "at": "2026-04-02T14:00:00+01:00", "suspect": "S1"}


def test_an_event_posted_twice_is_recognised_and_changes_nothing(monitor: Monitor) -> None:
    monitor.put_case(crime("CR-1", "2026-03-30T09:00:00+01:00", PLAIN_FACTS))
    first = monitor.post("CR-1", ARREST)
    assert first.transitions and not first.duplicate
    held = monitor.obligations("CR-1")
    again = monitor.post("CR-1", dict(ARREST))
    assert again.duplicate and again.transitions == () and again.notifications == ()
    # the same instant written with another offset is the same event
    same = dict(ARREST, at="2026-04-02T13:00:00Z")
    assert monitor.post("CR-1", same).duplicate
    assert monitor.obligations("CR-1") == held
    assert [e.id for e in monitor.snapshot("CR-1").events] == ["a1"]


def test_the_same_event_id_with_other_details_is_an_error(monitor: Monitor) -> None:
    monitor.put_case(crime("CR-1", "2026-03-30T09:00:00+01:00", PLAIN_FACTS))
    monitor.post("CR-1", ARREST)
    with pytest.raises(MonitorError, match="already recorded with other details"):
        monitor.post("CR-1", dict(ARREST, suspect="S2"))


def test_posting_the_same_case_record_again_is_a_duplicate(monitor: Monitor) -> None:
    record = crime("CR-1", "2026-03-30T09:00:00+01:00", PLAIN_FACTS, [ARREST])
    assert monitor.put_case(record).transitions
    assert monitor.put_case(record).duplicate


def test_events_need_ids_and_a_known_case(monitor: Monitor) -> None:
    with pytest.raises(MonitorError, match="unknown case 'NOPE'"):
        monitor.post("NOPE", ARREST)
    monitor.put_case(crime("CR-1", "2026-03-30T09:00:00+01:00", PLAIN_FACTS))
    with pytest.raises(MonitorError, match="has no 'id'"):
        monitor.post("CR-1", {k: v for k, v in ARREST.items() if k != "id"})
    with pytest.raises(MonitorError, match=r"events\[0\] has no 'id'"):
        monitor.put_case(crime("CR-2", "2026-03-30T09:00:00+01:00", PLAIN_FACTS,
                               [{k: v for k, v in ARREST.items() if k != "id"}]))


def test_a_bad_event_names_the_field_and_is_not_recorded(monitor: Monitor) -> None:
    monitor.put_case(crime("CR-1", "2026-03-30T09:00:00+01:00", PLAIN_FACTS))
    with pytest.raises(SnapshotError) as caught:
        monitor.post("CR-1", {"id": "a1", "type": "suspect_arrested", "at": "2026-04-02T14:00:00+01:00"})
    assert "event 'a1'" in str(caught.value) and "event.suspect" in str(caught.value)
    assert monitor.snapshot("CR-1").events == []
    monitor.post("CR-1", ARREST)  # the id was not taken by the failed post


def test_time_comes_only_from_the_caller_and_never_goes_back(monitor: Monitor) -> None:
    assert monitor.clock is None and monitor.next_wake() is None
    monitor.put_case(foi("FOI-1", "2026-03-26T10:00:00+00:00"))
    assert monitor.case_as_of("FOI-1") == t("2026-03-26T10:00:00+00:00")
    monitor.tick(t("2026-04-01T09:00:00+01:00"))
    assert monitor.clock == t("2026-04-01T09:00:00+01:00")
    with pytest.raises(MonitorError, match="cannot go back"):
        monitor.tick(t("2026-03-31T09:00:00+01:00"))
    with pytest.raises(MonitorError, match="UTC offset"):
        monitor.tick(dt.datetime(2026, 4, 2, 9, 0))
    with pytest.raises(MonitorError, match="cannot be evaluated as of the earlier"):
        monitor.post("FOI-1", {"id": "r1", "type": "foi_response_sent", "at": "2026-03-30T10:00:00+01:00"},
                     as_of=t("2026-03-30T12:00:00+01:00"))


def test_tick_re_evaluates_only_the_cases_whose_time_has_come(monitor: Monitor) -> None:
    """FOI-A (received Thu 26 Mar) is at risk from Mon 20 Apr 00:00 BST; FOI-B (received Mon 20 Apr) changes
    first at its own at-risk moment weeks later. A tick on Mon 20 Apr 09:00 touches FOI-A only."""
    monitor.put_case(foi("FOI-A", "2026-03-26T10:00:00+00:00"))
    monitor.put_case(foi("FOI-B", "2026-04-20T08:00:00+01:00"))
    b_as_of = monitor.case_as_of("FOI-B")
    update = monitor.tick(t("2026-04-20T09:00:00+01:00"))
    assert {tr.case_id for tr in update.transitions} == {"FOI-A"}
    assert monitor.case_as_of("FOI-A") == t("2026-04-20T09:00:00+01:00")
    assert monitor.case_as_of("FOI-B") == b_as_of  # not woken, not re-evaluated
    # what the monitor holds for FOI-B still equals a fresh evaluation now
    fresh = evaluate(monitor.book, monitor.snapshot("FOI-B"), as_of=t("2026-04-20T09:00:00+01:00"))
    assert monitor.obligations("FOI-B") == held_state(fresh)


def test_next_wake_is_the_earliest_change_of_any_case(monitor: Monitor) -> None:
    """FOI received Thu 26 Mar: at risk from Mon 20 Apr 00:00 BST (2026-04-19T23:00Z), which is also the start of
    working day 15 that the reminder rule watches."""
    monitor.put_case(foi("FOI-1", "2026-03-26T10:00:00+00:00"))
    assert monitor.next_wake() == t("2026-04-19T23:00:00+00:00")


def test_a_future_event_wakes_the_case_when_its_time_comes(monitor: Monitor) -> None:
    monitor.put_case(foi("FOI-1", "2026-03-26T10:00:00+00:00"))
    monitor.post("FOI-1", {"id": "r1", "type": "foi_response_sent", "at": "2026-04-01T10:00:00+01:00"},
                 as_of=t("2026-03-27T10:00:00+00:00"))
    assert monitor.next_wake() == t("2026-04-01T10:00:00+01:00")
    update = monitor.tick(t("2026-04-02T00:00:00+01:00"))
    assert [(tr.rule_id, tr.kind.value) for tr in update.transitions] == [("foi-response", "satisfied")]


def test_a_reopened_store_carries_on_where_it_stopped(tmp_path: Path, book: charter_rules.CompiledRulebook,
                                                      escalations: EscalationBook) -> None:
    path = tmp_path / "monitor.sqlite"
    with Monitor(path, book=book, escalations=escalations, matcher="python") as first:
        first.put_case(crime("CR-1", "2026-03-30T09:00:00+01:00", ENHANCED_FACTS))
        first.post("CR-1", ARREST)
        first.tick(t("2026-04-03T09:00:00+01:00"))
        held, wake, clock = first.obligations("CR-1"), first.next_wake(), first.clock
    with Monitor(path, book=book, escalations=escalations, matcher="python") as second:
        assert second.obligations("CR-1") == held
        assert second.next_wake() == wake and second.clock == clock
        assert second.post("CR-1", ARREST).duplicate
        update = second.tick(t("2026-04-08T09:00:00+01:00"))
        assert "vcop-notice-overdue-enhanced" in {n.escalation_id for n in update.notifications}


def test_a_store_written_under_other_rules_is_refused_unless_accepted(
        tmp_path: Path, book: charter_rules.CompiledRulebook) -> None:
    escalation_dir = tmp_path / "escalations"
    shutil.copytree(DEFAULT_RULES_DIR / "escalations", escalation_dir)
    path = tmp_path / "monitor.sqlite"
    with Monitor(path, book=book, escalations=escalation_dir, matcher="python") as first:
        first.put_case(foi("FOI-1", "2026-03-26T10:00:00+00:00"))
        first.tick(t("2026-03-30T09:00:00+01:00"))
    (escalation_dir / "foi-day-15-reminder.yaml").unlink()
    with pytest.raises(MonitorError, match="changed since this store was written"):
        Monitor(path, book=book, escalations=escalation_dir, matcher="python")
    with Monitor(path, book=book, escalations=escalation_dir, matcher="python", accept_rule_changes=True) as second:
        assert second.next_wake() == t("2026-03-26T10:00:00+00:00")  # every case is due for re-evaluation
        assert second.tick(t("2026-03-31T09:00:00+01:00")).transitions == ()


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path, book: charter_rules.CompiledRulebook) -> None:
    path = tmp_path / "not-a-store.sqlite"
    path.write_text("hello, this is text")
    with pytest.raises(MonitorError, match="not a monitor store"):
        Monitor(path, book=book, escalations=False, matcher="python")


class _FailingMatcher:
    name = "failing"

    def __init__(self) -> None:
        self.fail = True

    def match(self, facts: Sequence[Mapping[str, Any]]) -> list[tuple[int, str]]:
        if self.fail:
            raise MonitorError("matcher unavailable")
        return []

    def take_incidents(self) -> list[str]:
        return []

    def close(self) -> None:
        return None


def test_a_failed_escalation_match_records_nothing_so_the_input_can_be_sent_again(
        book: charter_rules.CompiledRulebook, escalations: EscalationBook) -> None:
    matcher = _FailingMatcher()
    with Monitor(":memory:", book=book, escalations=escalations, matcher=matcher) as monitor:
        with pytest.raises(MonitorError, match="matcher unavailable"):
            monitor.put_case(crime("CR-1", "2026-03-30T09:00:00+01:00", ENHANCED_FACTS))
        assert monitor.case_ids() == []
        matcher.fail = False
        monitor.put_case(crime("CR-1", "2026-03-30T09:00:00+01:00", ENHANCED_FACTS))
        matcher.fail = True
        with pytest.raises(MonitorError):
            monitor.post("CR-1", ARREST)
        assert monitor.snapshot("CR-1").events == []
        with pytest.raises(MonitorError):
            monitor.tick(t("2026-04-20T09:00:00+01:00"))
        assert monitor.clock is None
        matcher.fail = False
        assert monitor.post("CR-1", ARREST).transitions
        assert monitor.tick(t("2026-04-20T09:00:00+01:00")).transitions


def test_held_obligations_equal_a_batch_evaluation(monitor: Monitor) -> None:
    monitor.put_case(crime("CR-1", "2026-03-30T09:00:00+01:00", ENHANCED_FACTS))
    monitor.post("CR-1", ARREST)
    moment = t("2026-04-09T12:00:00+01:00")
    monitor.tick(moment)
    snapshot = charter_rules.parse_snapshot(crime("CR-1", "2026-03-30T09:00:00+01:00", ENHANCED_FACTS, [ARREST]),
                                            monitor.book)
    assert monitor.obligations("CR-1") == held_state(evaluate(monitor.book, snapshot, as_of=moment))
    assert monitor.evaluation("CR-1").obligations == evaluate(monitor.book, snapshot,
                                                              as_of=monitor.case_as_of("CR-1")).obligations


def test_remove_case_forgets_it(monitor: Monitor) -> None:
    monitor.put_case(foi("FOI-1", "2026-03-26T10:00:00+00:00"))
    assert monitor.remove_case("FOI-1")
    assert monitor.case_ids() == [] and monitor.next_wake() is None
    assert not monitor.remove_case("FOI-1")


def test_monitor_is_exported_from_the_package() -> None:
    assert charter_rules.Monitor is Monitor
    assert "Monitor" in charter_rules.__all__


def test_the_default_matcher_is_chosen_automatically(book: charter_rules.CompiledRulebook) -> None:
    from charter_rules.live import durable_importable

    with Monitor(":memory:", book=book) as monitor:
        assert monitor.matcher.name == ("durable" if durable_importable() else "python")
    with Monitor(":memory:", book=book, escalations=False) as monitor:
        assert monitor.escalations.escalations == ()
    with Monitor(":memory:", book=book, matcher="python") as monitor:
        assert isinstance(monitor.matcher, PythonMatcher)


def test_bundled_escalation_rules_load(book: charter_rules.CompiledRulebook) -> None:
    loaded = load_escalations(book)
    assert {e.id for e in loaded.escalations} >= {"vcop-notice-overdue-enhanced", "case-three-overdue",
                                                  "foi-day-15-reminder"}
    assert loaded.milestones == {"foi-response": (15,)}


def test_batch_groups_calls_in_one_transaction(monitor: Monitor) -> None:
    with monitor.transaction():
        monitor.put_case(foi("FOI-1", "2026-03-26T10:00:00+00:00"))
        with pytest.raises(MonitorError):  # a failing call inside undoes itself only
            monitor.post("FOI-1", {"type": "foi_response_sent", "at": "2026-04-01T10:00:00+01:00"})
        with pytest.raises(SnapshotError):
            monitor.put_case(foi("FOI-2", "not a time"))
        monitor.put_case(foi("FOI-3", "2026-03-27T10:00:00+00:00"))
    assert monitor.case_ids() == ["FOI-1", "FOI-3"]
    with pytest.raises(RuntimeError):
        with monitor.transaction():
            monitor.post("FOI-1", {"id": "r1", "type": "foi_response_sent", "at": "2026-04-01T10:00:00+01:00"})
            monitor.put_case(foi("FOI-4", "2026-03-28T10:00:00+00:00"))
            raise RuntimeError("the caller gives up")
    assert monitor.case_ids() == ["FOI-1", "FOI-3"]  # all undone
    assert monitor.snapshot("FOI-1").events == []
    assert monitor.post("FOI-1", {"id": "r1", "type": "foi_response_sent",
                                  "at": "2026-04-01T10:00:00+01:00"}).transitions


def test_a_store_written_under_other_settings_is_refused_naming_the_setting(
        tmp_path: Path, book: charter_rules.CompiledRulebook) -> None:
    # the same files read with another interpretation setting give other verdicts: the stored state no longer holds
    path = tmp_path / "monitor.sqlite"
    with Monitor(path, book=book, escalations=False, matcher="python") as first:
        first.put_case(foi("FOI-1", "2026-03-26T10:00:00+00:00"))
    other = book.with_settings({"ico_roll_forward_holidays": "any_part_of_uk"})
    with pytest.raises(MonitorError) as refused:
        Monitor(path, book=other, escalations=False, matcher="python")
    message = str(refused.value)
    assert "the interpretation settings changed" in message and "ico_roll_forward_holidays" not in message
    setting = next(s for s in other.settings if s.id == "ico_roll_forward_holidays")
    assert f"'{setting.title}' was" in message and f"now '{setting.value_title}'" in message
    with Monitor(path, book=other, escalations=False, matcher="python", accept_rule_changes=True) as second:
        assert second.next_wake() == t("2026-03-26T10:00:00+00:00")  # every case is due for re-evaluation
    Monitor(path, book=other, escalations=False, matcher="python").close()  # once accepted, they are the store's own
    with pytest.raises(MonitorError, match="interpretation settings changed"):  # and the defaults are now the change
        Monitor(path, book=book, escalations=False, matcher="python")
