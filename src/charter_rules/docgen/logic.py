"""A rule version in plain English, generated from its compiled form: who, what starts the clock, what meets it, the
deadline and how it is counted, pauses, restarts, extensions, variants, exceptions, repetition and the at-risk point.

``version_sections`` returns (heading, Markdown lines) pairs; the rule page writer lays them out. Nothing here is
written by hand per rule: a new rule file gets its words the moment it compiles.
"""

from __future__ import annotations

from typing import Any

from ..compiled import CompiledRule, CompiledVersion, DeadlineChangeSpec, DeadlineSpec, EventMatcher
from ..condition_syntax import EventCondition, ParamRef
from ..units import unit_plural, unit_text
from ..model import Deadline, DeadlineChange, FactRef
from ..predicates import ALWAYS, describe
from ._text import join_words, md, sentence
from .condition_words import ConditionWords, definitions_used, facts_used
from .refs import Refs



class RuleWords:
    """Plain-English statements about one rule, for a page ``refs.base`` away from the site root."""

    def __init__(self, refs: Refs) -> None:
        self.refs = refs
        self.words = ConditionWords(refs)

    # --- pieces ---------------------------------------------------------------------------------------------------
    def events(self, matcher: EventMatcher, where_src: Any) -> str:
        """``Suspect arrested`` (or ``A or B``) with its ``where`` conditions in words."""
        text = join_words([self.refs.event(t) for t in matcher.types], "or")
        if matcher.where is not None:
            text += " where " + self.words.phrase(matcher.where, where_src, matcher.types).inline()
        return text

    def count(self, count: int | str, unit: str, src_count: Any) -> str:
        """``5 working days (from the parameter ...)`` or ``the number of calendar days in the fact ...``."""
        if isinstance(count, str) or isinstance(src_count, FactRef):
            fact = src_count.fact if isinstance(src_count, FactRef) else str(count)
            return f"the number of {unit_plural(unit)} recorded in the case fact {self.refs.fact(fact)}"
        text = f"**{unit_text(count, unit)}**"
        if isinstance(src_count, ParamRef):
            text += f" (set in {self.refs.param(src_count.param)})"
        return text

    def deadline(self, spec: DeadlineSpec, src: Deadline) -> list[str]:
        """The deadline and every counting convention, one statement per bullet."""
        calendar = self.refs.calendar(spec.calendar.name)
        lines = [f"- **How long:** {self.count(spec.count, spec.unit, src.count)}."]
        unit = spec.unit
        after = spec.day_one == "day_after_trigger"
        if unit == "hours":
            lines.append("- **Counting:** the deadline is that many hours after the exact moment the clock starts; "
                         "nights, weekends and bank holidays all count.")
            lines.append("- **Due:** at that exact moment (London time).")
            return lines
        if unit == "working_days":
            lines.append(f"- **Which days count:** working days on the {calendar} calendar: Monday to Friday, "
                         "leaving out the bank holidays listed for it.")
            if after:
                lines.append("- **Day 1:** the first working day *after* the day the clock starts. The day the clock "
                             "starts is never counted, whatever time it started.")
            else:
                lines.append("- **Day 1:** the day the clock starts, if it is a working day; otherwise the next "
                             "working day.")
            lines.append("- **Due:** by the end of the last day counted (midnight, London time).")
            return lines
        if unit == "calendar_days":
            lines.append("- **Which days count:** every day, weekends and bank holidays included.")
            lines.append("- **Day 1:** " + ("the day after the clock starts." if after else "the day the clock starts."))
        else:
            day_one = "the day after the clock starts" if after else "the day the clock starts"
            lines.append(f"- **Counting:** the deadline is the same date that many months after {day_one} "
                         "(for example 15 March to 15 April for one month).")
            if spec.short_month == "last_day_of_month":
                lines.append("- **Short months:** when that date does not exist (31 January + 1 month), the deadline "
                             "is the last day of the shorter month (28 or 29 February).")
            elif spec.short_month == "first_day_of_next_month":
                lines.append("- **Short months:** when that date does not exist (31 January + 1 month), the deadline "
                             "is the first day of the following month (1 March).")
        if spec.roll_forward:
            lines.append(f"- **Weekends and bank holidays:** a deadline that falls on one moves on to the next "
                         f"working day on the {calendar} calendar.")
        else:
            lines.append(f"- **Weekends and bank holidays:** a deadline that falls on one stays where it is (the "
                         f"{calendar} calendar is used only for warnings about unknown future bank holidays).")
        lines.append("- **Due:** by the end of that day (midnight, London time).")
        return lines

    def change(self, base: DeadlineSpec, change: DeadlineChangeSpec, src: DeadlineChange) -> str:
        """A variant's or extension's deadline, as a phrase."""
        effective = base.changed(change)
        count_src = src.count if src.count is not None else None
        text = self.count(effective.count, effective.unit, count_src)
        if change.calendar is not None:
            text += f" on the {self.refs.calendar(change.calendar.name)} calendar"
        if change.day_one is not None:
            text += ", day 1 being " + ("the day it starts" if change.day_one == "trigger_day" else "the day after")
        if change.roll_forward is not None:
            text += (", a deadline on a weekend or bank holiday moving on to the next working day" if change.roll_forward
                     else ", a deadline on a weekend or bank holiday staying where it is")
        return text

    # --- sections -------------------------------------------------------------------------------------------------
    def who(self, rule: CompiledRule, version: CompiledVersion) -> list[str]:
        kinds = join_words([self.refs.kind(k) for k in rule.source.case_kinds], "or")
        if version.applies is ALWAYS:
            return [f"Every case of the kind {kinds}."]
        phrase = self.words.phrase(version.applies, version.source.applies_when)
        if phrase.simple:
            return [f"Cases of the kind {kinds} where {phrase.text}."]
        return [f"Cases of the kind {kinds} where {phrase.text}", "",
                *[line for part in phrase.parts for line in part.lines()]]

    def trigger(self, rule: CompiledRule, version: CompiledVersion) -> list[str]:
        if version.trigger_kind == "case_received":
            return ["The moment the case is received (its *received at* time). Each case has one such obligation."]
        if version.trigger_kind == "breach_of":
            return [f"The moment an obligation under the rule {self.refs.rule(version.breach_of or '')} becomes "
                    "overdue: this is a follow-up duty. Each overdue obligation starts its own."]
        assert version.trigger is not None
        where_src = version.source.trigger.where
        return [f"Each time {self.events(version.trigger, where_src)} is recorded, at the moment it happened. "
                "Each one starts a separate obligation."]

    def delayed_start(self, version: CompiledVersion) -> list[str]:
        period = getattr(version, "starts_after", None)
        if period is None:
            return []
        source = version.source.trigger.starts_after
        return [f"The obligation only starts {self.period(period, source)} after that, at the beginning (midnight, "
                "London time) of the day that period runs out. Until then it shows as *not applicable*, with the "
                "day it will start; if the case ends before then, it never starts. Only events from that start on "
                "can meet it."]

    def period(self, period: Any, source: Any) -> str:
        """A delayed start or a schedule's period in words."""
        text = f"**{unit_text(period.count, period.unit)}**"
        if source is not None and isinstance(source.count, ParamRef):
            text += f" (set in {self.refs.param(source.count.param)})"
        if period.unit == "calendar_months":
            if period.short_month == "first_day_of_next_month":
                text += " (where the same date does not exist in the month it lands in, the first day of the next month)"
            else:
                text += " (where the same date does not exist in the month it lands in, the last day of that month)"
        return text

    def satisfied(self, version: CompiledVersion) -> list[str]:
        source = version.source.satisfied_by
        text = f"{sentence(md(source.description))} It is met by a recorded {self.events(version.satisfied_by, source.where)}"
        if version.same_as_trigger:
            fields = join_words([f"*{md(f.replace('_', ' '))}*" for f in version.same_as_trigger])
            text += f", for the same {fields} as the event that started the clock"
            if any(len(kept) < len(version.same_as_trigger) for kept in version.same_by_type.values()):
                text += " (where the event can record it)"
        text += ", at or after the moment the clock started."
        return [text]

    def clock(self, version: CompiledVersion) -> list[str]:
        lines: list[str] = []
        for pause in version.pauses:
            from_day = "is not counted" if pause.include_from_day else "is still counted"
            until_day = "is not counted either" if pause.include_until_day else "is counted again"
            lines.append(f"- **Pause:** the clock stops when {self.refs.event(pause.start)} is recorded and starts "
                         f"again when {self.refs.event(pause.until)} is recorded. The day it stops {from_day}; the "
                         f"day it starts again {until_day}. While it is stopped the obligation shows as *paused*. "
                         f"A pause that begins after the deadline has passed changes nothing. Why: {md(pause.reason)}"
                         + self.pause_limits(pause))
        for restart, src in zip(version.restarts, version.source.clock.restarts, strict=True):
            asked = (f", after {self.refs.event(restart.only_after)} was recorded (the force asking for it),"
                     if restart.only_after else "")
            lines.append(f"- **Restart:** when {self.events(restart.matcher, src.where)} is recorded{asked} while the "
                         "deadline is still running, the clock starts again from the beginning on that day. One "
                         "recorded after the deadline has passed restarts nothing: the breach stands. "
                         + ("A pause still running at that moment keeps the clock stopped until the pause ends. "
                            if version.pauses else "")
                         + ("Without that request it restarts nothing: the time starts again only for what the "
                            "force asked for. " if restart.only_after else "")
                         + f"Why: {md(restart.reason)}")
        for extension, src in zip(version.extensions, version.source.clock.extensions, strict=True):
            when = " by the original deadline" if extension.only_if_before_deadline else ""
            lines.append(f"- **Extension:** if {self.events(extension.matcher, src.where)} is recorded{when}, the "
                         f"deadline becomes {self.change(version.deadline, extension.change, src.to)} in all, "
                         f"counted from the same start. Why: {md(extension.reason)}")
        return lines

    def pause_limits(self, pause: Any) -> str:
        """A pause's condition and lapse, in words (empty when it has neither)."""
        text = ""
        if getattr(pause, "when", None) is not None:
            text += f" This pause applies only when {md(describe(pause.when))}."
        if getattr(pause, "during_extension", False):
            text += (" After an extension it also stops the clock when it begins after the original deadline, by the "
                     "extended one.")
        lapse = getattr(pause, "lapse", None)
        if lapse is not None:
            text += (f" **Lapse:** if the clock has not started again within {md(lapse.text)} beginning with the day "
                     "it stopped, the obligation ends then: it shows as *not applicable*, and an event that would "
                     f"have started the clock again later restarts nothing. Why: {md(lapse.reason)}")
        return text

    def variants(self, version: CompiledVersion) -> list[str]:
        lines: list[str] = []
        for variant, src in zip(version.variants, version.source.variants, strict=True):
            phrase = self.words.phrase(variant.when, src.when)
            deadline = self.change(version.deadline, variant.change, src.deadline)
            lines.append(f"- **When {phrase.inline()}:** {deadline} instead. Why: {md(variant.reason)}")
        return lines

    def waivers(self, version: CompiledVersion) -> list[str]:
        lines: list[str] = []
        for waiver, src in zip(version.waivers, version.source.waived_when, strict=True):
            phrase = self.words.phrase(waiver.when, src.when)
            if waiver.from_start:
                effect = ("It applies from the start, as the law provides: the obligation then shows as *waived*, "
                          "even if its deadline had passed.")
            else:
                effect = ("It acts from the moment it became true: what was already met stays met, what was already "
                          "overdue stays a breach, and only what was still owed then shows as *waived*.")
            lines.append(f"- **Not owed when {phrase.inline()}.** Why: {md(waiver.reason)} {effect}")
        return lines

    def recurrence(self, version: CompiledVersion) -> list[str]:
        recurrence = version.source.recurrence
        if recurrence is None:
            return []
        every = getattr(version, "every", None)
        if every is not None:
            follow = (f"A new occurrence starts {self.period(every, recurrence.every)} after the previous one "
                      "started, whether or not the previous one was met. Occurrences that would start after the "
                      "moment of evaluation are not listed yet.")
        else:
            follow = ("Each time it is met, the next one starts at the moment of the event that met it. While one "
                      "is still unmet, no further one starts.")
        lines = [sentence(md(recurrence.description)), "", follow]
        ends = [self.events(m, src.where if isinstance(src, EventCondition) else None)
                for m, src in zip(version.ends_on, recurrence.ends_on, strict=True)]
        if ends:
            lines.append(f"The series ends when {join_words(ends, 'or')} is recorded; an occurrence still running "
                         "then is no longer owed unless it was already overdue.")
        resumes = [self.events(m, src.where if isinstance(src, EventCondition) else None)
                   for m, src in zip(version.resumes_on, recurrence.resumes_on, strict=True)]
        if resumes:
            lines.append(f"Once ended, the series starts again when {join_words(resumes, 'or')} is recorded, counting "
                         "from that moment; what the end ended stays ended.")
        return lines

    def at_risk(self, version: CompiledVersion) -> list[str]:
        if version.at_risk is None:
            return ["This rule sets no warning time: an open obligation shows as *due* until it is overdue."]
        before, unit = version.at_risk
        amount = unit_text(before, unit)
        if unit == "hours":
            return [f"An open obligation shows as *at risk* from {amount} before its deadline."]
        return [f"An open obligation shows as *at risk* from the start of the day {amount} before the due date."]

    def missing_facts(self, version: CompiledVersion) -> list[str]:
        facts: list[str] = []
        facts_used(version.applies, facts)
        for waiver in version.waivers:
            facts_used(waiver.when, facts)
        for variant in version.variants:
            facts_used(variant.when, facts)
        for spec in (version.deadline,):
            if isinstance(spec.count, str) and spec.count not in facts:
                facts.append(spec.count)
        if not facts:
            return ["This rule reads no case facts, only events, so it is never *indeterminate*."]
        return [f"The rule reads these case facts: {join_words([self.refs.fact(f) for f in facts])}. A fact that "
                "is not recorded is unknown, never taken as *no*: when the answer depends on it, the obligation "
                "shows as *indeterminate* and names the missing facts."]

    def definitions(self, version: CompiledVersion) -> list[str]:
        """Every named definition the version uses, spelled out."""
        used: dict[str, Any] = {}
        definitions_used(version.applies, used)
        for waiver in version.waivers:
            definitions_used(waiver.when, used)
        for variant in version.variants:
            definitions_used(variant.when, used)
        lines: list[str] = []
        for name, pred in used.items():
            phrase = self.words.definition_phrase(name, pred)
            head = f"- {self.refs.definition(name)}: "
            lines.append(head + phrase.text + ("." if phrase.simple else ""))
            for part in phrase.parts:
                lines.extend(part.lines(1))
        return lines

    def sections(self, rule: CompiledRule, version: CompiledVersion) -> list[tuple[str, list[str]]]:
        """Every statement about a version, under headings a reader can scan."""
        out: list[tuple[str, list[str]]] = [
            ("Who it is owed to", self.who(rule, version)),
            ("What starts the clock", self.trigger(rule, version) + ([""] + self.delayed_start(version)
                                                                     if self.delayed_start(version) else [])),
            ("What meets it", self.satisfied(version)),
            ("The deadline", self.deadline(version.deadline, version.source.deadline)),
        ]
        optional = [
            ("Different deadlines for some cases", self.variants(version)),
            ("When the clock stops, restarts or is extended", self.clock(version)),
            ("When it is not owed", self.waivers(version)),
            ("It repeats", self.recurrence(version)),
        ]
        out.extend((heading, lines) for heading, lines in optional if lines)
        out.append(("When it shows as at risk", self.at_risk(version)))
        out.append(("When facts are missing", self.missing_facts(version)))
        definitions = self.definitions(version)
        if definitions:
            out.append(("Definitions used", definitions))
        return out

    def deadline_summary(self, version: CompiledVersion) -> str:
        """One short phrase for tables: ``5 working days (1 working day for some cases)``."""
        spec = version.deadline
        base = unit_text(spec.count, spec.unit) if isinstance(spec.count, int) else f"as agreed ({unit_plural(spec.unit)})"
        others = []
        for variant in version.variants:
            changed = spec.changed(variant.change)
            if isinstance(changed.count, int):
                others.append(unit_text(changed.count, changed.unit))
        if others:
            base += " (" + join_words(list(dict.fromkeys(others)), "or") + " in some cases)"
        if version.recurring:
            base = "every " + base.removeprefix("1 ")
        return base
