"""Fixtures for the live monitor: the bundled escalation rules, matchers, and small case builders."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

import pytest

import charter_rules
from charter_rules.live import Monitor, PythonMatcher, durable_importable, load_escalations
from charter_rules.live.escalation import EscalationBook

needs_durable = pytest.mark.skipif(not durable_importable(), reason="durable-rules is not installed here")


@pytest.fixture(scope="session")
def escalations(book: charter_rules.CompiledRulebook) -> EscalationBook:
    return load_escalations(book)


@pytest.fixture(scope="module")
def durable_matcher(escalations: EscalationBook) -> Iterator[Any]:
    if not durable_importable():
        pytest.skip("durable-rules is not installed here")
    from charter_rules.live.durable_adapter import DurableMatcher

    matcher = DurableMatcher(escalations)
    yield matcher
    matcher.close()


@pytest.fixture()
def monitor(book: charter_rules.CompiledRulebook, escalations: EscalationBook) -> Iterator[Monitor]:
    with Monitor(":memory:", book=book, escalations=escalations, matcher=PythonMatcher(escalations)) as m:
        yield m


def t(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


ENHANCED_FACTS = {"offence_category": "domestic_abuse", "victim_age_at_offence": 30, "victim_is_business": False}
PLAIN_FACTS = {
    "offence_category": "burglary", "victim_age_at_offence": 45, "victim_vulnerable": False,
    "victim_intimidated": False, "victim_persistently_targeted": False, "bereaved_family": False,
    "victim_is_business": False,
}


def crime(case_id: str, received: str, facts: dict[str, Any], events: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"case_id": case_id, "kind": "crime_report", "received_at": received, "facts": facts, "events": events or []}


def foi(case_id: str, received: str) -> dict[str, Any]:
    return {"case_id": case_id, "kind": "foi_request", "received_at": received}


def of_rule(transitions: Any, rule_id: str) -> list[tuple[str, dt.datetime]]:
    """(kind, moment) of the transitions of one rule, in order."""
    return [(tr.kind.value, tr.at) for tr in transitions if tr.rule_id == rule_id]
