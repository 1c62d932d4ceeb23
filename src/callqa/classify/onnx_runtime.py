"""Run an exported transformer turn classifier with ONNX Runtime and a `tokenizers`
tokenizer: no torch at run time, one utterance per session call."""

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


class OnnxTurnModel:
    """Scores each utterance in its own session call. Dynamic int8 quantisation scales
    activations per batch, so a shared batch would make a turn's score depend on its
    neighbours; unpadded single-utterance runs are about as fast as padded batches here."""

    def __init__(self, folder: Path, threads: int | None = None) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        # Audit workers set OMP_NUM_THREADS=1: one thread each, or N workers fight over the
        # cores with N x cores spinning threads (measured: 2 workers got slower than 1).
        threads = threads or int(os.environ.get("OMP_NUM_THREADS", "0") or 0)
        if threads:
            options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(folder / ONNX_FILE), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = load_tokenizer(folder / TOKENIZER_FILE)
        self.input_names = {i.name for i in self.session.get_inputs()}

    def predict(self, items: Sequence[TurnInput]) -> list[dict[str, float]]:
        out: list[dict[str, float]] = []
        for item in items:
            enc = encode(self.tokenizer, item)
            feed = {
                "input_ids": np.asarray([enc.ids], dtype=np.int64),
                "attention_mask": np.asarray([enc.attention_mask], dtype=np.int64),
                "token_type_ids": np.asarray([enc.type_ids], dtype=np.int64),
            }
            feed = {k: v for k, v in feed.items() if k in self.input_names}
            (probs,) = self.session.run(None, feed)
            out.append({label: float(p) for label, p in zip(LABELS, probs[0], strict=True)})
        return out
