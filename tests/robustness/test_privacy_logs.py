"""Logs, warnings, errors and crash reports name files and turn numbers, never transcript text
(unless `--debug-text`), on realistic English and Hebrew calls full of personal data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from callqa.detect import Judgement
from callqa.model import Call
from tests.fakes import FakeDetector

EN_TEXT = "This is Dana Cohen, call me on 054-123-4567, card 4580 1234 5678 9012"
HE_TEXT = 'שלום, כאן רונית לוי, ת"ז 123456782, הטלפון שלי 052-7654321'
PRIVATE = ["Dana Cohen", "054-123-4567", "4580 1234", "רונית", "לוי", "123456782", "052-7654321"]


def _leaks(*texts: str) -> list[str]:
    return [p for p in PRIVATE if any(p in t for t in texts)]


class QuotingCrash(FakeDetector):
    """A detector bug whose message quotes the turn, as a KeyError or a parser error would."""

    def judge(self, call: Call) -> Judgement:
        for turn in call.agent_turns():
            if "רונית" in turn.text or "Dana" in turn.text:
                raise ValueError(f"cannot read a number in {turn.text!r}")
        return super().judge(call)


def _call(call_id: str, agent: str, customer: str = "I have a problem with my bill") -> dict:  # type: ignore[type-arg]
    return {
        "call_id": call_id,
        "turns": [
            {"speaker": "agent", "text": "Thank you for calling, how can I help?"},
            {"speaker": "customer", "text": customer},
            {"speaker": "agent", "text": agent},
        ],
    }


@pytest.fixture(autouse=True)
def _no_debug_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CALLQA_DEBUG_TEXT", raising=False)


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("text", [EN_TEXT, HE_TEXT], ids=["en", "he"])
def test_a_crash_names_the_input_but_not_its_text(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str, workers: str
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("callqa.cli.audit.load_detector", lambda *a, **k: QuotingCrash())
    calls = tmp_path / "calls"
    calls.mkdir()
    (calls / "a-fine.json").write_text(json.dumps(_call("a", "happy to help")), "utf-8")
    (calls / "b-crash.json").write_text(json.dumps(_call("b", text), ensure_ascii=False), "utf-8")
    result = run_cli("audit", str(calls), "-f", "json", "-j", workers, expect=2)
    assert "internal error: ValueError" in result.stderr
    assert f"while auditing {calls / 'b-crash.json'}#0" in result.stderr
    assert _leaks(result.stdout, result.stderr) == []
    monkeypatch.setenv("CALLQA_DEBUG_TEXT", "1")  # what --debug-text sets, for the workers too
    shown = run_cli("--debug-text", "audit", str(calls), "-f", "json", "-j", workers, expect=2)
    assert _leaks(shown.stderr), "--debug-text shows the message"


def test_input_errors_and_warnings_quote_no_transcript(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("callqa.cli.audit.load_detector", lambda *a, **k: FakeDetector())
    calls = tmp_path / "calls"
    calls.mkdir()
    # Hebrew ת"ז written with an unescaped quote: a very common way to break a JSON export.
    broken = '{"call_id": "he-1", "turns": [{"speaker": "agent", "text": "' + HE_TEXT + '"}]}'
    (calls / "broken.json").write_text(broken, encoding="utf-8")
    wrong_type = _call("t", "ok")
    wrong_type["turns"][1]["text"] = [EN_TEXT]
    (calls / "wrong_type.json").write_text(json.dumps(wrong_type), encoding="utf-8")
    role = _call("r", EN_TEXT)
    role["turns"][1]["role"] = "לקוחה " + HE_TEXT
    (calls / "bad_role.json").write_text(json.dumps(role, ensure_ascii=False), encoding="utf-8")
    (calls / "no_columns.csv").write_text(f"who,when\n{EN_TEXT},1\n{HE_TEXT},2\n", "utf-8")
    (calls / "latin1.txt").write_bytes(f"Agent: {EN_TEXT} café\n".encode("latin-1"))
    lines = [json.dumps(_call("j1", HE_TEXT), ensure_ascii=False), "{" + EN_TEXT, "[1, 2]"]
    (calls / "lines.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    vague = {"call_id": "v", "turns": [{"speaker": "A", "text": EN_TEXT},
                                       {"speaker": "B", "text": HE_TEXT}]}  # fmt: skip
    (calls / "vague.json").write_text(json.dumps(vague, ensure_ascii=False), encoding="utf-8")
    odd = _call("odd", HE_TEXT)
    odd["turns"] += [
        {"speaker": "Supervisor", "text": EN_TEXT, "start": -3.0},
        {"speaker": "customer", "text": HE_TEXT, "start": float("nan")},
    ]
    (calls / "odd.json").write_text(json.dumps(odd, ensure_ascii=False), encoding="utf-8")

    result = run_cli("audit", str(calls), "-f", "json", "-j", "1", "--no-redact", expect=2)
    payload = json.loads(result.stdout)
    failed = {Path(e["file"]).name for e in payload["errors"]}
    assert failed == {"broken.json", "wrong_type.json", "bad_role.json", "no_columns.csv",
                      "latin1.txt", "lines.jsonl", "vague.json"}  # fmt: skip
    for error in payload["errors"]:
        assert error["file"] in result.stderr
    reasons = [e["reason"] for e in payload["errors"]]
    [odd_call] = [c for c in payload["calls"] if c["call_id"] == "odd"]
    assert len(odd_call["warnings"]) == 3  # the supervisor, a negative time, a NaN time
    assert _leaks(result.stderr, *reasons, *odd_call["warnings"]) == []


def test_a_headerless_csv_is_not_quoted_as_its_header(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A chat export without a header: its first line is a message, not column names."""
    path = tmp_path / "chat.csv"
    path.write_text(f"Agent,{EN_TEXT}\nCustomer,{HE_TEXT}\n", encoding="utf-8")
    for option in (["--input-format", "csv"], ["--csv-columns", "speaker=Author,text=Message"]):
        result = run_cli("audit", str(path), "-f", "json", "--no-models", *option, expect=2)
        [error] = json.loads(result.stdout)["errors"]
        assert "looks like a message, not a header" in error["reason"], error
        assert _leaks(result.stderr, error["reason"]) == []
    headed = tmp_path / "headed.csv"
    headed.write_text(f"Thread,Who,Said\n1,Agent,{EN_TEXT}\n", encoding="utf-8")
    result = run_cli(
        "audit", str(headed), "-f", "json", "--no-models", "--input-format", "csv", expect=2
    )
    assert "(columns: Thread, Who, Said)" in result.stderr  # a real header is listed
