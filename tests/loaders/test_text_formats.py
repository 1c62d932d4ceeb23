"""Plain text, CSV, WebVTT and SRT readers, and the time parsing they share."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from callqa.errors import ConfigError
from callqa.load import Document, LoadedCall, LoadFailure, LoadOptions, load_document, load_inputs
from callqa.load.formats.csv_chat import parse_column_mapping
from callqa.load.timing import instant, offset_seconds
from callqa.model import Call
from callqa.normalise import normalise
from tests.conftest import FIXTURES, REPO

SAMPLES = REPO / "sample_transcripts"


def load_one(path: Path | str, options: LoadOptions | None = None) -> LoadedCall:
    [item] = list(load_inputs([str(path)], options or LoadOptions()))
    assert isinstance(item, LoadedCall), getattr(item, "error", None)
    return item


def read_text(text: str, name: str = "call.txt", options: LoadOptions | None = None) -> Call:
    [item] = list(load_document(Document(name, text), options or LoadOptions()))
    assert isinstance(item, LoadedCall), getattr(item, "error", None)
    return normalise(item.call, item.source, options or LoadOptions())


# --- plain text ----------------------------------------------------------------------------


def test_english_prefixes_continuation_lines_and_leading_times() -> None:
    call = read_text(
        "[00:00:01] Agent: Thank you for calling Brightwave, this is Jo.\n"
        "[00:00:04] Customer: Hi, my router keeps dropping\n"
        "every twenty minutes or so.\n"
        "\n"
        "[00:01:02.5] Agent: Let me check the line for you.\n"
    )
    assert [(t.role, t.speaker, t.start) for t in call.turns] == [
        ("agent", "Agent", 1.0),
        ("customer", "Customer", 4.0),
        ("agent", "Agent", 62.5),
    ]
    assert call.turns[1].text == "Hi, my router keeps dropping every twenty minutes or so."
    assert call.language == "en" and call.call_id == "call"


def test_hebrew_prefixes_male_and_female_forms() -> None:
    call = read_text(
        "נציגה: שלום, הגעת לנטגל, מדברת דנה. במה אפשר לעזור?\n"
        "לקוחה: היי, חייבו אותי פעמיים החודש.\n"
        "נציג: אני מעביר אותך למחלקת חיובים.\n"
        "לקוח: תודה.\n"
    )
    assert [t.role for t in call.turns] == ["agent", "customer", "agent", "customer"]
    assert call.language == "he"


def test_hebrew_file_in_windows_1255_with_crlf() -> None:
    path = FIXTURES / "loaders" / "agent-dana__he-billing-cp1255.txt"
    item = load_one(path)
    original = load_one(SAMPLES / "agent-dana__he-billing-05.txt")
    assert item.source.format == "text"
    assert [t.text for t in item.call.turns] == [t.text for t in original.call.turns]
    call = normalise(item.call, item.source, LoadOptions())
    assert call.language == "he"
    assert {t.speaker: t.role for t in call.turns} == {"נציגה": "agent", "לקוח": "customer"}


@pytest.mark.parametrize(
    ("first", "second"),
    [("[SPEAKER_00]:", "[SPEAKER_01]:"), ("spk_0:", "spk_1:"), ("Speaker 1:", "Speaker 2:")],
)
def test_diarization_prefixes(first: str, second: str) -> None:
    call = read_text(
        f"{first} Thank you for calling Pinecrest Mobile, how can I help?\n"
        f"{second} I'm calling about my bill, you charged me twice.\n"
        f"{first} Let me check that for you.\n"
    )
    assert [t.speaker for t in call.turns] == [
        first.strip("[]:"),
        second.strip("[]:"),
        first.strip("[]:"),
    ]
    assert [t.role for t in call.turns] == ["agent", "customer", "agent"]


def test_prose_without_prefixes_is_not_taken_for_a_transcript() -> None:
    [item] = list(
        load_document(
            Document("notes.txt", "Meeting notes.\nWe talked about the roadmap.\nNext: ship it.\n"),
            LoadOptions(),
        )
    )
    assert isinstance(item, LoadFailure)
    assert "format not recognised" in item.error.reason


# --- CSV -----------------------------------------------------------------------------------


def test_csv_with_standard_headers_one_call_per_id() -> None:
    items = list(load_inputs([str(SAMPLES / "chat_log_en.csv")]))
    calls = [i.call for i in items if isinstance(i, LoadedCall)]
    assert [c.call_id for c in calls] == ["en-chat-13", "en-chat-14", "en-chat-15"]
    assert [c.agent_id for c in calls] == ["agent-maya", "agent-jake", "agent-ron"]
    first = calls[0]
    assert first.channel == "chat" and first.start_time == "2024-05-14T10:02:11-07:00"
    assert [t.start for t in first.turns[:3]] == [0.0, 44.0, 51.0]  # ISO with -07:00 offset
    assert [t.role for t in first.turns[:2]] == ["customer", "agent"]
    assert [i.source.position for i in items] == [0, 1, 2]  # type: ignore[union-attr]


def test_csv_needs_a_mapping_when_the_headers_are_unknown() -> None:
    path = FIXTURES / "loaders" / "chat_custom_columns.csv"
    [failure] = list(load_inputs([str(path)]))
    assert isinstance(failure, LoadFailure)
    mapping = parse_column_mapping("call_id=Thread, speaker=Who,text=Said,start=When")
    items = list(load_inputs([str(path)], LoadOptions(csv_columns=mapping)))
    calls = [normalise(i.call, i.source, LoadOptions()) for i in items if isinstance(i, LoadedCall)]
    assert [c.call_id for c in calls] == ["T-100", "T-200"]
    billing = calls[0]
    assert [t.speaker for t in billing.turns][:3] == ["Bot", "Mia (client)", "Sam (staff)"]
    assert [t.role for t in billing.turns] == ["other", "customer", "agent", "customer", "agent"]
    assert billing.turns[3].text == "Thanks; it's the second time this happens"  # quoted ;
    assert [t.start for t in billing.turns] == [0.0, 20.0, 65.0, 90.0, 180.0]
    assert [t.role for t in calls[1].turns] == ["customer", "agent"]


def test_csv_mapping_errors_name_the_problem() -> None:
    with pytest.raises(ConfigError, match="FIELD=COLUMN"):
        parse_column_mapping("speaker")
    with pytest.raises(ConfigError, match="FIELD one of"):
        parse_column_mapping("who=Author")
    path = FIXTURES / "loaders" / "chat_custom_columns.csv"
    [failure] = list(load_inputs([str(path)], LoadOptions(csv_columns={"text": "Message"})))
    assert isinstance(failure, LoadFailure)
    assert "column 'Message', which the header lacks" in failure.error.reason
    assert failure.error.path == str(path)


def test_csv_without_a_speaker_column_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("time,message\n10:00,hello\n10:01,hi\n", encoding="utf-8")
    [failure] = list(load_inputs([str(path)]))
    assert isinstance(failure, LoadFailure)
    assert failure.error.reason.startswith("CSV has no speaker column")
    assert "--csv-columns speaker=COLUMN" in failure.error.reason


# --- WebVTT and SRT ------------------------------------------------------------------------

VTT = """WEBVTT - exported

