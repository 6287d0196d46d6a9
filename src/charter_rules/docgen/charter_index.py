"""The charter text (rules/charter.yaml, read by ``charter_rules.charter.load_charter``) as the docs need it.

The site cannot describe the charter without it, so a missing module or file stops the build with an error that
says what is missing and where, rather than publishing an empty coverage page.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any

from ..compiler import CompiledRulebook
from ..errors import Problem, RuleValidationError
from ._text import anchor


def load_charter(book: CompiledRulebook) -> Any:
    """The rule book's charter map; raises RuleValidationError naming the missing piece."""
    root = book.rulebook.root
    path = root / "charter.yaml"
    try:
        module = importlib.import_module("charter_rules.charter")
    except ImportError as exc:
        raise RuleValidationError(Problem(
            f"the documentation needs the charter map, but charter_rules.charter cannot be imported ({exc})",
            path=str(path), hint="install a charter-rules version that has charter_rules.charter.load_charter",
        )) from None
    if not path.is_file():
        raise RuleValidationError(Problem(
            "the documentation needs the charter text, sentence by sentence, and this rule book has no charter.yaml",
            path=str(path), hint="add charter.yaml to the rule book (see the rule-file format page)",
        ))
    return module.load_charter(root)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def sentence_anchor(sentence_id: str) -> str:
    return anchor("sentence", sentence_id)


def section_anchor(section_id: str) -> str:
    return anchor("section", section_id)


@dataclass
class CharterIndex:
    """Look up where a rule's charter quote sits in the charter."""

    charter: Any

    def find(self, section_id: str, quote: str) -> tuple[str, str] | None:
        """(section heading, fragment of the sentence or section) for a quote, or None if the section is unknown."""
        wanted = _norm(quote)
        for section in self.charter.sections:
            if section.id != section_id:
                continue
            for sentence in section.sentences:
                text = _norm(sentence.text)
                if wanted and (wanted in text or text in wanted):
                    return section.heading, sentence_anchor(sentence.id)
            return section.heading, section_anchor(section.id)
        return None

    def rules_by_sentence(self) -> dict[str, list[str]]:
        return {s.id: list(s.rules) for section in self.charter.sections for s in section.sentences}


def load_findings(book: CompiledRulebook) -> list[Any]:
    """The charter-versus-law findings (``charter_rules.lint.lint_rulebook``); a missing module stops the build."""
    try:
        module = importlib.import_module("charter_rules.lint")
    except ImportError as exc:
        raise RuleValidationError(Problem(
            f"the documentation lists where the charter and the law differ, but charter_rules.lint cannot be "
            f"imported ({exc})", path=str(book.rulebook.root),
            hint="install a charter-rules version that has charter_rules.lint.lint_rulebook",
        )) from None
    return list(module.lint_rulebook(book))
