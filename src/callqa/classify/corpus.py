"""Read the turn-label corpus (`training/corpus/<lang>/*.jsonl`) and split it by group.

A line is one labelled turn, or one labelled call (`callqa.classify.calls`) whose turns become
examples grouped by call.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from callqa.classify import LABELS, TurnInput
from callqa.classify.calls import call_turns, is_labelled_call
from callqa.errors import ConfigError

SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class Example:
    id: str
    group: str
    turn: TurnInput
    labels: frozenset[str]
    source: str = ""


def corpus_files(corpus_dir: Path, lang: str) -> list[Path]:
    return sorted((corpus_dir / lang).glob("*.jsonl"))


def load_corpus(corpus_dir: Path, lang: str) -> list[Example]:
    """Every example of one language, in file then line order; unknown labels are an error."""
    files = corpus_files(corpus_dir, lang)
    if not files:
        raise ConfigError(f"no corpus files in {corpus_dir / lang}")
    examples: list[Example] = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                found = _call_examples(row) if is_labelled_call(row) else [_turn_example(row)]
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(f"{path}:{number}: not a corpus example ({exc})") from None
            for example in found:
                unknown = example.labels - set(LABELS)
                if unknown:
                    raise ConfigError(f"{path}:{number}: unknown label(s) {sorted(unknown)}")
            examples.extend(found)
    return examples


def _turn_example(row: dict[str, Any]) -> Example:
    return Example(
        id=str(row["id"]),
        group=str(row["group"]),
        turn=TurnInput(str(row["text"]), str(row.get("context") or ""), str(row["role"])),
        labels=frozenset(row["labels"]),
        source=str(row.get("source", "")),
    )


def _call_examples(row: dict[str, Any]) -> list[Example]:
    call_id = str(row["call_id"])
    source = str(row.get("source", "written-calls"))
    return [
        Example(
            id=f"{call_id}-t{index:03d}", group=call_id, turn=turn, labels=labels, source=source
        )
        for index, (turn, labels) in enumerate(call_turns(row))
    ]


def split_of(group: str, seed: int) -> str:
    """80/10/10 by a seeded hash of the group: stable when examples are added or reordered."""
    bucket = int(hashlib.sha256(f"{seed}:{group}".encode()).hexdigest(), 16) % 10
    return "test" if bucket == 0 else "dev" if bucket == 1 else "train"


def split(examples: list[Example], seed: int) -> dict[str, list[Example]]:
    parts: dict[str, list[Example]] = {name: [] for name in SPLITS}
    for example in examples:
        parts[split_of(example.group, seed)].append(example)
    return parts


def examples_hash(examples: list[Example]) -> str:
    """A content hash of examples (id, role, context, text, labels), independent of file layout."""
    digest = hashlib.sha256()
    for ex in sorted(examples, key=lambda e: e.id):
        record = [ex.id, ex.group, ex.turn.role, ex.turn.context, ex.turn.text, sorted(ex.labels)]
        digest.update(json.dumps(record, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()
