"""Google CCAI Insights conversation data (chat): `entries[]` with epoch-microsecond times.

Each entry has `text`, `role` (AGENT / CUSTOMER) and `user_id`; times are absolute
(`start_timestamp_usec`) and become seconds from the first entry.
"""

from __future__ import annotations

from collections.abc import Iterator

from callqa.errors import TranscriptError
from callqa.load.base import Document, LoadOptions, Reader, register
from callqa.load.timing import instant, iso, seconds_from_first
from callqa.load.turns import Piece, as_dict, build_call, text_of
from callqa.model import Call, Role

_ROLES: dict[str, Role] = {"AGENT": "agent", "HUMAN_AGENT": "agent", "CUSTOMER": "customer"}


def _sniff(doc: Document) -> float:
    value = doc.json_object()
    entries = value.get("entries") if value else None
    if isinstance(entries, list) and entries and isinstance(entries[0], dict):
        if "text" in entries[0] and ("role" in entries[0] or "start_timestamp_usec" in entries[0]):
            return 0.9
    return 0.0


def _read(doc: Document, options: LoadOptions) -> Iterator[Call | TranscriptError]:
    entries = [e for e in as_dict(doc.json).get("entries") or [] if isinstance(e, dict)]
    moments = [instant(e.get("start_timestamp_usec"), "us") for e in entries]
    pieces: list[Piece] = []
    for entry, seconds in zip(entries, seconds_from_first(moments), strict=True):
        role_label = str(entry.get("role") or "")
        label = role_label or f"user {entry.get('user_id', '')}".strip()
        role = _ROLES.get(role_label.upper())
        pieces.append(Piece(label, text_of(entry.get("text")), seconds, None, role))
    value = as_dict(doc.json)
    info = as_dict(value.get("conversation_info"))
    # user_id numbers participants within one conversation; it is not the agent's identity.
    yield build_call(
        doc,
        pieces,
        call_id=value.get("conversation_id") or info.get("conversation_id"),
        agent_id=value.get("agent_id") or info.get("agent_id"),
        channel="chat",
        start_time=iso(min((m for m in moments if m), default=None)),
    )


register(
    Reader(
        "ccai-insights",
        "Google CCAI Insights conversation JSON (entries[] with role and epoch-µs times)",
        _sniff,
        _read,
        (".json",),
    )
)
