"""London dates by the per-day offset table agree with the time zone database, the nights the clocks change too."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from charter_rules.caseview import LONDON, UTC, in_utc, london_date
from charter_rules.daterange import in_range

moments = st.datetimes(min_value=dt.datetime(1900, 1, 2), max_value=dt.datetime(2199, 12, 30),
                       timezones=st.sampled_from([UTC, LONDON, dt.timezone(dt.timedelta(hours=-5)),
                                                  dt.timezone(dt.timedelta(hours=5, minutes=30))]))


@settings(max_examples=300)
@given(moments)
def test_london_date_is_the_time_zone_databases(moment):
    assert london_date(moment) == moment.astimezone(LONDON).date()
    assert in_utc(moment) == moment.astimezone(UTC) and in_utc(moment).tzinfo is UTC


def test_london_date_is_the_time_zone_databases_on_every_night_of_the_range():
    # every day of 1900-2199 at the minutes either side of London midnight, in UTC and at an offset far from it: the
    # edges where a wrong offset for that day shows
    zones = (UTC, dt.timezone(dt.timedelta(hours=-5)), dt.timezone(dt.timedelta(hours=5, minutes=30)))
    day, last, checked = dt.date(1900, 1, 2), dt.date(2199, 12, 30), 0
    while day <= last:
        midnight = dt.datetime(day.year, day.month, day.day, tzinfo=LONDON).astimezone(UTC)
        for moment in (midnight - dt.timedelta(minutes=1), midnight):
            zoned = moment.astimezone(zones[day.toordinal() % 3])
            assert london_date(zoned) == zoned.astimezone(LONDON).date(), zoned
            checked += 1
        day += dt.timedelta(days=1)
    assert checked == 2 * ((last - dt.date(1900, 1, 2)).days + 1)


def test_london_date_minute_by_minute_across_the_clock_changes():
    # 29 Mar 2026 (GMT to BST at 01:00 UTC), 25 Oct 2026 (BST to GMT at 01:00 UTC), and the day before each
    for day in (dt.date(2026, 3, 28), dt.date(2026, 3, 29), dt.date(2026, 10, 24), dt.date(2026, 10, 25)):
        start = dt.datetime(day.year, day.month, day.day, tzinfo=UTC) - dt.timedelta(hours=2)
        for minute in range(0, 28 * 60, 7):
            moment = start + dt.timedelta(minutes=minute)
            assert london_date(moment) == moment.astimezone(LONDON).date(), moment
    # worked by hand: 23:30 UTC on Sat 28 Mar 2026 is still Saturday in London (GMT); 23:30 UTC on Sat 24 Oct 2026
    # is already Sunday (00:30 BST)
    assert london_date(dt.datetime(2026, 3, 28, 23, 30, tzinfo=UTC)) == dt.date(2026, 3, 28)
    assert london_date(dt.datetime(2026, 10, 24, 23, 30, tzinfo=UTC)) == dt.date(2026, 10, 25)


def test_in_range_near_the_ends_still_compares_instants():
    assert in_range(dt.datetime(1900, 1, 1, 0, 0, tzinfo=LONDON))
    assert not in_range(dt.datetime(1900, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))))
    assert in_range(dt.datetime(2199, 12, 31, 23, 59, tzinfo=LONDON))
    assert not in_range(dt.datetime(2199, 12, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-1))))
    assert in_range(dt.datetime(1901, 1, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=23))))
    assert in_range(dt.datetime(2198, 12, 31, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-23))))
