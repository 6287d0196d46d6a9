"""Load a rule book directory: every file is read safely and validated, and every problem is reported at once.

Layout of a rule book directory::

    vocabulary.yaml      case kinds, facts and event types case data may use
    parameters.yaml      numbers from law and policy, with sources
    definitions.yaml     named conditions (e.g. who has enhanced rights)
    calendars.yaml       working-day calendars and bank-holiday overrides
    settings.yaml        interpretation settings (optional): choices the sources leave open, chosen per run
    commitments/<id>.yaml   one rule per file; the id equals the file name
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ._yaml import load_yaml_file, locate
from .errors import Problem, RuleSyntaxError, RuleValidationError, SettingError
from .model import CalendarsFile, DefinitionsFile, ParametersFile, Rule, SettingsFile, VocabularyFile
from .wording import data_path, reword, without_follow_ons

M = TypeVar("M", bound=BaseModel)

def _default_rules_dir() -> Path:
    """The repository's rules/ when running from a checkout, else the copy packaged inside the wheel."""
    checkout = Path(__file__).resolve().parents[2] / "rules"
    if (checkout / "vocabulary.yaml").is_file():
        return checkout
    return Path(__file__).resolve().parent / "_rules"


DEFAULT_RULES_DIR = _default_rules_dir()


@dataclass(frozen=True)
class SourceFile:
    """Where a piece of the rule book came from, to point errors at the right line."""

    path: Path
    positions: Mapping[tuple[Any, ...], tuple[int, int]] = field(repr=False)  # key path -> (line, column)

    def locate(self, loc: tuple[Any, ...], *, at_key: bool = False) -> tuple[int | None, int | None]:
        """(line, column) of ``loc``: its value's position, or with ``at_key`` the key's own."""
        key = tuple(loc) + ("__key__",)
        if at_key and key in self.positions:
            return self.positions[key]
        found = locate(self.positions, loc)
        return found if found else (None, None)

    @cached_property
    def lines(self) -> list[str]:
        try:
            return self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return []

    def problem(self, message: str, loc: tuple[Any, ...] = (), *, hint: str | None = None,
                at_key: bool = False) -> Problem:
        line, column = self.locate(loc, at_key=at_key)
        field_text = ".".join(str(p) for p in loc) or None
        excerpt = self.lines[line - 1].rstrip() if line is not None and 0 < line <= len(self.lines) else None
        return Problem(message, path=str(self.path), line=line, column=column, field=field_text, hint=hint,
                       excerpt=excerpt)


@dataclass(frozen=True)
class Rulebook:
    """The validated, not yet compiled, contents of a rule book directory."""

    root: Path
    vocabulary: VocabularyFile
    parameters: ParametersFile
    definitions: DefinitionsFile
    calendars: CalendarsFile
    rules: dict[str, Rule]
    sources: dict[str, SourceFile]  # keys: "vocabulary", "parameters", "definitions", "calendars", "rule:<id>"
    failed_rules: frozenset[str] = frozenset()  # rule files left out for problems of their own (file names)
    settings: SettingsFile = field(default_factory=SettingsFile)
    chosen: Mapping[str, str] = field(default_factory=dict)  # every setting's value for this load (defaults filled in)

    def with_settings(self, settings: Mapping[str, str] | None) -> "Rulebook":
        """The same rule book with these settings chosen (others keep their defaults). Raises SettingError."""
        return replace(self, chosen=bind_settings(self.settings, settings, self.root))


def bind_settings(spec: SettingsFile, chosen: Mapping[str, str] | None, root: Path) -> Mapping[str, str]:
    """Every setting's value: the chosen one where given, else its default. Unknown ids or values are errors."""
    known = spec.by_id()
    values = {setting.id: setting.default for setting in spec.settings}
    problems: list[Problem] = []
    path = str(root / "settings.yaml")
    for name, value in (chosen or {}).items():
        setting = known.get(name)
        if setting is None:
            listed = "; ".join(f"{s.id} ({', '.join(s.choices)})" for s in spec.settings) or "none"
            problems.append(Problem(f"unknown setting {name!r}", path=path, hint=f"settings: {listed}"))
            continue
        if value not in setting.choices:
            choices = ", ".join(f"{key} ({choice.title})" for key, choice in setting.choices.items())
            problems.append(Problem(f"{value!r} is not a choice of setting {name!r} ({setting.title})", path=path,
                                    hint=f"choices: {choices}"))
            continue
        values[name] = value
    if problems:
        raise SettingError(problems)
    return MappingProxyType(values)


