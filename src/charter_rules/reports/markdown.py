"""The report as Markdown, for a pull-request or merge-request comment."""

from __future__ import annotations

import re
from typing import BinaryIO

from ..check.report import STATUSES
from .baseline_section import baseline_markdown
from ..textsafe import one_line
from .view import STATUS_LABELS, ReportView, duty_label, rate_text, rejection_group_text, rejection_text

_SPECIAL = re.compile(r"([\\`*_\[\]()|~])")  # inline markup; a table cell has no block markup to escape


def md(value: object) -> str:
    """Text safe inside a Markdown table cell: markup characters escaped, HTML made inert, one line."""
    text = one_line(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", " ").replace("\n", " ")
    return _SPECIAL.sub(r"\\\1", text)


def _rule(view: ReportView, rule_id: str) -> str:
    """The rule's title, linked to its documentation page when the site's address is known (``--docs-url``)."""
    title = md(view.rule_title(rule_id))
    address = view.rule_address(rule_id)
    return f"[{title}](<{address.replace('>', '%3E').replace(' ', '%20')}>)" if address else title


def render_markdown(view: ReportView, out: BinaryIO) -> None:
    out.write("\n".join(markdown_lines(view)).encode() + b"\n")


def markdown_lines(view: ReportView) -> list[str]:
    report, options = view.report, view.options
    icon = ":x:" if view.failed else ":white_check_mark:"
    lines = [f"## {icon} charter-rules check: {'failed' if view.failed else 'passed'}", ""]
    lines.append(f"As of {md(view.as_of_text)}: **{report.records_read}** records read, **{report.evaluated}** "
                 f"evaluated, **{report.rejected}** rejected, **{len(report.breaches)}** breaches.")
    lines += ["", "| kind of duty | breaches | overdue | satisfied late | owed |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {md(duty.label)} | {overdue + late} | {overdue} | {late} | {owed} |"
              for duty, overdue, late, owed in view.duty_rows()]
    lines += ["", md(view.settings_text()), ""]
    for reason in view.failures:
        lines.append(f"- fails on {md(reason)}")
    lines += ["", "| rule | " + " | ".join(STATUS_LABELS[s] for s in STATUSES) + " | compliance |",
              "|---|" + "---:|" * (len(STATUSES) + 1)]
    for t in view.tallies:
        lines.append(f"| {_rule(view, t.rule_id)} | " + " | ".join(str(t.counts[s]) for s in STATUSES)
                     + f" | {rate_text(t.compliance_rate)} |")
    if view.figures:
        quarters = sorted({q.quarter for f in view.figures for q in f.quarters})
        lines += ["", "### Victims' Code compliance figures", "",
                  "| figure | " + " | ".join(quarters) + " |", "|---|" + "---:|" * len(quarters)]
        for f in view.figures:
            if f.availability == "unavailable":
                note = f"{md(f.title)} (not available: rule {md(', '.join(f.missing_rules))} not in the rule book)"
                lines.append(f"| {note} | " + " | ".join(["n/a"] * len(quarters)) + " |")
                continue
            by_quarter = {q.quarter: q for q in f.quarters}
            title = md(f.title) + (f" (partial: {md(', '.join(f.missing_rules))} missing)" if f.missing_rules else "")
            cells = []
            for quarter in quarters:
                q = by_quarter.get(quarter)
                cells.append(f"{rate_text(q.rate)} of {q.decided}" if q is not None and q.decided else "-")
            lines.append(f"| {title} | " + " | ".join(cells) + " |")
    missing = view.missing_fact_lines()
    if missing:
        lines += ["", "### Most common missing facts", ""]
        lines += [f"- {md(view.missing_sentence(n, title, fact))}" for n, _, title, fact in missing[:10]]
    if report.breaches:
        lines += ["", f"### Breaches (first {min(options.max_breaches, len(report.breaches))} of "
                      f"{len(report.breaches)})", "",
                  "| case | rule | # | status | kind of duty | due | where |", "|---|---|---:|---|---|---|---|"]
        for i, b in enumerate(view.breaches()):
            if i >= options.max_breaches:
                break
            lines.append(f"| {md(b['case_id'])} | {_rule(view, b['rule'])} | {b['instance']} | "
                         f"{md(b['status'].replace('_', ' '))} | {md(duty_label(b.get('duty')))} | "
                         f"{md(b['due_date'] or '-')} | {md(b['where'])} |")
    if report.rejected:
        lines += ["", f"### Rejected records ({report.rejected})", "", "By cause:", ""]
        lines += [f"- {md(rejection_group_text(g))}" for g in view.rejection_groups()[:options.max_rejected]]
        lines += ["", "Each record:", ""]
        for i, entry in enumerate(view.rejections()):
            if i >= options.max_rejected:
                lines.append(f"- ... and {report.rejected - i} more")
                break
            lines.append(f"- {md(rejection_text(entry))}")
    lines += baseline_markdown(view, md)
    return lines
