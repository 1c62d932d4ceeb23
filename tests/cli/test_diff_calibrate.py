"""`callqa diff` and `callqa calibrate` end to end, on saved audits of the fixed fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from callqa.calibrate import Confusion, kappa
from tests.audit_fixture import SPEC, sample_audit
from tests.conftest import REPO


def save(path: Path, result) -> Path:  # type: ignore[no-untyped-def]
    path.write_text(result.model_dump_json(indent=2), encoding="utf-8")
    return path


@pytest.fixture
def audits(tmp_path: Path) -> tuple[Path, Path]:
    old = sample_audit()
    new = sample_audit()
    # The "new rules" clear en-002's over-promise and rescore it.
    new_call = next(c for c in new.calls if c.call_id == "en-002")
    new_call.verdicts["over_promising"].verdict = "ok"
    from callqa.score import ScorecardBuilder

    builder = ScorecardBuilder(SPEC)
    for call in new.calls:
        builder.add(call)
    new.scorecards = builder.scorecards()
    new.tool = {**new.tool, "detector": "fixture-2"}
    return save(tmp_path / "old.json", old), save(tmp_path / "new.json", new)


def test_diff_reports_flips_and_moved_agents(run_cli, audits: tuple[Path, Path]) -> None:  # type: ignore[no-untyped-def]
    old, new = audits
    result = run_cli("diff", str(old), str(new), "-f", "json", expect=0)
    payload = json.loads(result.stdout)
    assert payload["changed"] is True
    assert payload["flips"] == [
        {
            "call_id": "en-002",
            "agent_id": "dana",
            "behaviour": "over_promising",
            "old": "violation",
            "new": "ok",
        }
    ]
    [dana] = payload["agents"]
    assert dana["agent_id"] == "dana" and dana["score_delta"] > 0
    assert dana["rates"]["over_promising"] == {"old": 0.3333, "new": 0.0, "delta": -0.3333}
    md = run_cli("diff", str(old), str(new), "-f", "markdown", expect=0).stdout
    assert "| en-002 | dana | over_promising | violation → ok |" in md
    table = run_cli("diff", str(old), str(new), expect=0).stdout
    assert "en-002" in table and "fixture-2" in table
    run_cli("diff", str(old), str(new), "--fail-on-change", expect=1)
    same = run_cli("diff", str(old), str(old), "-f", "json", "--fail-on-change", expect=0)
    assert json.loads(same.stdout)["changed"] is False


def test_diff_rejects_what_is_not_an_audit(run_cli, tmp_path: Path, audits) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_text('{"calls": [\n 1', encoding="utf-8")
    result = run_cli("diff", str(bad), str(audits[1]), expect=2)
    assert "bad.json:2:" in result.stderr
    other = tmp_path / "other.json"
    other.write_text('{"calls": [{"call_id": 3}]}', encoding="utf-8")
    assert "not a callqa audit" in run_cli("diff", str(other), str(other), expect=2).stderr


LABELS = """\
call_id,behaviour,verdict
en-001,rudeness,violation
en-002,rudeness,violation
en-003,rudeness,ok
he-001,rudeness,ok
en-002,over_promising,violation
he-002,over_promising,violation
en-001,over_promising,ok
en-003,missing_follow_up,ok
zz-999,rudeness,ok
"""


def test_calibrate_metrics_and_threshold(run_cli, audits, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    labels = tmp_path / "labels.csv"
    labels.write_text("\ufeff" + LABELS, encoding="utf-8")  # as Excel saves it
    out = run_cli("calibrate", str(audits[0]), "--human", str(labels), "-f", "json", expect=0)
    payload = json.loads(out.stdout)
    assert payload["labels"] == 9 and payload["unmatched_labels"] == 1
    by = {b["behaviour"]: b for b in payload["behaviours"]}
    rude = by["rudeness"]
    assert rude["confusion"] == {"tp": 1, "fp": 0, "fn": 1, "tn": 2}
    assert (rude["precision"], rude["recall"], rude["f1"], rude["kappa"]) == (1.0, 0.5, 0.6667, 0.5)
    over = by["over_promising"]
    assert over["kappa"] == 0.4
    # he-002's model score 0.12 is below the audit's threshold; the humans call it a violation.
    assert over["best_threshold"] == {"value": 0.12, "kappa": 1.0, "f1": 1.0}
    follow = by["missing_follow_up"]
    assert follow["best_threshold"] is None and "no model scores" in follow["threshold_note"]
    md = run_cli("calibrate", str(audits[0]), "--human", str(labels), "-f", "markdown", expect=0)
    assert "| rudeness | 4 | 1 | 0 | 1 | 2 | 1.00 | 0.50 | 0.67 | 0.50 |" in md.stdout


def test_calibrate_label_errors_name_the_line(run_cli, audits, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    labels = tmp_path / "labels.csv"
    labels.write_text(LABELS.replace("en-003,rudeness,ok", "en-003,rudeness,maybe"), "utf-8")
    result = run_cli("calibrate", str(audits[0]), "--human", str(labels), expect=2)
    assert f"{labels}:4: unknown verdict 'maybe'" in result.stderr
    labels.write_text("call,verdict\n", "utf-8")
    assert (
        "missing column(s) call_id, behaviour;"
        in run_cli("calibrate", str(audits[0]), "--human", str(labels), expect=2).stderr
    )


def test_shipped_example_labels_parse() -> None:
    from callqa.calibrate import read_labels

    assert len(read_labels(REPO / "docs" / "examples" / "labels.csv")) >= 5


def test_kappa_edge_cases() -> None:
    assert kappa(Confusion()) is None
    assert kappa(Confusion(tp=5)) == 1.0
    assert kappa(Confusion(tp=2, fp=2, fn=2, tn=2)) == 0.0
