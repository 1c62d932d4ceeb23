"""The progress line: calls, calls/s, errors and an ETA once the inputs are counted."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from rich.console import Console

from callqa.cli import progress
from callqa.engine import estimate_calls
from callqa.load import LoadOptions
from callqa.model import CallResult, InputError, Source


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


def test_estimate_counts_jsonl_lines_and_other_files(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(b'{"x": 1}\n{"x": 2}\n{"x": 3}')  # no final newline
    (tmp_path / "b.jsonl").write_bytes(b'{"x": 1}\n')
    (tmp_path / "c.json").write_text("{}", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.vtt").write_text("WEBVTT\n", encoding="utf-8")
    assert estimate_calls([str(tmp_path)], LoadOptions()) == 3 + 1 + 1 + 1
    assert estimate_calls([str(tmp_path / "a.jsonl"), "-"], LoadOptions()) is None


def test_progress_shows_counts_rate_errors_and_eta(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=160)
    monkeypatch.setattr(progress, "err_console", console)
    call = CallResult(
        call_id="c", agent_id="a", language="en", source=Source(file="f"), verdicts={}
    )
    error = InputError(file="bad.json", code="E300", reason="not JSON")
    with progress._progress(True, lambda: 10) as tick:
        for _ in range(4):
            tick(call)
        tick(error)
        time.sleep(0.4)  # rich redraws ten times a second
    frames = [_plain(f) for f in screen.getvalue().split("\r") if "auditing" in f]
    last = frames[-1]
    assert "4 calls" in last and "1 errors" in last and "calls/s" in last
    assert re.search(r"ETA \d+:\d\d:\d\d", last)  # a real time left, once the total is known
    unknown = io.StringIO()
    monkeypatch.setattr(progress, "err_console", Console(file=unknown, force_terminal=True))
    with progress._progress(True, lambda: None) as tick:  # stdin: no total, no ETA
        tick(call)
        time.sleep(0.3)
    assert "1 calls" in _plain(unknown.getvalue())
    assert not re.search(r"ETA \d+:\d\d:\d\d", _plain(unknown.getvalue()))
    quiet = io.StringIO()
    monkeypatch.setattr(progress, "err_console", Console(file=quiet, force_terminal=True))
    with progress._progress(False, lambda: 10) as tick:
        tick(call)
    assert quiet.getvalue() == ""
