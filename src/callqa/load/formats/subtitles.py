"""WebVTT and SRT subtitles, as ASR tools and contact-centre recorders export them.

The speaker comes from a `<v Name>` voice tag, a `[SPEAKER_00]:` prefix or a `Name:` prefix. Some
exports name the speaker only on the cue where it changes, so an unlabelled cue continues the
previous speaker. Cues are display chunks that break mid-sentence, so consecutive cues of the same
speaker are joined into one turn. Tolerated: a surrounding Markdown fence, CRLF line endings,
HTML entities, `MM:SS.mmm` times, and cues whose end is before their start (the end is dropped).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from callqa.errors import FormatError, TranscriptError
from callqa.load.base import Document, LoadOptions, Reader, register
from callqa.load.decode import strip_markdown_fence
from callqa.load.timing import offset_seconds
from callqa.load.turns import (
    Piece,
    build_call,
    drop_reversed_ends,
    merge_same_speaker,
    reversed_ends_warning,
)
from callqa.model import Call

_TIME = r"(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}"
_TIMING = re.compile(rf"^\s*(?P<start>{_TIME})\s*-->\s*(?P<end>{_TIME})(?:\s+.*)?$")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+(?P<name>[^>]+)>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-z][^>]*>|<\d[\d:.]*>", re.IGNORECASE)
_BRACKET_PREFIX = re.compile(r"^\s*\[(?P<name>[^\]\n]{1,40})\]\s*:?\s*")
_NAME_PREFIX = re.compile(r"^\s*(?P<name>[^\W\d][\w'.-]*(?: [^\W\d][\w'.-]*){0,2})\s*:\s+(?=\S)")
_FENCE_END = re.compile(r"\s*```\s*$")


def _blocks(text: str) -> list[list[str]]:
    text = strip_markdown_fence(text.replace("\r\n", "\n").replace("\r", "\n"))
    if text.lstrip().startswith("```"):  # an unterminated fence line (```WEBVTT ... no closing)
        text = text.lstrip()[3:]
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _speaker_and_text(lines: list[str], named_prefixes: bool) -> tuple[str | None, str]:
    """The cue's own speaker label (None when it has none) and its plain text."""
    raw = " ".join(line.strip() for line in lines)
    raw = _FENCE_END.sub("", raw)
    speaker = None
    if voice := _VOICE.search(raw):
        speaker = voice.group("name").strip()
    text = html.unescape(_TAG.sub("", raw)).strip()
    if speaker is None:
        if prefix := _BRACKET_PREFIX.match(text):
            speaker, text = prefix.group("name").strip(), text[prefix.end() :]
        elif named_prefixes and (prefix := _NAME_PREFIX.match(text)):
            speaker, text = prefix.group("name").strip(), text[prefix.end() :]
    return speaker, " ".join(text.split())


def _cues(doc: Document) -> list[tuple[str, str, list[str]]]:
    """(start, end, text lines) for every cue; header, NOTE, STYLE and REGION blocks skipped."""
    cues: list[tuple[str, str, list[str]]] = []
    for block in _blocks(doc.text):
        for i, line in enumerate(block[:3]):
            if match := _TIMING.match(line):
                cues.append((match.group("start"), match.group("end"), block[i + 1 :]))
                break
    return cues


def _pieces(doc: Document) -> list[Piece]:
    cues = _cues(doc)
    texts = [" ".join(lines) for _, _, lines in cues]
    # A `Name:` prefix counts as a speaker only when the file uses the same few names repeatedly.
    names = [m.group("name") for t in texts if (m := _NAME_PREFIX.match(_TAG.sub("", t)))]
    named_prefixes = len(names) >= 2 and len(set(names)) <= max(1, len(names) // 2)
    pieces: list[Piece] = []
    current = ""
    for start, end, lines in cues:
        speaker, text = _speaker_and_text(lines, named_prefixes)
        if speaker is not None:
            current = speaker
        pieces.append(Piece(current, text, offset_seconds(start), offset_seconds(end)))
    return pieces


def _read(doc: Document, options: LoadOptions) -> Iterator[Call | TranscriptError]:
    pieces = _pieces(doc)
    if not pieces:
        raise FormatError("no subtitle cues (start --> end lines) found", doc.path)
    reversed_ends = drop_reversed_ends(pieces)  # before merging, so that each cue counts once
    yield build_call(
        doc, merge_same_speaker(pieces), warnings=reversed_ends_warning(reversed_ends, "cue")
    )


def _head(doc: Document) -> str:
    return doc.text.lstrip("\ufeff \r\n\t")[:200]


def _sniff_vtt(doc: Document) -> float:
    head = _head(doc)
    if head.startswith("WEBVTT") or head.startswith("```WEBVTT"):
        return 0.95
    return 0.0


def _sniff_srt(doc: Document) -> float:
    lines = _head(doc).splitlines()
    if len(lines) >= 2 and lines[0].strip().isdigit() and _TIMING.match(lines[1]):
        return 0.9
    return 0.0


register(
    Reader(
        "webvtt",
        "WebVTT subtitles; speakers from <v Name> tags or [SPEAKER_00]: / Name: prefixes",
        _sniff_vtt,
        _read,
        (".vtt",),
    )
)
register(
    Reader(
        "srt",
        "SRT subtitles; speakers from [SPEAKER_00]: / Name: prefixes (named on change only is fine)",
        _sniff_srt,
        _read,
        (".srt",),
    )
)
