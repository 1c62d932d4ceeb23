"""Drive a run for the CLI: progress on stderr, streaming or atomic output, journal and resume."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TextIO

from rich.progress import (
    BarColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from callqa.api import DUPLICATE_ID
from callqa.cli import err_console, raise_if_stopped, sigterm_as_interrupt
from callqa.detect import Detector
from callqa.engine import Event, estimate_calls
from callqa.journal import Journal, journal_path, recover
from callqa.model import AuditResult, CallResult, location
from callqa.output import check_output, open_output
from callqa.report import REPORTERS
from callqa.report.json_report import call_line, error_line, summary_line
from callqa.run import RunConfig, run_audit


@contextmanager
def _progress(enabled: bool, total: Callable[[], int | None]) -> Iterator[Callable[[Event], None]]:
    """Calls done, calls/s, errors and, once `total` (counted in a background thread so the
    run starts at once) is known, a bar with an ETA."""
    if not enabled:
        yield lambda _event: None
        return
    started = time.monotonic()
    counts = {"calls": 0, "errors": 0}
    with Progress(
        TextColumn("[bold]auditing[/]"),
        BarColumn(),
        TextColumn("{task.fields[calls]} calls"),
        TextColumn("{task.fields[rate]:.1f} calls/s"),
        TextColumn("{task.fields[errors]} errors"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("audit", total=None, calls=0, rate=0.0, errors=0)
        threading.Thread(
            target=lambda: bar.update(task, total=total()), daemon=True, name="count-inputs"
        ).start()

        def update(event: Event) -> None:
            counts["calls" if isinstance(event, CallResult) else "errors"] += 1
            elapsed = max(time.monotonic() - started, 1e-6)
            bar.update(
                task,
                completed=counts["calls"] + counts["errors"],
                calls=counts["calls"],
                errors=counts["errors"],
                rate=counts["calls"] / elapsed,
            )

        yield update


def _stream_jsonl(out: TextIO) -> Callable[[Event], None]:
    def write(event: Event) -> None:
        line = call_line(event) if isinstance(event, CallResult) else error_line(event)
        out.write(line + "\n")

    return write


def _warn_duplicate(event: Event) -> None:
    """A shared call id is worth a line on stderr: reports and diffs look calls up by id."""
    if not isinstance(event, CallResult):
        return
    for warning in event.warnings:
        if warning.startswith(DUPLICATE_ID):
            where = location(event.source.file, event.source.position)
            err_console.print(f"warning: {where}: {warning}", markup=False)


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
    with sigterm_as_interrupt():  # also when `execute` runs outside `main`
        if output is not None:
            check_output(output)  # before the journal is created beside it
            jpath = journal_path(output)
            recovered = recover(jpath) if resume else None
            journal = Journal(jpath, recovered)
        count = partial(estimate_calls, paths, config.load)
        with _progress(show_progress, count) as tick, open_output(output) as out:
            write = _stream_jsonl(out) if streaming else None
            if write is not None:
                for call in recovered.calls if recovered else []:
                    write(call)

            def emit(event: Event) -> None:
                raise_if_stopped()
                if write is not None:
                    write(event)
                tick(event)
                _warn_duplicate(event)

            result = run_audit(
                paths,
                config,
                detector=detector,
                journal=journal,
                recovered=recovered,
                on_event=emit,
            )
            raise_if_stopped()  # never finish an output after a swallowed interrupt
            if streaming:
                out.write(summary_line(result) + "\n")
            else:
                REPORTERS[fmt](result, out)
        if journal is not None:
            journal.close(remove=True)
    return result
