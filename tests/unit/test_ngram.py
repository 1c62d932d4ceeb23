"""The n-gram baseline's numpy runtime reproduces scikit-learn's arithmetic."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from callqa.classify import LABELS, TurnInput
from callqa.classify.ngram import NgramModel, features, fit_ngram

pytest.importorskip("sklearn")

TRAIN = [
    (TurnInput("I'm so sorry about that", "it broke", "agent"), frozenset({"apology"})),
    (TurnInput("I apologise for the wait", "", "agent"), frozenset({"apology"})),
    (TurnInput("sorry, that's on us", "", "agent"), frozenset({"apology"})),
    (TurnInput("what is your account number", "", "agent"), frozenset()),
    (TurnInput("please hold the line", "", "agent"), frozenset()),
    (TurnInput("can you spell that number", "", "agent"), frozenset()),
    (TurnInput("אני מצטער מאוד על זה", "", "agent"), frozenset({"apology"})),
    (TurnInput("מה מספר החשבון שלך", "", "agent"), frozenset()),
]


def test_features_cover_text_context_and_role() -> None:
    feats = features(TurnInput("Sorry!", "It broke", "agent"))
    assert "r:agent" in feats and "w:sorry" in feats and "x:broke" in feats
    assert "c3: so" in feats and "w:!" in feats


def test_runtime_matches_sklearn_and_round_trips(tmp_path: Path) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    model = fit_ngram(TRAIN + TRAIN)  # min_df=2: every feature survives
    model.save(tmp_path)
    loaded = NgramModel.load(tmp_path)
    probe = [TurnInput("so sorry about the wait", "", "agent"), TurnInput("account number?")]
    ours = loaded.predict(probe)
    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=2)
    vectorizer.fit([t for t, _ in TRAIN + TRAIN])
    matrix = vectorizer.transform(probe).toarray()
    order = [vectorizer.vocabulary_[f] for f in sorted(loaded.vocab, key=loaded.vocab.get)]
    row = LABELS.index("apology")
    logits = matrix[:, order] @ loaded.coef[row] + loaded.intercept[row]
    expected = 1 / (1 + np.exp(-logits))
    assert [p["apology"] for p in ours] == pytest.approx(expected.tolist(), abs=1e-5)
    assert ours[0]["apology"] > 0.5 > ours[1]["apology"]
