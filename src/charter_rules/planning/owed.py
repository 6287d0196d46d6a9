"""Whether an obligation is still owed: something the force can still do something about."""

from __future__ import annotations

from ..compiled import CompiledRulebook
from ..obligation import Obligation, State


def is_owed(obligation: Obligation, book: CompiledRulebook | None = None) -> bool:
    """Open, not ended by a later event (an ended series can no longer be met), and a duty of the force.

    Waived, lapsed, not applicable, satisfied, paused and indeterminate obligations are not owed today; nor are the
    windows of information-only rules, whose time limit binds someone else.
    """
    if obligation.state is not State.OPEN or obligation.ended_by is not None:
        return False
    if getattr(obligation, "is_owed", True) is False:  # where the evaluator says so itself (a lapse, say)
        return False
    if book is not None:
        rule = book.by_id.get(obligation.rule_id)
        if rule is not None and rule.source.information_only:
            return False
    return True
