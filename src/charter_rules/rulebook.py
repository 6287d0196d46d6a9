"""Load a rule book directory: every file is read safely and validated, and every problem is reported at once.

This is the one loader of rules/: everything in it is read and checked here, with one translation of validation
errors into located problems (``problems.validation_problems``). Layout of a rule book directory::

    vocabulary.yaml      case kinds, facts and event types case data may use
    parameters.yaml      numbers from law and policy, with sources
    definitions.yaml     named conditions (e.g. who has enhanced rights)
    calendars.yaml       working-day calendars and bank-holiday overrides
    settings.yaml        interpretation settings (optional): choices the sources leave open, chosen per run
    commitments/<id>.yaml   one rule per file; the id equals the file name
    charter.yaml         the charter text sentence by sentence (optional)
    figures.yaml         which rules make up which compliance figure (optional)
    escalations/<id>.yaml   who must be told when a transition happens (optional)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import Problem, RuleSyntaxError, RuleValidationError, SettingError
from .model import CalendarsFile, DefinitionsFile, ParametersFile, Rule, SettingsFile, VocabularyFile
from .problems import SourceFile, validation_problems
from .rulebook_files import CHARTER_FILE, ESCALATIONS_DIR, FIGURES_FILE, Charter, EscalationRule, FiguresFile

M = TypeVar("M", bound=BaseModel)

__all__ = ["DEFAULT_RULES_DIR", "Rulebook", "SourceFile", "bind_settings", "load_rulebook", "read_mapping",
           "read_rulebook", "rulebook_error", "sort_problems", "validate_model"]


def _default_rules_dir() -> Path:
    """The repository's rules/ when running from a checkout, else the copy packaged inside the wheel."""
    checkout = Path(__file__).resolve().parents[2] / "rules"
    if (checkout / "vocabulary.yaml").is_file():
        return checkout
    return Path(__file__).resolve().parent / "_rules"


DEFAULT_RULES_DIR = _default_rules_dir()


@dataclass(frozen=True)
class Rulebook:
    """The validated, not yet compiled, contents of a rule book directory."""

    root: Path
    vocabulary: VocabularyFile
    parameters: ParametersFile
    definitions: DefinitionsFile
    calendars: CalendarsFile
    rules: dict[str, Rule]
    sources: dict[str, SourceFile]  # keys: "vocabulary", ..., "rule:<id>", "charter", "figures", "escalation:<id>"
    charter: Charter | None = None
    figures: FiguresFile | None = None
    escalations: dict[str, EscalationRule] = field(default_factory=dict)
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
        problems.extend(validation_problems(exc, source, data, model))
        return None


def read_mapping(path: Path, problems: list[Problem]) -> tuple[Any, SourceFile] | None:
    """A YAML file holding a mapping, with its positions; None (and the problems added) if it cannot be read."""
    import yaml  # here: a rule book read from the cache never parses YAML

    from ._yaml import load_yaml_file

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


def _reader_problem(path: Path, exc: Exception) -> Problem:
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


def read_file(path: Path, model: type[M], problems: list[Problem]) -> tuple[M, SourceFile] | None:
    """Read and validate one file as ``model``; None (and the problems added) if it is unreadable or invalid."""
    read = read_mapping(path, problems)
    if read is None:
        return None
    data, source = read
    value = validate_model(model, data, source, problems)
    return None if value is None else (value, source)


def read_folder(folder: Path, model: type[M], what: str, problems: list[Problem]) -> dict[str, tuple[M, SourceFile]]:
    """Every ``<id>.yaml`` of a folder as ``model``, keyed by id; an id that differs from its file name is a problem."""
    found: dict[str, tuple[M, SourceFile]] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        read = read_file(path, model, problems)
        if read is None:
            continue
        value, source = read
        item_id = getattr(value, "id")
        if item_id != path.stem:
            problems.append(source.problem(f"{what} id {item_id!r} differs from the file name", ("id",),
                                           hint=f"use id: {path.stem}"))
            continue
        found[item_id] = (value, source)
    return found


