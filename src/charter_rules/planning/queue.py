"""The work queue: every obligation still owed that is overdue, at risk or due soon, most urgent first.

One row per obligation, with who is responsible (from the case's events) and what would meet it in one plain
sentence. Rows are sorted by urgency: the most overdue first, then the least time left (both are the order of the
moment the obligation is or was due). Grouped on request (officer, team, rule or case kind), with totals per group.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from ..calendars import working_days_between
from ..caseview import london_date
from ..compiled import CompiledRulebook
from ..check.csv_exports import CsvReader
from ..errors import CharterRulesError, Problem
from ..evaluator import evaluate
from ..obligation import Evaluation, Obligation, Status
from ..check.redact import REDACTED, PersonalData
from ..snapshot import CaseSnapshot, problems_from_validation
from ..check.reading import read_records
from ..inputlimits import MAX_RECORD_BYTES
from .actions import action_sentence
from .owed import is_owed
from .responsible import responsible

GROUP_BY = ("officer", "team", "rule", "case-kind")
DEFAULT_WITHIN = 5  # working days
QUEUE_STATUSES = ("overdue", "at_risk", "due")
DUTY_LABELS = {"statutory": "law", "statutory_guidance": "statutory guidance", "charter": "charter promise",
               "local_standard": "local standard"}
NOBODY = {"officer": "no officer recorded", "team": "no team recorded"}


@dataclass(frozen=True)
class QueueRow:
    case_id: str
    case_kind: str
    case_kind_title: str
    rule_id: str
    rule_title: str
    instance: int
    status: str  # overdue, at_risk or due
    due_date: dt.date
    due_at: dt.datetime  # the first moment it is late
    working_days_left: int | None  # working days after today up to the due date; None once overdue
    days_overdue: int | None  # calendar days since the due date; None while not overdue
    officer: str | None
    team: str | None
    action: str  # what would meet it, in one sentence
    where: str  # file:line of the record
    duty: str | None = None  # law, guidance, charter or local standard, where the rule book says

    @property
    def urgency(self) -> tuple[Any, ...]:
        return (self.due_at, self.case_id, self.rule_id, self.instance)

    @property
    def time_text(self) -> str:
        if self.days_overdue is not None:
            return "overdue today" if self.days_overdue == 0 else \
                f"{self.days_overdue} day{'s' if self.days_overdue != 1 else ''} overdue"
        if not self.working_days_left:
            return "due today"
        left = self.working_days_left
        return f"{left} working day{'s' if left != 1 else ''} left"

    def group_key(self, by: str) -> str:
        if by == "officer":
            return self.officer or NOBODY["officer"]
        if by == "team":
            return self.team or NOBODY["team"]
        if by == "rule":
            return self.rule_title
        if by == "case-kind":
            return self.case_kind_title
        raise ValueError(f"cannot group by {by!r}; use one of {', '.join(GROUP_BY)}")


def totals(rows: Iterable[QueueRow]) -> dict[str, int]:
    out = dict.fromkeys(QUEUE_STATUSES, 0)
    for row in rows:
        out[row.status] += 1
    out["total"] = sum(out.values())
    return out


@dataclass(frozen=True)
class QueueGroup:
    label: str
    rows: tuple[QueueRow, ...]

    @property
    def totals(self) -> dict[str, int]:
        return totals(self.rows)


@dataclass
class WorkQueue:
    as_of: dt.datetime
    within: int
    rows: list[QueueRow] = field(default_factory=list)
    records_read: int = 0
    evaluated: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)  # {"where", "case_id", "error"}
    redacted: bool = False
    group_by: str | None = None

    @property
    def totals(self) -> dict[str, int]:
        return totals(self.rows)

    @property
    def has_duty(self) -> bool:
        return any(row.duty for row in self.rows)

    def groups(self) -> list[QueueGroup]:
        """The rows by ``group_by`` (one group of everything if none), most urgent group first."""
        if self.group_by is None:
            return [QueueGroup("all cases", tuple(self.rows))]
        grouped: dict[str, list[QueueRow]] = {}
        for row in self.rows:  # rows are in urgency order, so each group's first row is its most urgent
            grouped.setdefault(row.group_key(self.group_by), []).append(row)
        return [QueueGroup(label, tuple(rows)) for label, rows in grouped.items()]


def queue_rows(book: CompiledRulebook, snapshot: CaseSnapshot, evaluation: Evaluation, *,
               within: int = DEFAULT_WITHIN, where: str = "") -> list[QueueRow]:
    """The queue rows of one evaluated case, most urgent first."""
    as_of_day = london_date(evaluation.as_of)
    who = responsible(snapshot, evaluation.as_of)
    kind = book.vocabulary.case_kinds.get(snapshot.kind)
    rows = []
    for o in evaluation.obligations:
        row = _row(book, snapshot, o, as_of_day, within)
        if row is None:
            continue
        rows.append(QueueRow(
            snapshot.case_id, snapshot.kind, kind.title if kind else snapshot.kind, o.rule_id, o.rule_title,
            o.instance, row[0], o.due_date, o.due_at, row[1], row[2], who.officer, who.team,  # type: ignore[arg-type]
            action_sentence(book, o, snapshot), where, _duty(o)))
    rows.sort(key=lambda r: r.urgency)
    return rows


def _row(book: CompiledRulebook, snapshot: CaseSnapshot, o: Obligation, today: dt.date,
         within: int) -> tuple[str, int | None, int | None] | None:
    """(status, working days left, days overdue) if the obligation belongs in the queue, else None."""
    if not is_owed(o, book) or o.due_date is None or o.due_at is None:
        return None
    status = o.status
    if status is Status.OVERDUE:
        return "overdue", None, max(0, (today - o.due_date).days)
    calendar = book.calendars.get(o.deadline.calendar) if o.deadline else None
    left = 0
    if o.due_date > today:
        left = working_days_between(calendar, today + dt.timedelta(days=1), o.due_date) if calendar else \
            (o.due_date - today).days
    if status is Status.AT_RISK:
        return "at_risk", left, None
    if status is Status.DUE and left <= within:
        return "due", left, None
    return None


def _duty(o: Obligation) -> str | None:
    """The kind of duty in plain words ('law', 'statutory guidance', 'charter promise', 'local standard')."""
    value = getattr(o, "duty", None)
    if value is None:
        return None
    label = getattr(value, "label", None)
    if isinstance(label, str):
        return label
    text = str(getattr(value, "value", value))
    return DUTY_LABELS.get(text, text.replace("_", " "))


def build_queue(book: CompiledRulebook, paths: Iterable[Path | str], *, as_of: dt.datetime,
                within: int = DEFAULT_WITHIN, redact: bool = False, group_by: str | None = None,
                max_record_bytes: int = MAX_RECORD_BYTES) -> WorkQueue:
    """The work queue of every case in the exports at ``paths``; unreadable or invalid records are rejected."""
    if group_by is not None and group_by not in GROUP_BY:
        raise CharterRulesError(f"cannot group by {group_by!r}; use one of {', '.join(GROUP_BY)}")
    queue = WorkQueue(as_of, within, redacted=redact, group_by=group_by)
    personal = PersonalData.from_vocabulary(book.vocabulary) if redact else None
    seen: dict[str, str] = {}
    for record in read_records(paths, csv_reader=CsvReader(book.vocabulary), max_record_bytes=max_record_bytes):
        queue.records_read += 1
        scrub = personal.values_in(record.data) if personal else []
        if record.error is not None:
            queue.rejected.append({"where": record.where, "case_id": None, "error": record.error})
            continue
        case_id = record.data.get("case_id") if isinstance(record.data, dict) else None
        try:
            snapshot = book.snapshot_model.model_validate(record.data)
        except ValidationError as exc:
            problems = problems_from_validation(exc, source=record.source, line=record.line,
                                                show_values=not redact)
            _reject(queue, record.where, case_id, problems, personal, scrub)
            continue
        if snapshot.case_id in seen:
            _reject(queue, record.where, snapshot.case_id, [Problem(
                f"duplicate case id: first seen at {seen[snapshot.case_id]}", field="case_id")], personal, scrub)
            continue
        seen[snapshot.case_id] = record.where
        try:
            evaluation = evaluate(book, snapshot, as_of=as_of)
        except CharterRulesError as exc:
            _reject(queue, record.where, snapshot.case_id, [Problem(str(exc))], personal, scrub)
            continue
        queue.evaluated += 1
        rows = queue_rows(book, snapshot, evaluation, within=within, where=record.where)
        if personal is not None:
            rows = [_redacted(row, personal, scrub) for row in rows]
        queue.rows.extend(rows)
    queue.rows.sort(key=lambda r: r.urgency)
    return queue


def _reject(queue: WorkQueue, where: str, case_id: Any, problems: list[Problem], personal: PersonalData | None,
            scrub: list[str]) -> None:
    error = "; ".join(f"{p.field}: {p.message}" if p.field else p.message for p in problems)
    if personal is not None:
        error = personal.scrub(error, scrub)
    queue.rejected.append({"where": where, "case_id": case_id if isinstance(case_id, str) else None, "error": error})


def _redacted(row: QueueRow, personal: PersonalData, values: list[str]) -> QueueRow:
    from dataclasses import replace

    return replace(row, officer=REDACTED if row.officer is not None else None,
                   team=personal.scrub(row.team, values) if row.team else None,
                   action=personal.scrub(row.action, values))
