"""The charter map: the charter's text sentence by sentence, and what implements each sentence.

``rules/charter.yaml`` holds the whole text of the charter (leaving out page navigation). Every sentence either names
the rules that check it, or is given a class saying why no rule can (``organisational``, ``not_measurable_per_case``,
``informational``) with a reason. A sentence may also carry wording findings: places where its words fall short of
the law or use an obsolete standard, which ``charter-rules lint`` reports next to the findings it computes.

The file is data about the rule book, read with the same safe, position-aware YAML loader as the rules, so an error
names the file and line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .._yaml import load_yaml_file
from ..errors import Problem, RuleValidationError
from ..model import Reference
from ..rulebook import SourceFile
from ..wording import reword, without_follow_ons

CHARTER_FILE = "charter.yaml"
SentenceClass = Literal["organisational", "not_measurable_per_case", "informational"]
Severity = Literal["high", "medium", "low"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class WordingFinding(_Strict):
    """Where a charter sentence's words promise less than the law, or use an obsolete standard."""

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="Stable id of the finding.")
    title: str = Field(description="One line a policy officer can act on.")
    severity: Severity = Field(description="high: promises less than the law; medium: obsolete; low: narrower wording.")
    charter_says: str | None = Field(default=None, description="The words at fault; default: the whole sentence.")
    charter_rule: str | None = Field(default=None, description="Rule checking the charter's promise, if any.")
    law_rule: str | None = Field(default=None, description="Rule encoding what the law requires, if any.")
    law_says: str = Field(description="What the law requires, in plain words.")
    law_source: Reference
    advice: str = Field(description="What to change, worded for a policy officer.")


class CharterSentence(_Strict):
    """One sentence of the charter and what implements it."""

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="Unique, stable id, e.g. foi-2.")
    text: str = Field(min_length=1, description="The sentence, word for word.")
    rules: list[str] = Field(default_factory=list, description="Ids of the rules that check it.")
    class_: SentenceClass | None = Field(default=None, alias="class", description="Why no rule checks it.")
    reason: str | None = Field(default=None, description="The reason for the class, in plain words.")
    findings: list[WordingFinding] = Field(default_factory=list, description="Where its words fall short of the law.")

    @model_validator(mode="after")
    def _rules_or_class(self) -> "CharterSentence":
        if self.rules and self.class_ is not None:
            raise ValueError(f"sentence {self.id!r} names rules and a class; give one or the other")
        if not self.rules and (self.class_ is None or not self.reason):
            raise ValueError(f"sentence {self.id!r} needs either rules: [...] or class: ... with a reason")
        if self.reason and self.class_ is None:
            raise ValueError(f"sentence {self.id!r} has a reason but no class")
        return self


class CharterSection(_Strict):
    """A section of the charter under its heading."""

    id: str = Field(description="The heading in lower-case-hyphen form; rules' charter quotes name it.")
    heading: str
    sentences: list[CharterSentence] = Field(min_length=1)

    @model_validator(mode="after")
    def _id_is_the_heading_slug(self) -> "CharterSection":
        if self.id != slug(self.heading):
            raise ValueError(f"section id {self.id!r} should be {slug(self.heading)!r}, the heading in slug form")
        return self

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


class Charter(_Strict):
    """The charter text, sentence by sentence."""

    title: str
    publisher: str
    source: str = Field(description="Where the text comes from (an address or a description).")
    sections: list[CharterSection] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_unique(self) -> "Charter":
        for kind, ids in (("section", [s.id for s in self.sections]),
                          ("sentence", [t.id for s in self.sections for t in s.sentences]),
                          ("finding", [f.id for s in self.sections for t in s.sentences for f in t.findings])):
            seen: set[str] = set()
            for item in ids:
                if item in seen:
                    raise ValueError(f"{kind} id {item!r} is used twice")
                seen.add(item)
        return self

    def section(self, section_id: str) -> CharterSection | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def sentences(self) -> list[tuple[CharterSection, CharterSentence]]:
        return [(section, sentence) for section in self.sections for sentence in section.sentences]


def slug(text: str) -> str:
    """``Dealing with Freedom of Information requests`` -> ``dealing-with-freedom-of-information-requests``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


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
    data, positions = load_yaml_file(path)
    source = SourceFile(path, positions)
    try:
        return Charter.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in without_follow_ons(exc.errors(include_url=False)):
            wording = reword(error, model=Charter)
            problems.append(source.problem(wording.message, tuple(error["loc"]), hint=wording.hint,
                                           at_key=error["type"] == "extra_forbidden"))
        raise RuleValidationError(problems) from None
