"""Labelled calls: whole conversations whose turns carry the labels of `training/LABELS.md`.

A line of a corpus file may be one labelled call instead of one turn:

    {"call_id": "en-tc-01-001", "language": "en", "channel": "voice",
     "turns": [{"speaker": "customer", "text": "...", "labels": ["problem"]}, ...],
     "expected": {"rudeness": "ok", ...}}

Every turn becomes a training example with the turn before it as context (as the engine sends
it at run time), grouped by call so that a call never straddles the train/test boundary. Real
calls are mostly neutral turns, which isolated hand-written turns under-represent.

`expected` must agree with the verdicts the turn labels imply (`oracle_verdicts`), so a labelled
call is consistent at both levels; `python -m callqa.classify.calls FILE...` checks that.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from callqa.classify import AGENT_LABELS, CUSTOMER_LABELS, TurnInput

BEHAVIOURS = (
    "rudeness",
    "over_promising",
    "missing_apology",
    "missing_follow_up",
    "lack_of_empathy",
)
_ROLE_LABELS = {"agent": set(AGENT_LABELS), "customer": set(CUSTOMER_LABELS)}


def is_labelled_call(row: Mapping[str, Any]) -> bool:
    return isinstance(row.get("turns"), list)


def call_turns(row: Mapping[str, Any]) -> list[tuple[TurnInput, frozenset[str]]]:
    """(turn, labels) for every turn, context = the previous turn's text whoever spoke."""
    out: list[tuple[TurnInput, frozenset[str]]] = []
    previous = ""
    for turn in row["turns"]:
        text = str(turn["text"])
        out.append((TurnInput(text, previous, str(turn["speaker"])), frozenset(turn["labels"])))
        previous = text
    return out


def oracle_verdicts(turns: Sequence[tuple[str, frozenset[str]]]) -> dict[str, str]:
    """The call-level verdicts that (speaker, labels) per turn imply under behaviours.md."""

    def first(role: str, label: str) -> int | None:
        return next((i for i, (r, ls) in enumerate(turns) if r == role and label in ls), None)

    def agent_after(start: int, label: str) -> bool:
        return any(r == "agent" and label in ls for r, ls in turns[start + 1 :])

    def any_agent(label: str) -> bool:
        return first("agent", label) is not None

    verdicts = {
        "rudeness": "violation" if any_agent("rude") else "ok",
        "over_promising": "violation" if any_agent("overpromise") else "ok",
    }
    problem = first("customer", "problem")
    verdicts["missing_apology"] = (
        "n/a" if problem is None else "ok" if agent_after(problem, "apology") else "violation"
    )

    # An issue is open once the customer reports a problem or the agent announces a future step
    # (a delivery, a claim, a visit): both need a complete next step unless the customer
    # confirms it resolved. A confirmation settles what came before it; a problem or a step
    # after the last one opens the issue again (as the follow-up rules judge it).
    def opens(index: int) -> bool:
        role, labels = turns[index]
        return "problem" in labels if role == "customer" else "next_what" in labels

    opened = next((i for i in range(len(turns)) if opens(i)), None)
    if opened is not None:
        confirmed = [i for i, (r, ls) in enumerate(turns) if r == "customer" and "resolved" in ls]
        if confirmed and confirmed[-1] > opened:
            opened = next((i for i in range(confirmed[-1] + 1, len(turns)) if opens(i)), None)
    if opened is None:
        verdicts["missing_follow_up"] = "n/a"
    else:
        parts = all(agent_after(opened - 1, p) for p in ("next_what", "next_when", "next_ref"))
        verdicts["missing_follow_up"] = "ok" if parts else "violation"
    emotion = first("customer", "emotion")
    if emotion is None:
        verdicts["lack_of_empathy"] = "n/a"
    else:
        verdicts["lack_of_empathy"] = "ok" if agent_after(emotion, "empathy") else "violation"
    return verdicts


def check_call(row: Mapping[str, Any]) -> list[str]:
    """What is wrong with one labelled call (empty when it is consistent)."""
    problems: list[str] = []
    for key in ("call_id", "language", "turns", "expected"):
        if key not in row:
            problems.append(f"missing {key!r}")
    if problems:
        return problems
    pairs: list[tuple[str, frozenset[str]]] = []
    for index, turn in enumerate(row["turns"]):
        speaker, labels = turn.get("speaker"), turn.get("labels")
        if speaker not in _ROLE_LABELS:
            problems.append(f"turn {index}: speaker must be agent or customer, not {speaker!r}")
            continue
        if not isinstance(labels, list) or not str(turn.get("text", "")).strip():
            problems.append(f"turn {index}: needs non-empty text and a labels list")
            continue
        wrong = set(labels) - _ROLE_LABELS[speaker]
        if wrong:
            problems.append(f"turn {index}: {sorted(wrong)} are not {speaker} labels")
        pairs.append((speaker, frozenset(labels)))
    if problems:
        return problems
    implied = oracle_verdicts(pairs)
    expected = row["expected"]
    for behaviour in BEHAVIOURS:
        if expected.get(behaviour) != implied[behaviour]:
            problems.append(
                f"expected {behaviour}={expected.get(behaviour)!r} but the turn labels imply "
                f"{implied[behaviour]!r}"
            )
    return problems


def check_files(paths: Sequence[Path]) -> tuple[int, Counter[str]]:
    """Print each problem as file:line: message; return the problem count and label counts."""
    errors, counts, seen = 0, Counter[str](), set[str]()
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                print(f"{path}:{number}: not JSON ({exc})")
                errors += 1
                continue
            problems = check_call(row)
            if row.get("call_id") in seen:
                problems.append(f"duplicate call_id {row.get('call_id')!r}")
            seen.add(str(row.get("call_id")))
            for problem in problems:
                print(f"{path}:{number}: {row.get('call_id')}: {problem}")
            errors += len(problems)
            if not problems:
                counts["calls"] += 1
                for turn in row["turns"]:
                    counts["turns"] += 1
                    counts.update(turn["labels"])
                counts.update(f"{b}={v}" for b, v in row["expected"].items())
    return errors, counts


def main(argv: Sequence[str] | None = None) -> int:
    paths = [Path(p) for p in (sys.argv[1:] if argv is None else argv)]
    errors, counts = check_files(paths)
    for key in sorted(counts):
        print(f"{key}\t{counts[key]}")
    print(f"{errors} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
