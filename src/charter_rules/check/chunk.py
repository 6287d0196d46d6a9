"""Check one chunk of an export: validate each record, evaluate it, and count the result.

This is the code every worker runs, whether in this process, in a process pool or on a Dask cluster. It takes a
chunk of records as bytes and gives back a :class:`ChunkResult`: the chunk's counts, its breaches and rejected
records as JSON lines, and for each record a 16-byte digest of its case id, so that whoever puts the chunks back in
order can find duplicate case ids across the whole export (``merge.py``).
"""

from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic import ValidationError

from .report import Counts, case_digest
from ..caseview import london_date
from ..compiled import CompiledRulebook
from .csv_exports import CsvReader
from ..errors import CharterRulesError, Problem
from ..evaluator import evaluate
from ..evaluator.verdicts import VerdictPlan, Verdicts
from ..obligation import BREACH_STATUSES, Obligation, State, Timeliness
from ..inputlimits import MAX_RECORD_BYTES
from .redact import PersonalData
from ..snapshot import problems_from_validation
from ..wording import json_error_text
from .reading import FilePart, Item, ItemsChunk, LinesChunk, read_part, split_lines, where_text

NO_DIGEST = bytes(16)
_STATUS = {  # (state, timeliness) -> the report's status word, without building a Status enum per obligation
    (State.OPEN, Timeliness.ON_TIME): "due", (State.OPEN, None): "due",
    (State.OPEN, Timeliness.AT_RISK): "at_risk", (State.OPEN, Timeliness.OVERDUE): "overdue",
    (State.SATISFIED, Timeliness.ON_TIME): "satisfied", (State.SATISFIED, None): "satisfied",
    (State.SATISFIED, Timeliness.SATISFIED_LATE): "satisfied_late",
}
for _state in State:  # any other state, without a timeliness, is reported under its own name
    _STATUS.setdefault((_state, None), _state.value)
_INDETERMINATE = State.INDETERMINATE
_NOT_APPLICABLE = State.NOT_APPLICABLE


@dataclass(frozen=True)
class CheckSettings:
    """What every worker needs to know besides the records (picklable: sent once to each worker)."""

    as_of: dt.datetime
    rules_dir: str | None = None
    redact: bool = False
    timeline_cases: frozenset[str] = frozenset()
    max_record_bytes: int = MAX_RECORD_BYTES
    rule_settings: tuple[tuple[str, str], ...] = ()  # interpretation settings chosen for the run: (id, value)


@dataclass
class ChunkResult:
    """What checking one chunk gives: per-record digests and lines, the counts, breaches and rejections.

    Kept packed (flat arrays and one block of JSON lines) so that sending it between processes makes a handful of
    Python objects, not several per record: the process that merges results does little work per record.
    """

    counts: Counts = field(default_factory=Counts)
    lines: array = field(default_factory=lambda: array("q"))  # the line each record starts on (0: no line)
    digests: bytearray = field(default_factory=bytearray)  # 16 bytes per record; zeros if not evaluated
    breach_records: array = field(default_factory=lambda: array("l"))  # the record index of each breach
    breach_block: bytearray = field(default_factory=bytearray)  # the breaches, one JSON line each
    rejections: list[tuple[int, bytes]] = field(default_factory=list)  # (record index in chunk, JSON line)
    timelines: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def breaches(self) -> list[tuple[int, bytes]]:
        """(record index, JSON line) of every breach, in order."""
        return list(zip(self.breach_records, bytes(self.breach_block).split(b"\n")))

    def add_breach(self, index: int, line: bytes) -> None:
        self.breach_records.append(index)
        self.breach_block += line + b"\n"

    def extend(self, other: "ChunkResult") -> None:
        """Append the result of the records that follow (used to make one result of a whole part)."""
        offset = len(self.lines)
        self.counts.add(other.counts)
        self.lines.extend(other.lines)
        self.digests += other.digests
        self.breach_records.extend(i + offset for i in other.breach_records)
        self.breach_block += other.breach_block
        self.rejections.extend((i + offset, line) for i, line in other.rejections)
        self.timelines.extend((i + offset, case_id, t) for i, case_id, t in other.timelines)


