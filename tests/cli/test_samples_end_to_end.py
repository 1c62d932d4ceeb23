"""The acceptance checks on the shipped samples, with the real rules (and models): the JSON
contract, the verdicts the samples exist to show, and diff and calibrate end to end on them and
on the documented example labels (docs/examples/labels.csv)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from callqa.calibrate import read_labels
from callqa.model import BEHAVIOURS
from tests.conftest import REPO

SAMPLES = REPO / "sample_transcripts"
LABELS = REPO / "docs" / "examples" / "labels.csv"
CAN_BE_NA = {"missing_apology", "missing_follow_up", "lack_of_empathy"}  # behaviours.md


def audit(out: Path, *args: str) -> None:
    """`callqa audit sample_transcripts/ -o OUT ...` through the real entry point; exit 0."""
    from callqa.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["audit", str(SAMPLES), "-f", "json", "-j", "1", "-q", "-o", str(out), *args])
    assert exit_info.value.code == 0, (args, exit_info.value.code)


@pytest.fixture(scope="module")
def audits(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The samples audited by the rules alone and by rules plus models (once for the module)."""
    folder = tmp_path_factory.mktemp("audits")
    before, after = folder / "before.json", folder / "after.json"
    audit(before, "--no-models")
    audit(after)
    return before, after


def load(path: Path) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return payload


def verdicts(payload: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {
        (c["call_id"], b): c["verdicts"][b]["verdict"] for c in payload["calls"] for b in BEHAVIOURS
    }


def coverage(payload: dict[str, Any], *, by_language: bool) -> dict[tuple[str, str], set[str]]:
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for call in payload["calls"]:
        for behaviour in BEHAVIOURS:
            key = (call["language"] if by_language else "all", behaviour)
            seen[key].add(call["verdicts"][behaviour]["verdict"])
    return seen


def test_sample_audit_keeps_the_json_contract(audits: tuple[Path, Path]) -> None:
    for path in audits:
        payload = load(path)
        assert payload["schema_version"] == "1.0" and payload["complete"] is True
        assert payload["errors"] == []
        assert len(payload["calls"]) == 30
        for call in payload["calls"]:
            assert call["call_id"] and call["agent_id"] and call["language"] in ("en", "he")
            assert Path(call["source"]["file"]).parent.name == "sample_transcripts"
            assert "position" in call["source"]
            assert set(call["verdicts"]) == set(BEHAVIOURS)
            for verdict in call["verdicts"].values():
                assert verdict["verdict"] in ("violation", "ok", "n/a")
                for evidence in verdict["evidence"]:
                    assert isinstance(evidence["turn"], int) and evidence["quote"]
        cards = {card["agent_id"]: card for card in payload["scorecards"]}
        assert sum(card["calls"] for card in cards.values()) == 30
        assert "agent-ron" in cards


def test_rules_show_every_verdict_in_each_language(audits: tuple[Path, Path]) -> None:
    seen = coverage(load(audits[0]), by_language=True)
    for language in ("en", "he"):
        for behaviour in BEHAVIOURS:
            expected = {"violation", "ok"} | ({"n/a"} if behaviour in CAN_BE_NA else set())
            assert seen[(language, behaviour)] == expected, (language, behaviour)


def test_rules_and_models_show_every_verdict_across_the_samples(audits: tuple[Path, Path]) -> None:
    seen = coverage(load(audits[1]), by_language=False)
    for behaviour in BEHAVIOURS:
        assert {"violation", "ok"} <= seen[("all", behaviour)], behaviour
        if behaviour in CAN_BE_NA:
            assert "n/a" in seen[("all", behaviour)], behaviour


def test_diff_end_to_end_on_the_samples(run_cli, audits: tuple[Path, Path]) -> None:  # type: ignore[no-untyped-def]
    before, after = audits
    payload = json.loads(run_cli("diff", str(before), str(after), "-f", "json", expect=0).stdout)
    old, new = verdicts(load(before)), verdicts(load(after))
    changed = {key for key in old if old[key] != new[key]}
    assert {(f["call_id"], f["behaviour"]) for f in payload["flips"]} == changed
    for flip in payload["flips"]:
        key = (flip["call_id"], flip["behaviour"])
        assert (flip["old"], flip["new"]) == (old[key], new[key])
    assert payload["changed"] is bool(changed or payload["agents"])
    md = run_cli("diff", str(before), str(after), "-f", "markdown", expect=0).stdout
    assert md.strip()
    same = run_cli("diff", str(before), str(before), "-f", "json", "--fail-on-change", expect=0)
    assert json.loads(same.stdout)["changed"] is False


def test_calibrate_end_to_end_on_the_samples_and_example_labels(run_cli, audits) -> None:  # type: ignore[no-untyped-def]
    labels = read_labels(LABELS)
    assert len(labels) == 150  # the 30 samples x 5 behaviours of sample_transcripts/README.md
    human = {(row.call_id, row.behaviour): row.verdict for row in labels}
    for path in audits:
        out = run_cli("calibrate", "--human", str(LABELS), str(path), "-f", "json", expect=0)
        payload = json.loads(out.stdout)
        assert payload["labels"] == 150 and payload["unmatched_labels"] == 0
        machine = verdicts(load(path))
        by = {b["behaviour"]: b for b in payload["behaviours"]}
        assert set(by) == set(BEHAVIOURS)
        for behaviour in BEHAVIOURS:
            pairs = [(human[k], machine[k]) for k in human if k[1] == behaviour]
            expected = {
                "tp": sum(h == "violation" and m == "violation" for h, m in pairs),
                "fp": sum(h != "violation" and m == "violation" for h, m in pairs),
                "fn": sum(h == "violation" and m != "violation" for h, m in pairs),
                "tn": sum(h != "violation" and m != "violation" for h, m in pairs),
            }
            assert by[behaviour]["confusion"] == expected, behaviour
    with_models = json.loads(
        run_cli("calibrate", "--human", str(LABELS), str(audits[1]), "-f", "json").stdout
    )
    assert any(b["best_threshold"] for b in with_models["behaviours"])  # models carry scores
