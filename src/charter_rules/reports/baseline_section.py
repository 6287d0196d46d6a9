"""The run-to-run comparison (``check --baseline``) as a section of every report format.

Kept apart from the renderers so each of them adds one call: breaches new since the baseline, persisting and
resolved, per rule and listed, with those that disappeared because their case is not in this run shown apart.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Iterator

from rich.console import Console

from ..explain import format_moment
from .terminal import say
from ..check.baseline import KIND_LABELS, KINDS, NEW_FAIL_ON, BaselineComparison
from .page import e
from .view import STATUS_LABELS, ReportView

LIST_LIMIT = 200  # per kind, in html; text and markdown list --max-breaches per kind; json and junit list all


def _comparison(view: ReportView) -> BaselineComparison | None:
    return view.options.baseline


def _moment(text: str) -> str:
    try:
        return format_moment(dt.datetime.fromisoformat(text))
    except (TypeError, ValueError):
        return text or "an unknown moment"


def _headline(c: BaselineComparison) -> str:
    b = c.baseline
    new = c.count("new")
    return (f"Since the baseline ({b.path}, as of {_moment(b.as_of)}): {new} new breach{'es' if new != 1 else ''} "
            f"({c.count('new', 'overdue')} overdue, {c.count('new', 'satisfied_late')} met late), "
            f"{c.count('persisting')} persisting, {c.count('resolved')} resolved, "
            f"{c.count('not_in_run')} whose case is not in this run")


def _status(breach: dict[str, Any]) -> str:
    now = STATUS_LABELS.get(breach["status"], breach["status"])
    was = breach.get("baseline_status")
    if was and was != breach["status"]:
        return f"{now} (was {STATUS_LABELS.get(was, was)})"
    return now


def _listed(c: BaselineComparison, limit: int) -> Iterator[tuple[str, list[dict[str, Any]], int]]:
    for kind in KINDS:
        entries = c.entries[kind]
        if entries:
            yield kind, entries[:limit], len(entries)


def baseline_json(view: ReportView) -> dict[str, Any] | None:
    c = _comparison(view)
    if c is None:
        return None
    return {
        "baseline": {"path": c.baseline.path, "as_of": c.baseline.as_of},
        "totals": {kind: c.count(kind) for kind in KINDS} | {
            "new_overdue": c.count("new", "overdue"), "new_satisfied_late": c.count("new", "satisfied_late")},
        "rules": [{"rule": rule, **counts} for rule, counts in c.per_rule(view.report.rules)],
        **{kind: c.entries[kind] for kind in KINDS},
    }


def print_baseline(view: ReportView, console: Console) -> None:
    c = _comparison(view)
    if c is None:
        return
    console.print()
    say(console, _headline(c) + ".", hang=2)
    for rule, counts in c.per_rule(view.report.rules):
        say(console, f"{view.rule_title(rule)}: " + ", ".join(f"{counts[k]} {KIND_LABELS[k]}" for k in KINDS if counts[k]),
            indent=2)
    for kind, entries, total in _listed(c, view.options.max_breaches):
        console.print(f"{KIND_LABELS[kind].capitalize()} breaches:")
        for b in entries:
            say(console, f"{b['case_id']} {view.rule_title(b['rule'])} #{b['instance']} {_status(b)} due "
                         f"{b.get('due_date') or '-'}", indent=2)
        if total > len(entries):
            console.print(f"  ... and {total - len(entries)} more (--format json lists every one)")


def baseline_markdown(view: ReportView, md: Callable[[object], str]) -> list[str]:
    """The section in Markdown; ``md`` escapes text for a Markdown table cell (the renderer's own)."""
    c = _comparison(view)
    if c is None:
        return []
    lines = ["", "### Compared with the baseline", "", md(_headline(c)) + ".", "",
             "| rule | " + " | ".join(KIND_LABELS[k] for k in KINDS) + " |", "|---|" + "---:|" * len(KINDS)]
    for rule, counts in c.per_rule(view.report.rules):
        lines.append(f"| {md(view.rule_title(rule))} | " + " | ".join(str(counts[k]) for k in KINDS) + " |")
    for kind, entries, total in _listed(c, view.options.max_breaches):
        lines += ["", f"**{KIND_LABELS[kind].capitalize()}** ({total})", ""]
        lines += [f"- {md(b['case_id'])} {md(view.rule_title(b['rule']))} #{b['instance']}: {md(_status(b))}, due "
                  f"{md(b.get('due_date') or '-')}" for b in entries]
        if total > len(entries):
            lines.append(f"- ... and {total - len(entries)} more")
    return lines


def baseline_html(view: ReportView) -> str:
    c = _comparison(view)
    if c is None:
        return ""
    head = "".join(f"<th>{e(KIND_LABELS[k])}</th>" for k in KINDS)
    rows = "".join(f"<tr><td>{e(view.rule_title(rule))}</td>" + "".join(f"<td class=n>{counts[k]}</td>" for k in KINDS) + "</tr>"
                   for rule, counts in c.per_rule(view.report.rules))
    parts = [f"<h2>Compared with the baseline</h2><p>{e(_headline(c))}.</p>",
             f"<table><tr><th>rule</th>{head}</tr>{rows}</table>"]
    for kind, entries, total in _listed(c, LIST_LIMIT):
        items = "".join(f"<tr><td>{e(b['case_id'])}</td><td>{e(view.rule_title(b['rule']))} #{e(b['instance'])}</td>"
                        f"<td>{e(_status(b))}</td><td>{e(b.get('due_date') or '-')}</td></tr>" for b in entries)
        parts.append(f"<h3>{e(KIND_LABELS[kind].capitalize())} ({total})</h3><table><tr><th>case</th><th>rule</th>"
                     f"<th>status</th><th>due</th></tr>{items}</table>")
        if total > len(entries):
            parts.append(f"<p class=muted>First {LIST_LIMIT} shown; the JSON report lists every one.</p>")
    return "".join(parts)


def baseline_junit(view: ReportView, quote: Any, timestamp: str) -> tuple[str, int, int, int]:
    """A test suite of the new breaches: (xml, tests, failures, skipped). Failing if chosen by --fail-on new-*."""
    c = _comparison(view)
    if c is None:
        return "", 0, 0, 0
    chosen = {o.removeprefix("new-") for o in view.options.fail_on if o in NEW_FAIL_ON}
    cases, failures = [], 0
    for b in c.entries["new"]:
        failing = "breach" in chosen or b["status"] in chosen
        failures += failing
        message = quote(f"new since the baseline: {STATUS_LABELS.get(b['status'], b['status'])}, due {b.get('due_date')}")
        body = f"<failure message={message} type=\"new-{b['status']}\"/>" if failing else \
            f"<skipped message={quote('new since the baseline (not chosen by --fail-on new-...)')}/>"
        classname = quote("charter_rules.baseline." + b["rule"])
        name = quote(f"{b['case_id']} #{b['instance']}")
        cases.append(f'    <testcase classname={classname} name={name} time="0">\n      {body}\n    </testcase>\n')
    tests = max(len(cases), 1)
    if not cases:
        cases.append('    <testcase classname="charter_rules.baseline" name="no new breaches" time="0"/>\n')
    xml = (f'  <testsuite name="new since the baseline" tests="{tests}" failures="{failures}" errors="0" '
           f'skipped="{len(c.entries["new"]) - failures}" time="0" timestamp="{timestamp}">\n' + "".join(cases)
           + "  </testsuite>\n")
    return xml, tests, failures, len(c.entries["new"]) - failures
