"""What every check kind shares: the outcome type, field parsing and turn windows."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from callqa.detect.context import CallContext
from callqa.detect.matchers import Matcher, build_matcher
from callqa.detect.source import LineDict, fail
from callqa.detect.text import TurnView
from callqa.model import Evidence

MAX_EVIDENCE = 5


@dataclass
class Outcome:
    verdict: str  # violation | ok | n/a
    evidence: list[Evidence] = field(default_factory=list)
    note: str | None = None


class Check:
    """A compiled rule body. `matchers` lists every matcher so the engine can ask which
    models the rule needs and whether it can run without them."""

    matchers: list[Matcher]

    def evaluate(self, ctx: CallContext, code: str) -> Outcome:
        raise NotImplementedError

    def rules_only(self) -> bool:
        return all(m.rules_only() for m in self.matchers) if self.matchers else True

    def model_names(self) -> set[str]:
        return set().union(*(m.model_names() for m in self.matchers)) if self.matchers else set()


@dataclass(frozen=True)
class Window:
    """Which turns of the speaker count: the first/last N turns, or the first/last N seconds."""

    first_turns: int | None = None
    last_turns: int | None = None
    first_seconds: float | None = None
    last_seconds: float | None = None

    def select(self, turns: list[TurnView]) -> list[TurnView]:
        if self.first_turns is not None:
            turns = turns[: self.first_turns]
        if self.last_turns is not None:
            turns = turns[-self.last_turns :] if self.last_turns else []
        if self.first_seconds is not None:
            turns = [t for t in turns if t.start is None or t.start <= self.first_seconds]
        if self.last_seconds is not None:
            ends = [t.end or t.start for t in turns if (t.end or t.start) is not None]
            if ends:
                cutoff = max(e for e in ends if e is not None) - self.last_seconds
                turns = [t for t in turns if (t.end or t.start or 0.0) >= cutoff]
        return turns


WINDOW_KEYS = ("first_turns", "last_turns", "first_seconds", "last_seconds")


def parse_window(node: LineDict) -> Window:
    spec = node.get("window")
    if spec is None:
        return Window()
    if not isinstance(spec, LineDict) or not spec:
        raise fail(node, f"window is a mapping with one of: {', '.join(WINDOW_KEYS)}", "window")
    for key, value in spec.items():
        if key not in WINDOW_KEYS:
            raise fail(
                spec, f"unknown window field {key!r} (expected: {', '.join(WINDOW_KEYS)})", key
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise fail(spec, f"{key} must be a number >= 0", key)
        if key.endswith("_turns") and not isinstance(value, int):
            raise fail(spec, f"{key} must be a whole number of turns", key)
        if not math.isfinite(value):
            raise fail(spec, f"{key} must be a finite number", key)
    return Window(**spec)


def parse_speaker(node: LineDict, default: str | None = None) -> str | None:
    speaker = node.get("speaker", default)
    if speaker is not None and speaker not in ("agent", "customer", "other", "any"):
        raise fail(node, "speaker must be agent, customer, other or any", "speaker")
    return None if speaker == "any" else speaker


def require(node: LineDict, key: str) -> Any:
    if key not in node:
        raise fail(node, f"this kind needs '{key}'")
    return node[key]


def matcher_field(node: LineDict, key: str) -> Matcher:
    value = require(node, key)
    return build_matcher(value, value if isinstance(value, LineDict | list) else node)


def number_field(node: LineDict, key: str, default: float | None = None) -> float | None:
    value = node.get(key, default)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise fail(node, f"{key} must be a number", key)
    if value is not None and not math.isfinite(value):
        raise fail(node, f"{key} must be a finite number", key)
    return None if value is None else float(value)


def scoped(ctx: CallContext, speaker: str | None, window: Window) -> list[TurnView]:
    turns = [t for t in ctx.turns if speaker is None or t.role == speaker]
    return window.select(turns)


CheckBuilder = Callable[[LineDict], Check]
KIND_FIELDS: dict[str, set[str]] = {}
"""The fields each kind accepts besides the common header (for `unknown field` errors)."""
