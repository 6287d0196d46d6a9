"""Additions to the rule language made for the rule book: each is tested on its own, with hand-worked dates."""

from __future__ import annotations

from types import SimpleNamespace

from charter_rules.predicates import FactTest


def _case(**facts: object) -> SimpleNamespace:
    return SimpleNamespace(facts=SimpleNamespace(**facts))


def test_nothing_is_in_an_empty_list_even_when_the_fact_is_missing() -> None:
    # a parameter list may be empty (e.g. no offence needs consent before a referral); a missing fact cannot be in it
    assert FactTest("offence_category", "in", ()).test(_case(offence_category=None), None) is False  # type: ignore[arg-type]
    assert FactTest("offence_category", "not_in", ()).test(_case(offence_category=None), None) is True  # type: ignore[arg-type]


def test_a_missing_fact_is_still_unknown_against_a_non_empty_list() -> None:
    assert FactTest("offence_category", "in", ("burglary",)).test(_case(offence_category=None), None) is None  # type: ignore[arg-type]
    assert FactTest("offence_category", "in", ("burglary",)).test(_case(offence_category="burglary"), None) is True  # type: ignore[arg-type]
