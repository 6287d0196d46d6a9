"""The charter itself: its text sentence by sentence, how the rules cover it, and where it falls short of the law.

* ``text``: the charter map (rules/charter.yaml) and its loader;
* ``coverage``: every sentence mapped to the rules that check it (``charter-rules coverage``);
* ``findings``: charter versus law, computed by evaluating both on sample cases (``charter-rules lint``).
"""

from __future__ import annotations

from .coverage import CoverageReport, charter_coverage, coverage_text
from .findings import Finding, findings_text, lint_rulebook
from .text import CHARTER_FILE, Charter, load_charter

__all__ = [
    "CHARTER_FILE",
    "Charter",
    "CoverageReport",
    "Finding",
    "charter_coverage",
    "coverage_text",
    "findings_text",
    "lint_rulebook",
    "load_charter",
]
