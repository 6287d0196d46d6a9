"""The documentation generator: rules in plain English, timeline pictures, escaping of untrusted rule text.

Dates are worked out by hand in each test (never copied from the program's output).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import charter_rules

markdown = pytest.importorskip("markdown", reason="the docs extra is not installed")
from charter_rules.caseview import CaseView
from charter_rules.cli import app
from charter_rules.docgen.condition_words import ConditionWords
from charter_rules.docgen.dev_pages import cli_page
from charter_rules.docgen.logic import RuleWords
from charter_rules.docgen.refs import Refs
from charter_rules.docgen.rule_page import rule_page
from charter_rules.docgen.site import fill, rules_by_kind, status_table
from charter_rules.docgen.timeline_svg import counted_days, timeline_svg
from charter_rules.obligation import STATUS_MEANINGS
from charter_rules.predicates import FactTest, FieldTest, NotOf
from charter_rules.rulebook import DEFAULT_RULES_DIR

SVG = "{http://www.w3.org/2000/svg}"
# the same Markdown extensions as mkdocs.yml, so escaping is checked the way the site renders it
EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "abbr", "toc", "pymdownx.details",
              "pymdownx.superfences"]


def _shown(svg_root: ET.Element) -> list[str]:
    """The words an SVG shows (text elements, without their tooltips; the lines of a wrapped label joined)."""
    shown = []
    for text in svg_root.iter(f"{SVG}text"):
        parts = [text.text or ""]
        for child in text:
            if child.tag == f"{SVG}tspan":
                parts.append(("" if len(parts) == 1 or child.get("dy", "0") == "0" else " ")
                             + "".join(child.itertext()))
            parts.append(child.tail or "")
        shown.append("".join(parts).replace("\xa0", " ").strip())
    return shown


def _wide(picture: str) -> ET.Element:
    """The wide drawing of a timeline picture (it also holds a narrow one for phones, with the same content)."""
    root = ET.fromstring(picture)  # well-formed XML
    [wide] = [svg for svg in root.iter(f"{SVG}svg") if "cr-tl-wide" in (svg.get("class") or "")]
    return wide


def _sections(book: charter_rules.CompiledRulebook, rule_id: str) -> dict[str, str]:
    rule = book.by_id[rule_id]
    words = RuleWords(Refs(book, "../"))
    return {heading: "\n".join(lines) for heading, lines in words.sections(rule, rule.versions[-1])}


def _foi_case(book: charter_rules.CompiledRulebook, as_of: str = "2026-04-01T12:00:00+01:00") -> CaseView:
    snapshot = charter_rules.parse_snapshot(
        {"case_id": "FOI-T", "kind": "foi_request", "received_at": "2026-03-26T10:00:00+00:00"}, book)
    return CaseView(snapshot, dt.datetime.fromisoformat(as_of))


# --- plain English ---------------------------------------------------------------------------------------------


def test_arrest_notice_in_words(book: charter_rules.CompiledRulebook) -> None:
    words = _sections(book, "vcop-arrest-notice")
    # applies_when is `not {victim_is_business equals true}`: true only when the fact is recorded as false
    assert "Victim is a business](../case-data.md#fact-victim-is-business" in words["Who it is owed to"]
    assert "is recorded as no" in words["Who it is owed to"]
    assert "Each time [Suspect arrested](../case-data.md#event-suspect-arrested" in words["What starts the clock"]
    assert "for the same *suspect* as the event that started the clock" in words["What meets it"]
    deadline = words["The deadline"]
    assert "**5 working days**" in deadline
    assert "[England and Wales](../calendars.md#calendar-england-and-wales)" in deadline
    assert "the first working day *after* the day the clock starts" in deadline
    variants = words["Different deadlines for some cases"]
    assert "[Victim entitled to enhanced rights](../definitions.md#definition-enhanced-rights" in variants
    assert "**1 working day**" in variants
    assert "from the start of the day 1 working day before the due date" in words["When it shows as at risk"]
    assert "[Victim's age at the time of the offence]" in words["When facts are missing"]
    # the definitions are spelled out, with the parameter the age limit comes from
    assert "is less than 18 (set in [Age below which a victim is vulnerable]" in words["Definitions used"]


def test_foi_response_in_words(book: charter_rules.CompiledRulebook) -> None:
    words = _sections(book, "foi-response")
    assert "[Any part of the United Kingdom](../calendars.md#calendar-any-part-of-uk)" in words["The deadline"]
    clock = words["When the clock stops, restarts or is extended"]
    assert "the clock stops when [FOI fees notice given]" in clock
    assert "starts again when [FOI fee received]" in clock
    assert "The day it stops is not counted; the day it starts again is not counted either" in clock
    assert "**Restart:** when [FOI clarification received]" in clock
    assert "is recorded by the original deadline, the deadline becomes **40 working days**" in clock
    assert "never *indeterminate*" in words["When facts are missing"]


def test_monthly_update_in_words(book: charter_rules.CompiledRulebook) -> None:
    words = _sections(book, "charter-monthly-update")
    deadline = words["The deadline"]
    assert "**1 calendar month**" in deadline
    assert "the last day of the shorter month" in deadline
    assert "stays where it is" in deadline  # no roll-forward in the rule file
    repeats = words["It repeats"]
    assert "the next one starts at the moment of the event that met it" in repeats
    assert "[Investigation status changed]" in repeats and "“closed”" in repeats
    assert "[Victim declined updates]" in words["When it is not owed"]


def test_negations_are_simplified_only_where_the_evaluator_agrees(book: charter_rules.CompiledRulebook) -> None:
    words = ConditionWords(Refs(book))
    # not (age < 18) is "age at least 18" for facts: both are unknown when the age is missing
    assert words.phrase(NotOf(FactTest("victim_age_at_offence", "less_than", 18))).text.endswith("is at least 18")
    assert words.phrase(NotOf(FactTest("victim_vulnerable", "is_set", True))).text.endswith("is not recorded")
    assert words.phrase(NotOf(NotOf(FactTest("victim_vulnerable", "equals", True)))).text.endswith(
        "is recorded as yes")
    # an event field left out is false, not unknown, so "not (about is arrest)" is not "about is not arrest"
    negated_field = words.phrase(NotOf(FieldTest("about", "equals", "arrest")), None, ("victim_informed",)).text
    assert negated_field.startswith("it is not the case that its")


def test_home_page_lists_rules_by_kind_and_every_status(book: charter_rules.CompiledRulebook) -> None:
    table = rules_by_kind(book)
    crime = table.index("### Crime report")
    arrest = table.index("[Tell the victim when a suspect is arrested](rules/vcop-arrest-notice.md)")
    assert crime < arrest
    statuses = status_table()
    for meaning in STATUS_MEANINGS.values():
        assert meaning.split(" (")[0] in statuses


def test_fill_refuses_an_unknown_marker() -> None:
    assert fill("a <!-- docgen:x --> b", {"x": "X"}) == "a X b"
    with pytest.raises(KeyError, match="no generated fragment called 'y'"):
        fill("<!-- docgen:y -->", {"x": "X"})


def test_cli_reference_lists_every_command() -> None:
    page = cli_page(app)
    for command in ("evaluate", "check", "rules list", "rules validate", "test", "schema", "deadline",
                    "docs build", "docs serve"):
        assert f"## charter-rules {command}\n" in page
    assert "`--site-dir`" in page


# --- the timeline picture ----------------------------------------------------------------------------------------


def test_foi_timeline_counts_days_and_names_easter(book: charter_rules.CompiledRulebook) -> None:
    """FOI request received Thu 26 Mar 2026, counted on the any-part-of-the-UK calendar.

    By hand: day 1 is Fri 27 Mar; Mon 30 Mar to Thu 2 Apr are days 2-5; Fri 3 Apr (Good Friday) and Mon 6 Apr (Easter
    Monday) are not counted; Tue 7 to Fri 10 Apr are days 6-9; 13-17 Apr days 10-14; 20-24 Apr days 15-19; Mon 27 Apr
    is day 20, the due date.
    """
    case = _foi_case(book)
    evaluation = charter_rules.evaluate(book, case.snapshot, as_of=case.as_of)
    obligation = evaluation.by_rule("foi-response")[0]
    assert obligation.deadline is not None
    numbers, skipped = counted_days(obligation.deadline)
    day = dt.date
    assert numbers[day(2026, 3, 27)] == 1 and numbers[day(2026, 4, 2)] == 5
    assert numbers[day(2026, 4, 7)] == 6 and numbers[day(2026, 4, 24)] == 19 and numbers[day(2026, 4, 27)] == 20
    assert day(2026, 4, 3) not in numbers and day(2026, 4, 6) not in numbers and day(2026, 4, 4) not in numbers
    assert skipped[day(2026, 4, 3)].startswith("Good Friday") and skipped[day(2026, 4, 6)].startswith("Easter Monday")

    svg = timeline_svg(book, case, [obligation], title="FOI received 26 March 2026", svg_id="t1")
    root = _wide(svg)
    texts = _shown(root)
    assert "Good Friday, Fri 3 Apr" in texts
    assert "Easter Monday, Mon 6 Apr" in texts
    assert "Due Mon 27 Apr (20 working days)" in texts
    assert "Received Thu 26 Mar" in texts
    tips = [t.text or "" for t in root.iter(f"{SVG}title")]
    assert any(tip.startswith("Fri 3 Apr 2026: not counted, Good Friday") for tip in tips)
    assert "Mon 27 Apr 2026: day 20 of 20" in tips
    numbered = [t for t in root.iter(f"{SVG}text") if t.get("class") == "cr-count"]
    assert [int(t.text or 0) for t in numbered] == list(range(1, 21))


def test_timeline_shows_a_satisfying_event_and_a_pause(book: charter_rules.CompiledRulebook) -> None:
    """Fees notice Mon 9 Mar to fee Fri 13 Mar: those days are striped; answered Wed 8 Apr, due Thu 9 Apr."""
    snapshot = charter_rules.parse_snapshot({
        "case_id": "FOI-P", "kind": "foi_request", "received_at": "2026-03-02T09:00:00+00:00",
        "events": [
            {"id": "f1", "type": "foi_fees_notice_given", "at": "2026-03-09T10:00:00+00:00"},
            {"id": "f2", "type": "foi_fee_received", "at": "2026-03-13T15:00:00+00:00"},
            {"id": "r1", "type": "foi_response_sent", "at": "2026-04-08T15:00:00+01:00"},
        ]}, book)
    as_of = dt.datetime.fromisoformat("2026-04-10T12:00:00+01:00")
    obligation = charter_rules.evaluate(book, snapshot, as_of=as_of).by_rule("foi-response")[0]
    svg = timeline_svg(book, CaseView(snapshot, as_of), [obligation], title="fees", svg_id="t2")
    root = _wide(svg)
    tips = [t.text or "" for t in root.iter(f"{SVG}title")]
    for day in (9, 10, 11, 12, 13):
        assert f"{dt.date(2026, 3, day):%a} {day} Mar 2026: not counted, the clock was stopped" in tips
    texts = _shown(root)
    assert "Met Wed 8 Apr" in texts and "Due Thu 9 Apr (20 working days)" in texts
    assert "Clock stopped Mon 9 Mar to Fri 13 Mar" in texts


# --- untrusted rule text -----------------------------------------------------------------------------------------

HOSTILE = "<script>alert('x')</script> & [link](javascript:alert(1)) *bold* {: .x}"


@pytest.fixture()
def hostile_book(tmp_path: Path) -> charter_rules.CompiledRulebook:
    """A rule book whose one rule puts markup in every free-text field, and a javascript: link."""
    root = tmp_path / "rules"
    (root / "commitments").mkdir(parents=True)
    for name in ("vocabulary", "parameters", "definitions", "calendars"):
        shutil.copy(DEFAULT_RULES_DIR / f"{name}.yaml", root / f"{name}.yaml")
    quoted = HOSTILE.replace("'", "''")
    (root / "commitments" / "hostile-rule.yaml").write_text(f"""
