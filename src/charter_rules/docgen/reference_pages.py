"""Reference pages generated from the rule book's shared files: calendars, case data, definitions, parameters."""

from __future__ import annotations

import datetime as dt

from ..calendars import NATION_NAMES, format_date
from ..model import FieldSpec
from ..obligation import DUTY_MEANINGS, DutyKind
from ..predicates import EventExists, Predicate, walk
from ..snapshot import CaseSnapshot, Event
from ._text import anchor, ext_link, holiday_short_name, join_words, md, md_links, short_date, table
from .condition_words import ConditionWords
from .refs import Refs
from .rule_page import SOURCE_TAG_WORDS, confidence_badge, parameter_value_text, parameters_of, rule_definitions

YEARS_BEFORE_HORIZON = 4  # the calendar page lists bank holidays from this many years before known_through


def _span(kind: str, name: str) -> str:
    return f'<span id="{anchor(kind, name)}"></span>'


def _rules_using(refs: Refs, test, label: str = "Used by") -> list[str]:  # type: ignore[no-untyped-def]
    """Lines naming the rules that pass ``test``; a long list is folded away under its count."""
    found = [refs.rule(rule.id) for rule in sorted(refs.book.rules, key=lambda r: r.source.title) if test(rule)]
    if len(found) <= 6:
        return [f"**{label}:** {join_words(found) if found else 'no rule yet'}", ""]
    return [f'??? note "{label} {len(found)} rules"', "", *[f"    - {item}" for item in found], ""]


# --- calendars ----------------------------------------------------------------------------------------------------


def calendars_page(refs: Refs, first_year: int | None = None) -> str:
    spec = refs.book.rulebook.calendars
    calendars = refs.book.calendars
    known = spec.known_through
    first = first_year if first_year is not None else known.year - YEARS_BEFORE_HORIZON
    lines = [
        "# Working days and bank holidays", "",
        "A deadline in working days leaves out Saturdays, Sundays and the bank holidays of one *calendar*. Each rule "
        "says which calendar it uses, because the law differs: the Freedom of Information Act counts a bank holiday "
        "in any part of the United Kingdom, while the Victims' Code applies in England and Wales only.", "",
        f"**Where the dates come from:** {md_links(spec.source)}", "",
        f"**Known up to {md(format_date(known))}.** A deadline that falls after that date is still worked out, with the "
        "bank holidays known today, but it carries a warning: a one-off bank holiday proclaimed later (as for a "
        "coronation or a jubilee) would move it. When new dates are published, the calendar file is updated and "
        "this date moves on.", "",
        "## The calendars", "",
    ]
    for name, calendar in calendars.items():
        users = _rules_using(refs, lambda rule, n=name: any(
            v.deadline.calendar.name == n or any(x.change.calendar and x.change.calendar.name == n for x in v.variants)
            for v in rule.versions))
        lines += [f"### {md(calendar.title)} {{ #{anchor('calendar', name)} }}", "", md(calendar.description), "",
                  f"**Bank holidays of:** {md(calendar.nations)}", "", *users]
    names = list(calendars)
    for year in range(first, known.year + 1):
        lines += [f"## Bank holidays in {year}", ""]
        days: dict[dt.date, str] = {}
        for calendar in calendars.values():
            for day, reason in calendar.holidays_in_year(year).items():
                days.setdefault(day, reason)
        rows = []
        for day in sorted(days):
            reasons = [calendars[n].holidays_in_year(year).get(day) for n in names]
            label = holiday_short_name(next(r for r in reasons if r))
            if day.weekday() >= 5:
                label += " (on a weekend: moves no deadline)"
            rows.append([md(short_date(day)), md(label)] + ["✓" if r else "—" for r in reasons])
        lines += table(["Date", "Bank holiday"] + [md(calendars[n].title) for n in names], rows)
        lines.append("")
    lines += ["## Corrections to the holiday data", "",
              "Where the holiday data is known to be wrong or incomplete, the calendar file adds or removes a date, "
              "with its source.", ""]
    if spec.overrides:
        lines += table(["Date", "Nations", "Change", "Holiday", "Source"], [
            [md(format_date(o.date)), md(join_words([NATION_NAMES.get(n, n) for n in o.subdivisions])), "added" if o.action == "add" else "removed",
             md(o.name), md_links(o.source)] for o in spec.overrides])
    else:
        lines.append("None.")
    lines.append("")
    return "\n".join(lines)


