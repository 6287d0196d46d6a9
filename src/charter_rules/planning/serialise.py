"""Forecasts and what-ifs as JSON for programs (versioned formats)."""

from __future__ import annotations

from typing import Any

from ..compiled import CompiledRulebook
from ..explain import obligation_dict
from .forecast import Forecast
from .whatif import WhatIf

FORECAST_FORMAT = "charter-rules.forecast/1"
WHAT_IF_FORMAT = "charter-rules.what-if/1"


def forecast_json(result: Forecast, book: CompiledRulebook) -> dict[str, Any]:
    return {
        "format": FORECAST_FORMAT, "case_id": result.case_id, "start": result.start.isoformat(),
        "until": result.until.isoformat(),
        "changes": [{"at": c.at.isoformat(), "rule": c.rule_id, "instance": c.instance, "text": c.text,
                     "before": c.before.status.value if c.before else None, "after": c.after.status.value,
                     "due_date": c.after.due_date.isoformat() if c.after.due_date else None}
                    for c in result.changes],
    }


def what_if_json(result: WhatIf, book: CompiledRulebook) -> dict[str, Any]:
    return {
        "format": WHAT_IF_FORMAT, "case_id": result.case_id, "as_of": result.as_of.isoformat(),
        "edits": [{"add": e.add} if e.add is not None else {"remove": e.remove} for e in result.edits],
        "premise": result.premise, "unaffected": result.unaffected,
        "changes": [{"rule": c.rule_id, "instance": c.instance, "text": c.text,
                     "before": obligation_dict(c.before, book) if c.before else None,
                     "after": obligation_dict(c.after, book) if c.after else None} for c in result.changes],
    }
