"""Stage 1 helper: build canonical calls from the pieces a vendor format holds.

Readers turn their format into `Piece`s (a word, a cue, a segment, a message) and hand them to
`build_call`, which drops empty pieces, checks times and records what it repaired. Word-level
formats first go through `group_words`, which makes one turn per run of the same speaker.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from callqa.load.base import NOTES_KEY, Document
from callqa.model import Call, Role, Turn

_NO_SPACE_BEFORE = (".", ",", "?", "!", ":", ";", "%", ")", "…", "'s", "n't")


@dataclass
class Piece:
    """A stretch of speech or a message, before it becomes a `Turn`."""

    speaker: str
    text: str
    start: float | None = None
    end: float | None = None
    role: Role | None = None
    """Only when the format itself says agent/customer/other; otherwise `roles.py` decides."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Small per-turn vendor values worth keeping (e.g. sentiment)."""


@dataclass
class Word:
    text: str
    speaker: str = ""
    start: float | None = None
    end: float | None = None
    attach: bool = False
    """Punctuation that joins the previous word without a space."""


def join_words(words: Iterable[Word]) -> str:
    out: list[str] = []
    for word in words:
        text = word.text.strip()
        if not text:
            continue
        if out and not word.attach and not text.startswith(_NO_SPACE_BEFORE):
            out.append(" ")
        out.append(text)
    return "".join(out)


def group_words(words: Iterable[Word]) -> list[Piece]:
    """One piece per run of consecutive words by the same speaker (punctuation stays attached)."""
    pieces: list[Piece] = []
    run: list[Word] = []

    def flush() -> None:
        if run:
            starts = [w.start for w in run if w.start is not None]
            ends = [w.end for w in run if w.end is not None]
            pieces.append(
                Piece(
                    run[0].speaker,
                    join_words(run),
                    min(starts) if starts else None,
                    max(ends) if ends else None,
                )
            )
            run.clear()

    for word in words:
        if run and not word.attach and word.speaker != run[-1].speaker:
            flush()
        run.append(word)
    flush()
    return pieces


def merge_same_speaker(pieces: Iterable[Piece], separator: str = " ") -> list[Piece]:
    """Join consecutive pieces of the same known speaker (subtitle cues split mid-sentence)."""
    merged: list[Piece] = []
    for piece in pieces:
        last = merged[-1] if merged else None
        if last and piece.speaker and piece.speaker == last.speaker and piece.role == last.role:
            last.text = f"{last.text}{separator}{piece.text}".strip()
            if piece.end is not None:
                last.end = piece.end if last.end is None else max(last.end, piece.end)
            continue
        merged.append(Piece(piece.speaker, piece.text, piece.start, piece.end, piece.role))
    return merged


def drop_reversed_ends(pieces: Iterable[Piece]) -> int:
    """Forget end times that come before their start (a converter wrote a duration); count them."""
    dropped = 0
    for piece in pieces:
        if piece.start is not None and piece.end is not None and piece.end < piece.start:
            piece.end = None
            dropped += 1
    return dropped


def reversed_ends_warning(count: int, unit: str = "turn") -> list[str]:
    if not count:
        return []
    return [f"{count} {unit}(s) end before they start; their end times are ignored"]


def build_call(
    doc: Document,
    pieces: Iterable[Piece],
    *,
    call_id: object = None,
    agent_id: object = None,
    language_code: object = None,
    channel: str | None = None,
    start_time: str | None = None,
    metadata: dict[str, Any] | None = None,
    warnings: Iterable[str] = (),
    position: int | None = None,
) -> Call:
    """A canonical call from pieces; the call id defaults to the file name."""
    notes_warnings = list(warnings)
    if doc.repairs:
        notes_warnings.append(
            "the file is not strict JSON; read anyway after: " + "; ".join(doc.repairs)
        )
    pieces = list(pieces)
    notes_warnings += reversed_ends_warning(drop_reversed_ends(pieces))
    turns: list[Turn] = []
    for piece in pieces:
        text = piece.text.strip()
        if not text:
            continue
        turn = Turn(speaker=piece.speaker.strip(), text=text, start=piece.start, end=piece.end)
        if piece.role:
            turn.role = piece.role
        for key, value in piece.extra.items():
            setattr(turn, key, value)
        turns.append(turn)
    meta: dict[str, Any] = {k: v for k, v in (metadata or {}).items() if v not in (None, "", [])}
    if language_code:
        meta["language_code"] = str(language_code)
    if notes_warnings:
        meta[NOTES_KEY] = {"warnings": notes_warnings}
    if position is not None:
        meta["_position"] = position  # taken back out by the loader into Source
    suffix = "" if position is None else f"-{position}"
    return Call(
        call_id=str(call_id) if call_id not in (None, "") else f"{doc.stem}{suffix}",
        agent_id=str(agent_id) if agent_id not in (None, "") else "unknown",
        language=language_from_code(language_code),
        channel=channel,
        start_time=start_time,
        metadata=meta,
        turns=turns,
    )


def language_from_code(code: object) -> Any:
    """en / he from a vendor locale (en-US, en_us, he-IL, iw); None lets detection decide."""
    if not isinstance(code, str) or not code:
        return None
    base = code.replace("_", "-").split("-")[0].lower()
    return {"en": "en", "he": "he", "iw": "he"}.get(base)


def text_of(value: object) -> str:
    """A string field that vendors sometimes write as null or a number."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def as_dict(value: object) -> dict[str, Any]:
    """A JSON object, or an empty one when the value is anything else."""
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[Any]:
    """A JSON array, or an empty one when the value is anything else."""
    return value if isinstance(value, list) else []
