"""`callqa audit PATHS...`: load, judge, score and report; the exit code gates CI."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from callqa.cli import EXIT_CODES_HELP, err_console
from callqa.cli.load_options import (
    ROLE_THRESHOLD,
    AgentIdPatternOpt,
    AgentSpeakerOpt,
    CsvColumnsOpt,
    InputFormatOpt,
    LanguageOpt,
    PathsArg,
    RoleThresholdOpt,
    SpeakerMapOpt,
    build_load_options,
    check_language,
)
from callqa.cli.progress import execute
from callqa.detect import load_detector
from callqa.engine import DetectorSpec, default_workers
from callqa.gate import Gate
from callqa.model import BEHAVIOURS, location
from callqa.redact import redaction
from callqa.report import MACHINE_FORMATS, REPORTERS
from callqa.report.options import ReportOptions, using_options
from callqa.run import RunConfig
from callqa.score import SEVERITIES, ScorecardSpec
from callqa.scorecard_file import load_scorecard


def _parse_fail_on(values: list[str], scorecard: ScorecardSpec) -> frozenset[str]:
    """Behaviours, `any`, or severities (`major` = major or critical, per the scorecard)."""
    names: set[str] = set()
    for value in values:
        names.update(v.strip() for v in value.split(",") if v.strip())
    unknown = names - set(BEHAVIOURS) - set(SEVERITIES) - {"any"}
    if unknown:
        raise typer.BadParameter(
            f"unknown behaviour(s) or severities {sorted(unknown)}; expected: any, "
            f"{', '.join(SEVERITIES)}, {', '.join(BEHAVIOURS)}",
            param_hint="--fail-on",
        )
    behaviours = names - set(SEVERITIES)
    for level in names & set(SEVERITIES):
        behaviours |= scorecard.behaviours_at(level)
    return frozenset(behaviours)


def _parse_max_rate(values: list[str]) -> dict[str, float]:
    limits: dict[str, float] = {}
    for value in values:
        behaviour, _, number = value.partition("=")
        if behaviour not in BEHAVIOURS:
            raise typer.BadParameter(f"unknown behaviour {behaviour!r}", param_hint="--max-rate")
        try:
            limits[behaviour] = float(number)
        except ValueError:
            raise typer.BadParameter(
                f"expected BEHAVIOUR=RATE, got {value!r}", param_hint="--max-rate"
            ) from None
    return limits


def audit(
    paths: PathsArg,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help=f"One of: {', '.join(REPORTERS)}. Default: table on a terminal, json otherwise.",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the payload to this file.")
    ] = None,
    rules: Annotated[
        Path | None, typer.Option("--rules", help="Rule folder or file (default: shipped pack).")
    ] = None,
    policy: Annotated[
        Path | None, typer.Option("--policy", help="Authority policy YAML (default: shipped).")
    ] = None,
    no_models: Annotated[
        bool, typer.Option("--no-models", help="Rules only: skip classifier rules.")
    ] = False,
    fail_on: Annotated[
        list[str],
        typer.Option(
            "--fail-on",
            help="Behaviours or severities (comma list; critical, major, minor; or any) whose "
            "violation in any call fails the run.",
        ),
    ] = [],  # noqa: B006 - typer reads list defaults
    min_score: Annotated[
        float | None, typer.Option("--min-score", help="Fail if a ranked agent scores below.")
    ] = None,
    max_rate: Annotated[
        list[str], typer.Option("--max-rate", help="BEHAVIOUR=RATE, e.g. rudeness=0.10.")
    ] = [],  # noqa: B006
    scorecard: Annotated[
        Path | None,
        typer.Option("--scorecard", help="Scorecard YAML (default: rules/scorecard.yaml)."),
    ] = None,
    bom: Annotated[
        bool, typer.Option("--bom", help="CSV: start with a UTF-8 BOM so Excel shows Hebrew.")
    ] = False,
    no_redact: Annotated[
        bool,
        typer.Option(
            "--no-redact", help="Quote evidence unmasked (phones, e-mails, cards, ids, IBANs)."
        ),
    ] = False,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 on findings (never hides exit 2).")
    ] = False,
    input_format: InputFormatOpt = None,
    agent_speaker: AgentSpeakerOpt = [],  # noqa: B006 - typer reads list defaults
    speaker_map: SpeakerMapOpt = None,
    agent_id_pattern: AgentIdPatternOpt = None,
    language: LanguageOpt = None,
    csv_columns: CsvColumnsOpt = None,
    role_threshold: RoleThresholdOpt = ROLE_THRESHOLD,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary.")] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", "-j", help="Worker processes (default: cores).")
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="local (processes on this machine) or dask.")
    ] = "local",
    dask_scheduler: Annotated[
        str | None,
        typer.Option("--dask-scheduler", help="tcp://HOST:PORT of a Dask cluster (implies dask)."),
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option("--cache", help="Cache file for incremental re-audits (created if absent)."),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Continue an interrupted run with the same --output."),
    ] = False,
) -> int:
    """Audit transcripts and report per-call verdicts and per-agent scorecards.

    Example:  callqa audit sample_transcripts/ --format json --fail-on rudeness
    """
    fmt = fmt or ("table" if sys.stdout.isatty() and output is None else "json")
    if fmt not in REPORTERS:
        raise typer.BadParameter(f"expected one of: {', '.join(REPORTERS)}", param_hint="--format")
    check_language(language)
    scorecard_spec = load_scorecard(scorecard)
    gate = Gate(
        fail_on=_parse_fail_on(fail_on, scorecard_spec),
        min_score=min_score,
        max_rate=_parse_max_rate(max_rate),
        exit_zero=exit_zero,
    )
    load_options = build_load_options(
        input_format=input_format,
        agent_speaker=agent_speaker,
        speaker_map=speaker_map,
        agent_id_pattern=agent_id_pattern,
        language=language,
        csv_columns=csv_columns,
        role_threshold=role_threshold,
    )
    if engine not in ("local", "dask"):
        raise typer.BadParameter("expected local or dask", param_hint="--engine")
    if resume and output is None:
        raise typer.BadParameter("--resume needs --output FILE", param_hint="--resume")
    spec = DetectorSpec(
        None if rules is None else str(rules),
        None if policy is None else str(policy),
        use_models=not no_models,
    )
    # Built here first so bad rules or models fail fast, before any work; workers build their own.
    detector = load_detector(spec.rules, spec.policy, use_models=spec.use_models)
    config = RunConfig(
        spec=spec,
        load=load_options,
        scorecard=scorecard_spec,
        workers=workers or default_workers(),
        engine="dask" if dask_scheduler else engine,
        scheduler=dask_scheduler,
        cache=None if cache is None else str(cache),
    )
    with redaction(not no_redact), using_options(ReportOptions(bom=bom)):
        result = execute(
            paths, config, detector, fmt=fmt, output=output, resume=resume, quiet=quiet
        )
    for error in result.errors:
        where = location(error.file, error.position)
        err_console.print(f"[{error.code}] {where}: {error.reason}", markup=False)
    code = gate.exit_code(result)
    if not quiet and (fmt in MACHINE_FORMATS or output is not None):
        state = "complete" if result.complete else "INCOMPLETE"
        err_console.print(
            f"callqa: {result.team.get('calls', len(result.calls))} calls audited, "
            f"{len(result.errors)} inputs failed "
            f"({state}); exit {int(code)}",
            markup=False,
        )
    return int(code)


audit.__doc__ = (audit.__doc__ or "") + "\n\n" + EXIT_CODES_HELP


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)
