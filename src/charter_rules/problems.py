"""Where a problem in a rule-book file is, and the one translation of validation errors into located problems.

Every file of a rule book (rules, vocabulary, parameters, definitions, calendars, the charter map, the compliance
figures, escalation rules) is validated with pydantic; ``validation_problems`` turns pydantic's errors into
:class:`~charter_rules.errors.Problem` objects that name the file, line, column and key, in plain words, with a hint
where one helps. No other module reads pydantic's errors for rule-book files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ._yaml import Positions, locate
from .errors import Problem


@dataclass(frozen=True)
class SourceFile:
    """Where a piece of the rule book came from, to point errors at the right line."""

    path: Path
    positions: Positions = field(repr=False)

    def locate(self, loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
        found = locate(self.positions, loc)
        return found if found else (None, None)

    def problem(self, message: str, loc: tuple[Any, ...] = (), *, hint: str | None = None) -> Problem:
        line, column = self.locate(loc)
        field_text = ".".join(str(p) for p in loc) or None
        return Problem(message, path=str(self.path), line=line, column=column, field=field_text, hint=hint)


_HINTS = {
    "extra_forbidden": "remove it or check its spelling",
    "missing": "add it",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD",
    "date_parsing": "write the date as YYYY-MM-DD",
}

# pydantic names the branch of a tagged union in error locations; they are not keys of the file
_UNION_TAGS = {"fact", "field", "event", "is", "all", "any", "not", "setting", "int", "ParamRef", "FactRef", "str", "list[str]"}
_UNION_TAGS |= {"float", "bool", "list[union[str,int,float,bool]]", "union[str,int,float,bool]"}


def validation_problems(error: ValidationError, source: SourceFile) -> list[Problem]:
    """Every error of a failed validation of ``source``, each at its file:line:column, in plain words."""
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(part for part in item["loc"] if not (isinstance(part, str) and part in _UNION_TAGS))
        message = item["msg"].removeprefix("Value error, ")
        value = item.get("input")
        if item["type"] not in ("missing", "extra_forbidden") and isinstance(value, (str, int, float, bool)):
            message += f" (got {value!r})"
        if item["type"] == "extra_forbidden" and loc:
            message = f"unknown key {loc[-1]!r}"
        problems.append(source.problem(message, loc, hint=_HINTS.get(item["type"])))
    return problems
