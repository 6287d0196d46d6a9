"""``charter-rules compare``: the impact of a rule-book change on an export (a thin layer over rulebook_compare)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape

from ..check.rulebook_compare import DEFAULT_EXAMPLES, compare_rulebooks
from ..check.rulebook_source import load_named
from ._common import (EXIT_BAD_INPUT, EXIT_CLEAN, AsOfOption, MaxRecordSizeOption, err, handled, parse_as_of,
                      record_limit, rulebook_problems)
from ..errors import RulebookError


class CompareFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


def compare(
    paths: List[Path] = typer.Argument(..., help="Case exports: .jsonl, .ndjson, .json, .csv (also .gz) files or folders."),
    rules: List[str] = typer.Option(..., "--rules", help="A rule book: a folder, or git:REV for rules/ at a git "
                                    "revision (e.g. git:HEAD~1). Give it twice: the current, then the proposed."),
    as_of: Optional[str] = AsOfOption,
    output: CompareFormat = typer.Option(CompareFormat.text, "--format",
                                         help="text, json, markdown or html (self-contained, for a policy paper)."),
    output_file: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file."),
    examples: int = typer.Option(DEFAULT_EXAMPLES, "--examples", min=0, help="Worked examples per changed rule."),
    redact: bool = typer.Option(False, "--redact", help="Keep personal data out of the worked examples."),
    max_record_size: str = MaxRecordSizeOption,
) -> None:
    """What a change to the rule book does: the same export under two rule books, rule by rule."""
    if len(rules) != 2:
        raise typer.BadParameter(f"give exactly two rule books (got {len(rules)}): --rules CURRENT --rules PROPOSED",
                                 param_hint="--rules")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise typer.BadParameter("no such file or folder: " + ", ".join(missing), param_hint="PATHS")
    moment = parse_as_of(as_of)
    limit = record_limit(max_record_size)
    with handled():
        try:
            before, after = load_named(rules[0]), load_named(rules[1])
        except RulebookError as exc:
            raise rulebook_problems(exc) from None
        result = compare_rulebooks(before, after, paths, as_of=moment, examples=examples, redact=redact,
                                   max_record_bytes=limit)
    if output is CompareFormat.html:
        from ..reports.comparison_html import render_html

        data = render_html(result).encode()
    else:
        from ..reports.comparison import render_json, render_markdown, render_text

        data = {"text": lambda r: render_text(r).encode(), "json": render_json,
                "markdown": lambda r: render_markdown(r).encode()}[output.value](result)
    if output_file is not None:
        output_file.write_bytes(data)
        err.print(f"comparison written to {escape(str(output_file))}")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    if output.value != "text" or output_file is not None:  # the text comparison on the terminal lists them itself
        for rejected in result.rejected:
            err.print(f"[yellow]rejected[/yellow] {escape(rejected['where'])}: {escape(rejected['error'])}")
    raise typer.Exit(EXIT_BAD_INPUT if result.records_read == 0 else EXIT_CLEAN)


def register(app: typer.Typer) -> None:
    app.command()(compare)
