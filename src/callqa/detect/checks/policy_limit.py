"""`policy`: compare the numbers a speaker says with the authority policy.

In each turn that matches `context` (e.g. "discount", "הנחה"), every quantity of the given kind
(percent, money, duration in days; `unit: months` divides by 30) is compared with a policy limit
(`limit: max_discount_percent`) or a literal (`value: 1`) by `op` (gt, ge, lt, le). A quantity
with a negation just before it ("I can't give you 30%") does not count. `unless_policy` names a
true/false policy switch that turns the rule off;
`near` (default 6) is how many words from the quantity the context may be (technician_same_day); `at_least` ignores
quantities below it (a two-week wait is not "months free"). Where a turn holds two quantities of the
kind in different clauses, each one's words stop at the clause mark between them: in "credit shows
immediately, or a refund takes 5 to 10 business days" the refund belongs to the 5 to 10 days.
`corrects` (a matcher on the same words around a quantity, in either speaker's turns) says an
amount was charged wrongly: that amount, there or later in the call, is a correction, not
goodwill ("I've reversed the double charge of 240" ... "the 240 shows as a credit")."""

from __future__ import annotations

import operator
from collections.abc import Callable

from callqa.detect.checks.base import (
    MAX_EVIDENCE,
    Check,
    Outcome,
    matcher_field,
    number_field,
    parse_speaker,
)
from callqa.detect.context import CallContext, Hit
from callqa.detect.matchers import NEGATION_WINDOW, Matcher, ends_negation_scope, is_negator
from callqa.detect.numbers import Quantity
from callqa.detect.policy import POLICY_FIELDS
from callqa.detect.source import LineDict, fail
from callqa.detect.text import BOUNDARY, TurnView

FIELDS = {
    "quantity",
    "context",
    "limit",
    "value",
    "op",
    "speaker",
    "unit",
    "negation",
    "unless_policy",
    "at_least",
    "near",
    "corrects",
}
_OPS: dict[str, Callable[[float, float], bool]] = {
    "gt": operator.gt, "ge": operator.ge, "lt": operator.lt, "le": operator.le,
}  # fmt: skip
_SYMBOL = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}


class PolicyLimit(Check):
    def __init__(self, node: LineDict) -> None:
        quantity = node.get("quantity")
        if quantity not in ("percent", "money", "duration"):
            raise fail(node, "quantity must be percent, money or duration", "quantity")
        self.quantity: str = quantity
        self.context = matcher_field(node, "context")
        self.matchers = [self.context]
        self.limit = node.get("limit")
        self.value = number_field(node, "value")
        if (self.limit is None) == (self.value is None):
            raise fail(node, "a policy rule needs exactly one of limit (a policy key) or value")
        if self.limit is not None and self.limit not in POLICY_FIELDS:
            raise fail(
                node,
                f"unknown policy key {self.limit!r} (expected: {', '.join(POLICY_FIELDS)})",
                "limit",
            )
        self.op = node.get("op", "gt")
        if not isinstance(self.op, str) or self.op not in _OPS:
            raise fail(node, "op must be gt, ge, lt or le", "op")
        self.unit = node.get("unit", "days")
        if self.unit not in ("days", "months"):
            raise fail(node, "unit must be days or months", "unit")
        self.unless_policy = node.get("unless_policy")
        if self.unless_policy is not None and self.unless_policy not in POLICY_FIELDS:
            raise fail(node, f"unknown policy key {self.unless_policy!r}", "unless_policy")
        self.negation = bool(node.get("negation", True))
        self.at_least = number_field(node, "at_least")  # ignore smaller quantities
        near = number_field(node, "near", 6.0)
        self.near = int(near or 0)  # context must be within this many words of the quantity
        self.speaker = parse_speaker(node, "agent")
        self.corrects = matcher_field(node, "corrects") if "corrects" in node else None
        if self.corrects is not None:
            self.matchers.append(self.corrects)

    def evaluate(self, ctx: CallContext, code: str) -> Outcome:
        if self.unless_policy and ctx.policy.value(self.unless_policy):
            return Outcome("ok")
        limit = self.value if self.value is not None else ctx.policy.value(str(self.limit))
        evidence = []
        corrected: set[float] = set()  # amounts said to be charged wrongly so far
        for turn in ctx.turns:
            speaks = self.speaker is None or turn.role == self.speaker
            if not speaks and self.corrects is None:
                continue
            same_kind = sorted(
                (q for q in turn.quantities if q.kind == self.quantity), key=lambda q: q.start
            )
            for n, quantity in enumerate(same_kind):
                lo, hi = _clause_bounds(turn.tokens, same_kind, n)
                if self.corrects is not None and self._near(
                    self.corrects, ctx, turn, quantity, lo, hi
                ):
                    corrected.add(quantity.value)
                if not speaks or quantity.value in corrected:
                    continue
                if self.negation and _negated(turn.tokens, quantity.start):
                    continue
                amount = quantity.value / 30 if self.unit == "months" else quantity.value
                if self.at_least is not None and amount < self.at_least:
                    continue
                if not _OPS[self.op](amount, limit):
                    continue
                hit = self._near(self.context, ctx, turn, quantity, lo, hi)
                if hit is None:
                    continue
                note = (
                    f"{_describe(self.quantity, amount, self.unit)} {_SYMBOL[self.op]} {limit:g}"
                    + (f" ({self.limit})" if self.limit else "")
                )
                evidence.append(ctx.evidence(turn, code, hit, note=note))
                break
        if evidence:
            return Outcome("violation", evidence[:MAX_EVIDENCE], evidence[0].note)
        return Outcome("ok")

    def _near(
        self,
        matcher: Matcher,
        ctx: CallContext,
        turn: TurnView,
        quantity: Quantity,
        lo: int,
        hi: int,
    ) -> Hit | None:
        """`matcher` on the words around the quantity, within tokens [lo, hi) (its own cache
        key)."""
        if not self.near:
            return matcher.match(turn, ctx)
        start, end = quantity.start, quantity.end
        tokens = turn.tokens[max(lo, start - self.near) : min(hi, end + self.near)]
        key = -1 - (turn.index * 10_000 + start)  # negative: never a real turn or a model row
        window = TurnView(key, turn.role, turn.text, " ".join(tokens), turn.lang, tokens=tokens)
        return matcher.match(window, ctx)


def _clause_bounds(tokens: list[str], quantities: list[Quantity], n: int) -> tuple[int, int]:
    """The token span quantity n's context may use: up to the clause mark nearest to it on the
    way to a neighbouring quantity of its kind, if there is one (else the whole turn)."""
    here = quantities[n]
    lo, hi = 0, len(tokens)
    if n > 0:
        marks = [i for i in range(quantities[n - 1].end, here.start) if tokens[i] == BOUNDARY]
        if marks:
            lo = marks[-1] + 1
    if n + 1 < len(quantities):
        marks = [i for i in range(here.end, quantities[n + 1].start) if tokens[i] == BOUNDARY]
        if marks:
            hi = marks[0]
    return lo, hi


def _describe(kind: str, amount: float, unit: str) -> str:
    if kind == "percent":
        return f"{amount:g}%"
    if kind == "money":
        return f"{amount:g}"
    return f"{amount:g} {unit}"


def _negated(tokens: list[str], start: int) -> bool:
    for token in reversed(tokens[max(0, start - NEGATION_WINDOW - 2) : start]):
        if ends_negation_scope(token):
            return False
        if is_negator(token):
            return True
    return False
