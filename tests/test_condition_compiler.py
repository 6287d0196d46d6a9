"""One compiler of the condition language for rules, definitions and escalation rules, and one way to walk the
compiled condition."""

from __future__ import annotations

from pathlib import Path

import pytest

import charter_rules as cr
from charter_rules.docgen.condition_words import definitions_used, facts_used
from charter_rules.live import load_escalations
from charter_rules.predicates import FactTest, Named, describe, walk

from .test_errors import edit

RULE = "commitments/vcop-support-referral.yaml"
ESCALATION = """\
id: bad-rule
title: Something happened
on: [overdue]
notify: [officer_in_charge]
when: {when}
"""


@pytest.mark.parametrize("condition, words", [
    ("{fact: victim_age_at_offence, equals: old}", "'old' is not a number"),
    ("{fact: offence_category, less_than: theft}", "less_than orders numbers, dates and times"),
    ("{fact: offence_category, equals: burglry}", "'burglry' is not an allowed value"),
    ("{is: no_such_definition}", "unknown definition 'no_such_definition'"),
    ("{fact: victim_age_at_offence, less_than: {param: no_such_param}}", "unknown parameter 'no_such_param'"),
])
def test_rules_and_escalation_rules_get_the_same_checks(rules_copy, tmp_path: Path, condition: str, words: str):
    edit(rules_copy, RULE, "      not: {fact: victim_is_business, equals: true}", f"      {condition}")
    with pytest.raises(cr.CompileError) as in_rule:
        cr.load_compiled(rules_copy)
    assert words in str(in_rule.value)

    folder = tmp_path / "escalations"
    folder.mkdir()
    (folder / "bad-rule.yaml").write_text(ESCALATION.format(when=condition))
    with pytest.raises(cr.CompileError) as in_escalation:
        load_escalations(cr.default_rulebook(), folder)
    assert words in str(in_escalation.value) and "bad-rule.yaml:5:" in str(in_escalation.value)


LOOP = """
  first_of_a_loop:
    title: First
    description: Refers to the second.
    condition: {is: second_of_a_loop}
  second_of_a_loop:
    title: Second
    description: Refers back to the first.
    condition: {any: [{is: first_of_a_loop}, {fact: victim_is_business, equals: true}]}
"""


def test_a_definition_loop_is_refused_even_if_no_rule_uses_it(rules_copy):
    path = rules_copy / "definitions.yaml"
    path.write_text(path.read_text() + LOOP)
    with pytest.raises(cr.CompileError) as info:
        cr.load_compiled(rules_copy)
    (problem,) = info.value.problems
    assert "definitions refer to each other in a loop: first_of_a_loop -> second_of_a_loop -> first_of_a_loop" \
        in problem.message
    assert problem.path == str(path)


def test_one_walk_finds_definitions_and_facts_through_every_level():
    book = cr.default_rulebook()
    enhanced = book.by_id["vcop-arrest-notice"].versions[-1]
    conditions = [enhanced.applies, *(w.when for w in enhanced.waivers), *(v.when for v in enhanced.variants)]
    names = {p.name for c in conditions for p in walk(c) if isinstance(p, Named)}
    facts = {p.fact for c in conditions for p in walk(c) if isinstance(p, FactTest)}
    used: dict = {}
    found: list = []
    for c in conditions:
        definitions_used(c, used)
        facts_used(c, found)
    assert set(used) == names and "enhanced_rights" in names and "vulnerable_victim" in names
    assert set(found) == facts and len(found) == len(set(found))
    assert describe(enhanced.applies)
