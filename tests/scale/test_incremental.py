"""Incremental re-audits: after a rule change the cache still holds every call's model scores,
so the re-audit runs no model on an unchanged call and gives exactly the uncached JSON; a model
whose files changed, or a changed call, misses."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from callqa.classify import TurnInput
from callqa.classify.shipped import ShippedClassifier
from callqa.detect.engine import build_detector
from callqa.model import Call
from tests.conftest import RegisterModel
from tests.scale.conftest import SAMPLES


@pytest.fixture
def predicted(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The turn texts of every batch the shipped models score in this process."""
    batches: list[list[str]] = []
    real = ShippedClassifier.predict

    def spy(self: ShippedClassifier, items: Sequence[TurnInput]) -> list[dict[str, float]]:
        batches.append([item.text for item in items])
        return real(self, items)

    monkeypatch.setattr(ShippedClassifier, "predict", spy)
    return batches


def _audit(run_cli, *args: str) -> str:  # type: ignore[no-untyped-def]
    # -j 1: judged in this process, where the spy counts.
    return str(run_cli("audit", *args, "-f", "json", "-j", "1", "--exit-zero", expect=0).stdout)


def test_a_rule_change_reuses_every_model_score(  # type: ignore[no-untyped-def]
    run_cli,
    predicted: list[list[str]],
    changed_rules: Path,
    shipped_json: str,
    changed_json: str,
    tmp_path: Path,
) -> None:
    cache = str(tmp_path / "cache.sqlite")
    assert _audit(run_cli, str(SAMPLES), "--cache", cache) == shipped_json
    assert predicted, "the first audit scores the calls"
    predicted.clear()
    rejudged = _audit(run_cli, str(SAMPLES), "--rules", str(changed_rules), "--cache", cache)
    assert predicted == [], "no model runs again on an unchanged call"
    assert rejudged == changed_json
    assert rejudged != shipped_json, "the rule change must change some verdict"


def test_a_changed_call_is_the_only_one_scored_again(  # type: ignore[no-untyped-def]
    run_cli, predicted: list[list[str]], changed_rules: Path, tmp_path: Path
) -> None:
    calls = tmp_path / "calls"
    calls.mkdir()
    for name in ("en-billing-01.json", "en-cancel-03.json", "he-billing-02.json"):
        shutil.copy(SAMPLES / name, calls / name)
    cache = str(tmp_path / "cache.sqlite")
    _audit(run_cli, str(calls), "--cache", cache)
    edited = calls / "en-billing-01.json"
    edited.write_text(
        edited.read_text(encoding="utf-8").replace('"text": "', '"text": "Well. ', 1),
        encoding="utf-8",
    )
    predicted.clear()
    _audit(run_cli, str(calls), "--rules", str(changed_rules), "--cache", cache)
    assert len(predicted) == 1, "one call changed, in one language: one batch"
    assert any(text.startswith("Well. ") for text in predicted[0])


class _FolderModel:
    """A fake model that, like a shipped one, says which folder its weights came from."""

    name = "callqa.turns.en.v1"
    labels = ("rude",)

    def __init__(self, folder: Path | None) -> None:
        if folder is not None:
            self.folder = folder
        self.batches = 0

    def predict(self, items: Sequence[TurnInput]) -> list[dict[str, float]]:
        self.batches += 1
        return [{"rude": 0.9 if "idiot" in i.text else 0.1} for i in items]


class _DictStore:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, tuple[TurnInput, ...]], list[dict[str, float]]] = {}

    def get_scores(
        self, model: str, fingerprint: str, items: Sequence[TurnInput]
    ) -> list[dict[str, float]] | None:
        return self.rows.get((model, fingerprint, tuple(items)))

    def put_scores(
        self,
        model: str,
        fingerprint: str,
        items: Sequence[TurnInput],
        scores: list[dict[str, float]],
    ) -> None:
        self.rows[(model, fingerprint, tuple(items))] = scores


@pytest.fixture
def use_model(register_model: RegisterModel) -> Callable[[_FolderModel], None]:
    """Registers a fake as the English model; each call loads it afresh (a new process)."""

    def register(model: _FolderModel) -> None:
        register_model("callqa.turns.en.v1", lambda name: model)

    return register


CALL = Call(
    call_id="t",
    language="en",
    turns=[
        {"speaker": "customer", "text": "my router is broken"},
        {"speaker": "agent", "text": "you idiot"},
    ],
)


def test_a_changed_model_digest_misses(
    use_model: Callable[[_FolderModel], None], tmp_path: Path
) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "card.json").write_text('{"name": "callqa.turns.en.v1"}', encoding="utf-8")
    store = _DictStore()
    detector = build_detector(None, None).with_score_store(store)

    first = _FolderModel(folder)
    use_model(first)
    verdict = detector.judge(CALL).verdicts["rudeness"]
    assert (verdict.verdict, first.batches) == ("violation", 1)
    assert detector.judge(CALL).verdicts["rudeness"] == verdict
    assert first.batches == 1, "the same model, the same call: served from the store"

    (folder / "card.json").write_text('{"name": "callqa.turns.en.v1", "x": 1}', encoding="utf-8")
    retrained = _FolderModel(folder)
    use_model(retrained)
    assert detector.judge(CALL).verdicts["rudeness"] == verdict
    assert retrained.batches == 1, "new model files: scored again"
    assert len(store.rows) == 2


def test_a_model_without_a_folder_is_never_cached(
    use_model: Callable[[_FolderModel], None],
) -> None:
    model = _FolderModel(None)
    use_model(model)
    store = _DictStore()
    detector = build_detector(None, None).with_score_store(store)
    detector.judge(CALL)
    detector.judge(CALL)
    assert (model.batches, store.rows) == (2, {})


def test_the_detector_version_follows_the_model_files(
    callqa_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The version keys the cached call results: a model retrained in place must miss them.
    home = tmp_path / "home"
    shutil.copytree(callqa_home, home)
    monkeypatch.setenv("CALLQA_HOME", str(home))
    before = build_detector(None, None).version
    assert before == build_detector(None, None).version
    card = home / "models" / "callqa.turns.he.v1" / "card.json"
    card.write_text(card.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    after = build_detector(None, None).version
    assert after != before and after.split("+")[:2] == before.split("+")[:2]
    (home / "models" / "callqa.turns.he.v1" / "MODEL_CARD.md").write_text("edited prose")
    assert build_detector(None, None).version == after, "prose changes no score"
    assert build_detector(None, None, use_models=False).version.endswith("+rules-only")
