"""Conveniences that join the pipeline stages for the common case."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from .compiler import CompiledRulebook, compile_rulebook
from .rulebook import DEFAULT_RULES_DIR
from .rulebook_cache import load_rulebook_cached
from .snapshot import CaseSnapshot
from .snapshot import parse_snapshot as _parse


def load_compiled(rules_dir: Path | str | None = None) -> CompiledRulebook:
    """Load, validate and compile a rule book directory (default: the bundled rules/).

    The validated rule files are kept in the user's cache directory between runs (``rulebook_cache``), so only a
    changed rule book is parsed again; ``CHARTER_RULES_CACHE=off`` turns that off.
    """
    return compile_rulebook(load_rulebook_cached(rules_dir))


@lru_cache(maxsize=1)
def default_rulebook() -> CompiledRulebook:
    """The bundled rule book, compiled once per process."""
    return load_compiled(DEFAULT_RULES_DIR)


def parse_snapshot(data: Any, book: CompiledRulebook, *, source: str | None = None,
                   line: int | None = None) -> CaseSnapshot:
    """Validate a case snapshot (a dict or JSON text) against the rule book's vocabulary.

    Raises SnapshotError naming the case, the file and line if given, and every field at fault.
    """
    return _parse(data, book.snapshot_model, source=source, line=line)
