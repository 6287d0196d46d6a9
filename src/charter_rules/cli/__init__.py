"""The ``charter-rules`` command: a thin layer over the library. Each command calls one library function.

Each command module registers its commands on a typer app. ``main`` imports only the module of the command asked
for (``charter-rules rules list`` never imports the check, planning or documentation commands, nor what they
need), so a command starts quickly; with no command, an unknown one or ``--help``, every module is registered and
typer answers as usual. ``app`` (for ``typer.testing.CliRunner`` and for embedding) is the whole command line,
built on first use.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from typing import TYPE_CHECKING, Iterable

from ._common import EXIT_CLEAN, EXIT_INTERNAL

if TYPE_CHECKING:
    import typer

# the command modules, in the order their commands are listed by --help, and the commands each registers
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "core": ("evaluate", "rules", "schema", "deadline", "test"),
    "check": ("check",),
    "planning": ("queue",),
    "compare": ("compare",),
    "docs": ("docs",),
    "watch": ("watch",),
    "rulebook_tools": ("coverage", "lint"),
}
_MODULE_OF = {command: module for module, commands in COMMAND_MODULES.items() for command in commands}


def build_app(modules: Iterable[str] = tuple(COMMAND_MODULES)) -> "typer.Typer":
    """A typer app with the commands of the given command modules (by default all of them)."""
    import typer

    built = typer.Typer(
        name="charter-rules",
        help="Check police service-charter obligations: evaluate cases, check exports, validate and test the rules.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    for module in modules:
        importlib.import_module(f"{__name__}.{module}").register(built)
    return built


def __getattr__(name: str) -> object:
    if name == "app":
        globals()["app"] = built = build_app()
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _command_line(args: list[str]) -> "typer.Typer":
    """The app for these arguments: only the named command's module when the first argument names a command."""
    module = _MODULE_OF.get(args[0]) if args else None
    if module is None:
        return __getattr__("app")  # type: ignore[return-value]
    return build_app((module,))


def _run(args: list[str]) -> None:
    import typer.main

    # always a group (a module with one command would otherwise become a command without a name)
    typer.main.get_group(_command_line(args))(args=args, prog_name="charter-rules")


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
        _run(args)
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
