"""A case's timeline (``charter_rules.timeline_data.timeline_data``) drawn as inline SVG, for the docs site and reports.

One column per London day. Under a header of months and days come the case's events on a line, then one lane per
obligation: the days counted, numbered as the evaluator counted them (every fifth day when the days are narrow), days
not counted greyed (striped where the clock was stopped), and markers for the clock's start, the deadline, the event
that met it, and the as-of moment across everything. Bank holidays in view are named, and a legend lists the marks
used. Every label is laid out by its estimated width (``layout.lay_out``) so none overlaps another or leaves the
picture.

Two drawings are made of each timeline: one 720 units wide, and one 360 wide that the page shows instead on a
narrow screen (a CSS media query, no script), so text stays legible on a phone. Both scale to their container.
Every string from a rule book or case is escaped; nothing external is referred to.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..calendars import format_date
from ..obligation import STATUS_TABLE
from .frame import HEADER, MARGIN, Frame, header, london
from .layout import ASCENT, FONT, LINE, Label, attr, draw_labels, flow, lay_out, xml
from .textwidth import text_width, wrap

WIDE, NARROW = 720, 360  # viewBox widths
BREAKPOINT = 640  # px of screen width below which the narrow drawing is shown
CELL_H = 20.0
COUNTED, NON_WORKING, IN_PERIOD, NO_CLOCK = "#dbeafe", "#d1d5db", "#eef2ff", "#f3f4f6"
NBSP = "\u00a0"
PAUSED_REASON = "clock paused"  # the evaluator's reason for a day not counted while the clock was stopped
STATUS_COLOURS = {status.value: info.colour for status, info in STATUS_TABLE.items()}
STATUS_WORDS = {
    "due": "Due", "at_risk": "At risk", "overdue": "Overdue", "satisfied": "Met on time",
    "satisfied_late": "Met late", "waived": "Not owed (waived)", "paused": "Clock stopped",
    "not_applicable": "Not applicable", "indeterminate": "Cannot be decided",
}
CSS = (
    ".cr-tl svg.cr-timeline{display:block;width:100%;height:auto;margin:.4em 0}"
    ".cr-tl svg.cr-tl-wide{max-width:900px}.cr-tl svg.cr-tl-narrow{display:none;max-width:540px}"
    f"@media (max-width:{BREAKPOINT}px){{.cr-tl svg.cr-tl-wide{{display:none}}"
    ".cr-tl svg.cr-tl-narrow{display:block}}"
    ".cr-timeline text{font-family:'DejaVu Sans',Verdana,system-ui,sans-serif;font-size:11px}"
    ".cr-timeline .cr-month{font-weight:600;font-size:12px}.cr-timeline .cr-day{fill:#374151;font-size:10px}"
    ".cr-timeline .cr-weekday{fill:#6b7280;font-size:9px}.cr-timeline .cr-count{fill:#1e3a8a;font-size:9.5px}"
    ".cr-timeline .cr-lane{font-weight:600;fill:#111827}.cr-timeline .cr-note{fill:#374151;font-style:italic}"
    ".cr-timeline .cr-asof{fill:#6d28d9;font-weight:600}"
)


def _moment(text: str) -> dt.datetime:
    return london(text)


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def short_date(day: dt.date) -> str:
    """``Fri 3 Apr``."""
    return format_date(day).rsplit(" ", 1)[0]


def moment_text(text: str) -> str:
    """``Thu 2 Apr 2026 15:00 BST``: always London time."""
    local = _moment(text)
    return f"{format_date(local.date())} {local.strftime('%H:%M')} {local.tzname()}"


def holiday_name(reason: str) -> str:
    """``Good Friday (England and Wales)`` -> ``Good Friday``; several holidays on one day are joined."""
    return " / ".join(part.rsplit(" (", 1)[0] if part.endswith(")") else part for part in reason.split("; "))


def _heading(parts: list[str], frame: Frame, y: float, name: str, status: str | None = None) -> float:
    """A lane's heading across the picture (wrapped), the status coloured after it; returns the height used."""
    lines = wrap(name, FONT, frame.width - 2 * MARGIN, bold=True)
    words = STATUS_WORDS.get(status or "", "")
    status_span = ""
    if words:
        room = frame.width - 2 * MARGIN - text_width(lines[-1] + " · ", FONT, bold=True)
        if text_width(words, FONT, bold=True) <= room:
            status_span = f'<tspan fill="{STATUS_COLOURS[status or ""]}"> · {xml(words)}</tspan>'
        else:
            lines.append("")
            status_span = f'<tspan fill="{STATUS_COLOURS[status or ""]}">{xml(words)}</tspan>'
    spans = "".join(f'<tspan x="{MARGIN}" dy="{0 if i == 0 else LINE:.0f}">{xml(line)}'
                    f'{status_span if i == len(lines) - 1 else ""}</tspan>' for i, line in enumerate(lines))
    parts.append(f'<text x="{MARGIN}" y="{y + FONT * ASCENT:.1f}" class="cr-lane">{spans}</text>')
    return len(lines) * LINE + 3


