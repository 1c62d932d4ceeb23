"""Run the audit on a Dask distributed cluster: the same work units and `judge_unit` as locally.

Each Dask worker builds its detector once (a process-wide cache in `callqa.engine`), units are
submitted with a bounded window and gathered in input order, so the output is identical to a
local run. `callqa` (and the rule pack and models) must be installed on every worker; a worker
whose detector version differs from this machine's stops the run rather than mixing verdicts of
two rule packs. How to run it: docs/scale.md.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any

from callqa.engine import DetectorSpec, Event, UnitResult, iter_units, judge_unit
from callqa.errors import ConfigError
from callqa.load import LoadOptions

CONNECT_TIMEOUT = "10s"
"""How long to wait for `--dask-scheduler` before giving up (Dask retries until then)."""
WORKERS_TIMEOUT = "60s"
"""How long a reachable scheduler may take to have its first worker."""


def _client(scheduler: str | None, workers: int) -> tuple[Any, Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - depends on the install
        raise ConfigError("the Dask engine needs `pip install callqa[dask]`") from None
    if scheduler:
        try:
            return Client(scheduler, timeout=CONNECT_TIMEOUT), None
        except OSError as exc:
            raise ConfigError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
        except ValueError as exc:  # a malformed address, e.g. no port
            raise ConfigError(
                f"not a Dask scheduler address {scheduler!r} (expected tcp://HOST:PORT): {exc}"
            ) from None
    # ":0": the scheduler's HTTP server takes a free port, not 8787 of a cluster already running.
    cluster = LocalCluster(
        n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    return Client(cluster), cluster


def _wait_for_workers(client: Any, scheduler: str) -> None:
    # Without a worker every future waits forever: say so instead of hanging.
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
    except TimeoutError:
        raise ConfigError(
            f"the Dask scheduler {scheduler} has no workers (waited {WORKERS_TIMEOUT}); "
            "start some with `dask worker " + scheduler + "`"
        ) from None


def _checked(result: UnitResult, expected: str | None) -> list[Event]:
    if expected is not None and result.detector != expected:
        raise ConfigError(
            f"a Dask worker judged {result.unit[0]} with detector {result.detector}, but this "
            f"machine has {expected}: install the same callqa, rules and models on every "
            "worker (docs/scale.md)"
        )
    return result.events


def run_dask(
    paths: Sequence[str],
    spec: DetectorSpec,
    options: LoadOptions,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    skip: frozenset[tuple[str, int]] = frozenset(),
    cache_path: str | None = None,
    expected_version: str | None = None,
) -> Iterator[Event]:
    """Judge every input on a Dask cluster; yield events in input order.

    `expected_version` is the version of this machine's detector: every unit must have been
    judged by the same one.
    """
    client, cluster = _client(scheduler, workers)
    pending: deque[Any] = deque()
    try:
        if scheduler:
            _wait_for_workers(client, scheduler)
        window = max(4, 4 * len(client.scheduler_info().get("workers", {})) or 8)
        for unit in iter_units(paths, options):
            pending.append(
                client.submit(judge_unit, unit, spec, options, skip, cache_path, pure=False)
            )
            if len(pending) >= window:
                yield from _checked(pending.popleft().result(), expected_version)
        while pending:
            yield from _checked(pending.popleft().result(), expected_version)
    finally:
        for future in pending:
            future.cancel()
        client.close()
        if cluster is not None:
            cluster.close()
