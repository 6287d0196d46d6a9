"""The built documentation site, checked as a reader meets it.

The site is built once (``mkdocs build --strict`` through ``charter-rules docs build``) into a temporary folder, or
taken from the folder named by CHARTER_DOCS_SITE when CI has just built it. Then Debian's Chromium, driven by
Playwright over a local web server on 127.0.0.1, opens it: a rule page shows its charter sentence and its timeline
pictures, every internal link on the home page and a rule page leads somewhere real, search finds a rule by a word
of its title, and no page asks for anything outside the site. Set CHARTER_DOCS_SCREENSHOTS to a folder to keep
screenshots of the pages visited.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import threading
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import quote, unquote, urldefrag, urlsplit

import pytest

import charter_rules

pytest.importorskip("mkdocs", reason="the docs extra is not installed (pip install -e '.[docs]')")

SITE_ENV = "CHARTER_DOCS_SITE"
SHOTS_ENV = "CHARTER_DOCS_SCREENSHOTS"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
ARREST = "vcop-arrest-notice"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get(SITE_ENV)
    if given:
        path = Path(given)
        assert (path / "index.html").is_file(), f"{SITE_ENV}={given} holds no built site"
        return path
    from charter_rules.docgen import build_site

    out = tmp_path_factory.mktemp("site")
    assert build_site(out, strict=True) == 0, "mkdocs build --strict failed: see its messages above"
    return out


# --- the files -----------------------------------------------------------------------------------------------------


def test_every_rule_has_a_page(site: Path, book: charter_rules.CompiledRulebook) -> None:
    for rule in book.rules:
        page = site / "rules" / f"{rule.id}.html"
        assert page.is_file(), f"no page for {rule.id}"
        assert rule.source.title.split()[0] in page.read_text(encoding="utf-8")
    for download in ("schemas/case-snapshot.schema.json", "schemas/rule.schema.json", "search/search_index.json"):
        assert (site / download).is_file(), download


_EXTERNAL = re.compile(
    r"""<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?//[^>]*>"""
    r"""|@import\s+(?:url\()?\s*["']?(?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//""",
    re.IGNORECASE,
)


def test_nothing_is_fetched_from_the_internet(site: Path) -> None:
    """No script, style sheet, font or image from elsewhere: the site works on an isolated network."""
    offending = []
    for path in list(site.rglob("*.html")) + list(site.rglob("*.css")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in _EXTERNAL.finditer(text):
            if "rel=\"canonical\"" in match.group(0) or "rel=canonical" in match.group(0):
                continue
            offending.append(f"{path.relative_to(site)}: {match.group(0)[:120]}")
    assert not offending, "\n".join(offending)
    assert "fonts.googleapis" not in (site / "index.html").read_text(encoding="utf-8")


# --- in the browser ------------------------------------------------------------------------------------------------


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class names it so
        pass


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium); .ci/run installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the test extra)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM)
                                              else shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture()
