"""Canonical JSON (one call, or a list of calls) and JSONL (one call per line)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from pydantic import ValidationError

from callqa.errors import FormatError, TranscriptError
from callqa.load.base import NOTES_KEY, Document, LoadOptions, Reader, register
from callqa.model import Call


def call_from_mapping(data: Any, doc: Document, position: int | None = None) -> Call:
    """Validate one canonical call; the error names the file, position and field."""
    if not isinstance(data, dict):
        raise FormatError("a call must be a JSON object", doc.path, position)
    data = dict(data)
    if "call_id" not in data or data.get("call_id") in (None, ""):
        # A file holding one call may omit its id: the file name is the id.
        suffix = "" if position is None else f"-{position}"
        data["call_id"] = f"{doc.stem}{suffix}"
    else:
        data["call_id"] = str(data["call_id"])
    if "agent_id" in data and data["agent_id"] is not None:
        data["agent_id"] = str(data["agent_id"])
    warnings = _time_warnings(data.get("turns"))
    try:
        call = Call.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise FormatError(
            f"not a valid call: {where}: {first['msg']}", doc.path, position
        ) from None
    if doc.repairs:
        warnings.append("the file is not strict JSON; read anyway after: " + "; ".join(doc.repairs))
    if warnings:
        notes = call.metadata.get(NOTES_KEY)
        notes = notes if isinstance(notes, dict) else {}
        call.metadata[NOTES_KEY] = {**notes, "warnings": [*notes.get("warnings", []), *warnings]}
    if position is not None:
        call.metadata["_position"] = position  # taken back out by the loader into Source
    return call


def _not_finite(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return False
    try:
        return not math.isfinite(float(value))
    except (ValueError, OverflowError):
        return False


def _time_warnings(turns: Any) -> list[str]:
    """The model forgets NaN and infinite times; say so instead of doing it silently."""
    if not isinstance(turns, list):
        return []
    bad = [
        index
        for index, turn in enumerate(turns)
        if isinstance(turn, dict) and any(_not_finite(turn.get(k)) for k in ("start", "end"))
    ]
    if not bad:
        return []
    return [
        f"{len(bad)} turn(s) have times that are not numbers (NaN or infinity; first: turn "
        f"{bad[0]}); those times are ignored"
    ]


def _is_canonical_call(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("turns"), list)
        and all(isinstance(t, dict) and "text" in t for t in value["turns"][:5])
    )


def _sniff_json(doc: Document) -> float:
    value = doc.json_or_none()
    if _is_canonical_call(value):
        return 0.95
    if isinstance(value, list) and value and all(_is_canonical_call(v) for v in value[:3]):
        return 0.9
    return 0.0


def _read_json(doc: Document, options: LoadOptions) -> Iterator[Call | TranscriptError]:
    value = doc.json
    if isinstance(value, list):
        for position, item in enumerate(value):
            try:
                yield call_from_mapping(item, doc, position)
            except TranscriptError as exc:
                yield exc
    else:
        yield call_from_mapping(value, doc)


def _sniff_jsonl(doc: Document) -> float:
    lines = [ln for ln in doc.text.splitlines()[:3] if ln.strip()]
    if len(lines) < 1 or not all(ln.lstrip().startswith("{") for ln in lines):
        return 0.0
    try:
        first = json.loads(lines[0])
    except (json.JSONDecodeError, RecursionError):
        return 0.0
    if not _is_canonical_call(first):
        return 0.0
    return 0.97 if len(lines) > 1 or doc.suffix == ".jsonl" else 0.5


def read_jsonl_lines(
    lines: Iterable[str], doc: Document, first_line: int = 0
) -> Iterator[Call | TranscriptError]:
    """Read canonical calls line by line; a bad line is an error for that line only.

    A call's position is its 0-based line number in the file.
    """
    for position, line in enumerate(lines, start=first_line):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield FormatError(f"invalid JSON on line {position + 1}: {exc.msg}", doc.path, position)
            continue
        except RecursionError:
            yield FormatError(f"JSON nested too deeply on line {position + 1}", doc.path, position)
            continue
        try:
            yield call_from_mapping(data, doc, position)
        except TranscriptError as exc:
            yield exc


def _read_jsonl(doc: Document, options: LoadOptions) -> Iterator[Call | TranscriptError]:
    yield from read_jsonl_lines(iter(doc.text.splitlines()), doc)


def call_record(call: Call) -> dict[str, Any]:
    """A call as canonical JSON types, which every reader of the pipeline accepts back.

    callqa's own notes (warnings, how the roles were settled) are left out: the roles they
    explain are written on the turns.
    """
    record = call.model_dump(mode="json")
    record["metadata"] = {
        k: v for k, v in record["metadata"].items() if k not in (NOTES_KEY, "_position")
    }
    return record


def dump_call(call: Call, *, indent: int | None = 2) -> str:
    """One call as canonical JSON (UTF-8 text kept readable: Hebrew stays Hebrew)."""
    return json.dumps(call_record(call), ensure_ascii=False, indent=indent)


def write_jsonl(calls: Iterable[Call], out: TextIO) -> int:
    """Write calls as canonical JSONL, one per line; returns how many were written."""
    count = 0
    for call in calls:
        out.write(dump_call(call, indent=None) + "\n")
        count += 1
    return count


register(
    Reader("json", "canonical callqa JSON: one call or a list", _sniff_json, _read_json, (".json",))
)
register(
    Reader(
        "jsonl", "canonical callqa JSONL: one call per line", _sniff_jsonl, _read_jsonl, (".jsonl",)
    )
)
