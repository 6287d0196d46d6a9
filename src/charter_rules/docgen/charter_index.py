"""The charter text (rules/charter.yaml, read by ``charter_rules.charter.load_charter``) as the docs need it.

The site cannot describe the charter without it, so a missing file stops the build with an error that says what is
missing and where, rather than publishing an empty coverage page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..charter.findings import Finding, lint_rulebook
from ..charter.text import CHARTER_FILE, Charter
from ..charter.text import load_charter as read_charter
from ..compiled import CompiledRulebook
from ..errors import Problem, RuleValidationError
from ._text import anchor


def load_charter(book: CompiledRulebook) -> Charter:
    """The rule book's charter map; raises RuleValidationError if the rule book has none."""
    root = book.rulebook.root
    path = root / CHARTER_FILE
    if not path.is_file():
        raise RuleValidationError(Problem(
            "the documentation needs the charter text, sentence by sentence, and this rule book has no charter.yaml",
            path=str(path), hint="add charter.yaml to the rule book (see the rule-file format page)",
        ))
    return book.rulebook.charter or read_charter(root)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def sentence_anchor(sentence_id: str) -> str:
    return anchor("sentence", sentence_id)


def section_anchor(section_id: str) -> str:
    return anchor("section", section_id)


@dataclass
class CharterIndex:
    """Look up where a rule's charter quote sits in the charter."""

    charter: Charter

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



def load_findings(book: CompiledRulebook) -> list[Finding]:
    """The charter-versus-law findings (``charter_rules.charter.lint_rulebook``)."""
    return list(lint_rulebook(book))
