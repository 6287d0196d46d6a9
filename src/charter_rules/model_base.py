"""What every rule-book file model shares: strictness, name patterns, references and the kinds of duty."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RULE_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Reference(Strict):
    title: str = Field(description="Citation a person can look up, e.g. 'Freedom of Information Act 2000, s.10(1)'.")
    href: str | None = Field(default=None, description="Link to the source.")
    note: str | None = None


DutyName = Literal["statutory", "statutory_guidance", "charter", "local_standard"]
DUTY_DESCRIPTION = (
    "Kind of duty: statutory (law), statutory_guidance (e.g. the Victims' Code, ICO or IOPC statutory guidance), "
    "charter (a promise of the force's charter) or local_standard (the force's own standard, or this rule book's "
    "reading of an imprecise term)."
)
