"""The evaluator: a pure function of (compiled rule book, case snapshot, as-of moment).

Nothing here reads the clock, the disk or the network. Every rule gives at least one obligation for every case:
rules for other kinds of case, or not yet started, come back as *not applicable* with the reason.

The work is split by step, data flowing one way:

* ``rule.py``: what starts each obligation of a rule, and the occurrences of a repeating one;
* ``applicability.py``: whether the rule applies, is waived (and from which moment), and which deadline variant;
* ``clock.py``: when the clock starts, restarts, pauses (and lapses) and is extended;
* ``status.py``: the obligation's state and timeliness at the as-of moment, and a waiver acting from its moment;
* ``build.py``: matching events and making obligations that have no deadline;
* ``verdicts.py``: the same evaluation for bulk work, leaving out the obligations nothing has started and the words
  that only an explanation shows.
"""

from __future__ import annotations

import datetime as dt

from ..caseview import CaseView
from ..compiled import CompiledRulebook
from ..daterange import check_moment
from ..obligation import Evaluation, Obligation
from ..snapshot import CaseSnapshot
from .build import not_for_this_kind
from .rule import MAX_INSTANCES, evaluate_rule

__all__ = ["MAX_INSTANCES", "evaluate"]


def evaluate(compiled: CompiledRulebook, snapshot: CaseSnapshot, *, as_of: dt.datetime) -> Evaluation:
    """Every obligation of ``snapshot`` under ``compiled`` as things stood at ``as_of`` (which needs a UTC offset).

    Events after ``as_of`` are ignored. Raises RuleConflictError if two variants of a rule apply and disagree.
    """
    check_moment(as_of, "as_of")
    case = CaseView(snapshot, as_of)
    produced: dict[str, list[Obligation]] = {}
    for rule in compiled.rules:
        if snapshot.kind not in rule.kinds:
            produced[rule.id] = [not_for_this_kind(rule, case)]
        else:
            produced[rule.id] = evaluate_rule(rule, case, produced)
    ordered, warnings = in_rule_order(produced)
    return Evaluation(snapshot.case_id, as_of, ordered, warnings, compiled.settings)


def in_rule_order(produced: dict[str, list[Obligation]]) -> tuple[tuple[Obligation, ...], tuple[str, ...]]:
    """The obligations ordered by rule id (then occurrence), and the deadlines' warnings, each once, in the order
    the rules were evaluated."""
    warnings: list[str] = []
    for obligations in produced.values():
        for obligation in obligations:
            if obligation.deadline is not None and obligation.deadline.warnings:
                warnings.extend(w for w in obligation.deadline.warnings if w not in warnings)
    ordered = tuple(o for rule in sorted(produced) for o in produced[rule])
    return ordered, tuple(warnings)
