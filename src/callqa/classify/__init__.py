"""Turn-level classifiers: a registry of versioned names (`callqa.turns.en.v1`) to loaders.

Rules name a model and a label; the engine batches the turns a rule needs and asks the model
for label probabilities. Models load lazily, once per process, from `models/<name>/` (or any
folder or Hugging Face id given to `callqa models train --base`), never from the network.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

AGENT_LABELS: tuple[str, ...] = (
    "rude",
    "apology",
    "empathy",
    "overpromise",
    "hedged",
    "commitment",
    "next_what",
    "next_when",
    "next_ref",
)
CUSTOMER_LABELS: tuple[str, ...] = ("problem", "emotion", "abuse", "resolved")
LABELS: tuple[str, ...] = AGENT_LABELS + CUSTOMER_LABELS
"""The turn labels of `training/LABELS.md`."""


@dataclass(frozen=True)
class TurnInput:
    """What a classifier sees: the turn, the turn before it, and who spoke."""

    text: str
    context: str = ""
    role: str = "agent"


class TurnClassifier(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def labels(self) -> tuple[str, ...]: ...

    def predict(self, items: Sequence[TurnInput]) -> list[dict[str, float]]:
        """One {label: probability} per input, in order; batching is the model's business."""
        ...


ClassifierFactory = Callable[[str], TurnClassifier]

_FACTORIES: dict[str, ClassifierFactory] = {}
_LOADED: dict[str, TurnClassifier] = {}


def register_factory(name: str, factory: ClassifierFactory) -> None:
    """Register a loader for a versioned model name (tests register fakes this way)."""
    _FACTORIES[name] = factory
    _LOADED.pop(name, None)


def get_classifier(name: str) -> TurnClassifier:
    """The classifier for a versioned name, loaded once per process."""
    if name not in _LOADED:
        factory = _FACTORIES.get(name)
        if factory is None:
            from callqa.classify.shipped import load_shipped

            _LOADED[name] = load_shipped(name)
        else:
            _LOADED[name] = factory(name)
    return _LOADED[name]
