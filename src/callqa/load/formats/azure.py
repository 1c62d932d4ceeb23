"""Microsoft Azure formats: AI Speech batch and fast transcription, Content Understanding, and
AI Language conversation items (the call-center quickstart's analytics output).

- Speech batch (REST v3.x): `recognizedPhrases[]` with `nBest[0].display`, times as ISO 8601
  durations (`PT4.55S`) and 100-ns ticks; `speaker` (diarization) or `channel`; no roles.
- Speech fast: `phrases[]` with `text`, `offsetMilliseconds`, `durationMilliseconds`, `speaker`.
- Content Understanding: `result.contents[].transcriptPhrases[]`, times in ms, and `speaker`
  "Agent" / "Customer" when role detection is on.
- Language conversations: `conversationItems[]` (text or `redactedContent.text`, `channel` or
  `participantId`, ISO duration `offset`), one call per conversation.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from callqa.errors import FormatError, TranscriptError
from callqa.load.base import Document, LoadOptions, Reader, register
from callqa.load.timing import offset_seconds
from callqa.load.turns import Piece, as_dict, as_list, build_call, text_of
from callqa.model import Call, Role

_ROLES: dict[str, Role] = {"agent": "agent", "customer": "customer"}


def _label(phrase: dict[str, Any], several_channels: bool) -> str:
    """Diarized speaker number, else the channel when the audio has more than one."""
    if phrase.get("speaker") not in (None, ""):
        return str(phrase["speaker"])
    if several_channels and phrase.get("channel") not in (None, ""):
        return f"channel {phrase['channel']}"
    return ""


def _end(start: float | None, duration: float | None) -> float | None:
    return None if start is None or duration is None else start + duration


def _in_time_order(pieces: list[Piece], several_channels: bool) -> list[Piece]:
    """Stereo results may list each channel's phrases in turn; a call reads in time order."""
    if not several_channels:
        return pieces
    return sorted(pieces, key=lambda p: p.start if p.start is not None else float("inf"))


# --- Speech batch transcription ------------------------------------------------------------


def _sniff_batch(doc: Document) -> float:
    value = doc.json_object()
    if not value:
        return 0.0
    if isinstance(value.get("recognizedPhrases"), list):
        return 0.9
    if isinstance(value.get("nBest"), list) or isinstance(
        value.get("combinedRecognizedPhrases"), list
    ):
        return 0.6
    return 0.0


def _read_batch(doc: Document, options: LoadOptions) -> Iterator[Call | TranscriptError]:
    value = as_dict(doc.json)
    phrases = [p for p in as_list(value.get("recognizedPhrases")) if isinstance(p, dict)]
    if not phrases:
        raise FormatError(
            "an Azure Speech batch result without recognizedPhrases (an excerpt with parts "
            "elided, as printed in the docs?): turns, speakers and times cannot be read",
            doc.path,
        )
    several_channels = len({p.get("channel") for p in phrases}) > 1
    pieces: list[Piece] = []
    for phrase in phrases:
        if phrase.get("recognitionStatus", "Success") != "Success":
            continue
        best = as_dict((as_list(phrase.get("nBest")) or [{}])[0])
        start = offset_seconds(phrase.get("offsetInTicks"), "ticks")
        if start is None:
            start = offset_seconds(phrase.get("offset"))
        duration = offset_seconds(phrase.get("durationInTicks"), "ticks")
        if duration is None:
            duration = offset_seconds(phrase.get("duration"))
        text = text_of(best.get("display") or best.get("itn") or best.get("lexical"))
        pieces.append(Piece(_label(phrase, several_channels), text, start, _end(start, duration)))
    locales = {p.get("locale") for p in phrases if p.get("locale")}
    yield build_call(
        doc,
        _in_time_order(pieces, several_channels),
        language_code=locales.pop() if len(locales) == 1 else None,
        channel="voice",
        start_time=value.get("timestamp") if isinstance(value.get("timestamp"), str) else None,
        metadata={"vendor_format": "azure-speech-batch"},
    )


# --- Speech fast transcription -------------------------------------------------------------


def _sniff_fast(doc: Document) -> float:
    value = doc.json_object()
    phrases = value.get("phrases") if value else None
    if (
        isinstance(phrases, list)
        and (
            "combinedPhrases" in value  # type: ignore[operator]
            or any(isinstance(p, dict) and "offsetMilliseconds" in p for p in phrases[:3])
        )
    ):
        return 0.9
    return 0.0


