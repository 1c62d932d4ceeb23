"""The scorecard definition: the shipped file is valid; mistakes are reported with file:line."""

from pathlib import Path

import pytest

from callqa.errors import ConfigError
from callqa.scorecard_file import default_scorecard_file, load_scorecard, parse_scorecard

GOOD = """\
version: 1
min_calls_to_rank: 3
behaviours:
  rudeness:          {weight: 40, severity: critical, auto_fail: true}
  over_promising:    {weight: 20, severity: major}
  missing_follow_up: {weight: 20}
  missing_apology:   {weight: 10, severity: minor}
  lack_of_empathy:   {weight: 10, severity: minor}
"""


def test_shipped_scorecard_is_valid() -> None:
    spec = load_scorecard(default_scorecard_file())
    assert sum(spec.weights.values()) == 100
    assert spec.severity["rudeness"] == "critical"


def test_parse_reads_weights_severities_and_options() -> None:
    spec = parse_scorecard(GOOD, "s.yaml")
    assert spec.weights["rudeness"] == 40 and spec.auto_fail == frozenset({"rudeness"})
    assert spec.min_calls_to_rank == 3 and spec.severity["missing_follow_up"] == "minor"
    assert spec.behaviours_at("major") == {"rudeness", "over_promising"}
    assert spec.behaviours_at("critical") == {"rudeness"}


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("weight: 40", "weight: 50", "s.yaml:3:", "total 110"),
        ("  over_promising:", "  overpromising:", "s.yaml:5:", "unknown behaviour 'overpromising'"),
        ("severity: major}", "severity: huge}", "s.yaml:5:", "severity of over_promising"),
        ("min_calls_to_rank: 3", "min_calls_to_rank: many", "s.yaml:2:", "whole number"),
        ("version: 1", "versoin: 1", "s.yaml:1:", "unknown key 'versoin'"),
        (
            "{weight: 10, severity: minor}\n  lack",
            "{severity: minor}\n  lack",
            "s.yaml:7:",
            "no weight",
        ),
        ("auto_fail: true", "auto_fail: maybe", "s.yaml:4:", "true or false"),
    ],
)
def test_mistakes_name_file_and_line(old: str, new: str, where: str, message: str) -> None:
    assert old in GOOD
    with pytest.raises(ConfigError) as info:
        parse_scorecard(GOOD.replace(old, new, 1), "s.yaml")
    assert str(info.value).startswith(where) and message in str(info.value)


def test_missing_behaviour_is_an_error() -> None:
    text = GOOD.replace("  lack_of_empathy:   {weight: 10, severity: minor}\n", "").replace(
        "weight: 40", "weight: 50"
    )
    with pytest.raises(ConfigError, match="missing from the scorecard: lack_of_empathy"):
        parse_scorecard(text, "s.yaml")


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_scorecard(tmp_path / "nope.yaml")
    (tmp_path / "bad.yaml").write_text("behaviours: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.yaml:.*not valid YAML"):
        load_scorecard(tmp_path / "bad.yaml")
