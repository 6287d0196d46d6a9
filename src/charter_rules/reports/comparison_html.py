"""A rule-book comparison as one self-contained HTML page for a policy paper: explanations side by side."""

from __future__ import annotations

from .comparison import direction_lines, headline
from .page import e, page, table
from .view import rate_text
from ..check.rulebook_compare import RulebookComparison


def render_html(result: RulebookComparison) -> str:
    title = f"Impact of {result.after} compared with {result.before}"
    body = [f"<h1>{e(title)}</h1>", f"<p>{e(headline(result))}.</p>"]
    if result.redacted:
        body.append('<p class="muted">Personal data is redacted.</p>')
    rows = [[(e(c.title), ""), (str(c.changed), ""), (str(len(c.cases)), ""), (e(rate_text(c.rate(0))), ""),
             (e(rate_text(c.rate(1))), ""), ("<br>".join(e(line) for line in direction_lines(c)), "")]
            for c in result.changed_rules]
    if rows:
        body.append("<h2>Changes per rule</h2>" + table(
            ["rule", "obligations changed", "cases", "compliance before", "compliance after", "direction"], rows,
            numeric=frozenset({1, 2, 3, 4})))
    else:
        body.append('<p class="muted">No obligation changes status or due date.</p>')
    for change in result.changed_rules:
        if not change.examples:
            continue
        body.append(f"<h2>{e(change.title)}</h2>")
        for example in change.examples:
            body.append(f"<h3>Case {e(example.case_id)}, occurrence {example.instance}</h3><div class=\"pair\">"
                        f"<div><p class=\"muted\">Under {e(result.before)}</p><pre>"
                        f"{e(example.before or '(not in the rule book)')}</pre></div>"
                        f"<div><p class=\"muted\">Under {e(result.after)}</p><pre>"
                        f"{e(example.after or '(not in the rule book)')}</pre></div></div>")
    if result.rejected:
        body.append("<h2>Rejected records</h2><ul>" + "".join(
            f"<li>{e(r['where'])}: {e(r['error'])}</li>" for r in result.rejected) + "</ul>")
    return page(title, "".join(body))
