"""Calls that load but are odd: unknown speaker labels, shared call ids, broken or overlapping
times. Each is audited, and what was odd is said in the call's warnings, never silently fixed or
dropped (the behaviour is documented in docs/loaders.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from callqa.diff import diff_audits
from callqa.load import LoadedCall, LoadOptions, load_inputs
from callqa.model import AuditResult, Call
from callqa.normalise import normalise, warnings_of
from tests.fakes import FakeDetector


def _turns(*times: tuple[float | None, float | None]) -> list[dict[str, Any]]:
    texts = [
        ("agent", "Thank you for calling Acme, how can I help you?"),
        ("customer", "My internet has been down since yesterday."),
        ("agent", "I'm sorry to hear that, let me check the line for you."),
        ("customer", "Thanks."),
    ]
    turns: list[dict[str, Any]] = [{"speaker": s, "text": t} for s, t in texts]
    for turn, (start, end) in zip(turns, times, strict=False):
        turn["start"], turn["end"] = start, end
    return turns


def _write(path: Path, call: dict[str, Any]) -> Path:
    path.write_text(json.dumps(call, ensure_ascii=False), encoding="utf-8")  # NaN stays NaN
    return path


def _normalised(path: Path, options: LoadOptions | None = None) -> Call:
    options = options or LoadOptions()
    [item] = list(load_inputs([str(path)], options))
    assert isinstance(item, LoadedCall), item
    return normalise(item.call, item.source, options)


GOOD_TIMES = [(0.0, 3.0), (3.5, 6.0), (6.5, 9.0), (9.5, 10.0)]


def test_good_times_give_no_warning(tmp_path: Path) -> None:
    call = _normalised(_write(tmp_path / "c.json", {"call_id": "c", "turns": _turns(*GOOD_TIMES)}))
    assert warnings_of(call) == []
    assert [t.start for t in call.turns] == [0.0, 3.5, 6.5, 9.5]


def test_negative_times_are_dropped_with_a_warning(tmp_path: Path) -> None:
    times = [(0.0, 3.0), (-4.0, 6.0), (6.5, -1.0), (9.5, 10.0)]
    call = _normalised(_write(tmp_path / "c.json", {"call_id": "c", "turns": _turns(*times)}))
    assert [(t.start, t.end) for t in call.turns] == [(0.0, 3.0), (None, None), (None, None),
                                                       (9.5, 10.0)]  # fmt: skip
    assert warnings_of(call) == [
        "2 turn(s) have negative times (first: turn 1); their times are ignored"
    ]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "NaN", "-Infinity"])
def test_nan_and_infinite_times_are_dropped_with_a_warning(tmp_path: Path, bad: object) -> None:
    times = [(0.0, 3.0), (3.5, 6.0), (bad, 9.0), (9.5, 10.0)]
    call = _normalised(_write(tmp_path / "c.json", {"call_id": "c", "turns": _turns(*times)}))  # type: ignore[arg-type]
    assert call.turns[2].start is None and call.turns[2].end == 9.0
    [warning] = warnings_of(call)
    assert warning.startswith("1 turn(s) have times that are not numbers") and "turn 2" in warning


def test_times_going_backwards_keep_file_order_with_a_warning(tmp_path: Path) -> None:
    times = [(0.0, 3.0), (3.5, 6.0), (1.0, 2.0), (9.5, 10.0)]
    call = _normalised(_write(tmp_path / "c.json", {"call_id": "c", "turns": _turns(*times)}))
    assert [t.start for t in call.turns] == [0.0, 3.5, 1.0, 9.5]  # not reordered
    [warning] = warnings_of(call)
    assert "turn times go backwards 1 time(s) (first: turn 2 starts before turn 1)" in warning


def test_overlapping_turns_are_kept_as_they_are(tmp_path: Path) -> None:
    """Talking over each other is real speech, measured by the overlap metric: no warning."""
    times = [(0.0, 3.0), (2.0, 6.0), (5.5, 9.0), (9.5, 10.0)]
    call = _normalised(_write(tmp_path / "c.json", {"call_id": "c", "turns": _turns(*times)}))
    assert [(t.start, t.end) for t in call.turns] == times
    assert warnings_of(call) == []


def test_an_unknown_speaker_beside_known_roles_is_named(tmp_path: Path) -> None:
    turns = _turns()
    turns.insert(2, {"speaker": "Supervisor Bob", "text": "I'm listening in on this call."})
    call = _normalised(_write(tmp_path / "c.json", {"call_id": "c", "turns": turns}))
    assert [t.role for t in call.turns] == ["agent", "customer", "other", "agent", "customer"]
    [warning] = warnings_of(call)
    assert warning.startswith("speaker 'Supervisor Bob' (turn(s) 2) is neither agent nor customer")
    mapped = _normalised(tmp_path / "c.json", LoadOptions(speaker_map={"supervisor bob": "other"}))
    assert warnings_of(mapped) == []  # the user said what it is


def test_unknown_labels_only_are_settled_by_the_heuristic_or_refused(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("callqa.cli.audit.load_detector", lambda *a, **k: FakeDetector())
    calls = tmp_path / "calls"
    calls.mkdir()
    turns = _turns()
    for turn in turns:
        turn["speaker"] = {"agent": "zork", "customer": "blip"}[turn["speaker"]]
    _write(calls / "named.json", {"call_id": "named", "turns": turns})
    vague = [{"speaker": "x1", "text": "ok"}, {"speaker": "x2", "text": "fine"}]
    _write(calls / "vague.json", {"call_id": "vague", "turns": vague})
    result = run_cli("audit", str(calls), "-f", "json", "-j", "1", expect=2)
    payload = json.loads(result.stdout)
    [call] = payload["calls"]
    assert call["call_id"] == "named"
    assert call["warnings"][0].startswith("speaker roles inferred: zork is the agent")
    [error] = payload["errors"]
    assert error["file"].endswith("vague.json") and error["code"] == "E305"
    assert "vague.json" in result.stderr


def test_duplicate_call_ids_are_all_audited_and_flagged(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("callqa.cli.audit.load_detector", lambda *a, **k: FakeDetector())
    calls = tmp_path / "calls"
    calls.mkdir()
    for name in ("a", "b"):
        _write(calls / f"{name}.json", {"call_id": "same-id", "turns": _turns()})
    lines = [json.dumps({"call_id": cid, "turns": _turns()}) for cid in ("same-id", "x", "x")]
    (calls / "more.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for fmt in ("json", "jsonl"):
        result = run_cli("audit", str(calls), "-f", fmt, "-j", "1", expect=0)
        if fmt == "json":
            records = json.loads(result.stdout)["calls"]
        else:
            records = [
                r for r in map(json.loads, result.stdout.splitlines()) if r["type"] == "call"
            ]
        seen = sorted(
            (r["call_id"], Path(r["source"]["file"]).name, r["source"]["position"]) for r in records
        )
        assert seen == [
            ("same-id", "a.json", 0),
            ("same-id", "b.json", 0),
            ("same-id", "more.jsonl", 0),
            ("x", "more.jsonl", 1),
            ("x", "more.jsonl", 2),
        ], "no call may be dropped"
        flagged = {
            (Path(r["source"]["file"]).name, r["source"]["position"]): w
            for r in records
            for w in r["warnings"]
            if w.startswith("duplicate call id")
        }
        assert sorted(flagged) == [("b.json", 0), ("more.jsonl", 0), ("more.jsonl", 2)]
        assert f"also the id of {calls / 'a.json'}#0" in flagged[("b.json", 0)]
        assert f"also the id of {calls / 'more.jsonl'}#1" in flagged[("more.jsonl", 2)]
        assert result.stderr.count("warning:") == 3
        assert f"{calls / 'b.json'}#0: duplicate call id 'same-id'" in result.stderr


def test_diff_keeps_calls_that_share_an_id(run_cli, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("callqa.cli.audit.load_detector", lambda *a, **k: FakeDetector())
    calls = tmp_path / "calls"
    calls.mkdir()
    _write(calls / "a.json", {"call_id": "same-id", "turns": _turns()})
    rude = _turns()
    rude[2]["text"] = "Listen, you idiot, let me check the line."
    _write(calls / "b.json", {"call_id": "same-id", "turns": rude})
    old = AuditResult.model_validate_json(run_cli("audit", str(calls), "-f", "json").stdout)
    _write(calls / "b.json", {"call_id": "same-id", "turns": _turns()})
    new = AuditResult.model_validate_json(run_cli("audit", str(calls), "-f", "json").stdout)
    diff = diff_audits(old, new)
    assert diff.calls_compared == 2
    [flip] = diff.flips
    assert flip.call_id == f"same-id ({calls / 'b.json'}#0)" and flip.behaviour == "rudeness"
