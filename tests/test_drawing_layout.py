"""Label layout without a browser: whatever the labels, none overlaps another, none leaves the picture, and none covers
another label's leader line (checked on the estimated boxes the layout works with; tests/test_timeline_pictures.py
checks the drawn boxes in Chromium)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from charter_rules.drawing.layout import GAP, Label, lay_out
from charter_rules.drawing.textwidth import text_width, wrap

WORDS = st.lists(st.sampled_from(["Due", "Mon", "13", "Apr", "(5 working days)", "Clock", "starts", "Suspect",
                                  "arrested,", "Thu", "Good", "Friday", "Easter", "Monday", "Victim", "updated"]),
                 min_size=1, max_size=8).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 360), WORDS), min_size=1, max_size=12), st.sampled_from([360.0, 720.0]))
def test_placed_labels_never_overlap_or_leave_the_picture(items: list[tuple[float, str]], width: float) -> None:
    labels = [Label(x, text) for x, text in items]
    placed = lay_out(labels, 8.0, width - 8.0, 170.0)
    boxes = []
    for item in placed:
        left, right = item.left, item.left + item.label.width
        assert 8.0 - 1e-6 <= left and (right <= width - 8.0 + 1e-6 or len(item.label.lines[0].split()) == 1)
        boxes.append((left, right, item.row, item.row + len(item.label.lines), item))
    for i, (l1, r1, top1, bottom1, a) in enumerate(boxes):
        for l2, r2, top2, bottom2, b in boxes[i + 1:]:
            if top1 < bottom2 and top2 < bottom1:  # share a row
                assert r1 + GAP <= l2 + 1e-6 or r2 + GAP <= l1 + 1e-6
        for l2, r2, top2, bottom2, b in boxes:
            if b is not a and a.label.leader and top2 < top1:  # a label above this one must not cover its leader
                assert not (l2 - GAP < a.label.x + 1.5 and a.label.x - 1.5 < r2 + GAP)


def test_wrap_keeps_no_break_spaces_and_fits_the_width() -> None:
    lines = wrap("Due Thu 30 Apr (40\u00a0working\u00a0days)", 11, 120)
    assert lines == ["Due Thu 30 Apr", "(40\u00a0working\u00a0days)"]
    assert all(text_width(line, 11) <= 120 for line in lines)
