"""Validation errors in plain words: what is wrong, the nearest known name, and how to fix it.

pydantic's own messages ("Input tag ... found using 'type' does not match any of the expected tags: ...",
"Extra inputs are not permitted", "Value error, ...") never reach a person: every error is reworded here, by its
type, into one short sentence. A misspelt name gets "did you mean ...?" from the names allowed at that place, never
the whole list. ``cause`` is the same sentence without the per-record value, so rejected records can be grouped.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass
from typing import Any, Iterable, Literal, Sequence

from pydantic import BaseModel


@dataclass(frozen=True, slots=True)
class Wording:
    """One validation error, reworded."""

    message: str
    hint: str | None
    cause: str  # the message without values that differ from record to record


def did_you_mean(name: object, known: Iterable[str]) -> str | None:
    """``"did you mean 'victim_updated'?"`` for the closest known names, or None if nothing is close."""
    if not isinstance(name, str):
        return None
    choices = list(dict.fromkeys(known))
    close = difflib.get_close_matches(name, choices, n=2, cutoff=0.6)
    if len(close) == 2 and _ratio(name, close[1]) < _ratio(name, close[0]) - 0.03:
        close = close[:1]  # one clearly nearest name
    if not close:
        lowered = {c.lower(): c for c in choices}
        close = [lowered[name.lower()]] if name.lower() in lowered else []
    if not close:
        return None
    return "did you mean " + " or ".join(repr(c) for c in close) + "?"


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def quoted_names(text: str) -> list[str]:
    """``"'a', 'b' or 'c'"`` (how pydantic lists allowed values) -> ``['a', 'b', 'c']``."""
    names, current, inside = [], "", False
    for char in text:
        if char == "'":
            if inside:
                names.append(current)
                current = ""
            inside = not inside
        elif inside:
            current += char
    return names


def _value(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def reword(error: Any, *, model: type[BaseModel] | None = None, show_values: bool = True,
           thing: str = "key", named: bool = True) -> Wording:
    """One pydantic error (an item of ``ValidationError.errors()``) in plain words.

    ``model`` is the model that was validated, to find the names allowed where an unknown key was found;
    ``show_values=False`` leaves out the refused value (it may be personal data); ``thing`` is what a key is called
    in this kind of input ("key" in rule files, "field" in case data); ``named=False`` leaves the key's own name out
    of the message, where the place printed beside it already ends with it.
    """
    kind = error["type"]
    loc = tuple(error.get("loc", ()))
    ctx = error.get("ctx") or {}
    value = error.get("input")
    shown = f" {_value(value)}" if show_values and not isinstance(value, (dict, list)) else ""
    got = f", got{shown}" if shown else ""
    if kind == "extra_forbidden":
        name = loc[-1] if loc else "?"
        suggestion = did_you_mean(name, allowed_keys(model, loc[:-1])) if model is not None else None
        text = f"unknown {thing} {name!r}" if named else f"unknown {thing}"
        return Wording(text, suggestion or "remove it or check its spelling", text)
    if kind == "missing":
        name = loc[-1] if loc else "?"
        text = f"required {thing} {name!r} is missing" if named else f"required {thing} is missing"
        return Wording(text, "add it", text)
    if kind == "union_tag_invalid":
        tag = ctx.get("tag", value)
        discriminator = str(ctx.get("discriminator", "'type'")).strip("'")
        what = "event type" if discriminator == "type" else f"value of {discriminator!r}"
        suggestion = did_you_mean(tag, quoted_names(str(ctx.get("expected_tags", ""))))
        text = f"unknown {what} {tag!r}"
        return Wording(text, suggestion or "see the list of event types on the Case data page", text)
    if kind == "union_tag_not_found":
        discriminator = str(ctx.get("discriminator", "'type'")).strip("'")
        text = f"{discriminator!r} is missing"
        return Wording(text, f"say which {discriminator} it is", text)
    if kind in ("literal_error", "enum"):
        allowed = quoted_names(str(ctx.get("expected", "")))
        suggestion = did_you_mean(value, allowed) if show_values else None
        if allowed and len(allowed) <= 12:
            choices = ", ".join(repr(a) for a in allowed)
            return Wording(f"{_value(value) if show_values else 'the value'} is not one of {choices}",
                           suggestion, f"not one of {choices}")
        text = f"{_value(value) if show_values else 'the value'} is not an allowed value"
        return Wording(text, suggestion or "check its spelling against the allowed values", "not an allowed value")
    if kind == "json_invalid":
        text = "not valid JSON: " + json_error_text(str(ctx.get("error", "")))
        return Wording(text, "each record must be one complete JSON object", "not valid JSON")
    simple = _SIMPLE.get(kind)
    if simple is not None:
        message, hint = simple
        message = message.format(**{k: v for k, v in ctx.items() if isinstance(v, (int, float, str))})
        return Wording(message + got, hint, message)
    if kind in ("value_error", "assertion_error", "condition_shape"):  # our own checks: their words are ours
        text = str(error.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        return Wording(text, None, text)
    # a kind of error not listed above: said plainly, never in the library's words
    return Wording(f"not a valid value here{got}", "see the format of this field", "not a valid value here")


_DATE_HINT = "write the date as YYYY-MM-DD"
_MOMENT_HINT = "write a full timestamp with a UTC offset, e.g. 2026-04-01T09:30:00+01:00 or ...Z"

_SIMPLE: dict[str, tuple[str, str | None]] = {
    "timezone_aware": ("the timestamp has no UTC offset", "add a UTC offset, e.g. 2026-04-01T09:30:00+01:00 or ...Z"),
    "datetime_parsing": ("not a timestamp", _MOMENT_HINT),
    "datetime_from_date_parsing": ("not a timestamp", _MOMENT_HINT),
    "datetime_type": ("not a timestamp", _MOMENT_HINT),
    "date_parsing": ("not a date", _DATE_HINT),
    "date_from_datetime_parsing": ("not a date", _DATE_HINT),
    "date_from_datetime_inexact": ("a date with a time of day", _DATE_HINT),
    "date_type": ("not a date", _DATE_HINT),
    "bool_type": ("must be true or false", "write true or false, without quotes"),
    "bool_parsing": ("must be true or false", "write true or false, without quotes"),
    "int_type": ("must be a whole number", None),
    "int_parsing": ("must be a whole number", None),
    "int_from_float": ("must be a whole number", None),
    "float_type": ("must be a number", None),
    "float_parsing": ("must be a number", None),
    "string_type": ("must be text", "put it in quotes"),
    "string_too_short": ("must not be empty", None),
    "too_short": ("must have at least {min_length} item(s)", None),
    "too_long": ("must have at most {max_length} item(s)", None),
    "list_type": ("must be a list", "write it as a list (- item lines, or [a, b])"),
    "dict_type": ("must be a mapping (key: value pairs)", None),
    "model_type": ("must be a mapping (key: value pairs)", None),
    "model_attributes_type": ("must be a mapping (key: value pairs)", None),
    "greater_than_equal": ("must be at least {ge}", None),
    "greater_than": ("must be more than {gt}", None),
    "less_than_equal": ("must be at most {le}", None),
    "less_than": ("must be less than {lt}", None),
    "json_type": ("not valid JSON", None),
    "string_pattern_mismatch": ("does not have the expected form ({pattern})", None),
    "string_too_long": ("is longer than allowed ({max_length} characters at most)", None),
    "tuple_type": ("must be a list", None),
    "set_type": ("must be a list", None),
    "none_required": ("must be left out", None),
    "finite_number": ("must be a finite number", None),
    "multiple_of": ("must be a multiple of {multiple_of}", None),
    "time_parsing": ("not a time of day", "write it as HH:MM"),
    "timezone_naive": ("must not have a UTC offset", None),
    "date_future": ("must be in the future", None),
    "date_past": ("must be in the past", None),
    "url_parsing": ("not a web address", "write it as https://..."),
    "url_scheme": ("not a web address", "write it as https://..."),
    # our own checks (daterange): the form of a moment or date, and the supported range of dates
    "timestamp_form": ("must be an ISO 8601 timestamp with a UTC offset (numbers and Unix times are not accepted)",
                       "write e.g. 2026-04-01T09:30:00+01:00"),
    "date_form": ("must be a date written YYYY-MM-DD", _DATE_HINT),
    "date_range": ("is outside the supported range of dates, {range}",
                   "a placeholder date (such as 0001-01-01 or 9999-12-31) should be left out instead"),
}


def without_follow_ons(errors: list[Any]) -> list[Any]:
    """The errors less a "required key is missing" that only follows from a misspelling of that key beside it."""
    unknown: dict[tuple[Any, ...], list[str]] = {}
    for error in errors:
        loc = tuple(error.get("loc", ()))
        if error["type"] == "extra_forbidden" and loc and isinstance(loc[-1], str):
            unknown.setdefault(loc[:-1], []).append(loc[-1])
    kept = []
    for error in errors:
        loc = tuple(error.get("loc", ()))
        if error["type"] == "missing" and loc and isinstance(loc[-1], str):
            if any(did_you_mean(name, [loc[-1]]) for name in unknown.get(loc[:-1], ())):
                continue
        kept.append(error)
    return kept


# --- the names allowed at a place -------------------------------------------------------------------------------


def allowed_keys(model: type[BaseModel] | None, loc: Sequence[Any]) -> list[str]:
    """The keys a mapping at ``loc`` inside ``model`` may have (empty if unknown)."""
    candidates: list[Any] = [model] if model is not None else []
    for part in loc:
        candidates = _step(candidates, part)
        if not candidates:
            return []
    keys: list[str] = []
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            for name, info in candidate.model_fields.items():
                keys.append(info.alias or name)
    return keys


def _unwrap(annotation: Any, tag: str | None = None) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        args = typing.get_args(annotation)
        found = next((getattr(a, "tag", None) for a in args[1:] if isinstance(getattr(a, "tag", None), str)), tag)
        return _unwrap(args[0], found)
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    if tag is not None and isinstance(annotation, type):
        _TAGGED.setdefault(annotation, set()).add(tag)
    return [annotation]


_TAGGED: dict[type, set[str]] = {}  # model -> the union tags pydantic names it by in error locations


def _tags(model: type[BaseModel]) -> set[str]:
    tags = {model.__name__} | _TAGGED.get(model, set())
    field = model.model_fields.get("type")
    if field is not None and typing.get_origin(field.annotation) is Literal:
        tags.update(str(a) for a in typing.get_args(field.annotation))
    return tags


def _step(candidates: list[Any], part: Any) -> list[Any]:
    flat = [t for c in candidates for t in _unwrap(c)]
    models = [t for t in flat if isinstance(t, type) and issubclass(t, BaseModel)]
    if isinstance(part, str) and len(flat) > 1:  # a union: pydantic names the member before its contents
        tagged = [m for m in models if part in _tags(m)]
        if tagged:
            return tagged
    out: list[Any] = []
    for t in flat:
        origin = typing.get_origin(t)
        args = typing.get_args(t)
        if isinstance(t, type) and issubclass(t, BaseModel):
            fields = {info.alias or name: info for name, info in t.model_fields.items()}
            if part in fields:
                out.extend(_unwrap(fields[part].annotation))
        elif isinstance(part, int) and origin in (list, tuple, set, frozenset) and args:
            out.extend(_unwrap(args[0]))
        elif isinstance(part, str) and origin is dict and len(args) == 2:
            out.extend(_unwrap(args[1]))
    if out:
        return out
    if isinstance(part, str):  # a tag of a union member: keep the members it names, or all of them
        tagged = [t for t in models if part in _tags(t)]
        return tagged or flat
    return []


def data_path(data: Any, loc: Sequence[Any], tags: frozenset[str] | set[str]) -> tuple[Any, ...]:
    """The keys and indexes of ``loc`` that are in ``data``: the union tags pydantic puts in locations left out.

    A tag can also be a real key (``not``, ``fact``), so each part is taken as a key where the rest of the location
    then fits the data, and passed over as a tag only where it does not. The last part may be a key that is missing.
    """
    def walk(node: Any, parts: tuple[Any, ...]) -> tuple[Any, ...] | None:
        if not parts:
            return ()
        part, rest = parts[0], parts[1:]
        inside = (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node))
        if inside:
            below = walk(node[part], rest)
            if below is not None:
                return (part,) + below
        if isinstance(part, str) and part in tags:
            skipped = walk(node, rest)
            if skipped is not None:
                return skipped
        if not rest and isinstance(node, dict):
            return (part,)  # a key that should be there and is not
        return None

    found = walk(data, tuple(loc))
    return found if found is not None else tuple(p for p in loc if not (isinstance(p, str) and p in tags))


# what JSON readers (orjson, pydantic's parser) say, in plain words: (start of their message, ours)
_JSON_WORDS = (
    ("unexpected end of data", "the record ends before its JSON is complete"),
    ("EOF while parsing", "the record ends before its JSON is complete"),
    ("Input is a zero-length", "the record is empty"),
    ("unexpected content after document", "there is more text after the end of the JSON object"),
    ("trailing characters", "there is more text after the end of the JSON object"),
    ("trailing comma", "a comma is followed by nothing (a trailing comma)"),
    ("unexpected character, expected a string key", "a key is not in double quotes"),
    ("key must be a string", "a key is not in double quotes"),
    ("str is not valid UTF-8", "the text is not valid UTF-8"),
    ("invalid literal", "a value is misspelt (JSON's words are true, false and null)"),
    ("expected value", "a value is missing or misspelt"),
    ("unexpected character, expected a JSON value", "a value is missing or misspelt (text must be in double quotes)"),
    ("number with leading zero", "a number starts with 0"),
    ("unexpected character", "a character is out of place (a missing comma, bracket or quote?)"),
)


def json_error_text(message: str, position: int | None = None) -> str:
    """A JSON reader's error message in plain words, with where it is (``at character 18``) when known."""
    words = next((plain for start, plain in _JSON_WORDS if message.startswith(start)), None)
    if words is None:
        words = "it cannot be read as JSON"
    return words + (f" (at character {position + 1})" if position is not None and position >= 0 else "")

