"""Run the examples embedded in rules: used by `callqa rules test` and by pytest
(tests/rules/test_rule_examples.py), so both report the same ids: `<code>-<pass|fail>-<name>`.

Examples run rules-only (no models), each against its own rule alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from callqa.detect.engine import RuleDetector
from callqa.detect.policy import Policy
from callqa.detect.ruleset import Example, Rule, RuleSet, load_ruleset
from callqa.model import Call, Turn


@dataclass(frozen=True)
class ExampleCase:
    rule: Rule
    example: Example

    @property
    def id(self) -> str:
        return f"{self.rule.code}-{self.example.outcome}-{self.example.name}"


@dataclass(frozen=True)
class ExampleResult:
    case: ExampleCase
    passed: bool
    detail: str


def example_call(example: Example) -> Call:
    turns = [
        Turn(role=t.role, speaker=t.role, text=t.text, start=t.start, end=t.end)
        for t in example.turns
    ]
    return Call(call_id=example.name, language=example.lang, turns=turns)


def iter_cases(ruleset: RuleSet, *, include_todo: bool = True) -> Iterator[ExampleCase]:
    for rule in ruleset.rules:
        for example in rule.examples:
            if include_todo or not example.todo:
                yield ExampleCase(rule, example)


def run_case(case: ExampleCase, policy: Policy | None = None) -> ExampleResult:
    detector = RuleDetector(RuleSet([case.rule], "example"), policy or Policy(), use_models=False)
    _, outcomes = detector.evaluate(example_call(case.example), [case.rule])
    outcome = outcomes[0][1]
    example = case.example
    if example.outcome == "fail":
        if outcome.verdict != "violation":
            return ExampleResult(case, False, f"expected a violation, got {outcome.verdict}")
        turns = {e.turn for e in outcome.evidence}
        missing = set(example.expect_turns) - turns
        if missing:
            return ExampleResult(
                case, False, f"evidence turns {sorted(turns)} miss {sorted(missing)}"
            )
        return ExampleResult(case, True, "violation")
    if outcome.verdict == "violation":
        hit_turns = sorted({e.turn for e in outcome.evidence})
        return ExampleResult(
            case,
            False,
            f"unexpected violation (turns {hit_turns}: {outcome.note or case.rule.message})",
        )
    if example.expect and outcome.verdict != example.expect:
        return ExampleResult(case, False, f"expected {example.expect}, got {outcome.verdict}")
    return ExampleResult(case, True, outcome.verdict)


def run_examples(path: Path, policy: Policy | None = None) -> list[ExampleResult]:
    return [run_case(case, policy) for case in iter_cases(load_ruleset(path))]