id: hostile-rule
title: '{quoted}'
summary: '{quoted}'
basis: charter
case_kinds: [foi_request]
charter:
  - section: '{quoted}'
    quote: '{quoted}'
references:
  - title: '{quoted}'
    href: "javascript:alert(1)"
confidence_note: '{quoted}'
versions:
  - valid_from: 2020-01-01
    duty: statutory
    change_note: '{quoted}'
    trigger: {{case_received: true}}
    satisfied_by: {{event: foi_response_sent, description: '{quoted}'}}
    deadline: {{count: 20, unit: working_days, calendar: any_part_of_uk}}
    waived_when:
      - {{name: w, when: {{event: foi_fee_received}}, reason: '{quoted}'}}
examples:
  - name: '{quoted}'
    note: '{quoted}'
    as_of: 2026-04-01T12:00:00+01:00
    case: {{case_id: '{quoted}', kind: foi_request, received_at: 2026-03-26T10:00:00+00:00}}
    expect: [{{state: open, due: 2026-04-27}}]
""", encoding="utf-8")
    return charter_rules.load_compiled(root)


def _no_script(html: str) -> None:
    assert "<script" not in html.lower()
    assert 'href="javascript' not in html.lower()


def test_rule_page_escapes_hostile_text(hostile_book: charter_rules.CompiledRulebook) -> None:
    rule = hostile_book.by_id["hostile-rule"]
    page = rule_page(Refs(hostile_book, "../"), rule, None)
    html = markdown.markdown(page, extensions=EXTENSIONS)
    _no_script(html)
    # the words are shown, as text
    assert "&lt;script&gt;alert('x')&lt;/script&gt; &amp; [link](javascript:alert(1)) *bold*" in html
    assert 'class="x"' not in html  # no attribute injected through attr_list
    # the example still ran and matched its expectation (so the hostile case id went through the picture too)
    assert "Matches what the rule file expects" in html


def test_timeline_escapes_hostile_text(hostile_book: charter_rules.CompiledRulebook) -> None:
    snapshot = charter_rules.parse_snapshot(
        {"case_id": HOSTILE, "kind": "foi_request", "received_at": "2026-03-26T10:00:00+00:00",
         "events": [{"id": HOSTILE, "type": "foi_fee_received", "at": "2026-03-27T10:00:00+00:00"}]}, hostile_book)
    as_of = dt.datetime.fromisoformat("2026-04-01T12:00:00+01:00")
    obligations = charter_rules.evaluate(hostile_book, snapshot, as_of=as_of).by_rule("hostile-rule")
    svg = timeline_svg(hostile_book, CaseView(snapshot, as_of), obligations, title=HOSTILE, svg_id="x\"><script>")
    _no_script(svg)
    root = _wide(svg)
    assert root.find(f"{SVG}title").text == HOSTILE  # type: ignore[union-attr]
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert any(HOSTILE in text for text in _shown(root))


def test_only_web_links_are_linked(book: charter_rules.CompiledRulebook) -> None:
    from charter_rules.docgen._text import ext_link

    assert ext_link("Act", "https://www.legislation.gov.uk/a (b)") == "[Act](https://www.legislation.gov.uk/a%20%28b%29)"
    assert ext_link("x", "javascript:alert(1)") == "x"
    assert ext_link("x", "/etc/passwd") == "x"
    assert re.fullmatch(r"\[x\]\(http://a\.b/\)", ext_link("x", "http://a.b/"))


def test_a_hand_written_page_someone_adds_is_put_in_the_navigation(tmp_path: Path,
                                                                   book: charter_rules.CompiledRulebook) -> None:
    from charter_rules.docgen.site import nav, other_pages

    (tmp_path / "decisions").mkdir()
    (tmp_path / "decisions" / "engine-choice.md").write_text("# Which rules engine, and why\n\ntext\n")
    (tmp_path / "batch.md").write_text("intro without a heading\n")
    (tmp_path / "index.md").write_text("# Home\n")
    others = other_pages(tmp_path)
    assert others == {"batch.md": "Batch", "decisions/engine-choice.md": "Which rules engine, and why"}
    summary = nav(book, others)
    developers = summary.index("* For developers")
    decision = summary.index("    * [Which rules engine, and why](decisions/engine-choice.md)")
    assert decision > developers and "* Decisions" not in summary  # a decision record is for developers
    assert "* More\n    * [Batch](batch.md)" in summary


# --- plain words on the pages a policy officer reads ------------------------------------------------------------------


def _reader_pages(book: charter_rules.CompiledRulebook) -> dict[str, str]:
    from charter_rules.docgen import load_charter, load_findings
    from charter_rules.docgen.site import generated_pages

    pages = generated_pages(book, load_charter(book), load_findings(book), app)
    return {p: t for p, t in pages.items()
            if p.startswith("rules/") or p in ("charter.md", "findings.md", "calendars.md", "definitions.md")}


def _prose(text: str) -> str:
    """The page without its code blocks (case data shown as JSON for developers) and pictures."""
    kept, inside = [], False
    for line in text.splitlines():
        if line.strip().startswith(("```", "~~~")):
            inside = not inside
            continue
        kept.append("" if inside else line)
    return re.sub(r"(?s)<svg.*?</svg>", "", "\n".join(kept))


def test_reader_pages_use_plain_words_not_codes(book: charter_rules.CompiledRulebook) -> None:
    found = []
    for path, text in _reader_pages(book).items():
        for line in _prose(text).splitlines():
            for code in re.findall(r"`[^`]+`|\b(?:SCT|ENG|NIR|WLS)\b|known_through|of kind|\b[a-z]+_[a-z_]+\b", line):
                found.append(f"{path}: {code}")
    assert not found, found[:20]


def test_findings_page_opens_with_a_summary_table_and_charter_page_with_section_coverage(
        book: charter_rules.CompiledRulebook) -> None:
    from charter_rules.docgen import load_charter, load_findings

    pages = _reader_pages(book)
    findings = load_findings(book)
    text = pages["findings.md"]
    table_at = text.index("| Difference | Importance | Charter rule | Legal rule |")
    assert table_at < text.index("\n## ")  # before the first finding
    assert text.count("](#finding-") == len(findings)
    charter = load_charter(book)
    coverage = pages["charter.md"]
    head = "| Section | Sentences | Checked | Not checkable | Differs from law |"
    assert coverage.index(head) < coverage.index("\n## ")
    rows = [line for line in coverage.splitlines() if line.startswith("| [")]
    assert len(rows) == len(charter.sections)
    counted = sum(int(row.split("|")[2]) for row in rows)
    assert counted == sum(len(section.sentences) for section in charter.sections)
