"""Stage 3: judge a call for the five behaviours (rules and classifiers) and further signals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from callqa.model import BehaviourVerdict, Call, Finding

if TYPE_CHECKING:
    from callqa.classify import TurnInput


@dataclass
class Judgement:
    """What a detector concluded about one call."""

    verdicts: dict[str, BehaviourVerdict]
    signals: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Detector(Protocol):
    """Anything that judges calls: the rule pack (with its classifier rules) or a test fake."""

    @property
    def version(self) -> str:
        """Identifies the rule pack, policy and models, for caches and reports."""
        ...

    def judge(self, call: Call) -> Judgement: ...


class ScoreStore(Protocol):
    """Model scores remembered across runs (`callqa.cache`), keyed by the model's name, the
    digest of its files and the exact inputs of one predict call."""

    def get_scores(
        self, model: str, fingerprint: str, items: Sequence[TurnInput]
    ) -> list[dict[str, float]] | None: ...

    def put_scores(
        self,
        model: str,
        fingerprint: str,
        items: Sequence[TurnInput],
        scores: list[dict[str, float]],
    ) -> None: ...


def load_detector(
    rules: str | None = None, policy: str | None = None, *, use_models: bool = True
) -> Detector:
    """The shipped (or given) rule pack with its classifiers, ready to judge calls."""
    from callqa.detect.engine import build_detector

    return build_detector(rules, policy, use_models=use_models)