def raise_problems(problems: list[Problem]) -> None:
    """Raise the problems found, if any (sorted by file and line): RuleSyntaxError if all are YAML syntax, else
    RuleValidationError."""
    if problems:
        raise rulebook_error(problems)


def rulebook_error(problems: list[Problem]) -> RuleSyntaxError | RuleValidationError:
    """One error for the problems of the first stage, sorted by file and line."""
    ordered = sort_problems(problems)
    syntax_only = all(p.hint == "fix the YAML syntax" for p in ordered)
    return (RuleSyntaxError if syntax_only else RuleValidationError)(ordered)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """By file, then line and column; the same problem reported twice is kept once."""
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.path or "", p.line or 0, p.column or 0))


_CORE_FILES = (
    ("vocabulary", VocabularyFile),
    ("parameters", ParametersFile),
    ("definitions", DefinitionsFile),
    ("calendars", CalendarsFile),
)


def _core_files(root: Path, problems: list[Problem], sources: dict[str, SourceFile]) -> dict[str, Any]:
    parts: dict[str, Any] = {}
    for key, model in _CORE_FILES:
        path = root / f"{key}.yaml"
        if not path.is_file():
            problems.append(Problem(f"missing {key}.yaml", path=str(path), hint=f"every rule book needs {key}.yaml"))
            continue
        read = read_file(path, model, problems)
        if read is not None:
            parts[key], sources[key] = read
    return parts


def _optional_file(path: Path, model: type[M], key: str, problems: list[Problem],
                   sources: dict[str, SourceFile]) -> M | None:
    if not path.is_file():
        return None
    read = read_file(path, model, problems)
    if read is None:
        return None
    sources[key] = read[1]
    return read[0]


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


def read_rulebook(root: Path | str | None = None) -> tuple[Rulebook | None, list[Problem]]:
    """Read and validate every file; return what passed and every problem found (settings at their defaults).

    The book is None when a shared file (vocabulary, parameters, definitions, calendars, settings) is at fault, since
    every rule depends on them. A rule file at fault is left out and named in ``Rulebook.failed_rules``, so the rules
    that passed can still be checked together without errors that only follow from it.
    """
    root = Path(root) if root is not None else DEFAULT_RULES_DIR
    if not root.is_dir():
        return None, [Problem("rule book directory not found", path=str(root), hint="pass --rules DIR")]
    problems: list[Problem] = []
    sources: dict[str, SourceFile] = {}
    parts = _core_files(root, problems, sources)
    settings_file = _optional_file(root / "settings.yaml", SettingsFile, "settings", problems, sources) or SettingsFile()
    shared_ok = not problems
    commitments = root / "commitments"
    rule_paths = sorted(commitments.glob("*.yaml")) if commitments.is_dir() else []
    if not rule_paths:
        problems.append(Problem("no rule files found", path=str(commitments), hint="add commitments/<id>.yaml"))
    rules = read_folder(commitments, Rule, "rule", problems)
    sources.update({f"rule:{rule_id}": source for rule_id, (_, source) in rules.items()})
    charter = _optional_file(root / CHARTER_FILE, Charter, "charter", problems, sources)
    figures = _optional_file(root / FIGURES_FILE, FiguresFile, "figures", problems, sources)
    escalations = read_folder(root / ESCALATIONS_DIR, EscalationRule, "escalation rule", problems)
    sources.update({f"escalation:{item_id}": source for item_id, (_, source) in escalations.items()})
    if not shared_ok:
        return None, problems
    book = Rulebook(
        root=root,
        vocabulary=parts["vocabulary"],
        parameters=parts["parameters"],
        definitions=parts["definitions"],
        calendars=parts["calendars"],
        rules={rule_id: rule for rule_id, (rule, _) in rules.items()},
        sources=sources,
        charter=charter,
        figures=figures,
        escalations={item_id: rule for item_id, (rule, _) in escalations.items()},
        failed_rules=frozenset(path.stem for path in rule_paths) - frozenset(rules),
        settings=settings_file,
        chosen=bind_settings(settings_file, None, root),
    )
    return book, problems
