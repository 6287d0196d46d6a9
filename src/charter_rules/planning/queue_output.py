"""The work queue as text, CSV, JSON and Markdown (HTML and iCalendar have their own modules)."""

from __future__ import annotations

import csv
import io
from typing import Any, BinaryIO

import orjson

from ..calendars import format_date
from ..reports.markdown import md
from .queue import QueueRow, WorkQueue
from .queue_html import render_html
from .queue_ics import render_ics
from .queue_words import STATUS_WORDS, counts_text, heading, responsible_text, totals_text

QUEUE_FORMAT = "charter-rules.queue/1"
CSV_COLUMNS = ("case_id", "case_kind", "rule", "rule_title", "instance", "duty", "status", "due_date",
               "working_days_left", "days_overdue", "officer", "team", "action", "where")


def row_dict(row: QueueRow) -> dict[str, Any]:
    return {"case_id": row.case_id, "case_kind": row.case_kind, "rule": row.rule_id, "rule_title": row.rule_title,
            "instance": row.instance, "duty": row.duty, "status": row.status, "due_date": row.due_date.isoformat(),
            "due_at": row.due_at.isoformat(), "working_days_left": row.working_days_left,
            "days_overdue": row.days_overdue, "officer": row.officer, "team": row.team, "action": row.action,
            "where": row.where}


def render_text(queue: WorkQueue) -> str:
    lines = [heading(queue), totals_text(queue.totals) + f" ({counts_text(queue)})", ""]
    for group in queue.groups():
        if queue.group_by is not None:
            lines.append(f"== {queue.group_by.replace('-', ' ')}: {group.label} -- {totals_text(group.totals)}")
        for row in group.rows:
            who = responsible_text(row)
            duty = f" [{row.duty}]" if row.duty else ""
            lines.append(f"{STATUS_WORDS[row.status]:>9}  {row.time_text:<20} {row.case_id}  {row.rule_title}{duty}")
            lines.append(f"{'':31}due by the end of {format_date(row.due_date)}; responsible: {who}")
            lines.append(f"{'':31}{row.action}")
        lines.append("")
    for rejected in queue.rejected:
        lines.append(f"rejected: {rejected['where']}: {rejected['error']}")
    return "\n".join(lines).rstrip() + "\n"


def render_csv(queue: WorkQueue) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in queue.rows:
        data = row_dict(row)
        writer.writerow(["" if data[c] is None else _cell(data[c]) for c in CSV_COLUMNS])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    """A spreadsheet never runs a cell as a formula: text starting with = + - @ is quoted with an apostrophe."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render_json(queue: WorkQueue) -> bytes:
    data = {
        "format": QUEUE_FORMAT, "as_of": queue.as_of.isoformat(), "within_working_days": queue.within,
        "redacted": queue.redacted, "group_by": queue.group_by, "records_read": queue.records_read,
        "evaluated": queue.evaluated, "totals": queue.totals,
        "groups": [{"label": g.label, "totals": g.totals, "rows": [row_dict(r) for r in g.rows]}
                   for g in queue.groups()],
        "rejected": queue.rejected,
    }
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


def render_markdown(queue: WorkQueue) -> str:
    lines = [f"## {md(heading(queue))}", "", f"**{md(totals_text(queue.totals))}**", ""]
    duty = queue.has_duty
    for group in queue.groups():
        if queue.group_by is not None:
            lines += [f"### {md(group.label)}", "", md(totals_text(group.totals)), ""]
        lines.append("| status | time | case | obligation | " + ("duty | " if duty else "") +
                     "due | responsible | what would meet it |")
        lines.append("|---|---|---|---|" + ("---|" if duty else "") + "---|---|---|")
        for row in group.rows:
            who = responsible_text(row)
            lines.append(f"| {STATUS_WORDS[row.status]} | {md(row.time_text)} | {md(row.case_id)} | "
                         f"{md(row.rule_title)} | " + (f"{md(row.duty or '')} | " if duty else "") +
                         f"{md(format_date(row.due_date))} | {md(who)} | {md(row.action)} |")
        lines.append("")
    if queue.rejected:
        lines += ["### Rejected records", ""]
        lines += [f"- {md(r['where'])}: {md(r['error'])}" for r in queue.rejected]
    return "\n".join(lines).rstrip() + "\n"


def write(queue: WorkQueue, fmt: str, out: BinaryIO) -> None:
    """Write the queue to ``out`` in ``fmt``: text, csv, json, markdown, html or ics."""
    if fmt == "json":
        out.write(render_json(queue))
    elif fmt == "html":
        out.write(render_html(queue).encode())
    elif fmt == "ics":
        out.write(render_ics(queue))
    else:
        renderer = {"text": render_text, "csv": render_csv, "markdown": render_markdown}.get(fmt)
        if renderer is None:
            raise ValueError(f"unknown queue format {fmt!r}")
        out.write(renderer(queue).encode())
