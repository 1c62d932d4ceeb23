"""`conditional`: trigger -> response. After a trigger turn (e.g. the customer reports a
problem) the response speaker must answer it (e.g. apologise) within N of their turns, or before
the end. vale's `conditional`; what missing_apology, missing_follow_up and lack_of_empathy need.

- no trigger, or a `cancel` turn after every trigger (e.g. the customer confirms it is fixed): n/a;
  a trigger after the last cancel is judged as usual
- some trigger answered in its window: ok (evidence: trigger and response)
- otherwise: violation (evidence: the trigger turns and the window that should have held it)
`response_all` names parts that must each appear somewhere in the window (what, when, ref);
`window_from` (after | trigger | start) says where the window begins.
`parts_from` (a part name) makes the other parts count only from the first turn holding it.
"""

from __future__ import annotations

from callqa.detect.checks.base import MAX_EVIDENCE, Check, Outcome, matcher_field, number_field
from callqa.detect.context import CallContext
from callqa.detect.matchers import Matcher, build_matcher
from callqa.detect.source import LineDict, fail
from callqa.detect.text import TurnView
from callqa.model import Evidence

FIELDS = {
    "trigger",
    "response",
    "response_all",
    "response_speaker",
    "within",
    "cancel",
    "window_from",
    "parts_from",
}


class Conditional(Check):
    def __init__(self, node: LineDict) -> None:
        self.trigger = matcher_field(node, "trigger")
        self.cancel = matcher_field(node, "cancel") if "cancel" in node else None
        self.response: Matcher | None = None
        self.parts: dict[str, Matcher] = {}
        if ("response" in node) == ("response_all" in node):
            raise fail(node, "conditional needs exactly one of response, response_all")
        if "response" in node:
            self.response = matcher_field(node, "response")
        else:
            parts = node["response_all"]
            if not isinstance(parts, LineDict) or not parts:
                raise fail(node, "response_all is a mapping of part name: matcher", "response_all")
            self.parts = {name: build_matcher(m, parts) for name, m in parts.items()}
        self.speaker = node.get("response_speaker", "agent")
        if self.speaker not in ("agent", "customer", "other"):
            raise fail(
                node, "response_speaker must be agent, customer or other", "response_speaker"
            )
        within = number_field(node, "within")
        self.within = None if within is None else int(within)
        # after: response turns after the trigger; trigger: from the trigger turn itself;
        # start: anywhere in the call (parts said before the commitment count too).
        self.window_from = node.get("window_from", "after")
        if self.window_from not in ("after", "trigger", "start"):
            raise fail(node, "window_from must be after, trigger or start", "window_from")
        # parts_from: <part>: the other parts count only from the first turn holding that part
        # on (a time said before any step is named is no time of that step).
        self.parts_from = node.get("parts_from")
        if self.parts_from is not None and self.parts_from not in self.parts:
            raise fail(node, "parts_from must name one of the response_all parts", "parts_from")
        self.matchers = [self.trigger, *([self.response] if self.response else []),
                         *self.parts.values(), *([self.cancel] if self.cancel else [])]  # fmt: skip

    def rules_only(self) -> bool:
        return self.trigger.rules_only()

    def _window(self, ctx: CallContext, trigger: TurnView) -> list[TurnView]:
        first = {"after": trigger.index + 1, "trigger": trigger.index, "start": 0}[self.window_from]
        after = [t for t in ctx.turns[first:] if t.role == self.speaker]
        return after if self.within is None else after[: self.within]

    def _answer(
        self, ctx: CallContext, window: list[TurnView], code: str
    ) -> tuple[list[Evidence], list[str]]:
        """Evidence of the response in the window, and the names of the parts still missing."""
        if self.response is not None:
            for turn in window:
                hit = self.response.match(turn, ctx)
                if hit is not None:
                    return [ctx.evidence(turn, code, hit, note="response")], []
            return [], ["response"]
        found: list[Evidence] = []
        missing: list[str] = []
        if self.parts_from is not None:
            anchor = self.parts[self.parts_from]
            start = next(
                (i for i, t in enumerate(window) if anchor.match(t, ctx) is not None), None
            )
            window = window if start is None else window[start:]
        for name, part in self.parts.items():
            hit_turn = next(((t, h) for t in window if (h := part.match(t, ctx)) is not None), None)
            if hit_turn is None:
                missing.append(name)
            else:
                found.append(ctx.evidence(hit_turn[0], code, hit_turn[1], note=f"response: {name}"))
        return found, missing

    def evaluate(self, ctx: CallContext, code: str) -> Outcome:
        triggers = [(t, h) for t in ctx.turns if (h := self.trigger.match(t, ctx)) is not None]
        if not triggers:
            return Outcome("n/a")
        if self.cancel is not None:
            cancels = [
                (t, h)
                for t in ctx.turns[triggers[0][0].index + 1 :]
                if (h := self.cancel.match(t, ctx)) is not None
            ]
            if cancels:
                # A confirmation settles what came before it; a trigger after it (a step the
                # agent announces once the first fault is fixed) opens the check again.
                last, cancel_hit = cancels[-1]
                still_open = [(t, h) for t, h in triggers if t.index > last.index]
                if not still_open:
                    settled, trigger_hit = triggers[-1]
                    return Outcome(
                        "n/a",
                        [
                            ctx.evidence(settled, code, trigger_hit, note="trigger"),
                            ctx.evidence(last, code, cancel_hit, note="cancelled"),
                        ],
                    )
                triggers = still_open
        first = triggers[0][0]
        best_missing: list[str] = []
        for turn, hit in triggers:
            found, missing = self._answer(ctx, self._window(ctx, turn), code)
            if not missing:
                return Outcome("ok", [ctx.evidence(turn, code, hit, note="trigger"), *found])
            if not best_missing or len(missing) < len(best_missing):
                best_missing = missing
        window = self._window(ctx, first)
        span = (
            f"{self.speaker} turns {window[0].index}-{window[-1].index}"
            if window
            else f"no {self.speaker} turn after it"
        )
        evidence = [ctx.evidence(t, code, h, note="trigger") for t, h in triggers[:MAX_EVIDENCE]]
        if window:
            evidence.append(ctx.evidence(window[-1], code, note=f"window: {span}"))
        note = f"no {', '.join(best_missing)} in the window ({span})"
        return Outcome("violation", evidence, note)
