"""The charter map: the charter's text sentence by sentence, and what implements each sentence.

``rules/charter.yaml`` holds the whole text of the charter (leaving out page navigation). Every sentence either names
the rules that check it, or is given a class saying why no rule can (``organisational``, ``not_measurable_per_case``,
``informational``) with a reason. A sentence may also carry wording findings: places where its words fall short of
the law or use an obsolete standard, which ``charter-rules lint`` reports next to the findings it computes.

The file is data about the rule book, read with the same safe, position-aware YAML loader as the rules, so an error
names the file and line.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem, RuleValidationError
from ..rulebook import raise_problems, read_file
from ..rulebook_files import CHARTER_FILE, Charter, CharterSection, CharterSentence, WordingFinding, slug

__all__ = ["CHARTER_FILE", "Charter", "CharterSection", "CharterSentence", "WordingFinding", "load_charter",
           "normalise", "quote_in", "slug"]


def normalise(text: str) -> str:
    """Text compared for quotes: spaces folded, so a quote wrapped across lines still matches."""
    return " ".join(text.split())


def quote_in(quote: str, text: str) -> bool:
    """Whether ``quote`` appears, word for word, in ``text`` (whitespace folded)."""
    wanted = normalise(quote)
    return bool(wanted) and wanted in normalise(text)


def load_charter(root: Path | str) -> Charter:
    """Read and validate ``<root>/charter.yaml`` (root = the rule book directory).

    Raises RuleSyntaxError for bad YAML and RuleValidationError, naming the file and line, for anything else.
    """
    path = Path(root) / CHARTER_FILE
    if not path.is_file():
        raise RuleValidationError(Problem("the charter map is missing", path=str(path),
                                          hint="add charter.yaml: the charter text, sentence by sentence"))
    problems: list[Problem] = []
    read = read_file(path, Charter, problems)
    raise_problems(problems)
    assert read is not None
    return read[0]
