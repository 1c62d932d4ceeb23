"""Amazon formats: Transcribe (standard and Call Analytics), Connect Contact Lens, Bedrock BDA.

- Transcribe standard: word items with `speaker_label` (diarization) or `channel_label` (channel
  identification), times as string seconds; grouped into turns by speaker change. Newer jobs also
  have `audio_segments`, which are used as turns when present.
- Transcribe Call Analytics and Contact Lens voice: `Transcript[]` turns in integer milliseconds,
  with the role in `ParticipantRole` (Call Analytics) or `ParticipantId` (Contact Lens).
- Contact Lens chat: `Transcript[]` messages with absolute ISO times and `ParticipantRole`;
  EVENT items (joined, left, ended) are not turns.
- Bedrock Data Automation standard output: `audio_segments[]` with `spk_N` labels and no roles.
  The custom (blueprint) output holds no transcript and is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from callqa.errors import FormatError, TranscriptError
from callqa.load.base import Document, LoadOptions, Reader, register
from callqa.load.timing import instant, iso, offset_seconds, seconds_from_first
from callqa.load.turns import Piece, Word, build_call, group_words, text_of
from callqa.model import Call, Role

_ROLES: dict[str, Role] = {"AGENT": "agent", "CUSTOMER": "customer", "SYSTEM": "other"}


def _role(value: object) -> Role | None:
    return _ROLES.get(str(value).upper()) if value else None


# --- Transcribe standard -------------------------------------------------------------------


def _sniff_transcribe(doc: Document) -> float:
    value = doc.json_object()
    results = value.get("results") if value else None
    if isinstance(results, dict) and ("items" in results or "audio_segments" in results):
        return 0.9 if "transcripts" in results else 0.7
    return 0.0


def _label_by_start(results: dict[str, Any]) -> dict[str, str]:
    """Older jobs put the speaker only in speaker_labels / channel_labels, keyed by start time."""
    labels: dict[str, str] = {}
    for segment in (results.get("speaker_labels") or {}).get("segments") or []:
        for item in segment.get("items") or []:
            labels[str(item.get("start_time"))] = str(item.get("speaker_label") or "")
    for channel in (results.get("channel_labels") or {}).get("channels") or []:
        for item in channel.get("items") or []:
            labels.setdefault(str(item.get("start_time")), str(channel.get("channel_label") or ""))
    return labels


def _transcribe_words(results: dict[str, Any]) -> list[Word]:
    by_start = _label_by_start(results)
    words: list[Word] = []
    for item in results.get("items") or []:
        if not isinstance(item, dict):
            continue
        alternatives = item.get("alternatives") or [{}]
        content = text_of(alternatives[0].get("content"))
        punctuation = item.get("type") == "punctuation"
        speaker = item.get("speaker_label") or item.get("channel_label")
        if speaker is None and not punctuation:
            speaker = by_start.get(str(item.get("start_time")), "")
        words.append(
            Word(
                content,
                str(speaker or (words[-1].speaker if words else "")),
                offset_seconds(item.get("start_time")),
                offset_seconds(item.get("end_time")),
                attach=punctuation,
            )
        )
    if any(w.start is not None for w in words) and "channel_labels" in results:
        # Channel items interleave by time, not by channel: order words by time, punctuation
        # staying behind its word.
        words = _time_ordered(words)
    return words


def _time_ordered(words: list[Word]) -> list[Word]:
    units: list[list[Word]] = []
    for word in words:
        if word.attach and units:
            units[-1].append(word)
        else:
            units.append([word])
    units.sort(key=lambda unit: unit[0].start if unit[0].start is not None else float("inf"))
    return [word for unit in units for word in unit]


def _read_transcribe(doc: Document, options: LoadOptions) -> Iterator[Call | TranscriptError]:
    value = doc.json
    results = value["results"]
    segments = results.get("audio_segments")
    if isinstance(segments, list) and segments:
        pieces = [
            Piece(
                str(s.get("speaker_label") or s.get("channel_label") or ""),
                text_of(s.get("transcript")),
                offset_seconds(s.get("start_time")),
                offset_seconds(s.get("end_time")),
            )
            for s in segments
            if isinstance(s, dict)
        ]
    else:
        pieces = group_words(_transcribe_words(results))
    yield build_call(doc, pieces, call_id=value.get("jobName"), channel="voice")


# --- Transcribe Call Analytics and Connect Contact Lens ------------------------------------


def _is_contact_lens(value: dict[str, Any]) -> bool:
    return str(value.get("Version", "")).startswith(("VOICE-", "CHAT-"))


def _sniff_call_analytics(doc: Document) -> float:
    value = doc.json_object()
    if not value or not isinstance(value.get("Transcript"), list):
        return 0.0
    if _is_contact_lens(value):
        return 0.95
    if "JobName" in value or "ConversationCharacteristics" in value or "Participants" in value:
        return 0.9
    return 0.0


def _read_call_analytics(doc: Document, options: LoadOptions) -> Iterator[Call | TranscriptError]:
    value = doc.json
    if str(value.get("Channel", "")).upper() == "CHAT" or str(value.get("Version", "")).startswith(
        "CHAT-"
    ):
        yield _contact_lens_chat(doc, value)
        return
    pieces: list[Piece] = []
    for turn in value["Transcript"]:
        if not isinstance(turn, dict):
            continue
        label = str(turn.get("ParticipantRole") or turn.get("ParticipantId") or "")
        extra = {"sentiment": turn["Sentiment"]} if turn.get("Sentiment") else {}
        pieces.append(
            Piece(
                label,
                text_of(turn.get("Content")),
                offset_seconds(turn.get("BeginOffsetMillis"), "ms"),
                offset_seconds(turn.get("EndOffsetMillis"), "ms"),
                _role(label),
                extra,
            )
        )
    yield build_call(
        doc,
        pieces,
        call_id=value.get("JobName") or _contact_id(value),
        language_code=value.get("LanguageCode"),
        channel="voice",
        metadata=_analytics_metadata(value),
    )


def _contact_id(value: dict[str, Any]) -> object:
    return (value.get("CustomerMetadata") or {}).get("ContactId")


def _analytics_metadata(value: dict[str, Any]) -> dict[str, Any]:
    characteristics = value.get("ConversationCharacteristics") or {}
    sentiment = (characteristics.get("Sentiment") or {}).get("OverallSentiment")
    categories = (value.get("Categories") or {}).get("MatchedCategories")
    output = (value.get("ContentMetadata") or {}).get("Output")
    return {
        "vendor_format": value.get("Version") or "transcribe-call-analytics",
        "overall_sentiment": sentiment,
        "matched_categories": categories,
        "redacted": output == "Redacted" or None,
    }


def _contact_lens_chat(doc: Document, value: dict[str, Any]) -> Call:
    messages = [
        t
        for t in value["Transcript"]
        if isinstance(t, dict) and t.get("Type", "MESSAGE") == "MESSAGE" and t.get("Content")
    ]
    moments = [instant(m.get("AbsoluteTime")) for m in messages]
    pieces = [
        Piece(
            _display_name(m) or str(m.get("ParticipantRole") or ""),
            text_of(m.get("Content")),
            seconds,
            None,
            _role(m.get("ParticipantRole")),
        )
        for m, seconds in zip(messages, seconds_from_first(moments), strict=True)
    ]
    agents = {
        _display_name(p)
        for p in value.get("Participants") or []
        if isinstance(p, dict) and p.get("ParticipantRole") == "AGENT" and _display_name(p)
    }
    return build_call(
        doc,
        pieces,
        call_id=_contact_id(value),
        agent_id=agents.pop() if len(agents) == 1 else None,
        language_code=value.get("LanguageCode"),
        channel="chat",
        start_time=iso(min((m for m in moments if m), default=None)),
        metadata=_analytics_metadata(value),
    )


def _display_name(participant: dict[str, Any]) -> str:
    """The display name, unless redaction replaced it with a placeholder such as `[PII]`."""
    name = text_of(participant.get("DisplayName")).strip()
    return "" if re.fullmatch(r"\[[A-Z_]+\]", name) else name


# --- Bedrock Data Automation ---------------------------------------------------------------


def _sniff_bda(doc: Document) -> float:
    value = doc.json_object()
    if not value:
        return 0.0
    if isinstance(value.get("audio_segments"), list) and "metadata" in value:
        return 0.9
    if "matched_blueprint" in value and "inference_result" in value:
        return 0.9
    return 0.0


def _read_bda(doc: Document, options: LoadOptions) -> Iterator[Call | TranscriptError]:
    value = doc.json
    if not isinstance(value.get("audio_segments"), list):
        raise FormatError(
            "Bedrock Data Automation custom (blueprint) output holds generated fields but no "
            "transcript; audit the standard output of the same job instead",
            doc.path,
        )
    pieces = [
        Piece(
            str((s.get("speaker") or {}).get("speaker_label") or ""),
            text_of(s.get("text")),
            offset_seconds(s.get("start_timestamp_millis"), "ms"),
            offset_seconds(s.get("end_timestamp_millis"), "ms"),
        )
        for s in value["audio_segments"]
        if isinstance(s, dict) and s.get("type", "TRANSCRIPT") == "TRANSCRIPT"
    ]
    meta = value.get("metadata") or {}
    yield build_call(
        doc,
        pieces,
        call_id=meta.get("asset_id") if meta.get("asset_id") not in (None, "0") else None,
        language_code=meta.get("dominant_asset_language"),
        channel="voice",
        metadata={"vendor_format": "bedrock-data-automation-standard"},
    )


register(
    Reader(
        "transcribe",
        "Amazon Transcribe JSON (results.items with speaker or channel labels)",
        _sniff_transcribe,
        _read_transcribe,
        (".json",),
    )
)
register(
    Reader(
        "call-analytics",
        "Amazon Transcribe Call Analytics and Connect Contact Lens (voice and chat) JSON",
        _sniff_call_analytics,
        _read_call_analytics,
        (".json",),
    )
)
register(
    Reader(
        "bedrock-bda",
        "Amazon Bedrock Data Automation audio standard output (custom output is refused)",
        _sniff_bda,
        _read_bda,
        (".json",),
    )
)
