"""Per-run report options that only some formats read (set by the CLI around rendering)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class ReportOptions:
    bom: bool = False
    """CSV: start with a UTF-8 byte-order mark so Excel reads Hebrew as UTF-8."""


_OPTIONS: ContextVar[ReportOptions | None] = ContextVar("report_options", default=None)


def report_options() -> ReportOptions:
    return _OPTIONS.get() or ReportOptions()


@contextlib.contextmanager
def using_options(options: ReportOptions) -> Iterator[None]:
    token = _OPTIONS.set(options)
    try:
        yield
    finally:
        _OPTIONS.reset(token)
