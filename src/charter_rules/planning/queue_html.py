"""The work queue as one self-contained HTML page: escaped, no scripts or external assets, legible on a phone."""

from __future__ import annotations

from ..calendars import format_date
from ..reports.page import e, page, table
from .queue import WorkQueue
from .queue_words import STATUS_WORDS, counts_text, heading, responsible_text, totals_text


def render_html(queue: WorkQueue) -> str:
    body = [f"<h1>{e(heading(queue))}</h1>",
            f'<p class="totals">{e(totals_text(queue.totals))}</p>',
            f'<p class="muted">{e(counts_text(queue))}.' + (" Personal data is redacted." if queue.redacted else "")
            + "</p>"]
    headers = ["status", "time", "case", "obligation"] + (["kind of duty"] if queue.has_duty else []) + \
        ["due by the end of", "responsible", "what would meet it"]
    for group in queue.groups():
        if queue.group_by is not None:
            body.append(f"<h2>{e(group.label)}</h2><p>{e(totals_text(group.totals))}</p>")
        rows = []
        for row in group.rows:
            who = responsible_text(row)
            cells = [(f'<span class="tag {e(row.status)}">{e(STATUS_WORDS[row.status])}</span>', ""),
                     (e(row.time_text), ""), (e(row.case_id), ""), (e(row.rule_title), "")]
            if queue.has_duty:
                cells.append((e(row.duty or ""), ""))
            cells += [(e(format_date(row.due_date)), ""), (e(who), ""), (e(row.action), "")]
            rows.append(cells)
        body.append(table(headers, rows) if rows else '<p class="muted">Nothing to do.</p>')
    if queue.rejected:
        body.append("<h2>Rejected records</h2><ul>" + "".join(
            f"<li>{e(r['where'])}: {e(r['error'])}</li>" for r in queue.rejected) + "</ul>")
    return page("Work queue", "".join(body))