def validate_model(model: type[M], data: Any, source: SourceFile, problems: list[Problem]) -> M | None:
    """``data`` as a ``model``, or None with every validation error added to ``problems`` at its file:line."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in without_follow_ons(exc.errors(include_url=False)):
            loc = data_path(data, error["loc"], _UNION_TAGS)
            wording = reword(error, model=model)
            at_key = error["type"] == "extra_forbidden"
            problems.append(source.problem(wording.message, loc, hint=wording.hint, at_key=at_key))
        return None


# pydantic names the branch of a tagged union in error locations; they are not keys of the file
_UNION_TAGS = {"fact", "field", "event", "is", "all", "any", "not", "setting", "int", "ParamRef", "FactRef", "str", "list[str]"}
_UNION_TAGS |= {"float", "bool", "list[union[str,int,float,bool]]", "union[str,int,float,bool]"}


def read_mapping(path: Path, problems: list[Problem]) -> tuple[Any, SourceFile] | None:
    """A YAML file holding a mapping, with its positions; None (and the problems added) if it cannot be read."""
    try:
        data, positions = load_yaml_file(path)
    except RuleSyntaxError as exc:
        problems.extend(exc.problems)
        return None
    except yaml.YAMLError as exc:  # PyYAML refuses some characters before parsing starts (a NUL, say)
        problems.append(_reader_problem(path, exc))
        return None
    source = SourceFile(path, positions)
    if not isinstance(data, dict):
        problems.append(source.problem("the file must hold a mapping (key: value lines) at the top"))
        return None
    return data, source


def _reader_problem(path: Path, exc: yaml.YAMLError) -> Problem:
    """A YAML error raised before parsing (no line attached): the line and column worked out from its position."""
    position = getattr(exc, "position", None)
    character = getattr(exc, "character", None)
    line = column = None
    if isinstance(position, int):
        try:
            before = path.read_text(encoding="utf-8")[:position]
            line, column = before.count("\n") + 1, position - before.rfind("\n")
        except (OSError, UnicodeDecodeError):
            pass
    what = f"the character U+{character:04X}" if isinstance(character, int) else "a character"
    return Problem(f"{what} is not allowed in a YAML file", path=str(path), line=line, column=column,
                   hint="fix the YAML syntax")


def read_settings(path: Path, sources: dict[str, SourceFile], problems: list[Problem]) -> SettingsFile:
    """The interpretation settings of the book (settings.yaml is optional: none without it)."""
    if not path.is_file():
        return SettingsFile()
    read = read_mapping(path, problems)
    if read is None:
        return SettingsFile()
    data, source = read
    sources["settings"] = source
    return validate_model(SettingsFile, data, source, problems) or SettingsFile()


def load_rulebook(root: Path | str | None = None, *, settings: Mapping[str, str] | None = None) -> Rulebook:
    """Read and validate every file of a rule book directory (default: the bundled rules/).

    ``settings`` chooses interpretation settings by id (``{"ico_roll_forward_holidays": "any_part_of_uk"}``); the
    others keep their defaults. Raises RuleSyntaxError or RuleValidationError listing *every* problem found, each as
    ``file:line:column``, and SettingError for an unknown setting or choice.
    To evaluate cases, use ``charter_rules.load_compiled`` instead: it also compiles the book.
    """
    book, problems = read_rulebook(root)
    if problems or book is None:
        raise rulebook_error(problems)
    return book.with_settings(settings) if settings else book


def rulebook_error(problems: list[Problem]) -> RuleSyntaxError | RuleValidationError:
    """One error for the problems of the first stage, sorted by file and line."""
    ordered = sort_problems(problems)
    syntax_only = all(p.hint == "fix the YAML syntax" for p in ordered)
    return (RuleSyntaxError if syntax_only else RuleValidationError)(ordered)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """By file, then line and column; the same problem reported twice is kept once."""
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.path or "", p.line or 0, p.column or 0))


def read_rulebook(root: Path | str | None = None) -> tuple[Rulebook | None, list[Problem]]:
    """Read and validate every file; return what passed and every problem found (settings at their defaults).

    The book is None when a shared file (vocabulary, parameters, definitions, calendars, settings) is at fault, since
    every rule depends on them. A rule file at fault is left out and named in ``Rulebook.failed_rules``, so the rules
    that passed can still be checked together without errors that only follow from it.
    """
    root = Path(root) if root is not None else DEFAULT_RULES_DIR
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem("rule book directory not found", path=str(root), hint="pass --rules DIR"))
        return None, problems
    parts: dict[str, Any] = {}
    sources: dict[str, SourceFile] = {}
    for key, model in (
        ("vocabulary", VocabularyFile),
        ("parameters", ParametersFile),
        ("definitions", DefinitionsFile),
        ("calendars", CalendarsFile),
    ):
        path = root / f"{key}.yaml"
        if not path.is_file():
            problems.append(Problem(f"missing {key}.yaml", path=str(path), hint=f"every rule book needs {key}.yaml"))
            continue
        read = read_mapping(path, problems)
        if read is None:
            continue
        data, source = read
        sources[key] = source
        parts[key] = validate_model(model, data, source, problems)
    settings_file = read_settings(root / "settings.yaml", sources, problems)
    shared_ok = not problems
    rules, failed = _read_rules(root, sources, problems)
    if not shared_ok:
        return None, problems
    book = Rulebook(
        root=root,
        vocabulary=parts["vocabulary"],
        parameters=parts["parameters"],
        definitions=parts["definitions"],
        calendars=parts["calendars"],
        rules=rules,
        sources=sources,
        failed_rules=frozenset(failed),
        settings=settings_file,
        chosen=bind_settings(settings_file, None, root),
    )
    return book, problems


def _read_rules(root: Path, sources: dict[str, SourceFile],
                problems: list[Problem]) -> tuple[dict[str, Rule], set[str]]:
    rules: dict[str, Rule] = {}
    failed: set[str] = set()
    commitments = root / "commitments"
    rule_paths = sorted(commitments.glob("*.yaml")) if commitments.is_dir() else []
    if not rule_paths:
        problems.append(Problem("no rule files found", path=str(commitments), hint="add commitments/<id>.yaml"))
    for path in rule_paths:
        failed.add(path.stem)
        read = read_mapping(path, problems)
        if read is None:
            continue
        data, source = read
        rule = validate_model(Rule, data, source, problems)
        if rule is None:
            continue
        if rule.id != path.stem:
            problems.append(
                source.problem(f"rule id {rule.id!r} differs from the file name", ("id",), hint=f"use id: {path.stem}")
            )
            continue
        failed.discard(path.stem)
        sources[f"rule:{rule.id}"] = source
        rules[rule.id] = rule
    return rules, failed
