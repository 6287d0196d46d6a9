"""Core commands: evaluate, rules, schema, deadline, test (check lives in check.py)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import List, Optional

import orjson
import typer
from rich.markup import escape
from rich.table import Table

from ..calendars import format_date
from ..caseview import LONDON
from ..deadlines import deadline_from
from ..errors import RulebookError
from ..evaluator import evaluate as evaluate_case
from ..worked_examples import run_examples
from ..explain import deadline_lines, explain_json, explain_text
from ..live.escalation import load_escalations
from ..model import Rule
from ..snapshot import parse_snapshot
from ._common import (
    Format,
    EXIT_BAD_INPUT,
    EXIT_FOUND,
    AsOfOption,
    RulesOption,
    err,
    handled,
    out,
    parse_as_of,
    rulebook,
    rulebook_problems,
    write_json,
)


class SchemaName(str, Enum):
    case = "case"
    rule = "rule"


rules_app = typer.Typer(help="List and validate the rule book.", no_args_is_help=True)


def evaluate(
    case_file: Path = typer.Argument(..., help="A case snapshot (.json)."),
    as_of: Optional[str] = AsOfOption,
    output: Format = typer.Option(Format.text, "--format", help="text for people, json for programs."),
    include_not_applicable: bool = typer.Option(False, "--all", help="Also list obligations that do not apply."),
    rules: Optional[Path] = RulesOption,
) -> None:
    """Evaluate one case and explain every obligation."""
    book = rulebook(rules)
    moment = parse_as_of(as_of)
    with handled():
        try:
            data = orjson.loads(case_file.read_bytes())
        except (OSError, orjson.JSONDecodeError) as exc:
            err.print(f"[red]cannot read {escape(str(case_file))}[/red]: {escape(str(exc))}")
            raise typer.Exit(EXIT_BAD_INPUT) from None
        snapshot = parse_snapshot(data, book.snapshot_model, source=str(case_file))
        evaluation = evaluate_case(book, snapshot, as_of=moment)
    if output is Format.json:
        write_json(explain_json(evaluation, book))
    else:
        out.print(escape(explain_text(evaluation, include_not_applicable=include_not_applicable)), end="")


@rules_app.command("list")
def rules_list(rules: Optional[Path] = RulesOption) -> None:
    """List every rule with its basis, case kinds and versions."""
    book = rulebook(rules)
    table = Table("rule", "title", "basis", "case kinds", "versions", "examples")
    for rule in book.rules:
        source = rule.source
        versions = ", ".join(str(v.valid_from) + ("-" + str(v.valid_to) if v.valid_to else "-") for v in source.versions)
        table.add_row(escape(rule.id), escape(source.title), source.basis, ", ".join(sorted(rule.kinds)), versions,
                      str(len(source.examples)))
    out.print(table)


@rules_app.command("validate")
def rules_validate(rules: Optional[Path] = RulesOption) -> None:
    """Load and compile the rule book and its escalation rules; report every problem as file:line. Exit 2 if any."""
    book = rulebook(rules)
    try:
        escalations = load_escalations(book)
    except RulebookError as exc:
        raise rulebook_problems(exc) from None
    examples = sum(len(r.source.examples) for r in book.rules)
    out.print(f"rule book OK: {len(book.rules)} rules, {examples} worked examples, "
              f"{len(book.rulebook.parameters.parameters)} parameters, {len(book.calendars)} calendars, "
              f"{len(escalations.escalations)} escalation rules ({escape(str(book.rulebook.root))})")


def schema(
    name: SchemaName = typer.Argument(SchemaName.case, help="case: case snapshots; rule: rule files."),
    rules: Optional[Path] = RulesOption,
) -> None:
    """Print the JSON Schema for case snapshots or rule files."""
    if name is SchemaName.case:
        write_json(rulebook(rules).snapshot_model.model_json_schema())
    else:
        write_json(Rule.model_json_schema(by_alias=True))


def deadline(
    start: str = typer.Argument(..., help="When the clock starts: a date (2026-03-26) or a timestamp with an offset."),
    count: int = typer.Argument(..., min=0, help="How many units."),
    unit: str = typer.Argument("working_days", help="working_days, calendar_days, calendar_months or hours."),
    calendar: str = typer.Option("england_and_wales", "--calendar", help="A calendar from rules/calendars.yaml."),
    day_one: str = typer.Option("day_after_trigger", "--day-one", help="day_after_trigger or trigger_day."),
    short_month: str = typer.Option("last_day_of_month", "--short-month",
                                    help="For months: last_day_of_month or first_day_of_next_month."),
    roll_forward: bool = typer.Option(False, "--roll-forward", help="Move a deadline on a non-working day on."),
    output: Format = typer.Option(Format.text, "--format"),
    rules: Optional[Path] = RulesOption,
) -> None:
    """Work out a deadline and show every day skipped, e.g. 2026-03-26 20 --calendar any_part_of_uk."""
    book = rulebook(rules)
    if unit not in ("working_days", "calendar_days", "calendar_months", "hours"):
        raise typer.BadParameter(f"{unit!r}; use working_days, calendar_days, calendar_months or hours")
    if calendar not in book.calendars:
        raise typer.BadParameter(f"{calendar!r}; calendars: {', '.join(book.calendars)}", param_hint="--calendar")
    if day_one not in ("day_after_trigger", "trigger_day"):
        raise typer.BadParameter(f"{day_one!r}; use day_after_trigger or trigger_day", param_hint="--day-one")
    if len(start) == 10:
        try:
            moment = dt.datetime.combine(dt.date.fromisoformat(start), dt.time(12), tzinfo=LONDON)
        except ValueError:
            raise typer.BadParameter(f"{start!r} is not a date (YYYY-MM-DD)") from None
    else:
        moment = parse_as_of(start)
    with handled():
        work = deadline_from(book.calendars[calendar], moment, count, unit, day_one=day_one,
                             short_month=short_month, roll_forward=roll_forward)
    if output is Format.json:
        from ..explain import deadline_dict

        write_json(deadline_dict(work))
        return
    out.print(f"[bold]{format_date(work.due_date)}[/bold] ({work.due_date.isoformat()})")
    for line in deadline_lines(work):
        out.print(escape(line))


def test(
    rule_ids: List[str] = typer.Argument(None, help="Only these rules (default: all)."),
    rules: Optional[Path] = RulesOption,
) -> None:
    """Run the worked examples written next to each rule. Exit 1 if any fails."""
    book = rulebook(rules)
    unknown = [r for r in rule_ids or [] if r not in book.by_id]
    if unknown:
        raise typer.BadParameter("unknown rule(s): " + ", ".join(unknown))
    results = run_examples(book, rule_ids or None)
    for result in results:
        mark = "[green]PASS[/green]" if result.passed else "[red]FAIL[/red]"
        out.print(f"{mark} {escape(result.label)} ({result.checks} checks)")
        for failure in result.failures:
            out.print(f"     {escape(failure)}")
        if not result.failures and result.checks == 0:
            out.print("     checked nothing")
    passed = sum(r.passed for r in results)
    checks = sum(r.checks for r in results)
    rules_with = len({r.rule_id for r in results})
    out.print(f"{len(results)} worked examples over {rules_with} rules, {checks} checks")
    out.print(f"{passed} passed, {len(results) - passed} failed")
    if passed != len(results) or not results:
        raise typer.Exit(EXIT_FOUND)


def register(app: typer.Typer) -> None:
    app.command()(evaluate)
    app.add_typer(rules_app, name="rules")
    app.command()(schema)
    app.command()(deadline)
    app.command()(test)
