"""The condition language: declarative tests over case facts, event fields and events, with no code in them.

A condition is a YAML mapping of one of these shapes::

    {fact: victim_age_at_offence, less_than: 18}          # a case fact compared with a value
    {field: about, equals: arrest}                         # a field of the event being matched (inside ``where``)
    {event: victim_opted_out_of_referral}                  # an event of this type happened (by the as-of moment)
    {event: suspect_arrested, where: {field: suspect, equals: S1}}
    {is: enhanced_rights}                                  # a named definition from rules/definitions.yaml
    {setting: ico_roll_forward_holidays, equals: any_part_of_uk}   # an interpretation setting (rules/settings.yaml)
    {all: [...]}   {any: [...]}   {not: {...}}

Comparisons: ``equals``, ``not_equals``, ``in``, ``not_in``, ``less_than``, ``at_most``, ``greater_than``,
``at_least``, ``is_set``. A value may be a literal or ``{param: name}`` from rules/parameters.yaml.

Logic is three-valued: a fact that is not given is *unknown*, not false. ``all`` is false if any part is false,
unknown if any part is unknown, else true; ``any`` is true if any part is true, unknown if any is unknown, else false;
``not`` keeps unknown. An unknown result makes an obligation *indeterminate*, naming the missing facts.
"""

from __future__ import annotations

from typing import Annotated, Any, Iterator, Literal, Mapping, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

Scalar = Union[str, int, float, bool]


class ParamRef(BaseModel):
    """A number or list taken from the parameters file, so policy officers change it in one place."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)
    param: str = Field(description="Name of a parameter in rules/parameters.yaml.")


Value = Union[Scalar, list[Scalar], ParamRef]

OPERATORS = ("equals", "not_equals", "in", "not_in", "less_than", "at_most", "greater_than", "at_least", "is_set")
OPERATOR_WORDS = {
    "equals": "is",
    "not_equals": "is not",
    "in": "is one of",
    "not_in": "is not one of",
    "less_than": "is less than",
    "at_most": "is at most",
    "greater_than": "is greater than",
    "at_least": "is at least",
    "is_set": "is recorded",
}


class _Comparison(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True, populate_by_name=True)

    equals: Value | None = None
    not_equals: Value | None = None
    in_: Value | None = Field(default=None, alias="in")
    not_in: Value | None = None
    less_than: Value | None = None
    at_most: Value | None = None
    greater_than: Value | None = None
    at_least: Value | None = None
    is_set: bool | None = None

    @model_validator(mode="after")
    def _exactly_one_operator(self) -> "_Comparison":
        given = [name for name in OPERATORS if getattr(self, "in_" if name == "in" else name) is not None]
        if len(given) != 1:
            raise ValueError(
                f"give exactly one comparison, found {len(given)} ({', '.join(given) or 'none'}); "
                f"allowed: {', '.join(OPERATORS)}"
            )
        return self

    @property
    def operator(self) -> str:
        for name in OPERATORS:
            if getattr(self, "in_" if name == "in" else name) is not None:
                return name
        raise AssertionError("validated to have one operator")  # pragma: no cover

    @property
    def operand(self) -> Any:
        name = self.operator
        return getattr(self, "in_" if name == "in" else name)


class FactCondition(_Comparison):
    """Compare a case fact (see rules/vocabulary.yaml) with a value."""

    fact: str


class FieldCondition(_Comparison):
    """Compare a field of the event being matched with a value (only inside ``where``)."""

    field: str


class SettingCondition(_Comparison):
    """Test the value chosen for an interpretation setting (rules/settings.yaml); decided when the book is loaded."""

    setting: str

    @model_validator(mode="after")
    def _only_equality(self) -> "SettingCondition":
        if self.operator not in ("equals", "not_equals", "in", "not_in"):
            raise ValueError("a setting condition compares with equals, not_equals, in or not_in")
        return self


class EventCondition(BaseModel):
    """True when an event of this type, matching ``where``, happened by the as-of moment."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)
    event: str
    where: "Condition | None" = None


class DefinitionCondition(BaseModel):
    """A named definition from rules/definitions.yaml, such as ``enhanced_rights``."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True, populate_by_name=True)
    is_: str = Field(alias="is")


class AllCondition(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True, populate_by_name=True)
    all_: list["Condition"] = Field(alias="all", min_length=1)


class AnyCondition(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True, populate_by_name=True)
    any_: list["Condition"] = Field(alias="any", min_length=1)


class NotCondition(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True, populate_by_name=True)
    not_: "Condition" = Field(alias="not")


_SHAPES = {"fact": "fact", "field": "field", "event": "event", "is": "is", "all": "all", "any": "any", "not": "not",
           "setting": "setting"}


def _condition_shape(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        for tag, cls in _TAGGED.items():
            if isinstance(value, cls):
                return tag
        return None
    if isinstance(value, dict):
        found = [key for key in value if key in _SHAPES]
        if len(found) == 1:
            return _SHAPES[found[0]]
    return None


Condition = Annotated[
    Union[
        Annotated[FactCondition, Tag("fact")],
        Annotated[FieldCondition, Tag("field")],
        Annotated[EventCondition, Tag("event")],
        Annotated[DefinitionCondition, Tag("is")],
        Annotated[AllCondition, Tag("all")],
        Annotated[AnyCondition, Tag("any")],
        Annotated[NotCondition, Tag("not")],
        Annotated[SettingCondition, Tag("setting")],
    ],
    Discriminator(
        _condition_shape,
        custom_error_type="condition_shape",
        custom_error_message=(
            "a condition needs exactly one of the keys fact, field, event, is, all, any, not, setting"
            " (for example {fact: vulnerable, equals: true})"
        ),
    ),
]

_TAGGED: dict[str, type[BaseModel]] = {
    "fact": FactCondition,
    "field": FieldCondition,
    "event": EventCondition,
    "is": DefinitionCondition,
    "all": AllCondition,
    "any": AnyCondition,
    "not": NotCondition,
    "setting": SettingCondition,
}

# these name ``Condition`` before it is defined: completed now, so their fields' types are resolved for whoever reads
# them (the error wording walks them to suggest the keys allowed at a place)
for _model in (EventCondition, AllCondition, AnyCondition, NotCondition):
    _model.model_rebuild()


def walk(condition: Any) -> Any:
    """Yield every node of a condition tree, depth first."""
    yield condition
    if isinstance(condition, AllCondition):
        for child in condition.all_:
            yield from walk(child)
    elif isinstance(condition, AnyCondition):
        for child in condition.any_:
            yield from walk(child)
    elif isinstance(condition, NotCondition):
        yield from walk(condition.not_)
    elif isinstance(condition, EventCondition) and condition.where is not None:
        yield from walk(condition.where)


ConditionKind = Literal["fact", "field", "event", "is", "all", "any", "not", "setting"]


def param_names(value: Any, definitions: Mapping[str, Any], seen: set[str] | None = None) -> Iterator[str]:
    """Every parameter named anywhere in a rule-file model (a version, a condition...), through the definitions it
    uses (``is:``), each definition followed once."""
    seen = set() if seen is None else seen
    if isinstance(value, ParamRef):
        yield value.param
    elif isinstance(value, DefinitionCondition):
        if value.is_ not in seen and value.is_ in definitions:
            seen.add(value.is_)
            yield from param_names(definitions[value.is_].condition, definitions, seen)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from param_names(getattr(value, name), definitions, seen)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from param_names(item, definitions, seen)
    elif isinstance(value, dict):
        for item in value.values():
            yield from param_names(item, definitions, seen)
