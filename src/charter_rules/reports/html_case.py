"""One case's section of the HTML report (``check --case ID``): its timeline picture (the same drawing as the
documentation site's worked examples), its facts in plain words, its events and its obligations, in London time."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..calendars import format_date
from ..drawing.timeline import STATUS_WORDS, moment_text, timeline_html
from .html_parts import e


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "not recorded"
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "none"
    if isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)+", value):
        return value.replace("_", " ")  # a value from a list of choices, read as words
    return str(value)


def _date(text: str | None) -> str:
    return format_date(dt.date.fromisoformat(text)) if text else "-"


def _moment(text: str | None) -> str:
    return moment_text(text) if text else "-"


def case_section(timeline: dict[str, Any], case_id: str, index: int) -> str:
    titles = timeline.get("fact_titles", {})
    facts = "".join(f"<tr><th scope=row>{e(titles.get(k, k.replace('_', ' ')))}</th><td>{e(_value(v))}</td></tr>"
                    for k, v in timeline["facts"].items())
    events = "".join(
        f"<tr><td data-h='when'>{e(_moment(ev['at']))}</td><td data-h='event' title='{e(ev['ref'])}'>"
        f"{e(ev['title'])}</td><td data-h='details'>"
        f"{e('; '.join(f'{k.replace(chr(95), chr(32))}: {_value(v)}' for k, v in ev['fields'].items()))}</td></tr>"
        for ev in timeline["events"])
    obligations = "".join(
        f"<tr><th scope=row title='{e(o['rule'])}'>{e(o['title'])}"
        f"{'' if o['instance'] == 1 else ' (obligation ' + e(o['instance']) + ')'}</th>"
        f"<td data-h='status' title='{e(o.get('status_meaning', ''))}'>{e(STATUS_WORDS.get(o['status'], o['status']))}"
        f"</td><td data-h='started'>{e(_moment(o['triggered_at']))}</td>"
        f"<td data-h='due by the end of' class=d>{e(_date(o['due_date']))}</td>"
        f"<td data-h='met'>{e(_moment(o['satisfied_at']))}</td><td data-h='why'>{e('; '.join(o['reasons']))}</td></tr>"
        for o in timeline["obligations"])
    picture = timeline_html(timeline, title=f"Timeline of case {case_id}", svg_id=f"case-{index}")
    return (f"<h2 id='case-{e(case_id)}'>Case {e(case_id)}</h2>"
            f"<p class=muted>{e(timeline.get('kind_title', timeline['kind']))}, received "
            f"{e(_moment(timeline['received_at']))}; as of {e(_moment(timeline['as_of']))}; from {e(timeline['where'])}"
            f"</p>{picture}"
            f"<h3>Facts</h3><table class=stack><tbody>{facts or '<tr><td>none recorded</td></tr>'}</tbody></table>"
            f"<h3>Events</h3><table class=stack><thead><tr><th>when</th><th>event</th><th>details</th></tr></thead>"
            f"<tbody>{events}</tbody></table>"
            f"<h3>Obligations</h3><table class=stack><thead><tr><th>rule</th><th>status</th><th>started</th>"
            f"<th>due by the end of</th><th>met</th><th>why</th></tr></thead><tbody>{obligations}</tbody></table>")
