"""A rule's worked examples, evaluated at build time: the case, a timeline picture, and the outcome in words.

The outcome is the evaluator's own explanation (``explain.obligation_text``), with the rule book's internal names
(``'suspect_arrested'``, ``parameter vcop_notify_working_days``) replaced by their titles so a reader sees words, not
identifiers. Each example is also checked against what its rule file expects, and the page says whether it matched.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from ..caseview import CaseView
from ..compiled import CompiledRule, CompiledRulebook
from ..errors import CharterRulesError
from ..evaluator import evaluate
from ..worked_examples import ExampleResult, check_example
from ..explain import obligation_text
from ..model import Example
from ..calendars import format_date
from ..obligation import STATUS_MEANINGS, Obligation, Status
from ..snapshot import parse_snapshot
from ._text import attr, humanize, md, moment_text, sentence, xml
from .refs import Refs
from .timeline_svg import STATUS_LABELS, timeline_svg

_QUOTED = re.compile(r"'([a-z][a-z0-9_]*)'")
_PARAM = re.compile(r"\((?:\d+ )?\(parameter ([a-z][a-z0-9_]*)\)\)|\(parameter ([a-z][a-z0-9_]*)\)")
_WORD = re.compile(r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b")


@dataclass
class WorkedExample:
    """One example, evaluated."""

    index: int
    example: Example
    case: CaseView | None
    obligations: list[Obligation]
    check: ExampleResult
    error: str | None = None


def run_example(book: CompiledRulebook, rule: CompiledRule, index: int, example: Example) -> WorkedExample:
    """Evaluate an example as the evaluator would, and check it against the rule file's expectations."""
    check = check_example(book, rule.id, index, example)
    try:
        snapshot = parse_snapshot(example.case, book.snapshot_model, source=f"{rule.id} example {index + 1}")
        evaluation = evaluate(book, snapshot, as_of=example.as_of)
    except CharterRulesError as exc:
        return WorkedExample(index, example, None, [], check, error=str(exc))
    wanted = [rule.id] + [e.rule for e in example.expect if e.rule and e.rule != rule.id]
    obligations = [o for rule_id in dict.fromkeys(wanted) for o in evaluation.by_rule(rule_id)]
    return WorkedExample(index, example, CaseView(snapshot, example.as_of), obligations, check)


