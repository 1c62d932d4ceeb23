"""Read the turn-label corpus (`training/corpus/<lang>/*.jsonl`) and split it by group."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from callqa.classify import LABELS, TurnInput
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
                labels = frozenset(row["labels"])
                example = Example(
                    id=str(row["id"]),
                    group=str(row["group"]),
                    turn=TurnInput(
                        str(row["text"]), str(row.get("context") or ""), str(row["role"])
                    ),
                    labels=labels,
                    source=str(row.get("source", "")),
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(f"{path}:{number}: not a corpus example ({exc})") from None
            unknown = labels - set(LABELS)
            if unknown:
                raise ConfigError(f"{path}:{number}: unknown label(s) {sorted(unknown)}")
            examples.append(example)
    return examples


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
