"""Report formats: JSON is versioned, JUnit validates against its schema, Markdown and HTML escape everything, HTML
is self-contained and opens in a browser with its charts, and --redact keeps personal data out of every format."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import xmlschema
from typer.testing import CliRunner

from charter_rules.cli import app

from .conftest import crime_case

runner = CliRunner()
SCHEMA = Path(__file__).parent / "data" / "junit.xsd"
AS_OF = "2026-04-02T12:00:00+01:00"
RECEIVED = "2026-03-27T10:00:00+00:00"  # referral due Tue 31 Mar 2026 (see tests/test_batch.py)
NASTY = 'X<script>alert("x")</script>&|*_`[a](b)'

# personal data of the sample case: facts marked personal in rules/vocabulary.yaml, an officer's name, free text
PERSONAL = {
    "victim_name": "Zebedee Quantrill",
    "victim_phone": "07700 900123",
    "victim_email": "zebedee.quantrill@example.org",
    "officer": "DC Marigold Featherstonehaugh",
    "note": "Rang Zebedee at home on Acacia Avenue",
}


def sample_case() -> dict:
    case = crime_case("P-1", RECEIVED, [
        {"id": "o1", "type": "officer_in_charge_assigned", "at": "2026-03-27T11:00:00+00:00",
         "officer": PERSONAL["officer"], "note": PERSONAL["note"]},
        {"id": "a1", "type": "suspect_arrested", "at": "2026-03-28T14:00:00+00:00", "suspect": "S1"},
    ], victim_name=PERSONAL["victim_name"], victim_phone=PERSONAL["victim_phone"],
        victim_email=PERSONAL["victim_email"])
    return case


def write_export(tmp_path: Path) -> Path:
    bad = sample_case()
    bad["case_id"] = "P-2"
    bad["facts"]["victim_name"] = 12345678  # refused (not a string): the message must not quote it under --redact
    bad["facts"]["victim_phone"] = PERSONAL["victim_phone"]
    bad["events"][0]["at"] = "2026-03-27T11:00:00"  # and a naive timestamp
    nasty = crime_case(NASTY, RECEIVED)
    rows = [sample_case(), crime_case("OK", RECEIVED, [{"id": "r", "type": "referred_to_victim_support",
                                                         "at": "2026-03-30T10:00:00+01:00"}]), bad, nasty]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["check", *args])
    return result.exit_code, result.output


def render_to(tmp_path: Path, fmt: str, *extra: str) -> str:
    export = write_export(tmp_path)
    out = tmp_path / f"report.{fmt}"
    code, output = run(str(export), "--as-of", AS_OF, "--format", fmt, "--output", str(out), "--workers", "1",
                       *extra)
    assert code == 1, output  # the overdue referral of P-1 and NASTY fails the run
    return out.read_text(encoding="utf-8")


def test_json_is_versioned_and_lists_every_breach_and_rejection(tmp_path: Path):
    data = json.loads(render_to(tmp_path, "json"))
    assert data["format"] == "charter-rules.check/2"
    assert data["verdict"]["failed"] is True and data["verdict"]["fail_on"] == ["overdue"]
    totals = data["totals"]
    assert (totals["records_read"], totals["evaluated"], totals["rejected"]) == (4, 3, 1)
    assert totals["breaches"] == len(data["breaches"])
    referral = [b["case_id"] for b in data["breaches"] if b["rule"] == "vcop-support-referral"]
    assert referral == ["P-1", NASTY]
    rules = {r["rule"]: r for r in data["rules"]}
    assert rules["vcop-support-referral"]["overdue"] == 2 and rules["vcop-support-referral"]["satisfied"] == 1
    figures = {f["id"]: f for f in data["figures"]}
    assert figures["referral_to_support_services"]["quarters"][0]["quarter"] == "2026-Q1"
    for figure in figures.values():
        assert figure["availability"] in ("available", "partial", "unavailable")
        if figure["availability"] == "unavailable":
            assert figure["missing_rules"] and figure["quarters"] == []


def test_junit_validates_against_the_schema_with_one_test_case_per_breach(tmp_path: Path):
    xml = render_to(tmp_path, "junit", "--fail-on", "overdue", "--fail-on", "rejected")
    schema = xmlschema.XMLSchema(str(SCHEMA))
    schema.validate(xml)
    data = json.loads(render_to(tmp_path, "json"))
    cases = re.findall(r"<testcase [^>]*>", xml)
    breach_cases = [c for c in cases if 'name="no breaches"' not in c and "charter_rules.records" not in c]
    assert len(breach_cases) == len(data["breaches"])
    assert xml.count("<failure ") == sum(1 for b in data["breaches"] if b["status"] == "overdue")
    assert xml.count("<error ") == 1  # the rejected record, since --fail-on rejected
    assert "&lt;script&gt;" in xml and "<script>" not in xml


def test_junit_reports_a_late_obligation_not_chosen_by_fail_on_as_passed_with_output(tmp_path: Path):
    export = tmp_path / "late.jsonl"
    export.write_text(json.dumps(crime_case("LATE", RECEIVED, [
        {"id": "r", "type": "referred_to_victim_support", "at": "2026-04-01T09:00:00+01:00"}])) + "\n")
    out = tmp_path / "late.xml"
    code, output = run(str(export), "--as-of", AS_OF, "--format", "junit", "--output", str(out),
                       "--fail-on", "indeterminate")
    xml = out.read_text()
    xmlschema.XMLSchema(str(SCHEMA)).validate(xml)
    late = xml[xml.index('name="LATE #1"', xml.index("charter_rules.vcop-support-referral")):]
    late = late[:late.index("</testcase>")]
    assert "<system-out>satisfied late: due 2026-03-31" in late and "not a failure" in late
    assert "<skipped" not in xml and "<failure " not in xml and 'skipped="0"' in xml


def test_junit_reports_a_late_obligation_chosen_by_fail_on_as_a_failure_of_that_type(tmp_path: Path):
    export = tmp_path / "late.jsonl"
    export.write_text(json.dumps(crime_case("LATE", RECEIVED, [
        {"id": "r", "type": "referred_to_victim_support", "at": "2026-04-01T09:00:00+01:00"}])) + "\n")
    out = tmp_path / "late.xml"
    code, _ = run(str(export), "--as-of", AS_OF, "--format", "junit", "--output", str(out),
                  "--fail-on", "satisfied_late")
    xml = out.read_text()
    xmlschema.XMLSchema(str(SCHEMA)).validate(xml)
    assert code == 1 and '<failure message="satisfied late: due 2026-03-31' in xml and 'type="satisfied_late"' in xml


def test_markdown_escapes_table_cells(tmp_path: Path):
    text = render_to(tmp_path, "markdown")
    assert text.startswith("## :x: charter-rules check: failed")
    assert "| Refer the victim to support services unless they opt out |" in text  # titles, not ids
    assert r'X&lt;script&gt;alert\("x"\)&lt;/script&gt;&amp;\|\*\_\`\[a\]\(b\)' in text
    assert "<script>" not in text


def test_text_report_has_the_summary_table_figures_and_missing_facts(tmp_path: Path):
    export = write_export(tmp_path)
    code, output = run(str(export), "--as-of", AS_OF, "--workers", "1")
    assert code == 1
    header = next(line for line in output.splitlines() if line.startswith("  rule "))
    assert header.split()[1:] == ["due", "at", "risk", "overdue", "on", "time", "not", "owed", "unknown", "rate"]
    assert "not owed: waived or not applicable" in output  # nothing late or paused: no column
    assert "Victims' Code compliance figures" in output
    assert "verdict (--fail-on overdue): FAILED" in output


def test_html_is_self_contained_escaped_and_has_the_charts(tmp_path: Path):
    html = render_to(tmp_path, "html", "--case", "P-1")
    assert not re.search(r"""(src|href)\s*=|url\(|@import|<script|<link|<iframe""", html, re.I)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    # verdict and headline figures first, then the rules by title (ids only on hover), then the heat map
    assert html.index("class='verdict fail'") < html.index("class=cards") < html.index("id=rules") < html.index("id=months")
    assert "Refer the victim to support services unless they opt out" in html
    assert ">vcop-support-referral<" not in html
    assert 'aria-labelledby="case-0-w-t case-0-w-d"' in html and "Timeline of case P-1" in html
    case = html[html.index("<h2 id='case-P-1'>"):]
    assert "False" not in case and "UTC" not in case and "+00:00" not in case  # facts in words, London time
    assert "Victim is business</th><td>no</td>" in case


def test_html_rule_titles_link_to_the_docs_site_when_its_address_is_given(tmp_path: Path):
    html = render_to(tmp_path, "html", "--docs-url", "https://example.org/rules-site/")
    assert "<a href='https://example.org/rules-site/rules/vcop-support-referral.html' title='vcop-support-referral'>" \
        "Refer the victim to support services unless they opt out</a>" in html
    code, output = run(str(write_export(tmp_path)), "--as-of", AS_OF, "--format", "html", "--docs-url",
                       "javascript:alert(1)")
    assert code == 2 and "--docs-url" in output


def test_html_heat_map_greys_small_and_unfinished_months(tmp_path: Path):
    """Referral (vcop-support-referral): P-1 and NASTY overdue, OK met on time, all due in March 2026 (3 decided:
    greyed as fewer than 10); as of 2 April, April is not over."""
    html = render_to(tmp_path, "html")
    heat = html[html.index("id=months"):html.index("id=figures")]
    row = heat[heat.index("Refer the victim to support services"):]
    row = row[:row.index("</tr>")]
    assert "<td data-h='Mar 2026' class='rate grey'" in row and "33.3% <small>of 3</small>" in row
    assert "title='only 3 decided'" in row


def test_html_lists_breaches_most_overdue_first_and_groups_rejections(tmp_path: Path):
    export = tmp_path / "mixed.jsonl"
    rows = [crime_case(f"D{day}", f"2026-03-{day:02d}T10:00:00+00:00") for day in (2, 20, 9)]
    rows += [{"case_id": f"BAD{i}", "kind": "crime_report"} for i in range(3)]
    export.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = tmp_path / "mixed.html"
    run(str(export), "--as-of", AS_OF, "--format", "html", "--output", str(out), "--workers", "1")
    html = out.read_text()
    breaches = html[html.index("id=breaches"):]
    assert breaches.index(">D2<") < breaches.index(">D9<") < breaches.index(">D20<")
    rejected = html[html.index("id=rejected"):]
    assert rejected.count("<tr>") == 2  # heading row and one group for the three records alike
    assert "<td data-h='records' class=n>3</td>" in rejected and "mixed.jsonl:4, " in rejected


def test_html_says_what_needs_doing_next_overdue_first(tmp_path: Path):
    # received 2 Mar and 20 Mar 2026: as of 2 Apr 2026 the support referral (2 working days) is overdue for both;
    # a case received on the morning of 2 Apr has its referral still to come
    export = tmp_path / "open.jsonl"
    rows = [crime_case(f"D{day}", f"2026-03-{day:02d}T10:00:00+00:00") for day in (2, 20)]
    rows.append(crime_case("NEW", "2026-04-02T08:00:00+01:00"))
    export.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = tmp_path / "open.html"
    run(str(export), "--as-of", AS_OF, "--format", "html", "--output", str(out), "--workers", "1")
    html = out.read_text()
    section = html[html.index("id=next"):html.index("id=rules")]
    referral = section[section.index("Refer the victim to support services unless they opt out"):]
    cells = referral[:referral.index("</tr>")]
    assert "<td data-h='overdue' class='n'>2</td>" in cells
    assert "<td data-h='due later' class='n'>1</td>" in cells or "<td data-h='at risk' class='n'>1</td>" in cells
    assert html.index("id=next") < html.index("id=rules")


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Chromium (.ci/run installs it)")
def test_html_fits_a_phone_and_a_desktop_without_sideways_scrolling(tmp_path: Path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the test extra)")
    render_to(tmp_path, "html", "--case", "P-1")
    page = (tmp_path / "report.html").resolve()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--headless", "--no-sandbox"])
        try:
            for width in (1280, 390):
                tab = browser.new_page(viewport={"width": width, "height": 900})
                tab.goto(page.as_uri())
                assert tab.evaluate("document.documentElement.scrollWidth") <= width
                shown = tab.evaluate("[...document.querySelectorAll('svg.cr-timeline')]"
                                     ".filter(s => getComputedStyle(s).display !== 'none').length")
                assert shown == 1  # the wide timeline on a desktop, the narrow one on a phone
                tab.close()
        finally:
            browser.close()


def test_redact_keeps_personal_data_out_of_every_format(tmp_path: Path):
    for fmt in ("text", "json", "junit", "markdown", "html"):
        report = render_to(tmp_path, fmt, "--redact", "--case", "P-1", "--case", "P-2")
        for name, value in PERSONAL.items():
            assert value not in report, (fmt, name)
            assert value.split()[-1] not in report, (fmt, name)  # not even the surname
        assert "12345678" not in report, fmt
    json_report = json.loads(render_to(tmp_path, "json", "--redact", "--case", "P-1"))
    assert json_report["redacted"] is True
    [timeline] = json_report["timelines"]
    assert timeline["facts"]["victim_name"] == "[redacted]"
    assert timeline["events"][0]["fields"] == {"officer": "[redacted]", "note": "[redacted]"}


def test_without_redact_the_same_reports_do_show_personal_data(tmp_path: Path):
    """The counterpart of the test above: proves the sample really puts personal data in reach of the reports."""
    html = render_to(tmp_path, "html", "--case", "P-1")
    assert PERSONAL["victim_name"] in html and PERSONAL["officer"] in html and "Acacia Avenue" in html
    assert "12345678" in render_to(tmp_path, "json")  # the refused value is quoted in the rejection


def test_output_goes_to_stdout_without_output_option(tmp_path: Path):
    export = write_export(tmp_path)
    code, output = run(str(export), "--as-of", AS_OF, "--format", "json", "--workers", "1")
    assert code == 1 and json.loads(output)["format"] == "charter-rules.check/2"


def test_timelines_place_events_and_obligations_on_london_dates(tmp_path: Path):
    # 00:30 BST on Thu 2 Apr 2026 is 23:30 UTC on Wed 1 Apr: the timeline must say 2 April
    export = tmp_path / "night.jsonl"
    export.write_text(json.dumps(crime_case("NIGHT", "2026-04-02T00:30:00+01:00", [
        {"id": "r", "type": "referred_to_victim_support", "at": "2026-04-03T00:15:00+01:00"}])) + "\n")
    out = tmp_path / "night.json"
    run(str(export), "--as-of", "2026-04-10", "--format", "json", "--output", str(out), "--case", "NIGHT")
    [timeline] = json.loads(out.read_text())["timelines"]
    assert timeline["received_date"] == "2026-04-02"
    assert timeline["events"][0]["date"] == "2026-04-03"
    referral = next(o for o in timeline["obligations"] if o["rule"] == "vcop-support-referral")
    assert (referral["triggered_date"], referral["satisfied_date"]) == ("2026-04-02", "2026-04-03")


def test_report_formats_are_one_registry_with_distinct_suffixes():
    from charter_rules.reports import FORMATS, REPORT_FORMATS, format_for_suffix

    assert FORMATS == ("text", "json", "junit", "markdown", "html")
    suffixes = [f.suffix for f in REPORT_FORMATS.values()]
    assert len(set(suffixes)) == len(suffixes)
    assert format_for_suffix(".HTML") is REPORT_FORMATS["html"]
    assert format_for_suffix(".csv") is None


def test_the_output_file_suffix_chooses_the_format_when_none_is_given(tmp_path: Path):
    export = write_export(tmp_path)
    out = tmp_path / "report.html"
    code, output = run(str(export), "--as-of", AS_OF, "--output", str(out), "--workers", "1")
    assert code == 1, output
    assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")


def test_rejections_with_the_same_cause_group_whatever_the_record_s_own_values():
    from charter_rules.reports.view import problem_text

    first = {"field": "events[2].at", "message": "Input should have timezone info, got '2026-01-28T09:23:54'"}
    second = {"field": "events[11].at", "message": "Input should have timezone info, got '2026-07-17T05:44:27'"}
    assert problem_text(first) == problem_text(second) == "events[].at: Input should have timezone info, got …"
    cut = {"message": "not valid JSON: unexpected end of data: line 1 column 198 (char 197)"}
    assert problem_text(cut) == "not valid JSON: unexpected end of data: …"
    unknown = {"field": "events[0].type", "message": "unknown event type 'victim_telephoned'"}
    assert "'victim_telephoned'" in problem_text(unknown)  # a name, not a value of one record: kept
