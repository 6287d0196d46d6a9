"""Escalation rule files: every mistake is reported with its file, line and a hint; good files work end to end."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import charter_rules
from charter_rules import CompileError, RulebookError, RuleValidationError
from charter_rules.live import Monitor, PythonMatcher, load_escalations

from .conftest import PLAIN_FACTS, crime, needs_durable, t

GOOD = """\
id: {id}
title: Something happened
on: [overdue]
notify: [officer_in_charge]
"""


def _load(tmp_path: Path, book: charter_rules.CompiledRulebook, text: str, name: str = "bad-rule") -> RulebookError:
    folder = tmp_path / "escalations"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.yaml").write_text(text)
    with pytest.raises(RulebookError) as caught:
        load_escalations(book, folder)
    return caught.value


@pytest.mark.parametrize("body, line, words", [
    ("when: {fact: nope, equals: 1}\n", 5, "unknown fact 'nope'"),
    ("when: {field: colour, equals: red}\n", 5, "transitions have no field 'colour'"),
    ("when: {fact: victim_age_at_offence, equals: old}\n", 5, "'old' is not a number"),
    ("when: {fact: offence_category, less_than: theft}\n", 5, "less_than orders numbers, dates and times"),
    ("when: {fact: offence_category, equals: burglry}\n", 5, "'burglry' is not an allowed value"),
    ("when: {field: rule, equals: no-such-rule}\n", 5, "unknown rule 'no-such-rule'"),
    ("when: {field: due_date, at_most: 2026-13-01}\n", 5, "is not a valid date"),
    ("when: {is: no_such_definition}\n", 5, "unknown definition 'no_such_definition'"),
    ("when: {event: no_such_event}\n", 5, "unknown event type 'no_such_event'"),
    ("when: {fact: victim_age_at_offence, less_than: {param: no_such_param}}\n", 5, "unknown parameter"),
    ("rules: [foi-respons]\n", 5, "unknown rule 'foi-respons'"),
    ("message: 'case $case_id, $nonsense'\n", 5, "unknown or malformed placeholders ['nonsense']"),
])
def test_a_mistake_in_a_condition_names_file_and_line(tmp_path: Path, book: charter_rules.CompiledRulebook,
                                                     body: str, line: int, words: str) -> None:
    error = _load(tmp_path, book, GOOD.format(id="bad-rule") + body)
    assert isinstance(error, CompileError)
    text = str(error)
    assert f"bad-rule.yaml:{line}:" in text and words in text, text


@pytest.mark.parametrize("text, words", [
    (GOOD.format(id="bad-rule").replace("[overdue]", "[late]"), "'late' is not one of 'opened'"),
    (GOOD.format(id="bad-rule").replace("[officer_in_charge]", "[Officer In Charge]"), "is not a role name"),
    (GOOD.format(id="bad-rule") + "working_day: 15\n", "working_day: N needs on: [working_day]"),
    (GOOD.format(id="bad-rule").replace("[overdue]", "[working_day]"), "on: [working_day] goes alone"),
    (GOOD.format(id="other-name"), "differs from the file name"),
    (GOOD.format(id="bad-rule") + "colour: red\n", "unknown key 'colour'"),
])
def test_a_schema_mistake_names_file_and_line(tmp_path: Path, book: charter_rules.CompiledRulebook, text: str,
                                              words: str) -> None:
    error = _load(tmp_path, book, text)
    assert isinstance(error, RuleValidationError)
    assert "bad-rule.yaml:" in str(error) and words in str(error), str(error)


def test_a_duplicate_key_is_a_syntax_error_with_its_line(tmp_path: Path, book: charter_rules.CompiledRulebook) -> None:
    error = _load(tmp_path, book, GOOD.format(id="bad-rule") + "notify: [inspector]\n")
    assert "bad-rule.yaml:5:" in str(error) and "duplicate key 'notify'" in str(error)


def test_a_condition_too_wide_for_the_engine_is_refused_at_load(tmp_path: Path,
                                                                book: charter_rules.CompiledRulebook) -> None:
    wide = "when:\n  all:\n" + "".join(
        f"    - any: [{{fact: victim_age_at_offence, equals: {i}}}, {{fact: victim_vulnerable, equals: true}}]\n"
        for i in range(7))
    error = _load(tmp_path, book, GOOD.format(id="bad-rule") + wide)
    assert "cannot be matched by the durable-rules engine" in str(error)
    assert "split it into several escalation rules" in str(error)


def test_a_missing_directory_given_explicitly_is_an_error(tmp_path: Path, book: charter_rules.CompiledRulebook) -> None:
    with pytest.raises(RuleValidationError, match="not found"):
        load_escalations(book, tmp_path / "nowhere")


CUSTOM = """\
id: referral-overdue-without-opt-out
title: A support referral is overdue and the victim never opted out
on: [overdue]
rules: [vcop-support-referral]
case_kinds: [crime_report]
when:
  all:
    - not: {event: victim_consented_to_referral}
    - {fact: victim_age_at_offence, at_least: 18}
    - {field: status_before, in: [due, at_risk]}
notify: [victim_care_unit]
"""


@pytest.mark.parametrize("matcher", ["python", pytest.param("durable", marks=needs_durable)])
def test_event_fact_and_field_conditions_work_end_to_end(tmp_path: Path, book: charter_rules.CompiledRulebook,
                                                        matcher: str) -> None:
    """Crime received Mon 30 Mar 2026 10:00: the referral (2 working days) is due Wed 1 Apr, late from Thu 2 Apr
    00:00 BST. Case A never consented to referral: told. Case B consented on 31 Mar (but was not referred): not told."""
    folder = tmp_path / "escalations"
    folder.mkdir()
    (folder / "referral-overdue-without-opt-out.yaml").write_text(CUSTOM)
    escalations = load_escalations(book, folder)
    assert escalations.check_props  # the event test is precomputed for the engine
    with Monitor(":memory:", book=book, escalations=escalations, matcher=matcher) as monitor:
        monitor.put_case(crime("A", "2026-03-30T10:00:00+01:00", PLAIN_FACTS))
        monitor.put_case(crime("B", "2026-03-30T10:00:00+01:00", PLAIN_FACTS))
        monitor.post("B", {"id": "c1", "type": "victim_consented_to_referral", "at": "2026-03-31T09:00:00+01:00"})
        update = monitor.tick(t("2026-04-02T09:00:00+01:00"))
    told = [(n.case_id, n.transition.rule_id, n.transition.at, n.recipients) for n in update.notifications]
    assert told == [("A", "vcop-support-referral", t("2026-04-01T23:00:00+00:00"), ("victim_care_unit",))]


def test_the_bundled_files_are_the_ones_documented(tmp_path: Path, book: charter_rules.CompiledRulebook) -> None:
    folder = tmp_path / "escalations"
    shutil.copytree(Path(book.rulebook.root) / "escalations", folder)
    loaded = load_escalations(book, folder)
    assert loaded.fingerprint == load_escalations(book).fingerprint
    assert isinstance(PythonMatcher(loaded).match([]), list)
