"""`metric`: numbers over turn timestamps: `gap` (hold or dead air between turns, seconds),
`overlap` (speech over the other speaker, seconds), `talk_ratio` (the speaker's share of the
talk time). Compared with `max` and/or `min`; n/a without timestamps."""

from __future__ import annotations

import itertools

from callqa.detect.checks.base import Check, Outcome, number_field, parse_speaker
from callqa.detect.context import CallContext
from callqa.detect.source import LineDict, fail
from callqa.detect.text import TurnView

FIELDS = {"metric", "max", "min", "speaker"}
METRICS = ("gap", "overlap", "talk_ratio")


class Metric(Check):
    def __init__(self, node: LineDict) -> None:
        self.metric = node.get("metric")
        if self.metric not in METRICS:
            raise fail(node, f"metric must be one of: {', '.join(METRICS)}", "metric")
        self.max = number_field(node, "max")
        self.min = number_field(node, "min")
        if self.max is None and self.min is None:
            raise fail(node, "a metric rule needs max or min")
        self.speaker = parse_speaker(node, "agent")
        self.matchers = []

    def _crosses(self, value: float) -> bool:
        return (self.max is not None and value > self.max) or (
            self.min is not None and value < self.min
        )

    def evaluate(self, ctx: CallContext, code: str) -> Outcome:
        timed = [t for t in ctx.turns if t.start is not None]
        if len(timed) < 2:
            return Outcome("n/a")
        if self.metric == "talk_ratio":
            return self._talk_ratio(ctx, code, timed)
        pairs = list(itertools.pairwise(timed))
        worst: tuple[float, TurnView, TurnView] | None = None
        for before, after in pairs:
            end = before.end if before.end is not None else before.start
            assert end is not None and after.start is not None
            value = after.start - end if self.metric == "gap" else end - after.start
            if self.metric == "overlap" and before.role == after.role:
                continue
            if self._crosses(value) and (worst is None or value > worst[0]):
                worst = (value, before, after)
        if worst is None:
            return Outcome("ok")
        value, before, after = worst
        note = f"{self.metric} of {value:.0f} s between turns {before.index} and {after.index}"
        return Outcome(
            "violation",
            [ctx.evidence(before, code, note=note), ctx.evidence(after, code, note=note)],
            note,
        )

    def _talk_ratio(self, ctx: CallContext, code: str, timed: list[TurnView]) -> Outcome:
        spans = {
            t.index: (t.end - t.start) for t in timed if t.end is not None and t.start is not None
        }
        total = sum(spans.values())
        if total <= 0:
            return Outcome("n/a")
        mine = sum(v for i, v in spans.items() if ctx.turns[i].role == self.speaker)
        ratio = mine / total
        if not self._crosses(ratio):
            return Outcome("ok")
        longest = max(
            (t for t in timed if t.role == self.speaker),
            key=lambda t: spans.get(t.index, 0.0),
            default=timed[0],
        )
        note = f"{self.speaker} talk ratio {ratio:.0%}"
        return Outcome("violation", [ctx.evidence(longest, code, note=note)], note)
