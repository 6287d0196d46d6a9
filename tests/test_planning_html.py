"""The work-queue and rule-book-comparison pages in headless Chromium, at 1280 px and at 390 px (a phone):
no request leaves the file, no text leaves the page or its box, no two pieces of text overlap (bounding boxes),
and nothing is smaller than 11 px. The screenshots are kept in the test's temporary folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest
from typer.testing import CliRunner

from charter_rules.cli import app
from charter_rules.rulebook import DEFAULT_RULES_DIR

from .conftest import REPO
from .test_compare import CASES, shorter_rules

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
WIDTHS = (1280, 390)
runner = CliRunner()

LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1)
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const text = node.textContent.trim();
    if (!text) continue;
    let block = node.parentElement;
    while (block.parentElement && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    const outer = block.getBoundingClientRect();
    const size = parseFloat(getComputedStyle(node.parentElement).fontSize);
    if (size < 11) problems.push(`text smaller than 11px (${size}): "${text.slice(0, 40)}"`);
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width < 1 || r.height < 1) continue;
      if (r.left < -1 || r.right > width + 1)
        problems.push(`text outside the page (${Math.round(r.left)}-${Math.round(r.right)}): "${text.slice(0, 40)}"`);
      if (r.left < outer.left - 1 || r.right > outer.right + 1)
        problems.push(`text overflows its ${block.tagName.toLowerCase()}: "${text.slice(0, 40)}"`);
      boxes.push([r, text.slice(0, 40)]);
    }
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, ta] = boxes[i], [b, tb] = boxes[j];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 2 && h > 2) problems.push(`"${ta}" overlaps "${tb}"`);
    }
  }
  return problems;
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium); .ci/run installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the test extra)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _queue_page(folder: Path) -> Path:
    out = folder / "queue.html"
    done = runner.invoke(app, ["queue", str(REPO / "tests" / "data" / "queue-export.jsonl"), "--as-of",
                               "2026-05-20T12:00:00+01:00", "--group-by", "team", "--format", "html", "-o", str(out)])
    assert done.exit_code == 0, done.output
    return out


def _compare_page(folder: Path) -> Path:
    import json

    export = folder / "export.jsonl"
    export.write_text("".join(json.dumps(c) + "\n" for c in CASES))
    out = folder / "compare.html"
    done = runner.invoke(app, ["compare", "--rules", str(DEFAULT_RULES_DIR), "--rules",
                               str(shorter_rules(folder / "proposed")), str(export), "--as-of",
                               "2026-05-20T12:00:00+01:00", "--format", "html", "-o", str(out)])
    assert done.exit_code == 0, done.output
    return out


@pytest.mark.parametrize("make", [_queue_page, _compare_page], ids=["queue", "compare"])
@pytest.mark.parametrize("width", WIDTHS)
def test_page_is_legible_in_chromium(browser: Any, tmp_path: Path, make: Any, width: int):
    page_file = make(tmp_path)
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    outside: list[str] = []

    def guard(route: Any) -> None:
        if route.request.url == page_file.as_uri():
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    tab.route("**/*", guard)
    try:
        tab.goto(page_file.as_uri())
        shot = tmp_path / f"{page_file.stem}-{width}.png"
        tab.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 5000
        problems = tab.evaluate(LAYOUT_PROBLEMS)
        assert tab.locator("h1").count() == 1 and tab.locator("table").count() >= 1
    finally:
        context.close()
    assert not outside, f"the page asked for something outside itself: {outside}"
    assert problems == []
