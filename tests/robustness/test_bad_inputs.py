"""The documented bad-input corpus: good calls audited, each bad input reported precisely, exit 2."""

import json

import pytest

from tests.conftest import FIXTURES
from tests.fakes import FakeDetector

CORPUS = FIXTURES / "bad_inputs"
EXPECTED = {
    "bad_empty.json": "file is empty",
    "bad_whitespace_only.json": "file is empty",
    "bad_truncated.json": "invalid JSON at line 1",
    "bad_binary.json": "looks like a binary file",
    "bad_latin1.json": "is not valid UTF-8",
    "bad_zero_turns.json": "the call has no turns",
    "bad_not_a_transcript.json": "format not recognised",
    "bad_wrong_types.json": "format not recognised",
    "bad_deep_nesting.json": "nested too deeply",
}


@pytest.mark.parametrize("workers", ["1", "2"])
def test_bad_input_corpus(run_cli, monkeypatch, workers: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("callqa.cli.audit.load_detector", lambda *a, **k: FakeDetector())
    result = run_cli("audit", str(CORPUS), "-f", "json", "-j", workers, expect=2)
    payload = json.loads(result.stdout)
    assert payload["complete"] is False
    assert sorted(c["call_id"] for c in payload["calls"]) == [
        "good-01",
        "good-02",
        "good-03",
        "good-04",
        "mixed-0",
        "mixed-2",
    ]
    by_file: dict[str, list[tuple[int | None, str]]] = {}
    for error in payload["errors"]:
        name = error["file"].rsplit("/", 1)[-1]
        by_file.setdefault(name, []).append((error["position"], error["reason"]))
        assert error["file"] in result.stderr  # each failure is also named on stderr
    for name, reason in EXPECTED.items():
        [(_, got)] = by_file.pop(name)
        assert reason in got, (name, got)
    assert sorted(by_file.pop("mixed_lines.jsonl")) == [
        (1, "invalid JSON on line 2: Expecting property name enclosed in double quotes"),
        (3, "the call has no turns"),
    ]
    assert by_file == {}, "no other file may fail"
