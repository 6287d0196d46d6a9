"""Laying out a timeline picture: days to x positions, labels placed so they do not overlap, the calendar header.

Used by ``timeline_svg``; every string drawn is escaped here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable

from ..calendars import format_date
from ..caseview import LONDON
from ._text import short_date, xml

LEFT, RIGHT, TOP = 104, 14, 46
CELL_H, ROW_H, CHAR_W = 22, 14, 6.3


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
class SvgParts:
    parts: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.parts.append(text)


def local_date(moment: dt.datetime) -> dt.date:
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


def draw_labels(svg: SvgParts, labels: list[Label], y_top: float, line_from: float, right_edge: float) -> float:
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


def draw_header(svg: SvgParts, geo: Geometry, bottom: float) -> None:
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
