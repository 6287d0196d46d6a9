"""The work queue's due dates as an iCalendar file a team can subscribe to (RFC 5545, written by ``icalendar``).

One all-day event per row on its due date, with a stable UID (case, rule, occurrence), so a calendar that
refreshes the file updates events rather than adding copies.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Calendar, Event

from .queue import WorkQueue
from .queue_words import STATUS_WORDS, responsible_text

PRODID = "-//charter-rules//work queue//EN"


def render_ics(queue: WorkQueue) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Charter obligations due")
    stamp = queue.as_of.astimezone(dt.timezone.utc)
    for row in queue.rows:
        event = Event()
        key = f"{row.case_id}\x00{row.rule_id}\x00{row.instance}".encode()
        event.add("uid", hashlib.sha256(key).hexdigest()[:32] + "@charter-rules")
        event.add("dtstamp", stamp)
        event.add("dtstart", row.due_date)
        event.add("dtend", row.due_date + dt.timedelta(days=1))
        event.add("summary", f"{row.case_id}: {row.rule_title} ({STATUS_WORDS[row.status]})")
        who = responsible_text(row)
        event.add("description", f"{row.action}\nResponsible: {who}\nRecord: {row.where}")
        event.add("categories", [STATUS_WORDS[row.status]])
        calendar.add_component(event)
    return calendar.to_ical()
