"""Helpers the human formats share: labels, rate text, call lookup and text direction."""

from __future__ import annotations

import unicodedata

from callqa.model import AuditResult, BehaviourStats, CallResult, Evidence

LABELS = {
    "rudeness": "Rudeness",
    "over_promising": "Over-promising",
    "missing_apology": "Missing apology",
    "missing_follow_up": "Missing follow-up",
    "lack_of_empathy": "Lack of empathy",
}


def label(behaviour: str) -> str:
    return LABELS.get(behaviour, behaviour)


def rate_text(stats: BehaviourStats) -> str:
    """`2/9 22% (6-55%)`: counts, rate and the 95% interval, so small samples look uncertain."""
    if stats.rate is None:
        return "n/a"
    low, high = stats.ci_low or 0.0, stats.ci_high or 0.0
    return f"{stats.violations}/{stats.applicable} {stats.rate:.0%} ({low * 100:.0f}-{high * 100:.0f}%)"


def score_text(score: float | None) -> str:
    return "-" if score is None else f"{score:.1f}"


def calls_by_id(result: AuditResult) -> dict[str, CallResult]:
    return {call.call_id: call for call in result.calls}


def first_evidence(call: CallResult) -> list[tuple[str, Evidence]]:
    """(behaviour, evidence) for each violation, in report order."""
    items: list[tuple[str, Evidence]] = []
    for behaviour, verdict in call.verdicts.items():
        if verdict.verdict == "violation":
            items.extend((behaviour, e) for e in verdict.evidence)
    return items


def abuse_count(call: CallResult) -> int:
    return sum(1 for s in call.signals if s.name == "customer_abuse")


def is_rtl(text: str) -> bool:
    """True when the first strong character is right-to-left (Hebrew, Arabic)."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False
