"""Character n-gram + logistic-regression turn classifier: trained with scikit-learn,
run with numpy only (weights in safetensors, vocabulary in JSON)."""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import regex

from callqa.classify import LABELS, TurnInput

if TYPE_CHECKING:
    from numpy.typing import NDArray

WEIGHTS_FILE = "ngram.safetensors"
VOCAB_FILE = "ngram_vocab.json"
_WORD = regex.compile(r"[\p{L}\p{N}']+|[?!]")


def features(item: TurnInput) -> list[str]:
    """Char n-grams (2-5, inside word boundaries) and word 1-2 grams of the turn, words of
    the context, and the role: what a linear model needs to see both languages' phrasing."""
    text = item.text.lower()
    words = _WORD.findall(text)
    feats = [f"r:{item.role}"]
    for word in words:
        padded = f" {word} "
        for n in range(2, 6):
            feats.extend(f"c{n}:{padded[i : i + n]}" for i in range(len(padded) - n + 1))
    feats.extend(f"w:{w}" for w in words)
    feats.extend(f"b:{a} {b}" for a, b in itertools.pairwise(words))
    feats.extend(f"x:{w}" for w in _WORD.findall(item.context.lower()))
    return feats


class NgramModel:
    """Sublinear TF-IDF, L2-normalised, times one weight row per label, through a sigmoid
    (the same arithmetic as scikit-learn's TfidfVectorizer + LogisticRegression)."""

    def __init__(
        self,
        vocab: dict[str, int],
        idf: NDArray[np.float32],
        coef: NDArray[np.float32],
        intercept: NDArray[np.float32],
    ) -> None:
        self.vocab = vocab
        self.idf = idf
        self.coef = coef  # (labels, features)
        self.intercept = intercept

    @classmethod
    def load(cls, folder: Path) -> NgramModel:
        from safetensors.numpy import load_file

        tensors = load_file(str(folder / WEIGHTS_FILE))
        vocab = json.loads((folder / VOCAB_FILE).read_text(encoding="utf-8"))
        return cls(
            {f: i for i, f in enumerate(vocab)},
            tensors["idf"],
            tensors["coef"],
            tensors["intercept"],
        )

    def save(self, folder: Path) -> None:
        from safetensors.numpy import save_file

        vocab = sorted(self.vocab, key=self.vocab.__getitem__)
        (folder / VOCAB_FILE).write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        save_file(
            {"idf": self.idf, "coef": self.coef, "intercept": self.intercept},
            str(folder / WEIGHTS_FILE),
            metadata={"labels": ",".join(LABELS)},
        )

    def predict(self, items: Sequence[TurnInput]) -> list[dict[str, float]]:
        out: list[dict[str, float]] = []
        for item in items:
            counts = Counter(i for f in features(item) if (i := self.vocab.get(f)) is not None)
            if counts:
                index = np.fromiter(counts, dtype=np.int64)
                tf = np.array([1.0 + math.log(c) for c in counts.values()], dtype=np.float64)
                weights = tf * self.idf[index]
                weights /= np.linalg.norm(weights) or 1.0
                logits = self.coef[:, index].astype(np.float64) @ weights + self.intercept
            else:
                logits = self.intercept.astype(np.float64)
            probs = 1.0 / (1.0 + np.exp(-logits))
            out.append({label: float(p) for label, p in zip(LABELS, probs, strict=True)})
        return out


def fit_ngram(train: Sequence[tuple[TurnInput, frozenset[str]]], c: float = 4.0) -> NgramModel:
    """Fit one balanced logistic regression per label on the examples its role applies to."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from callqa.classify.metrics import labels_for_role

    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=2, dtype=np.float64)
    matrix: Any = vectorizer.fit_transform([item for item, _ in train])
    vocab = {str(f): int(i) for f, i in vectorizer.vocabulary_.items()}
    coef = np.zeros((len(LABELS), len(vocab)), dtype=np.float32)
    intercept = np.full(len(LABELS), -10.0, dtype=np.float32)  # a label never seen: never fires
    for row, label in enumerate(LABELS):
        rows = [i for i, (item, _) in enumerate(train) if label in labels_for_role(item.role)]
        gold = [label in train[i][1] for i in rows]
        if len(set(gold)) < 2:
            continue
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
        model.fit(matrix[rows], gold)
        coef[row] = model.coef_[0]
        intercept[row] = model.intercept_[0]
    idf = np.asarray(vectorizer.idf_, dtype=np.float32)
    return NgramModel(vocab, idf, coef, intercept)
