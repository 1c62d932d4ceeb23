"""An interrupted run leaves only complete output; --resume finishes it without loss or duplicates."""

import json
from pathlib import Path

import pytest

from tests.fakes import FakeDetector, write_calls


@pytest.fixture
def calls(tmp_path: Path) -> Path:
    write_calls(tmp_path / "calls", 30)
    return tmp_path / "calls"


def _use(monkeypatch: pytest.MonkeyPatch, detector: FakeDetector) -> None:
    monkeypatch.setattr("callqa.cli.audit.load_detector", lambda *a, **k: detector)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_interrupt_then_resume_equals_a_clean_run(
    run_cli, monkeypatch, calls: Path, tmp_path: Path, fmt: str
) -> None:  # type: ignore[no-untyped-def]
    clean = tmp_path / f"clean.{fmt}"
    _use(monkeypatch, FakeDetector())
    run_cli("audit", str(calls), "-j", "1", "--format", fmt, "-o", str(clean), expect=0)

    out = tmp_path / f"out.{fmt}"
    # The fake raises KeyboardInterrupt on the 18th call's text, like Ctrl-C in the middle of a run.
    write_calls_text = calls / "c0017.json"
    data = json.loads(write_calls_text.read_text())
    data["turns"][1]["text"] = "STOP here"
    write_calls_text.write_text(json.dumps(data))
    _use(monkeypatch, FakeDetector(fail_on_text="STOP"))
    result = run_cli("audit", str(calls), "-j", "1", "--format", fmt, "-o", str(out), expect=2)
    assert "Interrupted" in result.stderr
    assert not out.exists(), "an interrupted run must not leave a partial output file"
    journal = tmp_path / f".out.{fmt}.callqa-journal.jsonl"
    assert len(journal.read_text().splitlines()) == 17

    data["turns"][1]["text"] = "happy to help"
    write_calls_text.write_text(json.dumps(data))
    _use(monkeypatch, FakeDetector())
    run_cli("audit", str(calls), "-j", "1", "--format", fmt, "-o", str(out), "--resume", expect=0)
    assert not journal.exists()
    assert out.read_text() == clean.read_text()


def test_torn_journal_line_is_dropped(run_cli, monkeypatch, calls: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _use(monkeypatch, FakeDetector())
    clean = tmp_path / "clean.json"
    run_cli("audit", str(calls), "-j", "1", "-f", "json", "-o", str(clean), expect=0)
    out = tmp_path / "out.json"
    journal = tmp_path / ".out.json.callqa-journal.jsonl"
    journal.write_text(
        '{"schema_version": "1.0", "type": "call", "call_id": "c00', encoding="utf-8"
    )
    run_cli("audit", str(calls), "-j", "1", "-f", "json", "-o", str(out), "--resume", expect=0)
    assert out.read_text() == clean.read_text()


def test_resume_needs_output(run_cli, calls: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("audit", str(calls), "--resume", expect=2)
    assert "--resume needs --output" in result.stderr
