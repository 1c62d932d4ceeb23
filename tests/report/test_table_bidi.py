"""Hebrew quotes in the terminal table: display order on a TTY, logical order in files."""

from __future__ import annotations

import io
import json

import pytest

from callqa.report import REPORTERS
from callqa.report.bidi import visual_line, visual_lines
from tests.audit_fixture import sample_audit


def test_visual_line_reverses_hebrew_and_keeps_numbers_and_english() -> None:
    assert visual_line("שלום עולם") == "םלוע םולש"
    assert visual_line("המספר 48213 (חשבון)") == "(ןובשח) 48213 רפסמה"
    assert visual_line("hello שלום bye") == "hello םולש bye"
    assert visual_line("plain English 12:30") == "plain English 12:30"


def test_wrapped_rtl_starts_on_the_first_line() -> None:
    lines = visual_lines("אחת שתיים שלוש ארבע", 10).splitlines()
    assert lines == ["םייתש תחא", "עברא שולש"]


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_table_on_a_tty_shows_hebrew_in_display_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CALLQA_BIDI", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    tty, plain = Tty(), io.StringIO()
    REPORTERS["table"](sample_audit(), tty)
    REPORTERS["table"](sample_audit(), plain)
    assert visual_line("זה לא הבעיה שלי, תתקשר מחר.") in tty.getvalue()
    assert "זה לא הבעיה שלי, תתקשר מחר." in plain.getvalue()
    assert "\x1b[" in tty.getvalue() and "\x1b[" not in plain.getvalue()  # colour on a TTY only
    monkeypatch.setenv("CALLQA_BIDI", "terminal")
    aware = Tty()
    REPORTERS["table"](sample_audit(), aware)
    assert "זה לא הבעיה שלי, תתקשר מחר." in aware.getvalue()


def test_schema_audit_documents_team_and_rank(run_cli) -> None:  # type: ignore[no-untyped-def]
    schema = json.loads(run_cli("schema", "audit", expect=0).stdout)
    assert "team" in schema["properties"]
    assert "rank" in schema["$defs"]["Scorecard"]["properties"]
