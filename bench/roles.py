"""Measure the speaker-role heuristic on the repo's labelled data.

    .venv/bin/python bench/roles.py

1. Calls: every labelled call in sample_transcripts/ and eval/heldout/ with its speakers renamed
   spk_0, spk_1, ... and its roles hidden: how many the heuristic decides, and how many of those
   it gets wrong.
2. Cues: how often each cue category fires on agent vs customer turns of training/corpus/.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from callqa.load import LoadedCall, LoadOptions, load_inputs
from callqa.model import Call
from callqa.normalise import normalise
from callqa.roles import AGENT_CUES, CUSTOMER_CUES, assign_roles

REPO = Path(__file__).resolve().parent.parent


def measure_calls() -> None:
    paths = sorted((REPO / "sample_transcripts").glob("*")) + sorted(
        (REPO / "eval" / "heldout").glob("*.jsonl")
    )
    counts: Counter[str] = Counter()
    for item in load_inputs([str(p) for p in paths if p.suffix != ".md"]):
        if not isinstance(item, LoadedCall):
            continue
        call = normalise(item.call, item.source, LoadOptions())
        names: dict[str, str] = {}
        truth: dict[str, str] = {}
        turns = []
        for turn in call.turns:
            label = names.setdefault(turn.speaker, f"spk_{len(names)}")
            truth[label] = turn.role
            turns.append({"speaker": label, "text": turn.text})
        hidden = Call.model_validate(
            {"call_id": call.call_id, "channel": call.channel, "turns": turns}
        )
        assignment = assign_roles(hidden, LoadOptions())
        counts["calls"] += 1
        if assignment.uncertain:
            counts["refused"] += 1
        elif truth[assignment.agents[0]] == "agent":
            counts["right"] += 1
        else:
            counts["wrong"] += 1
    print(
        f"labelled calls with labels hidden: {counts['calls']}; decided right {counts['right']}, "
        f"decided wrong {counts['wrong']}, refused as uncertain {counts['refused']}"
    )


def measure_cues() -> None:
    cues = {**{f"agent: {k}": v for k, v in AGENT_CUES.items()}}
    cues.update({f"customer: {k}": v for k, v in CUSTOMER_CUES.items()})
    fires: Counter[tuple[str, str, str]] = Counter()
    turns: Counter[tuple[str, str]] = Counter()
    for path in sorted((REPO / "training" / "corpus").glob("*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                example = json.loads(line)
            except json.JSONDecodeError:
                continue
            role, lang, text = example.get("role"), example.get("lang"), example.get("text", "")
            if role not in ("agent", "customer"):
                continue
            turns[(role, lang)] += 1
            for name, pattern in cues.items():
                if pattern.search(text):
                    fires[(name, lang, role)] += 1
    print(f"role-labelled corpus turns: {sum(turns.values())} {dict(turns)}")
    for name in cues:
        side = name.split(":")[0]
        for lang in ("en", "he"):
            right = fires[(name, lang, side)]
            wrong = fires[(name, lang, "customer" if side == "agent" else "agent")]
            if right + wrong:
                print(
                    f"  {name:40s} {lang}: {right:4d} right, {wrong:3d} wrong, "
                    f"precision {right / (right + wrong):.2f}"
                )


if __name__ == "__main__":
    measure_calls()
    measure_cues()
