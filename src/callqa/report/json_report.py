"""JSON (the whole audit) and JSONL (one record per line: calls, errors, then a summary)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from callqa.model import SCHEMA_VERSION, AuditResult, CallResult, InputError
from callqa.redact import redact_result


def dumps(record: Any, *, indent: int | None = None) -> str:
    """Stable JSON: keys in model order, UTF-8 text kept readable (Hebrew stays Hebrew)."""
    return json.dumps(record, ensure_ascii=False, indent=indent, allow_nan=False)


def render_json(result: AuditResult, out: TextIO) -> None:
    out.write(dumps(result.as_records(), indent=2))
    out.write("\n")


def call_line(result: CallResult) -> str:
    # Streamed calls skip the REPORTERS wrapper, so they are masked here.
    result = redact_result(AuditResult(calls=[result])).calls[0]
    record = {"schema_version": SCHEMA_VERSION, "type": "call", **result.model_dump(mode="json")}
    return dumps(record)


def error_line(error: InputError) -> str:
    record = {"schema_version": SCHEMA_VERSION, "type": "error", **error.model_dump(mode="json")}
    return dumps(record)


def summary_line(result: AuditResult) -> str:
    # A streamed run keeps no calls in memory (they were written as they came); the team
    # summary, built incrementally, still counts them all.
    calls = int(result.team.get("calls", len(result.calls)))
    record = {
        "schema_version": SCHEMA_VERSION,
        "type": "summary",
        "complete": result.complete,
        "tool": result.tool,
        "calls": calls,
        "errors": len(result.errors),
        "scorecards": [s.model_dump(mode="json") for s in result.scorecards],
    }
    return dumps(record)


def render_jsonl(result: AuditResult, out: TextIO) -> None:
    for call in result.calls:
        out.write(call_line(call) + "\n")
    for error in result.errors:
        out.write(error_line(error) + "\n")
    out.write(summary_line(result) + "\n")
