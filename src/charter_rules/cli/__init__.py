"""The ``charter-rules`` command: a thin layer over the library. Each command calls one library function."""

from __future__ import annotations

import os
import sys
import traceback

import typer

from . import check, compare, core, docs, planning, rulebook_tools, watch
from ._common import EXIT_CLEAN, EXIT_INTERNAL

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


def main(argv: list[str] | None = None) -> None:
    """Run the command line. A fault inside charter-rules (never bad input, which exits 2 with its own message)
    exits EXIT_INTERNAL with one line saying so; ``--debug`` (anywhere) or CHARTER_RULES_DEBUG=1 shows the
    traceback instead."""
    # pydantic looks for plugins among every installed distribution's entry points when it builds its first model;
    # the command line uses none, and the search costs a noticeable part of starting up
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or os.environ.get("CHARTER_RULES_DEBUG", "") not in ("", "0")
    args = [a for a in args if a != "--debug"]
    try:
        app(args=args, prog_name="charter-rules")
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except BrokenPipeError:  # the reader went away (e.g. `| head`): nothing more to say to it
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_CLEAN)
    except Exception as exc:  # noqa: BLE001 - the one place every unexpected fault is turned into an exit status
        if debug:
            traceback.print_exc()
        else:
            first = (str(exc).splitlines() or [""])[0][:200]
            sys.stderr.write(f"internal error: {type(exc).__name__}: {first}\n"
                             "This is a fault in charter-rules, not in the input. Run the same command with --debug "
                             "to see the traceback, and report it.\n")
        sys.exit(EXIT_INTERNAL)
