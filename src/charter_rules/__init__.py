"""charter-rules: a police service charter as declarative rules, and an evaluator that explains every obligation.

Typical use::

    import datetime as dt
    import charter_rules

    book = charter_rules.load_compiled()                # the bundled rules/, loaded and compiled once
    case = charter_rules.parse_snapshot(book, data)     # validate a case snapshot (dict, JSON text or file path)
    result = charter_rules.evaluate(book, case, as_of=dt.datetime.now(dt.timezone.utc))
    for obligation in result.obligations:
        print(obligation.rule_id, obligation.status, obligation.due_date)
    print(charter_rules.explain_text(book, result))

The rule book comes first in every call. A wrong argument raises ``ArgumentError`` saying what to pass.

Checking whole exports (what ``charter-rules check`` does)::

    settings = charter_rules.CheckSettings(as_of=dt.datetime.now(dt.timezone.utc))
    report = charter_rules.check_paths(["exports/"], book, settings)
    with open("report.html", "wb") as out:
        charter_rules.render_report(report, "html", out)

The package is laid out in the order the data flows: rule files are loaded (``rulebook``) and compiled
(``compiler``), cases are evaluated (``evaluator``) and explained (``explain``); ``check`` runs that over whole
exports and builds a report, ``reports`` renders it, ``charter`` relates the rules to the charter text, ``docgen``
writes the documentation site, ``live`` keeps cases under watch, and ``cli`` is the command line over all of it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below are imported when first used, so `import charter_rules` (and the CLI) is quick
    from ._api import default_rulebook, evaluate, explain_json, explain_text, load_compiled, parse_snapshot
    from .calendars import Calendar, SkippedDay
    from .check import CheckReport, CheckSettings, check_paths
    from .compiler import CompiledRulebook, compile_rulebook
    from .errors import (
        ArgumentError,
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
    from .explain import obligation_text
    from .live import Monitor
    from .obligation import DeadlineWork, DutyKind, Evaluation, Obligation, Reason, SettingInForce, State, Status, Timeliness
    from .reports import ReportOptions
    from .reports import render as render_report
    from .rulebook import Rulebook, load_rulebook
    from .snapshot import CaseSnapshot, Event

_WHERE = {
    "._api": ("default_rulebook", "evaluate", "explain_json", "explain_text", "load_compiled", "parse_snapshot"),
    ".calendars": ("Calendar", "SkippedDay"),
    ".check": ("CheckReport", "CheckSettings", "check_paths"),
    ".compiler": ("CompiledRulebook", "compile_rulebook"),
    ".errors": ("ArgumentError", "CalendarError", "CharterRulesError", "CompileError", "MonitorError", "Problem", "RulebookError",
                "RuleConflictError", "RuleSyntaxError", "RuleValidationError", "SettingError", "SnapshotError"),
    ".explain": ("obligation_text",),
    ".live": ("Monitor",),
    ".obligation": ("DeadlineWork", "DutyKind", "Evaluation", "Obligation", "Reason", "SettingInForce", "State",
                    "Status", "Timeliness"),
    ".reports": ("ReportOptions",),
    ".rulebook": ("Rulebook", "load_rulebook"),
    ".snapshot": ("CaseSnapshot", "Event"),
}
_MODULE_OF = {name: (module, name) for module, names in _WHERE.items() for name in names}
_MODULE_OF["render_report"] = (".reports", "render")


def __getattr__(name: str) -> Any:
    found = _MODULE_OF.get(name)
    if found is None:
        raise AttributeError(f"module 'charter_rules' has no attribute {name!r}")
    module, attribute = found
    value = getattr(importlib.import_module(module, __name__), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULE_OF))


__version__ = "0.1.0"

__all__ = [
    "ArgumentError",
    "Calendar",
    "CalendarError",
    "CaseSnapshot",
    "CharterRulesError",
    "CheckReport",
    "CheckSettings",
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
    "ReportOptions",
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
    "check_paths",
    "compile_rulebook",
    "default_rulebook",
    "evaluate",
    "explain_json",
    "explain_text",
    "load_compiled",
    "load_rulebook",
    "obligation_text",
    "parse_snapshot",
    "render_report",
]
