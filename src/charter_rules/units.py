"""The units a deadline or period can be counted in: one table, from which the rule-file format, the words in
explanations and documents, and the checks of parameters against the deadlines that use them all derive.

Adding a unit starts here; the deadline arithmetic (``deadlines.py``) then says how to count it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class UnitSpec:
    singular: str
    plural: str
    period: bool  # may place the start of an obligation (a ``period``), not only count to a deadline
    whole_days: bool  # counted in days (working or calendar), so "day one" and non-working days mean something


UNITS: dict[str, UnitSpec] = {
    "working_days": UnitSpec("working day", "working days", period=False, whole_days=True),
    "calendar_days": UnitSpec("calendar day", "calendar days", period=True, whole_days=True),
    "calendar_months": UnitSpec("calendar month", "calendar months", period=True, whole_days=False),
    "hours": UnitSpec("hour", "hours", period=False, whole_days=False),
}

# for the rule-file models (pydantic needs a Literal); tests/test_units.py checks it lists exactly the table's units
Unit = Literal["working_days", "calendar_days", "calendar_months", "hours"]
PeriodUnit = Literal["calendar_days", "calendar_months"]

UNIT_WORDS = {name: (spec.singular, spec.plural) for name, spec in UNITS.items()}


def unit_text(count: int, unit: str) -> str:
    """``20 working days``, ``1 calendar month``."""
    spec = UNITS[unit]
    return f"{count} {spec.singular if count == 1 else spec.plural}"


def unit_plural(unit: str) -> str:
    """``working days``; a unit the table does not know (a parameter's ``years``) in words all the same."""
    spec = UNITS.get(unit)
    return spec.plural if spec else unit.replace("_", " ")
