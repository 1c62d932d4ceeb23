"""`callqa convert`: any input as canonical JSONL that audits to the same verdicts."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, REPO

VENDOR = FIXTURES / "formats"
SAMPLES = REPO / "sample_transcripts"
AGENT_PATTERN = "(?P<agent>agent-[a-z]+)__"


def _lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def _verdicts(run_cli, *args: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Per call id, everything the rules decided (not the source, which names the file)."""
    result = run_cli("audit", *args, "--no-models", "-f", "json", "-q", "-j", "1", expect=0)
    calls = json.loads(result.stdout)["calls"]
    return {
        c["call_id"]: {k: c[k] for k in ("agent_id", "language", "verdicts", "signals", "score")}
        for c in calls
    }


def test_a_vendor_file_converts_to_one_canonical_line_on_stdout(run_cli) -> None:  # type: ignore[no-untyped-def]
    path = VENDOR / "amazon-transcribe-call-analytics" / "example-call.json"
    result = run_cli("convert", str(path), expect=0)
    (call,) = _lines(result.stdout)  # stdout is the payload only
    assert {t["role"] for t in call["turns"]} >= {"agent", "customer"}
    assert "callqa" not in call["metadata"]  # callqa's own notes stay out of the record
    assert "1 calls converted, 0 inputs failed" in result.stderr


def test_a_folder_converts_every_call_in_input_order(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "calls.jsonl"
    result = run_cli("convert", str(SAMPLES), "--output", str(out), expect=0)
    assert result.stdout == ""
    calls = _lines(out.read_text(encoding="utf-8"))
    assert len(calls) == 30  # sample_transcripts/README.md: 30 calls across every format there
    assert calls[0]["call_id"] == "agent-dana__he-billing-05"  # sorted walk, as audit reads it


def test_the_converted_file_audits_to_the_same_verdicts(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "calls.jsonl"
    options = ("--agent-id-pattern", AGENT_PATTERN)
    run_cli("convert", str(SAMPLES), *options, "--output", str(out), expect=0)
    original = _verdicts(run_cli, str(SAMPLES), *options)
    # No loader options the second time: roles, agent ids and language are in the file.
    converted = _verdicts(run_cli, str(out))
    assert converted == original
    assert {c["agent_id"] for c in original.values()} >= {"agent-dana", "agent-ron"}


def test_stdin_and_the_loader_options_work_as_in_audit(  # type: ignore[no-untyped-def]
    run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = {
        "call_id": "c-1",
        "turns": [{"speaker": "2", "text": "hi"}, {"speaker": "1", "text": "yo"}],
    }
    data = (json.dumps(line) + "\n").encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    refused = run_cli("convert", "-", expect=2)
    assert refused.stdout == "" and "[E305] <stdin>#0" in refused.stderr

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    result = run_cli("convert", "-", "--agent-speaker", "2", "--language", "en", expect=0)
    (call,) = _lines(result.stdout)
    assert [t["role"] for t in call["turns"]] == ["agent", "customer"]
    assert call["language"] == "en"
    assert "--language" in run_cli("convert", "-", "--language", "fr", expect=2).stderr


def test_bad_inputs_are_named_and_the_good_ones_still_written(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(VENDOR / "webvtt" / "example.vtt", inputs / "good.vtt")
    shutil.copy(VENDOR / "google-ccai-insights" / "ccai-insights-chat-example.json", inputs)
    shutil.copy(VENDOR / "whisper-tsv" / "dosparlants.tsv", inputs)  # no speaker labels
    (inputs / "truncated.json").write_text('{"Transcript": [{"Content": "hi"', encoding="utf-8")
    out = tmp_path / "calls.jsonl"
    result = run_cli(
        "convert", str(inputs), str(tmp_path / "missing.txt"), "-o", str(out), expect=2
    )
    assert f"[E305] {inputs / 'dosparlants.tsv'}#0: " in result.stderr
    assert f"[E302] {inputs / 'truncated.json'}: " in result.stderr
    assert f"[E300] {tmp_path / 'missing.txt'}: no such file" in result.stderr
    assert "2 calls converted, 3 inputs failed; exit 2" in result.stderr
    assert len(_lines(out.read_text(encoding="utf-8"))) == 2


def test_output_file_appears_whole_and_alone(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "calls.jsonl"
    out.write_text("an older file\n", encoding="utf-8")  # replaced, not appended to
    result = run_cli("convert", str(SAMPLES), "-o", str(out), "-q", expect=0)
    assert result.stdout == "" and result.stderr == ""
    text = out.read_text(encoding="utf-8")
    assert text.endswith("\n") and len(_lines(text)) == 30
    assert [p.name for p in tmp_path.iterdir()] == ["calls.jsonl"]  # no temporary file left
