"""`callqa models list | train | eval`: the shipped turn classifiers, their training and
their held-out figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from callqa.cli import err_console
from callqa.errors import ConfigError, ExitCode
from callqa.paths import models_dir, project_root

models_app = typer.Typer(
    help="List, train and evaluate the turn classifiers in models/.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

FormatOpt = Annotated[str, typer.Option("--format", help="table or json.")]
CorpusOpt = Annotated[
    Path | None,
    typer.Option(
        "--corpus", help="Corpus folder holding <lang>/*.jsonl [default: training/corpus]."
    ),
]


def _corpus(path: Path | None) -> Path:
    return path or project_root() / "training" / "corpus"


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "json"):
        raise typer.BadParameter("expected table or json", param_hint="--format")


def _macro_f1(metrics: dict[str, dict[str, Any]]) -> float | None:
    scored = [m["f1"] for m in metrics.values() if m.get("support")]
    return round(sum(scored) / len(scored), 4) if scored else None


def _model_folder(name: str) -> Path:
    path = Path(name)
    return path if path.is_dir() else models_dir() / name


def list_models(fmt: FormatOpt = "table") -> None:
    """List the models in models/ with their language, components and held-out macro F1.

    Example:  callqa models list --format json
    """
    from callqa.classify.shipped import CARD_FILE, read_card

    _check_format(fmt)
    rows = []
    folder = models_dir()
    for card_path in sorted(folder.glob(f"*/{CARD_FILE}")):
        if card_path.parent.name.startswith("."):
            continue  # a training run in progress
        card = read_card(card_path.parent)
        size = sum(p.stat().st_size for p in card_path.parent.iterdir() if p.is_file())
        rows.append(
            {
                "name": card["name"],
                "lang": card["lang"],
                "labels": len(card["labels"]),
                "label_sources": sorted(set(card["label_source"].values())),
                "heldout_macro_f1": _macro_f1(card.get("heldout", {})),
                "size_mb": round(size / 1e6, 1),
            }
        )
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        err_console.print(f"No models in {folder}.", markup=False)
        return
    typer.echo(f"{'name':<22} {'lang':<4} {'labels':>6} {'macro F1':>8} {'MB':>6}  label sources")
    for r in rows:
        f1 = "-" if r["heldout_macro_f1"] is None else f"{r['heldout_macro_f1']:.3f}"
        typer.echo(
            f"{r['name']:<22} {r['lang']:<4} {r['labels']:>6} {f1:>8} {r['size_mb']:>6}  "
            + ", ".join(r["label_sources"])
        )


def train(
    lang: Annotated[str, typer.Option("--lang", help="en or he.")],
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            help="Hugging Face model id or folder to fine-tune, or 'scratch' "
            "[default: the packaged all-MiniLM-L6-v2 for en, scratch for he].",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Model folder [default: models/<name>].")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Versioned model name.")] = None,
    corpus: CorpusOpt = None,
    seed: Annotated[int, typer.Option("--seed", help="Split and training seed.")] = 13,
    epochs: Annotated[int | None, typer.Option("--epochs", help="Maximum epochs.")] = None,
    lr: Annotated[float | None, typer.Option("--lr", help="Encoder learning rate.")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size")] = 16,
    max_steps: Annotated[
        int | None, typer.Option("--max-steps", help="Stop after N steps.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", help="Use only the first N training examples.")
    ] = None,
    candidates: Annotated[
        str, typer.Option("--candidates", help="Comma-separated: transformer, ngram.")
    ] = "transformer,ngram",
    threads: Annotated[int, typer.Option("--threads", help="CPU threads for torch.")] = 2,
    checkpoint: Annotated[
        Path | None,
        typer.Option("--checkpoint", help="Also save the fp32 transformer (safetensors) here."),
    ] = None,
    layers: Annotated[
        int | None,
        typer.Option("--layers", help="Keep the first N layers of a pretrained encoder."),
    ] = None,
    group_by_length: Annotated[
        bool,
        typer.Option(
            "--group-by-length",
            help="Batch turns of similar token length together (about half the padding work).",
        ),
    ] = False,
) -> None:
    """Train a turn classifier on the corpus and write it, with its model card, to a folder.

    Seeded and reproducible. Progress goes to stderr; the held-out table to stdout.

    Example:  callqa models train --lang he --out /tmp/he-model
    """
    from callqa.classify.train import TrainConfig, train_model

    if lang not in ("en", "he"):
        raise typer.BadParameter("expected en or he", param_hint="--lang")
    kinds = tuple(c.strip() for c in candidates.split(",") if c.strip())
    if not kinds or set(kinds) - {"transformer", "ngram"}:
        raise typer.BadParameter("expected transformer and/or ngram", param_hint="--candidates")
    model_name = name or f"callqa.turns.{lang}.v1"
    config = TrainConfig(
        lang=lang,
        out=out or models_dir() / model_name,
        corpus=_corpus(corpus),
        base=base,
        name=name,
        seed=seed,
        epochs=epochs,
        lr=lr,
        batch_size=batch_size,
        max_steps=max_steps,
        limit=limit,
        threads=threads,
        candidates=kinds,
        checkpoint=checkpoint,
        layers=layers,
        group_by_length=group_by_length,
    )
    card = train_model(config, log=lambda line: err_console.print(line, markup=False))
    err_console.print(f"Wrote {config.out} in {card['training']['total_seconds']} s.", markup=False)
    _print_metrics(card["heldout"], card["label_source"])


def _print_metrics(metrics: dict[str, dict[str, Any]], sources: dict[str, str]) -> None:
    typer.echo(f"{'label':<12} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>7}  source")
    for label, m in metrics.items():
        typer.echo(
            f"{label:<12} {m['precision']:>9.3f} {m['recall']:>7.3f} {m['f1']:>6.3f} "
            f"{m['support']:>7}  {sources.get(label, '')}"
        )


def eval_model(
    name: Annotated[str, typer.Argument(help="Model name in models/, or a model folder.")],
    corpus: CorpusOpt = None,
    split: Annotated[str, typer.Option("--split", help="test (held out) or dev.")] = "test",
    fmt: FormatOpt = "table",
) -> None:
    """Print per-label precision, recall and F1 on the held-out split, with the card's thresholds.

    Uses the held-out examples the card recorded, so the figures reproduce the card's
    even after examples are added to the corpus; exits 1 if they do not.

    Example:  callqa models eval callqa.turns.he.v1 --format json
    """
    from callqa.classify.evaluate import evaluate
    from callqa.classify.shipped import read_card

    _check_format(fmt)
    if split not in ("test", "dev"):
        raise typer.BadParameter("expected test or dev", param_hint="--split")
    folder = _model_folder(name)
    card = read_card(folder)
    result = evaluate(folder, _corpus(corpus), split)
    if result.examples == 0:
        raise ConfigError(f"no {split} examples for {result.name} in {_corpus(corpus)}")
    reproduced = split != "test" or (result.matches_card and result.metrics == card.get("heldout"))
    if fmt == "json":
        typer.echo(json.dumps({**result.as_record(), "reproduces_card": reproduced}, indent=2))
    else:
        _print_metrics(result.metrics, card["label_source"])
    if split == "test" and not reproduced:
        why = "the held-out examples changed" if not result.matches_card else "the figures differ"
        err_console.print(
            f"{result.name}: does not reproduce the model card ({why}).", markup=False
        )
        raise typer.Exit(ExitCode.FINDINGS)


def register(app: typer.Typer) -> None:
    if any(group.name == "models" for group in app.registered_groups):
        return  # main() registers on every call (tests call it many times)
    models_app.command("list")(list_models)
    models_app.command("train")(train)
    models_app.command("eval")(eval_model)
    app.add_typer(models_app, name="models")
