"""How long a deadline, period or at-risk warning in a rule file may be, checked when the rule book loads.

No obligation in the charter or the law behind it runs longer than a few years (the longest, a complaint review
window or a report every 6 months, are measured in months). A count far beyond that is almost always a typing error
(``2000`` for ``20``), and a count in the billions would make a deadline fall past the supported range of dates
(``daterange.py``) or take for ever to count day by day. So:

* a length up to ORDINARY (about 5 years) is accepted as it is;
* a longer one, up to MAXIMUM (about 50 years), needs the rule's deadline to say why (``long_deadline_reason``);
* anything longer, and any negative count, is an error.
"""

from __future__ import annotations

ORDINARY = {"working_days": 1305, "calendar_days": 1827, "calendar_months": 60, "hours": 43830}  # about 5 years
MAXIMUM = {unit: count * 10 for unit, count in ORDINARY.items()}  # about 50 years


def length_problem(count: int, unit: str, *, reason: str | None, what: str = "a deadline") -> str | None:
    """What is wrong with ``count`` ``unit`` as a length, or None if it is fine."""
    words = unit.replace("_", " ")
    if count < 0:
        return f"{what} cannot be negative, got {count} {words}"
    if count > MAXIMUM[unit]:
        return f"{what} of {count} {words} is longer than {MAXIMUM[unit]} {words} (about 50 years), the most a rule may set"
    if count > ORDINARY[unit] and not reason:
        return (f"{what} of {count} {words} is longer than {ORDINARY[unit]} {words} (about 5 years); if that is "
                "right, say why in long_deadline_reason (with its source)")
    return None