NOTE this block is a comment
and is skipped

intro
00:01.000 --> 00:04.500 align:start
<v.loud Agent>Thanks for calling Calder Energy, &lt;Jo&gt; here.

00:04.500 --> 00:06.000
<v Agent>How can I help?</v>

00:07.250 --> 00:09.000
<v Customer><i>My meter</i> reading is wrong.
"""


def test_webvtt_voice_tags_classes_entities_notes_and_merging() -> None:
    call = read_text(VTT, "call.vtt")
    assert [(t.speaker, t.text) for t in call.turns] == [
        ("Agent", "Thanks for calling Calder Energy, <Jo> here. How can I help?"),
        ("Customer", "My meter reading is wrong."),
    ]
    assert [(t.start, t.end) for t in call.turns] == [(1.0, 6.0), (7.25, 9.0)]


def test_webvtt_is_detected_by_content_whatever_the_extension() -> None:
    call = read_text(VTT, "export.json")
    assert len(call.turns) == 2


SRT = """1
00:00:00,500 --> 00:00:02,000
[SPEAKER_00]: Thank you for calling Kettle and Co,

2
00:00:02,000 --> 00:00:03,000
[SPEAKER_00]: how can I help?

3
00:00:03,500 --> 00:00:06,000
[SPEAKER_01]: I want to return a kettle.
"""


def test_srt_bracket_prefixes_and_comma_times() -> None:
    [item] = list(load_document(Document("call.srt", SRT), LoadOptions()))
    assert isinstance(item, LoadedCall) and item.source.format == "srt"
    assert [(t.speaker, t.text, t.start, t.end) for t in item.call.turns] == [
        ("SPEAKER_00", "Thank you for calling Kettle and Co, how can I help?", 0.5, 3.0),
        ("SPEAKER_01", "I want to return a kettle.", 3.5, 6.0),
    ]


def test_input_format_overrides_detection() -> None:
    text = "Agent: Hello\nCustomer: Hi\n"
    [item] = list(load_document(Document("odd.vtt", text), LoadOptions(input_format="text")))
    assert isinstance(item, LoadedCall) and item.source.format == "text"
    [forced] = list(load_document(Document("x.txt", text), LoadOptions(input_format="deepgram")))
    assert isinstance(forced, LoadFailure)
    assert forced.error.reason.startswith("invalid JSON at line 1")
    wrong_shape = Document("x.json", '{"Transcript": 5}')
    [refused] = list(load_document(wrong_shape, LoadOptions(input_format="call-analytics")))
    assert isinstance(refused, LoadFailure)
    assert refused.error.reason == (
        "not valid call-analytics input (unexpected structure: TypeError)"
    )


# --- times ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "seconds"),
    [
        (1500, "ms", 1.5),
        ("4.87", "s", 4.87),
        ("PT4.55S", "s", 4.55),
        ("PT1M48.05S", "s", 108.05),
        ("P0DT1H0M2S", "s", 3602.0),
        (31600000, "ticks", 3.16),
        ("00:01:02.250", "s", 62.25),
        ("01:02,5", "s", 62.5),
        ("1.300s", "s", 1.3),
        ("soon", "s", None),
        (None, "ms", None),
        (True, "s", None),
        (float("nan"), "s", None),
    ],
)
def test_offset_seconds(value: object, unit: str, seconds: float | None) -> None:
    result = offset_seconds(value, unit)  # type: ignore[arg-type]
    assert result == (None if seconds is None else pytest.approx(seconds))


def test_instants() -> None:
    assert instant("2022-10-27T03:31:50.735Z") == datetime(2022, 10, 27, 3, 31, 50, 735000, UTC)
    assert instant(1675230581000000) == datetime(2023, 2, 1, 5, 49, 41, tzinfo=UTC)
    assert instant("2024-05-14T10:02:11-07:00") == datetime(2024, 5, 14, 17, 2, 11, tzinfo=UTC)
    assert instant("yesterday") is None
