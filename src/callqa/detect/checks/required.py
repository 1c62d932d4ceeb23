"""`phrase_required`: the speaker must say it at least once in the window. vale's `occurrence`
with a minimum of one."""

from __future__ import annotations

from callqa.detect.checks.base import (
    MAX_EVIDENCE,
    Check,
    Outcome,
    matcher_field,
    parse_speaker,
    parse_window,
    scoped,
)
from callqa.detect.context import CallContext
from callqa.detect.source import LineDict

FIELDS = {"speaker", "window", "match"}


class Required(Check):
    def __init__(self, node: LineDict) -> None:
        self.speaker = parse_speaker(node, "agent")
        self.window = parse_window(node)
        self.match = matcher_field(node, "match")
        self.matchers = [self.match]

    def evaluate(self, ctx: CallContext, code: str) -> Outcome:
        turns = scoped(ctx, self.speaker, self.window)
        if not turns:
            return Outcome("n/a")
        for turn in turns:
            hit = self.match.match(turn, ctx)
            if hit is not None:
                return Outcome("ok", [ctx.evidence(turn, code, hit)])
        window = f"turns {turns[0].index}-{turns[-1].index}"
        evidence = [ctx.evidence(t, code, note=f"window {window}") for t in turns[:MAX_EVIDENCE]]
        return Outcome("violation", evidence, f"not found in {window}")
