"""Developer reference pages generated from the code: the CLI (from the typer app itself) and the Python API (from
``charter_rules.__all__``, rendered by mkdocstrings)."""

from __future__ import annotations

import inspect
from typing import Any

import typer

from ._text import md, table


def _context(command: Any, name: str, parent: Any = None) -> Any:
    # typer ships its own copy of click, so contexts are made with the command's own class
    return command.context_class(command, info_name=name, parent=parent)


def _commands(group: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    out: list[tuple[list[str], Any]] = []
    if hasattr(group, "list_commands"):
        ctx = _context(group, path[-1] if path else "charter-rules")
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if command is None or getattr(command, "hidden", False):
                continue
            out.append((path + [name], command))
            out.extend(_commands(command, path + [name]))
    return out


def _type_name(param: Any, ctx: Any) -> str:
    if hasattr(param, "display_type"):  # typer's own click
        shown = str(param.display_type(ctx)).strip("<>")
        return " or ".join(f"`{c}`" for c in shown.split("|")) if "|" in shown else md(shown)
    kind = param.type
    choices = getattr(kind, "choices", None)
    if choices:
        return " or ".join(f"`{c}`" for c in choices)
    return md(getattr(kind, "name", str(kind)))


def _param_row(param: Any, ctx: Any) -> list[str]:
    if param.param_type_name == "option":
        names = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
        kind = "flag" if param.is_flag else _type_name(param, ctx)
        default = getattr(param.default, "value", param.default)
        shown = "" if callable(default) or default in (None, False, (), []) or param.is_flag else f"`{default}`"
        help_text = param.help or ""
        if param.envvar:
            help_text += f" Also read from the environment variable {param.envvar}."
        return [names, kind, "yes" if param.required else "no", shown, md(help_text)]
    help_text = getattr(param, "help", None) or ""
    name = f"`{(getattr(param, 'metavar', None) or param.name or '').upper()}`"
    multiple = " (one or more)" if getattr(param, "nargs", 1) == -1 else ""
    default = getattr(param.default, "value", param.default)
    shown = "" if callable(default) or default in (None, (), []) else f"`{default}`"
    return [name, _type_name(param, ctx) + multiple, "yes" if param.required else "no", shown, md(help_text)]


def cli_page(app: typer.Typer) -> str:
    """Every command, its usage line, help text and options, read from the app that runs them."""
    root = typer.main.get_command(app)
    lines = ["# Command-line reference", "",
             "Generated from the `charter-rules` program itself, so it always matches `charter-rules --help`. "
             "Exit codes: **0** nothing found, **1** problems or breaches found, **2** bad input (a rule book, case "
             "file or option that cannot be used).", ""]
    if root.help:
        lines += [md(inspect.cleandoc(root.help)), ""]
    parent = _context(root, "charter-rules")
    for path, command in _commands(root, []):
        name = " ".join(path)
        ctx = _context(command, name, parent)
        lines += [f"## charter-rules {name}", ""]
        if command.help:
            lines += [md(inspect.cleandoc(command.help)), ""]
        if hasattr(command, "list_commands"):
            subs = [f"`charter-rules {name} {n}`" for n in command.list_commands(ctx)]
            lines += ["Commands: " + ", ".join(subs) + ".", ""]
            continue
        usage = command.get_usage(ctx).strip().removeprefix("Usage: ").replace("{", "").replace("}", "")
        lines += ["```text", usage, "```", ""]
        rows = [_param_row(p, ctx) for p in command.params if p.name != "help"]
        if rows:
            lines += table(["Argument or option", "Type", "Required", "Default", "Meaning"], rows) + [""]
    return "\n".join(lines)


def _category(obj: Any) -> str:
    if inspect.isclass(obj) and issubclass(obj, BaseException):
        return "Errors"
    if callable(obj) and not inspect.isclass(obj):  # functions, including cached ones
        return "Functions"
    return "Classes and results"


def api_page(package: Any) -> str:
    """One mkdocstrings block per public name of ``package`` (its ``__all__``), grouped by kind."""
    names = [n for n in package.__all__ if not n.startswith("_")]
    groups: dict[str, list[str]] = {"Functions": [], "Classes and results": [], "Errors": []}
    for name in names:
        groups[_category(getattr(package, name))].append(name)
    doc = inspect.getdoc(package) or ""
    lines = ["# Python API", "",
             f"Everything below is importable from `{package.__name__}` (its `__all__`); the rest of the package is "
             "internal and may change. Generated from the docstrings and type hints.", ""]
    if doc:
        first, _, rest = doc.partition("\n\n")
        lines += [md(first), "", rest.replace("::", ":"), ""]
    for group, members in groups.items():
        if not members:
            continue
        lines += [f"## {group}", ""]
        for name in members:
            lines += [f"::: {package.__name__}.{name}", "    options:", "      heading_level: 3", ""]
    return "\n".join(lines)

