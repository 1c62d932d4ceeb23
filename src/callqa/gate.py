"""Decide the exit code from an audit result: 2 incomplete, 1 over threshold, 0 clean."""

from __future__ import annotations

from dataclasses import dataclass, field

from callqa.errors import ExitCode
from callqa.model import BEHAVIOURS, AuditResult


@dataclass(frozen=True)
class Gate:
    """Thresholds that make a completed run fail (exit 1)."""

    fail_on: frozenset[str] = frozenset()
    """Behaviours (or `any`) whose violation in any call fails the run."""
    min_score: float | None = None
    """Every ranked agent must score at least this."""
    max_rate: dict[str, float] = field(default_factory=dict)
    """Behaviour -> the highest violation rate any ranked agent may have (small samples are
    not gated on: an agent with 1 call and 1 violation has a rate of 1.0 and a wide interval)."""
    exit_zero: bool = False
    """Report findings but exit 0 (never hides an incomplete run)."""

    def breaches(self, result: AuditResult) -> list[str]:
        """Human-readable reasons the run crosses a threshold (empty when it does not)."""
        reasons: list[str] = []
        watched = set(BEHAVIOURS) if "any" in self.fail_on else set(self.fail_on)
        for card in result.scorecards:
            # The scorecards count every call's violations, so this also holds for a streamed
            # run (`--format jsonl`), which keeps no calls in memory.
            hit = sorted(b for b in watched if card.behaviours[b].violations)
            if hit:
                reasons.append(f"agent {card.agent_id}: calls with {', '.join(hit)}")
            if self.min_score is not None and card.ranked and card.score is not None:
                if card.score < self.min_score:
                    reasons.append(f"agent {card.agent_id}: score {card.score} < {self.min_score}")
            for behaviour, limit in self.max_rate.items():
                if not card.ranked:
                    continue
                rate = card.behaviours[behaviour].rate
                if rate is not None and rate > limit:
                    reasons.append(f"agent {card.agent_id}: {behaviour} rate {rate} > {limit}")
        return reasons

    def exit_code(self, result: AuditResult) -> ExitCode:
        if not result.complete:
            return ExitCode.ERROR
        if self.breaches(result) and not self.exit_zero:
            return ExitCode.FINDINGS
        return ExitCode.OK
