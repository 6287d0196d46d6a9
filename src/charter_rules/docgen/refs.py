"""Links from any generated page to the reference pages: facts, events, parameters, definitions, calendars, rules.

Every link carries a human label (never a raw ``snake_case`` name where a title exists) and, where the rule book has
one, the description as a tooltip. ``base`` is the path from the page being written to the site root (``"../"``
for a rule page under ``rules/``), so the same object serves pages at any depth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..compiled import CompiledRulebook
from ._text import anchor, humanize, link, md

CASE_DATA = "case-data.md"
DEFINITIONS = "definitions.md"
PARAMETERS = "parameters.md"
CALENDARS = "calendars.md"
CHARTER = "charter.md"
FINDINGS = "findings.md"


def rule_path(rule_id: str) -> str:
    return f"rules/{rule_id}.md"


@dataclass(frozen=True)
class Refs:
    book: CompiledRulebook
    base: str = ""

    @property
    def vocabulary(self) -> Any:
        return self.book.rulebook.vocabulary

    # --- labels (plain text, unescaped) ---------------------------------------------------------------------------
    def fact_label(self, name: str) -> str:
        spec = self.vocabulary.facts.get(name)
        return spec.label(name) if spec is not None else humanize(name)

    def event_label(self, name: str) -> str:
        spec = self.vocabulary.events.get(name)
        return spec.title if spec is not None else humanize(name)

    def kind_label(self, name: str) -> str:
        spec = self.vocabulary.case_kinds.get(name)
        return spec.title if spec is not None else humanize(name)

    def param_label(self, name: str) -> str:
        spec = self.book.rulebook.parameters.parameters.get(name)
        return spec.title if spec is not None else humanize(name)

    def definition_label(self, name: str) -> str:
        spec = self.book.rulebook.definitions.definitions.get(name)
        return spec.title if spec is not None else humanize(name)

    def rule_label(self, rule_id: str) -> str:
        rule = self.book.by_id.get(rule_id)
        return rule.source.title if rule is not None else rule_id

    # --- links (Markdown, escaped) --------------------------------------------------------------------------------
    def fact(self, name: str) -> str:
        spec = self.vocabulary.facts.get(name)
        return link(md(self.fact_label(name)), f"{self.base}{CASE_DATA}#{anchor('fact', name)}",
                    spec.description if spec is not None else None)

    def event(self, name: str) -> str:
        spec = self.vocabulary.events.get(name)
        return link(md(self.event_label(name)), f"{self.base}{CASE_DATA}#{anchor('event', name)}",
                    spec.description if spec is not None else None)

    def kind(self, name: str) -> str:
        spec = self.vocabulary.case_kinds.get(name)
        return link(md(self.kind_label(name)), f"{self.base}{CASE_DATA}#{anchor('kind', name)}",
                    spec.description if spec is not None else None)

    def param(self, name: str) -> str:
        return link(md(self.param_label(name)), f"{self.base}{PARAMETERS}#{anchor('param', name)}")

    def definition(self, name: str) -> str:
        spec = self.book.rulebook.definitions.definitions.get(name)
        return link(md(self.definition_label(name)), f"{self.base}{DEFINITIONS}#{anchor('definition', name)}",
                    spec.description if spec is not None else None)

    def calendar(self, name: str) -> str:
        calendar = self.book.calendars.get(name)
        label = calendar.title if calendar is not None else humanize(name)
        return link(md(label), f"{self.base}{CALENDARS}#{anchor('calendar', name)}")

    def rule(self, rule_id: str) -> str:
        return link(md(self.rule_label(rule_id)), f"{self.base}{rule_path(rule_id)}")

    def page(self, path: str, text_md: str, fragment: str | None = None) -> str:
        return link(text_md, f"{self.base}{path}" + (f"#{fragment}" if fragment else ""))

    def field_label(self, field: str, event_types: tuple[str, ...] | None) -> tuple[str, str | None]:
        """A field of an event: its words and its description (for a tooltip)."""
        for event_type in event_types or ():
            spec = self.vocabulary.events.get(event_type)
            if spec is not None and field in spec.fields:
                return humanize(field), spec.fields[field].description
        return humanize(field), None
