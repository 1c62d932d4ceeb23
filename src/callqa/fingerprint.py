"""Digests that say which model files produced a score: for the detector version and the cache.

A model folder's digest covers the names and bytes of every file the loader may read (card,
weights, tokenizer, vocabulary); the human-readable `*.md` cards are left out, since editing
them changes no score.
"""

from __future__ import annotations

import hashlib
import weakref
from pathlib import Path

_DOCS = ".md"

_BY_STAT: dict[tuple[str, tuple[tuple[str, int, int], ...]], str] = {}
_BY_MODEL: weakref.WeakKeyDictionary[object, str] = weakref.WeakKeyDictionary()


def folder_digest(folder: Path) -> str:
    """12 hex digits of sha256 over a model folder's files; "absent" if there is no folder.

    Memoised on each file's size and mtime, so a detector built again in the same process
    costs a few stats, not another read of the weights.
    """
    if not folder.is_dir():
        return "absent"
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != _DOCS)
    stats = tuple(
        (p.relative_to(folder).as_posix(), p.stat().st_size, p.stat().st_mtime_ns) for p in files
    )
    memo = (str(folder.resolve()), stats)
    cached = _BY_STAT.get(memo)
    if cached is not None:
        return cached
    digest = hashlib.sha256()
    for path, (name, _, _) in zip(files, stats, strict=True):
        digest.update(name.encode("utf-8") + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    result = _BY_STAT[memo] = digest.hexdigest()[:12]
    return result


def model_fingerprint(model: object) -> str | None:
    """The digest of the folder a loaded model came from, taken at its first use.

    A loaded model keeps the weights it read whatever later happens on disk, so the digest is
    fixed per model object, not re-read per call. None for a model that names no folder (one
    registered by a factory, a test fake): nothing cheap says what it computes, so its scores
    are never cached.
    """
    folder = getattr(model, "folder", None)
    if not isinstance(folder, Path):
        return None
    try:
        cached = _BY_MODEL.get(model)
    except TypeError:  # not weak-referenceable: digest it each time (the stat memo still holds)
        return folder_digest(folder)
    if cached is None:
        cached = _BY_MODEL[model] = folder_digest(folder)
    return cached
