"""The work queue's shared wording: status words, the heading, totals and record counts."""

from __future__ import annotations

from ..explain import format_moment
from .queue import QueueRow, WorkQueue

STATUS_WORDS = {"overdue": "overdue", "at_risk": "at risk", "due": "due soon"}


def totals_text(totals: dict[str, int]) -> str:
    return (f"{totals['total']} to do: {totals['overdue']} overdue, {totals['at_risk']} at risk, "
            f"{totals['due']} due soon")


def heading(queue: WorkQueue) -> str:
    return (f"Work queue as of {format_moment(queue.as_of)}: owed obligations overdue, at risk or due within "
            f"{queue.within} working days")


def counts_text(queue: WorkQueue) -> str:
    rejected = len(queue.rejected)
    return (f"{queue.records_read} record{'s' if queue.records_read != 1 else ''} read, {queue.evaluated} evaluated, "
            f"{rejected} rejected")


def responsible_text(row: QueueRow) -> str:
    return ", ".join(x for x in (row.officer, row.team) if x) or "nobody recorded"
