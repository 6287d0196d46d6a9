"""The HTML report: the one page a compliance lead opens. Self-contained (no script, no external asset), every value
escaped, readable on a phone without sideways scrolling.

From the top: the verdict and headline figures; what needs doing next (the work still owed, by rule); the rules
sorted by compliance, worst first, their titles linked to the rule book's documentation when
``ReportOptions.docs_url`` says where it is published; a heat map of compliance per rule and month with its counts,
greyed where the numbers are too small to mean much or the month is not over; the Victims' Code figures; the facts
most often missing; the breaches, most overdue first; the rejected records grouped by cause; and the timeline of each
case asked for with ``--case``.

The page is a list of sections (``SECTIONS``): a new view of the report is one more function taking the
``ReportView`` and returning its HTML, or an empty string when it has nothing to show."""

from __future__ import annotations

import datetime as dt
from typing import BinaryIO, Callable

from ..calendars import format_date
from .html_case import case_section
from .html_parts import CSS, e, heat_map, rate_cell, rule_link
from .view import STATUS_LABELS, ReportView, duty_label, rate_text
from .baseline_section import baseline_html

LIST_LIMIT = 50  # breaches listed in the page, the most overdue (json and junit list every one)


def _date(text: str | None) -> str:
    return format_date(dt.date.fromisoformat(text)) if text else "-"


def _headline(view: ReportView) -> str:
    report = view.report
    decided = sum(t.decided for t in view.tallies)
    on_time = sum(t.counts["satisfied"] for t in view.tallies)
    verdict = ("Failed: " + "; ".join(view.failures)) if view.failed else "Passed: nothing chosen by --fail-on was found"
    figures = [
        (rate_text(on_time / decided) if decided else "-", "met on time", f"of {decided:,} obligations decided"),
        (f"{report.count('overdue'):,}", "overdue now", "owed, past the deadline, nothing recorded"),
        (f"{report.count('satisfied_late'):,}", "met late", "met, but after the deadline"),
        (f"{report.count('due') + report.count('at_risk'):,}", "still open",
         f"{report.count('at_risk'):,} of them at risk"),
        (f"{report.count('indeterminate'):,}", "cannot be decided", "a fact they need is missing"),
        (f"{report.rejected:,}", "records rejected", f"of {report.records_read:,} read"),
    ]
    cards = "".join(f"<div class=card><b>{e(big)}</b><span>{e(what)}</span><small>{e(note)}</small></div>"
                    for big, what, note in figures)
    redacted = "<p class=muted>Personal data is redacted from this report.</p>" if report.redacted else ""
    return (f"<p class='verdict {'fail' if view.failed else 'pass'}'>{e(verdict)}</p>"
            f"<div class=cards>{cards}</div>{_duties(view)}<p class='muted small'>{e(view.settings_text())}</p>{redacted}")


def _duties(view: ReportView) -> str:
    """Breaches by kind of duty, strongest first: a breach of the law apart from a missed local standard."""
    rows = "".join(
        f"<tr><th scope=row>{e(duty.label.capitalize())}</th><td data-h='breaches' class=n>{overdue + late:,}</td>"
        f"<td data-h='overdue' class=n>{overdue:,}</td><td data-h='met late' class=n>{late:,}</td>"
        f"<td data-h='owed' class=n>{owed:,}</td></tr>"
        for duty, overdue, late, owed in view.duty_rows())
    return ("<h2 id=duties>Breaches by kind of duty</h2><table class=stack><thead><tr><th>kind of duty</th>"
            "<th>breaches</th><th>overdue</th><th>met late</th><th>owed</th></tr></thead><tbody>" + rows
            + "</tbody></table>")


def _next(view: ReportView) -> str:
    """The work still to do, by rule: overdue first, then at risk (due soon), then the rest still open."""
    rows = []
    open_tallies = [t for t in view.tallies if t.counts["overdue"] + t.counts["at_risk"] + t.counts["due"]]
    for t in sorted(open_tallies, key=lambda t: (-t.counts["overdue"], -t.counts["at_risk"], -t.counts["due"], t.title)):
        cells = "".join(f"<td data-h='{what}' class='n{'' if n else ' zero'}'>{n:,}</td>"
                        for what, n in (("overdue", t.counts["overdue"]), ("at risk", t.counts["at_risk"]),
                                        ("due later", t.counts["due"])))
        rows.append(f"<tr><th scope=row>{rule_link(view, t.rule_id)}</th>{cells}</tr>")
    if not rows:
        return ""
    return ("<h2 id=next>What needs doing next</h2><p class=muted>Obligations still owed, by rule: overdue first, "
            "then those at risk of missing their deadline. <code>charter-rules queue</code> on the same export lists "
            "them case by case, with what to do and by when.</p><table class=stack><thead><tr><th>rule</th>"
            "<th>overdue</th><th>at risk</th><th>due later</th></tr></thead><tbody>" + "".join(rows)
            + "</tbody></table>")


