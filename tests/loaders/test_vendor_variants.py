"""Layouts of the vendor formats that the real sample files do not show (small, made up here)."""

from __future__ import annotations

import json

from callqa.load import Document, LoadedCall, LoadOptions, load_document


def read(value: object, name: str = "call.json") -> list[LoadedCall]:
    items = list(load_document(Document(name, json.dumps(value)), LoadOptions()))
    assert all(isinstance(i, LoadedCall) for i in items), items
    return items  # type: ignore[return-value]


def turns_of(value: object) -> list[tuple[str, str, float | None]]:
    [item] = read(value)
    return [(t.speaker, t.text, t.start) for t in item.call.turns]


def test_whisperx_word_speakers_split_a_segment() -> None:
    value = {
        "language": "en",
        "segments": [
            {
                "start": 0.0,
                "end": 3.0,
                "text": "Hello, how can I help? Hi.",
                "words": [
                    {"word": "Hello,", "start": 0.0, "end": 0.4, "speaker": "SPEAKER_00"},
                    {"word": "how", "start": 0.5, "end": 0.7, "speaker": "SPEAKER_00"},
                    {"word": "can", "start": 0.7, "end": 0.8, "speaker": "SPEAKER_00"},
                    {"word": "I", "start": 0.8, "end": 0.9, "speaker": "SPEAKER_00"},
                    {"word": "help?", "start": 0.9, "end": 1.2, "speaker": "SPEAKER_00"},
                    {"word": "Hi.", "start": 2.0, "end": 2.4, "speaker": "SPEAKER_01"},
                ],
            }
        ],
    }
    assert turns_of(value) == [
        ("SPEAKER_00", "Hello, how can I help?", 0.0),
        ("SPEAKER_01", "Hi.", 2.0),
    ]


def test_assemblyai_without_utterances_groups_words() -> None:
    value = {
        "id": "t-1",
        "audio_url": "https://example.com/a.mp3",
        "words": [
            {"text": "Hello.", "start": 100, "end": 400, "speaker": "A"},
            {"text": "Hi", "start": 900, "end": 1100, "speaker": "B"},
            {"text": "there.", "start": 1100, "end": 1400, "speaker": "B"},
        ],
    }
    assert turns_of(value) == [("A", "Hello.", 0.1), ("B", "Hi there.", 0.9)]


def test_deepgram_words_and_multichannel() -> None:
    words = {
        "results": {
            "channels": [
                {
                    "alternatives": [
                        {
                            "words": [
                                {
                                    "punctuated_word": "Hello.",
                                    "start": 0.5,
                                    "end": 0.9,
                                    "speaker": 0,
                                },
                                {"punctuated_word": "Yes,", "start": 1.0, "end": 1.2, "speaker": 1},
                                {"punctuated_word": "hi.", "start": 1.2, "end": 1.4, "speaker": 1},
                            ]
                        }
                    ]
                }
            ]
        }
    }
    assert turns_of(words) == [("0", "Hello.", 0.5), ("1", "Yes, hi.", 1.0)]
    stereo = {
        "results": {
            "channels": [
                {"alternatives": [{"words": [{"punctuated_word": "Later.", "start": 5.0}]}]},
                {"alternatives": [{"words": [{"punctuated_word": "Earlier.", "start": 1.0}]}]},
            ]
        }
    }
    assert turns_of(stereo) == [("channel 1", "Earlier.", 1.0), ("channel 0", "Later.", 5.0)]


def test_transcribe_audio_segments_and_older_label_layout() -> None:
    segments = {
        "jobName": "j1",
        "results": {
            "transcripts": [{"transcript": "Hi. Hello."}],
            "items": [],
            "audio_segments": [
                {
                    "id": 0,
                    "transcript": "Hi.",
                    "start_time": "0.5",
                    "end_time": "1.0",
                    "speaker_label": "spk_0",
                },
                {
                    "id": 1,
                    "transcript": "Hello.",
                    "start_time": "1.5",
                    "end_time": "2.0",
                    "speaker_label": "spk_1",
                },
            ],
        },
    }
    assert turns_of(segments) == [("spk_0", "Hi.", 0.5), ("spk_1", "Hello.", 1.5)]
    older = {
        "jobName": "j2",
        "results": {
            "transcripts": [{"transcript": "Hi. Hello."}],
            "speaker_labels": {
                "speakers": 2,
                "segments": [
                    {
                        "speaker_label": "spk_0",
                        "items": [{"start_time": "0.5", "speaker_label": "spk_0"}],
                    },
                    {
                        "speaker_label": "spk_1",
                        "items": [{"start_time": "1.5", "speaker_label": "spk_1"}],
                    },
                ],
            },
            "items": [
                {
                    "start_time": "0.5",
                    "end_time": "0.9",
                    "type": "pronunciation",
                    "alternatives": [{"content": "Hi"}],
                },
                {"type": "punctuation", "alternatives": [{"content": "."}]},
                {
                    "start_time": "1.5",
                    "end_time": "1.9",
                    "type": "pronunciation",
                    "alternatives": [{"content": "Hello"}],
                },
                {"type": "punctuation", "alternatives": [{"content": "."}]},
            ],
        },
    }
    assert turns_of(older) == [("spk_0", "Hi.", 0.5), ("spk_1", "Hello.", 1.5)]


def test_azure_batch_channels_without_diarization() -> None:
    value = {
        "recognizedPhrases": [
            {"channel": 1, "offset": "PT2.5S", "duration": "PT1S", "nBest": [{"display": "Hi."}]},
            {"channel": 0, "offsetInTicks": 5000000, "nBest": [{"display": "Hello."}]},
            {"recognitionStatus": "NoMatch", "channel": 0, "offset": "PT9S", "nBest": []},
        ]
    }
    assert turns_of(value) == [("channel 0", "Hello.", 0.5), ("channel 1", "Hi.", 2.5)]


def test_azure_language_conversations_one_call_each() -> None:
    value = {
        "analysisInput": {
            "conversations": [
                {
                    "id": "conv-a",
                    "language": "en",
                    "conversationItems": [
                        {"participantId": "Agent", "id": "1", "text": "Hello, how can I help?"},
                        {
                            "participantId": "Customer",
                            "id": "2",
                            "text": "My espresso machine leaks.",
                        },
                    ],
                },
                {
                    "id": "conv-b",
                    "language": "en",
                    "conversationItems": [{"role": "agent", "participantId": "a1", "text": "Hi."}],
                },
            ]
        }
    }
    first, second = read(value)
    assert (first.call.call_id, second.call.call_id) == ("conv-a", "conv-b")
    assert [t.role for t in first.call.turns] == ["agent", "customer"]
    assert first.call.language == "en"
    assert (second.call.turns[0].speaker, second.call.turns[0].role) == ("a1", "agent")
    assert [first.source.position, second.source.position] == [0, 1]


def test_hebrew_text_with_direction_marks() -> None:
    text = "\u200fנציג: שלום, מדבר עומר.\n\u200fלקוח: היי.\n"
    [item] = list(load_document(Document("c.txt", text), LoadOptions()))
    assert isinstance(item, LoadedCall)
    assert [t.speaker for t in item.call.turns] == ["נציג", "לקוח"]
