"""The schema of the rule book: what a rule, parameter, vocabulary, definition and calendar file may say.

These pydantic models *are* the rule-file format: ``charter-rules schema rules`` prints them as JSON Schema and the
documentation site is generated from their descriptions. Every model forbids unknown keys, so a misspelt key is an
error that names the file and line, never silently ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Union

from pydantic import AwareDatetime, ConfigDict, Field, field_validator, model_validator

from .condition_syntax import Condition, ParamRef
from .rule_forms import effective_versions
from .model_files import (  # the shared files' models, named here too: the format is described from this module
    ParameterValue,
    DatedValue,
    Parameter,
    ParametersFile,
    SettingChoice,
    Setting,
    SettingsFile,
    FieldType,
    FieldSpec,
    EventSpec,
    CaseKindSpec,
    VocabularyFile,
    Definition,
    DefinitionsFile,
    CalendarSpec,
    OverrideSpec,
    CalendarsFile,
)
from .model_base import DUTY_DESCRIPTION, NAME_PATTERN, RULE_ID_PATTERN, DutyName, Reference, Strict
from .units import PeriodUnit, Unit


class FactRef(Strict):
    """A count taken from a case fact, e.g. the update interval agreed with the victim."""

    fact: str = Field(description="Name of an integer case fact.")


Count = Union[int, ParamRef, FactRef]


# --- rule files -------------------------------------------------------------------------------------------------


class CharterQuote(Strict):
    section: str = Field(description="Anchor of the charter section (its heading in lower-case-hyphen form).")
    quote: str = Field(description="The charter sentence, word for word.")


class Period(Strict):
    """A stretch of time that places the start of an obligation, e.g. 12 calendar months after a complaint is made.

    The start is the beginning (midnight in London) of the day this long after the day of the moment it is counted
    from: for calendar days, that day plus ``count``; for calendar months, the corresponding date ``count`` months on
    (when it does not exist, ``short_month`` decides). So a period of 12 months beginning with 1 March 2026 has ended
    when 1 March 2027 begins.
    """

    count: Union[int, ParamRef] = Field(description="How many units: a number or {param: name}.")
    unit: PeriodUnit
    short_month: Literal["last_day_of_month", "first_day_of_next_month"] | None = Field(
        default=None,
        description=(
            "Calendar months only: where the start falls when the corresponding date does not exist (a period "
            "beginning with 31 August and 6 months long ends with the last day of February, so the next starts on "
            "1 March: first_day_of_next_month). Required for months, refused otherwise."
        ),
    )

    @model_validator(mode="after")
    def _short_month_fits_unit(self) -> "Period":
        if self.unit == "calendar_months" and self.short_month is None:
            raise ValueError("a period in calendar_months must state short_month (last_day_of_month or "
                             "first_day_of_next_month)")
        if self.unit != "calendar_months" and self.short_month is not None:
            raise ValueError("short_month only applies to calendar_months")
        return self


class Trigger(Strict):
    """What starts the clock: the case being received, an event, or the breach of another rule."""

    case_received: bool | None = Field(default=None, description="The clock starts when the case is received.")
    event: str | None = Field(default=None, description="Event type whose every occurrence starts an obligation.")
    where: Condition | None = Field(default=None, description="Only events whose fields match this condition.")
    breach_of: str | None = Field(default=None, description="Rule id: starts when an obligation of it goes overdue.")
    starts_after: Period | None = Field(
        default=None,
        description=(
            "The obligation starts only this long after the trigger (e.g. a report owed once an investigation has "
            "run for 12 months). Until then it is not applicable, with the start date as its next change; an "
            "ending event before the start means it never starts. Satisfying events count from the start."
        ),
    )

    @model_validator(mode="after")
    def _one_source(self) -> "Trigger":
        given = [name for name in ("case_received", "event", "breach_of") if getattr(self, name)]
        if len(given) != 1:
            raise ValueError("a trigger needs exactly one of case_received: true, event: <type>, breach_of: <rule id>")
        if self.where is not None and not self.event:
            raise ValueError("'where' is only allowed with 'event'")
        return self


class Satisfaction(Strict):
    """What meets the obligation: an event of a type, matching conditions, at or after the trigger."""

    event: str | list[str] = Field(description="Event type (or types) that can satisfy the obligation.")
    where: Condition | None = Field(default=None, description="Conditions on the satisfying event's fields.")
    same_as_trigger: list[str] = Field(
        default_factory=list,
        description="Fields that must be equal on the satisfying and the triggering event (e.g. suspect).",
    )
    description: str = Field(description="Plain-English name of what satisfies it, e.g. 'the victim is told'.")

    @property
    def event_types(self) -> tuple[str, ...]:
        return (self.event,) if isinstance(self.event, str) else tuple(self.event)


class Deadline(Strict):
    """How long there is, on which calendar, counted how. Every convention is stated, none is implied."""

    count: Count = Field(description="How many units: a number, {param: name} or {fact: name}.")
    unit: Unit
    calendar: str = Field(
        default="england_and_wales",
        description="Calendar from rules/calendars.yaml whose non-working days are skipped or rolled over.",
    )
    day_one: Literal["trigger_day", "day_after_trigger"] = Field(
        default="day_after_trigger",
        description=(
            "Which day is day 1. For working days, day 1 is the first working day on or after it; "
            "for calendar months the deadline is the date corresponding to day 1 that many months later."
        ),
    )
    if_due_on_non_working_day: Literal["roll_forward", "keep"] = Field(
        default="keep",
        description="For calendar days and months: move a deadline that lands on a non-working day to the next working day.",
    )
    short_month: Literal["last_day_of_month", "first_day_of_next_month"] | None = Field(
        default=None,
        description="Calendar months only: what 31 January + 1 month means. Required for months, refused otherwise.",
    )
    long_deadline_reason: str | None = Field(
        default=None,
        description="Why a deadline longer than about 5 years is right, with its source (required for one).",
    )

    @model_validator(mode="after")
    def _conventions_fit_unit(self) -> "Deadline":
        if self.unit == "calendar_months" and self.short_month is None:
            raise ValueError(
                "a deadline in calendar_months must say what happens when the corresponding day does not exist "
                "(31 January + 1 month): add short_month: last_day_of_month or first_day_of_next_month"
            )
        if self.unit != "calendar_months" and self.short_month is not None:
            raise ValueError("short_month only applies to calendar_months")
        if self.unit in ("working_days", "hours") and self.if_due_on_non_working_day != "keep":
            raise ValueError(f"if_due_on_non_working_day has no meaning for {self.unit}; leave it out")
        return self


class DeadlineChange(Strict):
    """A change to the deadline made by a variant or an extension; unset fields keep the base deadline's value."""

    count: Count | None = None
    unit: Unit | None = None
    calendar: str | None = None
    day_one: Literal["trigger_day", "day_after_trigger"] | None = Field(
        default=None, description="Which day is day 1, if different from the base deadline.")
    if_due_on_non_working_day: Literal["roll_forward", "keep"] | None = Field(
        default=None, description="For calendar days and months: roll forward or keep, if different from the base.")


