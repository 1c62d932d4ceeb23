"""Every real vendor file in tests/fixtures/formats/: what callqa reads from it, or why it refuses.

The numbers come from SOURCES.md and from reading the files, not from running the loaders:
e.g. Call Analytics has 37 turns (19 AGENT, 18 CUSTOMER), Content Understanding 33 phrases
(20 Agent, 13 Customer), Bedrock BDA 51 segments with the agent on spk_1.
"""

from __future__ import annotations

import filecmp
from collections import Counter
from dataclasses import dataclass

import pytest

from callqa.errors import TranscriptError
from callqa.load import LoadedCall, LoadFailure, LoadOptions, load_inputs
from callqa.model import Call
from callqa.normalise import normalise, warnings_of
from tests.conftest import FIXTURES, SHARED

VENDOR = FIXTURES / "formats"


@dataclass(frozen=True)
class Read:
    """The file loads, and its roles are settled: format, turns, agent and customer turns."""

    format: str
    turns: int
    agent: int
    customer: int
    first_speaker: str
    first_text: str
    first_start: float | None
    call_id: str | None = None


@dataclass(frozen=True)
class Refused:
    """The file is refused: at load (unreadable) or at normalisation (roles cannot be settled)."""

    code: str
    reason: str
    format: str | None = None
    """For a refusal over roles: the format it loaded as and its turns."""
    turns: int | None = None


