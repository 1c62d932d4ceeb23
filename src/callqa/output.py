"""Write a payload to stdout or, atomically, to a file (an interrupted run leaves no half file)."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from callqa.errors import OutputError


def check_output(target: Path) -> Path:
    """Refuse an output path that cannot be written; return the folder it goes in."""
    if target.is_dir():
        raise OutputError(f"{target}: is a directory; give a file name for --output")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{target}: the folder {parent} does not exist")
    return parent


@contextlib.contextmanager
def open_output(path: Path | None, *, encoding: str = "utf-8") -> Iterator[TextIO]:
    """Yield a text stream; a file is written to a temporary name and renamed on success."""
    if path is None or str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    check_output(target)
    with atomic_file(target, encoding=encoding) as handle:
        yield handle


@contextlib.contextmanager
def atomic_file(
    target: Path, *, encoding: str = "utf-8", prefix: str | None = None
) -> Iterator[TextIO]:
    """Write to a temporary file beside `target`, synced, then renamed over it: readers see
    the old file or the whole new one, never a part. On any error the temporary file goes."""
    parent = target.parent if str(target.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}." if prefix is None else prefix, suffix=".tmp", dir=parent
    )
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
