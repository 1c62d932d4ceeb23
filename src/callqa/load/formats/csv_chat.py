"""CSV (or TSV, or semicolon-separated) chat logs: one message per row, one or many calls per file.

Columns are found by their header names (`speaker`, `author`, `message`, `timestamp`, ...) or
mapped explicitly with `--csv-columns speaker=Author,text=Message`. Rows with the same call id
form one call, in first-seen order; without a call-id column the file is one call.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime

from callqa.errors import ConfigError, FormatError, TranscriptError
from callqa.load.base import Document, LoadOptions, Reader, register
from callqa.load.timing import instant, iso, looks_like_instant, offset_seconds, seconds_from_first
from callqa.load.turns import Piece, build_call
from callqa.model import Call, Role

FIELDS = ("call_id", "agent_id", "speaker", "role", "text", "start", "end")
"""The canonical fields a column can be mapped to with --csv-columns."""

_ALIASES: dict[str, tuple[str, ...]] = {
    "call_id": (
        "call_id",
        "callid",
        "call",
        "conversation_id",
        "conversation",
        "chat_id",
        "session_id",
        "contact_id",
        "ticket_id",
        "interaction_id",
        "transcript_id",
    ),
    "agent_id": ("agent_id", "agentid", "agent_name", "agent"),
    "speaker": (
        "speaker",
        "author",
        "sender",
        "from",
        "participant",
        "speaker_label",
        "name",
        "user",
        "דובר",
    ),
    "role": ("role", "participant_role", "speaker_role", "sender_type", "author_type", "תפקיד"),
    "text": (
        "text",
        "message",
        "content",
        "body",
        "utterance",
        "transcript",
        "msg",
        "הודעה",
        "טקסט",
    ),
    "start": (
        "timestamp",
        "time",
        "start",
        "start_time",
        "datetime",
        "created_at",
        "sent_at",
        "date",
        "offset",
        "זמן",
    ),
    "end": ("end", "end_time"),
}
_ROLE_VALUES: dict[str, Role] = {
    "agent": "agent",
    "representative": "agent",
    "rep": "agent",
    "operator": "agent",
    "נציג": "agent",
    "נציגה": "agent",
    "customer": "customer",
    "client": "customer",
    "caller": "customer",
    "visitor": "customer",
    "end_user": "customer",
    "לקוח": "customer",
    "לקוחה": "customer",
    "system": "other",
    "bot": "other",
    "ivr": "other",
}


def parse_column_mapping(spec: str) -> dict[str, str]:
    """`speaker=Author,text=Message` -> {"speaker": "Author", "text": "Message"}."""
    mapping: dict[str, str] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        field, sep, column = part.partition("=")
        field = field.strip().lower()
        if not sep or not column.strip() or field not in FIELDS:
            raise ConfigError(
                f"--csv-columns: expected FIELD=COLUMN with FIELD one of {', '.join(FIELDS)}; "
                f"got {part.strip()!r}"
            )
        mapping[field] = column.strip()
    return mapping


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _header(doc: Document) -> tuple[list[str], type[csv.Dialect] | csv.Dialect]:
    sample = doc.text[:8192]
    dialect = _dialect(sample)
    try:
        first = next(csv.reader(io.StringIO(sample, newline=""), dialect), [])
    except csv.Error:
        return [], dialect
    return [h.strip() for h in first], dialect


_DATA_LIKE = re.compile(r"\d{3}|@|[.,!?:;]\s")


def _listed(header: list[str]) -> str:
    """The header for an error message. The first line of a file without a header is a message,
    and errors never quote transcript text: cells that read like text hide the whole line."""
    if all(len(h) <= 32 and len(h.split()) <= 3 and not _DATA_LIKE.search(h) for h in header):
        return f"columns: {', '.join(header)}"
    return f"{len(header)} columns; the first line looks like a message, not a header, so it is not shown"


def _columns(header: list[str], mapping: dict[str, str], path: str) -> dict[str, int]:
    """Canonical field -> column index, from the explicit mapping first, then header aliases."""
    lowered = [h.lower().lstrip("\ufeff") for h in header]
    found: dict[str, int] = {}
    for field, column in mapping.items():
        if column.lower() not in lowered:
            raise FormatError(
                f"--csv-columns maps {field} to column {column!r}, which the header lacks "
                f"({_listed(header)})",
                path,
            )
        found[field] = lowered.index(column.lower())
    for field, names in _ALIASES.items():
        if field in found:
            continue
        for name in names:
            if name in lowered and lowered.index(name) not in found.values():
                found[field] = lowered.index(name)
                break
    return found


def _sniff(doc: Document) -> float:
    if doc.looks_like_json or doc.text.lstrip().startswith("WEBVTT"):
        return 0.0
    header, dialect = _header(doc)
    if len(header) < 2:
        return 0.0
    found = _columns(header, {}, doc.path)
    if "text" in found and ("speaker" in found or "role" in found):
        return 0.85
    if "text" in found and getattr(dialect, "delimiter", ",") in ",;|":
        return 0.3  # a CSV with a text column but no speaker: read it to say what is missing
    return 0.0


def _role_of(value: str) -> Role | None:
    return _ROLE_VALUES.get(value.strip().lower())


def _read(doc: Document, options: LoadOptions) -> Iterator[Call | TranscriptError]:
    header, dialect = _header(doc)
    columns = _columns(header, options.csv_columns, doc.path)
    if "text" not in columns or not ({"speaker", "role"} & columns.keys()):
        missing = "text" if "text" not in columns else "speaker"
        raise FormatError(
            f"CSV has no {missing} column ({_listed(header)}); "
            f"map one with --csv-columns {missing}=COLUMN",
            doc.path,
        )
    rows = csv.reader(io.StringIO(doc.text, newline=""), dialect)
    calls: dict[str, list[tuple[int, list[str]]]] = {}
    try:
        next(rows, None)
        for row in rows:
            if not any(cell.strip() for cell in row):
                continue
            key = _cell(row, columns.get("call_id"))
            calls.setdefault(key, []).append((rows.line_num, row))
    except csv.Error as exc:
        raise FormatError(f"malformed CSV at line {rows.line_num}: {exc}", doc.path) from None
    multi = "call_id" in columns and len(calls) > 1
    for position, (key, call_rows) in enumerate(calls.items()):
        try:
            yield _call(doc, key, call_rows, columns, position if multi else None)
        except TranscriptError as exc:
            if not multi:
                raise
            yield exc


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _call(
    doc: Document,
    key: str,
    rows: list[tuple[int, list[str]]],
    columns: dict[str, int],
    position: int | None,
) -> Call:
    starts_raw = [_cell(row, columns.get("start")) for _, row in rows]
    absolute = bool(starts_raw) and all(looks_like_instant(v) for v in starts_raw if v)
    moments: list[datetime | None] = []
    pieces: list[Piece] = []
    for (_, row), raw_start in zip(rows, starts_raw, strict=True):
        speaker = _cell(row, columns.get("speaker"))
        role_cell = _cell(row, columns.get("role"))
        role = _role_of(role_cell) if role_cell else _role_of(speaker) if speaker else None
        start = None if absolute else offset_seconds(raw_start) if raw_start else None
        end_raw = _cell(row, columns.get("end"))
        end = offset_seconds(end_raw) if end_raw and not absolute else None
        moments.append(instant(raw_start) if absolute and raw_start else None)
        pieces.append(Piece(speaker or role_cell, _cell(row, columns["text"]), start, end, role))
    if absolute:
        for piece, seconds in zip(pieces, seconds_from_first(moments), strict=True):
            piece.start = seconds
    agents = {_cell(row, columns.get("agent_id")) for _, row in rows} - {""}
    return build_call(
        doc,
        pieces,
        call_id=key or None,
        agent_id=agents.pop() if len(agents) == 1 else None,
        channel="chat",
        start_time=iso(min((m for m in moments if m), default=None)),
        position=position,
    )


register(
    Reader(
        "csv",
        "CSV/TSV chat log, one message per row (columns by header name or --csv-columns)",
        _sniff,
        _read,
        (".csv", ".tsv"),
    )
)
