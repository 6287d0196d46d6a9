"""Beyond one machine: check an export on a Dask cluster with the same code, and merge the same report.

The client cuts the export into parts (``reading.plan_parts``: byte ranges of JSON Lines files, cut at line ends;
any other file whole); each Dask worker reads its own parts from storage every worker can see, and checks them with
``chunk.check_part`` - the code a single process and the process pool run. The client folds the results into one
report in input order with ``merge.ReportBuilder``, which also finds duplicate case ids across all parts. So the
report is the same, byte for byte, as ``charter-rules check`` gives on one machine.

Needs the ``dask`` extra (``pip install 'charter-rules[dask]'``). Example::

    from dask.distributed import Client, LocalCluster
    from charter_rules import default_rulebook
    from charter_rules.check.chunk import CheckSettings
    from charter_rules.check.dask_cluster import check_with_dask

    with LocalCluster(n_workers=2, processes=True) as cluster, Client(cluster) as client:
        report = check_with_dask(["exports/"], default_rulebook(), CheckSettings(as_of=as_of), client=client)
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable

from .report import CheckReport
from .chunk import CheckSettings, Checker, check_part
from ..compiled import CompiledRulebook
from .merge import ReportBuilder
from .reading import plan_parts

DEFAULT_PART_BYTES = 32 << 20


def check_with_dask(paths: Iterable[Path | str], book: CompiledRulebook, settings: CheckSettings, *,
                    client: Any = None, part_bytes: int = DEFAULT_PART_BYTES, in_flight: int | None = None) -> CheckReport:
    """Check the exports at ``paths`` on the Dask cluster of ``client`` (default: the current client).

    Paths must be readable by every worker at the same place (a shared or network file system), and so must the
    rule book directory. At most ``in_flight`` parts (default: twice the workers' threads) are out at once, so the
    client's memory stays flat however many parts there are.
    """
    try:
        from dask.distributed import get_client
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ImportError("Dask is not installed: pip install 'charter-rules[dask]'") from exc
    client = client or get_client()
    if settings.rules_dir is None:
        settings = replace(settings, rules_dir=str(book.rulebook.root))
    builder = ReportBuilder(Checker(book, settings))
    parts = plan_parts(paths, part_bytes)
    limit = in_flight or max(2, 2 * sum(client.nthreads().values()))
    pending: deque[tuple[Any, Any]] = deque()
    for part in parts:
        pending.append((part, client.submit(check_part, settings, part, pure=False)))
        if len(pending) >= limit:
            done, future = pending.popleft()
            builder.add(done, future.result())
            future.release()
    while pending:
        done, future = pending.popleft()
        builder.add(done, future.result())
        future.release()
    return builder.report
