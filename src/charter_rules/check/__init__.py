"""Checking whole exports: read export files, evaluate every case at scale, and build one report.

The data flows one way through these modules:

* ``reading`` (and ``csv_exports`` for CSV files) reads export files into chunks of records, remembering where
  every record came from;
* ``chunk`` checks one chunk: validates each record, evaluates it and counts the result (the code every worker runs);
* ``run`` (``check_paths``: this process or a process pool) and ``dask_cluster`` (a Dask cluster) send chunks to
  workers, and ``merge`` puts their results back in input order, finding duplicate case ids;
* ``report`` is the report model (counts, breaches, rejected records); ``figures`` derives the quarterly compliance
  figures from it; ``case_timeline`` and ``redact`` shape what a report says about one case.

The renderers of a report (text, JSON, JUnit, Markdown, HTML) are in ``charter_rules.reports``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when first used, so that importing one module of check/ does not import them all
    from .chunk import CheckSettings
    from .figures import Figure, FiguresFile, compute_figures, load_figures
    from .report import FAIL_ON_CHOICES, CheckReport, RuleTally, compliance_rate
    from .run import check_paths, default_workers

_MODULE_OF = {
    "CheckSettings": ".chunk",
    **dict.fromkeys(("Figure", "FiguresFile", "compute_figures", "load_figures"), ".figures"),
    **dict.fromkeys(("FAIL_ON_CHOICES", "CheckReport", "RuleTally", "compliance_rate"), ".report"),
    **dict.fromkeys(("check_paths", "default_workers"), ".run"),
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'charter_rules.check' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value

__all__ = [
    "FAIL_ON_CHOICES",
    "CheckReport",
    "CheckSettings",
    "Figure",
    "FiguresFile",
    "RuleTally",
    "check_paths",
    "compliance_rate",
    "compute_figures",
    "default_workers",
    "load_figures",
]
