"""The public entry points: load a rule book, read a case, evaluate it, explain the result.

One argument order throughout: the rule book first, then the thing it works on::

    book = load_compiled()                      # the bundled rules/ (or load_compiled("path/to/rules"))
    case = parse_snapshot(book, data)           # a dict, JSON text or bytes, or a path to a JSON file
    result = evaluate(book, case, as_of="2026-04-08")
    explain_text(book, result); explain_json(book, result)

The older orders ``parse_snapshot(data, book)``, ``explain_json(result, book)`` and ``explain_text(result)`` still
work: the arguments are told apart by their types, so either order means the same. Every wrong argument raises
:class:`~charter_rules.errors.ArgumentError` (a ``CharterRulesError``, ``TypeError`` and ``ValueError``) saying what to pass.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from .arguments import kind_of, moment_from
from .compiler import CompiledRulebook, compile_rulebook
from .errors import ArgumentError, CompileError, RuleSyntaxError, RuleValidationError
from .obligation import Evaluation
from .rulebook import DEFAULT_RULES_DIR, Rulebook, read_rulebook, rulebook_error
from .rulebook_cache import load_rulebook_cached
from .snapshot import CaseSnapshot
from .snapshot import parse_snapshot as _parse

LOAD_HELP = "load one with charter_rules.load_compiled() (the bundled rules) or load_compiled('path/to/rules')"


def load_compiled(rules_dir: Path | str | None = None, *, settings: Mapping[str, str] | None = None) -> CompiledRulebook:
    """Load, validate and compile a rule book directory: the one way to get a rule book to evaluate with.

    With no argument, the bundled rules/ (compiled once per process and shared). ``settings`` chooses interpretation
    settings by id (the others keep their defaults); an unknown id or value raises SettingError listing the choices.
    Raises RuleSyntaxError, RuleValidationError or CompileError listing every problem, each at its file and line.
    The validated rule files are kept in the user's cache directory between runs (``rulebook_cache``), so only a
    changed rule book is parsed again; ``CHARTER_RULES_CACHE=off`` turns that off.
    """
    if rules_dir is None:
        return default_rulebook(settings)
    if not isinstance(rules_dir, (str, os.PathLike)):
        raise ArgumentError(f"load_compiled takes the path of a rule book directory, not {kind_of(rules_dir)}")
    return _load_and_compile(rules_dir, settings)


def default_rulebook(settings: Mapping[str, str] | None = None) -> CompiledRulebook:
    """The bundled rule book, compiled once per process for each choice of settings (the same as ``load_compiled()``)."""
    return _default_rulebook(tuple(sorted((settings or {}).items())))


@lru_cache(maxsize=8)
def _default_rulebook(settings: tuple[tuple[str, str], ...]) -> CompiledRulebook:
    return _load_and_compile(DEFAULT_RULES_DIR, dict(settings))


def _load_and_compile(rules_dir: Path | str, settings: Mapping[str, str] | None = None) -> CompiledRulebook:
    """Both stages, so one run shows every problem: the rules that passed the first are checked together too."""
    try:
        return compile_rulebook(load_rulebook_cached(rules_dir, settings=settings))
    except (RuleSyntaxError, RuleValidationError) as first_stage:
        book, problems = read_rulebook(rules_dir)
        if not problems:
            raise first_stage
    if book is not None:
        try:
            compile_rulebook(book)
        except CompileError as exc:
            problems = problems + exc.problems
    raise rulebook_error(problems)


def _book(value: Any, call: str) -> CompiledRulebook:
    if isinstance(value, CompiledRulebook):
        return value
    if isinstance(value, Rulebook):
        raise ArgumentError(f"{call} needs a compiled rule book, not the uncompiled files: pass "
                            "charter_rules.compile_rulebook(rulebook), or load with charter_rules.load_compiled(dir)")
    if isinstance(value, (str, os.PathLike)):
        raise ArgumentError(f"{call} needs a loaded rule book, not a path: {LOAD_HELP}, once, and pass that")
    raise ArgumentError(f"{call} needs a rule book first, not {kind_of(value)}: {LOAD_HELP}")


def _book_and_other(first: Any, second: Any, call: str) -> tuple[CompiledRulebook, Any]:
    """(book, other) from two arguments given in either order."""
    if isinstance(second, CompiledRulebook) and not isinstance(first, CompiledRulebook):
        return second, first
    return _book(first, call), second


def parse_snapshot(book: CompiledRulebook, data: Any, *, source: str | None = None,
                   line: int | None = None) -> CaseSnapshot:
    """Validate a case snapshot against the rule book's vocabulary.

    ``data`` is a dict, JSON text or bytes, the path of a JSON file, or an already parsed CaseSnapshot. Another
    JSON value (a list, a number, None) is bad case data: SnapshotError, as from a file.
    ``source`` and ``line`` say where it came from, for error messages. Raises SnapshotError naming the case,
    the place and every field at fault. ``parse_snapshot(data, book)`` (the older order) is also accepted.
    """
    book, data = _book_and_other(book, data, "parse_snapshot")
    if isinstance(data, CaseSnapshot):
        return data
    if isinstance(data, os.PathLike):
        path = Path(data)
        if not path.is_file():
            raise ArgumentError(f"parse_snapshot: no such file {str(path)!r}; pass a dict, JSON text or a file path")
        return _parse(path.read_bytes(), book.snapshot_model, source=source or str(path), line=line)
    if not isinstance(data, (dict, str, bytes, bytearray, list, int, float, bool, type(None))):
        raise ArgumentError(f"parse_snapshot needs a case as a dict, JSON text or bytes, or a file path, "
                            f"not {kind_of(data)}")
    if isinstance(data, bytearray):
        data = bytes(data)
    return _parse(data, book.snapshot_model, source=source, line=line)


def evaluate(book: CompiledRulebook, case: Any, as_of: Any = None) -> Evaluation:
    """Every obligation of ``case`` under ``book`` as things stood at ``as_of``.

    ``case`` is a CaseSnapshot, or anything ``parse_snapshot`` accepts (a dict, JSON text, a file path).
    ``as_of`` is an aware datetime, an ISO timestamp with a UTC offset, or a date (a ``date`` or ``YYYY-MM-DD``)
    meaning the end of that day in London. Events after ``as_of`` are ignored. Raises ArgumentError for a wrong
    argument, SnapshotError for a malformed case, RuleConflictError if two variants of a rule disagree.
    """
    if isinstance(case, CompiledRulebook) and not isinstance(book, CompiledRulebook):
        raise ArgumentError("evaluate takes the rule book first: evaluate(book, case, as_of=...)")
    import msgspec

    from . import evaluator as _evaluator  # here, so loading a rule book does not import the evaluator

    compiled = _book(book, "evaluate")
    # a CaseSnapshot, or a record decoded by case_decoder (msgspec structs with the same attributes)
    decoded = isinstance(case, (CaseSnapshot, msgspec.Struct))
    snapshot = case if decoded else parse_snapshot(compiled, case)
    return _evaluator.evaluate(compiled, snapshot, as_of=moment_from(as_of, "as_of"))


def _evaluation(value: Any, call: str) -> Evaluation:
    if isinstance(value, Evaluation):
        return value
    raise ArgumentError(f"{call} explains the result of charter_rules.evaluate(book, case, as_of=...), "
                        f"not {kind_of(value)}")


def explain_json(book: Any, evaluation: Any = None) -> dict[str, Any]:
    """The evaluation as a JSON-ready dict, with a format version for consumers to check.

    Call as ``explain_json(book, evaluation)``; with the book, each obligation also carries the charter's words and
    the references. ``explain_json(evaluation)`` and ``explain_json(evaluation, book)`` also work.
    """
    from . import explain as _explain

    if evaluation is None:
        return _explain.explain_json(_evaluation(book, "explain_json"), None)
    compiled, result = _book_and_other(book, evaluation, "explain_json")
    return _explain.explain_json(_evaluation(result, "explain_json"), compiled)


def explain_text(book: Any, evaluation: Any = None, *, include_not_applicable: bool = True) -> str:
    """Every obligation of a case explained in plain English, most urgent first.

    Call as ``explain_text(book, evaluation)``; ``explain_text(evaluation)`` also works.
    """
    from . import explain as _explain

    if evaluation is None:
        result = _evaluation(book, "explain_text")
    else:
        _, result = _book_and_other(book, evaluation, "explain_text")
        result = _evaluation(result, "explain_text")
    return _explain.explain_text(result, include_not_applicable=include_not_applicable)
