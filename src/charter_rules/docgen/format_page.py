"""The rule-file format page, generated from the pydantic models that validate the rule book (``model.py``).

Each model gets a section with its docstring and a table of its keys: type, whether required, default and the
``Field(description=...)`` text. A key added to a model appears here at the next build.
"""

from __future__ import annotations

import datetime as dt
import inspect
import types
import typing
from typing import Any, Literal, Union

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from .. import condition_syntax as conditions_module
from .. import model
from ..condition_syntax import FactCondition
from ._text import md, table

ROOTS: list[tuple[str, type[BaseModel]]] = [
    ("commitments/&lt;id&gt;.yaml: one rule", model.Rule),
    ("parameters.yaml", model.ParametersFile),
    ("vocabulary.yaml", model.VocabularyFile),
    ("definitions.yaml", model.DefinitionsFile),
    ("calendars.yaml", model.CalendarsFile),
    ("settings.yaml (optional): interpretation settings", model.SettingsFile),
]
SCALARS = {str: "text", int: "whole number", float: "number", bool: "true or false", dt.date: "date (YYYY-MM-DD)",
           dt.datetime: "date and time with a UTC offset", type(None): "nothing"}


def _anchor(cls: type) -> str:
    return "model-" + cls.__name__.lower()


def _is_condition(annotation: Any) -> bool:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        return _is_condition(args[0])
    return typing.get_origin(annotation) in (Union, types.UnionType) and any(
        _is_condition(a) or a is FactCondition for a in args)


def type_words(annotation: Any, found: list[type[BaseModel]]) -> str:
    """An annotation in words, linking to model sections (collected into ``found``)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if _is_condition(annotation):
        return "[a condition](#conditions)"
    if origin in (Union, types.UnionType) and any(_is_condition(a) for a in args):
        return "[a condition](#conditions)"
    if origin is typing.Annotated:
        return type_words(args[0], found)
    if origin in (Union, types.UnionType):
        parts = [type_words(a, found) for a in args if a is not type(None)]
        return " or ".join(dict.fromkeys(parts))
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin in (list, tuple):
        return "list of " + type_words(args[0], found) if args else "list"
    if origin is dict:
        return "mapping of names to " + type_words(args[1], found)
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        if annotation not in found:
            found.append(annotation)
        return f"[{annotation.__name__}](#{_anchor(annotation)})"
    if annotation in SCALARS:
        return SCALARS[annotation]
    if annotation is Any:
        return "anything"
    return md(getattr(annotation, "__name__", str(annotation)))


def _default(info: Any) -> str:
    if info.default is PydanticUndefined and info.default_factory is None:
        return ""
    value = info.default_factory() if info.default_factory is not None else info.default
    if value is None or value == [] or value == {}:
        return "—"
    if isinstance(value, BaseModel):
        return "empty"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    return f"`{value}`"


def model_section(cls: type[BaseModel], found: list[type[BaseModel]]) -> list[str]:
    doc = inspect.getdoc(cls) or ""
    if cls.__module__ != model.__name__ and cls.__doc__ is None:
        doc = ""
    lines = [f"### {cls.__name__} {{ #{_anchor(cls)} }}", ""]
    if doc and not doc.startswith(("A base class", "Usage docs")):
        lines += [md(doc.replace("``", "")), ""]
    rows = []
    for name, info in cls.model_fields.items():
        key = info.alias or name
        required = "yes" if info.is_required() else "no"
        rows.append([f"`{key}`", type_words(info.annotation, found), required, _default(info),
                     md(info.description or "")])
    if rows:
        lines += table(["Key", "Type", "Required", "Default", "Meaning"], rows)
    lines.append("")
    return lines


def format_page(extra_roots: list[tuple[str, type[BaseModel]]] | None = None) -> str:
    roots = ROOTS + list(extra_roots or [])
    lines = [
        "# Rule-file format", "",
        "A rule book is a folder of YAML files. This page is generated from the models that validate them, so it "
        "always matches what `charter-rules rules validate` accepts. Every model refuses unknown keys: a misspelt key "
        "is an error naming the file and line. The same schema as JSON: "
        "[rule.schema.json](../schemas/rule.schema.json).", "",
        "## Files", "",
    ]
    lines += table(["File", "Top-level model"], [[name, f"[{cls.__name__}](#{_anchor(cls)})"] for name, cls in roots])
    lines += ["", "## Models", ""]
    found: list[type[BaseModel]] = [cls for _, cls in roots]
    index = 0
    while index < len(found):
        lines += model_section(found[index], found)
        index += 1
    doc = inspect.getdoc(conditions_module) or ""
    doc = doc.replace("::", ":").replace("``", "`")
    lines += ["## Conditions { #conditions }", "", doc, ""]
    return "\n".join(lines)
