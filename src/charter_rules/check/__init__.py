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

from .chunk import CheckSettings
from .figures import Figure, FiguresFile, compute_figures, load_figures
from .report import FAIL_ON_CHOICES, CheckReport, RuleTally, compliance_rate
from .run import check_paths, default_workers

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
