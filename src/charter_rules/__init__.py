"""charter-rules: a police service charter as declarative rules, and an evaluator that explains every obligation.

Typical use::

    import datetime as dt
    import charter_rules

    book = charter_rules.default_rulebook()             # the bundled rules/, loaded and compiled once
    case = charter_rules.parse_snapshot(data, book)     # validate a case snapshot (dict or JSON text)
    result = charter_rules.evaluate(book, case, as_of=dt.datetime.now(dt.timezone.utc))
    for obligation in result.obligations:
        print(obligation.rule_id, obligation.status, obligation.due_date)
    print(charter_rules.explain_text(result))
"""

from __future__ import annotations

from ._api import default_rulebook, load_compiled, parse_snapshot
from .calendars import Calendar, SkippedDay
from .compiler import CompiledRulebook, compile_rulebook
from .errors import (
    CalendarError,
    CharterRulesError,
    CompileError,
    MonitorError,
    Problem,
    RulebookError,
    RuleConflictError,
    RuleSyntaxError,
    RuleValidationError,
    SettingError,
    SnapshotError,
)
from .evaluator import evaluate
from .explain import explain_json, explain_text, obligation_text
from .live import Monitor
from .obligation import DeadlineWork, DutyKind, Evaluation, Obligation, Reason, SettingInForce, State, Status, Timeliness
from .rulebook import Rulebook, load_rulebook
from .snapshot import CaseSnapshot, Event

__version__ = "0.1.0"

__all__ = [
    "Calendar",
    "CalendarError",
    "CaseSnapshot",
    "CharterRulesError",
    "CompileError",
    "CompiledRulebook",
    "DeadlineWork",
    "DutyKind",
    "Evaluation",
    "Event",
    "Monitor",
    "MonitorError",
    "Obligation",
    "Problem",
    "Reason",
    "RuleConflictError",
    "RuleSyntaxError",
    "RuleValidationError",
    "Rulebook",
    "RulebookError",
    "SettingError",
    "SettingInForce",
    "SkippedDay",
    "SnapshotError",
    "State",
    "Status",
    "Timeliness",
    "__version__",
    "compile_rulebook",
    "default_rulebook",
    "evaluate",
    "explain_json",
    "explain_text",
    "load_compiled",
    "load_rulebook",
    "obligation_text",
    "parse_snapshot",
]
