"""The shipped turn classifiers load from models/ offline and score fresh sentences sensibly."""

from __future__ import annotations

import json

import pytest

from callqa.classify import LABELS, TurnInput, get_classifier
from callqa.classify.shipped import load_shipped
from callqa.errors import ModelError
from tests.conftest import REPO

EN = "callqa.turns.en.v1"
HE = "callqa.turns.he.v1"


def _score(name: str, label: str, *items: TurnInput) -> list[float]:
    return [p[label] for p in get_classifier(name).predict(list(items))]


def test_models_folder_stays_small() -> None:
    size = sum(p.stat().st_size for p in (REPO / "models").rglob("*") if p.is_file())
    assert size < 60e6


@pytest.mark.parametrize("name", [EN, HE])
def test_loads_once_with_a_card(name: str) -> None:
    model = get_classifier(name)
    assert model is get_classifier(name)
    assert model.labels == LABELS
    card = json.loads((REPO / "models" / name / "card.json").read_text(encoding="utf-8"))
    assert set(card["thresholds"]) == set(LABELS) and card["heldout"]


def test_english_sensible() -> None:
    ctx = "My internet has been down for three days."
    sorry, neutral = _score(
        EN, "apology",
        TurnInput("I'm really sorry about this, that's our fault.", ctx),
        TurnInput("Can you confirm your postcode for me?", ctx),
    )  # fmt: skip
    assert sorry > neutral
    rude, polite = _score(
        EN, "rude",
        TurnInput("Look, that's not my problem, you obviously didn't read the email.", ctx),
        TurnInput("Unfortunately we can't do that, but I can offer you a callback.", ctx),
    )  # fmt: skip
    assert rude > polite
    feel, plain = _score(
        EN, "empathy",
        TurnInput("That sounds so stressful, I completely understand how frustrating it is.", ctx),
        TurnInput("Your account number is 4471.", ctx),
    )  # fmt: skip
    assert feel > plain


def test_hebrew_sensible() -> None:
    ctx = "האינטרנט לא עובד כבר שלושה ימים."
    sorry, neutral = _score(
        HE, "apology",
        TurnInput("אני ממש מצטער על זה, זו טעות שלנו.", ctx),
        TurnInput("מה מספר תעודת הזהות שלך?", ctx),
    )  # fmt: skip
    assert sorry > neutral
    rude, polite = _score(
        HE, "rude",
        TurnInput("זו לא הבעיה שלי, תקשיב לי טוב, כבר אמרתי לך פעמיים.", ctx),
        TurnInput("לצערי אנחנו לא יכולים לעשות את זה, אבל אפשר לתאם חזרה.", ctx),
    )  # fmt: skip
    assert rude > polite
    angry, calm = _score(
        HE, "abuse",
        TurnInput("אתם חבורה של אידיוטים, אני אדאג שתפוטר!", "", "customer"),
        TurnInput("תודה, עכשיו זה עובד.", "", "customer"),
    )  # fmt: skip
    assert angry > calm


@pytest.mark.parametrize("name", [EN, HE])
def test_scores_are_a_function_of_the_items_sent_together(name: str) -> None:
    """Turns are batched within one predict call (one call's turns at run time): the same items
    give the same scores whatever was scored before, and batching moves a score only slightly
    (dynamic int8 scales activations per batch)."""
    items = [
        TurnInput("I'm sorry for the wait.", "I've been on hold for an hour!"),
        TurnInput("We'll send a technician tomorrow between 8 and 12.", "", "agent"),
        TurnInput("It works now, thanks.", "Can you try again?", "customer"),
        TurnInput("אני מצטערת על ההמתנה", "אני מחכה כבר שעה!", "agent"),
    ]
    model = get_classifier(name)
    together = model.predict(items)
    model.predict(list(reversed(items)))  # other work in between changes nothing
    assert model.predict(items) == together
    alone = [model.predict([item])[0] for item in items]
    for batched, single in zip(together, alone, strict=True):
        assert max(abs(batched[k] - single[k]) for k in batched) <= 0.05
    # Role masking: customer labels are 0 on agent turns and vice versa.
    assert together[0]["problem"] == 0.0 and together[2]["apology"] == 0.0


def test_missing_model_is_a_model_error() -> None:
    with pytest.raises(ModelError, match="not available"):
        load_shipped("callqa.turns.xx.v1")
