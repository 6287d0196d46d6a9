"""A rule-book comparison as text, Markdown (for a policy paper) and JSON; HTML is in comparison_html.py."""

from __future__ import annotations

from typing import Any

import orjson

from ..explain import format_moment
from .markdown import md
from .view import STATUS_LABELS, rate_text
from ..check.rulebook_compare import ABSENT, RuleChange, RulebookComparison

COMPARE_FORMAT = "charter-rules.compare/1"


def status_label(status: str) -> str:
    return "not in the rule book" if status == ABSENT else STATUS_LABELS.get(status, status)


def direction_lines(change: RuleChange) -> list[str]:
    """Each kind of change in words: '2 go from satisfied on time to satisfied late', '3 due earlier (by 4 days)'."""
    lines = [f"{n} {'goes' if n == 1 else 'go'} from {status_label(a)} to {status_label(b)}"
             for (a, b), n in sorted(change.transitions.items(), key=lambda kv: (-kv[1], kv[0]))]
    moved = change.due_earlier + change.due_later
    if change.due_earlier:
        lines.append(f"{change.due_earlier} due earlier")
    if change.due_later:
        lines.append(f"{change.due_later} due later")
    if moved:
        lines.append(f"due dates move by {change.days_moved / moved:.1f} calendar days on average")
    return lines


def headline(result: RulebookComparison) -> str:
    cases = len(result.changed_cases)
    return (f"{result.evaluated} cases evaluated as of {format_moment(result.as_of)} under {result.before} and "
            f"{result.after}: {cases} case{'s' if cases != 1 else ''} change, in "
            f"{len(result.changed_rules)} rule{'s' if len(result.changed_rules) != 1 else ''}; compliance "
            f"{rate_text(result.overall_rate(0))} before, {rate_text(result.overall_rate(1))} after")


def render_text(result: RulebookComparison) -> str:
    lines = [headline(result), ""]
    for change in result.changed_rules:
        lines.append(f"{change.title} ({change.rule_id}): {change.changed} obligations change in "
                     f"{len(change.cases)} cases; compliance {rate_text(change.rate(0))} -> {rate_text(change.rate(1))}")
        lines += [f"  - {line}" for line in direction_lines(change)]
        for example in change.examples:
            lines.append(f"  Case {example.case_id}, occurrence {example.instance}:")
            lines += ["    before: " + line for line in (example.before or "(not in the rule book)").splitlines()]
            lines += ["    after:  " + line for line in (example.after or "(not in the rule book)").splitlines()]
        lines.append("")
    if not result.changed_rules:
        lines.append("No obligation changes status or due date.")
    lines += [f"rejected: {r['where']}: {r['error']}" for r in result.rejected]
    return "\n".join(lines).rstrip() + "\n"


def render_markdown(result: RulebookComparison) -> str:
    lines = [f"## Impact of {md(result.after)} compared with {md(result.before)}", "", md(headline(result)) + ".", "",
             "| rule | obligations changed | cases | compliance before | compliance after | direction |",
             "|---|---:|---:|---:|---:|---|"]
    for change in result.changed_rules:
        lines.append(f"| {md(change.title)} | {change.changed} | {len(change.cases)} | {rate_text(change.rate(0))} | "
                     f"{rate_text(change.rate(1))} | {md('; '.join(direction_lines(change)))} |")
    for change in result.changed_rules:
        if not change.examples:
            continue
        lines += ["", f"### {md(change.title)}", ""]
        for example in change.examples:
            lines += [f"**Case {md(example.case_id)}, occurrence {example.instance}**", "",
                      f"Under {md(result.before)}:", "", "```text", example.before or "(not in the rule book)", "```",
                      "", f"Under {md(result.after)}:", "", "```text", example.after or "(not in the rule book)",
                      "```", ""]
    if result.rejected:
        lines += ["", "### Rejected records", ""] + [f"- {md(r['where'])}: {md(r['error'])}" for r in result.rejected]
    return "\n".join(lines).replace("```text\n", "```text\n").rstrip() + "\n"


def render_json(result: RulebookComparison) -> bytes:
    data: dict[str, Any] = {
        "format": COMPARE_FORMAT, "before": result.before, "after": result.after, "as_of": result.as_of.isoformat(),
        "records_read": result.records_read, "evaluated": result.evaluated, "redacted": result.redacted,
        "changed_cases": result.changed_cases,
        "compliance_rate": {"before": result.overall_rate(0), "after": result.overall_rate(1)},
        "rules": [{
            "rule": c.rule_id, "title": c.title, "changed": c.changed, "cases": c.cases,
            "compliance_rate": {"before": c.rate(0), "after": c.rate(1)},
            "transitions": [{"from": a, "to": b, "obligations": n} for (a, b), n in sorted(c.transitions.items())],
            "due_earlier": c.due_earlier, "due_later": c.due_later, "days_moved": c.days_moved,
            "examples": [{"case_id": x.case_id, "instance": x.instance, "before": x.before, "after": x.after}
                         for x in c.examples],
        } for c in result.rules.values()],
        "rejected": result.rejected,
    }
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"
