"""Pieces of the HTML report: its style sheet, escaping, links to the rule book's pages, and the heat map."""

from __future__ import annotations

from html import escape

from ..check.report import compliance_rate
from ..textsafe import lines
from .view import ReportView, month_text, rate_text

SMALL = 10  # fewer obligations decided than this in a cell: its share is shown, but greyed
HEAT_MONTHS = 12  # months in the heat map at the top; every month is in the table under it
BANDS = ((0.95, "#15803d", "#ffffff", "95% or more"), (0.9, "#86efac", "#14532d", "90% to 95%"),
         (0.75, "#fde68a", "#713f12", "75% to 90%"), (0.0, "#fca5a5", "#7f1d1d", "under 75%"))
GREY = ("#f3f4f6", "#6b7280")

CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1d2733;line-height:1.4}
main{max-width:78rem;margin:0 auto;padding:1rem;overflow-wrap:break-word}
h1{font-size:1.5rem;margin:.2rem 0 .6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccd;padding-bottom:.2rem}
h3{font-size:1rem;margin:1.2rem 0 .4rem}
a{color:#1d4ed8}.muted{color:#5b6470}small,.small{font-size:.8rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.85rem;max-width:100%}
th,td{border:1px solid #d5d9e2;padding:.25rem .5rem;vertical-align:top;overflow-wrap:break-word}
thead th{background:#eef1f6;text-align:left}tbody th{text-align:left;font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.where{font-size:.8rem;color:#5b6470}td.d{white-space:nowrap}
.verdict{padding:.6rem 1rem;border-radius:.3rem;font-weight:600;margin:.4rem 0}
.fail{background:#fbe3e1;color:#8b1e13}.pass{background:#e1f5e8;color:#17603a}
.cards{display:flex;flex-wrap:wrap;gap:.6rem;margin:.8rem 0}
.card{flex:1 1 10rem;border:1px solid #d5d9e2;border-radius:.4rem;padding:.5rem .7rem;display:flex;flex-direction:column}
.card b{font-size:1.5rem}.card small{color:#5b6470}
td.rate{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.rate small{display:block;font-size:.7rem;opacity:.85}
td.grey{background-image:repeating-linear-gradient(45deg,transparent 0 4px,#e5e7eb 4px 6px)}
table.heat td.rate{min-width:3.6rem}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.8rem;margin:.3rem 0 .8rem}
.legend span{display:inline-flex;align-items:center;gap:.3rem}
.legend i{display:inline-block;width:1rem;height:1rem;border:1px solid #d5d9e2}
.scroll{overflow-x:auto}
details{margin:.5rem 0}summary{cursor:pointer;color:#1d4ed8}
@media (max-width:640px){
 main{padding:.6rem}
 table.stack,table.stack tbody{display:block;width:100%}
 table.stack thead{display:none}
 table.stack tr{display:flex;flex-wrap:wrap;gap:.1rem .9rem;border:1px solid #d5d9e2;margin:.4rem 0;padding:.3rem .4rem}
 table.stack th,table.stack td{display:inline-block;max-width:100%;min-width:0;overflow-wrap:anywhere;border:0;
   padding:0;text-align:left}
 table.stack tbody th{flex:1 0 100%}
 table.stack td::before{content:attr(data-h);color:#5b6470;margin-right:.3rem}
 table.stack td.rate{padding:0 .3rem}table.stack td.rate small{display:inline;font-size:.75rem}
 table.heat td.rate{display:block;flex:0 0 4.6rem;text-align:center;padding:.1rem}
 table.heat td.rate::before{display:block;font-size:.7rem}
 table.heat td.rate small{display:block}
 table.stack td.zero{display:none}
 td.rate::before{color:inherit!important;opacity:.85}
}
"""


def e(value: object) -> str:
    """Untrusted text made safe as HTML content or a quoted attribute (control characters and direction overrides
    shown as visible escapes)."""
    return escape(lines(value), quote=True)


def rule_link(view: ReportView, rule_id: str) -> str:
    """The rule's title, linked to its page when the documentation address is known (the id shows on hover)."""
    title = e(view.rule_title(rule_id))
    target = view.rule_address(rule_id)
    if target is None:
        return f"<span title='{e(rule_id)}'>{title}</span>"
    return f"<a href='{e(target)}' title='{e(rule_id)}'>{title}</a>"


def _band(rate: float) -> tuple[str, str]:
    for floor, background, colour, _ in BANDS:
        if rate >= floor:
            return background, colour
    return BANDS[-1][1], BANDS[-1][2]


def rate_cell(rate: float | None, decided: int, *, label: str = "met on time", complete: bool = True) -> str:
    """A table cell with the share met on time and how many it is of, coloured by the share (greyed when small)."""
    if rate is None:
        return f"<td data-h='{e(label)}' class='rate muted' title='nothing decided'>-</td>"
    grey = decided < SMALL or not complete
    background, colour = GREY if grey else _band(rate)
    why = ("the month is not over" if not complete else f"only {decided} decided") if grey else f"{decided} decided"
    return (f"<td data-h='{e(label)}' class='rate{' grey' if grey else ''}' style='background-color:{background};"
            f"color:{colour}' title='{e(why)}'>{rate_text(rate)} <small>of {decided:,}</small></td>")


def legend() -> str:
    items = [f"<span><i style='background:{background}'></i>{e(words)}</span>" for _, background, _, words in BANDS]
    items.append(f"<span><i class=grey style='background-color:{GREY[0]}'></i>fewer than {SMALL} decided, or the "
                 "month not over (greyed)</span>")
    items.append("<span><i></i>- nothing decided</span>")
    return "<div class=legend>" + "".join(items) + "</div>"


def _heat_table(view: ReportView, months: list[int], order: list[str]) -> str:
    table: dict[str, dict[int, dict[str, int]]] = {}
    for rule, month, counts in view.month_rows():
        table.setdefault(rule, {})[month] = counts
    head = "".join(f"<th>{e(month_text(m))}</th>" for m in months)
    rows = []
    for rule in order:
        by_month = table.get(rule, {})
        cells = []
        for month in months:
            counts = by_month.get(month)
            rate = compliance_rate(counts) if counts else None
            decided = counts["satisfied"] + counts["satisfied_late"] + counts["overdue"] if counts else 0
            cells.append(rate_cell(rate, decided, label=month_text(month), complete=view.is_complete(month)))
        rows.append(f"<tr><th scope=row>{rule_link(view, rule)}</th>{''.join(cells)}</tr>")
    return (f"<div class=scroll><table class='heat stack'><thead><tr><th>rule</th>{head}</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></div>")


def heat_map(view: ReportView) -> str:
    """Rules (worst first) by month of the deadline: the share met on time, and of how many."""
    months = view.months()
    if not months:
        return ""
    rates = {t.rule_id: t.compliance_rate for t in view.tallies}
    order = sorted((t.rule_id for t in view.tallies if t.decided),
                   key=lambda r: (rates[r] if rates[r] is not None else 2.0, view.rule_title(r)))
    if not order:
        return ""
    recent = months[-HEAT_MONTHS:]
    out = ["<h2 id=months>Compliance per month</h2><p class=muted>Met on time among the obligations whose deadline "
           f"fell in the month, and how many were decided.</p>" + legend(), _heat_table(view, recent, order)]
    if len(months) > len(recent):
        out.append(f"<details><summary>All {len(months)} months</summary>{_heat_table(view, months, order)}</details>")
    return "".join(out)
