"""`phrase_forbidden`: the speaker must never say it (in the window). vale's `existence`."""

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


class Forbidden(Check):
    def __init__(self, node: LineDict) -> None:
        self.speaker = parse_speaker(node, "agent")
        self.window = parse_window(node)
        self.match = matcher_field(node, "match")
        self.matchers = [self.match]

    def evaluate(self, ctx: CallContext, code: str) -> Outcome:
        evidence = []
        for turn in scoped(ctx, self.speaker, self.window):
            hit = self.match.match(turn, ctx)
            if hit is not None:
                evidence.append(ctx.evidence(turn, code, hit))
        if evidence:
            return Outcome("violation", evidence[:MAX_EVIDENCE])
        return Outcome("ok")
