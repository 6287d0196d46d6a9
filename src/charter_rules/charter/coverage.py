"""Charter coverage: every sentence of the charter mapped to the rules that check it, or classed with a reason.

``charter_coverage(charter, book)`` joins the charter map (rules/charter.yaml) with the compiled rule book and lists
every problem that would make the map untrustworthy:

* a sentence names a rule that does not exist;
* a rule quotes a charter section that does not exist, or words that are not in that section;
* a rule quotes a sentence that does not list the rule (the map and the rule disagree);
* a rule based on the charter quotes no charter sentence;
* a wording finding names a rule that does not exist.

(A sentence with neither rules nor a class is refused when the map is loaded.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .text import Charter, quote_in
from ..compiled import CompiledRulebook


@dataclass(frozen=True)
class CoverageRow:
    section_id: str
    heading: str
    sentence_id: str
    text: str
    rules: tuple[str, ...]
    class_: str | None
    reason: str | None
    findings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section_id, "heading": self.heading, "sentence": self.sentence_id, "text": self.text,
            "rules": list(self.rules), "class": self.class_, "reason": self.reason, "findings": list(self.findings),
        }


@dataclass(frozen=True)
class CoverageReport:
    rows: tuple[CoverageRow, ...]
    problems: tuple[str, ...]
    rules_not_in_charter: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int]:
        """How many sentences are checked by rules, and how many fall in each class."""
        out = {"sentences": len(self.rows), "checked_by_rules": sum(1 for r in self.rows if r.rules)}
        for row in self.rows:
            if not row.rules and row.class_:
                out[row.class_] = out.get(row.class_, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"counts": self.counts(), "problems": list(self.problems),
                "rules_not_in_charter": list(self.rules_not_in_charter), "sentences": [r.to_dict() for r in self.rows]}


def charter_coverage(charter: Charter, book: CompiledRulebook) -> CoverageReport:
    """Map every charter sentence to its rules and check the map against the rule book, both ways."""
    problems: list[str] = []
    rows: list[CoverageRow] = []
    for section, sentence in charter.sentences():
        for rule_id in sentence.rules:
            if rule_id not in book.by_id:
                problems.append(f"sentence {sentence.id} names rule {rule_id!r}, which does not exist")
        for finding in sentence.findings:
            for role, rule_id in (("charter_rule", finding.charter_rule), ("law_rule", finding.law_rule)):
                if rule_id is not None and rule_id not in book.by_id:
                    problems.append(f"finding {finding.id} ({sentence.id}) names {role} {rule_id!r}, which does not exist")
            if finding.charter_says and not quote_in(finding.charter_says, sentence.text):
                problems.append(f"finding {finding.id}: charter_says is not in sentence {sentence.id}")
        rows.append(CoverageRow(section.id, section.heading, sentence.id, sentence.text, tuple(sentence.rules),
                                sentence.class_, sentence.reason, tuple(f.id for f in sentence.findings)))

    quoted: set[str] = set()
    for rule in book.rules:
        source = rule.source
        if source.basis in ("charter", "charter_and_law") and not source.charter:
            problems.append(f"rule {rule.id} is based on the charter but quotes no charter sentence")
        for quote in source.charter:
            section = charter.section(quote.section)
            if section is None:
                problems.append(f"rule {rule.id} quotes section {quote.section!r}, which is not in the charter")
                continue
            if not quote_in(quote.quote, section.text):
                problems.append(f"rule {rule.id} quotes words not found in section {quote.section!r}: {quote.quote!r}")
                continue
            quoted.add(rule.id)
            for sentence in section.sentences:
                if quote_in(quote.quote, sentence.text) and rule.id not in sentence.rules:
                    problems.append(f"rule {rule.id} quotes sentence {sentence.id}, which does not list it")
    listed = {r for row in rows for r in row.rules}
    not_in_charter = tuple(r.id for r in book.rules if r.id not in listed and r.id not in quoted)
    return CoverageReport(tuple(rows), tuple(problems), not_in_charter)


def coverage_text(report: CoverageReport) -> str:
    """The map as plain text: each section, each sentence, and what checks it (or why nothing can)."""
    lines: list[str] = []
    section = None
    for row in report.rows:
        if row.section_id != section:
            section = row.section_id
            lines += ["", f"## {row.heading}"]
        text = row.text if len(row.text) <= 110 else row.text[:107] + "..."
        lines.append(f"  {row.sentence_id}: {text}")
        if row.rules:
            lines.append(f"      checked by: {', '.join(row.rules)}")
        else:
            lines.append(f"      not checked ({row.class_}): {row.reason}")
        if row.findings:
            lines.append(f"      findings: {', '.join(row.findings)} (see charter-rules lint)")
    counts = report.counts()
    lines += ["", f"{counts['sentences']} sentences: {counts['checked_by_rules']} checked by rules, "
              + ", ".join(f"{n} {c.replace('_', ' ')}" for c, n in counts.items()
                          if c not in ("sentences", "checked_by_rules"))]
    if report.rules_not_in_charter:
        lines.append("rules checking law the charter does not state: " + ", ".join(report.rules_not_in_charter))
    if report.problems:
        lines += ["", f"{len(report.problems)} problem(s):"] + [f"  - {p}" for p in report.problems]
    else:
        lines.append("every sentence is mapped; every mapped rule exists; every rule's charter quote is in the charter")
    return "\n".join(lines).lstrip("\n") + "\n"
