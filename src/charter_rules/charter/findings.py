"""Charter versus law: where the charter promises less than the law requires, or repeats an obsolete standard.

Two kinds of finding are *computed* from the rules. A charter rule names its legal counterparts in its file
(``law_counterparts``, with the facts of a sample case); for each, both rules are evaluated on sample cases received on
every day of a year, and

* ``later_than_law``: the charter's deadline is later than the law's on some of those days (high severity);
* ``obsolete_standard``: the charter's deadline equals that of an *expired* version of the law on every sample day of
  that version's last year, while it differs from the law in force (medium severity).

The third kind, ``wording``, is data: findings about a sentence's words kept next to the sentence in
rules/charter.yaml (for example "Victim Support" against "services that support victims").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..calendars import format_date
from ..caseview import LONDON
from .text import CHARTER_FILE, Charter
from ..compiled import CompiledRule, CompiledRulebook, CompiledVersion
from ..errors import Problem, RuleValidationError, SnapshotError
from ..evaluator import evaluate
from ..model import LawCounterpart, Reference
from ..snapshot import parse_snapshot

SAMPLE_DAYS = 365
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


class Finding(BaseModel):
    """One place where the charter and the law differ, with both sources and what to do."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    severity: Literal["high", "medium", "low"]
    kind: Literal["later_than_law", "obsolete_standard", "wording"]
    charter_rule: str | None
    law_rule: str | None
    charter_says: str
    law_says: str
    charter_source: str
    law_source: Reference | None
    advice: str
    evidence: str | None = None


def lint_rulebook(book: CompiledRulebook, charter: Charter | None = None) -> list[Finding]:
    """Every finding, most severe first. Uses the rule book's charter map when ``charter`` is not given.

    Raises RuleValidationError when a law counterpart or a wording finding is set up wrongly (file and line named).
    """
    charter = charter if charter is not None else book.rulebook.charter
    problems: list[Problem] = []
    findings: dict[str, Finding] = {}
    for rule in book.rules:
        seen: dict[str, int] = {}
        for index, counterpart in enumerate(rule.source.law_counterparts):
            seen[counterpart.rule] = seen.get(counterpart.rule, 0) + 1
            suffix = "" if seen[counterpart.rule] == 1 else f"-{seen[counterpart.rule]}"
            for finding in _compare(book, charter, rule, index, counterpart, suffix, problems):
                findings.setdefault(finding.id, finding)
    if charter is not None:
        for finding in _wording(book, charter, problems):
            findings.setdefault(finding.id, finding)
    if problems:
        raise RuleValidationError(problems)
    return sorted(findings.values(), key=lambda f: (SEVERITY_ORDER[f.severity], f.id))


# --- computed findings ------------------------------------------------------------------------------------------


def _current(rule: CompiledRule) -> CompiledVersion:
    return next((v for v in rule.versions if v.valid_to is None), rule.versions[-1])


def _pair_book(book: CompiledRulebook, *rules: CompiledRule) -> CompiledRulebook:
    return replace(book, rules=tuple(rules), by_id=MappingProxyType({r.id: r for r in rules}))


def _due_dates(book: CompiledRulebook, charter_rule: CompiledRule, law_rule: CompiledRule, kind: str,
               facts: dict[str, object], day: dt.date) -> tuple[dt.date | None, dt.date | None, str]:
    """Due dates of the first obligation of each rule for a case received at noon on ``day``, and any reason why not."""
    moment = dt.datetime.combine(day, dt.time(12), tzinfo=LONDON)
    data = {"case_id": f"lint-{day.isoformat()}", "kind": kind, "received_at": moment.isoformat(), "facts": facts}
    snapshot = parse_snapshot(data, book.snapshot_model, source="law_counterparts sample")
    evaluation = evaluate(_pair_book(book, charter_rule, law_rule), snapshot, as_of=moment)
    dues: list[dt.date | None] = []
    why = ""
    for rule in (charter_rule, law_rule):
        first = evaluation.by_rule(rule.id)[0]
        dues.append(first.due_date)
        if first.due_date is None:
            reasons = "; ".join(r.text for r in first.reasons) or first.status.value
            why = f"rule {rule.id} is {first.status.value} for a case received {format_date(day)} ({reasons})"
    return dues[0], dues[1], why


