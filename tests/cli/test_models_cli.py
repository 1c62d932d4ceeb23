"""`callqa models list | eval | train`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import onnx
import pytest

from callqa.classify import TurnInput
from callqa.classify.shipped import load_folder
from tests.conftest import REPO

NAMES = ("callqa.turns.en.v1", "callqa.turns.he.v1")


def test_list_shows_the_shipped_models(run_cli) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run_cli("models", "list", "--format", "json", expect=0).stdout)
    by_name = {r["name"]: r for r in rows}
    assert set(NAMES) <= set(by_name)
    assert by_name["callqa.turns.he.v1"]["lang"] == "he"
    assert all(0 < by_name[n]["heldout_macro_f1"] <= 1 for n in NAMES)
    table = run_cli("models", "list", expect=0).stdout
    assert all(n in table for n in NAMES) and "macro F1" in table


@pytest.mark.parametrize("name", NAMES)
def test_eval_reproduces_the_card(run_cli, name: str) -> None:  # type: ignore[no-untyped-def]
    result = json.loads(run_cli("models", "eval", name, "--format", "json", expect=0).stdout)
    card = json.loads((REPO / "models" / name / "card.json").read_text(encoding="utf-8"))
    assert result["reproduces_card"] and result["matches_card"]
    assert result["metrics"] == card["heldout"]
    assert result["examples"] == card["data"]["split"]["test"]


def test_eval_unknown_model_exits_2(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("models", "eval", "callqa.turns.xx.v1", expect=2)
    assert "E400" in result.stderr


def _tiny_train(run_cli, out: Path, *extra: str) -> dict:  # type: ignore[no-untyped-def]
    args = ["models", "train", "--lang", "he", "--out", str(out), "--limit", "50"]
    run_cli(*args, "--max-steps", "20", "--epochs", "2", *extra, expect=0)
    return json.loads((out / "card.json").read_text(encoding="utf-8"))


def test_tiny_training_run_is_reproducible(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = _tiny_train(run_cli, tmp_path / "a")
    second = _tiny_train(run_cli, tmp_path / "b")
    for key in ("thresholds", "label_source", "heldout", "data"):
        assert first[key] == second[key], key
    assert first["training"]["steps"] == 2 * 4  # 50 examples, batch 16: 4 steps an epoch
    assert (tmp_path / "a" / "MODEL_CARD.md").is_file()
    probe = [TurnInput("אני מצטער על העיכוב", "חיכיתי שעה")]
    scores_a = load_folder(tmp_path / "a").components
    scores_b = load_folder(tmp_path / "b").components
    for kind in scores_a:
        assert scores_a[kind].predict(probe) == scores_b[kind].predict(probe)


@pytest.mark.slow
def test_tiny_english_fine_tune(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    card = _tiny_train_en(run_cli, tmp_path)
    assert card["training"]["base"].endswith("model")
    # --layers keeps the first layers of the pretrained encoder: a smaller student
    assert card["training"]["layers"] == 2
    graph = onnx.load(str(tmp_path / "en" / "model.onnx")).graph
    assert {m for n in graph.node for m in re.findall(r"layer\.(\d+)", n.name)} == {"0", "1"}


def _tiny_train_en(run_cli, tmp_path: Path) -> dict:  # type: ignore[no-untyped-def]
    out = tmp_path / "en"
    args = ["models", "train", "--lang", "en", "--out", str(out), "--limit", "50"]
    run_cli(*args, "--max-steps", "20", "--candidates", "transformer", "--layers", "2", expect=0)
    return json.loads((out / "card.json").read_text(encoding="utf-8"))


def test_length_grouped_training_is_reproducible_and_recorded(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = _tiny_train(run_cli, tmp_path / "a", "--group-by-length")
    second = _tiny_train(run_cli, tmp_path / "b", "--group-by-length")
    for key in ("thresholds", "label_source", "heldout", "data"):
        assert first[key] == second[key], key
    assert first["command"].endswith("--group-by-length")
    assert first["training"]["steps"] == 2 * 4  # the same number of batches as without it
