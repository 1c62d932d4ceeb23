"""Per-call state shared by every rule: normalised turns, cached matches and model scores."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from callqa.detect.policy import Policy
from callqa.detect.text import TurnView
from callqa.model import Call, Evidence
from callqa.redact import make_quote


@dataclass(frozen=True)
class Hit:
    """Why a matcher fired on a turn: a rule pattern, or a model label over its threshold."""

    signal: str = "rule"
    score: float | None = None
    note: str | None = None


ModelScorer = Callable[["CallContext", str], dict[int, dict[str, float]] | None]
"""Given a resolved model name, {turn index: {label: prob}} for every turn, or None if
the model is unavailable."""


@dataclass
class CallContext:
    call: Call
    turns: list[TurnView]
    policy: Policy
    scorer: ModelScorer | None = None
    cache: dict[tuple[int, int], Hit | None] = field(default_factory=dict)
    scores: dict[str, dict[int, dict[str, float]] | None] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    spacy_docs: dict[tuple[str, int], Any] = field(default_factory=dict)

    @classmethod
    def of(cls, call: Call, policy: Policy, scorer: ModelScorer | None = None) -> CallContext:
        # A turn with no letters takes the call's language (in a mixed call, the last turn's).
        fixed = call.language if call.language in ("en", "he") else None
        turns: list[TurnView] = []
        for t in call.turns:
            lang = fixed or (turns[-1].lang if turns else "en")
            turns.append(TurnView.of(t.index, t.role, t.text, t.start, t.end, lang))
        return cls(call, turns, policy, scorer)

    def model_score(self, name: str, turn: TurnView, label: str) -> float | None:
        """The label's probability for the turn, or None when models are off or unavailable."""
        if self.scorer is None:
            return None
        if name not in self.scores:
            self.scores[name] = self.scorer(self, name)
        table = self.scores[name]
        if table is None:
            return None
        return table.get(turn.index, {}).get(label)

    def evidence(
        self, turn: TurnView, code: str, hit: Hit | None = None, note: str | None = None
    ) -> Evidence:
        return Evidence(
            turn=turn.index,
            quote=make_quote(turn.text),
            role=turn.role,
            rule=code,
            signal="model" if hit is not None and hit.signal == "model" else "rule",
            score=None if hit is None else hit.score,
            note=note or (None if hit is None else hit.note),
        )
