"""Run the audit on a Dask distributed cluster: the same work units and `judge_unit` as locally.

Each Dask worker builds its detector once (a process-wide cache in `callqa.engine`), units are
submitted with a bounded window and gathered in input order, so the output is identical to a
local run. `callqa` (and the rule pack and models) must be installed on every worker.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any

from callqa.engine import DetectorSpec, Event, iter_units, judge_unit
from callqa.errors import ConfigError
from callqa.load import LoadOptions


def _client(scheduler: str | None, workers: int) -> tuple[Any, Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - depends on the install
        raise ConfigError("the Dask engine needs `pip install callqa[dask]`") from None
    if scheduler:
        try:
            return Client(scheduler, timeout="10s"), None
        except OSError as exc:
            raise ConfigError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
    cluster = LocalCluster(
        n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=None
    )
    return Client(cluster), cluster


def run_dask(
    paths: Sequence[str],
    spec: DetectorSpec,
    options: LoadOptions,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    skip: frozenset[tuple[str, int]] = frozenset(),
    cache_path: str | None = None,
) -> Iterator[Event]:
    """Judge every input on a Dask cluster; yield events in input order."""
    client, cluster = _client(scheduler, workers)
    try:
        window = max(4, 4 * len(client.scheduler_info().get("workers", {})) or 8)
        pending: deque[Any] = deque()
        for unit in iter_units(paths, options):
            pending.append(
                client.submit(judge_unit, unit, spec, options, skip, cache_path, pure=False)
            )
            if len(pending) >= window:
                yield from pending.popleft().result().events
        while pending:
            yield from pending.popleft().result().events
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
