"""``charter-rules docs build|serve``: the documentation site, built or previewed with mkdocs."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape

from ._common import EXIT_BAD_INPUT, EXIT_FOUND, RulesOption, SettingOption, err, parse_settings, rulebook

docs_app = typer.Typer(help="Build or preview the documentation site for policy officers.", no_args_is_help=True)

ConfigOption = typer.Option(None, "--config", help="The site's mkdocs.yml (default: the one in this checkout).")


def _run(action: object) -> None:
    try:
        code = action()  # type: ignore[operator]
    except FileNotFoundError as exc:
        err.print(f"[red]cannot build the site[/red]: {escape(str(exc))}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if code != 0:
        raise typer.Exit(EXIT_FOUND)


@docs_app.command("build")
def build(
    site_dir: Path = typer.Option(Path("site"), "--site-dir", help="Where to write the site."),
    strict: bool = typer.Option(True, "--strict/--no-strict", help="Fail on any warning (a broken link, say)."),
    config: Optional[Path] = ConfigOption,
    rules: Optional[Path] = RulesOption,
    setting: Optional[List[str]] = SettingOption,
) -> None:
    """Build the site (rule pages generated from the rule book). Exit 1 if the build fails."""
    from ..docgen.site import build_site

    chosen = parse_settings(setting)
    if chosen:
        rulebook(rules, chosen)  # an unknown setting or choice is reported here, before mkdocs starts
    _run(lambda: build_site(site_dir, config=config, rules_dir=rules, strict=strict, settings=chosen))


@docs_app.command("serve")
def serve(
    address: str = typer.Option("127.0.0.1:8000", "--address", help="Where to serve it: host:port."),
    config: Optional[Path] = ConfigOption,
    rules: Optional[Path] = RulesOption,
    setting: Optional[List[str]] = SettingOption,
) -> None:
    """Preview the site, rebuilt whenever a rule file or the code changes."""
    from ..docgen.site import serve_site

    chosen = parse_settings(setting)
    if chosen:
        rulebook(rules, chosen)
    _run(lambda: serve_site(address, config=config, rules_dir=rules, settings=chosen))


def register(app: typer.Typer) -> None:
    app.add_typer(docs_app, name="docs")
