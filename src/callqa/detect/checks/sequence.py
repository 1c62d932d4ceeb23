"""`sequence`: `first` must happen before `then` (e.g. identity check before account details)."""

from __future__ import annotations

from callqa.detect.checks.base import Check, Outcome, matcher_field
from callqa.detect.context import CallContext
from callqa.detect.source import LineDict

FIELDS = {"first", "then"}


class Sequence(Check):
    def __init__(self, node: LineDict) -> None:
        self.first = matcher_field(node, "first")
        self.then = matcher_field(node, "then")
        self.matchers = [self.first, self.then]

    def evaluate(self, ctx: CallContext, code: str) -> Outcome:
        for turn in ctx.turns:
            if self.first.match(turn, ctx) is not None:
                return Outcome("ok", [ctx.evidence(turn, code)])
            hit = self.then.match(turn, ctx)
            if hit is not None:
                return Outcome("violation", [ctx.evidence(turn, code, hit)], "out of order")
        return Outcome("n/a")
