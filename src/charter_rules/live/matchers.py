"""The small interface every escalation matcher has, the plain-Python matcher, and how one is chosen.

A matcher takes the flat transition facts of a batch and returns which escalation rules fire for which fact, as
``(fact index, escalation id)`` pairs. Two implementations exist and must always agree:

* ``PythonMatcher`` runs the compiled condition trees directly (three-valued, like the rule book);
* ``DurableMatcher`` (``durable_adapter.py``) runs the same rules, compiled to single-fact patterns, in
  durable-rules' engine inside a worker process.

``select_matcher("auto")`` uses durable-rules where it can be imported (it is installed only on Python < 3.13)
and the plain-Python matcher elsewhere.
"""

from __future__ import annotations

import importlib.util
import logging
from typing import Any, Literal, Mapping, Protocol, Sequence

from ..errors import MonitorError
from .escalation import EscalationBook

log = logging.getLogger("charter_rules.live")

MatcherChoice = Literal["auto", "python", "durable"]


class Matcher(Protocol):
    name: str

    def match(self, facts: Sequence[Mapping[str, Any]]) -> list[tuple[int, str]]:
        """Which escalation rules fire for which fact: (index into ``facts``, escalation id) pairs."""
        ...

    def take_incidents(self) -> list[str]:
        """Problems the matcher recovered from since the last call (for example a worker that crashed)."""
        ...

    def close(self) -> None: ...


class PythonMatcher:
    """Decides every escalation condition in plain Python. Always available; the reference for the other."""

    name = "python"

    def __init__(self, book: EscalationBook) -> None:
        self._rules = [(e.id, e.tree) for e in book.escalations]

    def match(self, facts: Sequence[Mapping[str, Any]]) -> list[tuple[int, str]]:
        return [(index, rule_id) for index, fact in enumerate(facts) for rule_id, tree in self._rules
                if tree.test(fact) is True]

    def take_incidents(self) -> list[str]:
        return []

    def close(self) -> None:
        return None


def durable_importable() -> bool:
    """Whether the durable-rules engine is installed here (it is not on Python 3.13+, where it does not build)."""
    return importlib.util.find_spec("durable_rules_engine") is not None and importlib.util.find_spec("durable") is not None


def select_matcher(book: EscalationBook, choice: MatcherChoice = "auto") -> Matcher:
    """The matcher to use: ``python``, ``durable`` (an error if it cannot run), or ``auto``."""
    if choice not in ("auto", "python", "durable"):
        raise MonitorError(f"unknown matcher {choice!r}; use auto, python or durable")
    if choice == "python" or (choice == "auto" and not durable_importable()):
        return PythonMatcher(book)
    if not durable_importable():
        raise MonitorError("the durable-rules matcher was asked for, but durable-rules is not installed "
                           "(it builds only on Python below 3.13); use --matcher python")
    from .durable_adapter import DurableMatcher

    try:
        return DurableMatcher(book)
    except MonitorError as exc:
        if choice == "durable":
            raise
        log.warning("durable-rules matcher unavailable, using the plain-Python matcher: %s", exc)
        return PythonMatcher(book)
