"""Markdown: a summary a QA lead can paste into a ticket, wiki page or pull request."""

from __future__ import annotations

from typing import TextIO

from callqa.model import BEHAVIOURS, AuditResult, location
from callqa.report.common import (
    abuse_count,
    calls_by_id,
    first_evidence,
    label,
    rate_text,
    score_text,
)
from callqa.score import SCORE_BINS


def cell(text: str) -> str:
    """Table-safe text: pipes escaped, line breaks flattened."""
    return " ".join(text.replace("|", "\\|").split())


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render(result: AuditResult, out: TextIO) -> None:
    lines = ["# callqa audit", ""]
    tool = result.tool
    state = "complete" if result.complete else "**INCOMPLETE**: some inputs could not be read"
    lines.append(
        f"{len(result.calls)} calls, {len(result.scorecards)} agents; {state}. "
        f"callqa {tool.get('version', '?')}, detector {tool.get('detector', '?')}, "
        f"schema {result.schema_version}."
    )
    team = result.team
    if team:
        lines += ["", "## Team", ""]
        lines.append(
            f"Mean call score {score_text(team.get('mean_call_score'))}, median "
            f"{score_text(team.get('median_call_score'))}; {team.get('ranked_agents', 0)} of "
            f"{team.get('agents', 0)} agents ranked (at least {team.get('min_calls_to_rank')} "
            f"calls); {team.get('customer_abuse_calls', 0)} calls with customer abuse."
        )
        dist = team.get("call_score_distribution", {})
        lines += ["", _row(["call score", *SCORE_BINS]), _row(["---"] * (len(SCORE_BINS) + 1))]
        lines.append(_row(["calls", *(str(dist.get(b, 0)) for b in SCORE_BINS)]))
    lines += ["", "## Agent scorecards", ""]
    lines.append("Each behaviour: violations/applicable calls, rate and 95% interval.")
    lines.append("")
    header = ["agent", "rank", "calls", "score", *(label(b) for b in BEHAVIOURS), "cust. abuse"]
    lines += [_row(header), _row(["---"] * len(header))]
    for card in result.scorecards:
        cells = [
            cell(card.agent_id),
            str(card.rank) if card.rank else "unranked",
            str(card.calls),
            score_text(card.score),
            *(rate_text(card.behaviours[b]) for b in BEHAVIOURS),
            str(card.customer_abuse_calls),
        ]
        lines.append(_row(cells))
    lookup = calls_by_id(result)
    worst = [(card.agent_id, cid) for card in result.scorecards for cid in card.worst_calls]
    if worst:
        lines += ["", "## Worst calls", ""]
    for agent_id, call_id in worst:
        call = lookup.get(call_id)
        if call is None:
            continue
        abuse = " (customer abuse flagged)" if abuse_count(call) else ""
        lines.append(
            f"- **{cell(call_id)}** ({cell(agent_id)}), score {score_text(call.score)}{abuse}"
        )
        for behaviour, evidence in first_evidence(call):
            lines.append(f"  - {label(behaviour)}, turn {evidence.turn}: “{cell(evidence.quote)}”")
    if result.errors:
        lines += ["", "## Inputs that could not be read", ""]
        for error in result.errors:
            where = location(error.file, error.position)
            lines.append(f"- `{where}` [{error.code}]: {cell(error.reason)}")
    out.write("\n".join(lines) + "\n")
