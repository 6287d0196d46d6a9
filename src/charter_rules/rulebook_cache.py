"""A validated rule book kept on disk, so a command does not parse and validate every rule file again.

The cache holds the *validated source* of a rule book (what ``load_rulebook`` returns: the file models and the
line of every key) as JSON, one file per rule book, named by a key made of:

* the content of every file under the rule book directory (names and bytes, so any edit, addition or removal
  counts), and
* this package: its version, the cache format, and the size and modification time of each of its modules (a
  changed schema or loader makes new entries), and the same of the ``holidays`` package.

Beside the rule book, an entry keeps the bank holidays of the calendars' nations over the years around the
calendars' horizon, as the ``holidays`` package gives them (importing and asking that package costs more than
everything else a command does); other years are asked of the package as before.

Reading an entry never trusts it: it is JSON (no pickle, nothing executable), validated again by the same pydantic
models as the YAML, and compiled again with every cross-check. So the worst a tampered entry could do is what an
edited rule file could do; and entries live in the user's own cache directory (``platformdirs``), created private
(0700) with private files (0600). An entry that is unreadable, of another format or another key is ignored and
rebuilt.

``CHARTER_RULES_CACHE=off`` (or ``0``, ``no``, ``false``) turns the cache off; any other value is taken as the
directory to keep it in.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, Iterator, Mapping

import orjson

from .calendars import export_bank_holidays, import_bank_holidays
from .rulebook import Rulebook, SourceFile, bind_settings, load_rulebook

CACHE_ENV = "CHARTER_RULES_CACHE"
FORMAT = 3  # 3: the charter map, figures and escalation rules travel with the rule book
_OFF = {"off", "0", "no", "false"}
HOLIDAY_YEARS_BEFORE, HOLIDAY_YEARS_AFTER = 8, 3  # around the calendars' horizon (known_through)
KEEP_ENTRIES = 16  # older entries (of rule books since edited) are removed beyond this many
_PARTS = ("vocabulary", "parameters", "definitions", "calendars", "settings")


def cache_dir() -> Path | None:
    """Where entries are kept, or None when the cache is turned off."""
    setting = os.environ.get(CACHE_ENV, "").strip()
    if setting.lower() in _OFF:
        return None
    if setting:
        return Path(setting)
    import platformdirs

    return platformdirs.user_cache_path("charter-rules", appauthor=False)


def _package_fingerprint() -> bytes:
    import importlib.util

    from . import __version__

    digest = hashlib.sha256(f"{__version__}|{FORMAT}".encode())
    for folder, subfolders, files in os.walk(os.path.dirname(os.path.abspath(__file__))):
        subfolders.sort()
        for name in sorted(files):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    spec = importlib.util.find_spec("holidays")  # found, not imported
    if spec is not None and spec.origin:
        for name in ("__init__.py", "version.py"):
            path = os.path.join(os.path.dirname(spec.origin), name)
            if os.path.exists(path):
                stat = os.stat(path)
                digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.digest()


def rulebook_key(root: Path) -> str:
    """The key of a rule book directory: every file's name and content, and this package (see the module doc)."""
    digest = hashlib.sha256(_package_fingerprint())
    for folder, subfolders, files in os.walk(root):
        subfolders.sort()
        relative = os.path.relpath(folder, root)
        for name in sorted(files):
            with open(os.path.join(folder, name), "rb") as handle:
                content = handle.read()
            digest.update(f"{relative}/{name}\0{len(content)}\0".encode())
            digest.update(content)
    return digest.hexdigest()


def to_json(book: Rulebook) -> bytes:
    """The validated source of a rule book as JSON (file paths relative to its root)."""
    def source(src: SourceFile) -> dict[str, Any]:
        positions = [[list(path), line, column] for path, (line, column) in src.positions.items()]
        return {"path": src.path.relative_to(book.root).as_posix(), "positions": orjson.dumps(positions).decode()}

    return orjson.dumps({
        "format": FORMAT,
        "parts": {name: getattr(book, name).model_dump(mode="json", by_alias=True) for name in _PARTS},
        "rules": {rule_id: rule.model_dump(mode="json", by_alias=True) for rule_id, rule in book.rules.items()},
        "charter": book.charter.model_dump(mode="json", by_alias=True) if book.charter is not None else None,
        "figures": book.figures.model_dump(mode="json", by_alias=True) if book.figures is not None else None,
        "escalations": {rule_id: rule.model_dump(mode="json", by_alias=True)
                        for rule_id, rule in book.escalations.items()},
        "sources": {name: source(src) for name, src in book.sources.items()},
        "bank_holidays": export_bank_holidays(
            (sub for calendar in book.calendars.calendars.values() for sub in calendar.subdivisions),
            range(book.calendars.known_through.year - HOLIDAY_YEARS_BEFORE,
                  book.calendars.known_through.year + HOLIDAY_YEARS_AFTER + 1)),
    })