class Checker:
    """Validates and evaluates records against one compiled rule book at one moment."""

    def __init__(self, book: CompiledRulebook, settings: CheckSettings) -> None:
        self.book = book
        self.settings = settings
        self.as_of = settings.as_of
        self.model = book.snapshot_model
        # most records are decoded by msgspec structs; pydantic judges the rest (see case_decoder.py)
        self.decoder = book.case_decoder
        self.personal = PersonalData.from_vocabulary(book.vocabulary) if settings.redact else None
        self.csv_reader = CsvReader(book.vocabulary)
        # The verdicts of each case without the explanations nobody reads in bulk; rules for other kinds of case
        # and rules nothing in the case has started are counted without being made (see evaluator/verdicts.py)
        self.plan = VerdictPlan(book)

    # --- chunks -------------------------------------------------------------------------------------------------
    def check_chunk(self, chunk: LinesChunk | ItemsChunk) -> ChunkResult:
        result = ChunkResult()
        if isinstance(chunk, LinesChunk):
            source = chunk.source
            for line, text in split_lines(chunk):
                self._record(result, source, line, text, None, None, None)
        else:
            for item in chunk.items:
                self._record(result, item.source, item.line, item.payload, item.error, item.field, item.case_id)
        return result

    def check_item(self, item: Item) -> ChunkResult:
        """One record on its own (used to take a duplicate's counts back out)."""
        return self.check_chunk(ItemsChunk((item,)))

    # --- one record ---------------------------------------------------------------------------------------------
    def _record(self, result: ChunkResult, source: str, line: int | None, payload: bytes | None,
                error: str | None, field_name: str | None, known_id: str | None) -> None:
        index = len(result.lines)
        result.lines.append(line or 0)
        counts = result.counts
        counts.records_read += 1
        if payload is None:
            problem = Problem(error or "unreadable record", path=source, line=line, field=field_name)
            self._reject(result, index, source, line, known_id, [problem], None)
            return
        snapshot = self.decoder.decode(payload)
        try:
            if snapshot is None:
                snapshot = self.model.model_validate_json(payload)
        except ValidationError as exc:
            data = _loads(payload)
            if data is _BAD_JSON:
                problems = [Problem("not valid JSON: " + _json_error(payload), path=source, line=line,
                                    hint="each record must be one complete JSON object", cause="not valid JSON")]
                self._reject(result, index, source, line, None, problems, None)
                return
            problems = problems_from_validation(exc, source=source, line=line, show_values=self.personal is None,
                                                model=self.model)
            case_id = data.get("case_id") if isinstance(data, dict) else None
            self._reject(result, index, source, line, case_id if isinstance(case_id, str) else None, problems, data)
            return
        try:
            evaluation = self.plan.evaluate(snapshot, as_of=self.as_of)
        except CharterRulesError as exc:
            problem = Problem(str(exc), path=source, line=line)
            self._reject(result, index, source, line, snapshot.case_id, [problem], _loads(payload))
            return
        case_id = snapshot.case_id
        result.digests += case_digest(case_id)
        counts.evaluated += 1
        counts.kinds[snapshot.kind] += 1
        self._tally(result, index, evaluation, where_text(source, line), payload)
        obligations = counts.obligations
        for rule_id in evaluation.not_for_kind:
            obligations[(rule_id, "not_applicable")] += 1
        for rule_id in evaluation.not_started:
            obligations[(rule_id, "not_applicable")] += 1
        if case_id in self.settings.timeline_cases:
            from .case_timeline import case_timeline

            snapshot = self.model.model_validate_json(payload)  # the public model, which the timeline reads
            full = evaluate(self.book, snapshot, as_of=self.as_of)
            timeline = case_timeline(self.book, snapshot, full, where_text(source, line), self.personal)
            result.timelines.append((index, case_id, timeline))

    def _tally(self, result: ChunkResult, index: int, evaluation: Verdicts, where: str, payload: bytes) -> None:
        counts = result.counts
        obligations, periods, duties = counts.obligations, counts.periods, counts.duties
        missing: set[tuple[str, str]] = set()
        scrub_values: list[str] | None = None
        for o in evaluation.obligations:
            state = o.state
            status = _STATUS.get((state, o.timeliness)) or o.status.value
            rule = o.rule_id
            obligations[(rule, status)] += 1
            if state is not _NOT_APPLICABLE and o.duty is not None:
                duties[(o.duty.value, status)] += 1
            day = o.due_date
            if day is None and o.triggered_at is not None:
                day = london_date(o.triggered_at)
            if day is not None:
                periods[(rule, day.year * 100 + day.month, status)] += 1
            if state is _INDETERMINATE:
                for reason in o.reasons:
                    for fact in reason.missing:
                        missing.add((rule, fact))
            elif status in BREACH_STATUSES:
                line = _breach(o, status, where)
                if self.personal is not None:
                    if scrub_values is None:
                        scrub_values = self.personal.values_in(_loads(payload))
                    line = self.personal.scrub_bytes(line, scrub_values)
                result.add_breach(index, line)
        for key in missing:
            counts.missing_facts[key] += 1
        if evaluation.warnings:
            for warning in set(evaluation.warnings):
                counts.warnings[warning] += 1

    def _reject(self, result: ChunkResult, index: int, source: str, line: int | None, case_id: str | None,
                problems: list[Problem], data: Any) -> None:
        result.digests += NO_DIGEST
        result.counts.rejected += 1
        entry = rejection_entry(source, line, case_id, problems)
        if self.personal is not None:
            entry = self.personal.scrub_bytes(entry, self.personal.values_in(data))
        result.rejections.append((index, entry))


