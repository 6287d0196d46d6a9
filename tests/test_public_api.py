"""The public namespace is deliberate: sorted, complete, and every name importable."""

from __future__ import annotations

import charter_rules


def test_all_is_sorted_and_unique():
    assert list(charter_rules.__all__) == sorted(set(charter_rules.__all__))


def test_every_exported_name_exists():
    for name in charter_rules.__all__:
        assert hasattr(charter_rules, name), name


def test_errors_share_one_root():
    for name in charter_rules.__all__:
        obj = getattr(charter_rules, name)
        if isinstance(obj, type) and issubclass(obj, Exception) and obj is not charter_rules.CharterRulesError:
            assert issubclass(obj, charter_rules.CharterRulesError), name
            assert name.endswith("Error"), name


# The public names, pinned: adding or removing one is a decision, made here as well as in __init__.py.
PUBLIC_NAMES = [
    "ArgumentError", "Calendar", "CalendarError", "CaseSnapshot", "CharterRulesError", "CheckReport", "CheckSettings", "CompileError",
    "CompiledRulebook", "DeadlineWork", "DutyKind", "Evaluation", "Event", "Monitor", "MonitorError", "Obligation", "Problem",
    "Reason", "ReportOptions", "RuleConflictError", "RuleSyntaxError", "RuleValidationError", "Rulebook",
    "RulebookError", "SettingError", "SettingInForce", "SkippedDay", "SnapshotError", "State", "Status", "Timeliness", "__version__", "check_paths",
    "compile_rulebook", "default_rulebook", "evaluate", "explain_json", "explain_text", "load_compiled",
    "load_rulebook", "obligation_text", "parse_snapshot", "render_report",
]


def test_all_is_pinned():
    assert list(charter_rules.__all__) == PUBLIC_NAMES


def test_what_check_calls_is_public():
    """``charter-rules check`` is a thin layer: everything it runs is importable from the package root."""
    from charter_rules.check import CheckSettings, check_paths
    from charter_rules.reports import render

    assert charter_rules.check_paths is check_paths
    assert charter_rules.CheckSettings is CheckSettings
    assert charter_rules.render_report is render


def test_monitor_transaction_keeps_its_earlier_name():
    assert charter_rules.Monitor.batch is charter_rules.Monitor.transaction
