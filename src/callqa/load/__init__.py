"""Stage 1: find the inputs, read each in its format, and yield canonical calls or errors.

Nothing is silently dropped: every input either yields calls or a `LoadFailure` naming the file
(and the record, for multi-call files) and the reason.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from callqa.errors import (
    CallQAError,
    ConfigError,
    EmptyTranscriptError,
    FormatError,
    TooLargeError,
    TranscriptError,
)
from callqa.load import formats  # importing registers every reader
from callqa.load.base import READERS, Document, LoadOptions, Reader
from callqa.load.decode import decode_bytes
from callqa.model import Call, Source

__all__ = [
    "READERS",
    "STDIN",
    "Document",
    "LoadFailure",
    "LoadOptions",
    "LoadedCall",
    "detect_reader",
    "iter_input_paths",
    "load_document",
    "load_inputs",
    "stream_jsonl",
]

STDIN = "-"
_SKIPPED_NAMES = {"README.md", "LICENSE", "SOURCES.md", "SOURCE.txt", ".DS_Store"}


@dataclass
class LoadedCall:
    call: Call
    source: Source


@dataclass
class LoadFailure:
    error: TranscriptError


def iter_input_paths(paths: Sequence[str]) -> Iterator[str]:
    """Expand files, folders (recursively, in sorted order) and globs; `-` means stdin.

    A path that matches nothing is reported as a failure by `load_inputs`, not skipped.
    """
    for raw in paths:
        if raw == STDIN:
            yield STDIN
            continue
        if any(ch in raw for ch in "*?[") and not os.path.exists(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            yield from (m for m in matches if os.path.isfile(m)) if matches else [raw]
            continue
        path = Path(raw)
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if name.startswith(".") or name in _SKIPPED_NAMES:
                        continue
                    yield os.path.join(dirpath, name)
        else:
            yield raw


def detect_reader(doc: Document, options: LoadOptions) -> Reader:
    """Choose the format by content; the extension breaks ties; `--input-format` overrides."""
    if options.input_format:
        try:
            return READERS[options.input_format]
        except KeyError:
            known = ", ".join(sorted(READERS))
            raise ConfigError(
                f"unknown input format {options.input_format!r} (known: {known})"
            ) from None
    if options.csv_columns and doc.suffix in READERS["csv"].extensions:
        return READERS["csv"]  # a column mapping says what the file is, whatever its header
    scored: list[tuple[float, int, str]] = []
    for name, reader in READERS.items():
        score = reader.sniff(doc)
        if score > 0:
            scored.append((score, int(doc.suffix in reader.extensions), name))
    if not scored:
        if doc.looks_like_json:
            doc.json  # noqa: B018 - raises the precise JSON error (line, column) if it is broken
        raise FormatError(
            "format not recognised (use --input-format; `callqa formats` lists them)", doc.path
        )
    scored.sort(reverse=True)
    return READERS[scored[0][2]]


def load_document(doc: Document, options: LoadOptions) -> Iterator[LoadedCall | LoadFailure]:
    """Read one decoded document in its detected format."""
    if not doc.text.strip():
        yield LoadFailure(EmptyTranscriptError("file is empty", doc.path))
        return
    reader: Reader | None = None
    try:
        reader = detect_reader(doc, options)
        multi = False
        produced = 0
        for position, item in enumerate(reader.read(doc, options)):
            if isinstance(item, TranscriptError):
                yield LoadFailure(item)
                continue
            multi = multi or position > 0
            produced += 1
            pos = _position_of(item, position)
            yield _checked(item, Source(file=doc.path, position=pos, format=reader.name), options)
        if produced == 0 and reader.name not in ("jsonl", "csv"):
            yield LoadFailure(EmptyTranscriptError("no call found in the file", doc.path))
    except TranscriptError as exc:
        yield LoadFailure(exc)
    except RecursionError:
        yield LoadFailure(FormatError("input is nested too deeply", doc.path))
    except (KeyError, IndexError, TypeError, AttributeError, ValueError) as exc:
        # A document that passed detection (or was forced with --input-format) but lacks the
        # structure the reader needs. The message names the exception type only: its text could
        # quote the transcript.
        name = reader.name if reader else "the detected format"
        yield LoadFailure(
            FormatError(
                f"not valid {name} input (unexpected structure: {type(exc).__name__})", doc.path
            )
        )


def _checked(call: Call, source: Source, options: LoadOptions) -> LoadedCall | LoadFailure:
    """A call with nothing to judge, or too many turns to judge safely, is an error, not a skip."""
    if not any(turn.text.strip() for turn in call.turns):
        return LoadFailure(
            EmptyTranscriptError("the call has no turns", source.file, source.position)
        )
    if len(call.turns) > options.max_turns:
        return LoadFailure(
            TooLargeError(
                f"the call has {len(call.turns)} turns, over the limit of {options.max_turns}",
                source.file,
                source.position,
            )
        )
    return LoadedCall(call, source)


def _position_of(call: Call, index: int) -> int | None:
    pos = call.metadata.pop("_position", None)
    if isinstance(pos, int):
        return pos
    return index


def _read_file(path: str, options: LoadOptions) -> Document:
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise TranscriptError(f"cannot read: {exc.strerror or exc}", path) from None
    if size > options.max_bytes:
        raise TooLargeError(
            f"file is {size / 1e6:.0f} MB, over the {options.max_bytes / 1e6:.0f} MB limit "
            "(split it, or use JSONL, which is streamed)",
            path,
        )
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise TranscriptError(f"cannot read: {exc.strerror or exc}", path) from None
    text, encoding = decode_bytes(data, path)
    return Document(path=path, text=text, encoding=encoding)


def stream_jsonl(
    path: str, lines: Iterable[bytes], *, first_line: int = 0, options: LoadOptions | None = None
) -> Iterator[LoadedCall | LoadFailure]:
    """Read canonical JSONL line by line from raw bytes (a file, stdin, or a chunk of either)."""
    doc = Document(path=path, text="")
    options = options or LoadOptions()

    def decoded() -> Iterator[str]:
        for number, raw in enumerate(lines, start=first_line):
            if number == 0 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                yield "\x00"  # becomes a per-line JSON error naming the line

    for item in formats.canonical.read_jsonl_lines(decoded(), doc, first_line):
        if isinstance(item, TranscriptError):
            yield LoadFailure(item)
        else:
            position = int(item.metadata.pop("_position", 0) or 0)
            yield _checked(item, Source(file=path, position=position, format="jsonl"), options)


def _is_streamed_jsonl(path: str, options: LoadOptions) -> bool:
    if options.input_format not in (None, "jsonl"):
        return False
    return options.input_format == "jsonl" or path.lower().endswith(".jsonl")


def load_inputs(
    paths: Sequence[str], options: LoadOptions | None = None
) -> Iterator[LoadedCall | LoadFailure]:
    """Lazily load every input; yields calls and failures in a deterministic order."""
    options = options or LoadOptions()
    for path in iter_input_paths(paths):
        if path == STDIN:
            yield from stream_jsonl("<stdin>", sys.stdin.buffer, options=options)
            continue
        if not os.path.exists(path):
            yield LoadFailure(TranscriptError("no such file or directory", path))
            continue
        if _is_streamed_jsonl(path, options):
            try:
                with open(path, "rb") as handle:
                    yield from stream_jsonl(path, handle, options=options)
            except OSError as exc:
                yield LoadFailure(TranscriptError(f"cannot read: {exc.strerror or exc}", path))
            continue
        try:
            doc = _read_file(path, options)
        except TranscriptError as exc:
            yield LoadFailure(exc)
            continue
        except CallQAError:
            raise
        yield from load_document(doc, options)
