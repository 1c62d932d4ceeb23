"""The rule pack's vetoes on model hits: each turn below would decide its behaviour on the
model's score alone, and the verdict still follows docs/behaviours.md.

- a customer's own misfortune (a death, a theft) is not a complaint: `missing_apology` is n/a;
- "thanks", a bare "yes" or "got the email" does not confirm that the issue is resolved:
  `missing_follow_up` still applies;
- a hedged turn is not a guarantee (`over_promising` ok), unless it goes on to one;
- mild irritation ("a bit annoying") is no emotion trigger: `lack_of_empathy` is n/a;
- a bare "no" answering a question is not rude: `rudeness` ok.

Where a shipped model still scores such a turn over the rule's threshold, the shipped model is
used; where it has learnt the distinction from the corpus (misfortune, hedging), that is tested
too, and a fake model that scores every label 1.0 shows that the veto holds on its own.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple

import pytest
import yaml

from callqa.classify import LABELS, TurnInput, get_classifier
from callqa.detect import Detector, load_detector
from callqa.model import Call
from tests.conftest import REPO, RegisterModel


def _threshold(rule: str, block: str, label: str, lang: str) -> float:
    data = yaml.safe_load((REPO / "rules" / rule).read_text(encoding="utf-8"))
    for part in data[block]["any"]:
        if part.get("label") == label:
            value = part["threshold"]
            return float(value[lang] if isinstance(value, dict) else value)
    raise AssertionError(f"no {label} model in {rule} {block}")


def _call(call_id: str, lang: str, *turns: tuple[str, str]) -> dict[str, Any]:
    return {
        "call_id": call_id,
        "language": lang,
        "agent_id": "a1",
        "turns": [{"speaker": s, "text": t} for s, t in turns],
    }


MISFORTUNE = [
    _call("he-bereavement", "he",
          ("customer", "שלום, אבא שלי נפטר בחודש שעבר ואני צריכה להעביר את חשבון החשמל על שמי"),
          ("agent", "בסדר, מה מספר החוזה?")),
    _call("he-theft", "he",
          ("customer", "היי גנבו לי את הארנק עם הכרטיס אתמול בערב אני צריך לחסום אותו"),
          ("agent", "חסמתי את הכרטיס")),
    _call("en-bereavement", "en",
          ("customer", "hi my husband passed away in march and the phone contract is still in his name"),
          ("agent", "ok i need the death certificate")),
    _call("en-theft", "en",
          ("customer", "Someone stole my phone on the train this morning and I need the line blocked."),
          ("agent", "Done, the line is blocked.")),
]  # fmt: skip

NOT_CONFIRMED = [
    _call("he-thanks", "he",
          ("customer", "חויבתי פעמיים על חשבון המים של ינואר"),
          ("agent", "רואה. כפל חיוב. יוחזר בקרוב לאמצעי התשלום"),
          ("customer", "טוב תודה רבה")),
    _call("he-yes", "he",
          ("customer", "האינטרנט נופל כל ערב כבר שבוע"),
          ("agent", "אני פותחת קריאה לטכנאי, בסדר?"),
          ("customer", "כן"),
          ("agent", "מישהו יחזור אלייך")),
    _call("en-thanks", "en",
          ("customer", "I was charged twice for the same water bill, 312 each time."),
          ("agent", "I see the double charge. It will be refunded soon."),
          ("customer", "Great, thank you so much.")),
    # The confirmation e-mail or SMS has arrived; the visit it confirms has not happened yet.
    _call("en-got-email", "en",
          ("customer", "My broadband drops every evening this week."),
          ("agent", "I've opened a fault ticket and sent the confirmation to your email."),
          ("customer", "Yes, got the email.")),
    # Gratitude and praise for the agent are not a report that the fix works.
    _call("en-grateful", "en",
          ("customer", "The refund for my cancelled order still hasn't come through."),
          ("agent", "I've chased it, it'll be back on your card within 7 working days."),
          ("customer", "Great, thanks for sorting it so quickly, you've been brilliant.")),
    _call("en-thanks-name", "en",
          ("customer", "The refund for my cancelled order still hasn't come through."),
          ("agent", "I've chased it, it'll be back on your card within 7 working days."),
          ("customer", "All right. Thank you so much, Tanya.")),
    _call("he-thanks-for-help", "he",
          ("customer", "חייבו אותי פעמיים על המנוי החודש"),
          ("agent", "העברתי לטיפול, הזיכוי ייכנס בחשבונית הבאה"),
          ("customer", "תודה רבה על העזרה")),
    _call("he-got-the-sms", "he",
          ("customer", "האינטרנט נופל כל ערב כבר שבוע"),
          ("agent", "פתחתי קריאה לטכנאי ושלחתי לך SMS עם מספר הקריאה"),
          ("customer", "קיבלתי את הסמס, תודה")),
    _call("he-praise", "he",
          ("customer", "חייבו אותי פעמיים על המנוי החודש"),
          ("agent", "העברתי לטיפול, הזיכוי ייכנס בחשבונית הבאה"),
          ("customer", "תודה רבה, באמת היית נחמדה")),
    _call("he-got-sms", "he",
          ("customer", "האינטרנט נופל כל ערב כבר שבוע"),
          ("agent", "פתחתי קריאה לטכנאי ושלחתי לך SMS עם מספר הקריאה"),
          ("customer", "מעולה, קיבלתי את ההודעה")),
    _call("he-sms-arrived", "he",
          ("customer", "האינטרנט נופל כל חצי שעה כבר שלושה ימים ואני עובד מהבית"),
          ("agent", "פתחתי קריאה לטכנאי, מספר 48213, ותקבל SMS עם האישור"),
          ("customer", "טוב. הגיע ה-SMS, אני רואה אותו.")),
    # Sarcastic thanks, and thanks for a stopgap that "will help", confirm nothing.
    _call("he-thanks-for-nothing", "he",
          ("customer", "אין מים בכל הבניין מהבוקר ואבא שלי צריך מים לתרופות"),
          ("agent", "כמו שאמרתי, זה בטיפול. כשיהיה עדכון נעדכן באתר"),
          ("customer", "יופי. תודה על כלום.")),
    _call("he-will-help", "he",
          ("customer", "אין לי אינטרנט מאתמול בערב ויש לי מחר פגישה עם לקוח"),
          ("agent", "אם יש לך גלישה בסלולר אפשר לפתוח נקודה חמה, ואני מוסיף לך עשרים ג'יגה בלי עלות עד שהתקלה תתוקן"),
          ("customer", "זה יעזור מאוד תודה")),
]  # fmt: skip


HEDGED = [
    _call("he-hedged", "he",
          ("customer", "אפשר פיצוי?"),
          ("agent", "אני לא מבטיח כלום, אבל אני אבקש מהמחלקה שיבדקו זיכוי מלא על כל החודשים")),
]  # fmt: skip
MILD = _call("en-mild", "en",
             ("customer", "my parcel came a day late which was a bit annoying to be honest"),
             ("agent", "ok its showing delivered now"))  # fmt: skip
BARE_NO = _call("he-bare-no", "he",
                ("customer", "כן רואה וזה לא עולה כסף"),
                ("agent", "לא"))  # fmt: skip
HEDGE_THEN_GUARANTEE = _call("he-hedge-then-guarantee", "he",
                             ("customer", "זה יתוקן היום?"),
                             ("agent", "אני לא יכולה להבטיח, אבל הטכנאי בטוח יגיע היום ויתקן הכל"))  # fmt: skip


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """All calls above, audited once with the shipped rules and models through the CLI."""
    from callqa.cli import main

    folder = tmp_path_factory.mktemp("vetoes")
    calls = folder / "calls.jsonl"
    calls.write_text(
        "".join(
            json.dumps(c, ensure_ascii=False) + "\n"
            for c in [*MISFORTUNE, *NOT_CONFIRMED, *HEDGED, HEDGE_THEN_GUARANTEE, MILD, BARE_NO]
        ),
        encoding="utf-8",
    )
    out = folder / "out.json"
    with pytest.raises(SystemExit) as exit_info:
        main(["audit", str(calls), "-f", "json", "-j", "1", "-q", "-o", str(out)])
    assert exit_info.value.code == 0
    payload = json.loads(out.read_text(encoding="utf-8"))
    return {
        c["call_id"]: {b: v["verdict"] for b, v in c["verdicts"].items()} for c in payload["calls"]
    }


def _model_score(call: dict[str, Any], index: int, label: str) -> float:
    turns = call["turns"]
    item = TurnInput(
        turns[index]["text"], turns[index - 1]["text"] if index else "", turns[index]["speaker"]
    )
    return get_classifier(f"callqa.turns.{call['language']}.v1").predict([item])[0][label]


class Case(NamedTuple):
    """A call, where the rule's model matcher is (file, block, label), the turn it scores, and
    the verdict the definitions give."""

    call: dict[str, Any]
    matcher: tuple[str, str, str]
    turn: int
    behaviour: str
    expected: str

    def score_and_threshold(self) -> tuple[float, float]:
        rule, block, label = self.matcher
        lang = self.call["language"]
        return _model_score(self.call, self.turn, label), _threshold(rule, block, label, lang)


def _ids(cases: list[Case]) -> list[str]:
    return [c.call["call_id"] for c in cases]


APO = ("missing_apology/after_problem.yaml", "trigger", "problem")
FUP = ("missing_follow_up/next_step.yaml", "cancel", "resolved")
OVP = ("over_promising/guarantees.yaml", "match", "overpromise")
EMP = ("lack_of_empathy/acknowledge_feeling.yaml", "trigger", "emotion")
RUD = ("rudeness/dismissive.yaml", "match", "rude")
# The shipped model scores these over the rule's threshold: only the veto stands in its way.
CASES = [Case(c, FUP, 2, "missing_follow_up", "violation") for c in NOT_CONFIRMED] + [
    Case(MILD, EMP, 0, "lack_of_empathy", "n/a"),
    Case(BARE_NO, RUD, 1, "rudeness", "ok"),
]
# Since the corpus's own-misfortune and hedging examples the shipped models score these under
# the threshold themselves.
LEARNT = [Case(c, APO, 0, "missing_apology", "n/a") for c in MISFORTUNE] + [
    Case(c, OVP, 1, "over_promising", "ok") for c in HEDGED
]


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_a_vetoed_model_hit_does_not_decide(
    case: Case, verdicts: dict[str, dict[str, str]]
) -> None:
    score, threshold = case.score_and_threshold()
    assert score >= threshold  # the model alone would decide
    assert verdicts[case.call["call_id"]][case.behaviour] == case.expected


def test_a_hedge_does_not_excuse_the_guarantee_after_it(
    verdicts: dict[str, dict[str, str]],
) -> None:
    assert verdicts[HEDGE_THEN_GUARANTEE["call_id"]]["over_promising"] == "violation"


@pytest.mark.parametrize("case", LEARNT, ids=_ids(LEARNT))
def test_the_shipped_model_has_learnt_the_distinction(
    case: Case, verdicts: dict[str, dict[str, str]]
) -> None:
    score, threshold = case.score_and_threshold()
    assert score < threshold
    assert verdicts[case.call["call_id"]][case.behaviour] == case.expected


class _Saturated:
    """A model that scores every label 1.0 on every turn: only the vetoes stand in its way."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.labels = LABELS

    def predict(self, items: Sequence[TurnInput]) -> list[dict[str, float]]:
        return [dict.fromkeys(LABELS, 1.0) for _ in items]