def _counts(parts: list[str], frame: Frame, y: float, counted: dict[str, int], total: int) -> None:
    """The number of each counted day in its cell; every fifth (and the first and last) when cells are narrow."""
    every = frame.cell >= text_width("40", 9.5, bold=True) + 2
    shown: list[tuple[float, int]] = []
    for key, n in sorted(counted.items(), key=lambda kv: kv[1]):
        if not (every or n == 1 or n % 5 == 0 or n == total):
            continue
        centre = frame.x(_day(key)) + frame.cell / 2
        half = text_width(str(n), 9.5, bold=True) / 2
        while shown and shown[-1][0] + text_width(str(shown[-1][1]), 9.5, bold=True) / 2 + 2 > centre - half:
            shown.pop()  # the later number wins: the last day counted is always shown
        shown.append((centre, n))
    for centre, n in shown:
        parts.append(f'<text x="{centre:.1f}" y="{y + 14:.1f}" text-anchor="middle" class="cr-count" '
                     f'font-weight="600">{n}</text>')


def _cells(parts: list[str], frame: Frame, y: float, work: dict[str, Any], paused: str) -> None:
    first, due = _day(work["counting_from"]), _day(work["due_date"])
    counted, non_working = work["counted"], work["non_working"]
    if frame.compact:
        parts.append(f'<rect x="{MARGIN}" y="{y + CELL_H / 2 - 2:.1f}" width="{frame.width - 2 * MARGIN:.1f}" '
                     'height="4" fill="#e5e7eb"/>')
        left, right = frame.x(first), frame.x(due) + frame.cell
        parts.append(f'<rect x="{left:.1f}" y="{y:.1f}" width="{max(right - left, 2):.1f}" height="{CELL_H}" '
                     f'fill="{COUNTED}"><title>{xml(f"Counted from {format_date(first)} to {format_date(due)}")}'
                     '</title></rect>')
    else:
        for day in frame.dates():
            key = day.isoformat()
            inside = first <= day <= due
            reason = non_working.get(key)
            if key in counted:
                fill, tip = COUNTED, f"{format_date(day)}: day {counted[key]} of {work['count']}"
            elif reason == PAUSED_REASON:
                fill, tip = paused, f"{format_date(day)}: not counted, the clock was stopped"
            elif reason is not None:
                fill = NON_WORKING
                tip = f"{format_date(day)}: {'not counted, ' if inside else ''}{reason}"
            else:
                fill, tip = (IN_PERIOD if inside else "#ffffff"), format_date(day)
            opacity = "" if inside else ' fill-opacity="0.55"'
            parts.append(f'<rect x="{frame.x(day):.1f}" y="{y:.1f}" width="{frame.cell:.2f}" height="{CELL_H}" '
                         f'fill="{fill}"{opacity} stroke="#ffffff" stroke-width="{min(1, frame.cell / 8):.2f}">'
                         f'<title>{xml(tip)}</title></rect>')
        _counts(parts, frame, y, counted, work["count"])
    for pause in work["pauses"] if frame.compact else ():
        start = _day(pause["start"])
        end = _day(pause["end"]) if pause["end"] else _moment(work["breach_at"]).date()
        width = max(frame.x(end) + frame.cell - frame.x(start), 2)
        parts.append(f'<rect x="{frame.x(start):.1f}" y="{y:.1f}" width="{width:.1f}" height="{CELL_H}" '
                     f'fill="{paused}"><title>{xml("Clock stopped: " + pause["reason"])}</title></rect>')


