"""The evaluation's F1 interval: a seeded bootstrap over calls that brackets the point figure
and narrows as the calls behind it grow."""

from __future__ import annotations

from callqa.evaluation import Tally


def _tally(copies: int) -> Tally:
    tally = Tally()
    pairs = [("violation", "violation")] * 8 + [("violation", "ok"), ("ok", "violation")]
    pairs += [("ok", "ok")] * 10 + [("n/a", "n/a")] * 5
    for expected, predicted in pairs * copies:
        tally.add(expected, predicted)
    return tally


def test_the_interval_brackets_f1_and_is_reproducible() -> None:
    summary = _tally(1).summary()
    low, high = summary["f1_ci95"]
    assert summary["f1"] == 0.8889  # 8 found, 1 missed, 1 false alarm
    assert low < summary["f1"] < high <= 1.0
    assert _tally(1).summary()["f1_ci95"] == [low, high]


def test_more_calls_give_a_narrower_interval() -> None:
    low, high = _tally(1).summary()["f1_ci95"]
    low4, high4 = _tally(4).summary()["f1_ci95"]
    assert high4 - low4 < (high - low) * 0.75


def test_no_violations_anywhere_has_no_interval() -> None:
    tally = Tally()
    tally.add("ok", "ok")
    assert tally.summary()["f1_ci95"] is None


def test_the_gain_over_a_reference_is_paired() -> None:
    from callqa.evaluation import gain_interval

    same = gain_interval(_tally(2), _tally(2))
    assert same == (0.0, 0.0)  # the same calls drawn for both: no spurious difference
    worse = Tally()
    for outcome in _tally(2).outcomes:
        # The reference misses every other violation the tally finds.
        worse.add("violation" if outcome in ("tp", "fn") else "ok",
                  "violation" if outcome == "fp" else "ok")  # fmt: skip
    low, high = gain_interval(_tally(2), worse) or (0.0, 0.0)
    assert 0 < low <= high


def test_f1_is_zero_when_violations_were_expected_and_none_found() -> None:
    tally = Tally()
    tally.add("violation", "ok")
    tally.add("ok", "ok")
    summary = tally.summary()
    assert summary["precision"] is None and summary["f1"] == 0.0
