"""The `callqa` command line: a thin layer over `callqa.api` that maps failures to exit codes.

Exit codes: 0 the run completed and nothing crossed the threshold; 1 the run completed and
findings crossed the threshold; 2 the tool failed or the run is incomplete (bad option, unreadable
rules, an input that could not be read). A crash or Ctrl-C never exits 1.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import click
import typer
from rich.console import Console

from callqa.errors import WHILE_AUDITING, CallQAError, ExitCode

EXIT_CODES_HELP = (
    "Exit codes: 0 = run complete, nothing over the threshold; 1 = run complete, findings over "
    "the threshold (--fail-on, --min-score, --max-rate); 2 = the tool failed or the run is "
    "incomplete (bad option, invalid rules, unreadable input)."
)

app = typer.Typer(
    name="callqa",
    help="Audit customer-service call transcripts (English and Hebrew) for agent behaviours.\n\n"
    + EXIT_CODES_HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)  # logs keep whole lines

DEBUG_TEXT_ENV = "CALLQA_DEBUG_TEXT"


@app.callback()
def _global_options(
    debug_text: bool = typer.Option(
        False,
        "--debug-text",
        help="Let error messages and tracebacks quote transcript text (off: they name files "
        "and turns only).",
    ),
) -> None:
    if debug_text:
        os.environ[DEBUG_TEXT_ENV] = "1"  # the environment reaches worker processes too


def _report_crash(exc: BaseException) -> None:
    """A crash prints where it happened; its message may quote a transcript, so only on request."""
    if os.environ.get(DEBUG_TEXT_ENV) == "1":
        err_console.print_exception(show_locals=False)
        return
    frames = traceback.extract_tb(exc.__traceback__)[-8:]
    where = "\n".join(f"  {frame.filename}:{frame.lineno} in {frame.name}" for frame in frames)
    inputs = [n for n in getattr(exc, "__notes__", []) if str(n).startswith(WHILE_AUDITING)]
    context = "".join(f"\n  {str(note).removeprefix('callqa: ')}" for note in inputs)
    err_console.print(
        f"internal error: {type(exc).__name__} (its message is hidden because it may quote "
        f"transcript text; rerun with --debug-text to see it){context}\n{where}",
        markup=False,
    )


def _register_commands() -> None:
    from callqa.cli import audit, models, schema

    audit.register(app)
    schema.register(app)
    models.register(app)

    from callqa.cli import calibrate, diff

    diff.register(app)
    calibrate.register(app)

    from callqa.cli import convert, formats

    formats.register(app)
    convert.register(app)

    from callqa.cli import evaluate, rules

    rules.register(app)
    evaluate.register(app)


def _is_usage_error(exc: Exception) -> bool:
    """click's (or typer's vendored click's) usage errors: they can show themselves."""
    return callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int)


def _interrupted() -> None:
    err_console.print("Interrupted; the output is incomplete.", markup=False)
    sys.exit(ExitCode.ERROR)


_STOP = threading.Event()
_NESTING: list[bool] = []  # `main` and `execute` both install the handler; the outer one clears


def raise_if_stopped() -> None:
    """Stop now if a SIGTERM or Ctrl-C came. The KeyboardInterrupt a signal handler raises can
    be swallowed: Python ignores exceptions raised inside a `__del__` (seen in a regex object's)
    or a weakref callback, so the handler also leaves this flag, which the run checks at every
    call and before it writes its output."""
    if _STOP.is_set():
        raise KeyboardInterrupt


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM ends the run like Ctrl-C: exit 2, outputs complete or absent, the journal kept."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set signal handlers
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        _STOP.set()
        raise KeyboardInterrupt

    if not _NESTING:
        _STOP.clear()  # a new run; a signal to an earlier one (tests run many) is not its own
    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    _NESTING.append(True)
    try:
        yield
    finally:
        _NESTING.pop()
        for sig, old in previous.items():
            signal.signal(sig, old)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: every outcome becomes exit code 0, 1 or 2."""
    with sigterm_as_interrupt():  # from the start: a run stopped while it loads models exits 2
        _main(argv)


def _main(argv: list[str] | None) -> None:
    try:
        _register_commands()  # inside: a broken import must exit 2, not Python's 1
        code = app(args=argv, standalone_mode=False)
    except CallQAError as exc:
        err_console.print(f"[{exc.code}] {exc}", markup=False)
        sys.exit(ExitCode.ERROR)
    except (KeyboardInterrupt, click.exceptions.Abort, typer.Abort):
        _interrupted()
    except Exception as exc:
        if _is_usage_error(exc):  # bad option, missing argument, bad value
            exc.show(file=sys.stderr)  # type: ignore[attr-defined]
            sys.exit(ExitCode.ERROR)
        _report_crash(exc)  # a crash must never read as "findings" (exit 1)
        sys.exit(ExitCode.ERROR)
    if code == 130 or _STOP.is_set():  # typer turns Ctrl-C into a returned 130
        _interrupted()
    sys.exit(code if isinstance(code, int) else ExitCode.OK)
