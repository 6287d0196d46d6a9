"""Core commands: evaluate, rules, schema, deadline, test (check lives in check.py).

Each command imports what it needs when it runs, so starting one command does not pay for the others.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape

from ..errors import RulebookError
from ._common import (
    Format,
    EXIT_BAD_INPUT,
    EXIT_FOUND,
    AsOfOption,
    RulesOption, SettingOption,
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
    show_forecast: bool = typer.Option(False, "--forecast",
                                       help="List every moment an obligation will change by itself (see --until)."),
    until: Optional[str] = typer.Option(None, "--until", help="Forecast horizon: a date or timestamp (default: 90 "
                                        "days after the as-of moment)."),
    what_if: List[str] = typer.Option([], "--what-if", help='An event to add, as JSON {"type": ..., "at": ...}, or '
                                      '{"remove": "EVENT_ID"} (repeatable): shows only what it would change.'),
    rules: Optional[Path] = RulesOption,
    setting: Optional[List[str]] = SettingOption,
) -> None:
    """Evaluate one case and explain every obligation; or forecast its changes, or try what an event would do."""
    import orjson

    from ..evaluator import evaluate as evaluate_case
    from ..explain import explain_json, explain_text
    from ..inputlimits import read_case_file
    from ..snapshot import parse_snapshot
    from ..textsafe import lines as safe_lines

    book = rulebook(rules, setting)
    moment = parse_as_of(as_of)
    with handled():
        try:
            payload = read_case_file(case_file)
            # a plainly valid case is read by the fast decoder; the case-snapshot model judges any other (and words
            # its errors), and is the one forecasts and what-ifs edit (see case_decoder.py)
            snapshot = None if show_forecast or what_if else book.case_decoder.decode(payload)
            if snapshot is None:
                snapshot = parse_snapshot(orjson.loads(payload), book.snapshot_model, source=str(case_file))
        except (OSError, orjson.JSONDecodeError) as exc:
            err.print(f"[red]cannot read {escape(str(case_file))}[/red]: {escape(str(exc))}")
            raise typer.Exit(EXIT_BAD_INPUT) from None
    if show_forecast or what_if:
        from . import planning

        if show_forecast:
            planning.show_forecast(book, snapshot, moment, until, output)
        if what_if:
            planning.show_what_if(book, snapshot, moment, what_if, output)
        return
    with handled():
        evaluation = evaluate_case(book, snapshot, as_of=moment)
    if output is Format.json:
        write_json(explain_json(evaluation, book))
    else:
        text = explain_text(evaluation, include_not_applicable=include_not_applicable)
        out.print(escape(safe_lines(text)), end="")


@rules_app.command("list")
def rules_list(rules: Optional[Path] = RulesOption, setting: Optional[List[str]] = SettingOption) -> None:
    """List every rule with its basis, case kinds and versions."""
    from rich.table import Table

    book = rulebook(rules, setting)
    table = Table("rule", "title", "basis", "case kinds", "versions", "examples")
    for rule in book.rules:
        source = rule.source
        versions = ", ".join(str(v.valid_from) + ("-" + str(v.valid_to) if v.valid_to else "-") for v in source.versions)
        table.add_row(escape(rule.id), escape(source.title), source.basis, ", ".join(sorted(rule.kinds)), versions,
                      str(len(source.examples)))
    out.print(table)


@rules_app.command("validate")
def rules_validate(rules: Optional[Path] = RulesOption,
                   setting: Optional[List[str]] = SettingOption) -> None:
    """Load and compile the rule book and its escalation rules; report every problem as file:line. Exit 2 if any."""
    from ..live.escalation import load_escalations

    book = rulebook(rules, setting)
    try:
        escalations = load_escalations(book)
    except RulebookError as exc:
        raise rulebook_problems(exc) from None
    examples = sum(len(r.source.examples) for r in book.rules)
    out.print(f"rule book OK: {len(book.rules)} rules, {examples} worked examples, "
              f"{len(book.rulebook.parameters.parameters)} parameters, {len(book.calendars)} calendars, "
              f"{len(escalations.escalations)} escalation rules ({escape(str(book.rulebook.root))})")


@rules_app.command("settings")
def rules_settings(rules: Optional[Path] = RulesOption, setting: Optional[List[str]] = SettingOption) -> None:
    """List the interpretation settings: the question each answers, its choices, and the one in force."""
    book = rulebook(rules, setting)
    specs = book.rulebook.settings.settings
    if not specs:
        out.print("This rule book has no interpretation settings.")
        return
    chosen = book.rulebook.chosen
    for spec in specs:
        out.print(f"[bold]{escape(spec.id)}[/bold]: {escape(spec.title)}")
        out.print(f"  {escape(spec.question)}")
        for value, choice in spec.choices.items():
            marks = [word for word, on in (("default", value == spec.default), ("in force", value == chosen[spec.id]))
                     if on]
            out.print(f"  - {escape(value)}: {escape(choice.title)}" + (f" ({', '.join(marks)})" if marks else ""))
        out.print("")


def schema(
    name: SchemaName = typer.Argument(SchemaName.case, help="case: case snapshots; rule: rule files."),
    rules: Optional[Path] = RulesOption,
    setting: Optional[List[str]] = SettingOption,
) -> None:
    """Print the JSON Schema for case snapshots or rule files."""
    if name is SchemaName.case:
        write_json(rulebook(rules, setting).snapshot_model.model_json_schema())
    else:
        from ..model import Rule

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
    setting: Optional[List[str]] = SettingOption,
) -> None:
    """Work out a deadline and show every day skipped, e.g. 2026-03-26 20 --calendar any_part_of_uk."""
    from ..calendars import format_date
    from ..caseview import LONDON
    from ..daterange import RANGE_TEXT, in_range
    from ..deadlines import deadline_from
    from ..explain import deadline_lines

    book = rulebook(rules, setting)
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
    if not in_range(moment):
        raise typer.BadParameter(f"{start!r} is outside the supported range of dates, {RANGE_TEXT}")
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
    setting: Optional[List[str]] = SettingOption,
) -> None:
    """Run the worked examples written next to each rule. Exit 1 if any fails."""
    from ..worked_examples import run_examples

    book = rulebook(rules, setting)
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
