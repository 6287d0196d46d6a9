"""A self-contained HTML report: no external assets, no scripts, every value escaped, charts as inline SVG.

It shows the verdict, the summary table, a chart of compliance per rule, a chart per rule of compliance per month,
the Victims' Code figures per quarter, the most common missing facts, the first breaches and rejected records, and a
timeline for each case asked for with ``--case``.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any, BinaryIO

from ..check.report import STATUSES, compliance_rate
from .view import STATUS_LABELS, ReportView, month_text, rate_text, rejection_text

LIST_LIMIT = 200  # breaches and rejected records listed in the page (json and junit list every one)
STATUS_COLOURS = {"due": "#4a78b5", "at_risk": "#d99a1e", "overdue": "#c0392b", "satisfied": "#2e8b57",
                  "satisfied_late": "#8e5aa8", "waived": "#7f8c8d", "paused": "#95a5a6",
                  "not_applicable": "#bdc3c7", "indeterminate": "#34495e"}

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1d2733;max-width:78rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccd;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.85rem}th,td{border:1px solid #ccd;padding:.25rem .5rem}
th{background:#eef1f6;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
.verdict{padding:.6rem 1rem;border-radius:.3rem;font-weight:600;display:inline-block}
.fail{background:#fbe3e1;color:#8b1e13}.pass{background:#e1f5e8;color:#17603a}
.chart{margin:.5rem 0 1rem 0}.muted{color:#667}.small{font-size:.8rem}
svg text{font-family:inherit}
"""


def e(value: object) -> str:
    return escape(str(value), quote=True)


def _colour(rate: float | None) -> str:
    if rate is None:
        return "#bdc3c7"
    return "#2e8b57" if rate >= 0.9 else "#d99a1e" if rate >= 0.75 else "#c0392b"