# --- case data ----------------------------------------------------------------------------------------------------


def _type_words(spec: FieldSpec) -> str:
    words = {"string": "text", "integer": "whole number", "number": "number", "boolean": "yes/no (true or false)",
             "date": "date (YYYY-MM-DD)", "datetime": "date and time with a UTC offset", "string_list": "list of text"}
    text = words.get(spec.type, spec.type)
    if spec.minimum is not None or spec.maximum is not None:
        text += f", {spec.minimum if spec.minimum is not None else '…'} to {spec.maximum if spec.maximum is not None else '…'}"
    return text


def _allowed(spec: FieldSpec) -> str:
    return ", ".join(f"`{v}`" for v in spec.enum) if spec.enum else ""


def case_data_page(refs: Refs) -> str:
    vocabulary = refs.vocabulary
    lines = [
        "# Case data", "",
        "The evaluator reads a *case snapshot*: what kind of case it is, when it was received, facts about it and the "
        "dated events recorded in it. Everything on this page is generated from the vocabulary file the evaluator "
        "validates case data against, so a case that follows this page is accepted and one that does not is "
        "refused with a message naming the field.", "",
        "Downloads: [JSON Schema for case snapshots](schemas/case-snapshot.schema.json) · "
        "[JSON Schema for rule files](schemas/rule.schema.json).", "",
        "## A case snapshot", "",
    ]
    rows = []
    for name, info in CaseSnapshot.model_fields.items():
        rows.append([f"`{name}`", md(info.description or _SNAPSHOT_WORDS.get(name, ""))])
    lines += table(["Field", "What it holds"], rows) + [""]
    lines += ["Every event has these fields, and then the fields of its type:", ""]
    lines += table(["Field", "What it holds"], [
        [f"`{name}`", md(info.description or _SNAPSHOT_WORDS.get(f"event.{name}", ""))]
        for name, info in Event.model_fields.items()]) + [""]
    lines += ["A fact that is left out is *unknown*, never *no*: a rule that needs it shows as *indeterminate*.", ""]

    lines += ["## Kinds of case", ""]
    lines += table(["Kind", "In the data", "Description"], [
        [_span("kind", name) + f"**{md(spec.title)}**", f"`{name}`", md(spec.description)]
        for name, spec in vocabulary.case_kinds.items()]) + [""]

    lines += ["## Facts", ""]
    lines += table(["Fact", "In the data", "Type", "Allowed values", "Description"], [
        [_span("fact", name) + f"**{md(refs.fact_label(name))}**" + (" 🔒" if spec.personal else ""), f"`{name}`",
         md(_type_words(spec)), _allowed(spec), md(spec.description)]
        for name, spec in vocabulary.facts.items()]) + [""]
    lines += ["🔒 marks personal data, left out of reports made with `--redact`.", ""]

    lines += ["## Events", ""]
    for name, spec in vocabulary.events.items():
        lines += [f"### {md(spec.title)} {{ #{anchor('event', name)} }}", "", f"`type: {name}` — {md(spec.description)}", ""]
        if spec.fields:
            lines += table(["Field", "Type", "Required", "Allowed values", "Description"], [
                [f"`{field}`" + (" 🔒" if fs.personal else ""), md(_type_words(fs)), "yes" if fs.required else "no",
                 _allowed(fs), md(fs.description)] for field, fs in spec.fields.items()]) + [""]
        used = _rules_using(refs, lambda rule, n=name: n in _events_of(rule))
        lines += used
    return "\n".join(lines)


_SNAPSHOT_WORDS = {
    "case_id": "The case's reference, unique in an export.",
    "kind": "The kind of case (see below).",
    "received_at": "When the case was received, with a UTC offset.",
    "facts": "Facts about the case and the victim (see below).",
    "events": "Dated events, in any order (see below).",
    "event.type": "The event type (see below).",
}


def _events_of(rule) -> set[str]:  # type: ignore[no-untyped-def]
    names: set[str] = set()
    for version in rule.versions:
        if version.trigger is not None:
            names.update(version.trigger.types)
        names.update(version.satisfied_by.types)
        for pause in version.pauses:
            names.update((pause.start, pause.until))
        for item in (*version.restarts, *version.extensions):
            names.update(item.matcher.types)
        names.update(t for m in (*version.ends_on, *version.resumes_on) for t in m.types)
        for waiver in version.waivers:
            names.update(_event_conditions(waiver.when))
        for variant in version.variants:
            names.update(_event_conditions(variant.when))
        names.update(_event_conditions(version.applies))
    return names


