"""Anticipated failures, their codes, and the exit codes the CLI maps them to.

Codes are stable and never reused: E1xx configuration, E2xx rules, E3xx transcripts (they name
the file, never the transcript text), E4xx models, E5xx output.
"""

from __future__ import annotations

from enum import IntEnum

WHILE_AUDITING = "callqa: while auditing "
"""Starts the note a crash carries naming the input being judged (file and position, no text)."""


class ExitCode(IntEnum):
    OK = 0
    """The run completed and nothing crossed the threshold."""
    FINDINGS = 1
    """The run completed and findings crossed the threshold."""
    ERROR = 2
    """The tool failed or the run is incomplete (an input could not be read)."""


class CallQAError(Exception):
    """Base class: the CLI prints `[code] message` to stderr and exits 2."""

    code = "E000"


class ConfigError(CallQAError):
    code = "E100"


class RuleError(CallQAError):
    """A rule file is invalid; carries the path and line."""

    code = "E200"

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}: " if path and line is not None else (f"{path}: " if path else "")
        super().__init__(f"{where}{message}")


class TranscriptError(CallQAError):
    """An input file could not be read as a transcript."""

    code = "E300"

    def __init__(self, message: str, path: str | None = None, position: int | None = None) -> None:
        self.path = path
        self.position = position
        self.reason = message
        where = path or "<input>"
        if position is not None:
            where = f"{where}#{position}"
        super().__init__(f"{where}: {message}")


class EncodingError(TranscriptError):
    code = "E301"


class FormatError(TranscriptError):
    """The content is not any known format, or not valid in the format it claims."""

    code = "E302"


class EmptyTranscriptError(TranscriptError):
    code = "E303"


class TooLargeError(TranscriptError):
    code = "E304"


class SpeakerRoleError(TranscriptError):
    """The agent cannot be told from the customer with enough confidence to audit the call."""

    code = "E305"


class ModelError(CallQAError):
    code = "E400"


class OutputError(CallQAError):
    code = "E500"
