"""The rule book's files beside the rules: the charter map, the compliance figures and the escalation rules.

These are read and checked by the one rule-book loader (``rulebook.load_rulebook``) with the rules themselves, so
``charter-rules rules validate`` checks every file in rules/. What uses them lives further out: ``charter/``
(coverage, findings), ``check/figures.py`` and ``live/escalation.py``.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .condition_syntax import Condition
from .model import NAME_PATTERN, RULE_ID_PATTERN, Reference, Strict

# --- charter.yaml: the charter text, sentence by sentence -------------------------------------------------------

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


# --- figures.yaml: which rules make up which compliance figure ------------------------------------------------

FIGURES_FILE = "figures.yaml"


class FigureSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    right: str = Field(description="The Victims' Code right the figure measures.")
    rules: list[str] = Field(min_length=1, description="Rule ids whose obligations make up the figure.")


class FiguresFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    figures: list[FigureSpec]


# --- escalations/<id>.yaml: who must be told when a transition happens -----------------------------------------

ESCALATIONS_DIR = "escalations"
MAX_WORKING_DAY = 1000  # a milestone further out than this is refused when escalation rules are loaded


class TransitionKind(StrEnum):
    OPENED = "opened"  # a duty is now owed that was not owed (or could not be decided) before
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    SATISFIED = "satisfied"
    SATISFIED_LATE = "satisfied_late"
    WAIVED = "waived"
    NOT_APPLICABLE = "not_applicable"  # it was owed, waived, paused or undecided; it no longer applies
    PAUSED = "paused"
    RESUMED = "resumed"
    INDETERMINATE = "indeterminate"
    RESCHEDULED = "rescheduled"  # still owed, but the deadline moved (an extension, a restarted clock)
    WORKING_DAY = "working_day"  # an open duty reached working day N of its clock (N set by an escalation rule)


class EscalationRule(Strict):
    """One escalation rule file."""

    id: str = Field(pattern=RULE_ID_PATTERN, description="Equals the file name without .yaml.")
    title: str = Field(description="What has happened, in words; the notification's headline.")
    description: str | None = None
    on: list[TransitionKind] = Field(min_length=1, description="Transition kinds that can fire it.")
    rules: list[str] = Field(default_factory=list, description="Only obligations of these rules (default: any).")
    case_kinds: list[str] = Field(default_factory=list, description="Only cases of these kinds (default: any).")
    working_day: int | None = Field(default=None, ge=1, le=MAX_WORKING_DAY,
                                    description="With on: [working_day]: the working day of the clock to report.")
    when: Condition | None = Field(default=None, description="A further condition, in the rule book's language.")
    notify: list[str] = Field(min_length=1, description="Roles to tell, e.g. officer_in_charge, supervisor.")
    priority: Literal["routine", "high", "urgent"] = "routine"
    message: str | None = Field(default=None, description="Text of the notification; $case_id, $rule, ... allowed.")

    @model_validator(mode="after")
    def _milestone(self) -> "EscalationRule":
        if TransitionKind.WORKING_DAY in self.on and (self.on != [TransitionKind.WORKING_DAY] or self.working_day is None):
            raise ValueError("on: [working_day] goes alone, with working_day: N (the working day to report)")
        if self.working_day is not None and self.on != [TransitionKind.WORKING_DAY]:
            raise ValueError("working_day: N needs on: [working_day]")
        for role in self.notify:
            if not re.match(NAME_PATTERN, role):
                raise ValueError(f"notify: {role!r} is not a role name (lower-case letters, digits, _)")
        return self
