"""Run a whole audit: engine (local or Dask), journal, incremental scorecards, progress callback."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from callqa.api import DuplicateIds, finish
from callqa.detect import Detector
from callqa.engine import DetectorSpec, Event, run_local
from callqa.journal import Journal, Recovered
from callqa.load import LoadOptions
from callqa.model import AuditResult, CallResult, InputError
from callqa.score import ScorecardBuilder, ScorecardSpec


@dataclass
class RunConfig:
    spec: DetectorSpec = field(default_factory=DetectorSpec)
    load: LoadOptions = field(default_factory=LoadOptions)
    scorecard: ScorecardSpec = field(default_factory=ScorecardSpec)
    workers: int = 1
    engine: str = "local"
    scheduler: str | None = None
    cache: str | None = None
    """SQLite file of judged calls for incremental re-audits (None: no cache)."""
    keep_calls: bool = True
    """False for streaming formats: calls go to `on_event` and are not kept in memory."""


def _events(
    paths: Sequence[str],
    config: RunConfig,
    skip: frozenset[tuple[str, int]],
    detector: Detector | None,
) -> Iterator[Event]:
    if config.engine == "dask":
        from callqa.distributed import run_dask

        return run_dask(
            paths,
            config.spec,
            config.load,
            scheduler=config.scheduler,
            workers=config.workers,
            skip=skip,
            cache_path=config.cache,
            expected_version=None if detector is None else detector.version,
        )
    return run_local(
        paths,
        config.spec,
        config.load,
        workers=config.workers,
        skip=skip,
        detector=detector,
        cache_path=config.cache,
    )


def run_audit(
    paths: Sequence[str],
    config: RunConfig,
    *,
    detector: Detector,
    journal: Journal | None = None,
    recovered: Recovered | None = None,
    on_event: Callable[[Event], None] | None = None,
) -> AuditResult:
    """Judge every input and return the audit; each event is journalled and passed on as it comes."""
    builder = ScorecardBuilder(config.scorecard)
    calls: list[CallResult] = []
    errors: list[InputError] = []
    duplicates = DuplicateIds()
    for call in recovered.calls if recovered else []:
        builder.add(duplicates.check(call, warn=False))  # journalled with its warnings
        if config.keep_calls:
            calls.append(call)
    skip = recovered.done if recovered else frozenset()
    for event in _events(paths, config, skip, detector):
        if isinstance(event, CallResult):
            builder.add(duplicates.check(event))
            if config.keep_calls:
                calls.append(event)
        else:
            errors.append(event)
        if journal is not None:
            journal.write(event)
        if on_event is not None:
            on_event(event)
    return finish(calls, errors, builder, detector.version)