def _event_conditions(pred: Predicate) -> set[str]:
    return {part.event_type for part in walk(pred) if isinstance(part, EventExists)}


# --- definitions and parameters -------------------------------------------------------------------------------------


def definitions_page(refs: Refs) -> str:
    words = ConditionWords(refs)
    compiled: dict[str, object] = {}
    for rule in refs.book.rules:
        compiled.update(rule_definitions(rule))
    lines = ["# Definitions", "",
             "Some conditions are used by several rules, or are long enough to deserve a name: who is a vulnerable "
             "victim, who is entitled to enhanced rights. They are written once, here, and the rules refer to them by "
             "name.", ""]
    for name, spec in refs.book.rulebook.definitions.definitions.items():
        lines += [f"## {md(spec.title)} {{ #{anchor('definition', name)} }}", "", md(spec.description), ""]
        pred = compiled.get(name)
        if pred is not None:
            phrase = words.definition_phrase(name, pred)
            lines += ["**Exactly:** " + (phrase.text + "." if phrase.simple else phrase.text), ""]
            for part in phrase.parts:
                lines += part.lines()
            lines.append("")
        else:
            lines += ["No rule uses this definition yet.", ""]
        for ref in spec.references:
            lines.append(f"- {ext_link(ref.title, ref.href)}")
        used = _rules_using(refs, lambda rule, n=name: n in rule_definitions(rule))
        lines += ["", *used]
    return "\n".join(lines)


def settings_page(refs: Refs) -> str:
    """Every interpretation setting: its question, its default, each choice with its reasons and sources."""
    book = refs.book.rulebook
    lines = ["# Interpretation settings", "",
             "Where the sources leave a real choice, the rule book does not hide it in code: it is a named setting "
             "with a default, the alternatives and their sources. Every explanation and report names the settings "
             "it was made with. Choose another value for a run with `--setting id=value` on the command line, or "
             "`charter_rules.default_rulebook(settings={\"id\": \"value\"})` in Python.", ""]
    if not book.settings.settings:
        lines += ["This rule book has no interpretation settings.", ""]
    for setting in book.settings.settings:
        lines += [f"## {md(setting.title)} {{ #{anchor('setting', setting.id)} }}", "", md(setting.question), "",
                  f"- **Default:** {md(setting.choices[setting.default].title)}",
                  f"- **Name in the rule files:** `{setting.id}`", ""]
        for value, choice in setting.choices.items():
            default = " (the default)" if value == setting.default else ""
            lines += [f"### {md(choice.title)}{default}", "", md_links(choice.explanation), "",
                      f"Choose it with `--setting {setting.id}={value}`.", ""]
            lines += [f"- {ext_link(source.title, source.href)}" for source in choice.sources]
            lines.append("")
    return "\n".join(lines)


def parameters_page(refs: Refs) -> str:
    params = refs.book.rulebook.parameters.parameters
    lines = ["# Numbers from law and policy", "",
             "Every time limit and list a rule uses is kept here, once, with where it comes from, how sure we are of it "
             "and when it was last checked. Changing a number here changes every rule that uses it. Numbers of medium "
             "or low confidence are marked ⚠: check them before relying on them.", ""]
    for name, spec in params.items():
        shown = parameter_value_text(spec)
        if isinstance(spec.value, list):
            shown += " (in the data: " + ", ".join(f"`{v}`" for v in spec.value) + ")"
        lines += [f"## {md(spec.title)} {{ #{anchor('param', name)} }}", "",
                  f"- **Value:** {shown}",
                  f"- **Source:** {ext_link(spec.source.title, spec.source.href)}",
                  f"- **Kind of source:** {md(SOURCE_TAG_WORDS.get(spec.source_tag, spec.source_tag))}",
                  f"- **Kind of duty:** {md(DutyKind(spec.duty).label)} ({md(DUTY_MEANINGS[DutyKind(spec.duty)])})",
                  f"- **Confidence:** {confidence_badge(spec.confidence)}",
                  f"- **Last reviewed:** {md(format_date(spec.last_reviewed))}",
                  f"- **Name in the rule files:** `{name}`"]
        if spec.note:
            lines.append(f"- **Note:** {md_links(spec.note)}")
        lines += ["", *_rules_using(refs, lambda rule, n=name: n in parameters_of(rule, refs))]
    return "\n".join(lines)
