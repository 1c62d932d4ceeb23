"""Speech-to-text service outputs: Whisper / WhisperX (JSON and TSV), AssemblyAI, Deepgram, and
Podcasting 2.0 JSON transcripts.

None of them knows agent from customer: speakers are `SPEAKER_00`, `A`, `0`, or free names, and
`roles.py` decides. Units: Whisper JSON and Deepgram in float seconds, Whisper TSV and AssemblyAI
in integer milliseconds, Podcasting 2.0 in float seconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from callqa.errors import FormatError, TranscriptError
from callqa.load.base import Document, LoadOptions, Reader, register
from callqa.load.timing import Unit, offset_seconds
from callqa.load.turns import (
    Piece,
    Word,
    as_dict,
    as_list,
    build_call,
    group_words,
    merge_same_speaker,
    text_of,
)
from callqa.model import Call


def _label(value: object) -> str:
    return "" if value is None else str(value)


def _word_pieces(words: list[Any], text_key: str, unit: Unit) -> list[Piece]:
    return group_words(
        Word(
            text_of(w.get(text_key) or w.get("word") or w.get("text")),
            _label(w.get("speaker")),
            offset_seconds(w.get("start"), unit),
            offset_seconds(w.get("end"), unit),
        )
        for w in words
        if isinstance(w, dict)
    )


# --- Whisper / WhisperX JSON ---------------------------------------------------------------


def _sniff_whisper(doc: Document) -> float:
    value = doc.json_object()
    segments = value.get("segments") if value else None
    if not isinstance(segments, list) or not segments or not isinstance(segments[0], dict):
        return 0.0
    first = segments[0]
    if {"start", "end", "text"} <= first.keys():
        return 0.85 if ("text" in value or "language" in value) else 0.6  # type: ignore[operator]
    return 0.0


def _read_whisper(doc: Document, options: LoadOptions) -> Iterator[Call | TranscriptError]:
    value = as_dict(doc.json)
    segments = [s for s in as_list(value.get("segments")) if isinstance(s, dict)]
    words_have_speakers = any(
        isinstance(w, dict) and "speaker" in w for s in segments for w in as_list(s.get("words"))
    )
    if words_have_speakers and not any("speaker" in s for s in segments):
        # WhisperX assigns speakers per word; a segment may span a speaker change.
        words = [w for s in segments for w in as_list(s.get("words"))]
        pieces = _word_pieces(words, "word", "s")
    else:
        pieces = [
            Piece(
                _label(s.get("speaker")),
                text_of(s.get("text")),
                offset_seconds(s.get("start")),
                offset_seconds(s.get("end")),
            )
            for s in segments
        ]
    yield build_call(
        doc,
        pieces,
        language_code=value.get("language"),
        metadata={"vendor_format": "whisper-json"},
    )


# --- Whisper TSV ---------------------------------------------------------------------------

_TSV_HEADER = re.compile(r"^\ufeff?start\tend\t(text|speaker\ttext)\s*$", re.IGNORECASE)


def _sniff_whisper_tsv(doc: Document) -> float:
    first = doc.text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    return 0.95 if _TSV_HEADER.match(first) else 0.0


def _read_whisper_tsv(doc: Document, options: LoadOptions) -> Iterator[Call | TranscriptError]:
    lines = [ln.rstrip("\r") for ln in doc.text.lstrip("\ufeff").split("\n")]
    with_speaker = "speaker" in lines[0].lower()
    rows = [ln.split("\t") for ln in lines[1:] if ln.strip()]
    # Whisper writes integer milliseconds; a decimal point means seconds.
    unit: Unit = "s" if any("." in cell for row in rows for cell in row[:2]) else "ms"
    pieces = []
    for number, row in enumerate(rows, start=2):
        if len(row) < (4 if with_speaker else 3):
            raise FormatError(
                f"line {number}: expected start, end and text separated by tabs", doc.path
            )
        speaker = row[2] if with_speaker else ""
        text = "\t".join(row[3:] if with_speaker else row[2:])
        pieces.append(
            Piece(speaker, text, offset_seconds(row[0], unit), offset_seconds(row[1], unit))
        )
    yield build_call(doc, pieces, metadata={"vendor_format": "whisper-tsv"})


# --- AssemblyAI ----------------------------------------------------------------------------


def _sniff_assemblyai(doc: Document) -> float:
    value = doc.json_object()
    if not value or not ("utterances" in value or "words" in value):
        return 0.0
    markers = ("acoustic_model", "language_model", "speech_model", "audio_url", "speaker_labels")
    return 0.9 if any(m in value for m in markers) else 0.0


def _read_assemblyai(doc: Document, options: LoadOptions) -> Iterator[Call | TranscriptError]:
    value = as_dict(doc.json)
    utterances = [u for u in as_list(value.get("utterances")) if isinstance(u, dict)]
    if utterances:
        pieces = [
            Piece(
                _label(u.get("speaker")),
                text_of(u.get("text")),
                offset_seconds(u.get("start"), "ms"),
                offset_seconds(u.get("end"), "ms"),
            )
            for u in utterances
        ]
    elif as_list(value.get("words")):
        pieces = _word_pieces(as_list(value.get("words")), "text", "ms")
    else:
        pieces = [Piece("", text_of(value.get("text")))]
    yield build_call(
        doc,
        pieces,
        call_id=value.get("id"),
        language_code=value.get("language_code"),
        channel="voice",
        metadata={"vendor_format": "assemblyai"},
    )


# --- Deepgram ------------------------------------------------------------------------------


def _sniff_deepgram(doc: Document) -> float:
    value = doc.json_object()
    results = as_dict(value.get("results")) if value else {}
    if isinstance(results.get("channels"), list) or isinstance(results.get("utterances"), list):
        return 0.9
    return 0.0


def _deepgram_pieces(results: dict[str, Any]) -> list[Piece]:
    utterances = [u for u in as_list(results.get("utterances")) if isinstance(u, dict)]
    channels = [as_dict(c) for c in as_list(results.get("channels"))]
    several = len(channels) > 1

    def label(node: dict[str, Any], channel: int) -> str:
        if node.get("speaker") is not None:
            return _label(node.get("speaker"))
        return f"channel {node.get('channel', channel)}" if several else ""

    if utterances:
        return [
            Piece(
                label(u, 0),
                text_of(u.get("transcript")),
                offset_seconds(u.get("start")),
                offset_seconds(u.get("end")),
            )
            for u in utterances
        ]
    pieces: list[Piece] = []
    for number, channel in enumerate(channels):
        best = as_dict((as_list(channel.get("alternatives")) or [{}])[0])
        paragraphs = as_list(as_dict(best.get("paragraphs")).get("paragraphs"))
        if paragraphs:
            for paragraph in paragraphs:
                paragraph = as_dict(paragraph)
                sentences = [
                    text_of(as_dict(s).get("text")) for s in as_list(paragraph.get("sentences"))
                ]
                pieces.append(
                    Piece(
                        label(paragraph, number),
                        " ".join(s for s in sentences if s),
                        offset_seconds(paragraph.get("start")),
                        offset_seconds(paragraph.get("end")),
                    )
                )
        elif as_list(best.get("words")):
            words = [dict(as_dict(w)) for w in as_list(best.get("words"))]
            if several:
                for w in words:
                    w.setdefault("speaker", f"channel {number}")
            pieces.extend(_word_pieces(words, "punctuated_word", "s"))
        elif best.get("transcript"):
            pieces.append(Piece(label({}, number), text_of(best.get("transcript"))))
    if several:
        pieces.sort(key=lambda p: p.start if p.start is not None else float("inf"))
    return pieces


def _read_deepgram(doc: Document, options: LoadOptions) -> Iterator[Call | TranscriptError]:
    value = as_dict(doc.json)
    metadata = as_dict(value.get("metadata"))
    yield build_call(
        doc,
        _deepgram_pieces(as_dict(value.get("results"))),
        call_id=metadata.get("request_id"),
        channel="voice",
        metadata={"vendor_format": "deepgram"},
    )


# --- Podcasting 2.0 ------------------------------------------------------------------------


def _sniff_podcasting(doc: Document) -> float:
    value = doc.json_object()
    segments = value.get("segments") if value else None
    if isinstance(segments, list) and segments and isinstance(segments[0], dict):
        if "body" in segments[0] and "startTime" in segments[0]:
            return 0.9
    return 0.0


def _read_podcasting(doc: Document, options: LoadOptions) -> Iterator[Call | TranscriptError]:
    segments = [s for s in as_list(as_dict(doc.json).get("segments")) if isinstance(s, dict)]
    pieces = [
        Piece(
            _label(s.get("speaker")),
            text_of(s.get("body")),
            offset_seconds(s.get("startTime")),
            offset_seconds(s.get("endTime")),
        )
        for s in segments
    ]
    # Segments may be single words: join runs of the same speaker into turns.
    yield build_call(doc, merge_same_speaker(pieces), metadata={"vendor_format": "podcasting20"})


register(
    Reader(
        "whisper-json",
        "OpenAI Whisper / WhisperX / whisper-timestamped JSON (segments; speaker if diarized)",
        _sniff_whisper,
        _read_whisper,
        (".json",),
    )
)
register(
    Reader(
        "whisper-tsv",
        "Whisper TSV (start, end in ms, text; optional speaker column)",
        _sniff_whisper_tsv,
        _read_whisper_tsv,
        (".tsv",),
    )
)
register(
    Reader(
        "assemblyai",
        "AssemblyAI transcript JSON (utterances, else words grouped by speaker)",
        _sniff_assemblyai,
        _read_assemblyai,
        (".json",),
    )
)
register(
    Reader(
        "deepgram",
        "Deepgram pre-recorded JSON (utterances, else paragraphs, else words)",
        _sniff_deepgram,
        _read_deepgram,
        (".json",),
    )
)
register(
    Reader(
        "podcasting20",
        "Podcasting 2.0 JSON transcript (segments with speaker, startTime, body)",
        _sniff_podcasting,
        _read_podcasting,
        (".json",),
    )
)
