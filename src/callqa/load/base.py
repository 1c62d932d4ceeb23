"""Stage 1: the loader registry and the shared input type every format reader works on.

A format is a `Reader`: a `sniff` that scores how sure it is that a document is in its format
(0 = not at all, 1 = certain) and a `read` that yields canonical `Call`s. Detection is by content;
the file extension only breaks ties. `--input-format NAME` skips detection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from callqa.errors import FormatError, TranscriptError
from callqa.load.decode import parse_json_lenient
from callqa.model import Call

NOTES_KEY = "callqa"
"""Key in `Call.metadata` where loading and normalisation record what they decided (and warnings)."""


@dataclass
class LoadOptions:
    """How to read inputs; every field is a user override of the default behaviour."""

    input_format: str | None = None
    agent_speaker: list[str] = field(default_factory=list)
    """Speaker labels (as the source writes them) that are the agent."""
    speaker_map: dict[str, str] = field(default_factory=dict)
    """Speaker label -> role (agent / customer / other), from a mapping file."""
    agent_id_pattern: str | None = None
    """Regex with a named group `agent` applied to the file path, for formats with no agent id."""
    language: str | None = None
    csv_columns: dict[str, str] = field(default_factory=dict)
    """Canonical field (call_id, agent_id, speaker, text, timestamp, ...) -> CSV column name."""
    max_bytes: int = 200 * 1024 * 1024
    max_turns: int = 200_000
    role_threshold: float = 0.6
    """Below this confidence a heuristic speaker-role assignment is reported as uncertain."""


@dataclass
class Document:
    """One input file (or stdin), decoded, with its JSON parsed on demand."""

    path: str
    text: str
    encoding: str = "utf-8"
    repairs: list[str] = field(default_factory=list)
    _json_failed: bool = field(default=False, repr=False)

    @property
    def suffix(self) -> str:
        return Path(self.path).suffix.lower()

    @property
    def stem(self) -> str:
        name = Path(self.path).name
        for ext in (".json", ".jsonl", ".txt", ".csv", ".vtt", ".srt", ".tsv"):
            if name.lower().endswith(ext):
                return name[: -len(ext)]
        return Path(self.path).stem

    @cached_property
    def looks_like_json(self) -> bool:
        head = self.text.lstrip()[:20]
        return head.startswith(("{", "[", "```json", "```JSON"))

    @cached_property
    def json(self) -> Any:
        """The document as JSON (lenient); raises FormatError when it is not JSON."""
        value, repairs = parse_json_lenient(self.text, self.path)
        self.repairs.extend(repairs)
        return value

    def json_or_none(self) -> Any:
        """The JSON value, or None when the document is not (lenient) JSON; parsed at most once."""
        if not self.looks_like_json or self._json_failed:
            return None
        try:
            return self.json
        except FormatError:
            self._json_failed = True
            return None

    def json_object(self) -> dict[str, Any] | None:
        """The document's JSON when it is an object: what vendor readers sniff."""
        value = self.json_or_none()
        return value if isinstance(value, dict) else None


SniffFn = Callable[[Document], float]
ReadFn = Callable[[Document, LoadOptions], Iterator[Call | TranscriptError]]
"""A reader yields calls; a multi-call file yields a TranscriptError for each bad record and goes
on, while a single-call reader simply raises."""


@dataclass(frozen=True)
class Reader:
    name: str
    description: str
    sniff: SniffFn
    read: ReadFn
    extensions: tuple[str, ...] = ()


READERS: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    """Add a format reader to the registry (one module per format calls this at import)."""
    READERS[reader.name] = reader
    return reader
