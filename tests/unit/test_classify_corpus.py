"""Corpus reading, the seeded group split, and the metrics behind the model cards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from callqa.classify.corpus import examples_hash, load_corpus, split, split_of
from callqa.classify.metrics import best_threshold, counts, per_label_metrics, prf
from callqa.errors import ConfigError


def _write(folder: Path, rows: list[dict[str, object]]) -> Path:
    (folder / "en").mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r) for r in rows]
    (folder / "en" / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _row(i: int, group: str, labels: list[str], role: str = "agent") -> dict[str, object]:
    return {"id": f"x{i}", "lang": "en", "role": role, "context": "", "text": f"t{i}",
            "labels": labels, "group": group, "source": "written"}  # fmt: skip


def test_split_keeps_groups_together_and_is_seeded(tmp_path: Path) -> None:
    rows = [_row(i, f"g{i // 3}", []) for i in range(300)]
    examples = load_corpus(_write(tmp_path, rows), "en")
    parts = split(examples, seed=13)
    assert sum(len(p) for p in parts.values()) == 300
    for name, part in parts.items():
        assert all(split_of(e.group, 13) == name for e in part)
    groups = {name: {e.group for e in part} for name, part in parts.items()}
    assert not groups["train"] & groups["test"] and not groups["dev"] & groups["test"]
    assert 10 <= len(groups["test"]) <= 40  # about 10 % of 100 groups
    assert split(examples, seed=14)["test"] != parts["test"]


def test_hash_changes_with_labels_not_order(tmp_path: Path) -> None:
    rows = [_row(i, "g", []) for i in range(5)]
    first = load_corpus(_write(tmp_path, rows), "en")
    assert examples_hash(first) == examples_hash(list(reversed(first)))
    rows[2]["labels"] = ["rude"]
    assert examples_hash(load_corpus(_write(tmp_path, rows), "en")) != examples_hash(first)


def test_unknown_label_names_the_line(tmp_path: Path) -> None:
    _write(tmp_path, [_row(0, "g", []), _row(1, "g", ["rudee"])])
    with pytest.raises(ConfigError, match=r"a\.jsonl:2: unknown label"):
        load_corpus(tmp_path, "en")


def test_metrics_and_threshold() -> None:
    assert counts([0.9, 0.2, 0.6, 0.1], [True, True, False, False], 0.5) == (1, 1, 1)
    assert prf(1, 1, 1)["f1"] == 0.5
    threshold, f1 = best_threshold([0.9, 0.3, 0.2, 0.1], [True, True, False, False])
    assert f1 == 1.0 and 0.2 < threshold <= 0.3
    # Customer labels are scored on customer turns only.
    metrics = per_label_metrics(
        ["agent", "customer"],
        [{"rude": 0.9, "abuse": 0.9}, {"rude": 0.9, "abuse": 0.9}],
        [frozenset({"rude"}), frozenset()],
        {},
    )
    assert metrics["rude"]["support"] == 1 and metrics["rude"]["precision"] == 1.0
    assert metrics["abuse"]["predicted"] == 1 and metrics["abuse"]["support"] == 0