def _section_source(charter: Charter | None, section_id: str) -> str:
    section = charter.section(section_id) if charter is not None else None
    heading = section.heading if section is not None else section_id
    title = charter.title if charter is not None else "Quality of service"
    publisher = charter.publisher if charter is not None else "the force"
    return f'{publisher}, "{title}", section "{heading}"'


@dataclass(frozen=True)
class _Pair:
    """A charter rule and its law counterpart, compared on sample cases."""

    book: CompiledRulebook
    rule: CompiledRule
    law: CompiledRule
    counterpart: LawCounterpart
    kind: str  # the case kind of the sample cases
    suffix: str  # makes the finding id unique when a rule names the same law rule twice
    charter_says: str
    charter_source: str
    law_source: Reference | None

    def due_dates(self, day: dt.date) -> tuple[dt.date | None, dt.date | None, str]:
        return _due_dates(self.book, self.rule, self.law, self.kind, self.counterpart.facts, day)

    def finding(self, **fields: object) -> Finding:
        return Finding(charter_rule=self.rule.id, law_rule=self.law.id, charter_says=self.charter_says,  # type: ignore[arg-type]
                       charter_source=self.charter_source, law_source=self.law_source,
                       advice=self.counterpart.advice.strip(), **fields)


def _compare(book: CompiledRulebook, charter: Charter | None, rule: CompiledRule, index: int,
             counterpart: LawCounterpart, suffix: str, problems: list[Problem]) -> list[Finding]:
    """The findings for one law counterpart of a charter rule: a later deadline, or an expired standard kept."""
    source = book.rulebook.sources[f"rule:{rule.id}"]
    loc = ("law_counterparts", index)
    law = book.by_id.get(counterpart.rule)
    kinds = sorted(rule.kinds & law.kinds) if law is not None else []
    if law is None or not kinds:
        problems.append(source.problem(f"law counterpart {counterpart.rule!r} shares no case kind with this rule",
                                       loc + ("rule",)))
        return []
    quote = rule.source.charter[0] if rule.source.charter else None
    pair = _Pair(book, rule, law, counterpart, kinds[0], suffix,
                 charter_says=quote.quote if quote else rule.source.title,
                 charter_source=_section_source(charter, quote.section) if quote else "the charter",
                 law_source=law.source.references[0] if law.source.references else None)
    start = max(_current(rule).valid_from, _current(law).valid_from)
    days = [start + dt.timedelta(days=i) for i in range(SAMPLE_DAYS)]
    try:
        pairs = [(day, *pair.due_dates(day)) for day in days]
    except SnapshotError as exc:
        problems.append(source.problem(f"the sample facts are not valid case data: {exc}", loc + ("facts",)))
        return []
    broken = next((why for _, c, l, why in pairs if why), None)
    if broken:
        problems.append(source.problem(f"the sample case does not make both rules give a deadline: {broken}",
                                       loc + ("facts",), hint="give facts under which both rules apply"))
        return []
    out = _later_than_law(pair, days, [(day, c, l) for day, c, l, _ in pairs])  # type: ignore[misc]
    if any(c != l for _, c, l, _ in pairs):
        out += _obsolete_standards(pair)
    return out


def _later_than_law(pair: _Pair, days: list[dt.date],
                    dues: list[tuple[dt.date, dt.date, dt.date]]) -> list[Finding]:
    """The charter's deadline is later than the law's for some of the sample days (high severity)."""
    later = [(day, c, l) for day, c, l in dues if c > l]
    if not later:
        return []
    gaps = sorted((c - l).days for _, c, l in later)
    day, c, l = max(later, key=lambda row: ((row[1] - row[2]).days, -row[0].toordinal()))
    situation = pair.counterpart.situation
    evidence = (
        f"Sample cases received on each of the {len(days)} days from {format_date(days[0])} to "
        f"{format_date(days[-1])}: the charter's deadline is later than the law's on {len(later)} of them, by "
        f"{_days(gaps[0])}" + ("" if gaps[0] == gaps[-1] else f" to {_days(gaps[-1])}") + ". "
        f"For example, for a case received on {format_date(day)} ({situation}), the law's deadline "
        f"is {format_date(l)} and the charter's is {format_date(c)}."
    )
    return [pair.finding(
        id=f"{pair.rule.id}-later-than-{pair.law.id}{pair.suffix}", severity="high", kind="later_than_law",
        title=f"For {situation}, the charter's deadline is later than the law's",
        law_says=pair.law.source.summary.strip(), evidence=evidence,
    )]