def _flag(parts: list[str], x: float, y: float) -> None:
    parts.append(f'<path class="cr-mark" d="M{x:.1f} {y - 3:.1f} v{CELL_H + 6} M{x:.1f} {y - 3:.1f} l9 4 l-9 4 z" '
                 'fill="#111827" stroke="#111827" stroke-width="1.5"/>')


def _markers(parts: list[str], frame: Frame, y: float, o: dict[str, Any], used: set[str]) -> list[Label]:
    labels: list[Label] = []
    work = o["deadline"]
    hours = work is not None and work["unit"] == "hours"
    if o["triggered_at"] and o["status"] != "not_applicable":  # a rule that does not apply starts no clock
        _flag(parts, frame.x_at(o["triggered_at"]), y)
        when = short_date(_moment(o["triggered_at"]).date())
        labels.append(Label(frame.x_at(o["triggered_at"]), f"Clock starts {when}", tooltip="Started "
                            + moment_text(o["triggered_at"])))
        used.add("start")
    if work is not None:
        if o["triggered_at"] is None or _moment(work["clock_start"]) != _moment(o["triggered_at"]):
            _flag(parts, frame.x_at(work["clock_start"]), y)
            labels.append(Label(frame.x_at(work["clock_start"]), "Clock restarts "
                                + short_date(_moment(work["clock_start"]).date()), tooltip=work["clock_start_reason"]))
            used.add("start")
        for pause in work["pauses"]:
            until = f" to {short_date(_day(pause['end']))}" if pause["end"] else ""
            labels.append(Label(frame.x(_day(pause["start"])) + frame.cell / 2, "Clock stopped "
                                f"{short_date(_day(pause['start']))}{until}", "#92400e", pause["reason"]))
            used.add("paused")
        due_x = frame.x_at(work["breach_at"])
        breach = _moment(work["breach_at"])
        due = f"{short_date(breach.date())} {breach.strftime('%H:%M')}" if hours else short_date(_day(work["due_date"]))
        parts.append(f'<line x1="{due_x:.1f}" y1="{y - 6:.1f}" x2="{due_x:.1f}" y2="{y + CELL_H + 6:.1f}" '
                     f'stroke="#b91c1c" stroke-width="3"><title>{xml("Late from " + moment_text(work["breach_at"]))}'
                     '</title></line>')
        labels.append(Label(due_x, f"Due {due} ({NBSP.join(work['length'].split())})", "#b91c1c",
                            "Late from " + moment_text(work["breach_at"])))
        used.add("due")
    if o["satisfied_at"]:
        x, mid = frame.x_at(o["satisfied_at"]), y + CELL_H / 2
        colour = STATUS_COLOURS.get(o["status"], "#15803d")
        late = o["status"] == "satisfied_late"
        parts.append(f'<circle class="cr-mark" cx="{x:.1f}" cy="{mid:.1f}" r="6" fill="{colour}" stroke="#ffffff" '
                     'stroke-width="1.5"/>'
                     f'<path d="M{x - 3:.1f} {mid:.1f} l2 2.5 l4 -5" fill="none" stroke="#ffffff" stroke-width="1.6"/>')
        labels.append(Label(x, f"Met{' late' if late else ''} {short_date(_moment(o['satisfied_at']).date())}", colour,
                            f"{o['satisfied_by_title'] or 'an event'}, {moment_text(o['satisfied_at'])}"))
        used.add("late" if late else "met")
    return labels


def _note(o: dict[str, Any]) -> str:
    """What a lane without a deadline says: its status and the evaluator's first reason."""
    head = STATUS_WORDS.get(o["status"], o["status"])
    return f"{head}: {o['reasons'][0]}" if o["reasons"] else head


