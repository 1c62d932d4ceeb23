"""Utterances per second of the shipped turn classifiers (not part of the test suite).

    .venv/bin/python -m bench.models_speed --calls 100

Turns come from `bench.generate` (seeded), grouped by call. For each model it times the shipped
path (one `predict` per call, the call's turns in padded length-sorted batches), each component
alone, and the transformer fed one turn per ONNX Runtime call (the unbatched way) for comparison.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

from bench.generate import generate
from callqa.classify import TurnInput
from callqa.classify.shipped import load_shipped


def calls_of(calls: int, lang: str) -> list[list[TurnInput]]:
    """The turns of generated calls in one language, grouped by call as the engine sends them."""
    out: list[list[TurnInput]] = []
    for call in generate(calls * 2, seed=7):
        if call["language"] != lang:
            continue
        previous, items = "", []
        for turn in call["turns"]:
            role = "agent" if turn["speaker"] == "agent" else "customer"
            items.append(TurnInput(turn["text"], previous, role))
            previous = turn["text"]
        out.append(items)
    return out


def per_second(
    predict: Callable[[list[TurnInput]], object], groups: list[list[TurnInput]]
) -> float:
    start = time.perf_counter()
    for group in groups:
        predict(group)
    return sum(len(g) for g in groups) / (time.perf_counter() - start)


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
        calls = calls_of(args.calls, lang)
        turns = [[t] for call in calls for t in call]
        model.predict(calls[0])  # warm-up
        line = (
            f"{name}: load {load_s:.2f} s; {len(turns)} turns in {len(calls)} calls; "
            f"shipped path (one predict per call) {per_second(model.predict, calls):.0f}/s"
        )
        for kind, component in model.components.items():
            line += f"; {kind} alone {per_second(component.predict, calls):.0f}/s"
        if "transformer" in model.components:
            single = per_second(model.components["transformer"].predict, turns)
            line += f"; transformer one turn per ONNX call (unbatched) {single:.0f}/s"
        print(line)


if __name__ == "__main__":
    main()
