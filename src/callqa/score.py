"""Stage 4: per-call scores and per-agent scorecards from call verdicts.

A behaviour that is `n/a` in a call counts neither for nor against the agent in that call. Rates
carry a 95% Wilson interval so that a small sample looks as uncertain as it is.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain, repeat
from typing import Any

from callqa.model import BEHAVIOURS, BehaviourStats, CallResult, Scorecard

ABUSE_SIGNAL = "customer_abuse"

SEVERITIES: tuple[str, ...] = ("critical", "major", "minor")
"""Behaviour severities, most severe first; `--fail-on major` means major or critical."""

_DEFAULT_SEVERITY = {
    "rudeness": "critical",
    "over_promising": "major",
    "missing_follow_up": "major",
    "missing_apology": "minor",
    "lack_of_empathy": "minor",
}

SCORE_BINS: tuple[str, ...] = tuple(f"{lo}-{lo + 10}" for lo in range(0, 100, 10))
"""Labels of the score distribution's bins; the last, 90-100, includes 100."""


@dataclass(frozen=True)
class ScorecardSpec:
    """How calls are scored: behaviour weights (total 100), auto-fails and ranking threshold."""

    weights: Mapping[str, float] = field(
        default_factory=lambda: dict.fromkeys(BEHAVIOURS, 100 / len(BEHAVIOURS))
    )
    auto_fail: frozenset[str] = frozenset()
    min_calls_to_rank: int = 5
    worst_calls: int = 3
    severity: Mapping[str, str] = field(default_factory=lambda: dict(_DEFAULT_SEVERITY))

    def behaviours_at(self, level: str) -> frozenset[str]:
        """Behaviours whose severity is `level` or more severe."""
        cutoff = SEVERITIES.index(level)
        return frozenset(
            b for b, s in self.severity.items() if s in SEVERITIES and SEVERITIES.index(s) <= cutoff
        )


