"""The rule book's shared files: parameters (with dated values), interpretation settings, the vocabulary of case
kinds, facts and events, named definitions and calendars. The rule files themselves are in ``model.py``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Callable, Literal, Mapping, Union

from pydantic import Field, field_validator, model_validator

from .condition_syntax import Condition
from .model_base import DUTY_DESCRIPTION, NAME_PATTERN, DutyName, Reference, Strict


# --- parameters, vocabulary, definitions, calendars -------------------------------------------------------------


ParameterValue = Union[int, float, str, list[str]]


class DatedValue(Strict):
    """A parameter's value from a date on (until the next dated value)."""

    from_: dt.date = Field(alias="from", description="The day the value comes into force.")
    value: ParameterValue


class Parameter(Strict):
    """A number (or list) taken from law or policy, with where it comes from and how sure we are."""

    title: str
    value: ParameterValue | None = Field(default=None, description="The value, if it has never changed.")
    values: list[DatedValue] = Field(
        default_factory=list, description="Or the values with the dates they came into force, oldest first: a change "
                                          "in the law is one dated line. The value in force on the day is used.")
    unit: str | None = None
    source: Reference
    source_tag: Literal["S1", "S2", "R", "I"] = Field(
        description="S1 primary source read; S2 secondary source; R recalled, unchecked; I inference."
    )
    confidence: Literal["high", "med-high", "medium", "low"]
    last_reviewed: dt.date
    duty: DutyName = Field(description=DUTY_DESCRIPTION)
    note: str | None = None

    @model_validator(mode="after")
    def _one_value_or_dated_values(self) -> "Parameter":
        if (self.value is None) == (not self.values):
            raise ValueError("give either value: or values: [{from: DATE, value: ...}, ...]")
        days = [v.from_ for v in self.values]
        if days != sorted(set(days)):
            raise ValueError("dated values must be in date order, one per date")
        return self

    def value_on(self, day: dt.date | None) -> ParameterValue | None:
        """The value in force on ``day`` (None: the latest); None if the first dated value is later."""
        if not self.values:
            return self.value
        if day is None:
            return self.values[-1].value
        in_force = [v for v in self.values if v.from_ <= day]
        return in_force[-1].value if in_force else None

    def in_force_from(self, day: dt.date | None) -> dt.date | None:
        """The date the value in force on ``day`` came into force (None for an undated value)."""
        in_force = [v for v in self.values if day is None or v.from_ <= day]
        return in_force[-1].from_ if in_force else None


class ParametersFile(Strict):
    parameters: dict[str, Parameter]


class SettingChoice(Strict):
    """One answer to a setting's question, with why someone would choose it."""

    title: str
    explanation: str
    sources: list[Reference] = Field(default_factory=list)


class Setting(Strict):
    """An interpretation choice the sources leave open, chosen per run (``--setting id=value``)."""

    id: str = Field(pattern=NAME_PATTERN)
    title: str
    question: str = Field(description="The question the setting answers, in plain words.")
    default: str = Field(description="The choice used unless another is given.")
    choices: dict[str, SettingChoice] = Field(min_length=2)

    @model_validator(mode="after")
    def _default_is_a_choice(self) -> "Setting":
        if self.default not in self.choices:
            raise ValueError(f"default {self.default!r} is not one of the choices ({', '.join(self.choices)})")
        return self


class SettingsFile(Strict):
    """Interpretation settings (rules/settings.yaml): conditions test them with {setting: id, equals: value}."""

    settings: list[Setting] = Field(default_factory=list)

    @field_validator("settings")
    @classmethod
    def _ids_unique(cls, settings: list[Setting]) -> list[Setting]:
        seen: set[str] = set()
        for setting in settings:
            if setting.id in seen:
                raise ValueError(f"setting {setting.id!r} is listed twice")
            seen.add(setting.id)
        return settings

    def by_id(self) -> dict[str, Setting]:
        return {s.id: s for s in self.settings}


FieldType = Literal["string", "integer", "number", "boolean", "date", "datetime", "string_list"]


class FieldSpec(Strict):
    type: FieldType
    description: str
    title: str | None = Field(default=None, description="A short plain-English name people read instead of the name "
                                                        "(reports, docs, explanations).")
    required: bool = False
    enum: list[str] | None = None
    minimum: int | None = None
    maximum: int | None = None
    personal: bool = Field(default=False, description="Holds personal data: kept out of reports with --redact.")

    def label(self, name: str) -> str:
        """The title, or the name in plain words (``includes_officer_contact`` -> ``includes officer contact``)."""
        return self.title or name.replace("_", " ")

    def python_type(self, types: Mapping[str, Any], bounds: Callable[[int | None, int | None], Any]) -> Any:
        """The type of this field for a validation library: ``types`` maps each field type to that library's type,
        ``bounds(minimum, maximum)`` makes its range constraint. The case-snapshot model (pydantic) and the fast
        case decoder (msgspec) both take their field types from here, so they cannot drift apart."""
        base: Any = Literal[tuple(self.enum)] if self.enum else types[self.type]  # type: ignore[valid-type]
        if self.type in ("integer", "number") and (self.minimum is not None or self.maximum is not None):
            base = Annotated[base, bounds(self.minimum, self.maximum)]
        return base

    @model_validator(mode="after")
    def _numbers_bounded(self) -> "FieldSpec":
        # a number without bounds lets one record carry 10**30 into deadlines, reports and digests
        if self.type in ("integer", "number") and (self.minimum is None or self.maximum is None):
            raise ValueError(f"a field of type {self.type} needs both a minimum and a maximum")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError(f"minimum {self.minimum} is more than maximum {self.maximum}")
        return self


class EventSpec(Strict):
    title: str
    description: str
    fields: dict[str, FieldSpec] = Field(default_factory=dict)


class CaseKindSpec(Strict):
    title: str
    description: str


class VocabularyFile(Strict):
    """The words case data may use: case kinds, facts and event types (extend it without code)."""

    case_kinds: dict[str, CaseKindSpec]
    facts: dict[str, FieldSpec]
    events: dict[str, EventSpec]


class Definition(Strict):
    title: str
    description: str
    condition: Condition
    references: list[Reference] = Field(default_factory=list)


class DefinitionsFile(Strict):
    definitions: dict[str, Definition]


class CalendarSpec(Strict):
    title: str
    subdivisions: list[Literal["ENG", "WLS", "SCT", "NIR"]] = Field(min_length=1)
    description: str


class OverrideSpec(Strict):
    date: dt.date
    subdivisions: list[Literal["ENG", "WLS", "SCT", "NIR"]] = Field(min_length=1)
    action: Literal["add", "remove"]
    name: str
    source: str


class CalendarsFile(Strict):
    known_through: dt.date = Field(description="Last date for which one-off bank holidays are known.")
    source: str
    calendars: dict[str, CalendarSpec]
    overrides: list[OverrideSpec] = Field(default_factory=list)