def readable(text: str, refs: Refs) -> str:
    """The evaluator's words with internal names replaced by titles (still plain text, not yet escaped)."""
    vocabulary = refs.vocabulary
    params = refs.book.rulebook.parameters.parameters

    def param(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return f"(set in “{params[name].title}”)" if name in params else match.group(0)

    def quoted(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in vocabulary.events:
            return f"“{vocabulary.events[name].title}”"
        return f"“{humanize(name)}”"

    def word(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in vocabulary.case_kinds:
            return vocabulary.case_kinds[name].title.lower()
        if name in vocabulary.events:
            return f"“{vocabulary.events[name].title}”"
        return humanize(name)

    text = _PARAM.sub(param, text)
    text = _QUOTED.sub(quoted, text)
    return _WORD.sub(word, text)


def status_badge(obligation: Obligation) -> str:
    status = obligation.status
    return (f'<span class="cr-badge cr-{status.value.replace("_", "-")}" title="{attr(STATUS_MEANINGS[status])}">'
            f"{STATUS_LABELS[status]}</span>")


def outcome_lines(obligation: Obligation, refs: Refs) -> list[str]:
    """The evaluator's explanation of one obligation, as Markdown bullets under a status badge."""
    lines = obligation_text(obligation).splitlines()[1:]  # the first line repeats the rule id and title
    out: list[str] = []
    for line in lines:
        if line.startswith("  - "):
            out.append("    - " + md(readable(line[4:], refs)))
        elif line.endswith(":") and line == "Not counted:":
            out.append("- Not counted:")
        else:
            out.append("- " + md(readable(line, refs)))
    return out


def summary(obligation: Obligation, refs: Refs, titles: dict[str, str]) -> str:
    """The outcome of one obligation in one sentence (escaped Markdown)."""
    status = obligation.status
    due = f"the end of {format_date(obligation.due_date)}" if obligation.due_date else None
    if obligation.deadline is not None and obligation.deadline.unit == "hours" and obligation.due_at is not None:
        due = moment_text(obligation.due_at)
    reason = readable(obligation.reasons[0].text, refs) if obligation.reasons else ""
    if status in (Status.SATISFIED, Status.SATISFIED_LATE) and obligation.satisfied_at is not None:
        what = obligation.satisfied_by_title or titles.get(obligation.satisfied_by or "", "a recorded event")
        late = "late" if status is Status.SATISFIED_LATE else "on time"
        text = f"Met {late} by “{what}” at {moment_text(obligation.satisfied_at)}"  # the event's id stays in JSON
        return md(text + (f"; it was due by {due}." if due else "."))
    if status is Status.OVERDUE:
        return md(f"Overdue: it was due by {due}, and nothing recorded by then meets it.")
    if status in (Status.DUE, Status.AT_RISK):
        text = f"Owed: due by {due}"
        if status is Status.AT_RISK and obligation.deadline and obligation.deadline.at_risk_from:
            text += f", at risk since {moment_text(obligation.deadline.at_risk_from)}"
        return md(text + ".")
    words = {Status.WAIVED: "Not owed", Status.PAUSED: "Paused", Status.NOT_APPLICABLE: "Not applicable",
             Status.INDETERMINATE: "Cannot be decided"}
    return md(f"{words.get(status, STATUS_LABELS[status])}: {reason}." if reason else f"{words.get(status)}.")


def _fence(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def case_lines(worked: WorkedExample, refs: Refs) -> list[str]:
    """The example's case data, as a reader would want it, and as JSON for a developer."""
    example = worked.example
    data = example.case
    lines = [f'??? info "The case data (as of {attr(moment_text(example.as_of))})"', ""]
    body: list[str] = []
    kind = str(data.get("kind", ""))
    body.append(f"- **Kind of case:** {refs.kind(kind) if kind in refs.vocabulary.case_kinds else md(kind)}")
    received = data.get("received_at")
    if isinstance(received, (str, dt.datetime)):
        moment = received if isinstance(received, dt.datetime) else dt.datetime.fromisoformat(str(received))
        body.append(f"- **Received:** {md(moment_text(moment))}")
    facts = data.get("facts") or {}
    if isinstance(facts, dict) and facts:
        body.append("- **Facts:** " + "; ".join(
            f"{refs.fact(name)}: {md(_value(value))}" for name, value in facts.items()))
    events = data.get("events") or []
    if isinstance(events, list) and events:
        body.append("- **Events:**")
        for event in events:
            if not isinstance(event, dict):
                continue
            event_type = str(event.get("type", ""))
            label = refs.event(event_type) if event_type in refs.vocabulary.events else md(event_type)
            when = event.get("at")
            when_text = moment_text(when if isinstance(when, dt.datetime) else dt.datetime.fromisoformat(str(when))) \
                if when else ""
            details = ", ".join(f"{md(humanize(k))}: {md(_value(v))}" for k, v in event.items()
                                if k not in ("id", "type", "at"))
            ident = f" ({md(event['id'])})" if event.get("id") else ""
            body.append(f"    - {md(when_text)}: {label}{ident}" + (f", {details}" if details else ""))
    payload = json.dumps(data, indent=2, default=str, ensure_ascii=False)
    fence = _fence(payload)
    body += ["", "The same case as case data (JSON), for developers:", "", f"{fence}json", *payload.splitlines(), fence]
    lines.extend("    " + line if line else "" for line in body)
    return lines


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return humanize(value) if re.fullmatch(r"[a-z][a-z0-9_]*", value) else value
    return str(value)


def example_lines(worked: WorkedExample, rule: CompiledRule, refs: Refs) -> list[str]:
    """The Markdown for one worked example."""
    example = worked.example
    number = worked.index + 1
    lines = [f"### Example {number}: {md(example.name)}", ""]
    if worked.error is not None or worked.case is None:
        lines += ['!!! failure "This example could not be evaluated"', "", f"    {md(worked.error)}", ""]
        return lines
    svg = timeline_svg(refs.book, worked.case, worked.obligations, title=f"Example {number}: {example.name}",
                       svg_id=f"timeline-{rule.id}-{number}", wording=lambda text: readable(text, refs))
    # the picture's text alternative repeats, day by day, what the lines below say: left out of the site's search
    # index, where it made up most of the index (every reader's browser builds the index from it)
    lines += [f'<div class="cr-timeline-wrap" markdown="0" data-search-exclude>{svg}</div>', ""]
    lines += [f"**What the evaluator says, as of {md(moment_text(example.as_of))}:**", ""]
    titles = {o.ref: refs.event_label(o.type) for o in worked.case.events}
    for obligation in worked.obligations:
        who = f"Obligation {obligation.instance}: " if len(worked.obligations) > 1 else ""
        if obligation.rule_id != rule.id:
            who = f"{refs.rule(obligation.rule_id)}, obligation {obligation.instance}: "
        lines += [f"{status_badge(obligation)} {who}{summary(obligation, refs, titles)}", ""]
        lines += ['??? abstract "The full explanation, step by step"', ""]
        lines += ["    " + line for line in outcome_lines(obligation, refs)] + [""]
    check = worked.check
    if check.passed:
        lines.append(f'<p class="cr-check cr-pass">✔ Matches what the rule file expects ({check.checks} '
                     f'{"check" if check.checks == 1 else "checks"}, run by <code>charter-rules test</code>).</p>')
    else:
        failures = "; ".join(check.failures) or "nothing was checked"
        lines.append(f'<p class="cr-check cr-fail">✘ Does not match what the rule file expects: {xml(failures)}</p>')
    lines.append("")
    if example.note:
        lines += [f"**Worked out by hand:** {md(sentence(example.note))}", ""]
    lines += case_lines(worked, refs)
    lines.append("")
    return lines
