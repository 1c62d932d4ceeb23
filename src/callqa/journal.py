"""A run's journal: every result is appended (one JSON line, flushed) as it is produced.

An interrupted run leaves its journal beside the output file and no half-written output; the next
run with `--resume` reads the journal, skips the calls already judged and goes on. A torn last
line (the process died mid-write) is dropped, never trusted.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from callqa.model import CallResult, InputError
from callqa.output import atomic_file
from callqa.report.json_report import call_line, error_line


def journal_path(output: Path) -> Path:
    return output.with_name(f".{output.name}.callqa-journal.jsonl")


@dataclass
class Recovered:
    calls: list[CallResult] = field(default_factory=list)

    @property
    def done(self) -> frozenset[tuple[str, int]]:
        return frozenset((c.source.file, c.source.position or 0) for c in self.calls)


def recover(path: Path) -> Recovered:
    """Read the complete lines of a journal. Errors are not kept: their inputs are retried."""
    recovered = Recovered()
    if not path.exists():
        return recovered
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.endswith("\n"):
                break  # torn write
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                break
            if record.get("type") != "call":
                continue
            record.pop("type", None)
            record.pop("schema_version", None)
            try:
                recovered.calls.append(CallResult.model_validate(record))
            except ValidationError:
                break
    return recovered


class Journal:
    """Append-only writer of call and error lines."""

    def __init__(self, path: Path, recovered: Recovered | None = None) -> None:
        self.path = path
        # The recovered calls are rewritten under a temporary name and renamed over the old
        # journal, so a run interrupted at this point still has every call judged so far.
        with atomic_file(path, prefix=f"{path.name}.") as handle:
            for call in recovered.calls if recovered else []:
                handle.write(call_line(call) + "\n")
        self._handle: TextIO = path.open("a", encoding="utf-8")

    def write(self, event: CallResult | InputError) -> None:
        line = call_line(event) if isinstance(event, CallResult) else error_line(event)
        self._handle.write(line + "\n")
        self._handle.flush()

    def close(self, *, remove: bool) -> None:
        self._handle.close()
        if remove:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
