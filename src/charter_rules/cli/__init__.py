"""The ``charter-rules`` command: a thin layer over the library. Each command calls one library function."""

from __future__ import annotations

import os

import typer

from . import check, core, docs, rulebook_tools, watch

app = typer.Typer(
    name="charter-rules",
    help="Check police service-charter obligations: evaluate cases, check exports, validate and test the rules.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
core.register(app)
check.register(app)
docs.register(app)
watch.register(app)
rulebook_tools.register(app)


def main() -> None:
    # pydantic looks for plugins among every installed distribution's entry points when it builds its first model;
    # the command line uses none, and the search costs a noticeable part of starting up
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app()
