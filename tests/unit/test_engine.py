import json
from pathlib import Path

import pytest

from callqa.engine import DetectorSpec, iter_units, run_local
from callqa.load import LoadOptions
from callqa.model import CallResult, InputError
from tests.fakes import FakeDetector, write_calls


def _ids(events: list[CallResult | InputError]) -> list[str]:
    return [e.call_id if isinstance(e, CallResult) else f"error:{e.file}" for e in events]


def test_jsonl_is_split_into_chunks_with_line_positions(tmp_path: Path) -> None:
    lines = [
        json.dumps({"call_id": f"x{i}", "turns": [{"speaker": "agent", "text": "hi"}]})
        for i in range(600)
    ]
    source = tmp_path / "big.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    units = list(iter_units([str(source)], LoadOptions()))
    assert [u.first_line for u in units] == [0, 256, 512]
    events = list(
        run_local(
            [str(source)], DetectorSpec(rules="fake-chunks"), LoadOptions(), detector=FakeDetector()
        )
    )
    assert len(events) == 600
    last = events[-1]
    assert isinstance(last, CallResult) and last.source.position == 599


@pytest.mark.parametrize("workers", [1, 2])
def test_results_come_back_in_input_order_with_any_worker_count(
    tmp_path: Path, workers: int
) -> None:
    write_calls(tmp_path / "calls", 40)
    (tmp_path / "calls" / "c0005.json").write_text("{broken", encoding="utf-8")
    spec = DetectorSpec(rules=f"fake-order-{workers}")
    events = list(
        run_local(
            [str(tmp_path / "calls")], spec, LoadOptions(), workers=workers, detector=FakeDetector()
        )
    )
    ids = _ids(events)
    assert len(ids) == 40
    assert ids[5].startswith("error:") and ids[5].endswith("c0005.json")
    assert [i for i in ids if not i.startswith("error")] == [
        f"c{i:04d}" for i in range(40) if i != 5
    ]