def _events(parts: list[str], frame: Frame, y: float, data: dict[str, Any], max_label: float) -> float:
    """The case's events as marks on a line, each named below; returns the height used."""
    mid = y + CELL_H / 2
    parts.append(f'<line x1="{MARGIN}" y1="{mid:.1f}" x2="{frame.width - MARGIN:.1f}" y2="{mid:.1f}" '
                 'stroke="#9ca3af"/>')
    received = frame.x_at(data["received_at"])
    parts.append(f'<rect x="{received - 5:.1f}" y="{mid - 5:.1f}" width="10" height="10" fill="#111827" '
                 f'transform="rotate(45 {received:.1f} {mid:.1f})"/>')
    labels = [Label(received, f"Received {short_date(_day(data['received_date']))}",
                    tooltip="Case received " + moment_text(data["received_at"]))]
    for event in data["events"]:
        x = frame.x_at(event["at"])
        tip = f"{event['title']} ({event['ref']}), {moment_text(event['at'])}"
        parts.append(f'<circle cx="{x:.1f}" cy="{mid:.1f}" r="4.5" fill="#374151"><title>{xml(tip)}</title></circle>')
        labels.append(Label(x, f"{event['title']}, {short_date(_day(event['date']))}", "#374151", tip))
    placed = lay_out(labels, MARGIN, frame.width - MARGIN, max_label)
    return CELL_H + 4 + draw_labels(parts, placed, y + CELL_H + 4, mid + 5)


def _holidays(parts: list[str], frame: Frame, y: float, data: dict[str, Any], max_label: float) -> float:
    """Bank holidays (weekdays not counted for a calendar) in view, named under a line of ticks."""
    names: dict[dt.date, str] = {}
    for o in data["obligations"]:
        work = o["deadline"]
        for key, reason in (work["non_working"].items() if work else ()):
            day = _day(key)
            if day.weekday() < 5 and reason != PAUSED_REASON:
                names.setdefault(day, holiday_name(reason))
    if not names or frame.compact:
        return 0.0
    height = _heading(parts, frame, y, "Bank holidays")
    y += height
    labels = []
    for day, name in sorted(names.items()):
        x = frame.x(day) + frame.cell / 2
        parts.append(f'<path d="M{x - 4:.1f} {y:.1f} h8 l-4 6 z" fill="#6b7280"/>')
        labels.append(Label(x, f"{name}, {short_date(day)}", "#4b5563", format_date(day)))
    placed = lay_out(labels, MARGIN, frame.width - MARGIN, max_label)
    return height + 8 + draw_labels(parts, placed, y + 8, None)


def _lane_name(o: dict[str, Any], data: dict[str, Any]) -> str:
    rules = {lane["rule"] for lane in data["obligations"]}
    if len(rules) > 1:
        return f"{o['title']}, obligation {o['instance']}"
    return f"Obligation {o['instance']}" if len(data["obligations"]) > 1 else "Obligation"


def _legend(used: set[str], paused: str) -> list[tuple[str, str]]:
    items = [
        ("cells", f'<rect width="12" height="12" fill="{COUNTED}"/>', "day counted"),
        ("cells", f'<rect width="12" height="12" fill="{NON_WORKING}"/>', "weekend or bank holiday"),
        ("paused", f'<rect width="12" height="12" fill="{paused}"/>', "clock stopped"),
        ("start", '<path d="M2 0 v12 M2 0 l8 3.5 l-8 3.5 z" fill="#111827" stroke="#111827"/>', "clock starts"),
        ("due", '<rect x="4" width="3" height="12" fill="#b91c1c"/>', "deadline (end of the due day)"),
        ("met", f'<circle cx="6" cy="6" r="5.5" fill="{STATUS_COLOURS["satisfied"]}"/>', "met on time"),
        ("late", f'<circle cx="6" cy="6" r="5.5" fill="{STATUS_COLOURS["satisfied_late"]}"/>', "met late"),
        ("asof", '<line x1="6" y1="0" x2="6" y2="12" stroke="#6d28d9" stroke-width="1.5" stroke-dasharray="3 2"/>',
         "as of"),
    ]
    return [(shape, words) for key, shape, words in items if key in used]