class Lapse(Strict):
    """How long a pause may last before the obligation ends (e.g. FOIA s.9(2): three months from the fees notice)."""

    count: Union[int, ParamRef] = Field(description="How many units: a number or {param: name}.")
    unit: Unit


class Pause(Strict):
    """The clock stops between two events (e.g. FOIA s.10(2): fees notice given until fee received).

    With ``lapses_after``, a pause still unfinished that long after it began ends the obligation at that moment: it
    is no longer owed, and an event that would have ended the pause later restarts nothing.
    """

    from_: str = Field(alias="from", description="Event type that stops the clock.")
    until: str = Field(description="Event type that starts it again.")
    include_from_day: bool = Field(default=True, description="The day the clock stops is not counted.")
    include_until_day: bool = Field(default=True, description="The day the clock starts again is not counted.")
    reason: str = Field(description="Plain-English reason with its source.")
    when: Condition | None = Field(
        default=None,
        description="The pause applies only in cases where this holds (usually a {setting: ..} test).",
    )
    lapses_after: Lapse | None = Field(
        default=None,
        description=(
            "If the pause is still unfinished this long after it began, the obligation ends then (not applicable, "
            "with the lapse date and the law); a later event that would have ended the pause restarts nothing."
        ),
    )
    lapse_reason: str | None = Field(default=None, description="Plain-English reason for the lapse, citing the law.")
    during_extension: bool = Field(
        default=False,
        description=(
            "The pause also stops the clock when it begins after the original deadline but by an extended one (the "
            "law leaves out those days from the time allowed, extended or not). Otherwise only a pause that begins "
            "by the original deadline counts."
        ),
    )

    @model_validator(mode="after")
    def _lapse_has_reason(self) -> "Pause":
        if self.lapses_after is not None and not self.lapse_reason:
            raise ValueError("a pause with lapses_after needs lapse_reason: the law that ends the obligation")
        if self.lapses_after is None and self.lapse_reason is not None:
            raise ValueError("lapse_reason only applies with lapses_after")
        return self


