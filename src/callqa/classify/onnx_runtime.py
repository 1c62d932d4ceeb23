"""Run an exported transformer turn classifier with ONNX Runtime and a `tokenizers`
tokenizer: no torch at run time."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from callqa.classify import LABELS, TurnInput

ONNX_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
MAX_TOKENS = 96


def pair(item: TurnInput) -> tuple[str, str]:
    """The model reads (context, "role: text"), so the speaker is part of the input."""
    return item.context, f"{item.role}: {item.text}"


def encode(tokenizer: Any, item: TurnInput) -> Any:
    """Tokenise one turn exactly as in training: a (context, turn) pair, or the turn alone."""
    context, text = pair(item)
    return tokenizer.encode(context, text) if context else tokenizer.encode(text)


def load_tokenizer(path: Path) -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()  # the packaged MiniLM tokenizer pads to 128 otherwise
    tokenizer.enable_truncation(MAX_TOKENS, strategy="longest_first")
    return tokenizer


BATCH = 16
"""Turns per ONNX Runtime call; padded batches of similar length run about twice as fast."""


class OnnxTurnModel:
    """Scores the turns of one `predict` call in padded batches of similar length.

    Dynamic int8 quantisation scales activations per batch, so a turn's score depends (in the
    third decimal) on which turns share its batch. Batches are therefore formed only from the
    items of one `predict` call, in a fixed order: the engine sends one call's turns at a time,
    so a call's scores depend on nothing outside it (not on other calls, file order or worker
    count), and `callqa models eval` scores the held-out turns exactly as training did.
    """

    def __init__(self, folder: Path, threads: int | None = None) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        # Audit workers set OMP_NUM_THREADS=1: one thread each, or N workers fight over the
        # cores with N x cores spinning threads (measured: 2 workers got slower than 1).
        threads = threads or int(os.environ.get("OMP_NUM_THREADS", "0") or 0)
        if threads:
            options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Exact int8 products on every x86 CPU: without AVX-512 VNNI, ONNX Runtime's u8 x s8
        # kernels add pairs of products in saturating int16 and the scores move (by up to 0.1
        # measured here), so a card measured on one CPU would not reproduce on another.
        options.add_session_config_entry("session.x64quantprecision", "1")
        self.session = ort.InferenceSession(
            str(folder / ONNX_FILE), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = load_tokenizer(folder / TOKENIZER_FILE)
        self.input_names = {i.name for i in self.session.get_inputs()}

    def predict(self, items: Sequence[TurnInput]) -> list[dict[str, float]]:
        encodings = [encode(self.tokenizer, item) for item in items]
        # Stable sort by length, so equal-length turns keep their order: the batches are a
        # function of the items alone.
        order = sorted(range(len(items)), key=lambda i: len(encodings[i].ids))
        out: list[dict[str, float]] = [{} for _ in items]
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            width = max(len(encodings[i].ids) for i in chunk)
            feed = {
                name: np.zeros((len(chunk), width), dtype=np.int64)
                for name in ("input_ids", "attention_mask", "token_type_ids")
            }
            for row, i in enumerate(chunk):
                enc, n = encodings[i], len(encodings[i].ids)
                feed["input_ids"][row, :n] = enc.ids
                feed["attention_mask"][row, :n] = enc.attention_mask
                feed["token_type_ids"][row, :n] = enc.type_ids
            (probs,) = self.session.run(
                None, {k: v for k, v in feed.items() if k in self.input_names}
            )
            for row, i in enumerate(chunk):
                out[i] = {label: float(p) for label, p in zip(LABELS, probs[row], strict=True)}
        return out
