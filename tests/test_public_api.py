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
