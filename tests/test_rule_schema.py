"""The JSON Schema of rule files (``charter-rules schema rule``), which editors use to check a rule file as it is
typed: every bundled rule file must pass it, including versions that say ``inherits: previous`` and give only
what changes, and it must still refuse what the loader refuses at the level it can see."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema
import pytest

from charter_rules._yaml import load_yaml_file
from charter_rules.model import Rule
from charter_rules.rulebook import DEFAULT_RULES_DIR

RULE_FILES = sorted((DEFAULT_RULES_DIR / "commitments").glob("*.yaml"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = Rule.model_json_schema(by_alias=True)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _as_json(data: Any) -> Any:
    """The rule file as an editor sees it: YAML dates and times are strings in JSON."""
    return json.loads(json.dumps(data, default=lambda v: v.isoformat() if isinstance(v, (dt.date, dt.time)) else v))


def _problems(validator: jsonschema.Draft202012Validator, data: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(_as_json(data))]


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_every_bundled_rule_file_passes_the_schema(validator, path):
    data, _ = load_yaml_file(path)
    assert _problems(validator, data) == []


def test_the_bundled_rules_use_inheriting_versions(validator):
    # so the test above covers them
    assert any("inherits: previous" in p.read_text(encoding="utf-8") for p in RULE_FILES)


def _rule(*versions: dict[str, Any]) -> dict[str, Any]:
    return {"id": "r", "title": "R", "summary": "S", "basis": "law", "case_kinds": ["foi_request"],
            "versions": list(versions)}


FULL = {"valid_from": "2020-01-01", "valid_to": "2025-12-31", "duty": "statutory",
        "trigger": {"case_received": True}, "satisfied_by": {"event": "foi_response_sent", "description": "answered"},
        "deadline": {"count": 20, "unit": "working_days", "calendar": "england_and_wales"}}


def test_an_inheriting_version_may_give_only_what_changes(validator):
    changed = {"valid_from": "2026-01-01", "inherits": "previous", "deadline": {"count": 15}}
    assert _problems(validator, _rule(FULL, changed)) == []


def test_the_schema_still_refuses_what_it_can_see(validator):
    missing_trigger = {k: v for k, v in FULL.items() if k != "trigger"}
    assert any("'trigger' is a required property" in p for p in _problems(validator, _rule(missing_trigger)))
    no_start = {"inherits": "previous", "deadline": {"count": 15}}
    assert any("'valid_from' is a required property" in p for p in _problems(validator, _rule(FULL, no_start)))
    unknown = {"valid_from": "2026-01-01", "inherits": "previous", "deadlin": {"count": 15}}
    assert any("deadlin" in p for p in _problems(validator, _rule(FULL, unknown)))
    wrong_duty = {"valid_from": "2026-01-01", "inherits": "previous", "duty": "a promise"}
    assert _problems(validator, _rule(FULL, wrong_duty))
