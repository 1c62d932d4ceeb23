"""The batch engine: split inputs into work units, judge them in parallel, stream results in order.

A work unit is one input file, or a chunk of lines of a JSONL file or of stdin, so that a million
files or a 10 GB JSONL never sit in memory. Each worker process builds the detector (rules and
models) once and keeps it. Results come back in input order whatever the number of workers, and
at most a bounded number of units is in flight, so memory stays flat as a run grows. The same
`judge_unit` runs on a Dask cluster (`callqa.distributed`). With a cache file, each unit serves
unchanged calls from it and gives the detector the file's model scores (`callqa.cache`).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field

from callqa.api import input_error, judge_call
from callqa.cache import ResultCache, cache_key, open_cache
from callqa.detect import Detector, load_detector
from callqa.errors import WHILE_AUDITING, TranscriptError
from callqa.load import (
    STDIN,
    LoadedCall,
    LoadFailure,
    LoadOptions,
    iter_input_paths,
    load_inputs,
    stream_jsonl,
)
from callqa.model import CallResult, InputError
from callqa.normalise import normalise

Event = CallResult | InputError

JSONL_CHUNK_LINES = 256


@dataclass(frozen=True)
class DetectorSpec:
    """What a worker needs to build its own detector (picklable, unlike the detector)."""

    rules: str | None = None
    policy: str | None = None
    use_models: bool = True

    def build(self) -> Detector:
        return load_detector(self.rules, self.policy, use_models=self.use_models)


@dataclass(frozen=True)
class WorkUnit:
    """One file, or `lines` of a JSONL source starting at line `first_line`."""

    path: str
    first_line: int = 0
    lines: tuple[bytes, ...] | None = None

    @property
    def key(self) -> tuple[str, int]:
        return (self.path, self.first_line)


@dataclass
class UnitResult:
    unit: tuple[str, int]
    events: list[Event] = field(default_factory=list)
    detector: str = ""
    """The version of the detector that judged the unit: a Dask worker with other rules or
    models than the client's is caught by it (`callqa.distributed`)."""


_WORKER_DETECTORS: dict[DetectorSpec, Detector] = {}


def worker_detector(spec: DetectorSpec) -> Detector:
    """The detector for a spec, built once per process (models load once per worker)."""
    detector = _WORKER_DETECTORS.get(spec)
    if detector is None:
        detector = _WORKER_DETECTORS[spec] = spec.build()
    return detector


def _is_jsonl(path: str, options: LoadOptions) -> bool:
    if options.input_format not in (None, "jsonl"):
        return False
    return path == STDIN or options.input_format == "jsonl" or path.lower().endswith(".jsonl")


def iter_units(paths: Sequence[str], options: LoadOptions) -> Iterator[WorkUnit]:
    """Split the inputs into work units lazily, in a deterministic order."""
    for path in iter_input_paths(paths):
        if not _is_jsonl(path, options) or (path != STDIN and not os.path.isfile(path)):
            yield WorkUnit(path)
            continue
        yield from _jsonl_units(path)


def estimate_calls(paths: Sequence[str], options: LoadOptions) -> int | None:
    """About how many calls the inputs hold, for a progress ETA: a line per call in a JSONL
    file (counted in 1 MB reads, never parsed), one call per other file; None for stdin."""
    total = 0
    for path in iter_input_paths(paths):
        if path == STDIN:
            return None
        if not _is_jsonl(path, options):
            total += 1
            continue
        try:
            with open(path, "rb") as handle:
                last = b"\n"
                while block := handle.read(1 << 20):
                    total += block.count(b"\n")
                    last = block[-1:]
                total += last != b"\n"  # a last line without a newline
        except OSError:
            total += 1  # reported as an input error by the run itself
    return total


def _jsonl_units(path: str) -> Iterator[WorkUnit]:
    handle = sys.stdin.buffer if path == STDIN else open(path, "rb")
    name = "<stdin>" if path == STDIN else path
    try:
        chunk: list[bytes] = []
        first = 0
        for number, line in enumerate(handle):
            if not chunk:
                first = number
            chunk.append(line)
            if len(chunk) >= JSONL_CHUNK_LINES:
                yield WorkUnit(name, first, tuple(chunk))
                chunk = []
        if chunk:
            yield WorkUnit(name, first, tuple(chunk))
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()


def judge_unit(
    unit: WorkUnit,
    spec: DetectorSpec,
    options: LoadOptions,
    skip: frozenset[tuple[str, int]],
    cache_path: str | None = None,
) -> UnitResult:
    """Load and judge one unit; per-call failures become errors, never exceptions."""
    detector = worker_detector(spec)
    cache = open_cache(cache_path) if cache_path else None
    if cache is not None:
        detector = _with_score_store(detector, cache)
    if unit.lines is None:
        items: Iterable[LoadedCall | LoadFailure] = load_inputs([unit.path], options)
    else:
        items = stream_jsonl(unit.path, unit.lines, first_line=unit.first_line, options=options)
    result = UnitResult(unit.key, detector=detector.version)
    for item in items:
        if isinstance(item, LoadFailure):
            result.events.append(input_error(item))
            continue
        if (item.source.file, item.source.position or 0) in skip:
            continue
        try:
            call = normalise(item.call, item.source, options)
            if cache is None:
                result.events.append(judge_call(call, item.source, detector))
                continue
            key = cache_key(call, detector.version)
            judged = cache.get(key, item.source)
            if judged is None:
                judged = judge_call(call, item.source, detector)
                cache.put(key, judged)
            result.events.append(judged)
        except TranscriptError as exc:
            result.events.append(input_error(LoadFailure(exc)))
        except Exception as exc:  # a bug: the crash report names the input, never its text
            exc.add_note(f"{WHILE_AUDITING}{item.source.file}#{item.source.position or 0}")
            raise
    return result


def _with_score_store(detector: Detector, cache: ResultCache) -> Detector:
    # Only the rule detector runs models; the store is injected per unit (not kept in the
    # process-wide detector) so that a run without --cache never touches a cache file.
    from callqa.detect.engine import RuleDetector

    return detector.with_score_store(cache) if isinstance(detector, RuleDetector) else detector


def _init_worker() -> None:
    # Workers leave Ctrl-C and SIGTERM to the parent, which cancels them and reports an
    # incomplete run. A worker that died on a signal sent to the whole process group could die
    # holding the task queue's lock and hang the pool's shutdown.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.environ.setdefault("OMP_NUM_THREADS", "1")


def run_local(
    paths: Sequence[str],
    spec: DetectorSpec,
    options: LoadOptions,
    *,
    workers: int = 1,
    skip: frozenset[tuple[str, int]] = frozenset(),
    detector: Detector | None = None,
    cache_path: str | None = None,
) -> Iterator[Event]:
    """Judge every input on this machine; yield events in input order."""
    units = iter_units(paths, options)
    if detector is not None:
        # Forked workers inherit it: rules are compiled once, models load lazily in each worker.
        _WORKER_DETECTORS[spec] = detector
    if workers <= 1:
        for unit in units:
            yield from judge_unit(unit, spec, options, skip, cache_path).events
        return
    window = workers * 4  # bounded look-ahead keeps memory flat
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker) as pool:
        pending: deque[Future[UnitResult]] = deque()
        try:
            for unit in units:
                pending.append(pool.submit(judge_unit, unit, spec, options, skip, cache_path))
                if len(pending) >= window:
                    yield from pending.popleft().result().events
            while pending:
                yield from pending.popleft().result().events
        except BaseException:
            for future in pending:
                future.cancel()
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
