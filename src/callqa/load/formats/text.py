"""Plain text with a speaker prefix on each turn: `Agent: ...`, `נציגה: ...`, `[SPEAKER_00]: ...`.

A line without a prefix continues the turn above it. An optional leading time (`[00:01:23]`,
`00:12`) becomes the turn's start. Which label is the agent is settled later, in `roles.py`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from callqa.errors import TranscriptError
from callqa.load.base import Document, LoadOptions, Reader, register
from callqa.load.timing import offset_seconds
from callqa.load.turns import Piece, build_call
from callqa.model import Call

_BIDI = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
)
_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_LINE = re.compile(
    rf"^\s*(?:[\[(]?(?P<time>{_TIME})[\])]?\s*[-–]?\s*)?"
    r"(?:\[(?P<bracketed>[^\]\n]{1,40})\]\s*[:：]?|(?P<plain>[^\s:：\[\]{}\"',;|\t][^:：\[\]{}\"',;|\t\n]{0,39}?)\s*[:：])"
    r"(?:\s+|$)(?P<text>.*)$"
)
_SPEAKER_ID = re.compile(r"^(speaker|spk|ch|channel)[ _-]?\d+$|^[A-Z]$", re.IGNORECASE)
_ROLE_WORDS = {
    "agent",
    "customer",
    "caller",
    "client",
    "representative",
    "rep",
    "operator",
    "נציג",
    "נציגה",
    "לקוח",
    "לקוחה",
    "מוקדן",
    "מוקדנית",
}


def _label_of(line: str) -> tuple[str, str, str | None] | None:
    """(label, text, time) for a prefixed line, None for a continuation line."""
    match = _LINE.match(line)
    if not match:
        return None
    label = (match.group("bracketed") or match.group("plain") or "").strip()
    if not label or len(label.split()) > 4 or re.search(r"https?|www\.|[.!?]$", label):
        return None
    return label, match.group("text").strip(), match.group("time")


def _is_known_label(label: str) -> bool:
    return label.lower() in _ROLE_WORDS or bool(_SPEAKER_ID.match(label))


def _lines(doc: Document) -> list[str]:
    return [ln.translate(_BIDI) for ln in doc.text.splitlines()]


def _sniff(doc: Document) -> float:
    if "-->" in doc.text[:2000] or doc.text.lstrip().startswith("WEBVTT"):
        return 0.0
    if doc.json_or_none() is not None:  # `[SPEAKER_00]: ...` starts like JSON but is not
        return 0.0
    lines = [ln for ln in _lines(doc)[:200] if ln.strip()]
    if not lines:
        return 0.0
    labels = [found[0] for ln in lines if (found := _label_of(ln))]
    if len(labels) < max(1, 0.6 * len(lines)):
        return 0.0
    counts = Counter(label.lower() for label in labels)
    if any(_is_known_label(label) for label in labels):
        return 0.8
    if len(counts) <= 8 and max(counts.values()) >= 2:
        return 0.5  # a few free-text names, each used repeatedly (Travis:, Sarah:)
    return 0.0


def _read(doc: Document, options: LoadOptions) -> Iterator[Call | TranscriptError]:
    pieces: list[Piece] = []
    for line in _lines(doc):
        if not line.strip():
            continue
        found = _label_of(line)
        if found is None:
            if pieces:
                pieces[-1].text = f"{pieces[-1].text} {line.strip()}"
            else:
                pieces.append(Piece("", line.strip()))
            continue
        label, text, time = found
        pieces.append(Piece(label, text, offset_seconds(time) if time else None))
    yield build_call(doc, pieces)


register(
    Reader(
        "text",
        "plain text, one turn per line with a speaker prefix (Agent: / נציג: / [SPEAKER_00]: / spk_0:)",
        _sniff,
        _read,
        (".txt",),
    )
)