def _rules(view: ReportView) -> str:
    """Every rule, worst compliance first; rules with nothing decided at the end."""
    def order(tally: object) -> tuple[int, float, str]:
        rate = tally.compliance_rate  # type: ignore[attr-defined]
        return (rate is None, rate if rate is not None else 0.0, tally.title)  # type: ignore[attr-defined]

    rows = []
    for t in sorted(view.tallies, key=order):
        c = t.counts
        numbers = {"decided": t.decided, "overdue": c["overdue"], "met late": c["satisfied_late"],
                   "open": c["due"] + c["at_risk"], "cannot be decided": c["indeterminate"],
                   "not owed": c["waived"] + c["not_applicable"]}
        cells = "".join(f"<td data-h='{what}' class='n{'' if n else ' zero'}'>{n:,}</td>" for what, n in numbers.items())
        rows.append(f"<tr><th scope=row>{rule_link(view, t.rule_id)}</th>{rate_cell(t.compliance_rate, t.decided)}"
                    f"{cells}</tr>")
    return ("<h2 id=rules>Rules by compliance</h2><p class=muted>Met on time, out of the obligations met or past "
            "their deadline; the worst first.</p><table class='rules stack'><thead><tr><th>rule</th><th>met on time"
            "</th><th>decided</th><th>overdue</th><th>met late</th><th>open</th><th>cannot be decided</th>"
            "<th>not owed</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _figures(view: ReportView) -> str:
    if not view.figures:
        return ""
    quarters = sorted({q.quarter for f in view.figures for q in f.quarters})
    body = ""
    for f in view.figures:
        by_q = {q.quarter: q for q in f.quarters}
        if f.availability == "unavailable":
            cells = (f"<td colspan={max(len(quarters), 1)} class=muted>not available: its rules are not in the rule "
                     "book</td>")
        else:
            cells = "".join(rate_cell(by_q[q].rate, by_q[q].decided, label=q) if q in by_q and by_q[q].decided
                            else f"<td data-h='{e(q)}' class='n muted'>-</td>" for q in quarters)
        note = " <span class=muted>(partial: some of its rules are not in the rule book)</span>" \
            if f.availability == "partial" else ""
        body += f"<tr><th scope=row title='{e(f.right)}'>{e(f.title)}{note}</th>{cells}</tr>"
    return ("<h2 id=figures>Victims' Code compliance figures</h2><p class=muted>Share met on time, by calendar "
            "quarter of the deadline.</p><table class=stack><thead><tr><th>figure</th>"
            + "".join(f"<th>{e(q)}</th>" for q in quarters) + f"</tr></thead><tbody>{body}</tbody></table>")


def _missing(view: ReportView) -> str:
    missing = view.missing_fact_lines()
    if not missing:
        return ""
    return ("<h2 id=missing>Facts most often missing</h2><ul>" + "".join(
        f"<li>{e(view.missing_sentence(n, title, fact))}</li>" for n, _, title, fact in missing[:20]) + "</ul>")


def _breaches(view: ReportView) -> str:
    total = len(view.report.breaches)
    if not total:
        return ""
    rows = []
    for b in view.worst_breaches(LIST_LIMIT):
        days = view.days_over(b)
        late = "overdue" if b["status"] == "overdue" else "late"
        which = "" if b["instance"] == 1 else f" (obligation {e(b['instance'])})"
        rows.append(f"<tr><td data-h='case'>{e(b['case_id'])}</td><td data-h='rule'>{rule_link(view, b['rule'])}"
                    f"{which}</td>"
                    f"<td data-h='status'>{e(STATUS_LABELS.get(b['status'], b['status']))}</td>"
                    f"<td data-h='kind of duty'>{e(duty_label(b.get('duty')))}</td>"
                    f"<td data-h='due by the end of' class=d>{e(_date(b['due_date']))}</td>"
                    f"<td data-h='{late} by' class=n>{days:,} {'day' if days == 1 else 'days'}</td>"
                    f"<td data-h='where' class=where>{e(b['where'])}</td></tr>")
    shown = min(total, LIST_LIMIT)
    note = (f"<p class=muted>The {shown} most overdue of {total:,} are listed; the JSON and JUnit reports list every "
            "one.</p>") if total > LIST_LIMIT else ""
    return (f"<h2 id=breaches>Breaches ({total:,})</h2><p class=muted>Overdue obligations first, then those met late, "
            "each by days past the due date.</p><table class=stack><thead><tr><th>case</th><th>rule</th><th>status</th>"
            "<th>kind of duty</th>"
            "<th>due by the end of</th><th>past due by</th><th>where</th></tr></thead><tbody>" + "".join(rows)
            + "</tbody></table>" + note)


def _rejected(view: ReportView) -> str:
    if not view.report.rejected:
        return ""
    rows = []
    for group in view.rejection_groups():
        more = f" and {group.count - len(group.where):,} more" if group.count > len(group.where) else ""
        rows.append(f"<tr><td data-h='records' class=n>{group.count:,}</td><td data-h='cause'>{e(group.cause)}</td>"
                    f"<td data-h='first at' class=where>{e(', '.join(group.where))}{e(more)}</td></tr>")
    return (f"<h2 id=rejected>Rejected records ({view.report.rejected:,})</h2><p class=muted>Grouped by cause; the "
            "JSON report lists every record.</p><table class=stack><thead><tr><th>records</th><th>cause</th>"
            "<th>first at</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _heat(view: ReportView) -> str:
    return heat_map(view)


def _cases(view: ReportView) -> str:
    return "".join(case_section(view.report.timelines[case_id], case_id, index)
                   for index, case_id in enumerate(sorted(view.report.timelines)))


SECTIONS: list[Callable[[ReportView], str]] = [_headline, _next, _rules, _heat, _figures, _missing, _breaches, _rejected,
                                                baseline_html, _cases]


def render_html(view: ReportView, out: BinaryIO) -> None:
    title = f"Compliance check as of {view.as_of_text}"
    parts = ["<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
             "<meta name=viewport content='width=device-width, initial-scale=1'>"
             f"<title>{e(title)}</title><style>{CSS}</style></head><body><main>", f"<h1>{e(title)}</h1>"]
    parts.extend(section(view) for section in SECTIONS)
    parts.append("</main></body></html>\n")
    out.write("\n".join(p for p in parts if p).encode())
