"""CSV: one row per agent scorecard, for spreadsheets (UTF-8; `--bom` for Excel and Hebrew)."""

from __future__ import annotations

import csv
from typing import TextIO

from callqa.model import BEHAVIOURS, AuditResult
from callqa.report.options import report_options


def header() -> list[str]:
    columns = ["agent_id", "calls", "ranked", "rank", "score", "customer_abuse_calls"]
    for behaviour in BEHAVIOURS:
        columns += [
            f"{behaviour}_applicable",
            f"{behaviour}_violations",
            f"{behaviour}_rate",
            f"{behaviour}_ci_low",
            f"{behaviour}_ci_high",
        ]
    return columns


def render(result: AuditResult, out: TextIO) -> None:
    if report_options().bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header())
    for card in result.scorecards:
        row: list[object] = [
            card.agent_id,
            card.calls,
            str(card.ranked).lower(),
            "" if card.rank is None else card.rank,
            "" if card.score is None else card.score,
            card.customer_abuse_calls,
        ]
        for behaviour in BEHAVIOURS:
            stats = card.behaviours[behaviour]
            row += [stats.applicable, stats.violations]
            row += ["" if v is None else v for v in (stats.rate, stats.ci_low, stats.ci_high)]
        writer.writerow(row)
