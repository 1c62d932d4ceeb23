"""Utterances per second of the shipped turn classifiers (not part of the test suite).

    .venv/bin/python -m bench.models_speed --calls 100

Turns come from `bench.generate` (seeded). For each model it times the shipped path (one
utterance per ONNX Runtime call, batch-independent scores) and, for comparison, padded batches
sorted by length (faster or not, scores then depend on the batch under dynamic int8).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from bench.generate import generate
from callqa.classify import TurnInput
from callqa.classify.shipped import load_shipped


def turns_of(calls: int, lang: str) -> list[TurnInput]:
    items: list[TurnInput] = []
    for call in generate(calls * 2, seed=7):
        if call["language"] != lang:
            continue
        previous = ""
        for turn in call["turns"]:
            role = "agent" if turn["speaker"] == "agent" else "customer"
            items.append(TurnInput(turn["text"], previous, role))
            previous = turn["text"]
    return items


def batched(model: object, items: list[TurnInput], size: int = 32) -> float:
    """Seconds for padded, length-sorted batches through the same ONNX session."""
    from callqa.classify.onnx_runtime import encode

    session = model.session  # type: ignore[attr-defined]
    tokenizer = model.tokenizer  # type: ignore[attr-defined]
    start = time.perf_counter()
    encodings = sorted((encode(tokenizer, i) for i in items), key=lambda e: len(e.ids))
    for at in range(0, len(encodings), size):
        chunk = encodings[at : at + size]
        width = max(len(e.ids) for e in chunk)
        feed = {
            name: np.array([getattr(e, attr) + [0] * (width - len(e.ids)) for e in chunk])
            for name, attr in (
                ("input_ids", "ids"),
                ("attention_mask", "attention_mask"),
                ("token_type_ids", "type_ids"),
            )
        }
        session.run(None, feed)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=100)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}")
    for lang in ("en", "he"):
        name = f"callqa.turns.{lang}.v1"
        start = time.perf_counter()
        model = load_shipped(name)
        load_s = time.perf_counter() - start
        items = turns_of(args.calls, lang)
        model.predict(items[:20])  # warm-up
        start = time.perf_counter()
        model.predict(items)
        shipped_s = time.perf_counter() - start
        line = f"{name}: load {load_s:.2f} s; {len(items)} turns, shipped path {len(items) / shipped_s:.0f}/s"
        for kind, component in model.components.items():
            start = time.perf_counter()
            component.predict(items)
            line += f"; {kind} alone {len(items) / (time.perf_counter() - start):.0f}/s"
        if "transformer" in model.components:
            seconds = batched(model.components["transformer"], items)
            line += f"; transformer in sorted batches of 32: {len(items) / seconds:.0f}/s"
        print(line)


if __name__ == "__main__":
    main()
