"""What every command shares: the rule book option, the as-of option, and one place that turns errors into exits."""

from __future__ import annotations

import datetime as dt
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..arguments import moment_from
from ..compiler import CompiledRulebook
from ..errors import ArgumentError, CharterRulesError, RulebookError
from .._api import load_compiled

EXIT_CLEAN, EXIT_FOUND, EXIT_BAD_INPUT = 0, 1, 2


class Format(str, Enum):
    """Output for people (text) or for programs (json)."""

    text = "text"
    json = "json"

# wide enough for the report table when output goes to a file or a CI log
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, highlight=False, soft_wrap=True)

RulesOption = typer.Option(None, "--rules", help="Rule book directory (default: the bundled rules/).",
                           envvar="CHARTER_RULES_DIR")
AsOfOption = typer.Option(
    None, "--as-of",
    help="The moment to evaluate at: a timestamp with a UTC offset (2026-04-08T17:00:00+01:00), or a date "
         "(2026-04-08), meaning the end of that day in London. Default: now.",
)


def parse_as_of(text: Optional[str]) -> dt.datetime:
    if text is None:
        return dt.datetime.now(dt.timezone.utc)
    try:
        return moment_from(text, "--as-of")
    except ArgumentError as exc:
        raise typer.BadParameter(str(exc)) from None


@contextmanager
def handled() -> Iterator[None]:
    """Print a charter-rules error as 'ErrorType: message' and exit 2 (bad input)."""
    try:
        yield
    except CharterRulesError as exc:
        err.print(f"[red]{type(exc).__name__}[/red]: {escape(str(exc))}")
        raise typer.Exit(EXIT_BAD_INPUT) from None


def rulebook_problems(exc: RulebookError) -> typer.Exit:
    """Print every problem of a rule book error, one per line as file:line: error: ..., and say how to exit."""
    err.print(f"[red]{type(exc).__name__}[/red]: {len(exc.problems)} problem(s) in the rule book")
    for problem in exc.problems:
        err.print(escape(str(problem)))
    return typer.Exit(EXIT_BAD_INPUT)


def rulebook(rules: Optional[Path]) -> CompiledRulebook:
    try:
        return load_compiled(rules)
    except RulebookError as exc:
        raise rulebook_problems(exc) from None


def write_json(data: object) -> None:
    import orjson

    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n")
    sys.stdout.flush()
