"""The one error hierarchy of charter-rules.

Every error says what went wrong, where (file:line, case, rule) and how to fix it::

    CharterRulesError
    ├── RulebookError            a rule, parameter, vocabulary or calendar file is wrong
    │   ├── RuleSyntaxError      not valid YAML, a duplicate key, a tab
    │   └── RuleValidationError  valid YAML that breaks the schema; carries every problem at once
    ├── CompileError             rule files that are fine alone but not together
    ├── SnapshotError            a case snapshot that cannot be evaluated (also a ValueError)
    ├── CalendarError            a date computation that has no answer
    ├── RuleConflictError        two exceptions of one rule apply to one case and disagree
    ├── MonitorError             the live monitor was used wrongly
    └── ArgumentError            a library function was called with the wrong thing (also TypeError, ValueError)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    message: str
    """What is wrong, in plain words."""
    path: str | None = None
    """The file (or other source) it is in."""
    line: int | None = None
    """The line in that file (1 for the first), if known."""
    column: int | None = None
    """The column on that line (1 for the first), if known."""
    field: str | None = None
    """Where in the data: ``events[2].at``, ``versions.0.deadline``."""
    hint: str | None = None
    """How to fix it, or the nearest known name (``did you mean 'victim_updated'?``)."""
    cause: str | None = None
    """The message without values that differ from record to record, to group alike problems."""
    excerpt: str | None = None
    """The source line at ``line``, printed with a caret under ``column``."""

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        text = f"{where}error: {self.message}"
        if self.field and self.excerpt is None:
            text += f" (at {self.field})"
        if self.hint:
            text += f"; {self.hint}"
        if self.excerpt is not None and self.line is not None:
            number = str(self.line)
            text += f"\n {number} | {self.excerpt}"
            if self.column is not None:
                text += f"\n {' ' * len(number)} | {' ' * (self.column - 1)}^"
        return text


class CharterRulesError(Exception):
    """Base class of every error raised on purpose by charter-rules."""


class RulebookError(CharterRulesError):
    """A rule book file is wrong. ``problems`` lists every problem found, each with its location."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems: list[Problem] = problems if isinstance(problems, list) else [problems]
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def path(self) -> str | None:
        return self.problems[0].path if self.problems else None

    @property
    def line(self) -> int | None:
        return self.problems[0].line if self.problems else None


class RuleSyntaxError(RulebookError):
    """A file is not valid YAML, or repeats a key."""


class RuleValidationError(RulebookError):
    """A file is valid YAML but does not follow the rule book schema."""


class CompileError(RulebookError):
    """Rule files are fine one by one but not together (duplicate ids, unknown references, cycles)."""


class SettingError(RulebookError):
    """An interpretation setting was chosen that the rule book does not have (an unknown id or value)."""


class SnapshotError(CharterRulesError, ValueError):
    """A case snapshot is malformed. ``problems`` names every field at fault."""

    def __init__(self, problems: list[Problem] | Problem, *, case_id: str | None = None) -> None:
        self.problems: list[Problem] = problems if isinstance(problems, list) else [problems]
        self.case_id = case_id
        head = f"case {case_id!r}: " if case_id else ""
        lines = [str(p) for p in self.problems]
        super().__init__(head + ("\n".join(lines) if len(lines) > 1 else lines[0]))


class CalendarError(CharterRulesError):
    """A date computation has no answer (an unknown calendar, a date out of range)."""


class RuleConflictError(CharterRulesError):
    """Two exceptions of one rule apply to one case and disagree: charter-rules never picks one silently."""

    def __init__(self, message: str, *, rule_id: str, case_id: str | None, names: tuple[str, ...]) -> None:
        self.rule_id = rule_id
        self.case_id = case_id
        self.names = names
        where = f"case {case_id!r}, rule {rule_id!r}" if case_id else f"rule {rule_id!r}"
        super().__init__(f"{where}: {message}")


class MonitorError(CharterRulesError):
    """The live monitor was used wrongly or its store is damaged."""


class ArgumentError(CharterRulesError, TypeError, ValueError):
    """A library function was given the wrong kind of argument; the message says what to pass instead."""