CASES: dict[str, Read | Refused] = {
    "amazon-bedrock-data-automation-audio/bda-custom.json": Refused(
        "E302", "custom (blueprint) output holds generated fields but no transcript"
    ),
    "amazon-bedrock-data-automation-audio/bda-standard.json": Read(
        "bedrock-bda", 51, 23, 28, "spk_1", "Hello. Sleepaway Camp Hotel.", 1.62
    ),
    "amazon-connect-contact-lens/contact-lens-chat-original.json": Read(
        # 31 messages (4 EVENT items are not turns), 3 of them SYSTEM. The docs' original labels
        # "It's just too bad..." as AGENT; the redacted twin says CUSTOMER: we keep the labels.
        "call-analytics",
        31,
        15,
        13,
        "SYSTEM_MESSAGE",
        "Hello, thanks for contacting us.",
        0.0,
        "b49644f6-672f-445c-b209-f76b36482830",
    ),
    "amazon-connect-contact-lens/contact-lens-chat-redacted.json": Read(
        "call-analytics",
        31,
        14,
        14,
        "SYSTEM_MESSAGE",
        "Hello, thanks for contacting us.",
        0.0,
        "b49644f6-672f-445c-b209-f76b36482830",
    ),
    "amazon-connect-contact-lens/contact-lens-voice-original.json": Read(
        "call-analytics", 10, 5, 5, "AGENT", "Okay.", 0.0, "contact-lens-voice-original"
    ),
    "amazon-connect-contact-lens/contact-lens-voice-redacted.json": Read(
        "call-analytics", 10, 5, 5, "AGENT", "Okay.", 0.0, "contact-lens-voice-redacted"
    ),
    "amazon-transcribe-call-analytics/example-call.json": Read(
        "call-analytics",
        37,
        19,
        18,
        "AGENT",
        "Thank you for calling Anchor Credit Union",
        0.04,
        "example-call.wav",
    ),
    "amazon-transcribe-standard/transcribe-channel-id-output.json": Refused(
        "E305", "cannot tell the agent from the customer", "transcribe", 2
    ),
    "amazon-transcribe-standard/transcribe-diarization-output.json": Refused(
        "E305", "cannot tell the agent from the customer", "transcribe", 2
    ),
    "assemblyai/assemblyai_utterances.json": Refused(
        "E305", "only one speaker (A)", "assemblyai", 1
    ),
    "assemblyai/b6a5408c-caa1-4ba3-a866-1441a18f0cdb.json": Refused(
        "E305", "cannot tell the agent from the customer", "assemblyai", 20
    ),
    "azure-call-center-quickstart-output/example-output-conversationAnalyticsResults.json": Read(
        "azure-conversation", 4, 2, 2, "channel 0", "Hello, thank you for calling Contoso.", 0.77
    ),
    "azure-call-center-quickstart-output/example-output-transcription.json": Refused(
        "E302", "without recognizedPhrases"
    ),
    "azure-content-understanding/cu_pretranscribed.json": Read(
        "azure-content-understanding",
        33,
        20,
        13,
        "Agent",
        "Hi there, thank you for calling",
        0.08,
        "d61a8c86-67f5-455c-a458-d1ddddc6df92",
    ),
    "azure-speech-batch-transcription/batch-transcription-result-example.json": Refused(
        "E305", "no speaker labels", "azure-speech-batch", 1
    ),
    "azure-speech-batch-transcription/fast_pretranscribed.json": Refused(
        # Wrong diarization: speaker 1 greets, speaker 2 asks "How can I help you today?".
        "E305",
        "also sounds like the agent",
        "azure-speech-batch",
        37,
    ),
    "azure-speech-fast-transcription/batch_pretranscribed.json": Read(
        "azure-speech-fast", 33, 20, 13, "1", "Hi there, thank you for calling Contoso.", 0.08
    ),
    "deepgram/dg_speakers.json": Refused("E305", "cannot tell the agent", "deepgram", 22),
    "deepgram/dg_speakers_no_utterances.json": Refused(
        "E305",
        "cannot tell the agent",
        "deepgram",
        11,  # the 11 paragraphs
    ),
    "google-ccai-insights/ccai-insights-chat-example.json": Read(
        "ccai-insights", 14, 7, 7, "AGENT", "Hi there, what can I help you with today?", 0.0
    ),
    "podcasting20-json/example.json": Refused("E305", "cannot tell the agent", "podcasting20", 2),
    "speaker-prefixed-txt/dosparlants.txt": Refused("E305", "cannot tell the agent", "text", 14),
    "srt/dosparlants.srt": Refused("E305", "cannot tell the agent", "srt", 11),
    "srt/example.srt": Read(
        # A podcast, named only on speaker change: 222 cues, 10 changes. "Welcome to" reads as a
        # greeting, so the host who opens is taken for the agent (see docs/loaders.md).
        "srt",
        10,
        5,
        5,
        "Travis",
        "When you first get started in podcasting",
        0.179,
    ),
    "webvtt/batch_pretranscribed.json.convertedTowebVTT.txt": Read(
        "webvtt", 16, 8, 8, "Speaker 1", "Hi there, thank you for calling Contoso. My name", 0.08
    ),
    "webvtt/cu_pretranscribed.json.convertedTowebVTT.txt": Read(
        "webvtt", 16, 8, 8, "Agent", "Hi there, thank you for calling Contoso. My name", 0.08
    ),
    "webvtt/dosparlants.vtt": Refused("E305", "cannot tell the agent", "webvtt", 11),
    "webvtt/example.vtt": Read("webvtt", 2, 1, 1, "Sarah", "In today's episode, you'll learn", 0.0),
    "webvtt/fast_pretranscribed.json.convertedTowebVTT.txt": Refused(
        "E305", "also sounds like the agent", "webvtt", 27
    ),
    "whisper-json/dosparlants.json": Refused("E305", "cannot tell the agent", "whisper-json", 14),
    "whisper-json/whisper_timestamped.json": Refused(
        "E305", "no speaker labels", "whisper-json", 4
    ),
    "whisper-tsv/dosparlants.tsv": Refused("E305", "no speaker labels", "whisper-tsv", 14),
}


def _load(rel: str) -> LoadedCall | LoadFailure:
    [item] = list(load_inputs([str(VENDOR / rel)], LoadOptions()))
    return item


def _normalised(item: LoadedCall) -> Call:
    return normalise(item.call, item.source, LoadOptions())


