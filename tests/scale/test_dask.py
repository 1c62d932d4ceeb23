"""The Dask engine gives byte-identical JSON to the local engine on the sample transcripts (the
real pipeline: shipped rules and models), on a LocalCluster it starts itself (`--engine dask`)
and on one it is pointed at (`--dask-scheduler`); an unreachable scheduler is a clear exit 2."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from callqa.engine import UnitResult
from callqa.errors import ConfigError
from tests.scale.conftest import SAMPLES, audit_json

distributed = pytest.importorskip("distributed", reason="the Dask engine needs callqa[dask]")

CLUSTER_TIMEOUT = 60  # seconds for a 2-worker LocalCluster to come up (a few on an idle machine)


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A LocalCluster of 2 worker processes, as an existing cluster would be: by its address."""
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        timeout=CLUSTER_TIMEOUT,
    )
    try:
        yield str(cluster.scheduler_address)
    finally:
        cluster.close(timeout=CLUSTER_TIMEOUT)


def test_local_workers_give_the_same_json(shipped_json: str) -> None:
    assert '"signal": "model"' in shipped_json, "the shipped models must have taken part"
    assert audit_json(str(SAMPLES), "-j", "2") == shipped_json


def test_dask_local_cluster_gives_the_local_json(shipped_json: str) -> None:
    assert audit_json(str(SAMPLES), "--engine", "dask", "-j", "2") == shipped_json


def test_dask_scheduler_gives_the_local_json_and_shares_the_cache(
    scheduler: str, shipped_json: str, changed_json: str, changed_rules: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache.sqlite"
    first = audit_json(str(SAMPLES), "--dask-scheduler", scheduler, "--cache", str(cache))
    assert first == shipped_json
    with sqlite3.connect(cache) as db:  # the workers wrote the model scores of every call
        assert db.execute("SELECT COUNT(*) FROM scores").fetchone()[0] > 0
    # After a rule change the workers re-judge from the cached scores: the uncached verdicts.
    args = ("--rules", str(changed_rules), "--cache", str(cache))
    assert audit_json(str(SAMPLES), "--dask-scheduler", scheduler, *args) == changed_json


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed on exit: connecting is refused


def test_an_unreachable_scheduler_is_exit_2(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("callqa.distributed.CONNECT_TIMEOUT", "2s")  # Dask retries until then
    address = f"tcp://127.0.0.1:{_closed_port()}"
    result = run_cli("audit", str(SAMPLES), "-f", "json", "--dask-scheduler", address, expect=2)
    assert f"cannot reach the Dask scheduler {address}" in result.stderr
    assert result.stdout == ""
    malformed = run_cli("audit", str(SAMPLES), "--dask-scheduler", "localhost", expect=2)
    assert "expected tcp://HOST:PORT" in malformed.stderr


def test_a_worker_with_other_rules_stops_the_run() -> None:
    from callqa.distributed import _checked

    assert _checked(UnitResult(("a.json", 0), detector="v1"), "v1") == []
    with pytest.raises(ConfigError, match="same callqa, rules and models on every worker"):
        _checked(UnitResult(("a.json", 0), detector="v2"), "v1")


def test_a_scheduler_without_workers_is_exit_2(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("callqa.distributed.WORKERS_TIMEOUT", "1s")
    with distributed.LocalCluster(n_workers=0, dashboard_address=":0") as empty:
        address = str(empty.scheduler_address)
        result = run_cli("audit", str(SAMPLES), "--dask-scheduler", address, expect=2)
    assert f"the Dask scheduler {address} has no workers" in result.stderr