@pytest.fixture
def saturated(register_model: RegisterModel) -> Detector:
    for lang in ("en", "he"):
        register_model(f"callqa.turns.{lang}.v1", _Saturated)
    return load_detector()


@pytest.mark.parametrize("case", LEARNT, ids=_ids(LEARNT))
def test_the_veto_holds_against_a_model_that_flags_everything(
    case: Case, saturated: Detector
) -> None:
    judgement = saturated.judge(Call.model_validate(case.call))
    assert judgement.verdicts[case.behaviour].verdict == case.expected


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Honestly, we dropped the ball there, I'm sorry. I've sent a new one today."),
        ("he", "פישלנו, אני מצטערת. שלחתי לך חדש היום"),
    ],
)
def test_a_sincere_apology_is_not_rude_on_a_model_score_alone(
    lang: str, text: str, saturated: Detector
) -> None:
    call = _call(f"{lang}-apology", lang, ("customer", "The parcel never came."), ("agent", text))
    assert saturated.judge(Call.model_validate(call)).verdicts["rudeness"].verdict == "ok"


def test_a_non_apology_gets_no_such_pass(saturated: Detector) -> None:
    call = _call("en-non-apology", "en", ("customer", "The parcel never came."),
                 ("agent", "I'm sorry you feel that way."))  # fmt: skip
    assert saturated.judge(Call.model_validate(call)).verdicts["rudeness"].verdict == "violation"
