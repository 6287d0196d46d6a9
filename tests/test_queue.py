"""The work queue on a small export worked out by hand (tests/data/queue-export.jsonl, as of Wed 20 May 2026 noon).

General enquiries owe, within 5 working days with the day after receipt as day 1 (England and Wales), an explanation
of how the enquiry will be dealt with and a reference number, and a referral elsewhere when the matter is not for
the police; each is at risk from the start of the working day before it is due. Bank holidays: Mon 4 and Mon 25 May.

  Q-04 received Fri 1 May: Tue 5 (1; Mon 4 a bank holiday), 6, 7, 8, Mon 11 May (5); referral overdue 9 days
  Q-01 received Mon 11 May: Tue 12 (1) ... Mon 18 May (5); explanation overdue 2 days
  Q-02 received Wed 13 May: Thu 14 (1) ... Wed 20 May (5); at risk since Tue 19, due today
  Q-08 received Thu 14 May: Fri 15 (1) ... Thu 21 May (5); at risk since Wed 20, 1 working day left (Thu 21)
  Q-03 received Mon 18 May: Tue 19 (1), 20, 21, Fri 22 (4), Tue 26 May (5; Mon 25 a bank holiday); explanation and
       reference number both due, 3 working days left (Thu 21, Fri 22, Tue 26)
  Q-05 received Tue 19 May: Wed 20 (1), 21, 22, 26, Wed 27 May (5); 4 working days left
  Q-06 received Wed 20 May: Thu 21 (1), 22, 26, 27, Thu 28 May (5); 5 working days left (inside --within 5 only)
  Q-07 was met late (contact details on Fri 15 May, due Thu 14): a breach, but nothing is owed, so not listed
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from charter_rules.cli import app
from charter_rules.planning import build_queue

from .conftest import REPO, at

EXPORT = REPO / "tests" / "data" / "queue-export.jsonl"
AS_OF = at("2026-05-20T12:00:00+01:00")
EXPLAIN, REFERENCE, ELSEWHERE = "charter-enquiry-explained", "charter-reference-number", "charter-referral-elsewhere"
EXPECTED = [  # case, rule, status, due date, working days left, days overdue, officer, team
    ("Q-04", ELSEWHERE, "overdue", dt.date(2026, 5, 11), None, 9, None, "Partnerships"),
    ("Q-01", EXPLAIN, "overdue", dt.date(2026, 5, 18), None, 2, "PC Able", "Contact Centre"),
    ("Q-02", EXPLAIN, "at_risk", dt.date(2026, 5, 20), 0, None, "PC Baker", "Neighbourhood"),
    ("Q-08", EXPLAIN, "at_risk", dt.date(2026, 5, 21), 1, None, "PC Baker", "Neighbourhood"),
    ("Q-03", EXPLAIN, "due", dt.date(2026, 5, 26), 3, None, None, "Contact Centre"),
    ("Q-03", REFERENCE, "due", dt.date(2026, 5, 26), 3, None, None, "Contact Centre"),
    ("Q-05", EXPLAIN, "due", dt.date(2026, 5, 27), 4, None, "PC Able", "Neighbourhood"),
    ("Q-06", EXPLAIN, "due", dt.date(2026, 5, 28), 5, None, None, None),
]
runner = CliRunner()


def _rows(queue):
    return [(r.case_id, r.rule_id, r.status, r.due_date, r.working_days_left, r.days_overdue, r.officer, r.team)
            for r in queue.rows]


def test_queue_order_and_figures_worked_by_hand(book):
    queue = build_queue(book, [EXPORT], as_of=AS_OF)
    assert _rows(queue) == EXPECTED
    assert queue.totals == {"overdue": 2, "at_risk": 2, "due": 4, "total": 8}
    assert (queue.records_read, queue.evaluated, len(queue.rejected)) == (9, 8, 1)
    assert queue.rejected[0]["where"].endswith("queue-export.jsonl:6")
    assert "received_at" in queue.rejected[0]["error"]


def test_kind_of_duty_is_the_weaker_of_rule_and_deadline(book):
    # the rules are charter promises (duty: charter), but their 5 working days are this rule book's reading of
    # "as soon as possible" (parameter charter_prompt_action_working_days, duty: local_standard): the weaker wins
    queue = build_queue(book, [EXPORT], as_of=AS_OF)
    assert {row.duty for row in queue.rows} == {"local standard"}
    assert queue.has_duty


def test_window_leaves_out_what_is_due_later(book):
    queue = build_queue(book, [EXPORT], as_of=AS_OF, within=4)
    assert _rows(queue) == EXPECTED[:-1]


def test_what_would_meet_it_uses_titles_not_ids(book):
    row = build_queue(book, [EXPORT], as_of=AS_OF).rows[0]
    assert row.action == ("Record 'Referred to another organisation': the person is referred to the organisation or "
                          "department that can help, by the end of Mon 11 May 2026.")
    assert row.time_text == "9 days overdue"


@pytest.mark.parametrize("by, expected", [
    ("officer", [("no officer recorded", ["Q-04", "Q-03", "Q-03", "Q-06"], (1, 0, 3)),
                 ("PC Able", ["Q-01", "Q-05"], (1, 0, 1)),
                 ("PC Baker", ["Q-02", "Q-08"], (0, 2, 0))]),
    ("team", [("Partnerships", ["Q-04"], (1, 0, 0)),
              ("Contact Centre", ["Q-01", "Q-03", "Q-03"], (1, 0, 2)),
              ("Neighbourhood", ["Q-02", "Q-08", "Q-05"], (0, 2, 1)),
              ("no team recorded", ["Q-06"], (0, 0, 1))]),
    ("rule", [("Refer the person to the right organisation when the matter is not for the police", ["Q-04"], (1, 0, 0)),
              ("Explain to the person how their enquiry will be dealt with",
               ["Q-01", "Q-02", "Q-08", "Q-03", "Q-05", "Q-06"], (1, 2, 3)),
              ("Give the person a reference number where their enquiry needs one", ["Q-03"], (0, 0, 1))]),
    ("case-kind", [("General enquiry", [r[0] for r in EXPECTED], (2, 2, 4))]),
])
def test_groups_and_their_totals(book, by, expected):
    groups = build_queue(book, [EXPORT], as_of=AS_OF, group_by=by).groups()
    got = [(g.label, [r.case_id for r in g.rows], (g.totals["overdue"], g.totals["at_risk"], g.totals["due"]))
           for g in groups]
    assert got == expected


def _run(*args: str) -> str:
    done = runner.invoke(app, ["queue", str(EXPORT), "--as-of", "2026-05-20T12:00:00+01:00", *args])
    assert done.exit_code == 0, done.output
    return done.stdout


def test_cli_formats_agree():
    data = json.loads(_run("--format", "json", "--group-by", "team"))
    assert data["format"] == "charter-rules.queue/1"
    assert data["totals"] == {"overdue": 2, "at_risk": 2, "due": 4, "total": 8}
    assert [g["label"] for g in data["groups"]] == ["Partnerships", "Contact Centre", "Neighbourhood",
                                                    "no team recorded"]
    table = list(csv.DictReader(io.StringIO(_run("--format", "csv"))))
    assert [(r["case_id"], r["rule"]) for r in table] == [(r[0], r[1]) for r in EXPECTED]
    markdown = _run("--format", "markdown")
    assert "8 to do: 2 overdue, 2 at risk, 4 due soon" in markdown
    text = _run()
    assert text.index("Q-04") < text.index("Q-01") < text.index("Q-02") < text.index("Q-06")


def test_ics_has_one_all_day_event_per_row():
    calendar = Calendar.from_ical(_run("--format", "ics"))
    events = calendar.walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [r[3] for r in EXPECTED]
    assert len({str(e["uid"]) for e in events}) == len(EXPECTED)
    assert "Q-04: Refer the person" in str(events[0]["summary"])


@pytest.mark.parametrize("fmt", ["text", "csv", "json", "markdown", "html", "ics"])
def test_redact_keeps_officers_and_personal_facts_out(fmt):
    shown = _run("--format", fmt, "--redact", "--group-by", "officer")
    assert "PC Able" not in shown and "PC Baker" not in shown and "Zebedee" not in shown
    assert "Neighbourhood" in shown or fmt == "ics" and "Neighbourhood" in shown.replace("\r\n ", "")


def test_html_escapes_and_is_self_contained(tmp_path: Path, book):
    hostile = tmp_path / "hostile.jsonl"
    case = json.loads(EXPORT.read_text().splitlines()[0])
    case["case_id"] = '<script>alert("x")</script>'
    case["events"][0]["team"] = "<img src=x onerror=alert(1)>"
    hostile.write_text(json.dumps(case) + "\n")
    out = tmp_path / "queue.html"
    done = runner.invoke(app, ["queue", str(hostile), "--as-of", "2026-05-20T12:00:00+01:00", "--format", "html",
                               "-o", str(out)])
    assert done.exit_code == 0, done.output
    html = out.read_text()
    assert "<script" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert "http://" not in html and "https://" not in html and "src=" not in html.replace("src=x", "")


def test_csv_never_hands_a_spreadsheet_a_formula(tmp_path: Path):
    case = json.loads(EXPORT.read_text().splitlines()[0])
    case["case_id"] = "=HYPERLINK(\"http://x\")"
    case["events"][0]["team"] = "+cmd"
    hostile = tmp_path / "hostile.jsonl"
    hostile.write_text(json.dumps(case) + "\n")
    done = runner.invoke(app, ["queue", str(hostile), "--as-of", "2026-05-20T12:00:00+01:00", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert rows and all(r["case_id"] == "'=HYPERLINK(\"http://x\")" and r["team"] == "'+cmd" for r in rows)
