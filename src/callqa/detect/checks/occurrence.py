"""`occurrence`: count the turns in scope that match; too few (`min`) or too many (`max`)."""

from __future__ import annotations

from callqa.detect.checks.base import (
    MAX_EVIDENCE,
    Check,
    Outcome,
    matcher_field,
    number_field,
    parse_speaker,
    parse_window,
    scoped,
)
from callqa.detect.context import CallContext
from callqa.detect.source import LineDict, fail

FIELDS = {"speaker", "window", "match", "min", "max"}


class Occurrence(Check):
    def __init__(self, node: LineDict) -> None:
        self.speaker = parse_speaker(node, "agent")
        self.window = parse_window(node)
        self.match = matcher_field(node, "match")
        self.matchers = [self.match]
        self.min = number_field(node, "min")
        self.max = number_field(node, "max")
        if self.min is None and self.max is None:
            raise fail(node, "occurrence needs min or max")

    def evaluate(self, ctx: CallContext, code: str) -> Outcome:
        turns = scoped(ctx, self.speaker, self.window)
        hits = [(t, h) for t in turns if (h := self.match.match(t, ctx)) is not None]
        count = len(hits)
        evidence = [ctx.evidence(t, code, h) for t, h in hits[:MAX_EVIDENCE]]
        if self.max is not None and count > self.max:
            return Outcome("violation", evidence, f"{count} turns, more than {self.max:g}")
        if self.min is not None and count < self.min:
            window = [ctx.evidence(t, code, note="window") for t in turns[:MAX_EVIDENCE]]
            return Outcome(
                "violation", evidence or window, f"{count} turns, fewer than {self.min:g}"
            )
        return Outcome("ok", evidence)
