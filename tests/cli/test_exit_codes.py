"""Each exit code, through the real CLI entry point (with a keyword fake in place of the rules)."""

import json
from pathlib import Path

import pytest

from tests.fakes import FakeDetector, write_calls


class CrashingDetector(FakeDetector):
    def judge(self, call):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")


@pytest.fixture
def calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("CALLQA_DEBUG_TEXT", raising=False)
    write_calls(tmp_path / "calls", 6, rude_every=100)  # only c0000 is rude
    monkeypatch.setattr("callqa.cli.audit.load_detector", lambda *a, **k: FakeDetector())
    return tmp_path / "calls"


def test_clean_run_exits_0_and_stdout_is_only_json(run_cli, calls: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("audit", str(calls), "-f", "json", "--fail-on", "over_promising", expect=0)
    payload = json.loads(result.stdout)
    assert payload["complete"] is True and len(payload["calls"]) == 6


def test_findings_over_threshold_exit_1(run_cli, calls: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("audit", str(calls), "-f", "json", "--fail-on", "rudeness", expect=1)
    assert json.loads(result.stdout)["calls"][0]["verdicts"]["rudeness"]["verdict"] == "violation"


def test_exit_zero_turns_1_into_0(run_cli, calls: Path) -> None:  # type: ignore[no-untyped-def]
    run_cli("audit", str(calls), "-f", "json", "--fail-on", "rudeness", "--exit-zero", expect=0)


def test_unreadable_input_exits_2_but_audits_the_rest(run_cli, calls: Path) -> None:  # type: ignore[no-untyped-def]
    (calls / "zz_broken.json").write_bytes(b"\x00\x01\x02binary")
    result = run_cli("audit", str(calls), "-f", "json", "--exit-zero", expect=2)
    payload = json.loads(result.stdout)
    assert payload["complete"] is False and len(payload["calls"]) == 6
    [error] = payload["errors"]
    assert error["file"].endswith("zz_broken.json") and "binary" in error["reason"]
    assert "zz_broken.json" in result.stderr


def test_missing_path_exits_2(run_cli, calls: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("audit", str(calls / "nope"), "-f", "json", expect=2)
    assert "no such file" in result.stderr


def test_crash_exits_2_not_1(run_cli, calls: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("callqa.cli.audit.load_detector", lambda *a, **k: CrashingDetector())
    result = run_cli("audit", str(calls), "-j", "1", "-f", "json", expect=2)
    assert "RuntimeError" in result.stderr and "test_exit_codes.py" in result.stderr
    assert "boom" not in result.stderr  # the message may quote a transcript: hidden by default
    shown = run_cli("--debug-text", "audit", str(calls), "-j", "1", "-f", "json", expect=2)
    assert "boom" in shown.stderr
