"""Gating options through the real CLI: each exit code, severities, scorecard file, redaction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakes import FakeDetector, write_calls

SCORECARD = """\
min_calls_to_rank: {rank}
behaviours:
  rudeness:          {{weight: 30, severity: critical}}
  over_promising:    {{weight: 30, severity: major}}
  missing_follow_up: {{weight: 20, severity: major}}
  missing_apology:   {{weight: 10, severity: minor}}
  lack_of_empathy:   {{weight: 10, severity: minor}}
"""


@pytest.fixture
def calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # 9 calls, 3 per agent; every call of agent-0 is rude (c0000, c0003, c0006).
    write_calls(tmp_path / "calls", 9, rude_every=3)
    monkeypatch.setattr("callqa.cli.audit.load_detector", lambda *a, **k: FakeDetector())
    return tmp_path / "calls"


def scorecard(tmp_path: Path, rank: int = 3) -> str:
    path = tmp_path / "scorecard.yaml"
    path.write_text(SCORECARD.format(rank=rank), encoding="utf-8")
    return str(path)


def audit(run_cli, calls: Path, *args: str, expect: int):  # type: ignore[no-untyped-def]
    return run_cli("audit", str(calls), "-j", "1", "-f", "json", "-q", *args, expect=expect)


def test_fail_on_severity_expands_to_behaviours(run_cli, calls: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    card = scorecard(tmp_path)
    audit(run_cli, calls, "--scorecard", card, "--fail-on", "critical", expect=1)
    audit(run_cli, calls, "--scorecard", card, "--fail-on", "major", expect=1)  # major or worse
    audit(run_cli, calls, "--scorecard", card, "--fail-on", "over_promising", expect=0)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_fail_on_gates_a_streamed_run_too(run_cli, calls: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    # jsonl streams calls out and keeps none in memory: the gate must still see every violation.
    rude = run_cli("audit", str(calls), "-j", "1", "-f", fmt, "--fail-on", "rudeness", expect=1)
    assert "callqa: 9 calls audited, 0 inputs failed (complete); exit 1" in rude.stderr
    run_cli("audit", str(calls), "-j", "1", "-f", fmt, "--fail-on", "over_promising", expect=0)
    run_cli(
        "audit", str(calls), "-j", "1", "-f", fmt, "--fail-on", "rudeness", "--exit-zero", expect=0
    )


def test_rudeness_is_minor_in_a_custom_scorecard(run_cli, calls: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "minor.yaml"
    path.write_text(
        SCORECARD.format(rank=3).replace(
            "weight: 30, severity: critical", "weight: 30, severity: minor"
        ),
        encoding="utf-8",
    )
    audit(run_cli, calls, "--scorecard", str(path), "--fail-on", "major", expect=0)
    audit(run_cli, calls, "--scorecard", str(path), "--fail-on", "minor", expect=1)


def test_min_score_applies_to_ranked_agents_only(run_cli, calls: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = audit(
        run_cli, calls, "--scorecard", scorecard(tmp_path), "--min-score", "60", expect=1
    )
    cards = {c["agent_id"]: c for c in json.loads(result.stdout)["scorecards"]}
    assert cards["agent-0"]["score"] == 50.0 and cards["agent-1"]["score"] == 100.0
    assert cards["agent-1"]["rank"] == 1 and cards["agent-0"]["rank"] == 3
    # With 4 calls needed to rank, nobody is ranked, so nobody is gated.
    audit(run_cli, calls, "--scorecard", scorecard(tmp_path, rank=4), "--min-score", "60", expect=0)


def test_max_rate(run_cli, calls: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    card = scorecard(tmp_path)
    audit(run_cli, calls, "--scorecard", card, "--max-rate", "rudeness=0.5", expect=1)
    audit(run_cli, calls, "--scorecard", card, "--max-rate", "rudeness=1.0", expect=0)
    audit(
        run_cli, calls, "--scorecard", card, "--max-rate", "rudeness=0.5", "--exit-zero", expect=0
    )
    audit(run_cli, calls, "--max-rate", "rudeness=lots", expect=2)


def test_exit_zero_never_hides_an_incomplete_run(run_cli, calls: Path) -> None:  # type: ignore[no-untyped-def]
    (calls / "broken.json").write_bytes(b"\x00\xff binary")
    audit(run_cli, calls, "--fail-on", "rudeness", "--exit-zero", expect=2)


def test_bad_options_and_scorecards_exit_2(run_cli, calls: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = audit(run_cli, calls, "--fail-on", "shouting", expect=2)
    assert "shouting" in result.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        SCORECARD.format(rank=3).replace("weight: 30, severity: major", "weight: 35"), "utf-8"
    )
    result = audit(run_cli, calls, "--scorecard", str(bad), expect=2)
    assert f"{bad}:2:" in result.stderr and "total 105" in result.stderr
    assert result.stdout == ""


def test_quotes_are_masked_unless_no_redact(run_cli, calls: Path) -> None:  # type: ignore[no-untyped-def]
    record = json.loads((calls / "c0000.json").read_text("utf-8"))
    record["turns"][1]["text"] = "you idiot, call 050-123-4567"
    (calls / "c0000.json").write_text(json.dumps(record), "utf-8")
    masked = audit(run_cli, calls, expect=0).stdout
    assert "050-123-4567" not in masked and "[PHONE]" in masked
    for fmt in ("jsonl", "html", "markdown", "junit"):
        out = run_cli("audit", str(calls), "-j", "1", "-q", "-f", fmt, expect=0).stdout
        assert "050-123-4567" not in out, fmt
    plain = audit(run_cli, calls, "--no-redact", expect=0).stdout
    assert "you idiot, call 050-123-4567" in plain


def test_csv_bom(run_cli, calls: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "cards.csv"
    run_cli("audit", str(calls), "-j", "1", "-q", "-f", "csv", "--bom", "-o", str(out), expect=0)
    assert out.read_bytes().startswith(b"\xef\xbb\xbfagent_id,")
    plain = run_cli("audit", str(calls), "-j", "1", "-q", "-f", "csv", expect=0).stdout
    assert plain.startswith("agent_id,") and len(plain.splitlines()) == 4
