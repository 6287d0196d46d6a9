"""The machine-readable report: versioned JSON (``format: charter-rules.check/2``), streamed.

The summary comes first; then every breach and every rejected record, one per line, so a report with a million
entries is written without building it in memory and can be read line by line as well as parsed whole.
"""

from __future__ import annotations

from typing import Any, BinaryIO, Iterable

import orjson

from ..check.report import STATUSES
from .baseline_section import baseline_json
from ..obligation import decided_count
from .view import REPORT_FORMAT, ReportView, month_iso


def summary(view: ReportView) -> dict[str, Any]:
    report = view.report
    options = view.options
    return {
        "format": REPORT_FORMAT,
        "as_of": report.as_of.isoformat(),
        "redacted": report.redacted,
        "verdict": {
            "failed": view.failed,
            "fail_on": list(options.fail_on),
            "tolerated_rate": options.tolerated_rate,
            "reasons": view.failures,
        },
        "totals": view.totals(),
        "duties": [
            {"duty": duty.value, "title": duty.label, "overdue": overdue, "satisfied_late": late,
             "breaches": overdue + late, "owed": owed}
            for duty, overdue, late, owed in view.duty_rows()
        ],
        "settings": [setting.to_dict() for setting in report.settings],
        "case_kinds": dict(sorted(report.counts.kinds.items())),
        "rules": [
            {"rule": t.rule_id, "title": t.title, **{s: t.counts[s] for s in STATUSES},
             "compliance_rate": t.compliance_rate}
            for t in view.tallies
        ],
        "months": [
            {"rule": rule, "month": month_iso(month), **counts, "compliance_rate": _rate(counts)}
            for rule, month, counts in view.month_rows()
        ],
        "figures": [
            {
                "id": f.id, "title": f.title, "right": f.right, "availability": f.availability,
                "rules": list(f.rules), "missing_rules": list(f.missing_rules),
                "quarters": [
                    {"quarter": q.quarter, "decided": q.decided, "on_time": q.counts["satisfied"],
                     "late": q.counts["satisfied_late"], "overdue": q.counts["overdue"],
                     "open": q.counts["due"] + q.counts["at_risk"], "waived": q.counts["waived"],
                     "indeterminate": q.counts["indeterminate"], "rate": q.rate}
                    for q in f.quarters
                ],
            }
            for f in view.figures
        ],
        "missing_facts": [
            {"rule": rule, "title": title, "fact": fact, "cases": n,
             "text": view.missing_sentence(n, title, fact)}
            for n, rule, title, fact in view.missing_fact_lines()
        ],
        "warnings": [{"warning": w, "cases": n} for w, n in view.report.warnings()],
        "rejection_causes": [
            {"cause": g.cause, "records": g.count, "hint": g.hint, "first": g.first}
            for g in view.rejection_groups()
        ],
        "timelines": [report.timelines[k] for k in sorted(report.timelines)],
        **({"compared_with_baseline": compared} if (compared := baseline_json(view)) is not None else {}),
    }


def _rate(counts: dict[str, int]) -> float | None:
    decided = decided_count(counts)
    return counts["satisfied"] / decided if decided else None


def _write_list(out: BinaryIO, name: str, lines: Iterable[bytes], last: bool) -> None:
    out.write(b'  "' + name.encode() + b'": [')
    first = True
    for line in lines:
        out.write((b"\n    " if first else b",\n    ") + line)
        first = False
    out.write(b"]" if first else b"\n  ]")
    out.write(b"\n" if last else b",\n")


def render_json(view: ReportView, out: BinaryIO) -> None:
    head = orjson.dumps(summary(view), option=orjson.OPT_INDENT_2)
    out.write(head[:-2] + b",\n")  # reopen the object after its last member
    _write_list(out, "breaches", view.report.breaches, last=False)
    _write_list(out, "rejected", view.report.rejections, last=True)
    out.write(b"}\n")
