"""Render `MODEL_CARD.md` from a model's `card.json`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

CARD_MARKDOWN = "MODEL_CARD.md"


def metrics_table(metrics: dict[str, dict[str, Any]], sources: dict[str, str] | None = None) -> str:
    head = "| label | precision | recall | F1 | support |" + (" source |" if sources else "")
    rule = "|---|---|---|---|---|" + ("---|" if sources else "")
    rows = [head, rule]
    for label, m in metrics.items():
        row = f"| `{label}` | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['support']} |"
        if sources:
            row += f" {sources.get(label, '')} |"
        rows.append(row)
    return "\n".join(rows)


def write_model_card(folder: Path, card: dict[str, Any]) -> None:
    data = card["data"]
    training = card["training"]
    sources = ", ".join(f"{k} ({v})" for k, v in sorted(data["sources"].items()))
    parts = [
        f"# {card['name']}",
        "",
        f"Turn-level multi-label classifier for callqa ({card['lang']}): the 13 labels of "
        "`training/LABELS.md`, scored on a turn with the turn before it as context and the "
        "speaker's role. Labels that do not apply to the speaker's role score 0.",
        "",
        "## Data",
        f"- Corpus: {', '.join(f'`{p}`' for p in data['corpus'])}",
        f"- Origin (the `source` field): {sources}. `written` examples were written for this "
        "project and are MIT-licensed with it; the other sources, their licences and the changes "
        f"made to them are listed in `training/corpus/{card['lang']}/README.md`.",
        f"- {data['examples']} examples, sha256 `{data['sha256']}`",
        f"- Split by `group`, seed {data['seed']}, 80/10/10: {data['split']['train']} train / "
        f"{data['split']['dev']} dev / {data['split']['test']} held-out test. Test examples were "
        "never used for training, early stopping or thresholds (all chosen on dev).",
        "",
        "## Reproduce",
        "```",
        card["command"],
        f"callqa models eval {card['name']}",
        "```",
        f"Training took {training.get('total_seconds', '?')} s on {training['threads']} CPU threads.",
        "",
        "## Held-out metrics (shipped model, thresholds from dev)",
        metrics_table(card["heldout"], card["label_source"]),
        "",
    ]
    for kind, candidate in card["candidates"].items():
        parts += [
            f"## Candidate: {kind} (held-out, alone)",
            metrics_table(candidate["heldout"]),
            "",
        ]
    parts += [
        "## Per-label thresholds (chosen on dev)",
        ", ".join(f"`{k}` {v}" for k, v in card["thresholds"].items()),
        "",
    ]
    (folder / CARD_MARKDOWN).write_text("\n".join(parts), encoding="utf-8")
