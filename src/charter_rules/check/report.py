"""The result of checking many cases: counts that add up, and every breach and rejected record, in input order.

A :class:`CheckReport` is *mergeable*: the report of an export is the merge, in input order, of the reports of its
parts. A process pool (``run.py``) and a Dask cluster (``dask_cluster.py``) both build it that way from the same
per-chunk code (``chunk.py``), so they give the same report, byte for byte, as one process does.

Counts are plain counters keyed by (rule, status), (rule, month, status), (rule, fact) ...; breaches and rejected
records are JSON lines kept in a :class:`Spool` (memory while small, a temporary file beyond), so a million-case
export with hundreds of thousands of breaches keeps memory flat.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
import weakref
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

import orjson

from ..obligation import OWED_STATUSES, STATUS_NAMES, DutyKind, SettingInForce, decided_count

FAIL_ON_CHOICES = ("overdue", "satisfied_late", "indeterminate", "rejected")
STATUSES = STATUS_NAMES  # the statuses counted, in report order (see obligation.STATUS_TABLE)
SPOOL_MEMORY = 8 << 20  # bytes kept in memory before a spool moves to a temporary file


class Spool:
    """JSON lines in order: in memory while small, in a temporary file beyond. Picklable (for Dask)."""

    def __init__(self, lines: Iterable[bytes] = ()) -> None:
        self._blocks: list[bytes] = []  # whole lines, each ending with a newline
        self._size = 0
        self._file: Any = None
        self.count = 0
        for line in lines:
            self.append(line)

    def append(self, line: bytes) -> None:
        self.append_block(line + b"\n", 1)

    def append_block(self, block: bytes, count: int) -> None:
        """Add ``count`` whole lines at once (``block`` ends with a newline)."""
        if not count:
            return
        self.count += count
        if self._file is not None:
            self._file.write(block)
            return
        self._blocks.append(bytes(block))
        self._size += len(block)
        if self._size > SPOOL_MEMORY:
            self._file = tempfile.TemporaryFile()
            weakref.finalize(self, self._file.close)
            self._file.write(b"".join(self._blocks))
            self._blocks = []

    def extend(self, other: "Spool") -> None:
        if other._file is None:
            for block in other._blocks:
                self.append_block(block, block.count(b"\n"))
            return
        for line in other:
            self.append(line)

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[bytes]:
        if self._file is None:
            for block in list(self._blocks):
                yield from block.split(b"\n")[:-1]
            return
        handle = self._file
        end = handle.tell()
        handle.seek(0)
        try:
            while handle.tell() < end:
                line = handle.readline()
                if not line:
                    break
                yield line[:-1]
        finally:
            handle.seek(end)

    def records(self) -> Iterator[dict[str, Any]]:
        for line in self:
            yield orjson.loads(line)

    def __getstate__(self) -> dict[str, Any]:
        return {"lines": list(self)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["lines"])  # type: ignore[misc]


def case_digest(case_id: str) -> bytes:
    """The 16-byte digest a case id is known by when checking (see merge.CaseIndex)."""
    return hashlib.blake2b(case_id.encode(), digest_size=16).digest()


def _add(target: Counter[Any], other: Counter[Any], sign: int) -> None:
    for key, value in other.items():
        total = target[key] + sign * value
        if total:
            target[key] = total
        else:
            del target[key]


@dataclass
class Counts:
    """Everything a report counts. Adding two gives the counts of both parts; subtracting takes a part out."""

    records_read: int = 0
    evaluated: int = 0
    rejected: int = 0
    obligations: Counter[tuple[str, str]] = field(default_factory=Counter)  # (rule, status)
    periods: Counter[tuple[str, int, str]] = field(default_factory=Counter)  # (rule, yyyymm, status)
    missing_facts: Counter[tuple[str, str]] = field(default_factory=Counter)  # (rule, fact) -> cases
    warnings: Counter[str] = field(default_factory=Counter)  # warning -> cases
    kinds: Counter[str] = field(default_factory=Counter)  # case kind -> cases evaluated
    duties: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind of duty, status); not applicable left out

    def add(self, other: "Counts", sign: int = 1) -> None:
        self.records_read += sign * other.records_read
        self.evaluated += sign * other.evaluated
        self.rejected += sign * other.rejected
        _add(self.obligations, other.obligations, sign)
        _add(self.periods, other.periods, sign)
        _add(self.missing_facts, other.missing_facts, sign)
        _add(self.warnings, other.warnings, sign)
        _add(self.kinds, other.kinds, sign)
        _add(self.duties, other.duties, sign)


@dataclass(frozen=True)
class RuleTally:
    """One rule's line of the summary table."""

    rule_id: str
    title: str
    counts: dict[str, int]

    @property
    def owed(self) -> int:
        """Obligations that were owed and can be judged: due, at risk, overdue, satisfied (either way)."""
        return sum(self.counts[s] for s in OWED_STATUSES)

    @property
    def decided(self) -> int:
        return decided_count(self.counts)

    @property
    def compliance_rate(self) -> float | None:
        """Met on time, out of those met or past their deadline; None when there are none."""
        return compliance_rate(self.counts)


def compliance_rate(counts: dict[str, int] | Counter[str]) -> float | None:
    decided = decided_count(counts)
    return counts["satisfied"] / decided if decided else None


@dataclass
class RejectionGroup:
    """Rejected records that share a cause: how many, how to fix them, and where the first ones are."""

    cause: str
    hint: str | None
    count: int = 0
    first: list[str] = field(default_factory=list)  # "file:line" of the first few, in input order

    @property
    def where(self) -> list[str]:
        """The places of the first few records (the same as ``first``)."""
        return self.first