def rule_chart(view: ReportView) -> str:
    """Horizontal bars: the share met on time per rule."""
    rows = view.tallies
    height = 26 * len(rows) + 30
    parts = [f'<svg class="chart" role="img" aria-label="Compliance per rule" width="760" height="{height}" '
             f'viewBox="0 0 760 {height}" xmlns="http://www.w3.org/2000/svg">']
    for i, t in enumerate(rows):
        y = 10 + 26 * i
        rate = t.compliance_rate
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{e(t.rule_id)}</text>')
        parts.append(f'<rect x="260" y="{y}" width="360" height="18" fill="#eef1f6"/>')
        if rate is not None:
            parts.append(f'<rect class="bar" x="260" y="{y}" width="{360 * rate:.1f}" height="18" '
                         f'fill="{_colour(rate)}"><title>{e(t.rule_id)}: {rate_text(rate)} of {t.decided}</title></rect>')
        label = f"{rate_text(rate)} of {t.decided}" if rate is not None else "nothing decided"
        parts.append(f'<text x="630" y="{y + 14}" font-size="12">{e(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def month_charts(view: ReportView) -> str:
    """One column chart per rule: the share met on time among obligations due in each month."""
    months = view.months()
    by_rule: dict[str, dict[int, dict[str, int]]] = {}
    for rule, month, counts in view.month_rows():
        by_rule.setdefault(rule, {})[month] = counts
    out = []
    width = max(60 + 34 * len(months), 200)
    for rule, table in by_rule.items():
        if not any(compliance_rate(c) is not None for c in table.values()):
            continue
        parts = [f'<h3 class="small">{e(rule)}: {e(view.rule_title(rule))}</h3>',
                 f'<svg class="chart" role="img" aria-label="Compliance per month for {e(rule)}" width="{width}" '
                 f'height="170" viewBox="0 0 {width} 170" xmlns="http://www.w3.org/2000/svg">',
                 '<line x1="40" y1="130" x2="100%" y2="130" stroke="#99a"/>',
                 '<text x="0" y="14" font-size="10">100%</text><text x="8" y="134" font-size="10">0%</text>']
        for i, month in enumerate(months):
            x = 46 + 34 * i
            counts = table.get(month)
            rate = compliance_rate(counts) if counts else None
            if rate is not None and counts is not None:
                h = 120 * rate
                decided = counts["satisfied"] + counts["satisfied_late"] + counts["overdue"]
                parts.append(f'<rect class="bar" x="{x}" y="{130 - h:.1f}" width="26" height="{h:.1f}" '
                             f'fill="{_colour(rate)}"><title>{e(month_text(month))}: {rate_text(rate)} of '
                             f'{decided}</title></rect>')
            parts.append(f'<text x="{x}" y="146" font-size="9">{e(month_text(month)[:3])}</text>'
                         f'<text x="{x}" y="158" font-size="9">{month // 100}</text>')
        parts.append("</svg>")
        out.append("".join(parts))
    return "\n".join(out) or '<p class="muted">No obligation was decided in any month.</p>'


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def timeline_svg(timeline: dict[str, Any]) -> str:
    """Events as numbered ticks on a date axis, and each obligation as a bar from its start to its deadline."""
    days = [_day(timeline["received_date"]), _day(timeline["as_of_date"])]
    days += [_day(ev["date"]) for ev in timeline["events"]]
    for o in timeline["obligations"]:
        days += [_day(o["triggered_date"]), _day(o["due_date"]), _day(o["satisfied_date"])]
    known = [d for d in days if d is not None]
    first, last = min(known), max(known)
    span = max((last - first).days, 1)
    left, right = 250, 980

    def x(day: dt.date | None) -> float:
        return left + (right - left) * ((day or first) - first).days / span

    rows = timeline["obligations"]
    height = 70 + 24 * len(rows)
    parts = [f'<svg class="chart timeline" role="img" aria-label="Timeline of case {e(timeline["case_id"])}" '
             f'width="1000" height="{height}" viewBox="0 0 1000 {height}" xmlns="http://www.w3.org/2000/svg">',
             f'<line x1="{left}" y1="30" x2="{right}" y2="30" stroke="#556"/>',
             f'<text x="{left}" y="14" font-size="10">{e(first.isoformat())}</text>',
             f'<text x="{right - 60}" y="14" font-size="10">{e(last.isoformat())}</text>']
    for n, event in enumerate(timeline["events"], start=1):
        ex = x(_day(event["date"]))
        parts.append(f'<line x1="{ex:.1f}" y1="24" x2="{ex:.1f}" y2="36" stroke="#223"><title>{n}. '
                     f'{e(event["title"])} ({e(event["at"])})</title></line>'
                     f'<text x="{ex - 3:.1f}" y="48" font-size="9">{n}</text>')
    asof = x(_day(timeline["as_of_date"]))
    parts.append(f'<line x1="{asof:.1f}" y1="20" x2="{asof:.1f}" y2="{height}" stroke="#c0392b" '
                 'stroke-dasharray="4 3"><title>as of</title></line>')
    for i, o in enumerate(rows):
        y = 60 + 24 * i
        start, due = x(_day(o["triggered_date"])), x(_day(o["due_date"]) or _day(o["triggered_date"]))
        colour = STATUS_COLOURS.get(o["status"], "#888")
        label = f'{o["rule"]} #{o["instance"]}'
        parts.append(f'<text x="0" y="{y + 12}" font-size="11">{e(label)}</text>')
        parts.append(f'<rect x="{start:.1f}" y="{y}" width="{max(due - start, 3):.1f}" height="14" fill="{colour}">'
                     f'<title>{e(label)}: {e(STATUS_LABELS.get(o["status"], o["status"]))}, due '
                     f'{e(o["due_date"] or "-")}</title></rect>')
        if o["satisfied_at"]:
            sx = x(_day(o["satisfied_date"]))
            parts.append(f'<circle cx="{sx:.1f}" cy="{y + 7}" r="5" fill="#fff" stroke="#111"/>')
    parts.append("</svg>")
    return "".join(parts)


def _timeline_section(timeline: dict[str, Any]) -> str:
    facts = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in timeline["facts"].items())
    events = "".join(
        f"<tr><td class=n>{n}</td><td>{e(ev['at'])}</td><td>{e(ev['title'])}</td><td>{e(ev['ref'])}</td>"
        f"<td>{e(', '.join(f'{k}: {v}' for k, v in ev['fields'].items()))}</td></tr>"
        for n, ev in enumerate(timeline["events"], start=1))
    obligations = "".join(
        f"<tr><td>{e(o['rule'])} #{o['instance']}</td><td>{e(STATUS_LABELS.get(o['status'], o['status']))}</td>"
        f"<td>{e(o['triggered_at'] or '-')}</td><td>{e(o['due_date'] or '-')}</td><td>{e(o['satisfied_at'] or '-')}"
        f"</td><td>{e('; '.join(o['reasons']))}</td></tr>"
        for o in timeline["obligations"])
    return (f"<h2>Timeline of case {e(timeline['case_id'])}</h2>"
            f"<p class=muted>{e(timeline['kind'])}, received {e(timeline['received_at'])}, from {e(timeline['where'])}"
            f"</p>{timeline_svg(timeline)}<table><tr><th colspan=2>facts</th></tr>{facts}</table>"
            f"<table><tr><th>#</th><th>at</th><th>event</th><th>id</th><th>details</th></tr>{events}</table>"
            f"<table><tr><th>obligation</th><th>status</th><th>started</th><th>due</th><th>met</th><th>why</th></tr>"
            f"{obligations}</table>")


