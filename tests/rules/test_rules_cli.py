"""`callqa rules ...` and `callqa eval`: exit codes, file:line errors, reports."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import FIXTURES

GOOD_RULE = """\
id: TST001
name: test.greeting
kind: phrase_required
behaviour: rudeness
message: "No greeting."
description: "What it checks: a greeting."
window: {first_turns: 1}
match: {phrases: [hello, שלום]}
examples:
  fail:
    - {name: none, turns: [{agent: "Account number?"}]}
    - {name: he_none, turns: [{agent: "מספר חשבון?"}]}
  pass:
    - {name: hi, turns: [{agent: "Hello there"}]}
    - {name: he_hi, turns: [{agent: "שלום לך"}]}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rule.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_list_and_explain(run_cli) -> None:  # type: ignore[no-untyped-def]
    listed = run_cli("rules", "list", "--format", "json", expect=0)
    codes = {r["id"] for r in json.loads(listed.stdout)}
    assert {"RUD001", "OVP002", "APO001", "FUP001", "EMP001", "SIG001"} <= codes
    explained = run_cli("rules", "explain", "APO001", expect=0)
    assert "Fails:" in explained.stdout and "Passes:" in explained.stdout
    run_cli("rules", "explain", "NOPE999", expect=2)


def test_validate_shipped_and_good(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run_cli("rules", "validate", "rules", expect=0)
    assert (
        "1 rules OK"
        in run_cli("rules", "validate", str(_write(tmp_path, GOOD_RULE)), expect=0).stdout
    )


def test_unknown_kind_points_at_the_line(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, GOOD_RULE.replace("kind: phrase_required", "kind: phrase_requird"))
    result = run_cli("rules", "validate", str(path), expect=2)
    assert f"{path}:3:" in result.stderr and "unknown kind 'phrase_requird'" in result.stderr


def test_bad_regex_points_at_the_line(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(
        tmp_path,
        GOOD_RULE.replace("match: {phrases: [hello, שלום]}", 'match: {regex: "(unclosed"}'),
    )
    result = run_cli("rules", "validate", str(path), expect=2)
    assert f"{path}:8:" in result.stderr and "bad regex" in result.stderr


def test_catastrophic_regex_is_refused(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(
        tmp_path, GOOD_RULE.replace("match: {phrases: [hello, שלום]}", 'match: {regex: "(a+)+$"}')
    )
    assert "backtracks" in run_cli("rules", "validate", str(path), expect=2).stderr


def test_missing_examples_is_an_error(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = GOOD_RULE.replace('    - {name: he_none, turns: [{agent: "מספר חשבון?"}]}\n', "")
    result = run_cli("rules", "validate", str(_write(tmp_path, text)), expect=2)
    assert "missing a 'fail' example in he" in result.stderr


def test_invalid_spacy_pattern(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = GOOD_RULE.replace(
        "match: {phrases: [hello, שלום]}", "match: {tokens: [[{NOT_AN_ATTR: hi}]]}"
    )
    assert (
        "invalid spaCy token pattern"
        in run_cli("rules", "validate", str(_write(tmp_path, text)), expect=2).stderr
    )


def test_broken_rules_make_audit_exit_2(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, GOOD_RULE.replace("kind: phrase_required", "kind: nope"))
    result = run_cli(
        "audit", str(FIXTURES / "eval"), "--rules", str(path), "--format", "json", expect=2
    )
    assert f"{path}:3:" in result.stderr


def test_rules_test_runs_examples_and_fails(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert "0 failed" in run_cli("rules", "test", expect=0).stdout
    wrong = GOOD_RULE.replace('{agent: "Hello there"}', '{agent: "Good day"}')
    result = run_cli("rules", "test", str(_write(tmp_path, wrong)), expect=1)
    assert "FAIL  TST001-pass-hi" in result.stdout


def test_eval_reports_metrics(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("eval", str(FIXTURES / "eval"), "--no-models", "--format", "json", expect=0)
    report = json.loads(result.stdout)
    assert report["calls"] == 4
    rud = report["behaviours"]["rudeness"]["all"]
    assert rud["n"] == 4 and rud["recall"] == 1.0 and rud["precision"] == 1.0
    low, high = rud["f1_ci95"]
    assert low <= rud["f1"] <= high
    assert set(report["behaviours"]["missing_apology"]) == {"en", "he", "all"}
    table = run_cli("eval", str(FIXTURES / "eval"), "--no-models", expect=0).stdout
    assert "rudeness" in table and "confusion" in table and "f1 95% CI" in table


def test_eval_against_rules_reports_the_gain_over_rules_alone(run_cli) -> None:  # type: ignore[no-untyped-def]
    both = json.loads(
        run_cli(
            "eval", str(FIXTURES / "eval"), "--against-rules", "--format", "json", expect=0
        ).stdout
    )
    alone = json.loads(
        run_cli("eval", str(FIXTURES / "eval"), "--no-models", "--format", "json", expect=0).stdout
    )
    assert both["reference"] == "rules only"
    for behaviour, by_lang in both["behaviours"].items():
        summary = by_lang["all"]
        reference = summary["reference"]
        assert reference["f1"] == alone["behaviours"][behaviour]["all"]["f1"]
        if summary["f1"] is not None and reference["f1"] is not None:
            assert reference["f1_gain"] == round(summary["f1"] - reference["f1"], 4)
    run_cli("eval", str(FIXTURES / "eval"), "--against-rules", "--no-models", expect=2)


def test_eval_baseline_flags_every_call_without_apology(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(
        "eval", str(FIXTURES / "eval"), "--baseline", "phrase-list", "--format", "json", expect=0
    )
    report = json.loads(result.stdout)
    confusion = report["behaviours"]["missing_apology"]["all"]["confusion"]
    assert confusion["n/a"]["violation"] >= 1  # the baseline cannot say n/a


def test_eval_without_labels_exits_2(run_cli) -> None:  # type: ignore[no-untyped-def]
    run_cli("eval", "sample_transcripts/en-plan-04.json", "--no-models", expect=2)
