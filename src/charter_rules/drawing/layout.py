"""Placing text in a picture so that no two pieces overlap and none leaves the picture.

Labels hang under a track (a row of day cells or a line of event markers), each tied to its marker by a leader line.
``lay_out`` gives every label a row by its estimated width (``textwidth``): a label takes the first row where it
collides with no other label and where no label above it would cover its leader line. A label wider than the room
is wrapped at spaces; one near an edge is slid inside the picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from ..textsafe import xml_chars
from .textwidth import text_width, wrap

FONT = 11.0  # px: labels
LINE = 14.0  # px between the baselines of two rows of labels (DejaVu Sans at 11 px is 12.8 px from top to bottom)
ASCENT = 0.93  # of the font size: from the baseline to the top of the tallest letter
GAP = 5.0  # px kept clear between two labels on one row


def xml(text: object) -> str:
    """Untrusted text made safe as SVG element content (what XML cannot carry shown as a visible escape)."""
    return escape(xml_chars(text), quote=False)


def attr(text: object) -> str:
    """Untrusted text made safe inside a double-quoted attribute."""
    return escape(" ".join(xml_chars(text).split()), quote=True)


@dataclass
class Label:
    """A piece of text tied to a marker at ``x``."""

    x: float
    text: str
    colour: str = "#111827"
    tooltip: str | None = None
    css: str = "cr-label"
    lines: list[str] = field(default_factory=list)
    width: float = 0.0
    leader: bool = True
    bold: bool = False

    def fit(self, max_width: float) -> None:
        self.lines = wrap(self.text, FONT, max_width, bold=self.bold)
        self.width = max(text_width(line, FONT, bold=self.bold) for line in self.lines)


@dataclass
class Placed:
    label: Label
    row: int
    left: float


@dataclass
class _Row:
    spans: list[tuple[float, float, bool]] = field(default_factory=list)  # (left, right, is text)

    def free(self, left: float, right: float, *, for_leader: bool) -> bool:
        """Nothing over [left, right]; a leader line may cross other leaders, but not text."""
        return all(right + GAP <= a or left - GAP >= b for a, b, text in self.spans if text or not for_leader)


def lay_out(labels: list[Label], low: float, high: float, max_width: float) -> list[Placed]:
    """Rows and left edges for ``labels`` so none overlap, none covers another's leader, all stay in [low, high]."""
    rows: list[_Row] = []
    placed: list[Placed] = []
    for label in sorted(labels, key=lambda item: item.x):
        label.fit(min(max_width, high - low))
        left = min(max(label.x - 2.0, low), high - label.width)
        left = max(left, low)
        right = left + label.width
        height = len(label.lines)
        row = _first_row(rows, label, left, right, leader=True)
        if row is None:  # text above covers the marker whatever the row: the label goes without a leader line
            label.leader = False
            row = _first_row(rows, label, left, right, leader=False)
        assert row is not None  # a row below every other label is always free
        for r in range(row, row + height):
            rows[r].spans.append((left, right, True))
        for r in range(row):
            rows[r].spans.append((label.x - 1.5, label.x + 1.5, False))
        placed.append(Placed(label, row, left))
    return placed


def _first_row(rows: list[_Row], label: Label, left: float, right: float, *, leader: bool) -> int | None:
    """The first row where the label's text is clear (and, with ``leader``, so is its leader line above it)."""
    height = len(label.lines)
    for row in range(len(rows) + 1):
        while len(rows) < row + height:
            rows.append(_Row())
        if not all(rows[r].free(left, right, for_leader=False) for r in range(row, row + height)):
            continue
        if not leader or all(rows[r].free(label.x - 1.5, label.x + 1.5, for_leader=True) for r in range(row)):
            return row
    return None


def draw_labels(parts: list[str], placed: list[Placed], top: float, leader_from: float | None) -> float:
    """Draw placed labels with rows starting at ``top``; return the height they take."""
    height = 0.0
    for item in placed:
        label = item.label
        baseline = top + item.row * LINE + FONT * ASCENT
        if leader_from is not None and label.leader:
            parts.append(f'<line x1="{label.x:.1f}" y1="{leader_from:.1f}" x2="{label.x:.1f}" '
                         f'y2="{baseline - FONT * ASCENT - 1:.1f}" stroke="{label.colour}" stroke-width="0.8" '
                         'stroke-dasharray="2 2"/>')
        tip = f"<title>{xml(label.tooltip)}</title>" if label.tooltip else ""
        spans = "".join(f'<tspan x="{item.left:.1f}" dy="{0 if i == 0 else LINE:.0f}">{xml(line)}</tspan>'
                        for i, line in enumerate(label.lines))
        parts.append(f'<text x="{item.left:.1f}" y="{baseline:.1f}" fill="{label.colour}" class="{label.css}">'
                     f'{tip}{spans}</text>')
        height = max(height, (item.row + len(label.lines)) * LINE)
    return height


def flow(items: list[tuple[str, str]], left: float, right: float, top: float) -> tuple[str, float]:
    """A legend: (12 x 12 shape, words) items side by side, wrapped onto new lines; returns (svg, height)."""
    out = []
    x, y = left, top
    for shape, words in items:
        width = 18 + text_width(words, FONT)
        if x > left and x + width > right:
            x, y = left, y + LINE + 4
        out.append(f'<g transform="translate({x:.1f} {y:.1f})">{shape}<text x="17" y="{FONT * ASCENT + 1:.1f}" '
                   f'class="cr-label">{xml(words)}</text></g>')
        x += width + 14
    return "".join(out), y - top + LINE + 2
