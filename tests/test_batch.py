"""Checking many cases: totals add up, bad records are kept with where and why, duplicates are found, reports merge."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any

import pytest

from charter_rules.check import report as report_model
from charter_rules.check.report import CheckReport, Spool
from charter_rules.check.chunk import CheckSettings
from charter_rules.check.figures import FigureSpec, FiguresFile, compute_figures, load_figures
from charter_rules.check.merge import CaseIndex
from charter_rules.check.run import check_paths
from charter_rules.reports import render
from charter_rules.rulebook import DEFAULT_RULES_DIR

from .conftest import REPO, crime_case

sys.path.insert(0, str(REPO / "benchmarks"))
import generate  # noqa: E402  (benchmarks/generate.py: the synthetic export)

AS_OF = dt.datetime(2026, 4, 2, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
# Worked by hand from rules/commitments/vcop-support-referral.yaml: received Fri 27 Mar 2026; Sat 28 and Sun 29 are
# not working days, so day 1 is Mon 30 Mar and day 2, the deadline, Tue 31 Mar. At noon on Thu 2 Apr, a case with
# no referral is overdue; one referred on Wed 1 Apr was satisfied late; one referred on Mon 30 Mar, on time.
RECEIVED = "2026-03-27T10:00:00+00:00"


def referral(at: str) -> dict[str, Any]:
    return {"id": "r1", "type": "referred_to_victim_support", "at": at}


def write_jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n")
    return path


def check(book, paths: list[Path], **settings: Any) -> CheckReport:
    return check_paths(paths, book, CheckSettings(as_of=settings.pop("as_of", AS_OF), **settings), workers=1)


def report_bytes(report: CheckReport, fmt: str = "json") -> bytes:
    out = io.BytesIO()
    render(report, fmt, out)
    return out.getvalue()


def referral_counts(report: CheckReport) -> dict[str, int]:
    return {s: n for (rule, s), n in report.counts.obligations.items() if rule == "vcop-support-referral"}


def test_hand_worked_referrals_are_counted_by_status_and_month(book, tmp_path: Path):
    export = write_jsonl(tmp_path / "export.jsonl", [
        crime_case("LATE", RECEIVED, [referral("2026-04-01T09:00:00+01:00")]),
        crime_case("NONE", RECEIVED),
        crime_case("ONTIME", RECEIVED, [referral("2026-03-30T11:00:00+01:00")]),
        crime_case("OPTED", RECEIVED, [{"id": "o", "type": "victim_opted_out_of_referral",
                                        "at": "2026-03-27T10:05:00+00:00"}]),
    ])
    report = check(book, [export])
    assert (report.records_read, report.evaluated, report.rejected) == (4, 4, 0)
    assert referral_counts(report) == {"satisfied_late": 1, "overdue": 1, "satisfied": 1, "waived": 1}
    # deadlines fell in March 2026; the waived one has no deadline and counts in the month it started
    months = {(m, s): n for (rule, m, s), n in report.counts.periods.items() if rule == "vcop-support-referral"}
    assert months == {(202603, "satisfied_late"): 1, (202603, "overdue"): 1, (202603, "satisfied"): 1,
                      (202603, "waived"): 1}
    referral_breaches = [b for b in report.breaches.records() if b["rule"] == "vcop-support-referral"]
    assert [(b["case_id"], b["status"], b["due_date"], b["where"]) for b in referral_breaches] == [
        ("LATE", "satisfied_late", "2026-03-31", f"{export}:1"),
        ("NONE", "overdue", "2026-03-31", f"{export}:2"),
    ]
    assert "'Referred to victim support services'" in referral_breaches[1]["needed"]


def test_bad_records_are_rejected_with_file_line_case_and_field(book, tmp_path: Path):
    naive = crime_case("NAIVE", RECEIVED, [referral("2026-03-30T11:00:00")])
    unknown = crime_case("UNKNOWN", RECEIVED, [{"id": "x", "type": "victim_telephoned", "at": RECEIVED}])
    no_received = crime_case("NORECEIVED")
    del no_received["received_at"]
    export = write_jsonl(tmp_path / "export.jsonl", [
        crime_case("GOOD", RECEIVED), naive, "{\"case_id\": \"CUT\", \"kind\": ", unknown, no_received, "[1, 2]"])
    report = check(book, [export])
    assert (report.records_read, report.evaluated, report.rejected) == (6, 1, 5)
    rejected = [(r["line"], r["case_id"], r["problems"][0]["field"]) for r in report.rejections.records()]
    assert rejected == [(2, "NAIVE", "events[0].at"), (3, None, None), (4, "UNKNOWN", "events[0].type"),
                        (5, "NORECEIVED", "received_at"), (6, None, None)]
    entries = list(report.rejections.records())
    assert entries[0]["where"] == f"{export}:2" and "no UTC offset" in entries[0]["problems"][0]["message"]
    assert entries[1]["problems"][0]["message"].startswith("not valid JSON")
    assert "add a UTC offset" in entries[0]["problems"][0]["hint"]


def test_a_duplicate_case_id_is_rejected_and_its_counts_taken_back(book, tmp_path: Path):
    first = crime_case("A", RECEIVED)
    again = crime_case("A", RECEIVED, [referral("2026-03-30T11:00:00+01:00")])  # would be on time: must not count
    other = crime_case("B", RECEIVED, [referral("2026-03-30T11:00:00+01:00")])
    with_dup = check(book, [write_jsonl(tmp_path / "dup.jsonl", [first, other, again])])
    without = check(book, [write_jsonl(tmp_path / "clean.jsonl", [first, other])])
    assert (with_dup.records_read, with_dup.evaluated, with_dup.rejected) == (3, 2, 1)
    assert with_dup.counts.obligations == without.counts.obligations
    assert with_dup.counts.periods == without.counts.periods
    assert list(with_dup.breaches) == [line.replace(b"clean.jsonl", b"dup.jsonl") for line in without.breaches]
    [entry] = with_dup.rejections.records()
    assert entry["where"] == f"{tmp_path / 'dup.jsonl'}:3" and entry["case_id"] == "A"
    assert entry["problems"][0] == {"field": "case_id", "hint": "each case must appear once in an export",
                                    "message": f"duplicate case id: first seen at {tmp_path / 'dup.jsonl'}:1"}


def test_duplicates_are_found_across_files_and_the_first_in_input_order_wins(book, tmp_path: Path):
    a = write_jsonl(tmp_path / "a.jsonl", [crime_case("X", RECEIVED)])
    b = write_jsonl(tmp_path / "b.jsonl", [crime_case("Y", RECEIVED), crime_case("X", RECEIVED)])
    report = check(book, [tmp_path])
    [entry] = report.rejections.records()
    assert entry["where"] == f"{b}:2" and entry["problems"][0]["message"].endswith(f"first seen at {a}:1")


def test_totals_add_up_on_a_synthetic_export_with_every_kind_of_fault(book, tmp_path: Path):
    export = tmp_path / "export.jsonl"
    export.write_bytes(b"\n".join(generate.generate(3000, seed=7)) + b"\n")
    report = check(book, [export], as_of=generate.AS_OF)
    assert report.records_read == 3000
    assert report.records_read == report.evaluated + report.rejected
    assert report.rejected == report.rejections.count
    messages = " ".join(r["error"] for r in report.rejections.records())
    for sign in ("duplicate case id", "not valid JSON", "no UTC offset", "unknown event type",
                 "received_at: required field is missing"):
        assert sign in messages, sign
    for library_wording in ("Input should", "Input tag", "Extra inputs", "Field required", "Value error"):
        assert library_wording not in messages, library_wording
    causes = {g.cause: g.count for g in report.rejection_groups()}
    assert sum(causes.values()) == report.rejected
    assert causes["received_at: required field is missing"] == sum(
        1 for r in report.rejections.records() if r["error"] == "received_at: required field is missing")
    assert sum(report.counts.kinds.values()) == report.evaluated
    # every evaluated case gets one obligation or more from every rule
    for rule in report.rules:
        assert sum(n for (r, _), n in report.counts.obligations.items() if r == rule) >= report.evaluated


def test_missing_facts_are_counted_per_case(book, tmp_path: Path):
    unknown_business = crime_case("U1", RECEIVED)
    del unknown_business["facts"]["victim_is_business"]
    twice = crime_case("U2", RECEIVED)
    del twice["facts"]["victim_is_business"]
    export = write_jsonl(tmp_path / "export.jsonl", [unknown_business, twice, crime_case("K", RECEIVED)])
    report = check(book, [export])
    assert ("vcop-support-referral", "victim_is_business", 2) in report.missing_facts()


def test_merging_the_reports_of_two_parts_gives_the_report_of_the_whole(book, tmp_path: Path):
    cases = [crime_case(f"C{i}", RECEIVED, [referral(f"2026-03-{27 + i % 5}T11:00:00+01:00")] if i % 3 else [])
             for i in range(12)]
    whole = check(book, [write_jsonl(tmp_path / "x.jsonl", cases)])
    first = check(book, [write_jsonl(tmp_path / "x.jsonl", cases[:5])])
    second = check(book, [write_jsonl(tmp_path / "x.jsonl", cases[5:])])
    merged = first.merge(second)
    assert merged.counts == whole.counts
    assert [b["case_id"] for b in merged.breaches.records()] == [b["case_id"] for b in whole.breaches.records()]
    with pytest.raises(ValueError):
        merged.merge(CheckReport(AS_OF + dt.timedelta(days=1), {}))


def test_the_verdict_follows_fail_on_and_the_tolerated_rate(book, tmp_path: Path):
    # one overdue referral among four owed referrals (plus whatever else the rule book owes)
    export = write_jsonl(tmp_path / "export.jsonl", [
        crime_case("NONE", RECEIVED)] + [crime_case(f"OK{i}", RECEIVED, [referral("2026-03-30T11:00:00+01:00")])
                                         for i in range(3)])
    report = check(book, [export])
    overdue = report.count("overdue")
    owed = sum(t.owed for t in report.tallies())
    assert overdue >= 1
    assert report.failed(["overdue"], 0.0)
    assert not report.failed(["overdue"], overdue / owed)  # exactly at the tolerated share passes
    assert report.failed(["overdue"], overdue / owed - 1e-9)
    assert not report.failed(["rejected"])
    [reason] = report.failures(["overdue"])
    assert reason.startswith(f"{overdue} overdue (") and f"of {owed} owed obligations" in reason


def test_spool_moves_to_a_file_and_survives_pickling(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(report_model, "SPOOL_MEMORY", 100)
    spool = Spool([b'{"n": %d}' % i for i in range(50)])
    assert spool._file is not None and len(spool) == 50
    assert list(spool)[:2] == [b'{"n": 0}', b'{"n": 1}'] and list(spool)[-1] == b'{"n": 49}'
    spool.append(b'{"n": 50}')  # appending after reading goes on at the end
    copy = ForkingPickler.loads(ForkingPickler.dumps(spool))  # how a process pool sends it to a worker
    assert [r["n"] for r in copy.records()] == list(range(51))


def test_case_index_finds_every_repeat_and_keeps_the_first_location():
    index = CaseIndex(capacity=8)
    digests = [i.to_bytes(16, "little") for i in range(1, 5000)]
    assert all(index.add(d, n) is None for n, d in enumerate(digests))
    assert index.count == 4999
    assert [index.add(digests[n], 10_000 + n) for n in (0, 77, 4998)] == [0, 77, 4998]


def test_figures_come_from_the_rules_named_in_the_data_file_and_missing_rules_say_so(book, tmp_path: Path):
    export = write_jsonl(tmp_path / "export.jsonl", [
        crime_case("LATE", RECEIVED, [referral("2026-04-01T09:00:00+01:00")]),
        crime_case("ONTIME", RECEIVED, [referral("2026-03-30T11:00:00+01:00")]),
    ])
    report = check(book, [export])
    spec = FiguresFile(figures=[
        FigureSpec(id="referral", title="Referral", right="Right 4", rules=["vcop-support-referral"]),
        FigureSpec(id="future", title="Future", right="Right 99", rules=["no-such-rule-yet"]),
        FigureSpec(id="mixed", title="Mixed", right="Right 4", rules=["vcop-support-referral", "no-such-rule-yet"]),
    ])
    referral_figure, future, mixed = compute_figures(report, spec)
    q1 = next(q for q in referral_figure.quarters if q.quarter == "2026-Q1")
    assert (q1.decided, q1.counts["satisfied"], q1.counts["satisfied_late"], q1.rate) == (2, 1, 1, 0.5)
    assert future.availability == "unavailable" and future.quarters == () and future.missing_rules == ("no-such-rule-yet",)
    assert mixed.availability == "partial" and mixed.rules == ("vcop-support-referral",)


def test_the_bundled_figures_file_is_valid_and_names_the_four_returns():
    spec = load_figures(DEFAULT_RULES_DIR)
    assert spec is not None
    assert [f.id for f in spec.figures] == ["written_acknowledgement", "referral_to_support_services",
                                            "timely_updates", "victim_personal_statement_offered"]


def test_a_bad_figures_file_is_an_error_naming_the_file(tmp_path: Path):
    (tmp_path / "figures.yaml").write_text("figures:\n  - id: x\n    title: X\n")
    from charter_rules.errors import RuleValidationError

    with pytest.raises(RuleValidationError) as caught:
        load_figures(tmp_path)
    assert "figures.yaml" in str(caught.value) and "rules" in str(caught.value)


class _FullEvaluation:
    """Stands in for a checker's verdict plan: every rule of every case through the full evaluator."""

    def __init__(self, book):
        self.book = book

    def evaluate(self, snapshot, *, as_of):
        from charter_rules import evaluate
        from charter_rules.evaluator.verdicts import Verdicts

        evaluation = evaluate(self.book, snapshot, as_of=as_of)
        return Verdicts(evaluation.case_id, as_of, evaluation.obligations, (), (), evaluation.warnings)


