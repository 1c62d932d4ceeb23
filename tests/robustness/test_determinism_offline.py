"""Same inputs, rules and models give byte-identical JSON whatever the file order or worker count;
a full audit (rules and shipped models) makes no network connection."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from tests.conftest import REPO

SAMPLES = REPO / "sample_transcripts"


def _copy(files: list[Path], target: Path) -> None:
    target.mkdir()
    for path in files:  # creation order decides the order a directory listing returns
        shutil.copy(path, target / path.name)


def test_file_order_and_workers_do_not_change_the_json(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    files = sorted(p for p in SAMPLES.iterdir() if p.is_file() and p.name != "README.md")
    monkeypatch.chdir(tmp_path)
    _copy(files, tmp_path / "calls")
    one = run_cli("audit", "calls", "-f", "json", "-j", "1", "--exit-zero").stdout
    shutil.rmtree(tmp_path / "calls")
    _copy(list(reversed(files)), tmp_path / "calls")
    two = run_cli("audit", "calls", "-f", "json", "-j", "2", "--exit-zero").stdout
    assert one and one == two


def test_a_full_audit_opens_no_socket(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    result = run_cli("audit", str(SAMPLES), "-f", "json", "-j", "1", "--exit-zero")
    assert result.exit_code == 0, result.stderr[-3000:]
    assert '"model"' in result.stdout, "the shipped models must have taken part"