def _read_fast(doc: Document, options: LoadOptions) -> Iterator[Call | TranscriptError]:
    phrases = [p for p in as_list(as_dict(doc.json).get("phrases")) if isinstance(p, dict)]
    several_channels = len({p.get("channel") for p in phrases}) > 1
    pieces: list[Piece] = []
    for phrase in phrases:
        start = offset_seconds(phrase.get("offsetMilliseconds"), "ms")
        duration = offset_seconds(phrase.get("durationMilliseconds"), "ms")
        pieces.append(
            Piece(
                _label(phrase, several_channels),
                text_of(phrase.get("text")),
                start,
                _end(start, duration),
            )
        )
    locales = {p.get("locale") for p in phrases if p.get("locale")}
    yield build_call(
        doc,
        _in_time_order(pieces, several_channels),
        language_code=locales.pop() if len(locales) == 1 else None,
        channel="voice",
        metadata={"vendor_format": "azure-speech-fast"},
    )


# --- Content Understanding -----------------------------------------------------------------


def _contents(value: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in as_list(as_dict(value.get("result")).get("contents")) if isinstance(c, dict)]


def _sniff_cu(doc: Document) -> float:
    value = doc.json_object()
    if value and any("transcriptPhrases" in c for c in _contents(value)):
        return 0.95
    return 0.0


def _read_cu(doc: Document, options: LoadOptions) -> Iterator[Call | TranscriptError]:
    value = as_dict(doc.json)
    pieces: list[Piece] = []
    for content in _contents(value):
        for phrase in as_list(content.get("transcriptPhrases")):
            if not isinstance(phrase, dict):
                continue
            label = text_of(phrase.get("speaker"))
            pieces.append(
                Piece(
                    label,
                    text_of(phrase.get("text")),
                    offset_seconds(phrase.get("startTimeMs"), "ms"),
                    offset_seconds(phrase.get("endTimeMs"), "ms"),
                    _ROLES.get(label.lower()),
                )
            )
    fields = as_dict((_contents(value) or [{}])[0].get("fields"))
    sentiment = as_dict(fields.get("Sentiment")).get("valueString")
    locales = {
        p.get("locale")
        for c in _contents(value)
        for p in as_list(c.get("transcriptPhrases"))
        if isinstance(p, dict) and p.get("locale")
    }
    yield build_call(
        doc,
        pieces,
        call_id=value.get("id"),
        language_code=locales.pop() if len(locales) == 1 else None,
        channel="voice",
        metadata={"vendor_format": "azure-content-understanding", "overall_sentiment": sentiment},
    )


# --- AI Language conversation items --------------------------------------------------------


def _conversations(value: Any) -> list[dict[str, Any]]:
    """Every object holding a `conversationItems` list, wherever the envelope puts it."""
    found: list[dict[str, Any]] = []
    stack = [value]
    while stack and len(found) < 10_000:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("conversationItems"), list):
                found.append(node)
                continue
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


def _sniff_conversation(doc: Document) -> float:
    value = doc.json_object()
    if not value:
        return 0.0
    if "conversationAnalyticsResults" in value or "conversationItems" in value:
        return 0.85
    if isinstance(value.get("analysisInput"), dict):
        return 0.8
    return 0.0


def _item_text(item: dict[str, Any]) -> str:
    redacted = as_dict(item.get("redactedContent"))
    return text_of(item.get("text") or redacted.get("text") or item.get("itn") or "")


def _read_conversation(doc: Document, options: LoadOptions) -> Iterator[Call | TranscriptError]:
    conversations = _conversations(doc.json)
    if not conversations:
        raise FormatError("no conversationItems found in the Azure Language result", doc.path)
    many = len(conversations) > 1
    for position, conversation in enumerate(conversations):
        items = [i for i in conversation["conversationItems"] if isinstance(i, dict)]
        pieces = []
        for item in items:
            label = text_of(item.get("participantId") or item.get("role"))
            if not label and item.get("channel") not in (None, ""):
                label = f"channel {item['channel']}"
            role = _ROLES.get(text_of(item.get("role") or item.get("participantId")).lower())
            pieces.append(
                Piece(label, _item_text(item), offset_seconds(item.get("offset")), None, role)
            )
        yield build_call(
            doc,
            pieces,
            call_id=conversation.get("id") if many else None,
            language_code=conversation.get("language"),
            channel="voice" if any(i.get("offset") for i in items) else None,
            metadata={"vendor_format": "azure-language-conversation"},
            position=position if many else None,
        )


register(
    Reader(
        "azure-speech-batch",
        "Azure AI Speech batch transcription JSON (recognizedPhrases, ISO/tick times)",
        _sniff_batch,
        _read_batch,
        (".json",),
    )
)
register(
    Reader(
        "azure-speech-fast",
        "Azure AI Speech fast transcription JSON (phrases, millisecond times)",
        _sniff_fast,
        _read_fast,
        (".json",),
    )
)
register(
    Reader(
        "azure-content-understanding",
        "Azure AI Content Understanding result (transcriptPhrases; Agent/Customer roles)",
        _sniff_cu,
        _read_cu,
        (".json",),
    )
)
register(
    Reader(
        "azure-conversation",
        "Azure AI Language conversation items (call-center quickstart analytics output)",
        _sniff_conversation,
        _read_conversation,
        (".json",),
    )
)
