"""One table per fact: statuses, units and report formats are each stated once, and everything else derives."""

from __future__ import annotations

import typing

from charter_rules.check import report as report_model
from charter_rules.drawing.timeline import STATUS_COLOURS as PICTURE_COLOURS
from charter_rules.docgen.timeline_svg import STATUS_LABELS as PICTURE_LABELS
from charter_rules.explain import STATUS_WORDS
from charter_rules.model import Deadline, Period
from charter_rules.obligation import (BREACH_STATUSES, DECIDED_STATUSES, OWED_STATUSES, STATUS_MEANINGS,
                                      STATUS_TABLE, Status, decided_count)
from charter_rules.reports.view import STATUS_LABELS
from charter_rules.units import UNITS, PeriodUnit, Unit, unit_text


def test_every_status_is_in_the_table_once():
    assert list(STATUS_TABLE) == list(Status)


def test_owed_breach_and_decided_follow_the_law_of_the_states():
    # owed: the duty is owed in this case, whether or not it is met; breach: not met in time
    assert OWED_STATUSES == ("due", "at_risk", "overdue", "satisfied", "satisfied_late")
    assert BREACH_STATUSES == {"overdue", "satisfied_late"}
    assert DECIDED_STATUSES == ("overdue", "satisfied", "satisfied_late")
    counts = dict.fromkeys(report_model.STATUSES, 1) | {"overdue": 5, "satisfied": 7}
    assert decided_count(counts) == 5 + 7 + 1


def test_every_table_of_words_and_colours_derives_from_the_one_table():
    assert report_model.STATUSES == tuple(s.value for s in Status)
    for status, info in STATUS_TABLE.items():
        assert STATUS_MEANINGS[status] == info.meaning
        assert STATUS_WORDS[status] == info.word.upper()
        assert STATUS_LABELS[status.value] == info.label
        assert PICTURE_COLOURS[status.value] == info.colour
        assert PICTURE_LABELS[status] == info.word.capitalize()
    assert STATUS_LABELS["satisfied"] == "satisfied on time"


def test_the_rule_file_units_are_the_unit_table():
    assert set(typing.get_args(Unit)) == set(UNITS)
    assert set(typing.get_args(PeriodUnit)) == {name for name, spec in UNITS.items() if spec.period}
    assert set(typing.get_args(Deadline.model_fields["unit"].annotation)) == set(UNITS)
    assert set(typing.get_args(Period.model_fields["unit"].annotation)) == set(typing.get_args(PeriodUnit))
    assert unit_text(1, "calendar_months") == "1 calendar month"
    assert unit_text(20, "working_days") == "20 working days"
