"""``charter-rules queue``, and the forecast and what-if of ``charter-rules evaluate``: thin layers over planning/."""

from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import orjson
import typer
from rich.markup import escape

from ..compiled import CompiledRulebook
from ..explain import format_moment
from ..planning import build_queue, forecast, parse_edit, what_if
from ..planning.queue import DEFAULT_WITHIN
from ..planning.queue_output import write
from ..planning.serialise import forecast_json, what_if_json
from ..planning.whatif import what_if_text
from ..snapshot import CaseSnapshot
from ._common import EXIT_BAD_INPUT, EXIT_CLEAN, AsOfOption, Format, MaxRecordSizeOption, RulesOption, err, handled, out, \
    parse_as_of, record_limit, rulebook, write_json

DEFAULT_HORIZON_DAYS = 90


class QueueFormat(str, Enum):
    text = "text"
    csv = "csv"
    json = "json"
    markdown = "markdown"
    html = "html"
    ics = "ics"


class GroupBy(str, Enum):
    officer = "officer"
    team = "team"
    rule = "rule"
    case_kind = "case-kind"


def queue(
    paths: List[Path] = typer.Argument(..., help="Case exports: .jsonl, .ndjson, .json, .csv (also .gz) files or folders."),
    as_of: Optional[str] = AsOfOption,
    within: int = typer.Option(DEFAULT_WITHIN, "--within", min=0,
                               help="Also list obligations due within this many working days."),
    group_by: Optional[GroupBy] = typer.Option(None, "--group-by", help="officer, team, rule or case-kind."),
    output: QueueFormat = typer.Option(QueueFormat.text, "--format",
                                       help="text, csv, json, markdown, html (self-contained) or ics (iCalendar)."),
    output_file: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file."),
    redact: bool = typer.Option(False, "--redact",
                                help="Keep personal data (officers' names, contact details, free text) out."),
    max_record_size: str = MaxRecordSizeOption,
    rules: Optional[Path] = RulesOption,
) -> None:
    """What to do today: owed obligations overdue, at risk or due soon, most urgent first.

    Rejected records are listed with where and why. Exit 0, or 2 when no records were found."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise typer.BadParameter("no such file or folder: " + ", ".join(missing), param_hint="PATHS")
    limit = record_limit(max_record_size)
    book = rulebook(rules)
    with handled():
        work = build_queue(book, paths, as_of=parse_as_of(as_of), within=within, redact=redact,
                           group_by=group_by.value if group_by else None,
                           max_record_bytes=limit)
    if output_file is not None:
        with output_file.open("wb") as handle:
            write(work, output.value, handle)
        err.print(f"work queue written to {escape(str(output_file))}")
    else:
        write(work, output.value, sys.stdout.buffer)
        sys.stdout.flush()
    if output_file is not None or output is not QueueFormat.text:
        for rejected in work.rejected:
            err.print(f"[yellow]rejected[/yellow] {escape(rejected['where'])}: {escape(rejected['error'])}")
    if work.records_read == 0:
        err.print("[red]no case records found[/red] in " + escape(", ".join(str(p) for p in paths)))
        raise typer.Exit(EXIT_BAD_INPUT)
    raise typer.Exit(EXIT_CLEAN)


def parse_until(text: Optional[str], start: dt.datetime) -> dt.datetime:
    if text is None:
        return start + dt.timedelta(days=DEFAULT_HORIZON_DAYS)
    return parse_as_of(text)


def show_forecast(book: CompiledRulebook, snapshot: CaseSnapshot, start: dt.datetime, until: Optional[str],
                  output: Format) -> None:
    with handled():
        result = forecast(book, snapshot, start=start, until=parse_until(until, start))
    if output is Format.json:
        write_json(forecast_json(result, book))
        return
    out.print(escape(f"Case {result.case_id}: what changes by itself from {format_moment(result.start)} "
                     f"to {format_moment(result.until)} if nothing more is recorded"))
    if not result.changes:
        out.print("Nothing changes by itself before then.")
    for moment in result.moments:
        out.print(escape(format_moment(moment)))
        for change in (c for c in result.changes if c.at == moment):
            out.print(escape(f"  - {change.text}"))


def show_what_if(book: CompiledRulebook, snapshot: CaseSnapshot, moment: dt.datetime, edits: List[str],
                 output: Format) -> None:
    parsed = []
    for text in edits:
        try:
            parsed.append(orjson.loads(text))
        except orjson.JSONDecodeError as exc:
            raise typer.BadParameter(f"{text!r} is not JSON ({exc})", param_hint="--what-if") from None
    with handled():
        result = what_if(book, snapshot, [parse_edit(p) for p in parsed], as_of=moment)
    if output is Format.json:
        write_json(what_if_json(result, book))
    else:
        out.print(escape(what_if_text(result)), end="")


def register(app: typer.Typer) -> None:
    app.command()(queue)

