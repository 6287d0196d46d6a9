"""The ``charter-rules`` command: a thin layer over the library. Each command calls one library function."""

from __future__ import annotations

import typer

from . import check, compare, core, docs, planning, rulebook_tools, watch

app = typer.Typer(
    name="charter-rules",
    help="Check police service-charter obligations: evaluate cases, check exports, validate and test the rules.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
core.register(app)
check.register(app)
planning.register(app)
compare.register(app)
docs.register(app)
watch.register(app)
rulebook_tools.register(app)


def main() -> None:
    app()