def test_rules_not_for_the_case_or_not_started_are_counted_without_evaluation_exactly_as_the_evaluator_would(book):
    from charter_rules.check.chunk import Checker
    from charter_rules.check.reading import LinesChunk

    chunk = LinesChunk("mix.jsonl", 1, b"\n".join(generate.generate(600, seed=21)) + b"\n")
    settings = CheckSettings(as_of=generate.AS_OF)
    fast = Checker(book, settings)
    full = Checker(book, settings)
    full.plan = _FullEvaluation(book)
    a, b = fast.check_chunk(chunk), full.check_chunk(chunk)
    assert a.counts.evaluated > 500 and a.breaches
    assert a.counts == b.counts and a.breaches == b.breaches and a.rejections == b.rejections


def test_counts_are_the_statuses_the_evaluator_gives(book):
    from collections import Counter

    from charter_rules import evaluate
    from charter_rules.check.chunk import Checker
    from charter_rules.check.reading import LinesChunk

    lines = list(generate.generate(400, seed=33, clean=True))
    expected: Counter = Counter()
    for line in lines:
        evaluation = evaluate(book, book.snapshot_model.model_validate_json(line), as_of=generate.AS_OF)
        expected.update((o.rule_id, o.status.value) for o in evaluation.obligations)
    result = Checker(book, CheckSettings(as_of=generate.AS_OF)).check_chunk(LinesChunk("x", 1, b"\n".join(lines) + b"\n"))
    assert result.counts.obligations == expected
