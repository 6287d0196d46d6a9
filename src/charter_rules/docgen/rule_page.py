"""One page per rule: the charter sentence, the logic in words, the numbers and their sources, the law, the versions
and the worked examples drawn as timelines."""

from __future__ import annotations

from typing import Any

from ..obligation import DUTY_MEANINGS, weakest_duty
from ..compiled import CompiledRule, CompiledVersion
from ..calendars import format_date
from ..units import UNIT_WORDS, unit_text
from ._text import attr, ext_link, humanize, join_words, link, md, table
from .charter_index import CharterIndex
from .condition_words import definitions_used
from .logic import RuleWords
from .refs import CHARTER, Refs
from .worked import example_lines, run_example

BASIS_WORDS = {
    "charter": "The charter (a promise the force makes, not a legal duty)",
    "law": "The law",
    "charter_and_law": "The charter and the law",
}
CONFIDENCE_WORDS = {"high": "High", "med-high": "Medium-high", "medium": "Medium", "low": "Low"}
SOURCE_TAG_WORDS = {
    "S1": "Primary source read",
    "S2": "Secondary source: a restatement of the law or guidance",
    "R": "Recalled, not checked",
    "I": "Inferred",
}


def confidence_badge(confidence: str) -> str:
    flagged = confidence in ("medium", "low")
    words = CONFIDENCE_WORDS.get(confidence, confidence)
    if flagged:
        return (f'<span class="cr-badge cr-confidence-{attr(confidence)}" title="Check this number before relying '
                f'on it">⚠ {md(words)}</span>')
    return md(words)


def duty_text(version: CompiledVersion) -> str:
    """The kind of duty in words, noting where the number that sets the deadline makes it weaker."""
    text = f"{md(version.duty.label)} ({md(DUTY_MEANINGS[version.duty])})"
    count_duty = version.deadline.count_duty
    if count_duty is not None and weakest_duty(version.duty, count_duty) is not version.duty:
        text += (f"; the time limit itself is a {md(count_duty.label)} ({md(DUTY_MEANINGS[count_duty])}), so a "
                 f"missed deadline counts as {md(count_duty.breach_words)}")
    return text


def version_span(version: CompiledVersion) -> str:
    until = f" to {format_date(version.valid_to)}" if version.valid_to else " onwards"
    return f"{format_date(version.valid_from)}{until}"


def _logic_lines(words: RuleWords, rule: CompiledRule, version: CompiledVersion, level: str) -> list[str]:
    lines: list[str] = []
    for heading, body in words.sections(rule, version):
        lines += [f"{level} {heading}", "", *body, ""]
    return lines


def value_text(value: object, unit: str | None) -> str:
    """A parameter's value in words: lists of names are read out, units spelled in words (1 working day)."""
    if isinstance(value, list):
        return join_words([md(humanize(str(v))) for v in value])
    if isinstance(value, int) and unit in UNIT_WORDS:
        return md(unit_text(value, unit))
    text = md(value)
    if unit and value == 1 and unit.endswith("s"):
        unit = unit[:-1]
    return text + (" " + md(unit.replace("_", " ")) if unit else "")


def parameter_value_text(spec: Any) -> str:
    """A parameter's value in words; a dated parameter's values each with the day it came into force."""
    if not spec.values:
        return value_text(spec.value, spec.unit)
    return "; ".join(f"{value_text(v.value, spec.unit)} from {md(format_date(v.from_))}" for v in spec.values)


def parameter_blocks(refs: Refs, names: list[str]) -> list[str]:
    """Each number a rule uses: its value, source, kind of source, confidence and review date."""
    params = refs.book.rulebook.parameters.parameters
    lines: list[str] = []
    for name in names:
        spec = params.get(name)
        if spec is None:
            continue
        lines += [f"- {refs.param(name)}: **{parameter_value_text(spec)}**",
                  f"    - Source: {ext_link(spec.source.title, spec.source.href)} "
                  f"({md(SOURCE_TAG_WORDS.get(spec.source_tag, spec.source_tag).lower())})" + (
                      f". {md(spec.note)}" if spec.note else ""),
                  f"    - Confidence: {confidence_badge(spec.confidence)} · last reviewed "
                  f"{md(format_date(spec.last_reviewed))}"]
    return lines


def rule_page(refs: Refs, rule: CompiledRule, charter: CharterIndex | None) -> str:
    """The Markdown of a rule's page (``refs.base`` must be ``"../"``: rule pages live under ``rules/``)."""
    words = RuleWords(refs)
    # a rule page comes before other pages in search for its title or its id (the name every report prints)
    front = ["---", "search:", "  boost: 4", "---", ""]
    lines = [*front, *_glance(refs, words, rule), *_charter_section(refs, rule, charter), *_logic_section(words, rule),
             *_sources_section(refs, rule), *_versions_section(words, rule), *_examples_section(refs, rule)]
    return "\n".join(lines).rstrip() + "\n"


def _glance(refs: Refs, words: RuleWords, rule: CompiledRule) -> list[str]:
    source, current = rule.source, rule.versions[-1]
    lines = [f"# {md(source.title)}", "", f'<p class="cr-lead" markdown="1">{md(source.summary)}</p>', ""]
    kinds = join_words([refs.kind(k) for k in source.case_kinds], "or")
    lines += table(["At a glance", ""], [
        ["**Based on**", md(BASIS_WORDS.get(source.basis, source.basis))],
        ["**Applies to**", kinds],
        ["**Deadline**", md(words.deadline_summary(current))],
        ["**Kind of duty**", duty_text(current)],
        ["**In force**", md(version_span(current))],
        ["**Rule id**", f"{md(source.id)} (the name reports use for this rule)"],
    ])
    lines.append("")
    if getattr(source, "information_only", False):
        lines += ['!!! info "For information: this time limit binds someone else"', "",
                  "    The window it describes is a limit on someone other than the force (for example the time a "
                  "complainant has to ask for a review). Its obligations show the window while it is open; once it has "
                  "closed they are *not applicable*, never *overdue* or *satisfied late*.", ""]
    return lines