class Restart(Strict):
    """The clock starts again from this event (e.g. FOIA s.1(3)/s.10(6)(b): clarification received).

    A restart applies only if its event happens while the deadline is still running (before the moment the running
    deadline is breached, the end of the due day); a restart at or after that moment leaves the breach standing, as
    an answer sent at that moment would be late.
    """

    on: str
    where: Condition | None = None
    only_after: str | None = Field(
        default=None,
        description=(
            "An event type: the restart counts only when an event of this type was recorded before it, after the "
            "clock first started (the force asking for what has now arrived: FOIA s.1(3), DPA 1998 s.7(3), UK GDPR "
            "Art 12(6) restart the time only for information the force asked for). Without one, the event restarts "
            "nothing, and the explanation says so."
        ),
    )
    reason: str


class Extension(Strict):
    """This event extends the deadline to a new total length, counted from the same start."""

    on: str
    where: Condition | None = None
    to: DeadlineChange
    only_if_before_deadline: bool = Field(
        default=True, description="The extension only counts if the event comes by the original deadline."
    )
    reason: str


class Clock(Strict):
    pauses: list[Pause] = Field(default_factory=list)
    restarts: list[Restart] = Field(default_factory=list)
    extensions: list[Extension] = Field(default_factory=list)


class Waiver(Strict):
    """When the obligation stops being owed (e.g. the victim asked not to be referred).

    A waiver acts from its moment: the time of the earliest event that made its condition true (a condition on
    facts alone is true from the start). What was already overdue by then stays a breach, what was already met
    stays met, and only what was still owed becomes waived. ``takes_effect: from_start`` makes it apply from the
    start, where the law says so (give the reason in ``reason``).
    """

    name: str = Field(pattern=NAME_PATTERN)
    when: Condition
    reason: str
    takes_effect: Literal["at_its_moment", "from_start"] = Field(
        default="at_its_moment",
        description="at_its_moment (the default): from the moment the condition became true; from_start: as if it "
                    "had held from the start, where the law makes the exception apply from the start.",
    )


class Variant(Strict):
    """A different deadline for some cases (e.g. enhanced rights: 1 working day instead of 5)."""

    name: str = Field(pattern=NAME_PATTERN)
    when: Condition
    deadline: DeadlineChange
    reason: str


class Recurrence(Strict):
    """The obligation repeats until an ending event.

    Without ``every``, each satisfying event starts the next occurrence (updates at an agreed interval: the clock
    runs from the last update), and an occurrence still unmet ends the series for now. With ``every``, occurrences
    follow a fixed schedule: each starts that long after the previous one started, met or not (reports after 12
    months and then after each further 6 months).
    """

    ends_on: list[Condition] = Field(
        default_factory=list, description="Event conditions; the first that happens ends the series."
    )
    resumes_on: list[Condition] = Field(
        default_factory=list,
        description=(
            "Event conditions; after the series has ended, the first that happens starts it again, as the event "
            "that first started it did (an investigation closed and then reopened). What was ended stays ended."
        ),
    )
    every: Period | None = Field(
        default=None,
        description=(
            "Fixed schedule: the next occurrence starts this long after the previous one started, whether or not "
            "the previous one was met. Occurrences that would start after the as-of moment are not listed."
        ),
    )
    description: str = Field(description="Plain-English statement of the repetition.")


class AtRisk(Strict):
    """When an open obligation becomes at risk: this many units before it is due."""

    before: int = Field(ge=0)
    unit: Unit


def _inheriting_version_schema(schema: dict[str, Any]) -> None:
    """The JSON Schema of a version, two ways: one that says ``inherits: previous`` needs only ``valid_from`` and
    what changes (a mapping given there is merged into the previous version's, so it may be partial), and one that
    does not inherit needs every required key. Editors that check rule files against the schema then accept both."""
    required = schema.pop("required", [])
    properties = schema.pop("properties", {})
    schema.pop("additionalProperties", None)
    exact = ("valid_from", "valid_to", "inherits", "change_note", "duty")
    loose = {name: prop if name in exact else {"description": prop.get("description", "As in the version before.")}
             for name, prop in properties.items()}
    schema["if"] = {"required": ["inherits"], "properties": {"inherits": {"const": "previous"}}}
    schema["then"] = {"properties": loose, "required": ["valid_from", "inherits"], "additionalProperties": False}
    schema["else"] = {"properties": properties, "required": required, "additionalProperties": False}


class RuleVersion(Strict):
    """The rule as it stood for obligations triggered between ``valid_from`` and ``valid_to`` (inclusive)."""

    model_config = ConfigDict(json_schema_extra=_inheriting_version_schema)

    valid_from: dt.date
    valid_to: dt.date | None = None
    duty: DutyName = Field(
        description=DUTY_DESCRIPTION + " An obligation's kind of duty is the weaker of this and the kind of the "
        "parameter that sets its deadline count.",
    )
    change_note: str | None = Field(default=None, description="What changed in this version, and why.")
    inherits: Literal["previous"] | None = Field(
        default=None, description="State only what changes: every other key is that of the version listed before "
                                  "(mappings merged key by key, lists replaced whole, null removes a key).")
    applies_when: Condition | None = Field(default=None, description="Who the obligation is owed to.")
    trigger: Trigger
    satisfied_by: Satisfaction
    deadline: Deadline
    clock: Clock = Field(default_factory=Clock)
    waived_when: list[Waiver] = Field(default_factory=list)
    variants: list[Variant] = Field(default_factory=list)
    recurrence: Recurrence | None = None
    at_risk: AtRisk | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> "RuleVersion":
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        return self


