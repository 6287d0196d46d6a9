"""Conveniences that join the pipeline stages for the common case."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from .compiler import CompiledRulebook, compile_rulebook
from .rulebook import DEFAULT_RULES_DIR, load_rulebook
from .snapshot import CaseSnapshot
from .snapshot import parse_snapshot as _parse


def load_compiled(rules_dir: Path | str | None = None, *, settings: Mapping[str, str] | None = None) -> CompiledRulebook:
    """Load, validate and compile a rule book directory (default: the bundled rules/).

    ``settings`` chooses interpretation settings by id (the others keep their defaults); an unknown id or value
    raises SettingError listing the choices.
    """
    return compile_rulebook(load_rulebook(rules_dir, settings=settings))


def default_rulebook(settings: Mapping[str, str] | None = None) -> CompiledRulebook:
    """The bundled rule book, compiled once per process for each choice of settings."""
    return _default_rulebook(tuple(sorted((settings or {}).items())))


@lru_cache(maxsize=8)
def _default_rulebook(settings: tuple[tuple[str, str], ...]) -> CompiledRulebook:
    return load_compiled(DEFAULT_RULES_DIR, settings=dict(settings))


def parse_snapshot(data: Any, book: CompiledRulebook, *, source: str | None = None,
                   line: int | None = None) -> CaseSnapshot:
    """Validate a case snapshot (a dict or JSON text) against the rule book's vocabulary.

    Raises SnapshotError naming the case, the file and line if given, and every field at fault.
    """
    return _parse(data, book.snapshot_model, source=source, line=line)
