"""A self-contained, responsive HTML page shell shared by the planning and comparison reports.

No scripts, no external assets, every value escaped by the caller with :func:`e`. Tables turn into labelled cards
on narrow screens (a phone, 390 px wide), so nothing needs scrolling sideways and no text overflows its box.
"""

from __future__ import annotations

from html import escape

CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;padding:1.5rem;color:#1d2733;
max-width:80rem;line-height:1.4;overflow-wrap:break-word}
h1{font-size:1.5rem;margin:.2rem 0 .6rem}h2{font-size:1.2rem;margin-top:1.8rem;border-bottom:1px solid #ccd;
padding-bottom:.2rem}h3{font-size:1rem;margin:1.2rem 0 .4rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.85rem;width:100%}
th,td{border:1px solid #ccd;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#eef1f6}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.tag{display:inline-block;padding:0 .4rem;border-radius:.25rem;font-size:.8rem;font-weight:600;white-space:nowrap}
.overdue{background:#fbe3e1;color:#8b1e13}.at_risk{background:#fdf0d5;color:#7a5300}.due{background:#e3ecf8;color:#1f4f8b}
.better{background:#e1f5e8;color:#17603a}.worse{background:#fbe3e1;color:#8b1e13}.same{background:#eef1f6;color:#334}
.muted{color:#5a6472}.totals{font-weight:600}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:.8rem}
.pair pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;border:1px solid #dde;padding:.6rem;
margin:0;font-size:.8rem}
@media (max-width:640px){
body{padding:.8rem}
.pair{grid-template-columns:1fr}
table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
table.cards thead{display:none}
table.cards tr{border:1px solid #ccd;margin:0 0 .6rem;padding:.2rem 0}
table.cards td{border:none;padding:.15rem .6rem}
table.cards td.n{text-align:left;white-space:normal}
table.cards td::before{content:attr(data-label) ": ";font-weight:600;color:#5a6472}
}
"""


def e(value: object) -> str:
    """Escape text for HTML content and attributes."""
    return escape(str(value), quote=True)


def page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{e(title)}</title><style>{CSS}</style></head><body>{body}</body></html>\n")


def table(headers: list[str], rows: list[list[tuple[str, str]]], *, numeric: frozenset[int] = frozenset(),
          cls: str = "cards") -> str:
    """A table whose cells are already-escaped HTML; each cell carries its header as a label for narrow screens.

    ``rows`` are lists of (cell html, extra class) pairs; ``numeric`` are the column numbers aligned right.
    """
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, (html, extra) in enumerate(row):
            classes = " ".join(c for c in ("n" if i in numeric else "", extra) if c)
            attr = f' class="{classes}"' if classes else ""
            cells.append(f'<td{attr} data-label="{e(headers[i])}">{html}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