def _obsolete_standards(pair: _Pair) -> list[Finding]:
    """The charter's deadline equals that of an expired version of the law on every sample day of that version's
    last year, while it differs from the law in force (medium severity)."""
    law, rule = pair.law, pair.rule
    out: list[Finding] = []
    for position, version in enumerate(law.versions):
        if version.valid_to is None:
            continue
        successor = law.versions[position + 1] if position + 1 < len(law.versions) else _current(law)
        first = max(version.valid_from, version.valid_to - dt.timedelta(days=SAMPLE_DAYS - 1))
        window = [first + dt.timedelta(days=i) for i in range((version.valid_to - first).days + 1)]
        window = [d for d in window if rule.version_on(d) is not None]
        if not window:
            continue
        try:
            old = [pair.due_dates(day) for day in window]
        except SnapshotError:
            continue
        if any(why or c != l for c, l, why in old):
            continue
        ended = format_date(version.valid_to)
        what = (version.source.change_note or law.source.title).split(" - ")[0].strip().rstrip(".")
        out.append(pair.finding(
            id=f"{rule.id}-repeats-expired-{law.id}-{version.valid_from.isoformat()}", severity="medium",
            kind="obsolete_standard",
            title=f"The charter still uses an expired standard ({what}), which ended on {ended}",
            law_says=(f"Until {ended}: {version.source.change_note or law.source.title} "
                      f"From {format_date(successor.valid_from)}: {successor.source.change_note or law.source.summary} "
                      f"The law in force now: {law.source.summary.strip()}").strip(),
            evidence=(f"For {pair.counterpart.situation} received on each of the {len(window)} days from "
                      f"{format_date(window[0])} to {ended}, the charter's deadline and the expired rule's were the "
                      f"same date."),
        ))
    return out


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


# --- wording findings (data in rules/charter.yaml) --------------------------------------------------------------


def _wording(book: CompiledRulebook, charter: Charter, problems: list[Problem]) -> list[Finding]:
    path = str(book.rulebook.root / CHARTER_FILE)
    out = []
    for section, sentence in charter.sentences():
        for finding in sentence.findings:
            charter_rule = finding.charter_rule or (sentence.rules[0] if sentence.rules else None)
            for role, rule_id in (("charter_rule", charter_rule), ("law_rule", finding.law_rule)):
                if rule_id is not None and rule_id not in book.by_id:
                    problems.append(Problem(f"finding {finding.id} names {role} {rule_id!r}, which is not a rule",
                                            path=path, field=f"{sentence.id}.findings.{finding.id}.{role}"))
            out.append(Finding(
                id=finding.id, title=finding.title, severity=finding.severity, kind="wording",
                charter_rule=charter_rule, law_rule=finding.law_rule,
                charter_says=finding.charter_says or sentence.text, law_says=finding.law_says.strip(),
                charter_source=_section_source(charter, section.id), law_source=finding.law_source,
                advice=finding.advice.strip(),
            ))
    return out


# --- text for people --------------------------------------------------------------------------------------------


KIND_WORDS = {
    "later_than_law": "the charter promises less than the law requires",
    "obsolete_standard": "the charter uses an obsolete standard",
    "wording": "the charter's wording falls short of the law",
}


def findings_text(findings: list[Finding]) -> str:
    """The findings as plain text for a policy officer."""
    if not findings:
        return "No differences between the charter and the law were found.\n"
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITY_ORDER}
    lines = [f"{len(findings)} findings where the charter and the law differ ("
             + ", ".join(f"{n} {s}" for s, n in counts.items() if n) + ")", ""]
    for number, finding in enumerate(findings, 1):
        law_source = finding.law_source
        lines += [
            f"{number}. [{finding.severity.upper()}] {finding.title}",
            f"   id: {finding.id} ({KIND_WORDS[finding.kind]})",
            f"   The charter says: {finding.charter_says}",
            f"     source: {finding.charter_source}" + (f"; rule {finding.charter_rule}" if finding.charter_rule else ""),
            f"   The law says: {finding.law_says}",
        ]
        if law_source is not None:
            lines.append(f"     source: {law_source.title}" + (f" <{law_source.href}>" if law_source.href else "")
                         + (f"; rule {finding.law_rule}" if finding.law_rule else ""))
        if finding.evidence:
            lines.append(f"   Worked out: {finding.evidence}")
        lines += [f"   What to do: {finding.advice}", ""]
    return "\n".join(lines)
