"""Draw an evaluated worked example as an inline SVG timeline.

One column per day (London dates). A row for the case's events, then one row per obligation: the days counted are
numbered 1, 2, 3 ... exactly as the evaluator counted them (taken from its ``DeadlineWork``: the days it skipped, and
why), days not counted are grey or, where the clock was stopped, striped, and markers show when the clock started,
the deadline (the end of the due day), the event that met it and the moment the example is evaluated at. Bank
holidays are named under the chart and every shaded day has a tooltip with its reason.

Every string from a rule or case file is escaped. The SVG uses no external font, image or script.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable

from ..calendars import Calendar, format_date
from ..caseview import LONDON, CaseView
from ..compiler import CompiledRulebook
from ..deadlines import unit_text
from ..obligation import STATUS_MEANINGS, DeadlineWork, Obligation, Status
from ._text import attr, holiday_short_name, moment_text, short_date, xml

ONE_DAY = dt.timedelta(days=1)
LEFT, RIGHT, TOP = 104, 14, 46
CELL_H, ROW_H, CHAR_W = 22, 14, 6.3
TARGET_WIDTH, MIN_CELL, LONG_SPAN = 680, 13, 100
STATUS_COLOURS = {
    Status.DUE: "#1d4ed8", Status.AT_RISK: "#b45309", Status.OVERDUE: "#b91c1c", Status.SATISFIED: "#15803d",
    Status.SATISFIED_LATE: "#c2410c", Status.WAIVED: "#4b5563", Status.PAUSED: "#b45309",
    Status.NOT_APPLICABLE: "#4b5563", Status.INDETERMINATE: "#7c3aed",
}
STATUS_LABELS = {s: s.value.replace("_", " ").capitalize() for s in Status}
COUNTED, NON_WORKING, IN_PERIOD = "#dbeafe", "#d1d5db", "#eef2ff"
STYLE = (
    "<style>.cr-timeline text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:11px}"
    ".cr-timeline .cr-month{font-weight:600;font-size:12px}.cr-timeline .cr-day{fill:#374151}"
    ".cr-timeline .cr-weekday{fill:#6b7280;font-size:9px}.cr-timeline .cr-weekend{fill:#9ca3af}"
    ".cr-timeline .cr-count{fill:#1e3a8a;font-size:10px;font-weight:600}"
    ".cr-timeline .cr-lane{font-weight:600;fill:#111827}.cr-timeline .cr-status{font-weight:600}"
    ".cr-timeline .cr-asof{fill:#6d28d9;font-weight:600}.cr-timeline .cr-note{fill:#374151;font-style:italic}"
    ".cr-timeline .cr-small{font-size:8.5px;letter-spacing:-0.3px}</style>"
)


@dataclass
class Label:
    x: float
    text: str
    colour: str = "#111827"
    tooltip: str | None = None

    @property
    def width(self) -> float:
        return len(self.text) * CHAR_W + 6


@dataclass
class Geometry:
    start: dt.date
    days: int
    cell: float

    @property
    def width(self) -> float:
        return LEFT + self.days * self.cell + RIGHT

    @property
    def compact(self) -> bool:
        return self.cell < 6

    def day_label(self, day: dt.date) -> str:
        """``Fri 3 Apr``; with the year when the picture spans many months."""
        return format_date(day) if self.compact else short_date(day)

    def x(self, day: dt.date) -> float:
        return LEFT + (day - self.start).days * self.cell

    def x_moment(self, moment: dt.datetime) -> float:
        local = moment.astimezone(LONDON)
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        return self.x(local.date()) + self.cell * seconds / 86400

    def dates(self) -> Iterable[dt.date]:
        for offset in range(self.days):
            yield self.start + dt.timedelta(days=offset)


@dataclass
class _Svg:
    parts: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.parts.append(text)


def _local(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()


def _place(labels: list[Label], right_edge: float) -> list[tuple[Label, int, str]]:
    """Give each label a row so none overlap; a label near the right edge is right-aligned to its marker."""
    rows: list[list[tuple[float, float]]] = []
    placed = []
    for label in sorted(labels, key=lambda item: item.x):
        anchor = "start"
        left, right = label.x - 3, label.x + label.width
        if right > right_edge:
            anchor, left, right = "end", label.x - label.width, label.x + 3
        for index, row in enumerate(rows):
            if all(right < a or left > b for a, b in row):
                row.append((left, right))
                placed.append((label, index, anchor))
                break
        else:
            rows.append([(left, right)])
            placed.append((label, len(rows) - 1, anchor))
    return placed


def _labels(svg: _Svg, labels: list[Label], y_top: float, line_from: float, right_edge: float) -> float:
    """Draw labels in rows under ``y_top`` with a leader line up to ``line_from``; return the height used."""
    placed = _place(labels, right_edge)
    height = 0.0
    for label, row, anchor in placed:
        y = y_top + (row + 1) * ROW_H
        svg.add(f'<line x1="{label.x:.1f}" y1="{line_from:.1f}" x2="{label.x:.1f}" y2="{y - 10:.1f}" '
                f'stroke="{label.colour}" stroke-width="0.8" stroke-dasharray="2 2"/>')
        tip = f"<title>{xml(label.tooltip)}</title>" if label.tooltip else ""
        svg.add(f'<text x="{label.x + (2 if anchor == "start" else -2):.1f}" y="{y:.1f}" text-anchor="{anchor}" '
                f'fill="{label.colour}" class="cr-label">{tip}{xml(label.text)}</text>')
        height = max(height, (row + 1) * ROW_H + 4)
    return height


def counted_days(work: DeadlineWork) -> tuple[dict[dt.date, int], dict[dt.date, str]]:
    """Day numbers as the evaluator counted them, and the days it did not count with the reason for each."""
    skipped = {s.date: s.reason for s in work.skipped}
    numbers: dict[dt.date, int] = {}
    if work.unit not in ("working_days", "calendar_days"):
        return numbers, skipped
    start = _local(work.clock_start)
    day = start + (ONE_DAY if work.day_one_rule == "day_after_trigger" else dt.timedelta())
    count = 0
    while day <= work.due_date and count < work.count:
        if day not in skipped:
            count += 1
            numbers[day] = count
        day += ONE_DAY
    if work.unit == "working_days" and (count != work.count or (numbers and max(numbers) != work.due_date)):
        return {}, skipped  # never show numbers that disagree with the evaluator's due date
    return numbers, skipped


def _range(case: CaseView, obligations: list[Obligation]) -> tuple[dt.date, dt.date]:
    days = [case.received_date, case.as_of_date]
    days.extend(o.date for o in case.events)
    for obligation in obligations:
        for moment in (obligation.triggered_at, obligation.satisfied_at):
            if moment is not None:
                days.append(_local(moment))
        if obligation.deadline is not None:
            days.extend([_local(obligation.deadline.clock_start), obligation.deadline.due_date])
    return min(days) - ONE_DAY, max(days) + ONE_DAY


def _header(svg: _Svg, geo: Geometry, bottom: float) -> None:
    month_start = None
    for day in geo.dates():
        x = geo.x(day)
        if month_start is None or day.day == 1:
            # the first month's name only if there is room before the next month begins
            room = (_days_in_month(day) - day.day + 1) * geo.cell
            label = day.strftime("%B %Y")
            if geo.compact:  # one short name a month, and the year under January and the first month
                label = day.strftime("%b") if room >= 20 else ""
                if month_start is None or day.month == 1:
                    svg.add(f'<text x="{x + 2:.1f}" y="27" class="cr-day">{day.year}</text>')
            elif day.day != 1 and room < len(label) * 7.5:
                label = day.strftime("%b") if room >= 28 else ""
            if label:
                svg.add(f'<text x="{x + 2:.1f}" y="12" class="cr-month">{xml(label)}</text>')
            if month_start is not None:
                svg.add(f'<line x1="{x:.1f}" y1="2" x2="{x:.1f}" y2="{bottom:.1f}" stroke="#9ca3af" stroke-width="1"/>')
            month_start = day
        if geo.cell >= 12:
            weekend = day.weekday() >= 5
            small = " cr-small" if geo.cell < 17 and day.day >= 10 else ""
            svg.add(f'<text x="{x + geo.cell / 2:.1f}" y="27" text-anchor="middle" class="cr-day{small}'
                    f'{" cr-weekend" if weekend else ""}">{day.day}</text>')
            svg.add(f'<text x="{x + geo.cell / 2:.1f}" y="39" text-anchor="middle" class="cr-weekday'
                    f'{" cr-weekend" if weekend else ""}">{"MTWTFSS"[day.weekday()]}</text>')


def _days_in_month(day: dt.date) -> int:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (following - dt.timedelta(days=1)).day


def _lane_cells(svg: _Svg, geo: Geometry, y: float, obligation: Obligation, calendar: Calendar, paused: str) -> None:
    work = obligation.deadline
    numbers, skipped = counted_days(work) if work is not None else ({}, {})
    period: tuple[dt.date, dt.date] | None = None
    if work is not None:
        first = _local(work.clock_start) + (ONE_DAY if work.day_one_rule == "day_after_trigger" else dt.timedelta())
        period = (_local(work.clock_start) if work.unit == "hours" else first, work.due_date)
    if work is None:  # nothing is counted: a plain band carries the note
        svg.add(f'<rect x="{LEFT}" y="{y:.1f}" width="{geo.days * geo.cell:.1f}" height="{CELL_H}" fill="#f3f4f6"/>')
        return
    if geo.compact:  # too long to draw day by day: the counting period as one bar, stopped stretches striped
        svg.add(f'<rect x="{LEFT}" y="{y + CELL_H / 2 - 2:.1f}" width="{geo.days * geo.cell:.1f}" height="4" '
                f'fill="#e5e7eb"/>')
        left, right = geo.x(period[0]), geo.x(period[1]) + geo.cell  # type: ignore[index]
        svg.add(f'<rect x="{left:.1f}" y="{y:.1f}" width="{max(right - left, 2):.1f}" height="{CELL_H}" '
                f'fill="{COUNTED}"><title>{xml("Counted from " + format_date(period[0]) + " to " + format_date(period[1]))}'  # type: ignore[index]
                f'</title></rect>')
        for pause in work.pauses:
            end = pause.end or _local(work.breach_at)
            svg.add(f'<rect x="{geo.x(pause.start):.1f}" y="{y:.1f}" width="{max(geo.x(end) + geo.cell - geo.x(pause.start), 2):.1f}" '
                    f'height="{CELL_H}" fill="{paused}"><title>{xml("Clock stopped: " + pause.reason)}</title></rect>')
        return
    for day in geo.dates():
        x = geo.x(day)
        reason = skipped.get(day) or calendar.non_working_reason(day)
        inside = period is not None and period[0] <= day <= period[1]
        if day in skipped and skipped[day] == "clock paused":
            fill, tip = paused, f"{format_date(day)}: not counted, the clock was stopped"
        elif inside and day in numbers:
            fill, tip = COUNTED, f"{format_date(day)}: day {numbers[day]} of {work.count}"  # type: ignore[union-attr]
        elif reason is not None:
            fill = NON_WORKING
            tip = f"{format_date(day)}: not counted, {reason}" if inside else f"{format_date(day)}: {reason}"
        elif inside:
            fill, tip = IN_PERIOD, f"{format_date(day)}"
        else:
            fill, tip = "#ffffff", format_date(day)
        opacity = "" if inside or fill == paused else ' fill-opacity="0.55"'
        svg.add(f'<rect x="{x:.1f}" y="{y:.1f}" width="{geo.cell:.1f}" height="{CELL_H}" fill="{fill}"{opacity} '
                f'stroke="#ffffff" stroke-width="1"><title>{xml(tip)}</title></rect>')
        if day in numbers and geo.cell >= 11:
            svg.add(f'<text x="{x + geo.cell / 2:.1f}" y="{y + 15:.1f}" text-anchor="middle" class="cr-count">'
                    f'{numbers[day]}</text>')


def _lane_markers(svg: _Svg, geo: Geometry, y: float, obligation: Obligation, titles: dict[str, str]) -> list[Label]:
    labels: list[Label] = []
    short_date = geo.day_label
    work = obligation.deadline
    mid = y + CELL_H / 2
    if obligation.triggered_at is not None:
        x = geo.x_moment(obligation.triggered_at)
        svg.add(f'<path d="M{x:.1f} {y - 2:.1f} v{CELL_H + 4} M{x:.1f} {y - 2:.1f} l9 4 l-9 4 z" fill="#111827" '
                f'stroke="#111827" stroke-width="1.5"/>')
        labels.append(Label(x, f"Clock starts {short_date(_local(obligation.triggered_at))}", "#111827",
                            f"Started {moment_text(obligation.triggered_at)}"))
    if work is not None:
        if obligation.triggered_at is None or work.clock_start != obligation.triggered_at:
            x = geo.x_moment(work.clock_start)
            svg.add(f'<path d="M{x:.1f} {y - 2:.1f} v{CELL_H + 4} M{x:.1f} {y - 2:.1f} l9 4 l-9 4 z" fill="#111827" '
                    f'stroke="#111827" stroke-width="1.5"/>')
            labels.append(Label(x, f"Clock restarts {short_date(_local(work.clock_start))}", "#111827",
                                work.clock_start_reason))
        for pause in work.pauses:
            x = geo.x(pause.start)
            end = f" to {short_date(pause.end)}" if pause.end else ""
            labels.append(Label(x + geo.cell / 2, f"Clock stopped {short_date(pause.start)}{end}", "#92400e",
                                pause.reason))
        due_x = geo.x_moment(work.breach_at)
        svg.add(f'<line x1="{due_x:.1f}" y1="{y - 6:.1f}" x2="{due_x:.1f}" y2="{y + CELL_H + 6:.1f}" '
                f'stroke="#b91c1c" stroke-width="3"><title>{xml("Due by the end of " + format_date(work.due_date))}'
                f'</title></line>')
        length = unit_text(work.count, work.unit)
        labels.append(Label(due_x, f"Due {short_date(work.due_date)} ({length})", "#b91c1c",
                            f"Late from {moment_text(work.breach_at)}"))
    if obligation.satisfied_at is not None:
        x = geo.x_moment(obligation.satisfied_at)
        late = obligation.status is Status.SATISFIED_LATE
        colour = STATUS_COLOURS[obligation.status]
        svg.add(f'<circle cx="{x:.1f}" cy="{mid:.1f}" r="6" fill="{colour}" stroke="#ffffff" stroke-width="1.5"/>')
        svg.add(f'<path d="M{x - 3:.1f} {mid:.1f} l2 2.5 l4 -5" fill="none" stroke="#ffffff" stroke-width="1.6"/>')
        name = titles.get(obligation.satisfied_by or "", obligation.satisfied_by or "")
        labels.append(Label(x, f"Met{' late' if late else ''} {short_date(_local(obligation.satisfied_at))}", colour,
                            f"{name}, {moment_text(obligation.satisfied_at)}"))
    return labels


def timeline_svg(book: CompiledRulebook, case: CaseView, obligations: list[Obligation], *, title: str,
                 svg_id: str = "timeline") -> str:
    """The SVG (as a string) for one evaluated example; ``obligations`` are the ones to draw, one row each.

    ``svg_id`` must be unique on the page (it prefixes the ids the SVG's title and description are referred by).
    """
    vocabulary = book.rulebook.vocabulary
    start, end = _range(case, obligations)
    days = (end - start).days + 1
    fitted = (TARGET_WIDTH - LEFT - RIGHT) / days
    # a long span (a year-long complaint) is drawn to fit, without day-by-day cells
    geo = Geometry(start, days, fitted if days > LONG_SPAN else max(MIN_CELL, fitted))
    right_edge = geo.width - 4
    titles: dict[str, str] = {}
    for occurrence in case.events:
        spec = vocabulary.events.get(occurrence.type)
        titles.setdefault(occurrence.ref, spec.title if spec is not None else occurrence.type)
    calendars = [book.calendars[o.deadline.calendar] for o in obligations if o.deadline is not None]
    default_calendar = calendars[0] if calendars else next(iter(book.calendars.values()))

    body = _Svg()
    y = TOP + 6
    cells_bottom = y + CELL_H
    # the case's own events
    body.add(f'<text x="8" y="{y + 15:.1f}" class="cr-lane">Case events</text>')
    body.add(f'<line x1="{LEFT}" y1="{y + CELL_H / 2:.1f}" x2="{geo.width - RIGHT:.1f}" y2="{y + CELL_H / 2:.1f}" '
             f'stroke="#9ca3af" stroke-width="1"/>')
    event_labels = [Label(geo.x_moment(case.received_at), f"Received {geo.day_label(case.received_date)}", "#111827",
                          f"Case received {moment_text(case.received_at)}")]
    body.add(f'<rect x="{event_labels[0].x - 5:.1f}" y="{y + CELL_H / 2 - 5:.1f}" width="10" height="10" '
             f'fill="#111827" transform="rotate(45 {event_labels[0].x:.1f} {y + CELL_H / 2:.1f})"/>')
    for occurrence in case.events:
        x = geo.x_moment(occurrence.at)
        body.add(f'<circle cx="{x:.1f}" cy="{y + CELL_H / 2:.1f}" r="4.5" fill="#374151"><title>'
                 f'{xml(titles[occurrence.ref])} ({xml(occurrence.ref)}), {xml(moment_text(occurrence.at))}</title></circle>')
        event_labels.append(Label(x, f"{titles[occurrence.ref]} ({occurrence.ref})", "#374151",
                                  moment_text(occurrence.at)))
    y += CELL_H + _labels(body, event_labels, y + CELL_H - 2, y + CELL_H / 2, right_edge) + 8

    for obligation in obligations:
        calendar = book.calendars[obligation.deadline.calendar] if obligation.deadline else default_calendar
        status = obligation.status
        name = f"Obligation {obligation.instance}" if len(obligations) > 1 else "Obligation"
        if len({o.rule_id for o in obligations}) > 1:
            name = f"{obligation.rule_id} #{obligation.instance}"
        body.add(f'<text x="8" y="{y + 10:.1f}" class="cr-lane">{xml(name)}</text>')
        body.add(f'<text x="8" y="{y + 24:.1f}" class="cr-status" fill="{STATUS_COLOURS[status]}">'
                 f'<title>{xml(STATUS_MEANINGS[status])}</title>{xml(STATUS_LABELS[status])}</text>')
        _lane_cells(body, geo, y, obligation, calendar, f"url(#{attr(svg_id)}-paused)")
        labels = _lane_markers(body, geo, y, obligation, titles)
        if obligation.deadline is None:
            note = _no_deadline_note(obligation)
            start_x = geo.x_moment(obligation.triggered_at) + 14 if obligation.triggered_at else LEFT + 4
            body.add(f'<text x="{start_x:.1f}" y="{y + 15:.1f}" class="cr-note">{xml(note)}</text>')
        cells_bottom = y + CELL_H
        y += CELL_H + _labels(body, labels, y + CELL_H, y + CELL_H, right_edge) + 10

    # bank holidays in view, named
    holiday_labels: list[Label] = []
    seen: set[dt.date] = set()
    for calendar in [] if geo.compact else calendars or [default_calendar]:
        for day in geo.dates():
            reason = calendar.non_working_reason(day)
            if reason is None or day.weekday() >= 5 or day in seen:
                continue
            seen.add(day)
            holiday_labels.append(Label(geo.x(day) + geo.cell / 2, f"{holiday_short_name(reason)}, {short_date(day)}",
                                        "#4b5563", f"{format_date(day)}: {reason}"))
    if holiday_labels:
        body.add(f'<text x="8" y="{y + 12:.1f}" class="cr-lane">Bank holidays</text>')
        y += _labels(body, holiday_labels, y - 2, cells_bottom, right_edge) + 6

    # the as-of moment, across everything
    as_of_x = geo.x_moment(case.as_of)
    body.add(f'<line x1="{as_of_x:.1f}" y1="{TOP - 2}" x2="{as_of_x:.1f}" y2="{y + 2:.1f}" stroke="#6d28d9" '
             f'stroke-width="1.5" stroke-dasharray="5 3"><title>{xml("As of " + moment_text(case.as_of))}</title></line>')

    legend_y = y + 24
    legend = _legend(legend_y, f"url(#{attr(svg_id)}-paused)")
    height = legend_y + 26
    desc = _description(case, obligations, titles)
    width = geo.width
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="cr-timeline" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-labelledby="{attr(svg_id)}-t {attr(svg_id)}-d">'
            f'<title id="{attr(svg_id)}-t">{xml(title)}</title><desc id="{attr(svg_id)}-d">{xml(desc)}</desc>'
            f'{STYLE}<defs><pattern id="{attr(svg_id)}-paused" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fde68a"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#d97706" stroke-width="2"/></pattern></defs>')
    header = _Svg()
    _header(header, geo, y)
    as_of_text = f"As of {moment_text(case.as_of)}"
    as_of_y = y + 11
    as_of_label = f'<text x="{as_of_x + 3:.1f}" y="{as_of_y:.1f}" class="cr-asof">{xml(as_of_text)}</text>'
    if as_of_x + len(as_of_text) * CHAR_W + 8 > geo.width:
        as_of_label = (f'<text x="{as_of_x - 3:.1f}" y="{as_of_y:.1f}" class="cr-asof" text-anchor="end">'
                       f'{xml(as_of_text)}</text>')
    return head + "".join(header.parts) + "".join(body.parts) + as_of_label + legend + "</svg>"


def _no_deadline_note(obligation: Obligation) -> str:
    """What a row with no deadline says: the evaluator's first reason, cut to fit."""
    words = {Status.PAUSED: "Clock stopped", Status.WAIVED: "Not owed", Status.NOT_APPLICABLE: "No obligation",
             Status.INDETERMINATE: "Cannot be decided"}
    head = words.get(obligation.status, STATUS_LABELS[obligation.status])
    reason = obligation.reasons[0].text if obligation.reasons else ""
    text = f"{head}: {reason}" if reason else head
    return text if len(text) <= 90 else text[:87].rstrip() + "..."


def _legend(y: float, paused: str) -> str:
    items = [
        (f'<rect width="12" height="12" fill="{COUNTED}"/>', "day counted"),
        (f'<rect width="12" height="12" fill="{NON_WORKING}"/>', "weekend or bank holiday"),
        (f'<rect width="12" height="12" fill="{paused}"/>', "clock stopped"),
        ('<path d="M2 0 v12 M2 0 l8 3.5 l-8 3.5 z" fill="#111827" stroke="#111827"/>', "clock starts"),
        ('<rect x="4" width="3" height="12" fill="#b91c1c"/>', "deadline"),
        ('<circle cx="6" cy="6" r="5.5" fill="#15803d"/>', "met"),
        ('<line x1="6" y1="0" x2="6" y2="12" stroke="#6d28d9" stroke-width="1.5" stroke-dasharray="3 2"/>', "as of"),
    ]
    x = 8.0
    out = [f'<g class="cr-legend" transform="translate(0 {y:.1f})">']
    for shape, text in items:
        out.append(f'<g transform="translate({x:.1f} 0)">{shape}<text x="16" y="10" class="cr-label">{text}</text></g>')
        x += 22 + len(text) * CHAR_W
    out.append("</g>")
    return "".join(out)


def _description(case: CaseView, obligations: list[Obligation], titles: dict[str, str]) -> str:
    parts = [f"Case received {moment_text(case.received_at)}."]
    for obligation in obligations:
        work = obligation.deadline
        head = f"Obligation {obligation.instance}: {STATUS_LABELS[obligation.status].lower()}."
        if work is not None:
            head += f" Clock starts {moment_text(work.clock_start)}; due by the end of {format_date(work.due_date)}."
            holidays = [f"{format_date(s.date)} ({s.reason})" for s in work.skipped if s.date.weekday() < 5]
            if holidays:
                head += " Not counted: " + "; ".join(holidays) + "."
        if obligation.satisfied_at is not None:
            head += f" Met {moment_text(obligation.satisfied_at)}."
        parts.append(head)
    parts.append(f"As of {moment_text(case.as_of)}.")
    return " ".join(parts)

