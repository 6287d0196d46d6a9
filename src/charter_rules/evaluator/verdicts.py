"""The evaluation for bulk work (``check``): every verdict, and explanation material only where it is shown.

A check needs, for every obligation, its state, timeliness, dates and next change, but words only for what it
lists (the breaches). ``VerdictPlan.evaluate`` runs the same code as :func:`charter_rules.evaluate` with two
differences, neither of which changes a verdict:

* a rule for other kinds of case, and a rule started only by events of which the case has none by the as-of moment,
  each give exactly one obligation, not applicable, with no dates, no missing facts and no warnings; they are named
  (``not_for_kind``, ``not_started``) instead of being made and explained;
* an open obligation says what is still needed only when it is overdue (the breach list shows that sentence).

``tests/differential.py`` checks, over hundreds of thousands of generated cases, that both give the same states,
timeliness, dates and next changes, and the same words wherever both give words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..caseview import CaseView
from ..compiled import CompiledRule, CompiledRulebook
from ..daterange import check_moment
from ..obligation import Obligation
from ..snapshot import CaseSnapshot
from . import in_rule_order
from .rule import evaluate_rule


@dataclass(frozen=True, slots=True)
class Verdicts:
    """Every obligation of one case at one moment, as bulk work needs them."""

    case_id: str
    as_of: dt.datetime
    obligations: tuple[Obligation, ...]  # the rules the case has started, ordered by rule id, then occurrence
    not_started: tuple[str, ...]  # rules for this kind of case that nothing has started: one obligation, not applicable
    not_for_kind: tuple[str, ...]  # rules for other kinds of case: one obligation each, not applicable
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _KindPlan:
    rules: tuple[tuple[CompiledRule, frozenset[str] | None], ...]  # each rule, and the event types that alone start it
    not_for_kind: tuple[str, ...]


class VerdictPlan:
    """A compiled rule book cut up once per kind of case for :meth:`evaluate` (safe to share between threads)."""

    def __init__(self, compiled: CompiledRulebook) -> None:
        self.compiled = compiled
        self._kinds: dict[str, _KindPlan] = {}
        kinds = {kind for rule in compiled.rules for kind in rule.kinds}
        for kind in sorted(kinds | set(compiled.vocabulary.case_kinds)):
            self._kinds[kind] = self._plan(kind)

    def _plan(self, kind: str) -> _KindPlan:
        rules = tuple((rule, _started_only_by(rule)) for rule in self.compiled.rules if kind in rule.kinds)
        return _KindPlan(rules, tuple(rule.id for rule in self.compiled.rules if kind not in rule.kinds))

    def evaluate(self, snapshot: CaseSnapshot, *, as_of: dt.datetime) -> Verdicts:
        """The verdicts of ``snapshot`` as things stood at ``as_of`` (which needs a UTC offset); raises what
        :func:`charter_rules.evaluate` raises."""
        check_moment(as_of, "as_of")
        plan = self._kinds.get(snapshot.kind)
        if plan is None:  # a kind no rule mentions: every rule is for other kinds
            plan = self._kinds[snapshot.kind] = self._plan(snapshot.kind)
        case = CaseView(snapshot, as_of, explain=False)
        by_type = case.by_type
        produced: dict[str, list[Obligation]] = {}
        not_started: list[str] = []
        for rule, starting_types in plan.rules:
            if starting_types is not None and by_type.keys().isdisjoint(starting_types):
                not_started.append(rule.id)  # no rule that follows it can see a breach in it either
                continue
            produced[rule.id] = evaluate_rule(rule, case, produced)
        ordered, warnings = in_rule_order(produced)
        return Verdicts(snapshot.case_id, as_of, ordered, tuple(not_started), plan.not_for_kind, warnings)


def _started_only_by(rule: CompiledRule) -> frozenset[str] | None:
    """The event types that alone can start the rule's obligations; None if something else can start one too (the
    case's receipt, another rule's breach)."""
    if rule.trigger_kinds != frozenset({"event"}):
        return None
    return frozenset(rule.trigger_types)
