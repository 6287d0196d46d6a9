"""Run-to-run comparison: this check's breaches against those of an earlier JSON report (``check --baseline``).

A breach is one obligation (case, rule, occurrence) that is overdue or was met late. Against the earlier report each
breach of this run is *new* or *persisting* (its status may have moved from overdue to met late), and each earlier
breach that is gone is *resolved* if its case was evaluated in this run, or *not in this run* if the case was not
(absent from the export, or rejected): a case that disappeared is never counted as put right.

``--fail-on new-overdue`` (or ``new-satisfied_late``, ``new-breach``) fails the run only when things got worse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import orjson

from ..obligation import BREACH_STATUSES
from .report import CheckReport
from ..errors import CharterRulesError

ACCEPTED_FORMAT = re.compile(r"^charter-rules\.check/(\d+)$")
OLDEST_VERSION = 2  # version 1 reports did not list every breach with its occurrence number
NEW_FAIL_ON = ("new-overdue", "new-satisfied_late", "new-breach")
KINDS = ("new", "persisting", "resolved", "not_in_run")
KIND_LABELS = {"new": "new", "persisting": "persisting", "resolved": "resolved",
               "not_in_run": "case not in this run"}

BreachKey = tuple[str, str, int]
EARLIER_FIELDS = ("case_id", "rule", "instance", "status", "due_date", "where")


class BaselineError(CharterRulesError):
    """The earlier report cannot be compared with: unreadable, not a check report, or too old."""


def _key(breach: dict[str, Any]) -> BreachKey:
    return (str(breach["case_id"]), str(breach["rule"]), int(breach["instance"]))


@dataclass(frozen=True)
class Baseline:
    """The breaches of an earlier report, by (case, rule, occurrence)."""

    path: str
    as_of: str
    breaches: dict[BreachKey, dict[str, Any]]


def load_baseline(path: Path | str) -> Baseline:
    """Read an earlier ``check --format json`` report; anything else is refused with what to do instead."""
    where = str(path)
    try:
        data = orjson.loads(Path(path).read_bytes())
    except OSError as exc:
        raise BaselineError(f"{where}: cannot read the baseline report ({exc.strerror or exc})") from None
    except orjson.JSONDecodeError as exc:
        raise BaselineError(f"{where}: the baseline is not JSON ({exc}); give a report written by "
                            "'charter-rules check --format json'") from None
    fmt = data.get("format") if isinstance(data, dict) else None
    match = ACCEPTED_FORMAT.match(fmt) if isinstance(fmt, str) else None
    if match is None:
        shown = f"its format is {fmt!r}" if isinstance(fmt, str) else "it has no 'format'"
        raise BaselineError(f"{where}: not a charter-rules check report ({shown}); give a report written by "
                            "'charter-rules check --format json'")
    if int(match.group(1)) < OLDEST_VERSION:
        raise BaselineError(f"{where}: the report is in the old format {fmt}, which cannot be compared with; run "
                            "the earlier check again with this version (--format json) to make a baseline")
    breaches = data.get("breaches")
    if not isinstance(breaches, list):
        raise BaselineError(f"{where}: the report has no 'breaches' list; it is incomplete")
    found: dict[BreachKey, dict[str, Any]] = {}
    for index, breach in enumerate(breaches):
        try:
            found[_key(breach)] = breach
        except (KeyError, TypeError, ValueError):
            raise BaselineError(f"{where}: breaches[{index}] lacks case_id, rule or instance; the report is "
                                "damaged") from None
    return Baseline(where, str(data.get("as_of", "")), found)


@dataclass
class BaselineComparison:
    """Breaches of this run against the baseline: listed by kind, and counted per rule."""

    baseline: Baseline
    entries: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {k: [] for k in KINDS})

    def count(self, kind: str, status: str | None = None) -> int:
        return sum(1 for b in self.entries[kind] if status is None or b["status"] == status)

    def per_rule(self, rules: Iterable[str]) -> list[tuple[str, dict[str, int]]]:
        """(rule, {kind: breaches}) for every rule with any, in rule-book order."""
        table: dict[str, dict[str, int]] = {}
        for kind, listed in self.entries.items():
            for breach in listed:
                table.setdefault(breach["rule"], dict.fromkeys(KINDS, 0))[kind] += 1
        order = list(rules)
        order += sorted(r for r in table if r not in order)
        return [(rule, table[rule]) for rule in order if rule in table]

    def failures(self, fail_on: Iterable[str]) -> list[str]:
        out = []
        for outcome in dict.fromkeys(fail_on):
            if outcome not in NEW_FAIL_ON:
                continue
            status = outcome.removeprefix("new-")
            found = self.count("new", None if status == "breach" else status)
            if found:
                what = "breach" if status == "breach" else status.replace("_", " ")
                out.append(f"{found} new {what}{'es' if what == 'breach' and found != 1 else ''} since the "
                           f"baseline of {self.baseline.as_of or self.baseline.path}")
        return out


def compare_with_baseline(report: CheckReport, baseline: Baseline,
                          evaluated: Callable[[str], bool] | None = None) -> BaselineComparison:
    """Sort this run's breaches and the baseline's into new, persisting, resolved and not-in-this-run.

    ``evaluated(case_id)`` says whether a case was evaluated in this run (default: ``report.has_case``).
    """
    has_case = evaluated or report.has_case
    comparison = BaselineComparison(baseline)
    seen: set[BreachKey] = set()
    for breach in report.breaches.records():
        key = _key(breach)
        seen.add(key)
        before = baseline.breaches.get(key)
        if before is None:
            comparison.entries["new"].append(breach)
        else:
            comparison.entries["persisting"].append({**breach, "baseline_status": before.get("status")})
    for key, breach in baseline.breaches.items():
        if key in seen or breach.get("status") not in BREACH_STATUSES:
            continue
        kind = "resolved" if has_case(key[0]) else "not_in_run"
        # only the fields that identify it: the earlier report may hold text this run must not show (--redact)
        comparison.entries[kind].append({name: breach.get(name) for name in EARLIER_FIELDS})
    return comparison
