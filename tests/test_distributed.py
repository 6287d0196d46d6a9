"""Dask: partitions checked on a local cluster of worker processes give the report one process gives."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from charter_rules.check.chunk import CheckSettings
from charter_rules.check.run import check_paths
from charter_rules.reports import ReportOptions, render

from .conftest import REPO

distributed = pytest.importorskip("dask.distributed", reason="needs the dask extra (.ci/run installs it)")

sys.path.insert(0, str(REPO / "benchmarks"))
import generate  # noqa: E402


def rendered(report, fmt: str) -> bytes:
    out = io.BytesIO()
    render(report, fmt, out, ReportOptions())
    return out.getvalue()


def test_a_local_cluster_gives_the_same_report_as_one_process(book, tmp_path: Path):
    from charter_rules.check.dask_cluster import check_with_dask
    from charter_rules.check.reading import plan_parts

    export = tmp_path / "export.jsonl"
    export.write_bytes(b"\n".join(generate.generate(800, seed=5)) + b"\n")
    extra = tmp_path / "more.json"  # a second file, a JSON array: one part of its own
    extra.write_bytes(b"[" + b",".join(generate.generate(50, seed=6, clean=True)) + b"]")
    settings = CheckSettings(as_of=generate.AS_OF, timeline_cases=frozenset({"CR-00000003"}))
    part_bytes = 64 * 1024
    assert len(plan_parts([export, extra], part_bytes)) > 4  # duplicates may cross parts
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        on_cluster = check_with_dask([export, extra], book, settings, client=client, part_bytes=part_bytes)
    here = check_paths([export, extra], book, settings, workers=1)
    assert on_cluster.records_read == 850
    assert any("duplicate case id" in r["error"] for r in here.rejections.records())
    for fmt in ("json", "junit", "html"):
        assert rendered(on_cluster, fmt) == rendered(here, fmt), fmt
