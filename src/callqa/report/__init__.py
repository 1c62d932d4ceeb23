"""Stage 5: render an audit result in one of the output formats.

A new format is one module plus one line in `REPORTERS`. Reporters read the result and never
decide the exit status. Every renderer is wrapped so that evidence quotes are masked before they
are written (unless the user chose `--no-redact`), whatever the detector did.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from callqa.model import AuditResult
from callqa.redact import redact_result
from callqa.report import csv_report, html_report, json_report, junit, markdown, table

Renderer = Callable[[AuditResult, TextIO], None]


def _redacting(render: Renderer) -> Renderer:
    def wrapped(result: AuditResult, out: TextIO) -> None:
        render(redact_result(result), out)

    wrapped.__doc__ = render.__doc__
    return wrapped


REPORTERS: dict[str, Renderer] = {
    name: _redacting(render)
    for name, render in {
        "table": table.render,
        "json": json_report.render_json,
        "jsonl": json_report.render_jsonl,
        "csv": csv_report.render,
        "markdown": markdown.render,
        "html": html_report.render,
        "junit": junit.render,
    }.items()
}

MACHINE_FORMATS = frozenset({"json", "jsonl", "csv", "junit"})


def get_reporter(name: str) -> Renderer:
    return REPORTERS[name]
