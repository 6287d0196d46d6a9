"""What every command shares: the rule book option, the as-of option, and one place that turns errors into exits."""

from __future__ import annotations

import datetime as dt
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Mapping, Optional
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape

from ..arguments import moment_from
from ..daterange import RANGE_TEXT, in_range
from ..errors import ArgumentError, CharterRulesError, RulebookError
from ..output_width import output_width

if TYPE_CHECKING:
    from ..compiled import CompiledRulebook

LONDON = ZoneInfo("Europe/London")

# 0: clean; 1: breaches found (or a check that failed); 2: bad input, or nothing readable; 3: a fault in
# charter-rules itself (see cli.main)
EXIT_CLEAN, EXIT_FOUND, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class Format(str, Enum):
    """Output for people (text) or for programs (json)."""

    text = "text"
    json = "json"

# the terminal's width, or COLUMNS, or 120 columns when output goes to a file or a CI log
out = Console(highlight=False, soft_wrap=True, width=output_width())
err = Console(stderr=True, highlight=False, soft_wrap=True)

RulesOption = typer.Option(None, "--rules", help="Rule book directory (default: the bundled rules/).",
                           envvar="CHARTER_RULES_DIR")
SettingOption = typer.Option(
    None, "--setting", metavar="ID=VALUE",
    help="Choose an interpretation setting of the rule book (repeatable), e.g. "
         "--setting ico_roll_forward_holidays=any_part_of_uk. 'charter-rules rules settings' lists them.",
)
MaxRecordSizeOption = typer.Option(
    "8M", "--max-record-size",
    help="Reject a record (a line, an array element, a one-case file) longer than this, e.g. 8M, 512K, 1G.")


def record_limit(max_record_size: str) -> int:
    """``--max-record-size`` in bytes; a usage error if it cannot be read or is under 1K."""
    from ..inputlimits import parse_size

    try:
        max_record_bytes = parse_size(max_record_size)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--max-record-size") from None
    if max_record_bytes < 1024:
        raise typer.BadParameter("the maximum record size must be at least 1K", param_hint="--max-record-size")
    return max_record_bytes


AsOfOption = typer.Option(
    None, "--as-of",
    help="The moment to evaluate at: a timestamp with a UTC offset (2026-04-08T17:00:00+01:00), or a date "
         "(2026-04-08), meaning the end of that day in London. Default: now.",
)


def parse_as_of(text: Optional[str]) -> dt.datetime:
    if text is None:
        return dt.datetime.now(dt.timezone.utc)
    try:
        moment = moment_from(text, "--as-of")
    except ArgumentError as exc:
        raise typer.BadParameter(str(exc)) from None
    if not in_range(moment):
        raise typer.BadParameter(f"{text!r} is outside the supported range of dates, {RANGE_TEXT}")
    return moment


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


def parse_settings(pairs: Optional[list[str]]) -> dict[str, str]:
    """``["id=value", ...]`` from repeated --setting options, as a mapping."""
    chosen: dict[str, str] = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise typer.BadParameter(f"{pair!r} is not ID=VALUE, e.g. ico_roll_forward_holidays=any_part_of_uk",
                                     param_hint="--setting")
        if name.strip() in chosen:
            raise typer.BadParameter(f"setting {name.strip()!r} is given twice", param_hint="--setting")
        chosen[name.strip()] = value.strip()
    return chosen


def rulebook(rules: Optional[Path], settings: Optional[list[str]] | Mapping[str, str] = None) -> "CompiledRulebook":
    from .._api import load_compiled  # imported when a command needs the rule book, so start-up stays quick

    chosen = settings if isinstance(settings, Mapping) else parse_settings(settings)
    try:
        return load_compiled(rules, settings=chosen)
    except RulebookError as exc:
        raise rulebook_problems(exc) from None


def write_json(data: object) -> None:
    import orjson

    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n")
    sys.stdout.flush()