@pytest.mark.parametrize("rel", sorted(CASES))
def test_vendor_file(rel: str) -> None:
    expected = CASES[rel]
    item = _load(rel)
    path = str(VENDOR / rel)
    if isinstance(expected, Refused) and expected.format is None:
        assert isinstance(item, LoadFailure), f"{rel} should be refused at load"
        assert item.error.code == expected.code
        assert item.error.path == path and path in str(item.error)
        assert expected.reason in item.error.reason
        return
    assert isinstance(item, LoadedCall), getattr(item, "error", None)
    assert item.source.format == (expected.format)
    assert len(item.call.turns) == expected.turns
    if isinstance(expected, Refused):
        with pytest.raises(TranscriptError) as refusal:
            _normalised(item)
        assert refusal.value.code == expected.code
        assert refusal.value.path == path and path in str(refusal.value)
        assert expected.reason in refusal.value.reason
        assert "--agent-speaker" in refusal.value.reason or "diarized" in refusal.value.reason
        texts = [t.text for t in item.call.turns if len(t.text) > 12]
        assert not any(text in str(refusal.value) for text in texts)  # never quotes the call
        return
    call = _normalised(item)
    roles = Counter(t.role for t in call.turns)
    assert (roles["agent"], roles["customer"]) == (expected.agent, expected.customer)
    first = call.turns[0]
    assert first.speaker == expected.first_speaker
    assert first.text.startswith(expected.first_text)
    assert first.start == pytest.approx(expected.first_start)
    if expected.call_id is not None:
        assert call.call_id == expected.call_id
    assert call.language == "en"
    assert all(t.text.strip() for t in call.turns)
    starts = [t.start for t in call.turns if t.start is not None]
    assert starts == sorted(starts), "turns are in time order"
    assert all(t.end is None or t.end >= (t.start or 0) for t in call.turns)


def test_every_shared_vendor_file_is_pinned_and_copied_unchanged() -> None:
    if not (SHARED / "formats").is_dir():
        pytest.skip("the shared reference folder is not here")
    shared = {
        str(p.relative_to(SHARED / "formats"))
        for p in (SHARED / "formats").rglob("*")
        if p.is_file() and p.suffix != ".md"
    }
    assert shared == set(CASES)
    for rel in shared:
        assert filecmp.cmp(SHARED / "formats" / rel, VENDOR / rel, shallow=False), rel


def _call(rel: str) -> Call:
    item = _load(rel)
    assert isinstance(item, LoadedCall)
    return item.call


def test_times_become_seconds_whatever_the_unit() -> None:
    analytics = _call("amazon-transcribe-call-analytics/example-call.json")  # integer ms
    assert (analytics.turns[0].start, analytics.turns[0].end) == (0.04, 5.05)
    batch = _call("azure-speech-batch-transcription/fast_pretranscribed.json")  # ticks / PT..S
    assert batch.turns[0].start == pytest.approx(0.11)
    assert batch.turns[0].end == pytest.approx(0.11 + 3.16)
    quickstart = _call(
        "azure-call-center-quickstart-output/example-output-conversationAnalyticsResults.json"
    )
    assert [t.start for t in quickstart.turns] == pytest.approx([0.77, 4.55, 9.55, 13.09])
    transcribe = _call("amazon-transcribe-standard/transcribe-diarization-output.json")
    assert transcribe.turns[1].start == pytest.approx(8.49)  # string seconds
    ccai = _call("google-ccai-insights/ccai-insights-chat-example.json")  # epoch microseconds
    assert [t.start for t in ccai.turns[:3]] == [0.0, 15.0, 30.0]
    assert ccai.start_time == "2023-02-01T05:49:41Z"
    chat = _call("amazon-connect-contact-lens/contact-lens-chat-original.json")  # ISO instants
    assert chat.turns[1].start == pytest.approx(55.131 - 53.390)
    assert chat.start_time == "2022-10-27T03:31:53.390000Z"
    tsv = _call("whisper-tsv/dosparlants.tsv")  # integer ms
    assert (tsv.turns[-1].start, tsv.turns[-1].end) == (32.0, 34.0)
    assemblyai = _call("assemblyai/b6a5408c-caa1-4ba3-a866-1441a18f0cdb.json")  # integer ms
    assert assemblyai.turns[0].start == pytest.approx(0.24)


