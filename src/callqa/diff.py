"""What changed between two audits of the same calls: verdicts that flipped, agents that moved.

Run it after a rule, policy or model change and before the new audit judges anyone.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Literal

from pydantic import BaseModel, Field

from callqa.model import BEHAVIOURS, SCHEMA_VERSION, AuditResult, CallResult


class Flip(BaseModel):
    call_id: str
    agent_id: str
    behaviour: str
    old: str
    new: str


class RateChange(BaseModel):
    old: float | None
    new: float | None
    delta: float | None


class AgentChange(BaseModel):
    agent_id: str
    old_score: float | None
    new_score: float | None
    score_delta: float | None
    rates: dict[str, RateChange] = Field(default_factory=dict)


class AuditDiff(BaseModel):
    schema_version: str = SCHEMA_VERSION
    old_tool: dict[str, str]
    new_tool: dict[str, str]
    calls_compared: int
    added_calls: list[str]
    removed_calls: list[str]
    flips: list[Flip]
    agents: list[AgentChange]

    @property
    def changed(self) -> bool:
        return bool(self.flips or self.agents or self.added_calls or self.removed_calls)


def _delta(old: float | None, new: float | None) -> float | None:
    return None if old is None or new is None else round(new - old, 4)


def _by_id(calls: list[CallResult]) -> dict[str, CallResult]:
    """Calls by id; an id that several calls share is told apart by file (`id (file#pos)`), so
    no call is dropped from the comparison."""
    counts = Counter(c.call_id for c in calls)
    keyed: dict[str, CallResult] = {}
    for call in calls:
        key = call.call_id
        if counts[key] > 1:
            key = f"{key} ({call.source.file}#{call.source.position or 0})"
        keyed[key] = call
    return keyed


def diff_audits(old: AuditResult, new: AuditResult, *, min_delta: float = 0.0) -> AuditDiff:
    """Compare by call id; an agent is listed when its score or a rate moved by more than
    `min_delta` (score points for the score, rate units for the rates) or appeared/vanished."""
    old_calls = _by_id(old.calls)
    new_calls = _by_id(new.calls)
    flips: list[Flip] = []
    for call_id in sorted(old_calls.keys() & new_calls.keys()):
        before, after = old_calls[call_id], new_calls[call_id]
        for behaviour in BEHAVIOURS:
            a = before.verdicts.get(behaviour)
            b = after.verdicts.get(behaviour)
            va = a.verdict if a else "missing"
            vb = b.verdict if b else "missing"
            if va != vb:
                flips.append(
                    Flip(
                        call_id=call_id,
                        agent_id=after.agent_id,
                        behaviour=behaviour,
                        old=va,
                        new=vb,
                    )
                )
    old_cards = {c.agent_id: c for c in old.scorecards}
    new_cards = {c.agent_id: c for c in new.scorecards}
    agents: list[AgentChange] = []
    for agent_id in sorted(old_cards.keys() | new_cards.keys()):
        oc, nc = old_cards.get(agent_id), new_cards.get(agent_id)
        old_score = oc.score if oc else None
        new_score = nc.score if nc else None
        rates: dict[str, RateChange] = {}
        for behaviour in BEHAVIOURS:
            ro = oc.behaviours[behaviour].rate if oc and behaviour in oc.behaviours else None
            rn = nc.behaviours[behaviour].rate if nc and behaviour in nc.behaviours else None
            d = _delta(ro, rn)
            if (ro is None) != (rn is None) or (d is not None and abs(d) > min_delta):
                rates[behaviour] = RateChange(old=ro, new=rn, delta=d)
        sd = _delta(old_score, new_score)
        moved = (old_score is None) != (new_score is None) or (
            sd is not None and abs(sd) > min_delta
        )
        if rates or moved or oc is None or nc is None:
            agents.append(
                AgentChange(
                    agent_id=agent_id,
                    old_score=old_score,
                    new_score=new_score,
                    score_delta=sd,
                    rates=rates,
                )
            )
    return AuditDiff(
        old_tool=old.tool,
        new_tool=new.tool,
        calls_compared=len(old_calls.keys() & new_calls.keys()),
        added_calls=sorted(new_calls.keys() - old_calls.keys()),
        removed_calls=sorted(old_calls.keys() - new_calls.keys()),
        flips=flips,
        agents=agents,
    )


def _num(value: float | None, pattern: str = "{:.1f}") -> str:
    return "-" if value is None else pattern.format(value)


def _signed(value: float | None, pattern: str = "{:+.1f}") -> str:
    return "-" if value is None else pattern.format(value)


def _rows(diff: AuditDiff) -> tuple[list[list[str]], list[list[str]]]:
    flips = [[f.call_id, f.agent_id, f.behaviour, f"{f.old} → {f.new}"] for f in diff.flips]
    agents = []
    for change in diff.agents:
        moved = "; ".join(
            f"{b} {_num(r.old, '{:.0%}')} → {_num(r.new, '{:.0%}')}"
            for b, r in change.rates.items()
        )
        agents.append(
            [
                change.agent_id,
                f"{_num(change.old_score)} → {_num(change.new_score)}",
                _signed(change.score_delta),
                moved or "-",
            ]
        )
    return flips, agents


FLIP_HEADER = ["call", "agent", "behaviour", "verdict"]
AGENT_HEADER = ["agent", "score", "change", "rates that moved"]


def _summary(diff: AuditDiff) -> str:
    return (
        f"{diff.calls_compared} calls compared; {len(diff.flips)} verdicts flipped; "
        f"{len(diff.agents)} agents moved; {len(diff.added_calls)} calls only in the new audit, "
        f"{len(diff.removed_calls)} only in the old. Old detector "
        f"{diff.old_tool.get('detector', '?')}, new {diff.new_tool.get('detector', '?')}."
    )


def to_markdown(diff: AuditDiff) -> str:
    flips, agents = _rows(diff)
    lines = ["# callqa diff", "", _summary(diff)]
    for title, header, rows in (
        ("Agents", AGENT_HEADER, agents),
        ("Flipped verdicts", FLIP_HEADER, flips),
    ):
        if not rows:
            continue
        lines += [
            "",
            f"## {title}",
            "",
            "| " + " | ".join(header) + " |",
            "| " + " | ".join("---" for _ in header) + " |",
        ]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    for title, ids in (
        ("Only in the new audit", diff.added_calls),
        ("Only in the old audit", diff.removed_calls),
    ):
        if ids:
            lines += ["", f"## {title}", "", ", ".join(ids)]
    return "\n".join(lines) + "\n"


def to_json(diff: AuditDiff) -> str:
    record = {**diff.model_dump(mode="json"), "changed": diff.changed}
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def table_sections(diff: AuditDiff) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) for the terminal table, which the CLI draws with rich."""
    flips, agents = _rows(diff)
    return [("Agents that moved", AGENT_HEADER, agents), ("Flipped verdicts", FLIP_HEADER, flips)]


def summary(diff: AuditDiff) -> str:
    return _summary(diff)


DiffFormat = Literal["table", "json", "markdown"]
