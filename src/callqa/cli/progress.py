"""Drive a run for the CLI: progress on stderr, streaming or atomic output, journal and resume."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TextIO

from rich.progress import Progress, TextColumn, TimeElapsedColumn

from callqa.cli import err_console
from callqa.detect import Detector
from callqa.engine import Event
from callqa.journal import Journal, journal_path, recover
from callqa.model import AuditResult, CallResult
from callqa.output import open_output
from callqa.report import REPORTERS
from callqa.report.json_report import call_line, error_line, summary_line
from callqa.run import RunConfig, run_audit


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM ends the run like Ctrl-C: outputs stay complete or absent, the journal stays."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[Event], None]]:
    if not enabled:
        yield lambda _event: None
        return
    started = time.monotonic()
    counts = {"calls": 0, "errors": 0}
    with Progress(
        TextColumn("[bold]auditing[/]"),
        TextColumn("{task.fields[calls]} calls"),
        TextColumn("{task.fields[rate]:.1f} calls/s"),
        TextColumn("{task.fields[errors]} errors"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("audit", calls=0, rate=0.0, errors=0)

        def update(event: Event) -> None:
            counts["calls" if isinstance(event, CallResult) else "errors"] += 1
            elapsed = max(time.monotonic() - started, 1e-6)
            bar.update(
                task, calls=counts["calls"], errors=counts["errors"], rate=counts["calls"] / elapsed
            )

        yield update


def _stream_jsonl(out: TextIO) -> Callable[[Event], None]:
    def write(event: Event) -> None:
        line = call_line(event) if isinstance(event, CallResult) else error_line(event)
        out.write(line + "\n")

    return write


def execute(
    paths: Sequence[str],
    config: RunConfig,
    detector: Detector,
    *,
    fmt: str,
    output: Path | None,
    resume: bool,
    quiet: bool,
) -> AuditResult:
    """Run the audit and write the payload; an interrupted run leaves no partial output file."""
    show_progress = not quiet and err_console.is_terminal
    streaming = fmt == "jsonl"
    config.keep_calls = not streaming
    journal: Journal | None = None
    recovered = None
    if output is not None:
        jpath = journal_path(output)
        recovered = recover(jpath) if resume else None
        journal = Journal(jpath, recovered)
    with _sigterm_as_interrupt(), _progress(show_progress) as tick, open_output(output) as out:
        emit: Callable[[Event], None] = tick
        if streaming:
            write = _stream_jsonl(out)
            for call in recovered.calls if recovered else []:
                write(call)

            def emit(event: Event) -> None:
                write(event)
                tick(event)

        result = run_audit(
            paths, config, detector=detector, journal=journal, recovered=recovered, on_event=emit
        )
        if streaming:
            out.write(summary_line(result) + "\n")
        else:
            REPORTERS[fmt](result, out)
    if journal is not None:
        journal.close(remove=True)
    return result