def rejection_entry(source: str, line: int | None, case_id: str | None, problems: list[Problem]) -> bytes:
    return orjson.dumps({
        "where": where_text(source, line),
        "source": source,
        "line": line,
        "case_id": case_id,
        "error": "; ".join(f"{p.field}: {p.message}" if p.field else p.message for p in problems),
        "cause": rejection_cause(problems),
        "problems": [{"field": p.field, "message": p.message, "hint": p.hint} for p in problems],
    })


def rejection_cause(problems: list[Problem]) -> str:
    """What a rejected record has in common with others rejected for the same reason (no per-record values)."""
    return "; ".join(dict.fromkeys(p.cause or p.message for p in problems))


def _breach(o: Obligation, status: str, where: str) -> bytes:
    return orjson.dumps({
        "case_id": o.case_id,
        "where": where,
        "rule": o.rule_id,
        "instance": o.instance,
        "status": status,
        "triggered_at": o.triggered_at,
        "trigger": o.trigger_event,
        "due_date": o.due_date,
        "satisfied_at": o.satisfied_at,
        "satisfied_by": o.satisfied_by,
        "variant": o.variant,
        "duty": o.duty.value if o.duty else None,
        "needed": o.needed if o.satisfied_at is None else None,
    })


_BAD_JSON = object()


def _loads(payload: bytes) -> Any:
    try:
        return orjson.loads(payload)
    except orjson.JSONDecodeError:
        return _BAD_JSON


def _json_error(payload: bytes) -> str:
    try:
        orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        return json_error_text(exc.msg, exc.pos)
    return "unknown error"  # pragma: no cover - only called for text that did not parse


_CHECKERS: dict[CheckSettings, Checker] = {}


def checker_for(settings: CheckSettings) -> Checker:
    """The checker of this process for these settings: the rule book is loaded and compiled once per process."""
    checker = _CHECKERS.get(settings)
    if checker is None:
        from .._api import default_rulebook, load_compiled

        chosen = dict(settings.rule_settings)
        book = (load_compiled(settings.rules_dir, settings=chosen) if settings.rules_dir
                else default_rulebook(settings=chosen))
        checker = _CHECKERS[settings] = Checker(book, settings)
    return checker


def install_checker(settings: CheckSettings, book: CompiledRulebook) -> Checker:
    """Make ``book`` this process's rule book for ``settings`` (a pool worker gets it from the main process)."""
    checker = _CHECKERS[settings] = Checker(book, settings)
    return checker


def check_part(settings: CheckSettings, part: FilePart | Item) -> ChunkResult:
    """Check one part of an export, reading it here: what a cluster worker runs (``dask_cluster.py``)."""
    checker = checker_for(settings)
    result = ChunkResult()
    for chunk in read_part(part, csv_reader=checker.csv_reader, max_record_bytes=settings.max_record_bytes):
        result.extend(checker.check_chunk(chunk))
    return result

