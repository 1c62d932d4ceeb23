"""What a benchmark stage reports (shared by `bench.run` and `bench.naive`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class StageResult:
    stage: str
    calls: int
    turns: int
    seconds: float
    peak_rss_mb: float
    workers: int

    @property
    def calls_per_s(self) -> float:
        return self.calls / self.seconds

    @property
    def turns_per_s(self) -> float:
        return self.turns / self.seconds
