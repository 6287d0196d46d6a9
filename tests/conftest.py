"""Shared fixtures: the bundled rule book, compiled once, and a small case builder."""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

import charter_rules
from charter_rules.rulebook import DEFAULT_RULES_DIR

REPO = Path(__file__).resolve().parents[1]

# The compiled-rule-book cache of this test run (and of the commands it starts): never the user's own.
os.environ["CHARTER_RULES_CACHE"] = tempfile.mkdtemp(prefix="charter-rules-test-cache-")
atexit.register(shutil.rmtree, os.environ["CHARTER_RULES_CACHE"], ignore_errors=True)


@pytest.fixture(scope="session")
def book() -> charter_rules.CompiledRulebook:
    return charter_rules.default_rulebook()


@pytest.fixture()
def rules_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled rule book, for tests that break it on purpose."""
    target = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, target)
    return target


def crime_case(case_id: str = "T-1", received: str = "2026-03-30T09:00:00+01:00", events: list[dict[str, Any]] | None = None,
               **facts: Any) -> dict[str, Any]:
    base_facts = {
        "offence_category": "burglary",
        "victim_age_at_offence": 40,
        "victim_vulnerable": False,
        "victim_intimidated": False,
        "victim_persistently_targeted": False,
        "bereaved_family": False,
        "victim_is_business": False,
    }
    base_facts.update(facts)
    return {"case_id": case_id, "kind": "crime_report", "received_at": received, "facts": base_facts,
            "events": events or []}


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)
