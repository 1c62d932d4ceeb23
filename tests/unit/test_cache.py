from pathlib import Path

from callqa.engine import DetectorSpec, run_local
from callqa.load import LoadOptions
from callqa.model import CallResult
from tests.fakes import FakeDetector, write_calls


class CountingDetector(FakeDetector):
    def __init__(self, version: str) -> None:
        super().__init__()
        self.version = version
        self.judged = 0

    def judge(self, call):  # type: ignore[no-untyped-def]
        self.judged += 1
        return super().judge(call)


def _run(folder: Path, detector: CountingDetector, cache: Path) -> list[CallResult]:
    spec = DetectorSpec(rules=f"cache-test-{id(detector)}")
    events = run_local([str(folder)], spec, LoadOptions(), detector=detector, cache_path=str(cache))
    return [e for e in events if isinstance(e, CallResult)]


def test_unchanged_calls_are_served_from_the_cache(tmp_path: Path) -> None:
    write_calls(tmp_path / "calls", 12)
    cache = tmp_path / "cache.sqlite"
    first = CountingDetector("v1")
    results = _run(tmp_path / "calls", first, cache)
    assert first.judged == 12

    again = CountingDetector("v1")
    # One call changes: only it is judged again.
    (tmp_path / "calls" / "c0004.json").write_text(
        '{"call_id": "c0004", "turns": [{"speaker": "agent", "text": "you idiot"}]}'
    )
    cached = _run(tmp_path / "calls", again, cache)
    assert again.judged == 1
    assert [r.call_id for r in cached] == [r.call_id for r in results]
    assert cached[4].verdicts["rudeness"].verdict == "violation"
    assert cached[0].model_dump() == results[0].model_dump()


def test_a_new_detector_version_misses_the_cache(tmp_path: Path) -> None:
    write_calls(tmp_path / "calls", 5)
    cache = tmp_path / "cache.sqlite"
    _run(tmp_path / "calls", CountingDetector("v1"), cache)
    changed = CountingDetector("v2")
    _run(tmp_path / "calls", changed, cache)
    assert changed.judged == 5
