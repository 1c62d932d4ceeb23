import math
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callqa.model import BehaviourVerdict, CallResult, Source
from callqa.score import (
    ScorecardBuilder,
    ScorecardSpec,
    ScoreTally,
    call_score,
    wilson_interval,
)


def result(call_id: str, agent: str, **verdicts: str) -> CallResult:
    return CallResult(
        call_id=call_id,
        agent_id=agent,
        language="en",
        source=Source(file="f"),
        verdicts={b: BehaviourVerdict(verdict=v) for b, v in verdicts.items()},  # type: ignore[arg-type]
    )


def test_wilson_interval_matches_known_values() -> None:
    low, high = wilson_interval(1, 10)
    assert low == pytest.approx(0.0179, abs=1e-3)
    assert high == pytest.approx(0.4042, abs=1e-3)
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_na_is_excluded_from_the_possible_score() -> None:
    spec = ScorecardSpec()
    r = result("c", "a", rudeness="ok", missing_apology="n/a", lack_of_empathy="violation")
    assert call_score(r, spec) == 50.0


def test_auto_fail_zeroes_the_call() -> None:
    spec = ScorecardSpec(auto_fail=frozenset({"rudeness"}))
    r = result("c", "a", rudeness="violation", missing_apology="ok")
    assert call_score(r, spec) == 0.0


def test_scorecard_counts_applicable_calls_only() -> None:
    builder = ScorecardBuilder(ScorecardSpec(min_calls_to_rank=2))
    builder.add(result("1", "ann", missing_apology="violation"))
    builder.add(result("2", "ann", missing_apology="n/a"))
    builder.add(result("3", "bob", missing_apology="ok"))
    ann, bob = builder.scorecards()
    assert ann.agent_id == "ann" and ann.ranked and not bob.ranked
    stats = ann.behaviours["missing_apology"]
    assert (stats.applicable, stats.violations, stats.rate) == (1, 1, 1.0)
    assert ann.worst_calls == ["1"]


def test_customer_abuse_is_counted_beside_the_score_never_against_it() -> None:
    from callqa.model import Finding

    builder = ScorecardBuilder(ScorecardSpec(min_calls_to_rank=1))
    calm = builder.add(result("1", "ann", rudeness="ok", missing_apology="violation"))
    abused = result("2", "ann", rudeness="ok", missing_apology="violation")
    abused.signals.append(
        Finding(code="SIG001", name="customer_abuse", severity="info", message="insults")
    )
    builder.add(abused)
    assert abused.score == calm.score == 50.0
    [ann] = builder.scorecards()
    assert ann.customer_abuse_calls == 1 and ann.score == 50.0
    assert ann.behaviours["rudeness"].violations == 0
    assert builder.team()["customer_abuse_calls"] == 1


@given(
    st.lists(
        st.tuples(st.integers(0, 10_000).map(lambda c: c / 100), st.text(min_size=1, max_size=4)),
        max_size=60,
    ),
    st.integers(0, 5),
)
def test_score_tally_is_exact_with_bounded_memory(
    scored: list[tuple[float, str]], keep: int
) -> None:
    tally = ScoreTally(keep)
    for score, call_id in scored:
        tally.add(score, call_id)
    values = [s for s, _ in scored]
    assert tally.n == len(values)
    assert tally.mean() == (round(math.fsum(values) / len(values), 2) if values else None)
    assert tally.median() == (round(statistics.median(values), 2) if values else None)
    assert sum(tally.histogram().values()) == len(values)
    assert tally.worst() == [c for s, c in sorted(scored)[:keep] if s < 100]
    assert len(tally.lowest) <= 2 * keep + 1  # never one entry per call
