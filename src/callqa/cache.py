"""Incremental re-audits: judged calls, and the model scores behind them, in one SQLite file.

Two tables:

- `results`: whole call results, keyed by a hash of the normalised call and of the detector's
  version (rule pack, policy, and the digest of the model files), so re-auditing unchanged
  calls with unchanged rules and models costs a lookup;
- `scores`: one model's scores for one call, keyed by the model's name, the digest of its
  folder (`callqa.fingerprint`) and a hash of the exact list of inputs sent in that predict
  call. A rule change misses `results` but not `scores`, so the re-audit re-runs the rules on
  every call and the models on none that is unchanged: rules-only speed, the verdicts of an
  uncached run. The model batches a call's turns together, so the key is the whole list; a
  changed turn re-scores its call, and only its call.

Any change to the rules, policy or model files misses instead of serving stale verdicts. SQLite
in WAL mode lets every worker process read and write the same file (a local disk: SQLite locks
are unreliable on network file systems).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from callqa.model import Call, CallResult, Source

if TYPE_CHECKING:
    from callqa.classify import TurnInput

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, result TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS scores (key TEXT PRIMARY KEY, scores TEXT NOT NULL)",
)


def cache_key(call: Call, detector_version: str) -> str:
    digest = hashlib.sha256()
    digest.update(detector_version.encode("utf-8"))
    digest.update(b"\0")
    digest.update(call.model_dump_json().encode("utf-8"))
    return digest.hexdigest()


def score_key(model: str, fingerprint: str, items: Sequence[TurnInput]) -> str:
    digest = hashlib.sha256()
    digest.update(f"{model}\0{fingerprint}\0".encode())
    payload = [[item.text, item.context, item.role] for item in items]
    digest.update(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


class ResultCache:
    """One process's (one thread's) connection to the shared cache file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        for statement in _SCHEMA:
            self._db.execute(statement)

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

    def get_scores(
        self, model: str, fingerprint: str, items: Sequence[TurnInput]
    ) -> list[dict[str, float]] | None:
        key = score_key(model, fingerprint, items)
        row = self._db.execute("SELECT scores FROM scores WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        scores: list[dict[str, float]] = json.loads(row[0])
        return scores

    def put_scores(
        self,
        model: str,
        fingerprint: str,
        items: Sequence[TurnInput],
        scores: list[dict[str, float]],
    ) -> None:
        # JSON writes floats by repr, so they read back bit for bit: cached scores are the
        # scores the model gave.
        self._db.execute(
            "INSERT OR REPLACE INTO scores (key, scores) VALUES (?, ?)",
            (score_key(model, fingerprint, items), json.dumps(scores, separators=(",", ":"))),
        )

    def close(self) -> None:
        self._db.close()


_OPEN: dict[tuple[int, int, str], ResultCache] = {}


def open_cache(path: str) -> ResultCache:
    """One connection per process, thread and cache file: a forked worker never reuses its
    parent's, and a Dask worker running units in several threads gives each its own (sqlite3
    refuses a connection used from another thread)."""
    key = (os.getpid(), threading.get_ident(), path)
    cache = _OPEN.get(key)
    if cache is None:
        cache = _OPEN[key] = ResultCache(Path(path))
    return cache