def _charter_section(refs: Refs, rule: CompiledRule, charter: CharterIndex | None) -> list[str]:
    lines = ["## What the charter says", ""]
    if not rule.source.charter:
        lines += ["This rule comes from the law alone; the charter does not state it.", ""]
    for quote in rule.source.charter:
        found = charter.find(quote.section, quote.quote) if charter is not None else None
        lines += [f"> {md(quote.quote)}", ">"]
        if found is not None:
            heading, fragment = found
            lines += [f"> — {link(md(heading), f'{refs.base}{CHARTER}#{fragment}')}", ""]
        else:
            lines += [f"> — {md(quote.section.replace('-', ' ').capitalize())}", ""]
    return lines


def _logic_section(words: RuleWords, rule: CompiledRule) -> list[str]:
    current = rule.versions[-1]
    if len(rule.versions) > 1:
        lines = [f"## What the rule does (the version in force from {md(format_date(current.valid_from))})", ""]
    else:
        lines = ["## What the rule does", ""]
    return lines + _logic_lines(words, rule, current, "###")


def _sources_section(refs: Refs, rule: CompiledRule) -> list[str]:
    source = rule.source
    lines = ["## Sources and numbers", ""]
    if source.confidence_note:
        lines += ['!!! warning "How sure we are"', "", f"    {md(source.confidence_note)}", ""]
    blocks = parameter_blocks(refs, parameters_of(rule, refs))
    if blocks:
        lines += ["### Numbers this rule uses", "", *blocks, ""]
    counterparts = getattr(source, "law_counterparts", None) or []
    if counterparts:
        lines += ["### Compared with the law", "",
                  "This charter rule is compared, case by case, with the rule that encodes the law on the same duty. "
                  f"Any difference is listed on [Where the charter and the law differ]({refs.base}findings.md).", ""]
        for counterpart in counterparts:
            other = refs.rule(counterpart.rule) if counterpart.rule in refs.book.by_id else md(counterpart.rule)
            lines.append(f"- {other}, for {md(counterpart.situation)}. If the charter promises less: "
                         f"{md(counterpart.advice)}")
        lines.append("")
    lines += ["### Legal and policy references", ""]
    for ref in source.references:
        text = ext_link(ref.title, ref.href)
        lines.append(f"- {text}" + (f" — {md(ref.note)}" if ref.note else ""))
    if not source.references:
        lines.append("- None recorded.")
    return lines + [""]


def _change_text(version: CompiledVersion) -> str:
    """What changed when a version came into force: its change note, or a number that changed on that day."""
    if version.valid_from != version.source.valid_from:
        return f"A number changed: the parameter values in force from {format_date(version.valid_from)} apply."
    return version.source.change_note or "First version."


def _versions_section(words: RuleWords, rule: CompiledRule) -> list[str]:
    lines = ["## Versions over time", ""]
    lines += table(["In force", "What changed"], [
        [md(version_span(v)), md(_change_text(v))] for v in reversed(rule.versions)
    ])
    lines.append("")
    for version in reversed(rule.versions[:-1]):
        lines += [f'??? note "How the rule worked from {attr(version_span(version))}"', ""]
        lines += ["    " + line if line else "" for line in _logic_lines(words, rule, version, "####")]
    return lines


def _examples_section(refs: Refs, rule: CompiledRule) -> list[str]:
    lines = ["## Worked examples", ""]
    if not rule.source.examples:
        lines += ["This rule has no worked examples yet.", ""]
    else:
        lines += ["Each example is a small case, evaluated when this page was built. The picture shows the days as "
                  "the evaluator counted them; hover over a day or a marker for details. "
                  f"[How to read these pictures]({refs.base}how-to-read.md#the-timeline-pictures).", ""]
    for index, example in enumerate(rule.source.examples):
        lines += example_lines(run_example(refs.book, rule, index, example), rule, refs)
    return lines


def parameters_of(rule: CompiledRule, refs: Refs) -> list[str]:
    """The parameters a rule declares, then any others it reads, itself or through the definitions it uses."""
    names = list(rule.source.parameters)
    sources = refs.book.rulebook.definitions.definitions
    found: list[str] = []
    for version in rule.versions:
        found += _param_names(version.source)
    for name in rule_definitions(rule):
        if name in sources:
            found += _param_names(sources[name].condition)
    names += [candidate for candidate in dict.fromkeys(found) if candidate not in names]
    return names


def rule_definitions(rule: CompiledRule) -> dict[str, Any]:
    """The rule-book definitions (source form) a rule uses in any version, directly or through other definitions."""
    used: dict[str, Any] = {}
    for version in rule.versions:
        definitions_used(version.applies, used)
        for waiver in version.waivers:
            definitions_used(waiver.when, used)
        for variant in version.variants:
            definitions_used(variant.when, used)
    return {name: pred for name, pred in used.items()}


def _param_names(node: Any) -> list[str]:
    from pydantic import BaseModel

    from ..condition_syntax import ParamRef

    found: list[str] = []
    if isinstance(node, ParamRef):
        return [node.param]
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            found += _param_names(getattr(node, name))
    elif isinstance(node, (list, tuple)):
        for item in node:
            found += _param_names(item)
    return found