def test_word_level_formats_are_grouped_into_turns_by_speaker() -> None:
    transcribe = _call("amazon-transcribe-standard/transcribe-channel-id-output.json")
    assert [(t.speaker, t.text) for t in transcribe.turns] == [
        ("ch_0", "I've been on hold for an hour."),
        ("ch_1", "Sorry about that."),
    ]
    podcast = _call("podcasting20-json/example.json")
    assert [(t.speaker, t.text) for t in podcast.turns] == [
        ("Darth Vader", "I am your father."),
        ("Luke", "Nooooo"),
    ]
    assert (podcast.turns[0].start, podcast.turns[0].end) == (0.5, 2.5)


def test_subtitle_quirks_are_tolerated() -> None:
    cu = _call("webvtt/cu_pretranscribed.json.convertedTowebVTT.txt")  # Markdown fence, .txt
    assert not cu.turns[-1].text.endswith("`")
    assert cu.turns[-1].text.endswith("9:45 a.m.")
    podcast = _call("webvtt/example.vtt")  # CRLF, &amp;, sentences split over cues
    assert "Podcasting Q&A" in podcast.turns[0].text
    assert "\r" not in podcast.turns[0].text
    assert podcast.turns[0].end == pytest.approx(18.63)
    fast = _call("webvtt/fast_pretranscribed.json.convertedTowebVTT.txt")
    assert "36 cue(s) end before they start" in " ".join(warnings_of(fast))
    assert all(t.end is None or t.end >= (t.start or 0) for t in fast.turns)
    srt = _call("srt/example.srt")  # the speaker is named only when it changes
    assert [t.speaker for t in srt.turns][:4] == ["Travis", "Sarah", "Travis", "Gilon"]
    assert srt.turns[0].text.startswith("When you first get started in podcasting, it's almost")


def test_non_strict_json_is_read_and_says_so() -> None:
    for rel in (
        "amazon-connect-contact-lens/contact-lens-voice-original.json",  # surplus closing brace
        "amazon-connect-contact-lens/contact-lens-voice-redacted.json",  # // comment
        "azure-call-center-quickstart-output/example-output-conversationAnalyticsResults.json",
    ):
        assert any("not strict JSON" in w for w in warnings_of(_call(rel))), rel


def test_vendor_extras_are_kept_small() -> None:
    analytics = _call("amazon-transcribe-call-analytics/example-call.json")
    assert analytics.turns[0].model_extra == {"sentiment": "POSITIVE"}
    assert analytics.metadata["matched_categories"] == ["No_Closing_Remark"]
    assert analytics.metadata["redacted"] is True
    assert "Items" not in analytics.turns[0].model_dump_json()
    chat = _call("amazon-connect-contact-lens/contact-lens-chat-original.json")
    assert chat.channel == "chat" and chat.agent_id == "Jane"
    redacted = _call("amazon-connect-contact-lens/contact-lens-chat-redacted.json")
    assert redacted.agent_id == "unknown"  # "[PII]" is a placeholder, not a name
    assert {t.speaker for t in redacted.turns} == {"SYSTEM_MESSAGE", "AGENT", "CUSTOMER"}


def test_refused_files_audit_once_the_agent_is_named() -> None:
    item = _load("azure-speech-batch-transcription/fast_pretranscribed.json")
    assert isinstance(item, LoadedCall)
    call = normalise(item.call, item.source, LoadOptions(agent_speaker=["2"]))
    assert {t.speaker for t in call.agent_turns()} == {"2"}
    assert {t.speaker for t in call.customer_turns()} == {"1"}
