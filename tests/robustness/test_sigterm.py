"""SIGTERM in the middle of a real `python -m callqa audit` process is an interrupt like Ctrl-C.

The run exits 2, leaves no output file (only its journal), and `--resume` finishes it with the
same bytes as a clean run: no call lost, none duplicated. With workers, the signal also goes to
the whole process group (as `kill -TERM -PGID`, a service manager or `docker stop` may send it).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from callqa.detect import Judgement
from callqa.model import Call
from tests.fakes import FakeDetector, write_calls

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and groups")

CALLS = 2000
KILL_AFTER = 100  # journalled calls before the signal: the run is well under way, far from done


def _write_calls(folder: Path) -> None:
    folder.mkdir()
    for i in range(CALLS):
        call = {
            "call_id": f"c{i:05d}",
            "agent_id": f"agent-{i % 4}",
            "turns": [
                {"speaker": "customer", "text": "my router is broken again"},
                {"speaker": "agent", "text": "I'm sorry about that, let me check it for you"},
            ],
        }
        (folder / f"c{i:05d}.json").write_text(json.dumps(call), encoding="utf-8")


def _command(calls: Path, out: Path, workers: str, *extra: str) -> list[str]:
    audit = ["audit", str(calls), "--no-models", "-q", "-f", "json", "-j", workers, "-o", str(out)]
    return [sys.executable, "-m", "callqa", *audit, *extra]


def _env() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, env=_env(), timeout=300)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    root = tmp_path_factory.mktemp("sigterm")
    _write_calls(root / "calls")
    out = root / "clean.json"
    done = _run(_command(root / "calls", out, "1"))
    assert done.returncode == 0, done.stderr[-2000:]
    return root / "calls", out.read_bytes()


@pytest.mark.parametrize(
    ("workers", "to_group"), [("1", False), ("2", True)], ids=["j1-process", "j2-group"]
)
def test_sigterm_mid_run_then_resume_equals_a_clean_run(
    clean: tuple[Path, bytes], tmp_path: Path, workers: str, to_group: bool
) -> None:
    calls, clean_bytes = clean
    out = tmp_path / "out.json"
    journal = tmp_path / ".out.json.callqa-journal.jsonl"
    process = subprocess.Popen(
        _command(calls, out, workers),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        start_new_session=True,  # its own process group, so killpg never reaches pytest
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if journal.exists() and journal.read_bytes().count(b"\n") >= KILL_AFTER:
                break
            time.sleep(0.01)
        assert process.poll() is None, "the run ended before it could be interrupted"
        if to_group:
            os.killpg(process.pid, signal.SIGTERM)
        else:
            process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 2, stderr[-2000:]
    assert "Interrupted" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [journal.name], "only the journal stays"
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    assert KILL_AFTER <= len(lines) < CALLS
    complete = [json.loads(line) for line in lines if line.endswith("\n")]
    assert len(complete) >= len(lines) - 1  # at most one torn last line
    assert all(record["type"] == "call" for record in complete)

    resumed = _run(_command(calls, out, workers, "--resume"))
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
    payload = json.loads(out.read_bytes())
    ids = [call["call_id"] for call in payload["calls"]]
    assert ids == [f"c{i:05d}" for i in range(CALLS)], "a call was lost or duplicated"
    assert out.read_bytes() == clean_bytes


class _SwallowingDetector(FakeDetector):
    """Receives a SIGTERM while judging one call and swallows its KeyboardInterrupt, as Python
    does when the handler happens to run inside a `__del__` (seen in a regex object's)."""

    def judge(self, call: Call) -> Judgement:
        if call.call_id == "c0004":
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(1)  # the handler runs here, and its exception dies here
            except KeyboardInterrupt:
                pass
        return super().judge(call)


def test_a_swallowed_interrupt_still_stops_the_run(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    write_calls(tmp_path / "calls", 9)
    monkeypatch.setattr("callqa.cli.audit.load_detector", lambda *a, **k: _SwallowingDetector())
    out = tmp_path / "out.json"
    args = ("audit", str(tmp_path / "calls"), "-j", "1", "-q", "-f", "json", "-o", str(out))
    result = run_cli(*args, expect=2)
    assert "Interrupted" in result.stderr
    assert not out.exists()  # no output that looks complete
    monkeypatch.setattr("callqa.cli.audit.load_detector", lambda *a, **k: FakeDetector())
    run_cli(*args, "--resume", expect=0)  # the next run is not stopped by the old signal
    assert len(json.loads(out.read_text(encoding="utf-8"))["calls"]) == 9