def score_bin(score: float) -> str:
    return SCORE_BINS[min(int(score // 10), len(SCORE_BINS) - 1)]


def _stats(k: int, n: int) -> BehaviourStats:
    low, high = wilson_interval(k, n) if n else (None, None)
    return BehaviourStats(
        applicable=n,
        violations=k,
        rate=round(k / n, 4) if n else None,
        ci_low=None if low is None else round(low, 4),
        ci_high=None if high is None else round(high, 4),
    )


def wilson_interval(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval for a binomial proportion."""
    if total == 0:
        return (0.0, 1.0)
    p = successes / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def call_score(result: CallResult, spec: ScorecardSpec) -> float | None:
    """0-100: the share of the applicable weight the agent earned; 0 on an auto-fail violation."""
    possible = earned = 0.0
    for behaviour, verdict in result.verdicts.items():
        weight = spec.weights.get(behaviour, 0.0)
        if verdict.verdict == "n/a" or weight <= 0:
            if verdict.verdict == "violation" and behaviour in spec.auto_fail:
                return 0.0
            continue
        if verdict.verdict == "violation" and behaviour in spec.auto_fail:
            return 0.0
        possible += weight
        if verdict.verdict == "ok":
            earned += weight
    if possible == 0:
        return None
    return round(100 * earned / possible, 2)


@dataclass
class ScoreTally:
    """Call scores in memory bounded by the number of distinct values, not of calls: scores
    carry 2 decimals, so at most 10,001 of them; mean, median and histogram stay exact. The
    `keep` lowest (score, call id) pairs are kept for the worst-calls list."""

    keep: int = 0
    counts: Counter[float] = field(default_factory=Counter)
    lowest: list[tuple[float, str]] = field(default_factory=list)

    def add(self, score: float, call_id: str) -> None:
        self.counts[score] += 1
        if self.keep:
            self.lowest.append((score, call_id))
            if len(self.lowest) > 2 * self.keep:  # amortised: sort and cut now and then
                self.lowest = sorted(self.lowest)[: self.keep]

    def update(self, other: ScoreTally) -> None:
        """Add the other's scores (not its worst calls): the team-wide distribution."""
        self.counts.update(other.counts)

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    def mean(self) -> float | None:
        n = self.n
        # fsum over every score (not value * count): exact, and independent of arrival order
        total = math.fsum(chain.from_iterable(repeat(v, c) for v, c in self.counts.items()))
        return round(total / n, 2) if n else None

    def median(self) -> float | None:
        n = self.n
        if not n:
            return None
        wanted = (n - 1) // 2, n // 2  # the middle rank(s), 0-based
        found: list[float] = []
        seen = 0
        for value in sorted(self.counts):
            seen += self.counts[value]
            while len(found) < 2 and seen > wanted[len(found)]:
                found.append(value)
            if len(found) == 2:
                break
        return round((found[0] + found[1]) / 2, 2)

    def histogram(self) -> dict[str, int]:
        counts = dict.fromkeys(SCORE_BINS, 0)
        for value, count in self.counts.items():
            counts[score_bin(value)] += count
        return counts

    def worst(self) -> list[str]:
        return [cid for s, cid in sorted(self.lowest)[: self.keep] if s < 100]


@dataclass
class _AgentTally:
    scores: ScoreTally
    calls: int = 0
    applicable: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    violations: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    abuse_calls: int = 0
    auto_fail_calls: int = 0


class ScorecardBuilder:
    """Aggregates call results incrementally, so a batch of any size never sits in memory."""

    def __init__(self, spec: ScorecardSpec | None = None) -> None:
        self.spec = spec or ScorecardSpec()
        self._agents: dict[str, _AgentTally] = defaultdict(
            lambda: _AgentTally(ScoreTally(self.spec.worst_calls))
        )

    def add(self, result: CallResult) -> CallResult:
        result.score = call_score(result, self.spec)
        tally = self._agents[result.agent_id]
        tally.calls += 1
        for behaviour, verdict in result.verdicts.items():
            if verdict.verdict == "n/a":
                continue
            tally.applicable[behaviour] += 1
            if verdict.verdict == "violation":
                tally.violations[behaviour] += 1
                if behaviour in self.spec.auto_fail:
                    tally.auto_fail_calls += 1
        if result.score is not None:
            tally.scores.add(result.score, result.call_id)
        if any(s.name == ABUSE_SIGNAL for s in result.signals):
            tally.abuse_calls += 1
        return result

    def scorecards(self) -> list[Scorecard]:
        cards = []
        for agent_id in sorted(self._agents):
            tally = self._agents[agent_id]
            behaviours = {
                b: _stats(tally.violations.get(b, 0), tally.applicable.get(b, 0))
                for b in BEHAVIOURS
            }
            cards.append(
                Scorecard(
                    agent_id=agent_id,
                    calls=tally.calls,
                    score=tally.scores.mean(),
                    ranked=tally.calls >= self.spec.min_calls_to_rank,
                    behaviours=behaviours,
                    customer_abuse_calls=tally.abuse_calls,
                    auto_fail_calls=tally.auto_fail_calls,
                    worst_calls=tally.scores.worst(),
                )
            )
        ranked = sorted(
            (c for c in cards if c.ranked and c.score is not None),
            key=lambda c: (-(c.score or 0.0), c.agent_id),
        )
        for position, card in enumerate(ranked, start=1):
            card.rank = position
        return cards

    def team(self) -> dict[str, Any]:
        """The team summary: totals, team-wide behaviour rates and the score distributions."""
        tallies = list(self._agents.values())
        cards = self.scorecards()
        call_scores = ScoreTally()
        for tally in tallies:
            call_scores.update(tally.scores)
        agent_scores = ScoreTally()
        for card in cards:
            if card.ranked and card.score is not None:
                agent_scores.add(card.score, card.agent_id)
        behaviours = {
            b: _stats(
                sum(t.violations.get(b, 0) for t in tallies),
                sum(t.applicable.get(b, 0) for t in tallies),
            ).model_dump(mode="json")
            for b in BEHAVIOURS
        }
        return {
            "calls": sum(t.calls for t in tallies),
            "agents": len(tallies),
            "ranked_agents": agent_scores.n,
            "min_calls_to_rank": self.spec.min_calls_to_rank,
            "mean_call_score": call_scores.mean(),
            "median_call_score": call_scores.median(),
            "mean_agent_score": agent_scores.mean(),
            "customer_abuse_calls": sum(t.abuse_calls for t in tallies),
            "auto_fail_calls": sum(t.auto_fail_calls for t in tallies),
            "behaviours": behaviours,
            "call_score_distribution": call_scores.histogram(),
            "agent_score_distribution": agent_scores.histogram(),
        }


def build_scorecards(
    results: Iterable[CallResult], spec: ScorecardSpec | None = None
) -> list[Scorecard]:
    builder = ScorecardBuilder(spec)
    for result in results:
        builder.add(result)
    return builder.scorecards()
