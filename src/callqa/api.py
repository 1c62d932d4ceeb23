"""The public API: the functions the CLI calls. They return data; they never print or exit."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from callqa import __version__
from callqa.detect import Detector
from callqa.errors import TranscriptError
from callqa.load import LoadedCall, LoadFailure, LoadOptions, load_inputs
from callqa.model import AuditResult, Call, CallResult, InputError, Source, location
from callqa.normalise import normalise, warnings_of
from callqa.score import ScorecardBuilder, ScorecardSpec


@dataclass
class AuditOptions:
    load: LoadOptions = field(default_factory=LoadOptions)
    scorecard: ScorecardSpec = field(default_factory=ScorecardSpec)


def judge_loaded(item: LoadedCall, detector: Detector, options: LoadOptions) -> CallResult:
    """Normalise and judge one loaded call."""
    return judge_call(normalise(item.call, item.source, options), item.source, detector)


def judge_call(call: Call, source: Source, detector: Detector) -> CallResult:
    """Judge one normalised call."""
    judgement = detector.judge(call)
    return CallResult(
        call_id=call.call_id,
        agent_id=call.agent_id,
        language=call.language or "unknown",
        source=source,
        verdicts=judgement.verdicts,
        signals=judgement.signals,
        warnings=warnings_of(call) + judgement.warnings,
    )


def input_error(failure: LoadFailure) -> InputError:
    error: TranscriptError = failure.error
    return InputError(
        file=error.path or "<input>",
        position=error.position,
        code=error.code,
        reason=error.reason,
    )


def iter_audit(
    paths: Sequence[str], detector: Detector, options: AuditOptions | None = None
) -> Iterator[CallResult | InputError]:
    """Stream per-call results and per-input errors in input order."""
    options = options or AuditOptions()
    for item in load_inputs(paths, options.load):
        if isinstance(item, LoadFailure):
            yield input_error(item)
            continue
        try:
            yield judge_loaded(item, detector, options.load)
        except TranscriptError as exc:  # e.g. speaker roles that cannot be settled
            yield input_error(LoadFailure(exc))


DUPLICATE_ID = "duplicate call id"


class DuplicateIds:
    """Calls that share a call id (across files, or lines of one file) are all audited and
    reported; each one after the first carries a warning that names where the id came first."""

    def __init__(self) -> None:
        # One small tuple per call id, the file name interned: a run of millions of calls keeps
        # only this, never the calls themselves.
        self._first: dict[str, tuple[str, int | None]] = {}

    def check(self, result: CallResult, *, warn: bool = True) -> CallResult:
        where = (sys.intern(result.source.file), result.source.position)
        first = self._first.setdefault(result.call_id, where)
        if warn and first != where:
            result.warnings.append(
                f"{DUPLICATE_ID} {result.call_id!r}: also the id of {location(*first)}; both calls are "
                "audited and reported, each with its own source"
            )
        return result


def finish(
    results: Sequence[CallResult],
    errors: Sequence[InputError],
    builder: ScorecardBuilder,
    detector_version: str,
) -> AuditResult:
    """Assemble the audit result in a deterministic order (whatever the input order)."""
    calls = sorted(results, key=lambda r: (r.call_id, r.source.file, r.source.position or 0))
    return AuditResult(
        tool={"name": "callqa", "version": __version__, "detector": detector_version},
        complete=not errors,
        calls=calls,
        scorecards=builder.scorecards(),
        team=builder.team(),
        errors=sorted(errors, key=lambda e: (e.file, e.position or 0, e.code)),
    )


def audit(
    paths: Sequence[str], detector: Detector, options: AuditOptions | None = None
) -> AuditResult:
    """Run load → normalise → detect → score over the inputs and return the whole result."""
    options = options or AuditOptions()
    builder = ScorecardBuilder(options.scorecard)
    results: list[CallResult] = []
    errors: list[InputError] = []
    duplicates = DuplicateIds()
    for event in iter_audit(paths, detector, options):
        if isinstance(event, CallResult):
            results.append(builder.add(duplicates.check(event)))
        else:
            errors.append(event)
    return finish(results, errors, builder, detector.version)
