"""The live layer: a monitor that turns case events and the passing of time into transitions and escalations.

The pure evaluator (``charter_rules.evaluate``) stays the single source of truth for obligations; this package
re-evaluates cases as events and ticks arrive, compares each evaluation with the last, and matches the differences
against escalation rules (rules/escalations/*.yaml) to say who must be told.
"""

from __future__ import annotations

from .escalation import EscalationBook, EscalationRule, load_escalations
from .matchers import Matcher, PythonMatcher, durable_importable, select_matcher
from .monitor import Monitor, Update
from .notifications import Notification
from .transitions import KIND_MEANINGS, Transition, TransitionKind

__all__ = [
    "EscalationBook",
    "EscalationRule",
    "KIND_MEANINGS",
    "Matcher",
    "Monitor",
    "Notification",
    "PythonMatcher",
    "Transition",
    "TransitionKind",
    "Update",
    "durable_importable",
    "load_escalations",
    "select_matcher",
]
