"""Load a shipped model from `models/<name>/`: its card says which component scores each label."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from callqa.classify import LABELS, TurnInput
from callqa.classify.metrics import labels_for_role
from callqa.errors import ModelError
from callqa.paths import models_dir

CARD_FILE = "card.json"
DECIMALS = 3
AVERAGE = "average"
"""A label source: the mean of the transformer's and the n-gram model's probabilities."""
"""Probabilities are rounded so that output is byte-stable across platforms and thread counts."""


class _Component(Protocol):
    def predict(self, items: Sequence[TurnInput]) -> list[dict[str, float]]: ...


class Average:
    """The mean of two components' probabilities."""

    def __init__(self, first: _Component, second: _Component) -> None:
        self.parts = (first, second)

    def predict(self, items: Sequence[TurnInput]) -> list[dict[str, float]]:
        return mean_probs(*(part.predict(items) for part in self.parts))


def mean_probs(
    first: list[dict[str, float]], second: list[dict[str, float]]
) -> list[dict[str, float]]:
    return [{k: (x[k] + y[k]) / 2 for k in x} for x, y in zip(first, second, strict=True)]


def read_card(folder: Path) -> dict[str, Any]:
    path = folder / CARD_FILE
    try:
        card: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"no model card at {path}") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: cannot read the model card: {exc}") from None
    return card


def _load_component(kind: str, folder: Path) -> _Component:
    try:
        if kind == "transformer":
            from callqa.classify.onnx_runtime import OnnxTurnModel

            return OnnxTurnModel(folder)
        if kind == "ngram":
            from callqa.classify.ngram import NgramModel

            return NgramModel.load(folder)
    except (OSError, ValueError, RuntimeError) as exc:
        raise ModelError(f"{folder}: cannot load the {kind} component: {exc}") from None
    raise ModelError(f"{folder}: unknown component kind {kind!r}")


class ShippedClassifier:
    """Scores every label with the component the card chose for it (on dev); labels that do
    not apply to the speaker's role score 0."""

    def __init__(self, folder: Path, card: dict[str, Any]) -> None:
        self.folder = folder
        self.card = card
        self._name = str(card["name"])
        self.sources: dict[str, str] = dict(card["label_source"])
        self.thresholds: dict[str, float] = {k: float(v) for k, v in card["thresholds"].items()}
        kinds = set(self.sources.values())
        if AVERAGE in kinds:
            kinds = (kinds - {AVERAGE}) | {"transformer", "ngram"}
        self.components = {kind: _load_component(kind, folder) for kind in sorted(kinds)}

    @property
    def name(self) -> str:
        return self._name

    @property
    def labels(self) -> tuple[str, ...]:
        return LABELS

    def predict(self, items: Sequence[TurnInput]) -> list[dict[str, float]]:
        by_kind = {kind: model.predict(items) for kind, model in self.components.items()}
        if AVERAGE in self.sources.values():
            by_kind[AVERAGE] = mean_probs(by_kind["transformer"], by_kind["ngram"])
        out: list[dict[str, float]] = []
        for i, item in enumerate(items):
            applies = labels_for_role(item.role)
            out.append(
                {
                    label: round(by_kind[self.sources[label]][i][label], DECIMALS)
                    if label in applies
                    else 0.0
                    for label in LABELS
                }
            )
        return out


def load_folder(folder: Path) -> ShippedClassifier:
    card = read_card(folder)
    try:
        return ShippedClassifier(folder, card)
    except KeyError as exc:
        raise ModelError(f"{folder / CARD_FILE}: missing field {exc}") from None


def load_shipped(name: str) -> ShippedClassifier:
    folder = models_dir() / name
    if not (folder / CARD_FILE).is_file():
        raise ModelError(f"model {name!r} is not available (looked in {folder})")
    return load_folder(folder)
