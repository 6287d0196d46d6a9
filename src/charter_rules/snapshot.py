"""Case snapshots: the facts of a case and its dated events, validated against the vocabulary in rules/.

The snapshot model is *built from* rules/vocabulary.yaml, so a force that adds an event type or a fact there gets
validation, JSON Schema and documentation for it without touching code. Every timestamp must carry a UTC offset.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool
from pydantic import ValidationError, create_model, model_validator

from .inputlimits import strip_bom
from .daterange import date_form, date_range, timestamp_form, timestamp_range

from .errors import Problem, SnapshotError
from .wording import reword
from .model import FieldSpec, VocabularyFile

RESERVED_EVENT_FIELDS = ("id", "type", "at", "note")

# A timestamp: an ISO 8601 string with a UTC offset, inside the supported range of dates (daterange.py)
Moment = Annotated[AwareDatetime, BeforeValidator(timestamp_form), AfterValidator(timestamp_range)]
Day = Annotated[dt.date, BeforeValidator(date_form), AfterValidator(date_range)]


class Event(BaseModel):
    """A dated thing that happened in a case. Fields beyond these depend on ``type`` (see the vocabulary)."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)
    id: str | None = Field(default=None, description="Unique within the case; events posted twice are recognised by it.")
    type: str
    at: Moment = Field(description="When it happened, with a UTC offset (e.g. 2026-04-01T09:30:00+01:00).")
    note: str | None = Field(default=None, description="Free text; treated as personal data.")


class CaseSnapshot(BaseModel):
    """A case as exported: what kind it is, when it was received, its facts and its events."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)
    case_id: str = Field(min_length=1)
    kind: str
    received_at: Moment
    facts: Any = None
    events: list[Any] = Field(default_factory=list)

    @model_validator(mode="after")
    def _event_ids_unique(self) -> "CaseSnapshot":
        seen: dict[str, int] = {}
        for index, event in enumerate(self.events):
            event_id = getattr(event, "id", None)
            if event_id is None:
                continue
            if event_id in seen:
                raise ValueError(f"event id {event_id!r} is used twice (events[{seen[event_id]}] and events[{index}])")
            seen[event_id] = index
        # an event without an id is named by its place (events[3]); an id may not take that name from it
        for index, event in enumerate(self.events):
            name = f"events[{index}]"
            if getattr(event, "id", None) is None and name in seen:
                raise ValueError(f"event id {name!r} (events[{seen[name]}]) is the name of the event at {name}, "
                                 f"which has no id; give that event an id, or choose another id")
        return self


# the pydantic type of each vocabulary field type (FieldSpec.python_type adds enums and ranges)
FIELD_TYPES = {"string": str, "integer": int, "number": float, "boolean": StrictBool, "date": Day, "datetime": Moment,
               "string_list": list[str]}


def _python_type(spec: FieldSpec) -> Any:
    return spec.python_type(FIELD_TYPES, lambda low, high: Field(ge=low, le=high))


def _field(spec: FieldSpec, *, required: bool) -> tuple[Any, Any]:
    py = _python_type(spec)
    if required:
        return py, Field(description=spec.description)
    return py | None, Field(default=None, description=spec.description)


def build_snapshot_model(vocabulary: VocabularyFile) -> type[CaseSnapshot]:
    """Make the pydantic model that validates case snapshots for this vocabulary."""
    facts_model = create_model(  # type: ignore[call-overload]
        "CaseFacts",
        __config__=ConfigDict(defer_build=True, extra="forbid", frozen=True),
        __doc__="Facts about the case and the victim. A fact left out is unknown, never assumed false.",
        **{name: _field(spec, required=False) for name, spec in vocabulary.facts.items()},
    )
    event_models = []
    for type_name, event_spec in vocabulary.events.items():
        fields = {name: _field(spec, required=spec.required) for name, spec in event_spec.fields.items()}
        model = create_model(  # type: ignore[call-overload]
            "Event_" + type_name,
            __base__=Event,
            __doc__=f"{event_spec.title}. {event_spec.description}",
            type=(Literal[type_name], Field(description=event_spec.title)),
            **fields,
        )
        event_models.append(Annotated[model, type_name])
    if len(event_models) == 1:  # pragma: no cover - a real vocabulary has many
        event_union: Any = event_models[0]
    else:
        event_union = Annotated[Union[tuple(m.__origin__ for m in event_models)], Field(discriminator="type")]  # type: ignore[attr-defined]
    kinds = tuple(vocabulary.case_kinds)
    return create_model(  # type: ignore[call-overload, no-any-return]
        "CaseSnapshot",
        __base__=CaseSnapshot,
        kind=(Literal[kinds], Field(description="Kind of case: " + ", ".join(kinds) + ".")),  # type: ignore[valid-type]
        facts=(facts_model, Field(default_factory=facts_model)),
        events=(list[event_union], Field(default_factory=list)),
    )


def _loc_text(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def problems_from_validation(exc: ValidationError, *, source: str | None, line: int | None,
                             show_values: bool = True, model: type[BaseModel] | None = None) -> list[Problem]:
    """One Problem per field at fault, in plain words. ``show_values=False`` leaves out the value refused (it may be
    personal); ``model``, the snapshot model validated against, lets a misspelt field get "did you mean"."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        if error["type"] == "union_tag_invalid" or error["type"] == "union_tag_not_found":
            loc = loc + ("type",)
        wording = reword(error, model=model, show_values=show_values, thing="field", named=False)
        # a discriminated union puts the event type into the location; drop it so the path is the data's own
        if len(loc) >= 3 and loc[0] == "events" and isinstance(loc[1], int) and loc[2] != "type":
            loc = loc[:2] + loc[3:]
        field_text = _loc_text(loc) or None
        cause = f"{_loc_text(tuple(p for p in loc if not isinstance(p, int)))}: {wording.cause}" if loc else wording.cause
        problems.append(Problem(wording.message, path=source, line=line, field=field_text, hint=wording.hint,
                                cause=cause))
    return problems


def parse_snapshot(
    data: Any, model: type[CaseSnapshot], *, source: str | None = None, line: int | None = None
) -> CaseSnapshot:
    """Validate one snapshot (a dict, or JSON text); a bad one raises SnapshotError naming every field at fault."""
    try:
        if isinstance(data, (str, bytes)):
            return model.model_validate_json(strip_bom(data))
        return model.model_validate(data)
    except ValidationError as exc:
        case_id = None
        if isinstance(data, dict) and isinstance(data.get("case_id"), str):
            case_id = data["case_id"]
        raise SnapshotError(problems_from_validation(exc, source=source, line=line, model=model),
                            case_id=case_id) from None
