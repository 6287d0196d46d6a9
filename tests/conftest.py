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

# Text output is laid out at the width it gets in a CI log (120 columns, see output_width), whatever runs the
# tests: a terminal would give its own width, and pytest-xdist's workers set COLUMNS=80. Tests of other widths set
# COLUMNS themselves.
os.environ["COLUMNS"] = "120"


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



# Test files whose tests share a costly fixture (the documentation site built and opened in Chromium; a page of every
# timeline picture measured in Chromium at two widths): they run first, so that under pytest-xdist (`-n auto`, each
# file whole in one worker, in the order collected: see pyproject.toml) one worker starts on each at once while the
# other files are shared out, rather than one of them starting last and running alone.
COSTLY_FIRST = ("test_docs_site.py", "test_timeline_pictures.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.name not in COSTLY_FIRST)  # a stable sort: the order is otherwise kept