def render_html(view: ReportView, out: BinaryIO) -> None:
    report = view.report
    verdict_class = "fail" if view.failed else "pass"
    verdict = "Failed: " + "; ".join(view.failures) if view.failed else "Passed"
    head = ("<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width, initial-scale=1'>"
            f"<title>charter-rules check as of {e(view.as_of_text)}</title><style>{CSS}</style></head><body>")
    parts = [head, f"<h1>charter-rules check as of {e(view.as_of_text)}</h1>",
             f"<p class='verdict {verdict_class}'>{e(verdict)}</p>",
             f"<p>{report.records_read} records read, {report.evaluated} evaluated, {report.rejected} rejected, "
             f"{len(report.breaches)} breaches{' (personal data redacted)' if report.redacted else ''}.</p>"]
    header = "".join(f"<th>{e(STATUS_LABELS[s])}</th>" for s in STATUSES)
    rows = "".join(
        f"<tr><td title='{e(t.title)}'>{e(t.rule_id)}</td>" + "".join(f"<td class=n>{t.counts[s]}</td>" for s in STATUSES)
        + f"<td class=n>{rate_text(t.compliance_rate)}</td></tr>" for t in view.tallies)
    parts.append(f"<h2>Obligations per rule</h2><table><tr><th>rule</th>{header}<th>compliance</th></tr>{rows}</table>")
    parts.append(f"<h2>Compliance per rule</h2>{rule_chart(view)}")
    parts.append(f"<h2>Compliance per month</h2><p class='muted small'>Share met on time among obligations whose "
                 f"deadline fell in the month.</p>{month_charts(view)}")
    if view.figures:
        quarters = sorted({q.quarter for f in view.figures for q in f.quarters})
        body = ""
        for f in view.figures:
            by_q = {q.quarter: q for q in f.quarters}
            if f.availability == "unavailable":
                cells = f"<td colspan={max(len(quarters), 1)} class=muted>not available: rule " \
                        f"{e(', '.join(f.missing_rules))} is not in the rule book</td>"
            else:
                cells = "".join(
                    f"<td class=n>{rate_text(by_q[q].rate)} of {by_q[q].decided}</td>" if q in by_q and by_q[q].decided
                    else "<td class=n>-</td>" for q in quarters)
            note = f" <span class=muted>(partial: {e(', '.join(f.missing_rules))} missing)</span>" \
                if f.availability == "partial" else ""
            body += f"<tr><td title='{e(f.right)}'>{e(f.title)}{note}</td>{cells}</tr>"
        parts.append("<h2>Victims' Code compliance figures</h2><p class='muted small'>Share met on time, by calendar "
                     "quarter of the deadline.</p><table><tr><th>figure</th>"
                     + "".join(f"<th>{e(q)}</th>" for q in quarters) + f"</tr>{body}</table>")
    missing = view.missing_fact_lines()
    if missing:
        parts.append("<h2>Most common missing facts</h2><ul>" + "".join(
            f"<li>{e(view.missing_sentence(n, title, fact))}</li>" for n, _, title, fact in missing[:20]) + "</ul>")
    if report.breaches:
        rows = ""
        for i, b in enumerate(view.breaches()):
            if i >= LIST_LIMIT:
                break
            rows += (f"<tr><td>{e(b['case_id'])}</td><td>{e(b['rule'])} #{b['instance']}</td>"
                     f"<td>{e(STATUS_LABELS.get(b['status'], b['status']))}</td><td>{e(b['due_date'] or '-')}</td>"
                     f"<td>{e(b['where'])}</td></tr>")
        parts.append(f"<h2>Breaches ({len(report.breaches)})</h2><table><tr><th>case</th><th>rule</th><th>status"
                     f"</th><th>due</th><th>where</th></tr>{rows}</table>")
        if len(report.breaches) > LIST_LIMIT:
            parts.append(f"<p class=muted>First {LIST_LIMIT} shown; the JSON and JUnit reports list every one.</p>")
    if report.rejected:
        items = ""
        for i, entry in enumerate(view.rejections()):
            if i >= LIST_LIMIT:
                break
            items += f"<li>{e(rejection_text(entry))}</li>"
        parts.append(f"<h2>Rejected records ({report.rejected})</h2><ul>{items}</ul>")
    for case_id in sorted(report.timelines):
        parts.append(_timeline_section(report.timelines[case_id]))
    parts.append("</body></html>\n")
    out.write("\n".join(parts).encode())