def from_json(data: bytes, root: Path) -> Rulebook:
    """A rule book from ``to_json``'s output, validated again by the rule-file models. Raises ValueError if the
    data is not such output."""
    from pydantic import ValidationError

    from .model import CalendarsFile, DefinitionsFile, ParametersFile, Rule, SettingsFile, VocabularyFile
    from .rulebook_files import Charter, EscalationRule, FiguresFile

    models = {"vocabulary": VocabularyFile, "parameters": ParametersFile, "definitions": DefinitionsFile,
              "calendars": CalendarsFile, "settings": SettingsFile}
    try:
        raw = orjson.loads(data)
        if raw.get("format") != FORMAT:
            raise ValueError("another cache format")
        parts = {name: models[name].model_validate(raw["parts"][name]) for name in _PARTS}
        rules = {rule_id: Rule.model_validate(rule) for rule_id, rule in raw["rules"].items()}
        charter = Charter.model_validate(raw["charter"]) if raw["charter"] is not None else None
        figures = FiguresFile.model_validate(raw["figures"]) if raw["figures"] is not None else None
        escalations = {rule_id: EscalationRule.model_validate(rule) for rule_id, rule in raw["escalations"].items()}
        sources = {name: SourceFile(root / src["path"], StoredPositions(src["positions"]))
                   for name, src in raw["sources"].items()}
        import_bank_holidays(raw["bank_holidays"])
    except (orjson.JSONDecodeError, ValidationError, KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ValueError(f"not a rule book cache entry: {type(exc).__name__}") from None
    return Rulebook(root=root, rules=rules, sources=sources, chosen=bind_settings(parts["settings"], None, root),
                    charter=charter, figures=figures, escalations=escalations, **parts)


class StoredPositions(Mapping[tuple[Any, ...], tuple[int, int]]):
    """The line and column of every key of a file, read from the cache only when an error needs one."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._positions: dict[tuple[Any, ...], tuple[int, int]] | None = None

    def _loaded(self) -> dict[tuple[Any, ...], tuple[int, int]]:
        if self._positions is None:
            self._positions = {tuple(path): (line, column) for path, line, column in orjson.loads(self._text)}
        return self._positions

    def __getitem__(self, key: tuple[Any, ...]) -> tuple[int, int]:
        return self._loaded()[key]

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())


def load_rulebook_cached(root: Path | str | None = None, *, settings: Mapping[str, str] | None = None) -> Rulebook:
    """``load_rulebook``, through the cache: the same rule book, the same errors (a rule book with problems is never
    cached, so its errors come from reading the files). An entry holds the book with its default settings; chosen
    ``settings`` are bound to it after reading, as ``load_rulebook`` binds them after reading the files."""
    from .rulebook import DEFAULT_RULES_DIR

    root = Path(root) if root is not None else DEFAULT_RULES_DIR
    directory = cache_dir()
    if directory is None or not root.is_dir():
        return load_rulebook(root, settings=settings)
    book = _load_default(root, directory)
    return book.with_settings(settings) if settings else book


def _load_default(root: Path, directory: Path) -> Rulebook:
    key = rulebook_key(root)
    entry = directory / f"rulebook-{key}.json"
    try:
        return from_json(entry.read_bytes(), root)
    except (OSError, ValueError):
        pass
    book = load_rulebook(root)
    try:
        data = to_json(book)
    except (TypeError, ValueError):  # a value JSON cannot hold (an integer past 64 bits): the checks that follow
        return book                  # reading refuse such a book, so it is not worth keeping
    _store(directory, entry, data)
    return book


def _store(directory: Path, entry: Path, data: bytes) -> None:
    """Write an entry atomically and privately; a cache that cannot be written is simply not used."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".rulebook-", suffix=".tmp")  # mode 0600
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, entry)
        entries = sorted(directory.glob("rulebook-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP_ENTRIES:]:
            old.unlink(missing_ok=True)
    except OSError:
        return
