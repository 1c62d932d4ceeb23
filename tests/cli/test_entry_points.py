"""How callqa is started and fed: the console script and `python -m callqa` as real processes,
JSONL on stdin (`-`), globs, the streamed JSONL summary, and the README commands CI runs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.fakes import FakeDetector, write_calls

SAMPLES = REPO / "sample_transcripts"


def _process(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        list(args), input=stdin, capture_output=True, cwd=REPO, timeout=120, check=False
    )


def test_python_m_and_the_console_script_exit_0_and_2() -> None:
    shown = _process(sys.executable, "-m", "callqa", "--help")
    assert shown.returncode == 0, shown.stderr[-2000:]
    assert b"Exit codes" in shown.stdout
    script = Path(sys.executable).with_name("callqa")
    if not script.exists():
        pytest.skip(f"no console script beside {sys.executable}: run the README's setup command")
    missing = _process(str(script), "audit", str(REPO / "no-such-folder"), "-f", "json")
    assert missing.returncode == 2, missing.stderr[-2000:]
    assert b"no-such-folder" in missing.stderr
    assert json.loads(missing.stdout)["complete"] is False  # stdout is still the payload


def test_jsonl_on_stdin_streams_one_line_per_call_and_a_summary() -> None:
    """The README's `cat calls.jsonl | callqa audit - --format jsonl`, with the real rules."""
    data = (SAMPLES / "batch_chats.jsonl").read_bytes()
    proc = _process(
        sys.executable,
        "-m",
        "callqa",
        "audit",
        "-",
        "-f",
        "jsonl",
        "--no-models",
        "-q",
        "-j",
        "1",
        stdin=data,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    calls = [line for line in lines if line["type"] == "call"]
    assert [c["call_id"] for c in calls] == ["en-chat-11", "en-chat-12", "he-chat-11", "he-chat-12"]
    assert all(
        c["source"] == {"file": "<stdin>", "position": i, "format": "jsonl"}
        for i, c in enumerate(calls)
    )
    summary = lines[-1]
    assert summary["type"] == "summary" and summary["complete"] is True
    assert summary["calls"] == 4 and summary["errors"] == 0  # streamed calls are still counted
    assert sum(card["calls"] for card in summary["scorecards"]) == 4


@pytest.fixture
def calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_calls(tmp_path / "calls", 6)
    monkeypatch.setattr("callqa.cli.audit.load_detector", lambda *a, **k: FakeDetector())
    return tmp_path / "calls"


def test_globs_expand_and_a_glob_that_matches_nothing_exits_2(run_cli, calls: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("audit", str(calls / "c000[0-2].json"), "-f", "json", "-j", "1", expect=0)
    assert [c["call_id"] for c in json.loads(result.stdout)["calls"]] == ["c0000", "c0001", "c0002"]
    nothing = run_cli("audit", str(calls / "*.vtt"), "-f", "json", "-j", "1", expect=2)
    [error] = json.loads(nothing.stdout)["errors"]
    assert error["file"].endswith("*.vtt") and "no such file" in error["reason"]


def test_streamed_jsonl_summary_counts_calls_and_errors(run_cli, calls: Path) -> None:  # type: ignore[no-untyped-def]
    (calls / "zz_broken.json").write_bytes(b"\x00\x01 binary")
    out = run_cli("audit", str(calls), "-f", "jsonl", "-j", "1", "-q", expect=2).stdout
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["type"] for line in lines] == ["call"] * 6 + ["error", "summary"]
    assert (lines[-1]["calls"], lines[-1]["errors"], lines[-1]["complete"]) == (6, 1, False)


def test_a_command_that_cannot_load_exits_2_not_1(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    def broken(app: object) -> None:
        raise ImportError("a dependency is missing")

    monkeypatch.delenv("CALLQA_DEBUG_TEXT", raising=False)
    monkeypatch.setattr("callqa.cli.formats.register", broken)
    result = run_cli("formats", expect=2)
    assert "internal error: ImportError" in result.stderr


def _fenced_after(heading: str, text: str) -> list[str]:
    section = text.split(f"\n## {heading}\n", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, heading
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_ci_runs_exactly_the_readme_setup_and_test_commands() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    ci = (REPO / ".ci" / "run").read_text("utf-8").splitlines()
    setup, test = _fenced_after("Setup", readme), _fenced_after("Test", readme)
    assert len(setup) == 1 and len(test) == 1, "one setup command and one test command"
    assert setup[0] in ci and test[0] in ci
    assert ci.index(setup[0]) < ci.index(test[0])


def test_default_format_is_table_on_a_terminal_and_json_otherwise(  # type: ignore[no-untyped-def]
    run_cli, calls: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = run_cli("audit", str(calls), "-j", "1", "-q", expect=0).stdout
    assert json.loads(piped)["schema_version"] == "1.0"
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    shown = run_cli("audit", str(calls), "-j", "1", "-q", expect=0).stdout
    assert "agent-0" in shown and "┃" in shown and not shown.lstrip().startswith("{")


def test_a_spawned_worker_importing_the_main_module_does_not_rerun_the_cli() -> None:
    import runpy

    # spawn (macOS, Windows) re-imports `python -m callqa`'s module as __mp_main__ in each worker.
    namespace = runpy.run_module("callqa.__main__", run_name="__mp_main__")
    assert callable(namespace["main"])