def page(browser: Any, server: str) -> Iterator[Any]:
    """A tab that refuses, and records, any request that leaves the local server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.outside = []  # type: ignore[attr-defined]

    def guard(route: Any) -> None:
        if route.request.url.startswith(server) or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            tab.outside.append(route.request.url)  # type: ignore[attr-defined]
            route.abort()

    tab.route("**/*", guard)
    yield tab
    outside = list(tab.outside)  # type: ignore[attr-defined]
    context.close()
    assert not outside, f"the page asked for something outside the site: {outside}"


def _heading(tab: Any) -> str:
    return str(tab.locator("h1").first.inner_text()).rstrip("¶").strip()


def _shot(tab: Any, name: str) -> None:
    folder = os.environ.get(SHOTS_ENV)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_rule_page_shows_the_charter_sentence_and_timelines(page: Any, server: str,
                                                           book: charter_rules.CompiledRulebook) -> None:
    rule = book.by_id[ARREST]
    page.goto(f"{server}rules/{ARREST}.html")
    assert _heading(page) == rule.source.title
    quote = page.locator("blockquote", has_text=rule.source.charter[0].quote).first
    assert quote.is_visible()
    timelines = page.locator("svg.cr-timeline.cr-tl-wide")  # each picture also has a narrow drawing for phones
    assert timelines.count() == len(rule.source.examples)
    assert page.locator("svg.cr-timeline.cr-tl-narrow").count() == len(rule.source.examples)
    assert not page.locator("svg.cr-timeline.cr-tl-narrow").first.is_visible()  # only on a narrow screen
    first = timelines.first
    first.scroll_into_view_if_needed()
    assert first.is_visible()
    box = first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    # the first example (arrest Thu 2 Apr 2026): Good Friday and Easter Monday are named, and day 5 is Mon 13 Apr
    shown = first.evaluate("svg => svg.textContent")
    assert "Good Friday, Fri 3 Apr" in shown
    assert "Due Mon 13 Apr" in shown
    _shot(page, "rule-page")


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)


def test_every_internal_link_leads_somewhere(page: Any, server: str, site: Path) -> None:
    """Follow each link on the home page and on a rule page; the target exists, and so does its #anchor. The links
    are read from the page as the browser shows it; each target is looked up in the built site the server serves
    (a file there is a page the server answers with 200)."""
    ids: dict[str, set[str]] = {}
    broken: list[str] = []
    checked = 0
    for start in ("index.html", f"rules/{ARREST}.html"):
        page.goto(server + start)
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        for href in dict.fromkeys(hrefs):
            if not href.startswith(server):
                assert href.startswith(("https://", "http://", "mailto:")), f"odd link on {start}: {href}"
                continue
            target, fragment = urldefrag(href)
            if target not in ids:
                relative = unquote(urlsplit(target).path).lstrip("/")
                file = site / relative if relative and not relative.endswith("/") else site / relative / "index.html"
                if not file.is_file():
                    broken.append(f"{start} -> {href}: no such page in the site")
                    ids[target] = set()
                    continue
                parser = _Ids()
                parser.feed(file.read_text(encoding="utf-8"))
                ids[target] = parser.ids
            checked += 1
            if fragment and fragment not in ids[target]:
                broken.append(f"{start} -> {href}: no #{fragment} on that page")
    assert checked > 20
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("word, rule_id", [("arrested", ARREST), ("Freedom", "foi-response")])
def test_search_finds_a_rule_by_a_word_of_its_title(page: Any, server: str, word: str, rule_id: str,
                                                   book: charter_rules.CompiledRulebook) -> None:
    assert word in book.by_id[rule_id].source.title
    hrefs = _search_hrefs(page, server, word, typed=True)
    assert hrefs, f"search for {word!r} showed no result"
    assert any(path.endswith(f"rules/{rule_id}.html") for path in hrefs), hrefs
    _shot(page, f"search-{word}")
    # and the result opens the page
    page.locator(f".md-search-result__item a[href*='{rule_id}.html']").first.click()
    page.wait_for_url(re.compile(rf".*rules/{re.escape(rule_id)}\.html.*"))
    assert _heading(page) == book.by_id[rule_id].source.title


def test_home_page_reaches_the_arrest_rule_in_one_click(page: Any, server: str) -> None:
    """A policy officer asking "what do we owe a victim after an arrest" finds it from the home page."""
    page.goto(server + "index.html")
    link = page.get_by_role("link", name="Tell the victim when a suspect is arrested").first
    assert link.is_visible()
    link.click()
    page.wait_for_url(re.compile(rf".*rules/{ARREST}\.html"))
    assert "What the charter says" in page.inner_text("article")
    _shot(page, "home-then-rule")



# --- the deadline calculator ---------------------------------------------------------------------------------------


def _random_inputs(book: charter_rules.CompiledRulebook, how_many: int, seed: int) -> list[dict[str, Any]]:
    import random

    rng = random.Random(seed)
    limits = {"working_days": 60, "calendar_days": 120, "calendar_months": 24, "hours": 2000}
    inputs = []
    for _ in range(how_many):
        day = f"{rng.randint(2012, 2028)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28 if rng.random() < 0.7 else 31):02d}"
        if rng.random() < 0.5:
            start = day
        else:
            offset = rng.choice(["Z", "+00:00", "+01:00", "-05:00", "+05:30"])
            start = f"{day}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00{offset}"
        unit = rng.choice(list(limits))
        inputs.append({"start": start, "count": rng.randint(0, limits[unit]), "unit": unit,
                       "calendar": rng.choice(list(book.calendars)),
                       "day_one": rng.choice(["day_after_trigger", "trigger_day"]),
                       "short_month": rng.choice(["last_day_of_month", "first_day_of_next_month"]),
                       "roll_forward": rng.random() < 0.5})
    return inputs


def _library_answer(book: charter_rules.CompiledRulebook, given: dict[str, Any]) -> dict[str, Any] | None:
    """What charter-rules deadline says (None where the start is not a real date, which it refuses too)."""
    import datetime as dt

    from charter_rules.arguments import moment_from
    from charter_rules.caseview import LONDON
    from charter_rules.deadlines import deadline_from

    try:
        if len(given["start"]) == 10:
            start = dt.datetime.combine(dt.date.fromisoformat(given["start"]), dt.time(12), tzinfo=LONDON)
        else:
            start = moment_from(given["start"])
    except (ValueError, charter_rules.ArgumentError):
        return None
    work = deadline_from(book.calendars[given["calendar"]], start, given["count"], given["unit"],
                         day_one=given["day_one"], short_month=given["short_month"],
                         roll_forward=given["roll_forward"])
    return {"due": work.due_date.isoformat(), "late_from": work.breach_at.timestamp(),
            "skipped": [[s.date.isoformat(), s.reason] for s in work.skipped],
            "adjustment": work.adjustment, "warnings": list(work.warnings)}


_IN_PAGE = """inputs => inputs.map(input => {
  try {
    const r = window.charterDeadline(input);
    return {due: r.due, late_from: r.lateFromMs / 1000, skipped: r.skipped.map(s => [s.date, s.reason]),
            adjustment: r.adjustment, warnings: r.warnings};
  } catch (error) { return {error: error.message}; }
})"""


def test_the_deadline_calculator_agrees_with_the_library_on_random_inputs(
        page: Any, server: str, book: charter_rules.CompiledRulebook) -> None:
    page.goto(f"{server}deadline-calculator.html")
    inputs = _random_inputs(book, 400, seed=12)
    answers = page.evaluate(_IN_PAGE, inputs)
    compared = 0
    for given, got in zip(inputs, answers):
        expected = _library_answer(book, given)
        if expected is None:
            assert "error" in got and "not a real" in got["error"], (given, got)
            continue
        assert got == expected, given
        compared += 1
    assert compared >= 350
    assert any(a.get("skipped") for a in answers) and any(a.get("adjustment") for a in answers)


def test_the_deadline_calculator_form_matches_the_command_line(page: Any, server: str) -> None:
    """Good Friday and Easter Monday 2026 skipped: 20 working days from Thu 26 Mar 2026 end on Mon 27 Apr."""
    from typer.testing import CliRunner

    from charter_rules.cli import app

    page.goto(f"{server}deadline-calculator.html")
    page.fill("input[name=start]", "2026-03-26")
    page.fill("input[name=count]", "20")
    page.select_option("select[name=unit]", "working_days")
    page.select_option("select[name=calendar]", "any_part_of_uk")
    page.click("button[type=submit]")
    assert page.get_attribute(".calculator-due", "data-due") == "2026-04-27"
    shown = page.eval_on_selector_all(".calculator-skipped li", "items => items.map(i => i.dataset.date)")
    result = CliRunner().invoke(app, ["deadline", "2026-03-26", "20", "--calendar", "any_part_of_uk",
                                      "--format", "json"])
    data = __import__("json").loads(result.stdout)
    assert data["due_date"] == "2026-04-27"
    assert shown == [s["date"] for s in data["skipped_days"]]
    assert "2026-04-03" in shown and "2026-04-06" in shown  # Good Friday, Easter Monday
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the calculator page scrolls sideways at {width} px"
        _shot(page, f"deadline-calculator-{width}")
    page.fill("input[name=start]", "2026-02-30")
    page.click("button[type=submit]")
    assert "not a real date" in page.inner_text(".calculator-error")


# --- search: a rule's id or title finds its page first ----------------------------------------------------------------


def _search_hrefs(page: Any, server: str, text: str, *, typed: bool = False) -> list[str]:
    """The addresses of the search results for ``text``, best first, as a reader sees them.

    By default the query is given in the address (``?q=``, which the theme reads on load, as a shared search link
    does), so the search runs once, on the whole query, as soon as the index has loaded; typing a long query would
    run a search for every keystroke, whose answers can arrive late on a busy machine. ``typed``: typed into the
    search box instead (for a word), once the index has loaded."""
    if typed:
        page.goto(server + "index.html?q=" + quote(text))  # loads the index; then the box is cleared and typed into
        page.locator(".md-search-result__item a").first.wait_for(state="visible", timeout=60_000)
        query = page.locator("input.md-search__input")
        query.fill("")
        query.press_sequentially(text)
    else:
        page.goto(server + "index.html?q=" + quote(text))
    page.locator(".md-search-result__item a").first.wait_for(state="visible", timeout=60_000)

    def hrefs() -> list[str]:
        return [urlsplit(h).path
                for h in page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")]

    # the list is filled in steps (the first ten results, then the rest): wait until it has stayed the same for 1 s
    shown, steady = hrefs(), 0
    for _ in range(120):
        page.wait_for_timeout(250)
        again = hrefs()
        steady = steady + 1 if again == shown else 0
        shown = again
        if steady >= 4:
            break
    return shown


@pytest.mark.parametrize("rule_id", ["foi-response", "vcop-needs-assessment", ARREST])
def test_a_rule_title_finds_that_rule_page_first(page: Any, server: str, rule_id: str,
                                                 book: charter_rules.CompiledRulebook) -> None:
    text = book.by_id[rule_id].source.title
    hrefs = _search_hrefs(page, server, text)
    assert hrefs, f"search for {text!r} showed no result"
    assert hrefs[0].endswith(f"rules/{rule_id}.html"), (text, hrefs[:5])


@pytest.mark.parametrize("rule_id", ["foi-response", "vcop-bail-notice", "vcop-charge-notice", "dp-rights-time-limit"])
def test_a_rule_id_finds_that_rule_page_first(page: Any, server: str, rule_id: str) -> None:
    # every report prints rule ids; other rule pages that mention the id, or whose ids share words with it
    # (foi-response inside foi-public-interest-notice's text, vcop-charge-notice beside vcop-no-charge-...), come after
    hrefs = _search_hrefs(page, server, rule_id)
    assert hrefs, f"search for {rule_id!r} showed no result"
    assert hrefs[0].endswith(f"rules/{rule_id}.html"), (rule_id, hrefs[:5])


def test_every_rule_page_is_indexed_with_its_id_and_boosted(site: Path, book: charter_rules.CompiledRulebook) -> None:
    import json

    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    pages = {doc["location"]: doc for doc in index["docs"] if "#" not in doc["location"]}
    for rule in book.rules:
        doc = pages[f"rules/{rule.id}.html"]
        assert doc.get("boost") == 4 and rule.id in doc["text"], doc["title"]


def test_the_decision_record_is_under_the_developers_section(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    developers = home.index("For developers")
    decision = home.index("decisions/")
    assert decision > developers, "the durable-rules decision record is listed outside the developers' section"
    assert ">Decisions<" not in home


# --- the Python API reference ------------------------------------------------------------------------------------------


def test_the_api_reference_documents_every_field_and_member(site: Path) -> None:
    import dataclasses

    html = (site / "developers" / "python-api.html").read_text(encoding="utf-8")
    missing = []
    for cls in (charter_rules.Obligation, charter_rules.Evaluation, charter_rules.DeadlineWork, charter_rules.Reason,
                charter_rules.Problem, charter_rules.SkippedDay):
        for f in dataclasses.fields(cls):
            if f"id=\"charter_rules.{cls.__name__}.{f.name}\"" not in html:
                missing.append(f"{cls.__name__}.{f.name}")
    for enum in (charter_rules.State, charter_rules.Timeliness, charter_rules.Status):
        for member in enum:
            if f"id=\"charter_rules.{enum.__name__}.{member.name}\"" not in html:
                missing.append(f"{enum.__name__}.{member.name}")
    assert not missing, missing


def test_api_signatures_wrap_instead_of_scrolling_on_a_phone(page: Any, server: str) -> None:
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{server}developers/python-api.html")
    clipped = page.eval_on_selector_all(
        ".doc-signature, .doc-signature code",
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.slice(0, 60))")
    assert not clipped, clipped