def _first_hint(entry: dict[str, Any]) -> str | None:
    for problem in entry.get("problems", ()):
        if problem.get("hint"):
            return str(problem["hint"])
    return None


@dataclass
class CheckReport:
    """The report of one check. ``rules`` maps rule id to title, in rule-book order; ``fact_titles`` a fact's name
    to the words people read for it."""

    as_of: dt.datetime
    rules: dict[str, str]
    counts: Counts = field(default_factory=Counts)
    breaches: Spool = field(default_factory=Spool)
    rejections: Spool = field(default_factory=Spool)
    timelines: dict[str, dict[str, Any]] = field(default_factory=dict)  # case id -> timeline, for --case
    redacted: bool = False
    settings: tuple[SettingInForce, ...] = ()  # the interpretation settings the rule book was loaded with
    evaluated_cases: Any = None  # the ids evaluated (as a merge.CaseIndex of digests), for run-to-run comparison
    fact_titles: dict[str, str] = field(default_factory=dict)

    def has_case(self, case_id: str) -> bool:
        """Whether a record of this case id was evaluated (not rejected) in this check."""
        if self.evaluated_cases is None:
            raise ValueError("this report does not record which cases it evaluated")
        return case_digest(case_id) in self.evaluated_cases

    def merge(self, other: "CheckReport") -> "CheckReport":
        """Add the report of the records that come after this one's (same rule book, same as-of moment)."""
        if other.as_of != self.as_of:
            raise ValueError("cannot merge reports made at different as-of moments")
        for rule_id, title in other.rules.items():
            self.rules.setdefault(rule_id, title)
        for fact, title in other.fact_titles.items():
            self.fact_titles.setdefault(fact, title)
        self.counts.add(other.counts)
        self.breaches.extend(other.breaches)
        self.rejections.extend(other.rejections)
        for case_id, timeline in other.timelines.items():
            self.timelines.setdefault(case_id, timeline)
        self.redacted = self.redacted or other.redacted
        self.settings = self.settings or other.settings
        return self

    # --- views --------------------------------------------------------------------------------------------------
    @property
    def records_read(self) -> int:
        return self.counts.records_read

    @property
    def evaluated(self) -> int:
        return self.counts.evaluated

    @property
    def rejected(self) -> int:
        return self.counts.rejected

    def count(self, status: str) -> int:
        return sum(n for (_, s), n in self.counts.obligations.items() if s == status)

    def rejection_groups(self, first: int = 5) -> list[RejectionGroup]:
        """Rejected records grouped by cause, the most common first, each with its first ``first`` places."""
        groups: dict[str, RejectionGroup] = {}
        for entry in self.rejections.records():
            cause = entry.get("cause") or entry.get("error") or "rejected"
            group = groups.get(cause)
            if group is None:
                group = groups[cause] = RejectionGroup(cause, _first_hint(entry))
            group.count += 1
            if len(group.first) < first:
                group.first.append(entry["where"])
        return sorted(groups.values(), key=lambda g: -g.count)

    def duty_counts(self) -> list[tuple[DutyKind, dict[str, int]]]:
        """For each kind of duty, strongest first, its obligations by status (not applicable ones left out)."""
        table = {duty: dict.fromkeys(STATUSES, 0) for duty in DutyKind}
        for (duty, status), n in self.counts.duties.items():
            if duty in table:
                table[DutyKind(duty)][status] += n
        return list(table.items())

    def tallies(self) -> list[RuleTally]:
        by_rule: dict[str, dict[str, int]] = {rule: dict.fromkeys(STATUSES, 0) for rule in self.rules}
        for (rule, status), n in self.counts.obligations.items():
            by_rule.setdefault(rule, dict.fromkeys(STATUSES, 0))[status] += n
        return [RuleTally(rule, self.rules.get(rule, rule), counts) for rule, counts in by_rule.items()]

    def months(self) -> list[int]:
        return sorted({month for (_, month, _) in self.counts.periods})

    def missing_facts(self) -> list[tuple[str, str, int]]:
        """(rule, fact, cases), most common first, ties in rule and fact order."""
        rows = [(rule, fact, n) for (rule, fact), n in self.counts.missing_facts.items()]
        return sorted(rows, key=lambda row: (-row[2], row[0], row[1]))

    def warnings(self) -> list[tuple[str, int]]:
        return sorted(self.counts.warnings.items(), key=lambda row: (-row[1], row[0]))

    def failures(self, fail_on: Iterable[str], tolerated_rate: float = 0.0) -> list[str]:
        """The chosen outcomes found above the tolerated share, each as a sentence ([] means the run passes).

        The share is of owed obligations (due, at risk, overdue, satisfied, satisfied late), or of records read for
        ``rejected``.
        """
        owed = sum(n for (_, s), n in self.counts.obligations.items() if s in OWED_STATUSES)
        out = []
        for outcome in dict.fromkeys(fail_on):
            if outcome == "rejected":
                found, base, of = self.rejected, self.records_read, "records read"
            else:
                found, base, of = self.count(outcome), owed, "owed obligations"
            if found and found / (base or 1) > tolerated_rate:
                share = found / (base or 1)
                out.append(f"{found} {outcome.replace('_', ' ')} ({share:.2%} of {base} {of}; "
                           f"tolerated {tolerated_rate:.2%})")
        return out

    def failed(self, fail_on: Iterable[str], tolerated_rate: float = 0.0) -> bool:
        return bool(self.failures(fail_on, tolerated_rate))
