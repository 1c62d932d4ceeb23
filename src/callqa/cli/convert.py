"""`callqa convert PATHS...`: any input callqa reads, normalised, as canonical JSONL.

The calls are written after normalisation (roles, agent id and language settled with the same
loader options `audit` takes), so auditing the output needs none of those options and gives the
verdicts the original inputs give.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Annotated

import typer

from callqa.api import input_error
from callqa.cli import err_console
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
)
from callqa.errors import ExitCode, TranscriptError
from callqa.load import LoadFailure, LoadOptions, load_inputs
from callqa.load.formats.canonical import write_jsonl
from callqa.model import Call, InputError, location
from callqa.normalise import normalise, warnings_of
from callqa.output import open_output


def _normalised(
    paths: Sequence[str], options: LoadOptions, errors: list[InputError], *, warn: bool
) -> Iterator[Call]:
    """Stream the calls audit would judge; the ones it would refuse go to `errors` instead."""
    for item in load_inputs(paths, options):
        if isinstance(item, LoadFailure):
            errors.append(input_error(item))
            continue
        try:
            call = normalise(item.call, item.source, options)
        except TranscriptError as exc:  # e.g. E305, speaker roles that cannot be settled
            errors.append(input_error(LoadFailure(exc)))
            continue
        if warn:
            # The canonical record leaves callqa's notes out, so a guessed role or an ignored
            # time would otherwise go unsaid; stderr keeps them out of the payload.
            for warning in warnings_of(call):
                where = location(item.source.file, item.source.position)
                err_console.print(f"warning: {where}: {warning}", markup=False)
        yield call


def convert(
    paths: PathsArg,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the JSONL to this file (atomically)."),
    ] = None,
    input_format: InputFormatOpt = None,
    agent_speaker: AgentSpeakerOpt = [],  # noqa: B006 - typer reads list defaults
    speaker_map: SpeakerMapOpt = None,
    agent_id_pattern: AgentIdPatternOpt = None,
    language: LanguageOpt = None,
    csv_columns: CsvColumnsOpt = None,
    role_threshold: RoleThresholdOpt = ROLE_THRESHOLD,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No warnings or summary on stderr.")
    ] = False,
) -> int:
    """Write the inputs as canonical callqa JSONL, one normalised call per line.

    The output audits to the same verdicts as the inputs. Inputs that cannot be read are
    reported on stderr (the rest are still written) and the exit code is 2; otherwise 0.

    Example:  callqa convert exports/ --agent-speaker spk_1 --output calls.jsonl
    """
    options = build_load_options(
        input_format=input_format,
        agent_speaker=agent_speaker,
        speaker_map=speaker_map,
        agent_id_pattern=agent_id_pattern,
        language=language,
        csv_columns=csv_columns,
        role_threshold=role_threshold,
    )
    errors: list[InputError] = []
    # Streamed: memory stays flat on large batches, and a file output appears only when whole.
    with open_output(output) as out:
        count = write_jsonl(_normalised(paths, options, errors, warn=not quiet), out)
    for error in errors:
        err_console.print(
            f"[{error.code}] {location(error.file, error.position)}: {error.reason}", markup=False
        )
    code = ExitCode.ERROR if errors else ExitCode.OK
    if not quiet:
        err_console.print(
            f"callqa: {count} calls converted, {len(errors)} inputs failed; exit {int(code)}",
            markup=False,
        )
    return int(code)


def register(app: typer.Typer) -> None:
    app.command("convert")(convert)
