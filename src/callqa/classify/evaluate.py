"""Score a model folder on the held-out (test) split of the corpus its card names."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from callqa.classify.corpus import Example, examples_hash, load_corpus, split
from callqa.classify.metrics import per_label_metrics
from callqa.classify.shipped import load_folder, read_card


@dataclass(frozen=True)
class Evaluation:
    name: str
    split: str
    examples: int
    split_hash: str
    matches_card: bool
    """The examples are exactly those the card's figures were measured on."""
    metrics: dict[str, dict[str, float | int]]

    def as_record(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "split": self.split,
            "examples": self.examples,
            "split_sha256": self.split_hash,
            "matches_card": self.matches_card,
            "metrics": self.metrics,
        }


def held_out(card: dict[str, Any], corpus_dir: Path, which: str = "test") -> list[Example]:
    """The split's examples; restricted to the ids the card recorded, so examples added to
    the corpus after training do not move the figures."""
    examples = split(load_corpus(corpus_dir, str(card["lang"])), int(card["data"]["seed"]))[which]
    recorded = card["data"].get(f"{which}_ids")
    if recorded is not None:
        wanted = set(recorded)
        examples = [e for e in examples if e.id in wanted]
    return examples


def score_examples(model: Any, examples: list[Example]) -> list[dict[str, float]]:
    result: list[dict[str, float]] = model.predict([e.turn for e in examples])
    return result


def evaluate(folder: Path, corpus_dir: Path, which: str = "test") -> Evaluation:
    card = read_card(folder)
    return evaluate_examples(folder, held_out(card, corpus_dir, which), which)


def evaluate_examples(folder: Path, examples: list[Example], which: str = "test") -> Evaluation:
    card = read_card(folder)
    model = load_folder(folder)
    probs = score_examples(model, examples)
    metrics = per_label_metrics(
        [e.turn.role for e in examples], probs, [e.labels for e in examples], model.thresholds
    )
    digest = examples_hash(examples)
    return Evaluation(
        name=str(card["name"]),
        split=which,
        examples=len(examples),
        split_hash=digest,
        matches_card=digest == card["data"].get(f"{which}_sha256"),
        metrics=metrics,
    )
