"""Working-day calendars, checked against GOV.UK's published bank holidays and against dates worked out by hand."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from charter_rules.calendars import format_date, nth_working_day_after, roll_forward, working_days_between

GOVUK = Path(__file__).parent / "data" / "govuk-bank-holidays.json"
DIVISIONS = {"england-and-wales": "england_and_wales", "scotland": "scotland", "northern-ireland": "northern_ireland"}
# GOV.UK's cached list predates the Scotland-only bank holiday proclaimed in February 2026 (tests/data/README.md)
KNOWN_GOVUK_GAPS = {("scotland", dt.date(2026, 6, 15))}

D = dt.date


def govuk() -> dict[str, set[dt.date]]:
    data = json.loads(GOVUK.read_text(encoding="utf-8"))
    return {division: {D.fromisoformat(e["date"]) for e in data[division]["events"]} for division in DIVISIONS}


@pytest.mark.parametrize("division", sorted(DIVISIONS))
def test_every_govuk_bank_holiday_is_a_non_working_day(book, division):
    calendar = book.calendars[DIVISIONS[division]]
    missing = [d for d in sorted(govuk()[division]) if calendar.is_working_day(d)]
    assert missing == []


@pytest.mark.parametrize("division", sorted(DIVISIONS))
def test_no_weekday_holiday_that_govuk_does_not_list(book, division):
    calendar = book.calendars[DIVISIONS[division]]
    listed = govuk()[division]
    extra = []
    for year in range(2012, 2029):
        for day in calendar.holidays_in_year(year):
            if day.weekday() < 5 and day not in listed and (division, day) not in KNOWN_GOVUK_GAPS:
                extra.append(day)
    assert extra == []


def test_union_calendar_for_2026_worked_out_by_hand(book):
    # Weekday bank holidays in any part of the UK in 2026 (FOIA s.10(6)), from legal-sources.md section 6.
    expected = {
        D(2026, 1, 1): "New Year's Day",
        D(2026, 1, 2): "2 January (Scotland)",
        D(2026, 3, 17): "St Patrick's Day (Northern Ireland)",
        D(2026, 4, 3): "Good Friday",
        D(2026, 4, 6): "Easter Monday (not Scotland)",
        D(2026, 5, 4): "Early May bank holiday",
        D(2026, 5, 25): "Spring bank holiday",
        D(2026, 6, 15): "World Cup bank holiday (Scotland)",
        D(2026, 7, 13): "Battle of the Boyne, substitute for Sun 12 July (Northern Ireland)",
        D(2026, 8, 3): "Summer bank holiday (Scotland)",
        D(2026, 8, 31): "Summer bank holiday (England, Wales, Northern Ireland)",
        D(2026, 11, 30): "St Andrew's Day (Scotland)",
        D(2026, 12, 25): "Christmas Day",
        D(2026, 12, 28): "Boxing Day, substitute for Sat 26 December",
    }
    calendar = book.calendars["any_part_of_uk"]
    weekday_holidays = {d for d in calendar.holidays_in_year(2026) if d.weekday() < 5}
    assert weekday_holidays == set(expected)


def test_england_and_wales_keeps_no_scottish_or_northern_irish_days(book):
    calendar = book.calendars["england_and_wales"]
    for day in (D(2026, 1, 2), D(2026, 3, 17), D(2026, 6, 15), D(2026, 7, 13), D(2026, 8, 3), D(2026, 11, 30)):
        assert calendar.is_working_day(day), day
    for day in (D(2026, 4, 3), D(2026, 4, 6), D(2026, 8, 31), D(2026, 12, 28)):
        assert not calendar.is_working_day(day), day


def test_reasons_name_the_holiday_and_the_nations(book):
    union = book.calendars["any_part_of_uk"]
    assert union.non_working_reason(D(2026, 3, 17)) == "Saint Patrick's Day (Northern Ireland)"
    assert union.non_working_reason(D(2026, 4, 6)) == "Easter Monday (England and Wales and Northern Ireland)"
    assert union.non_working_reason(D(2026, 4, 4)) == "Saturday"
    assert book.calendars["england_and_wales"].non_working_reason(D(2026, 4, 3)) == "Good Friday (England and Wales)"
    assert union.non_working_reason(D(2026, 4, 7)) is None


def test_override_removes_st_andrews_day_before_the_2007_act(book):
    scotland = book.calendars["scotland"]
    assert scotland.is_working_day(D(2006, 11, 30))  # the Act came into force on 16 January 2007
    assert not scotland.is_working_day(D(2007, 11, 30))


def test_horizon(book):
    calendar = book.calendars["any_part_of_uk"]
    assert not calendar.beyond_horizon(D(2028, 12, 31))
    assert calendar.beyond_horizon(D(2029, 1, 1))
    assert "Mon 1 Jan 2029" in calendar.horizon_warning(D(2029, 1, 1))


@pytest.mark.parametrize(
    ("calendar", "after", "count", "due"),
    [
        # FOIA: 20th working day following Thu 26 Mar 2026; skips Good Friday 3 Apr and Easter Monday 6 Apr.
        ("any_part_of_uk", D(2026, 3, 26), 20, D(2026, 4, 27)),
        # Received Sat 7 Mar 2026: day 1 Mon 9 Mar; Tue 17 Mar (NI) and 3, 6 Apr skipped: 9-13 (5), 16 (6), 18-20 (9),
        # 23-27 (14), 30 Mar-2 Apr (18), 7 Apr (19), 8 Apr (20).
        ("any_part_of_uk", D(2026, 3, 7), 20, D(2026, 4, 8)),
        # The same request on the England and Wales calendar counts 17 March: due a day earlier.
        ("england_and_wales", D(2026, 3, 7), 20, D(2026, 4, 7)),
        # Christmas 2026: Fri 25 Dec, Mon 28 Dec (Boxing Day substitute), Fri 1 Jan 2027 are holidays in E&W;
        # 29, 30, 31 Dec (3), Mon 4 Jan (4), Tue 5 Jan (5).
        ("england_and_wales", D(2026, 12, 24), 5, D(2027, 1, 5)),
        # In Scotland 2 Jan 2027 is a Saturday, so Mon 4 Jan is a holiday too: due Wed 6 Jan.
        ("scotland", D(2026, 12, 24), 5, D(2027, 1, 6)),
        # One working day after Fri 22 May 2026: Mon 25 May is the Spring bank holiday, so Tue 26 May.
        ("england_and_wales", D(2026, 5, 22), 1, D(2026, 5, 26)),
        # Leap day: 1 working day after Fri 28 Feb 2020 is Mon 2 Mar (29 Feb 2020 was a Saturday).
        ("england_and_wales", D(2020, 2, 28), 1, D(2020, 3, 2)),
        # 2022 one-offs: Platinum Jubilee Thu 2 and Fri 3 Jun; 1 working day after Wed 1 Jun is Mon 6 Jun.
        ("england_and_wales", D(2022, 6, 1), 1, D(2022, 6, 6)),
        # State funeral Mon 19 Sep 2022 (UK-wide): 1 working day after Fri 16 Sep is Tue 20 Sep.
        ("any_part_of_uk", D(2022, 9, 16), 1, D(2022, 9, 20)),
        ("england_and_wales", D(2026, 3, 26), 0, D(2026, 3, 26)),
    ],
)
def test_nth_working_day_after(book, calendar, after, count, due):
    assert nth_working_day_after(book.calendars[calendar], after, count)[0] == due


def test_skipped_days_are_listed_with_reasons(book):
    due, skipped = nth_working_day_after(book.calendars["england_and_wales"], D(2026, 4, 2), 5)
    assert due == D(2026, 4, 13)
    assert [str(s) for s in skipped] == [
        "Fri 3 Apr 2026: Good Friday (England and Wales)",
        "Sat 4 Apr 2026: Saturday",
        "Sun 5 Apr 2026: Sunday",
        "Mon 6 Apr 2026: Easter Monday (England and Wales)",
        "Sat 11 Apr 2026: Saturday",
        "Sun 12 Apr 2026: Sunday",
    ]


def test_paused_days_are_not_counted(book):
    paused = frozenset(D(2026, 3, d) for d in range(9, 14))
    due, skipped = nth_working_day_after(book.calendars["england_and_wales"], D(2026, 3, 2), 5, paused)
    assert due == D(2026, 3, 16)  # 3, 4, 5, 6 Mar then the week of 9-13 Mar is paused, Mon 16 Mar is day 5
    assert [s.reason for s in skipped].count("clock paused") == 5


def test_roll_forward_and_count_between(book):
    calendar = book.calendars["england_and_wales"]
    assert roll_forward(calendar, D(2026, 4, 3))[0] == D(2026, 4, 7)
    assert roll_forward(calendar, D(2026, 4, 7)) == (D(2026, 4, 7), ())
    assert working_days_between(calendar, D(2026, 3, 30), D(2026, 4, 10)) == 8  # 30 Mar-2 Apr, 7-10 Apr
    assert working_days_between(calendar, D(2026, 4, 10), D(2026, 4, 9)) == 0


def test_negative_count_is_refused(book):
    from charter_rules.errors import CalendarError

    with pytest.raises(CalendarError, match="must be 0 or more"):
        nth_working_day_after(book.calendars["england_and_wales"], D(2026, 1, 1), -1)


def test_format_date():
    assert format_date(D(2026, 4, 3)) == "Fri 3 Apr 2026"
