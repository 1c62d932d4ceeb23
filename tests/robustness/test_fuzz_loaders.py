"""Property-based tests: random and mutated inputs give the project's own errors, never a crash.

They run over every registered reader, so a new format is fuzzed without new test code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callqa.errors import TranscriptError
from callqa.load import (
    READERS,
    Document,
    LoadedCall,
    LoadFailure,
    LoadOptions,
    load_document,
    load_inputs,
)
from callqa.load.decode import decode_bytes, parse_json_lenient
from tests.conftest import SHARED

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEEDS = sorted(p for p in (SHARED / "formats").rglob("*") if p.is_file() and p.suffix != ".md")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


def _only_own_errors(doc: Document, options: LoadOptions | None = None) -> None:
    for item in load_document(doc, options or LoadOptions()):
        assert isinstance(item, LoadedCall | LoadFailure)
        if isinstance(item, LoadFailure):
            assert item.error.path == doc.path
            assert item.error.reason


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_decode_or_fail_cleanly(data: bytes) -> None:
    try:
        text, _ = decode_bytes(data, "f.bin")
    except TranscriptError as exc:
        assert "f.bin" in str(exc)
        return
    _only_own_errors(Document("f.bin", text))


@FUZZ
@given(st.text(max_size=2000))
def test_random_text_in_every_format(text: str) -> None:
    for name in READERS:
        _only_own_errors(Document("f.txt", text), LoadOptions(input_format=name))


@FUZZ
@given(json_values)
def test_random_json_in_every_format(value: object) -> None:
    text = json.dumps(value)
    for name in [None, *READERS]:
        _only_own_errors(Document("f.json", text), LoadOptions(input_format=name))


@FUZZ
@given(st.text(alphabet='{}[],:"/ \n*abc0123', max_size=300))
def test_lenient_json_never_crashes(text: str) -> None:
    try:
        parse_json_lenient(text, "x.json")
    except TranscriptError as exc:
        assert str(exc).startswith("x.json")


@pytest.mark.parametrize("seed", SEEDS, ids=[p.name for p in SEEDS])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_truncated_and_mutated_real_files(seed: Path, data: st.DataObject) -> None:
    raw = seed.read_bytes()
    cut = data.draw(st.integers(0, len(raw)))
    flip = data.draw(st.integers(0, max(0, cut - 1)))
    mutated = bytearray(raw[:cut])
    if mutated:
        mutated[flip] = data.draw(st.integers(0, 255))
    try:
        text, _ = decode_bytes(bytes(mutated), seed.name)
    except TranscriptError:
        return
    _only_own_errors(Document(seed.name, text))


def test_deeply_nested_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    [item] = list(load_inputs([str(path)]))
    assert isinstance(item, LoadFailure)


def test_zero_turns_huge_turn_and_many_turns(tmp_path: Path) -> None:
    cases = {
        "zero.json": {"call_id": "z", "turns": []},
        "huge.json": {"call_id": "h", "turns": [{"speaker": "agent", "text": "a" * 1_000_000}]},
        "many.json": {
            "call_id": "m",
            "turns": [
                {"speaker": "agent" if i % 2 else "customer", "text": f"t{i}"}
                for i in range(100_000)
            ],
        },
    }
    for name, value in cases.items():
        (tmp_path / name).write_text(json.dumps(value), encoding="utf-8")
    items = {
        Path(i.source.file).name if isinstance(i, LoadedCall) else Path(i.error.path or "").name: i
        for i in load_inputs([str(tmp_path)])
    }
    assert isinstance(items["huge.json"], LoadedCall)
    assert (
        isinstance(items["many.json"], LoadedCall) and len(items["many.json"].call.turns) == 100_000
    )
    zero = items["zero.json"]
    assert isinstance(zero, LoadFailure) and zero.error.reason == "the call has no turns"
