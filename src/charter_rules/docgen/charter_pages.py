"""The charter coverage page (every sentence, and what checks it) and the charter-versus-law findings page."""

from __future__ import annotations

from typing import Any

from ._text import ext_link, join_words, md, md_links
from .charter_index import section_anchor, sentence_anchor
from .refs import Refs

KIND_WORDS = {
    "later_than_law": "The charter allows more time than the law.",
    "obsolete_standard": "The charter repeats a standard the law no longer uses.",
    "wording": "The charter's words fall short of the law.",
}
CLASS_SHORT = {
    "organisational": "about how the force works as a whole",
    "not_measurable_per_case": "cannot be measured from one case's records",
    "informational": "information rather than a promise",
}
CLASS_WORDS = {
    "organisational": "About the force as a whole, not one case",
    "not_measurable_per_case": "Cannot be checked from one case's records",
    "informational": "Information, not a promise",
}


def _source_text(value: Any) -> str:
    """A source named in the charter map or a finding: a reference object, a URL, or words."""
    if value is None:
        return ""
    if isinstance(value, str):
        return ext_link(value, value) if value.startswith(("http://", "https://")) else md(value)
    title = getattr(value, "title", None)
    if title is not None:
        return ext_link(str(title), getattr(value, "href", None))
    text = str(value)
    return ext_link(text, text) if text.startswith(("http://", "https://")) else md(text)


def coverage_page(refs: Refs, charter: Any, finding_ids: set[str] | None = None) -> str:
    """The charter text sentence by sentence, each linked to its rules or showing why no rule checks it.

    A sentence whose words differ from the law links to that finding (``finding_ids``: those on the findings page).
    """
    finding_ids = finding_ids or set()
    sentences = [s for section in charter.sections for s in section.sentences]
    with_rules = [s for s in sentences if s.rules]
    classed: dict[str, int] = {}
    for sentence in sentences:
        cls = getattr(sentence, "class_", None)
        if not sentence.rules and cls:
            classed[cls] = classed.get(cls, 0) + 1
    lines = [
        "# The charter, sentence by sentence", "",
        f"*{md(charter.title)}*, published by {md(charter.publisher)}. Source: "
        f"{_source_text(str(charter.source).rstrip('.') if isinstance(charter.source, str) else charter.source)}.", "",
        f"The charter has **{len(sentences)} sentences** that promise or describe something. "
        f"**{len(with_rules)}** of them are checked case by case by one or more rules"
        + (f"; the other {len(sentences) - len(with_rules)} are not: " + join_words(
            [f"{n} {md(CLASS_SHORT.get(c, c.replace('_', ' ')))}" for c, n in sorted(classed.items())]) + "."
           if len(sentences) > len(with_rules) else "."),
        "",
        "Each sentence below is followed by the rules that check it, or by the reason no rule can. By section "
        "(*checked*: by one or more rules, case by case; *not checkable*: not from one case's records):", "",
        *_section_table(charter),
    ]
    for section in charter.sections:
        lines += [f"## {md(section.heading)} {{ #{section_anchor(section.id)} }}", ""]
        for sentence in section.sentences:
            lines += [f"> {md(sentence.text)}", f"{{ #{sentence_anchor(sentence.id)} .cr-sentence }}", ""]
            if sentence.rules:
                links = [refs.rule(r) if r in refs.book.by_id else md(r) + " (unknown rule)" for r in sentence.rules]
                lines += [f"✔ **Checked by:** {join_words(links)}", ""]
            else:
                cls = getattr(sentence, "class_", None) or "unclassified"
                reason = getattr(sentence, "reason", None) or ""
                lines += [f"— **{md(CLASS_WORDS.get(cls, cls))}.** {md(reason)}", ""]
            for finding in getattr(sentence, "findings", None) or []:
                if str(finding.id) in finding_ids:
                    lines += [f"⚠ **Differs from the law:** [{md(finding.title)}]({refs.base}findings.md"
                              f"#finding-{_slug(finding.id)})", ""]
    linked = {r for s in sentences for r in s.rules}
    law_only = [r for r in refs.book.rules if r.id not in linked]
    if law_only:
        lines += ["## Rules not tied to a charter sentence", "",
                  "These rules check duties in law (or in the Victims' Code) that no charter sentence states.", ""]
        lines += [f"- {refs.rule(r.id)}" for r in law_only]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _section_table(charter: Any) -> list[str]:
    """One row per section of the charter: how many of its sentences are checked case by case."""
    rows = ["| Section | Sentences | Checked | Not checkable | Differs from law |",
            "| --- | ---: | ---: | ---: | ---: |"]
    for section in charter.sections:
        sentences = list(section.sentences)
        checked = sum(1 for s in sentences if s.rules)
        differs = sum(1 for s in sentences if getattr(s, "findings", None))
        rows.append(f"| [{md(section.heading)}](#{section_anchor(section.id)}) | {len(sentences)} | {checked} | "
                    f"{len(sentences) - checked} | {differs or '-'} |")
    return [*rows, ""]


