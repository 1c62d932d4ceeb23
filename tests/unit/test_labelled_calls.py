"""Labelled calls: the verdicts their turn labels imply, the checker, and corpus expansion."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from callqa.classify.calls import check_call, main, oracle_verdicts
from callqa.classify.corpus import load_corpus, split

Turns = list[tuple[str, frozenset[str]]]


def _turns(*spec: tuple[str, str]) -> Turns:
    return [(role, frozenset(labels.split())) for role, labels in spec]


def test_no_trigger_means_n_a_for_the_missing_behaviours() -> None:
    verdicts = oracle_verdicts(_turns(("customer", ""), ("agent", "")))
    assert verdicts == {"rudeness": "ok", "over_promising": "ok", "missing_apology": "n/a",
                        "missing_follow_up": "n/a", "lack_of_empathy": "n/a"}  # fmt: skip


def test_an_apology_before_the_problem_does_not_count() -> None:
    verdicts = oracle_verdicts(_turns(("agent", "apology"), ("customer", "problem")))
    assert verdicts["missing_apology"] == "violation"


def test_follow_up_needs_all_three_parts_spread_over_turns() -> None:
    base = [("customer", "problem"), ("agent", "next_what next_when")]
    assert oracle_verdicts(_turns(*base))["missing_follow_up"] == "violation"
    complete = oracle_verdicts(_turns(*base, ("agent", "next_ref")))
    assert complete["missing_follow_up"] == "ok"
    confirmed = oracle_verdicts(_turns(*base, ("customer", "resolved")))
    assert confirmed["missing_follow_up"] == "n/a"


def test_a_step_after_the_confirmation_opens_follow_up_again() -> None:
    # As the follow-up rules judge it: a confirmation settles only what came before it.
    fixed = (("customer", "problem"), ("agent", "apology"), ("customer", "resolved"))
    assert oracle_verdicts(_turns(*fixed))["missing_follow_up"] == "n/a"
    reopened = oracle_verdicts(_turns(*fixed, ("agent", "next_what")))
    assert reopened["missing_follow_up"] == "violation"
    complete = oracle_verdicts(_turns(*fixed, ("agent", "next_what next_when next_ref")))
    assert complete["missing_follow_up"] == "ok"
    settled_again = oracle_verdicts(
        _turns(*fixed, ("agent", "next_what"), ("customer", "resolved"))
    )
    assert settled_again["missing_follow_up"] == "n/a"


def test_an_announced_step_opens_follow_up_without_a_problem() -> None:
    verdicts = oracle_verdicts(_turns(("customer", ""), ("agent", "next_what next_when")))
    assert verdicts["missing_follow_up"] == "violation"
    assert verdicts["missing_apology"] == "n/a"


def test_empathy_must_follow_the_emotion() -> None:
    verdicts = oracle_verdicts(_turns(("customer", "emotion"), ("agent", "apology")))
    assert verdicts["lack_of_empathy"] == "violation"
    verdicts = oracle_verdicts(_turns(("customer", "emotion"), ("agent", "empathy")))
    assert verdicts["lack_of_empathy"] == "ok"


def _call(**overrides: Any) -> dict[str, Any]:
    call: dict[str, Any] = {
        "call_id": "c1",
        "language": "en",
        "turns": [
            {"speaker": "customer", "text": "my bill is wrong", "labels": ["problem"]},
            {"speaker": "agent", "text": "sorry about that, fixed", "labels": ["apology"]},
            {"speaker": "customer", "text": "yes I see it now", "labels": ["resolved"]},
        ],
        "expected": {
            "rudeness": "ok",
            "over_promising": "ok",
            "missing_apology": "ok",
            "missing_follow_up": "n/a",
            "lack_of_empathy": "n/a",
        },
    }
    call.update(overrides)
    return call


def test_check_call_accepts_a_consistent_call_and_names_each_problem() -> None:
    assert check_call(_call()) == []
    wrong = _call(expected={**_call()["expected"], "missing_apology": "violation"})
    assert check_call(wrong) == [
        "expected missing_apology='violation' but the turn labels imply 'ok'"
    ]
    bad_turn = _call()
    bad_turn["turns"][0]["labels"] = ["apology"]
    assert check_call(bad_turn) == ["turn 0: ['apology'] are not customer labels"]


def test_checker_cli_exits_1_on_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.jsonl"
    good.write_text(json.dumps(_call()) + "\n", encoding="utf-8")
    bad.write_text(json.dumps(_call()) + "\n" + json.dumps(_call()) + "\n{\n", encoding="utf-8")
    assert main([str(good)]) == 0
    assert main([str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:2: c1: duplicate call_id 'c1'" in out and f"{bad}:3: not JSON" in out


def test_a_labelled_call_becomes_one_group_with_the_previous_turn_as_context(
    tmp_path: Path,
) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "calls_01.jsonl").write_text(json.dumps(_call()) + "\n", encoding="utf-8")
    examples = load_corpus(tmp_path, "en")
    assert [e.id for e in examples] == ["c1-t000", "c1-t001", "c1-t002"]
    assert {e.group for e in examples} == {"c1"}
    assert examples[1].turn.context == "my bill is wrong" and examples[1].turn.role == "agent"
    assert examples[0].turn.context == "" and examples[0].labels == {"problem"}
    parts = split(examples, seed=13)
    assert sum(bool(p) for p in parts.values()) == 1  # the whole call lands in one split


def test_the_dev_calls_agree_with_their_turn_labels(capsys: pytest.CaptureFixture[str]) -> None:
    from callqa.classify.calls import check_files
    from tests.conftest import REPO

    files = sorted((REPO / "eval" / "dev").glob("*.jsonl"))
    assert [f.name for f in files] == [
        "en.jsonl", "en2.jsonl", "en3a.jsonl", "en3b.jsonl",
        "he.jsonl", "he2.jsonl", "he3a.jsonl", "he3b.jsonl", "he4a.jsonl", "he4b.jsonl",
    ]  # fmt: skip
    errors, counts = check_files(files)
    assert errors == 0, capsys.readouterr().out
    assert counts["calls"] == 385
