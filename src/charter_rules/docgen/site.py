"""The whole generated part of the documentation site, as ``{path: content}``, plus building and serving it.

``generated_pages`` is a pure function of a compiled rule book (and its charter map and findings): mkdocs-gen-files
writes its output into the site at build time (``docs/gen_pages.py``), and anything else (a test, another site
generator) can call it the same way. Hand-written pages carry ``<!-- docgen:NAME -->`` markers that ``fill`` replaces
with generated fragments, so wording that lives in the code (what each status means) is never copied into them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Mapping

import typer

from ..charter.findings import Finding
from ..charter.text import Charter
from ..compiled import CompiledRulebook
from ..model import Rule
from ..obligation import STATUS_MEANINGS, Status
from ..rulebook import DEFAULT_RULES_DIR
from ._text import attr, md, table
from .charter_index import CharterIndex, section_anchor
from .calculator import calculator_page
from .charter_pages import coverage_page, findings_page
from .dev_pages import api_page, cli_page
from .format_page import format_page
from .logic import RuleWords
from .reference_pages import calendars_page, case_data_page, definitions_page, parameters_page, settings_page
from .refs import Refs, rule_path
from .rule_page import rule_page
from .timeline_svg import STATUS_LABELS

RULES_DIR_ENV = "CHARTER_RULES_DIR"
SETTINGS_ENV = "CHARTER_RULES_SETTINGS"  # id=value pairs separated by commas, for the worked examples of the site


def settings_from_environment() -> dict[str, str]:
    """The settings ``charter-rules docs build --setting id=value`` passes to the page generator."""
    text = os.environ.get(SETTINGS_ENV, "")
    return dict(pair.split("=", 1) for pair in text.split(",") if "=" in pair)
MARKER = re.compile(r"<!--\s*docgen:([a-z-]+)\s*-->")
SHORT_BASIS = {"charter": "Charter", "law": "Law", "charter_and_law": "Charter and law"}


def status_badge_html(status: Status) -> str:
    return (f'<span class="cr-badge cr-{status.value.replace("_", "-")}" title="{attr(STATUS_MEANINGS[status])}">'
            f"{STATUS_LABELS[status]}</span>")


def status_table() -> str:
    """What every status means, from ``obligation.STATUS_MEANINGS`` (the words reports and explanations use)."""
    rows = [[status_badge_html(s), md(STATUS_MEANINGS[s])] for s in Status]
    return "\n".join(table(["Status", "What it means"], rows))


def rules_by_kind(book: CompiledRulebook, base: str = "") -> str:
    """Every rule, grouped by the kind of case it is about, with a plain title, its deadline and its basis."""
    refs = Refs(book, base)
    words = RuleWords(refs)
    vocabulary = book.rulebook.vocabulary
    lines: list[str] = []
    for kind, spec in vocabulary.case_kinds.items():
        rules = [r for r in book.rules if kind in r.source.case_kinds]
        if not rules:
            continue
        rules.sort(key=lambda r: r.source.title)
        lines += [f"### {md(spec.title)}", "", md(spec.description), ""]
        lines += table(["What we owe", "Time allowed", "Based on"], [
            [refs.rule(r.id), md(words.deadline_summary(r.versions[-1])), md(SHORT_BASIS.get(r.source.basis, ""))]
            for r in rules])
        lines.append("")
    return "\n".join(lines)


def charter_summary(book: CompiledRulebook, charter: Charter, base: str = "") -> str:
    sentences = [s for section in charter.sections for s in section.sentences]
    checked = [s for s in sentences if s.rules]
    lines = [
        f"The *{md(charter.title)}* page of the {md(charter.publisher)} makes {len(sentences)} statements in "
        f"{len(charter.sections)} sections. {len(checked)} of them are promises about individual cases, and each of "
        f"those is checked by one or more of the {len(book.rules)} rules below. The others (about the force as a "
        f"whole, or information rather than a promise) are listed with the reason on "
        f"[the charter page]({base}charter.md).", "",
    ]
    for section in charter.sections:
        promises = [s for s in section.sentences if s.rules]
        if promises:
            rules = {r for s in promises for r in s.rules}
            lines.append(f"- [{md(section.heading)}]({base}charter.md#{section_anchor(section.id)}): "
                         f"{len(promises)} {'promise' if len(promises) == 1 else 'promises'}, checked by "
                         f"{len(rules)} {'rule' if len(rules) == 1 else 'rules'}")
    return "\n".join(lines) + "\n"


def fill(text: str, fragments: dict[str, str]) -> str:
    """Replace each ``<!-- docgen:NAME -->`` with its fragment; an unknown NAME is an error, never left blank."""
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in fragments:
            raise KeyError(f"no generated fragment called {name!r} (known: {', '.join(sorted(fragments))})")
        return fragments[name]
    return MARKER.sub(replace, text)


def fragments(book: CompiledRulebook, charter: Charter) -> dict[str, str]:
    return {
        "status-meanings": status_table(),
        "rules-by-kind": rules_by_kind(book),
        "charter-summary": charter_summary(book, charter),
    }


KNOWN_PAGES = {"index.md", "how-to-read.md", "states.md", "developers/quick-start.md",
               "developers/writing-rules.md"}


def other_pages(docs_dir: Path) -> dict[str, str]:
    """Hand-written pages besides the known ones (``path: title``), so a page someone adds is never left out."""
    found: dict[str, str] = {}
    for path in sorted(Path(docs_dir).rglob("*.md")):
        relative = path.relative_to(docs_dir).as_posix()
        if relative in KNOWN_PAGES or relative == "SUMMARY.md":
            continue
        title = next((line[2:].strip() for line in path.read_text(encoding="utf-8").splitlines()
                      if line.startswith("# ")), path.stem.replace("-", " ").capitalize())
        found[relative] = title
    return found


def nav(book: CompiledRulebook, others: dict[str, str] | None = None) -> str:
    """The site navigation (a literate-nav SUMMARY.md): hand-written pages and every generated one.

    ``others``: further hand-written pages (``path: title``); those under developers/ join that section, the rest
    are listed under their folder's name, or under *More* for pages at the top.
    """
    others = others or {}
    lines = ["* [Home](index.md)", "* [Reading a rule page](how-to-read.md)", "* [What the states mean](states.md)",
             "* [Rules](rules/index.md)"]
    placed: set[str] = set()
    for kind, spec in book.rulebook.vocabulary.case_kinds.items():
        rules = sorted((r for r in book.rules if kind in r.source.case_kinds and r.id not in placed),
                       key=lambda r: r.source.title)
        if not rules:
            continue
        lines.append(f"    * {md(spec.title)}")
        for rule in rules:
            placed.add(rule.id)
            lines.append(f"        * [{md(rule.source.title)}]({rule_path(rule.id)})")
    lines += [
        "* [The charter, sentence by sentence](charter.md)",
        "* [Where the charter and the law differ](findings.md)",
        "* Reference",
        "    * [Working days and bank holidays](calendars.md)",
        "    * [Numbers from law and policy](parameters.md)",
        "    * [Interpretation settings](settings.md)",
        "    * [Definitions](definitions.md)",
        "    * [Case data](case-data.md)",
        "    * [Deadline calculator](deadline-calculator.md)",
        "* For developers",
        "    * [Quick start](developers/quick-start.md)",
        "    * [Writing and testing a rule](developers/writing-rules.md)",
        "    * [Rule-file format](developers/rule-format.md)",
        "    * [Command line](developers/cli.md)",
        "    * [Python API](developers/python-api.md)",
    ]
    # design decisions are for developers: they sit in that section, not in the top navigation
    for_developers = ("developers/", "decisions/")
    lines += [f"    * [{md(title)}]({path})" for path, title in others.items() if path.startswith(for_developers)]
    groups: dict[str, list[str]] = {}
    for path, title in others.items():
        if path.startswith(for_developers):
            continue
        folder = path.split("/")[0].replace("-", " ").capitalize() if "/" in path else "More"
        groups.setdefault(folder, []).append(f"    * [{md(title)}]({path})")
    for folder, entries in groups.items():
        lines += [f"* {md(folder)}", *entries]
    return "\n".join(lines) + "\n"


def rules_index(book: CompiledRulebook) -> str:
    return "\n".join([
        "# Rules", "",
        "Every rule the evaluator applies, grouped by the kind of case it is about. Each rule has its own page "
        "with what it means in plain English, its sources and worked examples.", "",
        rules_by_kind(book, "../"),
    ])


def rule_ids_script(book: CompiledRulebook) -> str:
    """Every rule's id, title and page, for the search box (``docs/assets/rule-id-search.js``); JSON, so the text is
    data to the browser, never code."""
    rules = {r.id: {"title": r.source.title, "path": f"rules/{r.id}.html"} for r in book.rules}
    data = json.dumps(rules, ensure_ascii=True, sort_keys=True).replace("<", "\\u003c")
    return f"window.charterRuleIds = {data};\n"


def generated_pages(book: CompiledRulebook, charter: Charter, findings: list[Finding], cli_app: typer.Typer,
                    others: dict[str, str] | None = None) -> dict[str, str]:
    """Every generated page and download of the site, keyed by its path inside the docs folder.

    ``cli_app``: the ``charter-rules`` command, whose reference page is generated from it.

    ``others``: hand-written pages beyond the known ones, to be put in the navigation (see ``other_pages``).
    """
    import charter_rules  # the package's public names, for the API page (the root imports nothing from docgen)

    index = CharterIndex(charter)
    top, below = Refs(book, ""), Refs(book, "../")
    pages: dict[str, str] = {rule_path(r.id): rule_page(below, r, index) for r in book.rules}
    pages["rules/index.md"] = rules_index(book)
    pages["charter.md"] = coverage_page(top, charter, {f.id for f in findings})
    pages["findings.md"] = findings_page(top, findings)
    pages["calendars.md"] = calendars_page(top)
    pages["case-data.md"] = case_data_page(top)
    pages["definitions.md"] = definitions_page(top)
    pages["parameters.md"] = parameters_page(top)
    pages["deadline-calculator.md"] = calculator_page(book)
    pages["settings.md"] = settings_page(top)
    pages["developers/rule-format.md"] = format_page(
        [("charter.yaml: the charter text and what checks each sentence", Charter)])
    pages["developers/cli.md"] = cli_page(cli_app)
    pages["developers/python-api.md"] = api_page(charter_rules)
    pages["schemas/case-snapshot.schema.json"] = json.dumps(book.snapshot_model.model_json_schema(), indent=2)
    pages["schemas/rule.schema.json"] = json.dumps(Rule.model_json_schema(by_alias=True), indent=2)
    pages["assets/rule-ids.js"] = rule_ids_script(book)
    pages["SUMMARY.md"] = nav(book, others)
    return pages


def write_site_pages(book: CompiledRulebook, open_file: Callable[..., Any], read_file: Callable[[str], str],
                     charter: Charter, findings: list[Finding], cli_app: typer.Typer,
                     docs_dir: Path | None = None) -> list[str]:
    """Write every generated page with ``open_file(path, "w")`` and fill the markers of the hand-written ones.

    ``read_file(path)`` returns a hand-written page's text; ``docs_dir``, if given, is searched for further
    hand-written pages to list in the navigation. Returns the paths written.
    """
    written = []
    others = other_pages(docs_dir) if docs_dir is not None else {}
    for path, content in generated_pages(book, charter, findings, cli_app, others).items():
        with open_file(path, "w") as handle:
            handle.write(content)
        written.append(path)
    parts = fragments(book, charter)
    for path in ("index.md", "states.md", "how-to-read.md"):
        text = read_file(path)
        filled = fill(text, parts)
        if filled != text:
            with open_file(path, "w") as handle:
                handle.write(filled)
            written.append(path)
    return written


# --- building and serving with mkdocs ------------------------------------------------------------------------------


def default_config() -> Path:
    """The mkdocs.yml of the source checkout this package runs from."""
    return DEFAULT_RULES_DIR.parent / "mkdocs.yml"


def _mkdocs(args: list[str], config: Path | None, rules_dir: Path | None,
            settings: Mapping[str, str] | None = None) -> int:
    config = Path(config) if config is not None else default_config()
    if not config.is_file():
        raise FileNotFoundError(f"{config}: no mkdocs.yml here; pass the path of the project's mkdocs.yml")
    env = dict(os.environ)
    # banners about future versions of mkdocs and its theme, not about this site
    env.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    if rules_dir is not None:
        env[RULES_DIR_ENV] = str(Path(rules_dir).resolve())
    if settings:
        env[SETTINGS_ENV] = ",".join(f"{name}={value}" for name, value in settings.items())
    return subprocess.call([sys.executable, "-m", "mkdocs", *args, "--config-file", str(config)], env=env)


def build_site(site_dir: Path | None = None, *, config: Path | None = None, rules_dir: Path | None = None,
               strict: bool = True, settings: Mapping[str, str] | None = None) -> int:
    """``mkdocs build`` (strict by default) into ``site_dir``; returns mkdocs' exit code."""
    args = ["build"] + (["--strict"] if strict else [])
    if site_dir is not None:
        args += ["--site-dir", str(Path(site_dir).resolve())]
    return _mkdocs(args, config, rules_dir, settings)


def serve_site(address: str = "127.0.0.1:8000", *, config: Path | None = None, rules_dir: Path | None = None,
               settings: Mapping[str, str] | None = None) -> int:
    """``mkdocs serve`` on ``address``, rebuilding when a rule file or the code changes."""
    return _mkdocs(["serve", "--dev-addr", address], config, rules_dir, settings)
