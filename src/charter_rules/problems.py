"""Where a problem in a rule-book file is, and the one translation of validation errors into located problems.

Every file of a rule book (rules, vocabulary, parameters, definitions, calendars, the charter map, the compliance
figures, escalation rules) is validated with pydantic; ``validation_problems`` turns pydantic's errors into
:class:`~charter_rules.errors.Problem` objects that name the file, line, column and key, in plain words, with a hint
where one helps. No other module reads pydantic's errors for rule-book files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .positions import Positions, locate
from .errors import Problem
from .wording import data_path, reword, without_follow_ons


@dataclass(frozen=True)
class SourceFile:
    """Where a piece of the rule book came from, to point errors at the right line (and show that line)."""

    path: Path
    positions: Positions = field(repr=False)

    def locate(self, loc: tuple[Any, ...], *, at_key: bool = False) -> tuple[int | None, int | None]:
        """(line, column) of ``loc``: its value's position, or with ``at_key`` the key's own."""
        key = tuple(loc) + ("__key__",)
        if at_key and key in self.positions:
            return self.positions[key]
        found = locate(self.positions, loc)
        return found if found else (None, None)

    @cached_property
    def lines(self) -> list[str]:
        try:
            return self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return []

    def problem(self, message: str, loc: tuple[Any, ...] = (), *, hint: str | None = None,
                at_key: bool = False) -> Problem:
        line, column = self.locate(loc, at_key=at_key)
        field_text = ".".join(str(p) for p in loc) or None
        excerpt = self.lines[line - 1].rstrip() if line is not None and 0 < line <= len(self.lines) else None
        return Problem(message, path=str(self.path), line=line, column=column, field=field_text, hint=hint,
                       excerpt=excerpt)


# pydantic names the branch of a tagged union in error locations; they are not keys of the file
_UNION_TAGS = {"fact", "field", "event", "is", "all", "any", "not", "setting", "int", "ParamRef", "FactRef", "str", "list[str]"}
_UNION_TAGS |= {"float", "bool", "list[union[str,int,float,bool]]", "union[str,int,float,bool]"}


def validation_problems(error: ValidationError, source: SourceFile, data: Any,
                        model: type[BaseModel] | None = None) -> list[Problem]:
    """Every error of a failed validation of ``data`` (read from ``source``), each at its file:line:column, in plain
    words, without errors that only follow from another (``wording.without_follow_ons``)."""
    problems = []
    for item in without_follow_ons(error.errors(include_url=False)):
        loc = data_path(data, item["loc"], _UNION_TAGS)
        wording = reword(item, model=model)
        problems.append(source.problem(wording.message, loc, hint=wording.hint,
                                       at_key=item["type"] == "extra_forbidden"))
    return problems
