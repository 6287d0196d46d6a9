"""The deadline calculator page: the rule book's calendars embedded as data, the counting done in the browser.

The page works offline: the bank holidays of every calendar, with the names the explanations use, are written into
the page as JSON when the site is built, and ``docs/assets/deadline-calculator.js`` counts with them the way
``charter_rules.deadlines`` does. A browser test runs random inputs through both and requires the same answers.
"""

from __future__ import annotations

import html
import json
from typing import Any

from ..calendars import format_date
from ..compiled import CompiledRulebook
from ._text import attr, md

FIRST_YEAR = 2000
YEARS_AFTER_HORIZON = 4  # deadlines may run this many years past the calendars' known_through


def calendar_data(book: CompiledRulebook) -> dict[str, Any]:
    """Every calendar's non-working days by ISO date, for the years the calculator accepts."""
    known = book.rulebook.calendars.known_through
    last_year = known.year + YEARS_AFTER_HORIZON
    calendars = {}
    for name, calendar in book.calendars.items():
        holidays: dict[str, str] = {}
        for year in range(FIRST_YEAR, last_year + 1):
            holidays.update((day.isoformat(), reason) for day, reason in calendar.holidays_in_year(year).items())
        calendars[name] = {"title": calendar.title, "nations": calendar.nations, "holidays": holidays}
    return {
        "first_year": FIRST_YEAR,
        "last_year": last_year,
        "known_through": known.isoformat(),
        "known_through_text": format_date(known),
        "calendars": calendars,
    }


def _embedded(data: dict[str, Any]) -> str:
    """JSON safe inside a <script> element: no '</' or '<!--' can end it early."""
    return json.dumps(data, separators=(",", ":"), sort_keys=True).replace("<", "\\u003c")


def calculator_page(book: CompiledRulebook) -> str:
    data = calendar_data(book)
    options = "\n".join(
        f'<option value="{attr(name)}">{html.escape(calendar.title)}</option>'
        for name, calendar in book.calendars.items()
    )
    return "\n".join([
        "---",
        "search:",
        "  boost: 2",
        "---",
        "",
        "# Deadline calculator",
        "",
        "Work out a deadline the way the rules do: enter when the clock starts, how long the deadline is and which "
        "calendar it counts on. The answer shows the due date and every day that was not counted, and why. It is "
        "worked out in your browser from the same bank holidays the rules use (known up to "
        f"{md(data['known_through_text'])}); nothing is sent anywhere.",
        "",
        '<form id="deadline-form" class="calculator" autocomplete="off">',
        '<label>When the clock starts <input name="start" required value="2026-03-26" '
        'placeholder="2026-03-26 or 2026-03-26T14:00:00+00:00"></label>',
        '<label>How many <input name="count" type="number" min="0" max="100000" value="20" required></label>',
        '<label>Of what <select name="unit">'
        '<option value="working_days">working days</option>'
        '<option value="calendar_days">calendar days</option>'
        '<option value="calendar_months">calendar months</option>'
        '<option value="hours">hours</option></select></label>',
        f'<label>Calendar <select name="calendar">{options}</select></label>',
        '<label>Day 1 is <select name="day_one">'
        '<option value="day_after_trigger">the day after the clock starts</option>'
        '<option value="trigger_day">the day the clock starts</option></select></label>',
        '<label>When a month has no such day <select name="short_month">'
        '<option value="last_day_of_month">its last day</option>'
        '<option value="first_day_of_next_month">the first day of the next month</option></select></label>',
        '<label class="calculator-check"><input type="checkbox" name="roll_forward"> Move a deadline that falls on '
        'a day off to the next working day</label>',
        '<button type="submit" class="md-button md-button--primary">Work it out</button>',
        "</form>",
        "",
        '<div id="deadline-result" class="calculator-result" aria-live="polite"></div>',
        "",
        f'<script type="application/json" id="calendar-data">{_embedded(data)}</script>',
        '<script src="assets/deadline-calculator.js"></script>',
        "",
        "A date on its own means midday in London on that day. A deadline in days ends at midnight at the end of "
        "the due day, London time; a deadline in hours ends at the exact moment. The command "
        "`charter-rules deadline` gives the same answers.",
        "",
    ])
