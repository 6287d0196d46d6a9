"""Every worked example in every rule file, one test each, plus the boundaries each rule's examples must cover."""

from __future__ import annotations

import pytest

import charter_rules as cr
from charter_rules.worked_examples import check_example, run_examples

BOOK = cr.default_rulebook()
EXAMPLES = [(rule.id, index, example) for rule in BOOK.rules for index, example in enumerate(rule.source.examples)]


@pytest.mark.parametrize(("rule_id", "index", "example"), EXAMPLES,
                         ids=[f"{rule_id}-{index + 1}" for rule_id, index, _ in EXAMPLES])
def test_worked_example(rule_id, index, example):
    result = check_example(BOOK, rule_id, index, example)
    assert not result.failures, f"{result.label}:\n  " + "\n  ".join(result.failures)
    assert result.checks > 0, f"{result.label} checked nothing"


def _own_expectations(rule):
    return [(example, expect) for example in rule.source.examples for expect in example.expect
            if expect.rule in (None, rule.id)]


def _outcomes(rule) -> set[str]:
    found = set()
    for _, expect in _own_expectations(rule):
        found.update(v for v in (expect.state, expect.timeliness, expect.status) if v)
    return found


@pytest.mark.parametrize("rule", BOOK.rules, ids=lambda r: r.id)
def test_every_rule_has_worked_examples_at_its_boundaries(rule):
    """At least four examples: a due date worked out, met on time, late (or overdue), and not applicable."""
    assert len(rule.source.examples) >= 4, f"{rule.id} has only {len(rule.source.examples)} worked examples"
    outcomes = _outcomes(rule)
    assert any(expect.due for _, expect in _own_expectations(rule)), f"{rule.id}: no example states a due date"
    assert "not_applicable" in outcomes, f"{rule.id}: no example shows when it does not apply"
    if rule.source.information_only:
        return
    assert outcomes & {"on_time", "satisfied"}, f"{rule.id}: no example met on time"
    assert outcomes & {"satisfied_late", "overdue"}, f"{rule.id}: no example that is late or overdue"


@pytest.mark.parametrize("rule", [r for r in BOOK.rules if any(v.waivers for v in r.versions)], ids=lambda r: r.id)
def test_rules_with_waivers_show_one(rule):
    assert "waived" in _outcomes(rule), f"{rule.id} can be waived but no example shows it"


def _variant_names(rule) -> set[str]:
    return {variant.name for version in rule.source.versions for variant in version.variants}


@pytest.mark.parametrize("rule", [r for r in BOOK.rules if _variant_names(r)], ids=lambda r: r.id)
def test_rules_show_every_variant(rule):
    """Every variant, including one chosen by an interpretation setting (its example chooses the setting)."""
    shown = {expect.variant for _, expect in _own_expectations(rule) if expect.variant}
    missing = _variant_names(rule) - shown
    assert not missing, f"{rule.id} has variants no example shows: {sorted(missing)}"


@pytest.mark.parametrize("rule", [r for r in BOOK.rules if any(v.pauses for v in r.versions)], ids=lambda r: r.id)
def test_rules_with_pauses_show_one(rule):
    assert "paused" in _outcomes(rule), f"{rule.id} can pause but no example shows it"


@pytest.mark.parametrize("rule", [r for r in BOOK.rules if len(r.versions) > 1], ids=lambda r: r.id)
def test_rules_with_several_versions_show_each(rule):
    shown = {expect.version for _, expect in _own_expectations(rule) if expect.version}
    for version in rule.versions:
        assert version.valid_from in shown, f"{rule.id}: no example shows the version from {version.valid_from}"


def test_every_example_passes_through_the_runner_too():
    results = run_examples(BOOK)
    assert len(results) == len(EXAMPLES)
    assert all(r.passed for r in results)
