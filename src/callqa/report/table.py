"""The human format: rich tables of the team summary, per-agent scorecards and the worst calls.

Colour only on a terminal (rich decides from the stream). On a terminal, Hebrew quotes are put in
display order (see `bidi`), unless CALLQA_BIDI=terminal says the terminal does bidi itself; in a
file or pipe they stay in logical order, which editors and browsers display correctly.
"""

from __future__ import annotations

import os
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from callqa.model import BEHAVIOURS, AuditResult, CallResult
from callqa.report.bidi import visual_lines
from callqa.report.common import (
    abuse_count,
    calls_by_id,
    first_evidence,
    is_rtl,
    label,
    rate_text,
    score_text,
)
from callqa.score import SCORE_BINS

_QUOTE_WIDTH = 60
_FILE_WIDTH = 160  # fixed outside a terminal, so files and golden output are stable


def _quote_cell(text: str, terminal: bool) -> str:
    if terminal and is_rtl(text) and os.environ.get("CALLQA_BIDI") != "terminal":
        return visual_lines(text, _QUOTE_WIDTH)
    return text


def _scorecards(result: AuditResult) -> Table:
    table = Table(title="Agent scorecards (violations/applicable, rate, 95% interval)")
    table.add_column("agent")
    table.add_column("rank", justify="right")
    table.add_column("calls", justify="right")
    table.add_column("score", justify="right")
    for behaviour in BEHAVIOURS:
        table.add_column(label(behaviour), justify="right")
    table.add_column("cust. abuse", justify="right")
    for card in result.scorecards:
        rank = str(card.rank) if card.rank else "unranked"
        cells = [card.agent_id, rank, str(card.calls), score_text(card.score)]
        cells += [rate_text(card.behaviours[b]) for b in BEHAVIOURS]
        cells.append(str(card.customer_abuse_calls))
        table.add_row(*cells)
    return table


def _team(result: AuditResult) -> Table | None:
    team = result.team
    if not team:
        return None
    table = Table(title="Team")
    table.add_column("calls", justify="right")
    table.add_column("agents (ranked)", justify="right")
    table.add_column("mean call score", justify="right")
    table.add_column("cust. abuse calls", justify="right")
    table.add_column("call score distribution")
    dist = team.get("call_score_distribution", {})
    spread = "  ".join(f"{b}:{dist.get(b, 0)}" for b in SCORE_BINS if dist.get(b, 0))
    table.add_row(
        str(team.get("calls", 0)),
        f"{team.get('agents', 0)} ({team.get('ranked_agents', 0)})",
        score_text(team.get("mean_call_score")),
        str(team.get("customer_abuse_calls", 0)),
        spread or "-",
    )
    return table


def _worst(result: AuditResult, terminal: bool) -> Table:
    table = Table(title="Worst calls, with evidence")
    table.add_column("agent")
    table.add_column("call")
    table.add_column("score", justify="right")
    table.add_column("behaviour")
    table.add_column("turn", justify="right")
    table.add_column("evidence", max_width=_QUOTE_WIDTH + 2)
    lookup = calls_by_id(result)
    for card in result.scorecards:
        for call_id in card.worst_calls:
            call: CallResult | None = lookup.get(call_id)
            if call is None:
                continue
            note = " (customer abuse)" if abuse_count(call) else ""
            rows = first_evidence(call)
            if not rows:
                table.add_row(card.agent_id, call_id + note, score_text(call.score), "", "", "")
            for behaviour, evidence in rows:
                table.add_row(
                    card.agent_id,
                    call_id + note,
                    score_text(call.score),
                    label(behaviour),
                    str(evidence.turn),
                    _quote_cell(evidence.quote, terminal),
                )
    return table


def render(result: AuditResult, out: TextIO) -> None:
    probe = Console(file=out)
    terminal = probe.is_terminal
    console = Console(
        file=out, highlight=False, soft_wrap=False, width=None if terminal else _FILE_WIDTH
    )
    team = _team(result)
    if team is not None:
        console.print(team)
    console.print(_scorecards(result))
    worst = _worst(result, terminal)
    if worst.row_count:
        console.print(worst)
    for error in result.errors:
        console.print(f"[red]error[/red] {escape(error.file)}: {escape(error.reason)}")
    if not result.complete:
        console.print("[bold red]The audit is incomplete: some inputs could not be read.[/]")
