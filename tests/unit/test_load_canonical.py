import json
from pathlib import Path

from callqa.load import LoadedCall, LoadFailure, load_inputs


def write(path: Path, value: object) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def test_minimal_form_loads_and_keeps_unknown_keys(tmp_path: Path) -> None:
    f = write(
        tmp_path / "c.json",
        {
            "call_id": "c1",
            "agent_id": 7,
            "queue": "billing",
            "turns": [
                {"speaker": "agent", "text": "Hello", "start": 0, "end": 1.5},
                {"speaker": "customer", "text": "Hi", "mood": "calm"},
            ],
        },
    )
    [item] = list(load_inputs([str(f)]))
    assert isinstance(item, LoadedCall)
    call = item.call
    assert call.agent_id == "7"
    assert call.metadata["queue"] == "billing"
    assert [t.role for t in call.turns] == ["agent", "customer"]
    assert [t.index for t in call.turns] == [0, 1]
    assert call.turns[0].end == 1.5
    assert item.source.format == "json"


def test_jsonl_bad_line_is_reported_and_the_rest_loaded(tmp_path: Path) -> None:
    good = {"call_id": "a", "turns": [{"speaker": "agent", "text": "x"}]}
    lines = [json.dumps(good), "{not json", json.dumps({**good, "call_id": "b"})]
    f = tmp_path / "calls.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(load_inputs([str(f)]))
    assert [type(i).__name__ for i in items] == ["LoadedCall", "LoadFailure", "LoadedCall"]
    failure = items[1]
    assert isinstance(failure, LoadFailure)
    assert failure.error.path == str(f) and failure.error.position == 1


def test_missing_empty_and_unknown_files_fail_by_name(tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text("", encoding="utf-8")
    odd = tmp_path / "odd.json"
    odd.write_text('{"hello": "world"}', encoding="utf-8")
    items = list(load_inputs([str(empty), str(odd), str(tmp_path / "nope.json")]))
    assert all(isinstance(i, LoadFailure) for i in items)
    reasons = [(i.error.path, i.error.reason) for i in items]  # type: ignore[union-attr]
    assert reasons[0] == (str(empty), "file is empty")
    assert "format not recognised" in reasons[1][1]
    assert "no such file" in reasons[2][1]


def test_folders_are_walked_in_sorted_order(tmp_path: Path) -> None:
    for name in ("b.json", "a.json", "sub/c.json"):
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        write(path, {"call_id": name, "turns": [{"speaker": "agent", "text": "x"}]})
    ids = [i.call.call_id for i in load_inputs([str(tmp_path)]) if isinstance(i, LoadedCall)]
    assert ids == ["a.json", "b.json", "sub/c.json"]


def test_canonical_json_and_jsonl_are_written_and_read_back_unchanged(tmp_path: Path) -> None:
    import io

    from callqa.load import LoadOptions
    from callqa.load.formats.canonical import dump_call, write_jsonl
    from callqa.model import Call
    from callqa.normalise import normalise
    from tests.conftest import FIXTURES, REPO

    sources = [
        FIXTURES / "formats/amazon-transcribe-call-analytics/example-call.json",  # ms, extras
        FIXTURES / "loaders/agent-dana__he-billing-cp1255.txt",  # Hebrew, Windows-1255
        REPO / "sample_transcripts/agent-noa__he-billing-10.vtt",
    ]
    options = LoadOptions(agent_id_pattern=r"(?P<agent>agent-[a-z]+)__")
    originals: list[Call] = []
    for path in sources:
        [item] = list(load_inputs([str(path)], options))
        assert isinstance(item, LoadedCall), path
        originals.append(normalise(item.call, item.source, options))

    def comparable(call: Call) -> dict[str, object]:
        record = call.model_dump(mode="json")
        record["metadata"].pop("callqa", None)
        return record

    buffer = io.StringIO()
    assert write_jsonl(originals, buffer) == 3
    jsonl = tmp_path / "calls.jsonl"
    jsonl.write_text(buffer.getvalue(), encoding="utf-8")
    assert len(buffer.getvalue().splitlines()) == 3
    single = tmp_path / "one.json"
    single.write_text(dump_call(originals[1]), encoding="utf-8")
    assert "\\u05" not in single.read_text("utf-8")  # Hebrew is written as Hebrew

    reread = [i for i in load_inputs([str(jsonl), str(single)]) if isinstance(i, LoadedCall)]
    assert [i.source.format for i in reread] == ["jsonl"] * 3 + ["json"]
    again = [normalise(i.call, i.source, LoadOptions()) for i in reread]
    assert [comparable(c) for c in again] == [comparable(c) for c in [*originals, originals[1]]]
    assert again[0].turns[0].model_extra == {"sentiment": "POSITIVE"}
