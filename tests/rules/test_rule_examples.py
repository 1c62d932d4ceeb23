"""Every example embedded in the shipped rules is a test: `<code>-<pass|fail>-<name>`.

`todo_*` examples are known misses: they run as xfail (non-strict), so a fix shows as XPASS.
"""

from __future__ import annotations

import pytest

from callqa.detect.ruleset import load_ruleset
from callqa.paths import default_rules_dir
from callqa.testing import ExampleCase, iter_cases, run_case

_CASES = list(iter_cases(load_ruleset(default_rules_dir())))


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            c,
            id=c.id,
            marks=[pytest.mark.xfail(reason="known miss (todo)")] if c.example.todo else [],
        )
        for c in _CASES
    ],
)
def test_rule_example(case: ExampleCase) -> None:
    result = run_case(case)
    assert result.passed, f"{case.rule.path}:{case.example.line}: {result.detail}"


def test_every_behaviour_has_rules() -> None:
    from callqa.model import BEHAVIOURS

    covered = {c.rule.behaviour for c in _CASES}
    assert set(BEHAVIOURS) <= covered