class ExpectedObligation(Strict):
    """One obligation a worked example expects; only the fields given are checked."""

    rule: str | None = Field(default=None, description="Rule id; defaults to the rule the example belongs to.")
    instance: int | None = None
    state: str | None = None
    timeliness: str | None = None
    status: str | None = None
    due: dt.date | None = None
    due_at: AwareDatetime | None = None
    satisfied_by: str | None = Field(default=None, description="Id of the event expected to satisfy it.")
    variant: str | None = None
    waiver: str | None = None
    missing_facts: list[str] | None = None
    next_change: AwareDatetime | None = None
    version: dt.date | None = None


class Example(Strict):
    """A worked example: a small case, a moment, and what the rule must say about it."""

    name: str = Field(description="A sentence saying what is being shown.")
    as_of: AwareDatetime = Field(description="The moment to evaluate at, with a UTC offset.")
    case: dict[str, Any] = Field(description="A case snapshot (see the case-data page).")
    expect: list[ExpectedObligation] = Field(min_length=1)
    note: str | None = Field(default=None, description="How the expected dates were worked out by hand.")
    settings: dict[str, str] = Field(
        default_factory=dict,
        description="Interpretation settings the example is worked under ({id: value}); the others as the run chose.",
    )


class LawCounterpart(Strict):
    """For a charter rule: the rule that encodes what the law requires of the same duty.

    ``charter-rules lint`` evaluates both rules on sample cases received on every day of a year and reports where the
    charter's deadline is later than the law's, and where it matches an expired version of the law (an obsolete
    standard).
    """

    rule: str = Field(description="Id of the rule encoding the law.")
    situation: str = Field(description="The sample cases in plain words, e.g. 'a request under UK GDPR'.")
    facts: dict[str, Any] = Field(
        default_factory=dict, description="Facts of the sample cases, chosen so that both rules apply."
    )
    advice: str = Field(description="What a policy officer should do where the charter promises less than the law.")


class Rule(Strict):
    """One commitment of the charter or one duty in law, in one file under rules/commitments/."""

    id: str = Field(pattern=RULE_ID_PATTERN, description="Stable id; equals the file name without .yaml.")
    title: str
    summary: str = Field(description="One or two plain-English sentences a victim would understand.")
    basis: Literal["charter", "law", "charter_and_law"] = Field(
        description="Whether the duty comes from the charter, from law, or from both."
    )
    case_kinds: list[str] = Field(min_length=1, description="Kinds of case the rule can apply to.")
    charter: list[CharterQuote] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    parameters: list[str] = Field(default_factory=list, description="Parameters the rule reads (checked).")
    confidence_note: str | None = Field(default=None, description="Where the source is uncertain, say so here.")
    information_only: bool = Field(
        default=False,
        description=(
            "The time limit binds someone other than the force (e.g. a complainant's 28 days to apply for a review). "
            "Its obligations show the window while it is open; once it has closed, or if the event came after it, "
            "the obligation is not applicable with the reason, never overdue or late."
        ),
    )
    law_counterparts: list[LawCounterpart] = Field(
        default_factory=list,
        description="For a charter rule: the rules encoding the law on the same duty, compared by charter-rules lint.",
    )
    versions: list[RuleVersion] = Field(min_length=1)
    examples: list[Example] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _complete_inheriting_versions(cls, data: Any) -> Any:
        if isinstance(data, dict) and "versions" in data:
            versions = data["versions"]
            if isinstance(versions, list) and versions and isinstance(versions[0], dict) and versions[0].get("inherits"):
                raise ValueError("the first version has no version before it to inherit from; remove 'inherits'")
            data = {**data, "versions": effective_versions(versions)}
        return data

    @field_validator("versions")
    @classmethod
    def _versions_do_not_overlap(cls, versions: list[RuleVersion]) -> list[RuleVersion]:
        ordered = sorted(versions, key=lambda v: v.valid_from)
        for earlier, later in zip(ordered, ordered[1:]):
            if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                raise ValueError(
                    f"versions overlap: the one from {earlier.valid_from} has no valid_to before {later.valid_from}; "
                    f"set its valid_to to the day before"
                )
        return ordered
