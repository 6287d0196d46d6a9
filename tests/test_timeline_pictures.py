"""The timeline picture, measured in Chromium: every worked example in the rule book, and every bundled example case
as the HTML report of ``check --case`` draws it, on one local page, at a desktop docs column (688 px in a 1280 px
window) and on a phone (390 px). No text leaves its picture, no two texts
overlap, the text is big enough to read, and on a phone the clock's start and the deadline are in view.

Set CHARTER_TIMELINE_SCREENSHOTS to a folder to keep screenshots of the page at both widths.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

import charter_rules
from charter_rules.check.case_timeline import case_timeline
from charter_rules.docgen.worked import run_example
from charter_rules.drawing.timeline import timeline_html
from charter_rules.timeline_data import timeline_data

CHROMIUM = "/usr/bin/chromium"
SHOTS_ENV = "CHARTER_TIMELINE_SCREENSHOTS"
EXAMPLE_CASES = Path(__file__).parents[1] / "examples" / "cases"
WIDTHS = {"desktop": (1280, 688), "phone": (390, 358)}  # window, and the column the picture sits in

# every text element of every shown picture: its box, and its picture's box (both in CSS pixels)
MEASURE = """() => {
  const out = [];
  document.querySelectorAll('svg.cr-timeline').forEach((svg, index) => {
    if (getComputedStyle(svg).display === 'none') return;
    const box = svg.getBoundingClientRect();
    const scale = box.width / svg.viewBox.baseVal.width;
    const texts = [];
    svg.querySelectorAll('text').forEach(t => {
      const r = t.getBoundingClientRect();
      if (r.width === 0) return;
      texts.push({text: t.textContent, cls: t.getAttribute('class') || '', left: r.left, right: r.right,
                   top: r.top, bottom: r.bottom,
                   size: parseFloat(getComputedStyle(t).fontSize) * scale});
    });
    const marks = [];
    svg.querySelectorAll('.cr-mark').forEach(m => {
      const r = m.getBoundingClientRect();
      marks.push({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
    });
    out.push({id: svg.closest('section').id, left: box.left, right: box.right, top: box.top, bottom: box.bottom,
              texts, marks});
  });
  return out;
}"""


def _cases(book: charter_rules.CompiledRulebook) -> list[tuple[str, str]]:
    """(section id, picture HTML) for every bundled example case, drawn as ``check --case`` draws it: every obligation
    that started, one lane each."""
    sections = []
    for path in sorted(EXAMPLE_CASES.glob("*.json")):
        snapshot = charter_rules.parse_snapshot(json.loads(path.read_text(encoding="utf-8")), book)
        expected = json.loads((EXAMPLE_CASES.parent / "expected" / path.name).read_text(encoding="utf-8"))
        evaluation = charter_rules.evaluate(book, snapshot, as_of=dt.datetime.fromisoformat(expected["as_of"]))
        timeline = case_timeline(book, snapshot, evaluation, path.name, None)
        sections.append((f"case-{path.stem}", timeline_html(timeline, title=path.stem, svg_id=f"c-{path.stem}")))
    return sections


def _examples(book: charter_rules.CompiledRulebook) -> list[tuple[str, str]]:
    """(section id, picture HTML) for every worked example of every rule."""
    sections = []
    for rule in book.rules:
        for index, example in enumerate(rule.source.examples):
            worked = run_example(book, rule, index, example)
            assert worked.case is not None, f"{rule.id} example {index + 1}: {worked.error}"
            data = timeline_data(book, worked.case, worked.obligations)
            ident = f"{rule.id}-{index + 1}"
            sections.append((ident, timeline_html(data, title=example.name, svg_id=f"tl-{ident}")))
    return sections


@pytest.fixture(scope="module")
def page_file(book: charter_rules.CompiledRulebook, tmp_path_factory: pytest.TempPathFactory) -> Path:
    body = "".join(f'<section id="{ident}"><h3>{ident}</h3><div class="cr-timeline-wrap">{html}</div></section>'
                   for ident, html in _examples(book) + _cases(book))
    page = tmp_path_factory.mktemp("timelines") / "timelines.html"
    site_css = (Path(__file__).parents[1] / "docs" / "assets" / "site.css").read_text(encoding="utf-8")
    page.write_text("<!DOCTYPE html><html><head><meta charset=utf-8>"
                    "<meta name=viewport content='width=device-width, initial-scale=1'>"
                    f"<style>{site_css}</style><style>body{{margin:0 16px}}main{{max-width:688px}}</style></head>"
                    f"<body><main>{body}</main></body></html>", encoding="utf-8")
    return page


@pytest.fixture(scope="module")
def measured(page_file: Path) -> Iterator[dict[str, list[dict[str, Any]]]]:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the test extra)")
    results = {}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM)
                                             else shutil.which("chromium"), args=["--headless", "--no-sandbox"])
        try:
            for name, (window, _) in WIDTHS.items():
                tab = browser.new_page(viewport={"width": window, "height": 900})
                tab.goto(page_file.as_uri())
                results[name] = tab.evaluate(MEASURE)
                shots = os.environ.get(SHOTS_ENV)
                if shots:
                    Path(shots).mkdir(parents=True, exist_ok=True)
                    tab.screenshot(path=str(Path(shots) / f"timelines-{name}.png"), full_page=True)
                tab.close()
        finally:
            browser.close()
    yield results


def _overlap(a: dict[str, float], b: dict[str, float], slack: float = 0.5) -> bool:
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]) > slack
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > slack)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_example_is_drawn_once_and_fits_its_column(measured: dict[str, Any], book: Any, width: str) -> None:
    pictures = measured[width]
    examples = sum(len(rule.source.examples) for rule in book.rules)
    assert len(pictures) == examples + len(list(EXAMPLE_CASES.glob("*.json")))
    column = WIDTHS[width][1]
    for picture in pictures:
        assert picture["right"] - picture["left"] <= column + 0.5, picture["id"]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_text_leaves_its_picture_or_overlaps_another(measured: dict[str, Any], width: str) -> None:
    problems = []
    for picture in measured[width]:
        texts = picture["texts"]
        for t in texts:
            if (t["left"] < picture["left"] - 0.5 or t["right"] > picture["right"] + 0.5
                    or t["top"] < picture["top"] - 0.5 or t["bottom"] > picture["bottom"] + 0.5):
                problems.append(f"{picture['id']}: '{t['text']}' leaves the picture")
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                if _overlap(a, b):
                    problems.append(f"{picture['id']}: '{a['text']}' overlaps '{b['text']}'")
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_text_lies_under_a_flag_or_a_met_mark(measured: dict[str, Any], width: str) -> None:
    # a day's number in its cell may sit under the mark placed on that day (the deadline label repeats the count);
    # every other text (notes, labels, dates) must stay clear of the flags and the met marks
    problems = [f"{picture['id']}: '{t['text'][:40]}' lies under a mark" for picture in measured[width]
                for t in picture["texts"] if "cr-count" not in t["cls"]
                for mark in picture["marks"] if _overlap(t, mark)]
    assert sum(len(p["marks"]) for p in measured[width]) > 100  # the flags and met marks are measured
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("width", list(WIDTHS))
def test_text_is_big_enough_to_read(measured: dict[str, Any], width: str) -> None:
    small = [f"{p['id']}: '{t['text']}' at {t['size']:.1f} px" for p in measured[width] for t in p["texts"]
             if t["size"] < 8.5]
    assert not small, "\n".join(small[:20])


def test_on_a_phone_the_clock_start_and_the_deadline_are_in_view(measured: dict[str, Any], book: Any) -> None:
    by_id = {p["id"]: p for p in measured["phone"]}
    for rule in book.rules:
        for index, example in enumerate(rule.source.examples):
            worked = run_example(book, rule, index, example)
            picture = by_id[f"{rule.id}-{index + 1}"]
            words = " ".join(t["text"] for t in picture["texts"])
            for o in worked.obligations:
                if o.triggered_at is not None and o.status.value != "not_applicable":
                    assert "Clock starts" in words, picture["id"]
                if o.deadline is not None:
                    assert "Due " in words, picture["id"]
