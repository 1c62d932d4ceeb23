"""The loader options every command that reads transcripts takes (`audit`, `convert`).

Declared once here so that a file reads the same way whichever command reads it: what `convert`
writes is what `audit` would have judged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import yaml

from callqa.errors import ConfigError
from callqa.load import READERS, LoadOptions
from callqa.load.formats.csv_chat import parse_column_mapping

__all__ = [
    "ROLE_THRESHOLD",
    "AgentIdPatternOpt",
    "AgentSpeakerOpt",
    "CsvColumnsOpt",
    "InputFormatOpt",
    "LanguageOpt",
    "PathsArg",
    "RoleThresholdOpt",
    "SpeakerMapOpt",
    "build_load_options",
    "check_language",
    "load_speaker_map",
]

ROLE_THRESHOLD = LoadOptions().role_threshold
"""The option's default is the loader's, so the CLI and the API cannot drift apart."""

PathsArg = Annotated[
    list[str],
    typer.Argument(help="Files, folders (recursive), globs, or - for JSONL on stdin."),
]
InputFormatOpt = Annotated[
    str | None, typer.Option("--input-format", help="Skip format detection.")
]
AgentSpeakerOpt = Annotated[
    list[str], typer.Option("--agent-speaker", help="Speaker label that is the agent.")
]
SpeakerMapOpt = Annotated[
    Path | None, typer.Option("--speaker-map", help="YAML: speaker label -> role.")
]
AgentIdPatternOpt = Annotated[
    str | None,
    typer.Option("--agent-id-pattern", help="Regex on the path; group 'agent' is the id."),
]
LanguageOpt = Annotated[str | None, typer.Option("--language", help="Force en, he or mixed.")]
CsvColumnsOpt = Annotated[
    str | None,
    typer.Option(
        "--csv-columns",
        help="CSV column mapping FIELD=COLUMN,... (fields: call_id, agent_id, speaker, role, "
        "text, start, end), e.g. speaker=Author,text=Message.",
    ),
]
RoleThresholdOpt = Annotated[
    float,
    typer.Option(
        "--role-threshold",
        min=0.0,
        max=1.0,
        help="Refuse a call whose agent is only guessed with less confidence (0-1).",
    ),
]


def load_speaker_map(path: Path | None) -> dict[str, str]:
    """A `--speaker-map` YAML file as label -> agent|customer|other; none is an empty map."""
    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the speaker map: {exc}") from None
    if not isinstance(data, dict) or not all(
        v in ("agent", "customer", "other") for v in data.values()
    ):
        raise ConfigError(f"{path}: a speaker map is a mapping of label: agent|customer|other")
    return {str(k): str(v) for k, v in data.items()}


def check_language(language: str | None) -> None:
    """Separate from `build_load_options`: `audit` checks it before anything else, as it did."""
    if language not in (None, "en", "he", "mixed"):
        raise typer.BadParameter("expected en, he or mixed", param_hint="--language")


def build_load_options(
    *,
    input_format: str | None,
    agent_speaker: list[str],
    speaker_map: Path | None,
    agent_id_pattern: str | None,
    language: str | None,
    csv_columns: str | None,
    role_threshold: float,
) -> LoadOptions:
    """Validate the loader options and build them; a bad one fails before any input is read."""
    check_language(language)
    if input_format is not None and input_format not in READERS:
        raise typer.BadParameter(
            f"expected one of: {', '.join(sorted(READERS))} (see `callqa formats`)",
            param_hint="--input-format",
        )
    return LoadOptions(
        input_format=input_format,
        agent_speaker=agent_speaker,
        speaker_map=load_speaker_map(speaker_map),
        agent_id_pattern=agent_id_pattern,
        language=language,
        csv_columns=parse_column_mapping(csv_columns) if csv_columns else {},
        role_threshold=role_threshold,
    )
