"""Where days fall across a timeline picture, and the header of months and days above it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..caseview import LONDON
from .layout import xml
from .textwidth import text_width

MARGIN = 8.0  # units left and right of the days
HEADER = 44.0  # units taken by the header


def london(moment: str) -> dt.datetime:
    """An ISO timestamp (with its offset) as London time."""
    return dt.datetime.fromisoformat(moment).astimezone(LONDON)


@dataclass
class Frame:
    """Where days fall across the picture."""

    width: float
    first: dt.date
    days: int

    @property
    def cell(self) -> float:
        return (self.width - 2 * MARGIN) / self.days

    @property
    def compact(self) -> bool:
        """Too many days to draw one by one: counting periods become bars."""
        return self.cell < 4

    def x(self, day: dt.date) -> float:
        return MARGIN + (day - self.first).days * self.cell

    def x_at(self, moment: str) -> float:
        local = london(moment)
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        return self.x(local.date()) + self.cell * seconds / 86400

    def dates(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=i) for i in range(self.days)]


def header(parts: list[str], frame: Frame) -> None:
    """Month names, then day numbers (every day, or Mondays when days are narrow), then weekday letters."""
    dates = frame.dates()
    starts = [d for d in dates if d == dates[0] or d.day == 1]
    for i, day in enumerate(starts):
        x = frame.x(day)
        end = frame.x(starts[i + 1]) if i + 1 < len(starts) else frame.width - MARGIN
        for text in (day.strftime("%B %Y"), day.strftime("%b %Y"), day.strftime("%b")):
            if text_width(text, 12, bold=True) + 6 <= end - x:
                parts.append(f'<text x="{x + 2:.1f}" y="12" class="cr-month">{xml(text)}</text>')
                break
        if i:
            parts.append(f'<line x1="{x:.1f}" y1="2" x2="{x:.1f}" y2="{HEADER:.1f}" stroke="#9ca3af"/>')
        if frame.compact and (i == 0 or day.month == 1) and text_width("2026", 10) + 6 <= end - x:
            parts.append(f'<text x="{x + 2:.1f}" y="27" class="cr-day">{day.year}</text>')  # the year, once a year
    if frame.compact:
        return
    every_day = frame.cell >= text_width("30", 10) + 3
    last_right = -1e9
    for day in dates:
        if not every_day and day.weekday() != 0:
            continue
        centre = frame.x(day) + frame.cell / 2
        text = str(day.day)
        width = text_width(text, 10)
        if centre - width / 2 < last_right + 3 or centre + width / 2 > frame.width:
            continue
        last_right = centre + width / 2
        weekend = ' fill="#9ca3af"' if day.weekday() >= 5 else ""
        parts.append(f'<text x="{centre:.1f}" y="27" text-anchor="middle" class="cr-day"{weekend}>{text}</text>')
        if not every_day:
            parts.append(f'<line x1="{frame.x(day):.1f}" y1="30" x2="{frame.x(day):.1f}" y2="{HEADER:.1f}" '
                         'stroke="#d1d5db"/>')
    if frame.cell >= 12:
        for day in dates:
            centre = frame.x(day) + frame.cell / 2
            weekend = ' fill="#9ca3af"' if day.weekday() >= 5 else ""
            parts.append(f'<text x="{centre:.1f}" y="40" text-anchor="middle" class="cr-weekday"{weekend}>'
                         f'{"MTWTFSS"[day.weekday()]}</text>')
