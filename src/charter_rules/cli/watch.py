"""``charter-rules watch``: the live monitor over a JSON Lines stream (stdin or a file)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Any, Iterator, Optional, List

import orjson
import typer

from ..live.monitor import Monitor
from ..inputlimits import InputTooLarge
from ..live.stream import bounded_lines, run_stream
from ._common import EXIT_BAD_INPUT, EXIT_CLEAN, RulesOption, SettingOption, handled, rulebook


class MatcherName(str, Enum):
    auto = "auto"
    python = "python"
    durable = "durable"


def _lines(source: Optional[Path]) -> Iterator[bytes | InputTooLarge]:
    if source is None or str(source) == "-":
        yield from bounded_lines(sys.stdin.buffer)
        return
    try:
        with source.open("rb") as handle:
            yield from bounded_lines(handle)
    except OSError as exc:
        sys.stderr.write(f"cannot read {source}: {exc}\n")
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _write(record: dict[str, Any]) -> None:
    sys.stdout.buffer.write(orjson.dumps(record) + b"\n")
    sys.stdout.flush()


def _report(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def watch(
    source: Optional[Path] = typer.Argument(None, help="JSON Lines stream of case records, events and ticks "
                                                       "(default: stdin)."),
    store: str = typer.Option(":memory:", "--store", help="SQLite file holding the monitor's state across runs "
                                                          "(default: in memory, gone at exit)."),
    matcher: MatcherName = typer.Option(MatcherName.auto, "--matcher",
                                        help="Escalation matcher: durable (durable-rules, in a worker process), "
                                             "python, or auto (durable where it is installed)."),
    escalations: Optional[Path] = typer.Option(None, "--escalations",
                                               help="Directory of escalation rules (default: escalations/ of the "
                                                    "rule book)."),
    no_escalations: bool = typer.Option(False, "--no-escalations", help="Report transitions only."),
    accept_rule_changes: bool = typer.Option(False, "--accept-rule-changes",
                                             help="Reopen a store written under other rules, re-evaluating every "
                                                  "case on the next tick."),
    rules: Optional[Path] = RulesOption,
    setting: Optional[List[str]] = SettingOption,
) -> None:
    """Watch a stream of case events: write transitions and escalations as JSON Lines.

    Each input line is a case record {"case_id", "kind", "received_at", "facts"}, an event {"case_id", "event"} or a tick {"tick": "2026-04-08T09:00:00+01:00"}.

    The clock moves with the events' own times and with ticks; every deadline passed on the way is reported at its own moment.

    The interpretation settings in force are named on stderr first. A bad line is reported on stderr with its number and skipped. Exit status 2 if any line was bad, else 0.
    """
    from ..explain import settings_line

    book = rulebook(rules, setting)
    settings = settings_line(book.settings)
    if settings:  # the same files read with another setting give other verdicts: say which were used
        _report(settings)
    with handled():
        monitor = Monitor(store, book=book, escalations=False if no_escalations else escalations,
                          matcher=matcher.value, accept_rule_changes=accept_rule_changes)
    try:
        with handled():
            summary = run_stream(_lines(source), monitor, _write, _report)
    finally:
        monitor.close()
    raise typer.Exit(EXIT_BAD_INPUT if summary.bad else EXIT_CLEAN)


def register(app: typer.Typer) -> None:
    app.command("watch")(watch)