def _findings_table(refs: Refs, findings: list[Any]) -> list[str]:
    """The findings at a glance: what differs, how much it matters, and the two rules compared."""
    rows = ["| Difference | Importance | Charter rule | Legal rule |", "| --- | --- | --- | --- |"]
    for finding in findings:
        severity = str(getattr(finding, "severity", "") or "").capitalize() or "-"
        rows.append(f"| [{md(finding.title)}](#finding-{_slug(finding.id)}) | {md(severity)} | "
                    f"{_rule(refs, finding.charter_rule) or '-'} | {_rule(refs, finding.law_rule) or '-'} |")
    return [*rows, ""]


def findings_page(refs: Refs, findings: list[Any]) -> str:
    """Where the charter promises something different from the law, one finding at a time."""
    lines = [
        "# Where the charter and the law differ", "",
        "The charter sometimes promises more, less or something other than the law requires. Each finding below "
        "puts a charter rule next to the legal rule it should be compared with, says what each requires and what "
        "to do about the difference. The findings are worked out from the rules themselves every time this site "
        "is built.", "",
    ]
    if not findings:
        lines += ["No differences were found.", ""]
    else:
        lines += [f"**{len(findings)} differences**, most important first:", "", *_findings_table(refs, findings)]
    for finding in findings:
        lines += [f"## {md(finding.title)} {{ #finding-{_slug(finding.id)} }}", ""]
        severity = str(getattr(finding, "severity", "") or "")
        kind = KIND_WORDS.get(str(getattr(finding, "kind", "")), "")
        if severity:
            lines += [f'<span class="cr-badge cr-severity-{_slug(severity)}">{md(severity.capitalize())} '
                      f'importance</span> {md(kind)}', ""]
        rows = [
            ("Rule", _rule(refs, finding.charter_rule), _rule(refs, finding.law_rule)),
            ("What it says", md(finding.charter_says or ""), md(finding.law_says or "")),
            ("Source", _source_text(finding.charter_source), _source_text(finding.law_source)),
        ]
        lines += ["| | The charter | The law |", "| --- | --- | --- |"]
        lines += [f"| **{label}** | {left or ' '} | {right or ' '} |" for label, left, right in rows]
        lines.append("")
        evidence = getattr(finding, "evidence", None)
        if evidence:
            lines += [f"**How we know:** {md_links(evidence)}", ""]
        if getattr(finding, "advice", None):
            lines += [f"**What to do:** {md(finding.advice)}", ""]
    return "\n".join(lines).rstrip() + "\n"


def _rule(refs: Refs, rule_id: Any) -> str:
    if not rule_id:
        return ""
    rule_id = str(rule_id)
    if rule_id in refs.book.by_id:
        return refs.rule(rule_id)
    return md(rule_id)


def _slug(text: Any) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "x"

