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

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below are imported when first used, so `import charter_rules` (and the CLI) is quick
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
        SnapshotError,
    )
    from .evaluator import evaluate
    from .explain import explain_json, explain_text, obligation_text
    from .live import Monitor
    from .obligation import DeadlineWork, Evaluation, Obligation, Reason, State, Status, Timeliness
    from .rulebook import Rulebook, load_rulebook
    from .snapshot import CaseSnapshot, Event

_WHERE = {
    "._api": ("default_rulebook", "load_compiled", "parse_snapshot"),
    ".calendars": ("Calendar", "SkippedDay"),
    ".compiler": ("CompiledRulebook", "compile_rulebook"),
    ".errors": ("CalendarError", "CharterRulesError", "CompileError", "MonitorError", "Problem", "RulebookError",
                "RuleConflictError", "RuleSyntaxError", "RuleValidationError", "SnapshotError"),
    ".evaluator": ("evaluate",),
    ".explain": ("explain_json", "explain_text", "obligation_text"),
    ".live": ("Monitor",),
    ".obligation": ("DeadlineWork", "Evaluation", "Obligation", "Reason", "State", "Status", "Timeliness"),
    ".rulebook": ("Rulebook", "load_rulebook"),
    ".snapshot": ("CaseSnapshot", "Event"),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'charter_rules' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULE_OF))


__version__ = "0.1.0"

__all__ = [
    "Calendar",
    "CalendarError",
    "CaseSnapshot",
    "CharterRulesError",
    "CompileError",
    "CompiledRulebook",
    "DeadlineWork",
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
