"""Every format against stored expected output, rendered from a fixed AuditResult.

Regenerate after an intended change with `pytest --update-golden` (or CALLQA_UPDATE_GOLDEN=1)
and review the diff of tests/golden/.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from callqa.report import REPORTERS
from callqa.report.options import ReportOptions, using_options
from tests.audit_fixture import sample_audit

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
SUFFIX = {
    "table": "txt",
    "json": "json",
    "jsonl": "jsonl",
    "csv": "csv",
    "markdown": "md",
    "html": "html",
    "junit": "xml",
}


def render(fmt: str) -> str:
    out = io.StringIO()
    REPORTERS[fmt](sample_audit(), out)
    return out.getvalue()


def test_every_registered_format_has_a_golden_file() -> None:
    assert set(SUFFIX) == set(REPORTERS)


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_format_matches_golden(fmt: str, update_golden: bool) -> None:
    path = GOLDEN / f"audit.{SUFFIX[fmt]}"
    text = render(fmt)
    if update_golden:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} missing: run pytest --update-golden"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_no_personal_data_in_any_format(fmt: str) -> None:
    text = render(fmt)
    assert "050-123-4567" not in text and "dana@example.co.il" not in text
    if fmt != "csv":  # the only format without quotes
        assert "[EMAIL]" in text


def test_csv_bom_only_when_asked() -> None:
    assert not render("csv").startswith("\ufeff")
    with using_options(ReportOptions(bom=True)):
        assert render("csv").startswith("\ufeffagent_id,")


def test_junit_has_one_case_per_call_and_behaviour() -> None:
    import xml.etree.ElementTree as ET

    from callqa.model import BEHAVIOURS

    audit = sample_audit()
    calls = {f"callqa.{c.agent_id}.{c.call_id}": c for c in audit.calls}
    root = ET.fromstring(render("junit"))
    seen = []
    for case in root.iter("testcase"):
        classname, name = case.get("classname", ""), case.get("name", "")
        if classname == "callqa.inputs":  # an unreadable input is an <error>
            assert [child.tag for child in case] == ["error"]
            continue
        seen.append((classname, name))
        verdict = calls[classname].verdicts[name].verdict
        kind = {"violation": ["failure"], "n/a": ["skipped"], "ok": []}[verdict]
        assert [child.tag for child in case] == kind, (classname, name)
    assert sorted(seen) == sorted((cls, b) for cls in calls for b in BEHAVIOURS)
    assert root.get("tests") == str(len(seen) + len(audit.errors))
