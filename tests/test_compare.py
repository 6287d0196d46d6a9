"""charter-rules compare: two rule books differing in one parameter give exactly the cases that differ.

The second rule book allows 3 working days instead of 5 for the charter's "as soon as possible"
(charter_prompt_action_working_days). Enquiries received Mon 11 May 2026 10:00, checked as of Wed 20 May noon:
5 working days with Tue 12 May as day 1 end on Mon 18 May; 3 end on Thu 14 May.

  C1  explained and given a reference on Wed 13 May: met on time under both; both due dates move 18 -> 14 May
  C2  explained Fri 15 May, reference Mon 11 May: the explanation goes from on time to late (due Thu 14 May);
      the reference's due date moves 18 -> 14 May
  C3  resolved at first contact and a matter for the police: nothing owed under either rule book
  C4  an FOI request: its 20 working days come from another parameter, so nothing changes
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from charter_rules.cli import app
from charter_rules.rulebook import DEFAULT_RULES_DIR
from charter_rules.check.rulebook_compare import compare_rulebooks
from charter_rules.check.rulebook_source import RulebookSourceError, load_named

from .conftest import at

runner = CliRunner()
AS_OF = "2026-05-20T12:00:00+01:00"
EXPLAIN, REFERENCE = "charter-enquiry-explained", "charter-reference-number"


def enquiry(case_id: str, events: list[dict], resolved: bool = False) -> dict:
    return {"case_id": case_id, "kind": "general_enquiry", "received_at": "2026-05-11T10:00:00+01:00",
            "facts": {"resolved_at_first_contact": resolved, "matter_for_police": True}, "events": events}


def event(event_type: str, when: str, **fields) -> dict:
    return {"id": event_type[:3] + when[8:10], "type": event_type, "at": when, **fields}


CASES = [
    enquiry("C1", [event("enquiry_explained", "2026-05-13T10:00:00+01:00"),
                   event("reference_number_issued", "2026-05-13T10:00:00+01:00")]),
    enquiry("C2", [event("reference_number_issued", "2026-05-11T10:30:00+01:00"),
                   event("enquiry_explained", "2026-05-15T10:00:00+01:00")]),
    enquiry("C3", [], resolved=True),
    {"case_id": "C4", "kind": "foi_request", "received_at": "2026-05-11T10:00:00+01:00", "facts": {}, "events": []},
]


def shorter_rules(target: Path) -> Path:
    shutil.copytree(DEFAULT_RULES_DIR, target)
    parameters = target / "parameters.yaml"
    text = parameters.read_text()
    head, tail = text.split("  charter_prompt_action_working_days:\n", 1)
    assert tail.splitlines()[1].strip() == "value: 5"
    parameters.write_text(head + "  charter_prompt_action_working_days:\n" + tail.replace("value: 5", "value: 3", 1))
    return target


@pytest.fixture()
def export(tmp_path: Path) -> Path:
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in CASES))
    return path


def test_one_parameter_changes_exactly_the_cases_worked_by_hand(tmp_path: Path, export: Path):
    before = load_named(str(DEFAULT_RULES_DIR))
    after = load_named(str(shorter_rules(tmp_path / "proposed")))
    result = compare_rulebooks(before, after, [export], as_of=at(AS_OF))
    assert result.evaluated == 4 and not result.rejected
    assert result.changed_cases == ["C1", "C2"]
    assert {r.rule_id for r in result.changed_rules} == {EXPLAIN, REFERENCE}
    explain, reference = result.rules[EXPLAIN], result.rules[REFERENCE]
    assert explain.cases == ["C1", "C2"] and explain.changed == 2
    assert dict(explain.transitions) == {("satisfied", "satisfied_late"): 1}
    assert (explain.due_earlier, explain.due_later, explain.days_moved) == (2, 0, 8)  # 18 -> 14 May, twice
    assert (explain.rate(0), explain.rate(1)) == (1.0, 0.5)
    assert reference.cases == ["C1", "C2"] and not reference.transitions
    assert (reference.rate(0), reference.rate(1)) == (1.0, 1.0)
    example = explain.examples[1]
    assert example.case_id == "C2"
    assert "Due by the end of Mon 18 May 2026" in example.before and "Due by the end of Thu 14 May 2026" in example.after


@pytest.mark.parametrize("fmt, marker", [
    ("markdown", "| Explain to the person how their enquiry will be dealt with | 2 | 2 | 100.0% | 50.0% |"),
    ("json", '"changed_cases": [\n    "C1",\n    "C2"\n  ]'),
    ("text", "1 goes from satisfied on time to satisfied late"),
    ("html", "<h3>Case C2, occurrence 1</h3>"),
])
def test_cli_formats(tmp_path: Path, export: Path, fmt: str, marker: str):
    proposed = shorter_rules(tmp_path / "proposed")
    done = runner.invoke(app, ["compare", "--rules", str(DEFAULT_RULES_DIR), "--rules", str(proposed), str(export),
                               "--as-of", AS_OF, "--format", fmt])
    assert done.exit_code == 0, done.output
    assert marker in done.stdout


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=cwd, check=True,
                   capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_revisions_of_rules(tmp_path: Path, export: Path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    shutil.copytree(DEFAULT_RULES_DIR, repo / "rules")
    _git(repo, "add", "rules")
    _git(repo, "commit", "-q", "-m", "charter as adopted")
    shutil.rmtree(repo / "rules")
    shorter_rules(repo / "rules")
    _git(repo, "commit", "-q", "-am", "3 working days")
    monkeypatch.chdir(repo)
    done = runner.invoke(app, ["compare", "--rules", "git:HEAD~1", "--rules", "git:HEAD", str(export),
                               "--as-of", AS_OF, "--format", "json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["changed_cases"] == ["C1", "C2"]
    with pytest.raises(RulebookSourceError, match="'no-such-rev' is not a revision"):
        load_named("git:no-such-rev", cwd=repo)
    with pytest.raises(RulebookSourceError, match="has no folder elsewhere/"):
        load_named("git:HEAD:elsewhere", cwd=repo)
    outside = tmp_path / "outside"
    outside.mkdir()
    with pytest.raises(RulebookSourceError, match="is not inside a git repository"):
        load_named("git:HEAD", cwd=outside)


def test_needs_exactly_two_rule_books(export: Path):
    done = runner.invoke(app, ["compare", "--rules", str(DEFAULT_RULES_DIR), str(export)])
    assert done.exit_code == 2 and "exactly two rule books" in done.output
    done = runner.invoke(app, ["compare", "--rules", "nowhere", "--rules", "nowhere", str(export)])
    assert done.exit_code == 2 and "no such rule book folder" in done.output


def test_redact_keeps_refused_values_out(tmp_path: Path, export: Path):
    bad = dict(CASES[0], case_id="C9", facts={"resolved_at_first_contact": "Zebedee Quantrill"})
    with export.open("a") as handle:
        handle.write(json.dumps(bad) + "\n")
    proposed = shorter_rules(tmp_path / "proposed")
    args = ["compare", "--rules", str(DEFAULT_RULES_DIR), "--rules", str(proposed), str(export), "--as-of", AS_OF,
            "--format", "json"]
    plain = runner.invoke(app, args)
    assert plain.exit_code == 0 and "Zebedee" in plain.stdout  # without --redact the refused value is quoted
    done = runner.invoke(app, [*args, "--redact"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert data["redacted"] is True and len(data["rejected"]) == 1 and "resolved_at_first_contact" in \
        data["rejected"][0]["error"]
    assert "Zebedee" not in done.output


def test_a_rejected_record_is_listed_once_in_the_text_comparison_and_on_stderr_otherwise(tmp_path):
    export = tmp_path / "export.jsonl"
    export.write_text('{not json\n')
    rules = str(DEFAULT_RULES_DIR)
    text = runner.invoke(app, ["compare", "--rules", rules, "--rules", rules, str(export), "--as-of", "2026-07-01"])
    assert text.output.count(f"{export}:1") == 1, text.output
    as_json = runner.invoke(app, ["compare", "--rules", rules, "--rules", rules, str(export), "--as-of", "2026-07-01",
                                  "--format", "json"])
    assert as_json.stderr.count(f"{export}:1") == 1 and json.loads(as_json.stdout)["rejected"]