def timeline_svg(data: dict[str, Any], *, width: float, title: str, svg_id: str) -> str:
    """One drawing of ``data`` (from ``timeline_data``), ``width`` units wide; ``svg_id`` unique on the page."""
    first, last = _day(data["first_day"]), _day(data["last_day"])
    frame = Frame(width, first, (last - first).days + 1)
    max_label = 260.0 if width >= WIDE else 170.0
    paused = f"url(#{attr(svg_id)}-paused)"
    used = {"asof"}
    body: list[str] = []
    y = HEADER + 8
    y += _heading(body, frame, y, "Case events")
    y += _events(body, frame, y, data, max_label) + 8
    for o in data["obligations"]:
        y += _heading(body, frame, y, _lane_name(o, data), o["status"])
        work = o["deadline"]
        band = CELL_H
        if work is not None:
            _cells(body, frame, y, work, paused)
            used.add("cells")
        else:  # no clock: the evaluator's reason in a band, under the row where the clock's start is flagged
            note = wrap(_note(o), FONT, frame.width - 2 * MARGIN - 8)
            top = CELL_H + 4 if o["triggered_at"] and o["status"] != "not_applicable" else 0
            band = max(CELL_H, top + len(note) * LINE + 6)
            body.append(f'<rect x="{MARGIN}" y="{y:.1f}" width="{frame.width - 2 * MARGIN:.1f}" height="{band:.1f}" '
                        f'fill="{NO_CLOCK}"/>')
            spans = "".join(f'<tspan x="{MARGIN + 4}" dy="{0 if i == 0 else LINE:.0f}">{xml(line)}</tspan>'
                            for i, line in enumerate(note))
            body.append(f'<text x="{MARGIN + 4}" y="{y + top + 4 + FONT * ASCENT:.1f}" class="cr-note">{spans}</text>')
        labels = _markers(body, frame, y, o, used)
        y += band - CELL_H
        placed = lay_out(labels, MARGIN, frame.width - MARGIN, max_label)
        y += CELL_H + 4 + draw_labels(body, placed, y + CELL_H + 4, y + CELL_H) + 10
    y += _holidays(body, frame, y, data, max_label)
    as_of_x = frame.x_at(data["as_of"])
    body.append(f'<line x1="{as_of_x:.1f}" y1="2" x2="{as_of_x:.1f}" y2="{y + 2:.1f}" stroke="#6d28d9" '
                f'stroke-width="1.5" stroke-dasharray="5 3"><title>{xml("As of " + moment_text(data["as_of"]))}'
                '</title></line>')
    as_of = Label(as_of_x, "As of " + moment_text(data["as_of"]), "#6d28d9", css="cr-label cr-asof", bold=True)
    y += 4 + draw_labels(body, lay_out([as_of], MARGIN, frame.width - MARGIN, max_label), y + 4, None)
    legend, legend_height = flow(_legend(used, paused), MARGIN, frame.width - MARGIN, y + 8)
    height = y + 8 + legend_height + 4
    header_parts: list[str] = []
    header(header_parts, frame)
    variant = "wide" if width >= WIDE else "narrow"
    ident = attr(svg_id)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="cr-timeline cr-tl-{variant}" width="{width:.0f}" '
            f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
            f'aria-labelledby="{ident}-t {ident}-d"><title id="{ident}-t">{xml(title)}</title>'
            f'<desc id="{ident}-d">{xml(describe(data))}</desc>'
            f'<defs><pattern id="{ident}-paused" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fde68a"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#d97706" stroke-width="2"/></pattern></defs>'
            + "".join(header_parts) + "".join(body) + legend + "</svg>")


def timeline_html(data: dict[str, Any], *, title: str, svg_id: str) -> str:
    """Both drawings (wide, and narrow for phones), with the style that picks one; ready to put in a page."""
    return (f'<div class="cr-tl"><style>{CSS}</style>'
            + timeline_svg(data, width=WIDE, title=title, svg_id=svg_id + "-w")
            + timeline_svg(data, width=NARROW, title=title, svg_id=svg_id + "-n") + "</div>")


def describe(data: dict[str, Any]) -> str:
    """The picture in words, for a screen reader."""
    parts = [f"Case received {moment_text(data['received_at'])}."]
    for o in data["obligations"]:
        text = f"{_lane_name(o, data)}: {STATUS_WORDS.get(o['status'], o['status']).lower()}."
        work = o["deadline"]
        if work is not None:
            text += (f" Clock starts {moment_text(work['clock_start'])}; due by the end of "
                     f"{format_date(_day(work['due_date']))}.")
            holidays = [f"{format_date(_day(k))} ({r})" for k, r in work["not_counted"].items()
                        if _day(k).weekday() < 5]
            if holidays:
                text += " Not counted: " + "; ".join(holidays) + "."
        if o["satisfied_at"]:
            text += f" Met {moment_text(o['satisfied_at'])}."
        parts.append(text)
    parts.append(f"As of {moment_text(data['as_of'])}.")
    return " ".join(parts)
