"""Incremental re-audits: judged calls cached by content and detector version.

The key is a hash of the normalised call and of the detector's version (rule pack, policy and
model versions), so a re-audit of unchanged calls with unchanged rules costs a lookup, and any
change to the rules or models misses the cache instead of serving stale verdicts. SQLite in WAL
mode lets every worker process read and write the same cache file.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

from callqa.model import Call, CallResult, Source

_SCHEMA = "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, result TEXT NOT NULL)"


def cache_key(call: Call, detector_version: str) -> str:
    digest = hashlib.sha256()
    digest.update(detector_version.encode("utf-8"))
    digest.update(b"\0")
    digest.update(call.model_dump_json().encode("utf-8"))
    return digest.hexdigest()


class ResultCache:
    """A process-local connection to the shared cache file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)

    def get(self, key: str, source: Source) -> CallResult | None:
        row = self._db.execute("SELECT result FROM results WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        result = CallResult.model_validate_json(row[0])
        result.source = source  # the same call may now live in another file
        return result

    def put(self, key: str, result: CallResult) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO results (key, result) VALUES (?, ?)",
            (key, result.model_dump_json()),
        )

    def close(self) -> None:
        self._db.close()


_OPEN: dict[tuple[int, str], ResultCache] = {}


def open_cache(path: str) -> ResultCache:
    """One connection per process and cache file: a forked worker never reuses its parent's."""
    key = (os.getpid(), path)
    cache = _OPEN.get(key)
    if cache is None:
        cache = _OPEN[key] = ResultCache(Path(path))
    return cache
