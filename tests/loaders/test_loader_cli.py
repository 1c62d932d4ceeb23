"""The loader options and `callqa formats`, through the real CLI (a keyword fake judges calls)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from callqa.load import READERS
from tests.conftest import FIXTURES, REPO
from tests.fakes import FakeDetector

VENDOR = FIXTURES / "formats"
SAMPLES = REPO / "sample_transcripts"


@pytest.fixture(autouse=True)
def fake_detector(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("callqa.cli.audit.load_detector", lambda *a, **k: FakeDetector())


def audit(run_cli, *args: str, expect: int) -> dict:  # type: ignore[no-untyped-def,type-arg]
    result = run_cli("audit", *args, "-f", "json", "-q", "-j", "1", expect=expect)
    payload: dict = json.loads(result.stdout)  # type: ignore[type-arg]
    payload["_stderr"] = result.stderr
    return payload


def test_formats_lists_every_reader(run_cli) -> None:  # type: ignore[no-untyped-def]
    text = run_cli("formats", expect=0).stdout
    for name in READERS:
        assert name in text
    rows = json.loads(run_cli("formats", "--json", expect=0).stdout)
    assert {row["name"] for row in rows} == set(READERS)
    assert all(row["description"] for row in rows)


def test_mixed_batch_audits_the_good_files_and_exits_2(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = [
        "amazon-transcribe-call-analytics/example-call.json",
        "azure-content-understanding/cu_pretranscribed.json",
        "google-ccai-insights/ccai-insights-chat-example.json",
        "webvtt/example.vtt",
    ]
    bad = {
        "amazon-bedrock-data-automation-audio/bda-custom.json": "E302",  # no transcript
        "azure-speech-batch-transcription/fast_pretranscribed.json": "E305",  # roles in conflict
        "whisper-tsv/dosparlants.tsv": "E305",  # no speaker labels
    }
    for rel in [*good, *bad]:
        shutil.copy(VENDOR / rel, tmp_path / Path(rel).name)
    (tmp_path / "truncated.json").write_text('{"Transcript": [{"Content": "hi"', encoding="utf-8")
    payload = audit(run_cli, str(tmp_path), expect=2)
    assert payload["complete"] is False
    assert sorted(Path(c["source"]["file"]).name for c in payload["calls"]) == sorted(
        Path(rel).name for rel in good
    )
    errors = {Path(e["file"]).name: e for e in payload["errors"]}
    expected_codes = {Path(rel).name: code for rel, code in bad.items()}
    assert {name: errors[name]["code"] for name in expected_codes} == expected_codes
    assert errors["truncated.json"]["code"] == "E302"
    assert "invalid JSON" in errors["truncated.json"]["reason"]
    for name in errors:
        assert name in payload["_stderr"]  # each failure is named on stderr too


def test_agent_speaker_and_speaker_map_settle_refused_roles(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = str(VENDOR / "azure-speech-batch-transcription/fast_pretranscribed.json")
    audit(run_cli, path, expect=2)
    by_option = audit(run_cli, path, "--agent-speaker", "2", expect=0)
    assert by_option["calls"][0]["call_id"] == "fast_pretranscribed"
    speaker_map = tmp_path / "speakers.yaml"
    speaker_map.write_text("'2': agent\n'1': customer\n", encoding="utf-8")
    assert audit(run_cli, path, "--speaker-map", str(speaker_map), expect=0)["complete"]
    speaker_map.write_text("'2': boss\n", encoding="utf-8")
    result = run_cli("audit", path, "--speaker-map", str(speaker_map), expect=2)
    assert "agent|customer|other" in result.stderr


def test_role_threshold_option(run_cli) -> None:  # type: ignore[no-untyped-def]
    path = str(VENDOR / "webvtt/dosparlants.vtt")  # two speakers, no cues at all
    refused = audit(run_cli, path, expect=2)
    assert "confidence 0.58" in refused["errors"][0]["reason"]
    accepted = audit(run_cli, path, "--role-threshold", "0.5", expect=0)
    assert any("speaker roles inferred" in w for w in accepted["calls"][0]["warnings"])
    run_cli("audit", path, "--role-threshold", "2", expect=2)


def test_csv_columns_option(run_cli) -> None:  # type: ignore[no-untyped-def]
    path = str(FIXTURES / "loaders" / "chat_custom_columns.csv")
    assert audit(run_cli, path, expect=2)["errors"][0]["code"] == "E302"
    payload = audit(
        run_cli, path, "--csv-columns", "call_id=Thread,speaker=Who,text=Said,start=When", expect=0
    )
    assert [c["call_id"] for c in payload["calls"]] == ["T-100", "T-200"]
    bad = run_cli("audit", path, "--csv-columns", "who=Who", expect=2)
    assert "[E100]" in bad.stderr and "--csv-columns" in bad.stderr


def test_input_format_option(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    odd = tmp_path / "call.dat"
    odd.write_text("Agent: Thanks for calling, how can I help?\nCustomer: Hi\n", encoding="utf-8")
    forced = audit(run_cli, str(odd), "--input-format", "text", expect=0)
    assert forced["calls"][0]["source"]["format"] == "text"
    wrong = audit(run_cli, str(odd), "--input-format", "webvtt", expect=2)
    assert "no subtitle cues" in wrong["errors"][0]["reason"]
    unknown = run_cli("audit", str(odd), "--input-format", "docx", expect=2)
    assert "callqa formats" in unknown.stderr


def test_agent_id_pattern_and_language_options(run_cli) -> None:  # type: ignore[no-untyped-def]
    path = str(SAMPLES / "agent-dana__he-billing-05.txt")
    plain = audit(run_cli, path, expect=0)["calls"][0]
    assert (plain["agent_id"], plain["language"]) == ("unknown", "he")
    pattern = r"(?P<agent>agent-[a-z]+)__"
    both = audit(run_cli, path, "--agent-id-pattern", pattern, "--language", "mixed", expect=0)
    assert (both["calls"][0]["agent_id"], both["calls"][0]["language"]) == ("agent-dana", "mixed")
    run_cli("audit", path, "--language", "fr", expect=2)
