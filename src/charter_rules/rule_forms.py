"""Rule-file forms that remove repetition: a version that states only what changes, and dated parameter values.

A rule version may say ``inherits: previous``: it then holds every key of the version listed before it, except its
own dates and change note, with the keys it states replacing them. Mappings are merged key by key (a ``clock`` that
adds ``pauses`` keeps the earlier ``restarts``), lists and values are replaced whole, and ``null`` removes a key
(``applies_when: null``). The rule book, the evaluator and the docs see the full, effective version.

A parameter may give ``values: [{from: DATE, value: ...}, ...]`` instead of one ``value``: the value in force on a
date is the last one from on or before it, so a change in the law is one dated line. A rule version that reads such
a parameter is compiled once for each value in force during it (see ``compiler``), and explanations and docs show
the value with its date.
"""

from __future__ import annotations

from typing import Any

INHERITS_KEY = "inherits"
NEVER_INHERITED = ("valid_from", "valid_to", "change_note", INHERITS_KEY)


def merged(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes`` applied: mappings merged key by key, other values replaced, ``None`` removes."""
    out = dict(base)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def effective_versions(versions: Any) -> Any:
    """The versions of a rule file as written, each ``inherits: previous`` one completed from the one before it.

    Anything that is not a list of mappings is returned as it is, for validation to report.
    """
    if not isinstance(versions, list):
        return versions
    out: list[Any] = []
    for version in versions:
        if isinstance(version, dict) and version.get(INHERITS_KEY) == "previous" and out and isinstance(out[-1], dict):
            base = {k: v for k, v in out[-1].items() if k not in NEVER_INHERITED}
            own = {k: v for k, v in version.items() if k in NEVER_INHERITED}
            version = {**merged(base, {k: v for k, v in version.items() if k not in NEVER_INHERITED}), **own}
        out.append(version)
    return out
