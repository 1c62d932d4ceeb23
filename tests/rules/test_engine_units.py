"""Unit tests of the rule engine's parts: normalisation, numbers, matchers, combination."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callqa.classify import TurnInput
from callqa.detect import Detector
from callqa.detect.engine import build_detector
from callqa.detect.hebrew import expand_gendered
from callqa.detect.matchers import compile_phrases
from callqa.detect.numbers import extract_quantities
from callqa.detect.text import normalise_text
from callqa.model import Call
from tests.conftest import RegisterModel


def _call(*turns: tuple[str, str], **times: list[tuple[float, float]]) -> Call:
    return Call(call_id="t", turns=[{"speaker": role, "text": text} for role, text in turns])


@functools.cache
def _shipped_rules() -> Detector:
    return build_detector(None, None, use_models=False)


def _rules_verdict(customer: str, agent: str, behaviour: str) -> str:
    """The shipped rule pack's verdict (no models) on a two-turn call."""
    call = _call(("customer", customer), ("agent", agent))
    return _shipped_rules().judge(call).verdicts[behaviour].verdict


def _quantities(text: str) -> list[tuple[str, float]]:
    return [(q.kind, q.value) for q in extract_quantities(normalise_text(text).split())]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thirty percent off", ("percent", 30.0)),
        ("שלושים אחוז הנחה", ("percent", 30.0)),
        ("a credit of two hundred and fifty dollars", ("money", 250.0)),
        ("זיכוי של מאתיים שקל", ("money", 200.0)),
        ('פיצוי של 300 ש"ח', ("money", 300.0)),
        ("NIS 200", ("money", 200.0)),
        ("£75 goodwill", ("money", 75.0)),
        ("6 months free", ("duration", 180.0)),
        ("חצי שנה חינם", ("duration", 182.5)),
        ("within the hour", ("duration", 0.0)),
        ("עד הערב", ("duration", 0.0)),
        ("ומחר", ("duration", 1.0)),
    ],
)
def test_quantities(text: str, expected: tuple[str, float]) -> None:
    assert expected in _quantities(text)


def test_range_keeps_both_ends() -> None:
    assert _quantities("5 to 10 business days") == [("duration", 5.0), ("duration", 10.0)]


def test_lone_article_is_not_a_number() -> None:
    assert _quantities("a $150 credit") == [("money", 150.0)]


def test_hebrew_normalisation_folds_niqqud_finals_and_punctuation() -> None:
    assert normalise_text("אֲנִי מִצְטַעֶרֶת!") == normalise_text("אני מצטערת.")
    assert normalise_text("שלום").endswith("מ")
    assert normalise_text("I can't") == "i cant"


@pytest.mark.parametrize(
    ("language", "texts", "expected"),
    [
        ("he", ["שלום, במה אפשר לעזור?", "👍", "12:30", "ok"], ["he", "he", "he", "en"]),
        ("en", ["hello", "👍"], ["en", "en"]),
        # A mixed call: a turn with no letters follows the turn before it.
        ("mixed", ["hello", "👍", "תודה", "👍"], ["en", "en", "he", "he"]),
    ],
)
def test_a_turn_with_no_letters_takes_the_calls_language(
    language: str, texts: list[str], expected: list[str]
) -> None:
    from callqa.detect.context import CallContext
    from callqa.detect.policy import Policy

    call = Call(
        call_id="t", language=language, turns=[{"speaker": "agent", "text": t} for t in texts]
    )
    assert [t.lang for t in CallContext.of(call, Policy()).turns] == expected


def test_gendered_expansion() -> None:
    assert expand_gendered("אני מצטער/ת") == ["אני מצטער", "אני מצטערת"]


@pytest.mark.parametrize(
    ("phrase", "text", "hit"),
    [
        ("מצטער/ת", "ואני מצטערת", True),  # prefix clitic and feminine form
        ("מבין/ה", "שמבינה", True),
        ("סליחה על אי הנוחות", "סליחה על אי-הנוחות", True),
        ("i ** sorry", "I am really so sorry", True),
        ("apologi*", "we apologise", True),
        ("sorry", "sorrow", False),
    ],
)
def test_phrase_matching(phrase: str, text: str, hit: bool) -> None:
    assert bool(compile_phrases([phrase]).search(normalise_text(text))) is hit


@pytest.mark.parametrize(
    ("agent", "verdict"),
    [
        ("Sorry, that's come through blurry, could you resend it?", "violation"),
        ("Sorry, Lakeshore... could you spell the second part?", "violation"),
        ("I can't see it yet. Sorry, could you read me the order number?", "violation"),
        ("sorry can you say that again", "violation"),
        ("I'm so sorry about that, could you give me the account number?", "ok"),
        ("Sorry for the wait, can you confirm your postcode?", "ok"),
        ("I'm really sorry. Can I get your account number?", "ok"),
        ("Oh no, sorry, that's awful. Can I take your number?", "ok"),
        ("I'm sorry this happened. Sorry, could you spell that?", "ok"),
    ],
)
def test_a_bare_sorry_leading_into_a_request_is_a_courtesy(agent: str, verdict: str) -> None:
    assert _rules_verdict("My router is broken.", agent, "missing_apology") == verdict


def test_negation_and_courtesy_sorry_on_the_shipped_pack() -> None:
    detector = build_detector(None, None, use_models=False)
    courtesy = detector.judge(
        _call(("customer", "My router is broken."), ("agent", "Sorry, could you repeat that?"))
    )
    assert courtesy.verdicts["missing_apology"].verdict == "violation"
    real = detector.judge(
        _call(("customer", "My router is broken."), ("agent", "I'm so sorry about that."))
    )
    assert real.verdicts["missing_apology"].verdict == "ok"
    hedged = detector.judge(
        _call(
            ("customer", "Will it be fixed?"), ("agent", "I can't promise, but I'll escalate it.")
        )
    )
    assert hedged.verdicts["over_promising"].verdict == "ok"
    promised = detector.judge(
        _call(("customer", "Will it be fixed?"), ("agent", "I promise it will be fixed today."))
    )
    assert promised.verdicts["over_promising"].verdict == "violation"


def test_policy_override_changes_the_verdict(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("max_discount_percent: 60\n", encoding="utf-8")
    call = _call(("customer", "Too expensive."), ("agent", "I can give you 50% off."))
    assert (
        build_detector(None, None, use_models=False).judge(call).verdicts["over_promising"].verdict
        == "violation"
    )
    assert (
        build_detector(None, str(policy), use_models=False)
        .judge(call)
        .verdicts["over_promising"]
        .verdict
        == "ok"
    )


@pytest.mark.parametrize(
    ("agent", "verdict"),
    [
        # The refund sits in the clause of the policy window, not of "immediately".
        ("Store credit shows immediately, or a refund takes 5 to 10 business days.", "ok"),
        # Without punctuation (ASR) there is no clause to stop at: the window decides.
        ("store credit shows immediately or a refund takes 5 to 10 business days", "violation"),
        # One quantity: the clause mark does not hide its context.
        ("Your refund, it will be back tomorrow.", "violation"),
        ("Your refund will be back within the hour, and store credit in 5 days.", "violation"),
    ],
)
def test_a_policy_quantity_keeps_to_its_clause_beside_another(agent: str, verdict: str) -> None:
    assert _rules_verdict("I was charged twice.", agent, "over_promising") == verdict


class _FakeModel:
    """Scores `apology` 0.9 on agent turns containing 'regret', `problem` 0.9 on 'meh'."""

    name = "fake"
    labels = ("apology", "problem")

    def __init__(self) -> None:
        self.calls = 0

    def predict(self, items: Sequence[TurnInput]) -> list[dict[str, float]]:
        self.calls += 1
        return [
            {
                "apology": 0.9 if "regret" in i.text else 0.1,
                "problem": 0.9 if "meh" in i.text else 0.0,
            }
            for i in items
        ]


def test_model_matcher_counts_and_batches_once_per_call(register_model: RegisterModel) -> None:
    fake = _FakeModel()
    register_model("callqa.turns.en.v1", lambda name: fake)
    detector = build_detector(None, None, use_models=True)
    call = _call(("customer", "meh, the thing"), ("agent", "we deeply regret this"))
    verdict = detector.judge(call).verdicts["missing_apology"]
    assert verdict.verdict == "ok"
    assert any(e.signal == "model" and e.score == 0.9 for e in verdict.evidence)
    assert fake.calls == 1  # one batch for the whole call
    rules_only = build_detector(None, None, use_models=False).judge(call)
    assert rules_only.verdicts["missing_apology"].verdict == "n/a"


def test_a_confident_model_vetoes_a_phrase_trigger_and_only_with_models(
    register_model: RegisterModel,
) -> None:
    """APO001's phrase trigger ("broken") gives way where the English model is sure the turn is
    no complaint (`below:`); without models, or where the model agrees, the phrase decides."""
    fake = _FakeModel()
    register_model("callqa.turns.en.v1", lambda name: fake)
    with_models = build_detector(None, None, use_models=True)
    rules_only = build_detector(None, None, use_models=False)
    sure_not = _call(("customer", "the screen is broken"), ("agent", "ok, the model number?"))
    agrees = _call(("customer", "meh, the screen is broken"), ("agent", "ok, the model?"))

    def verdict(detector: Detector, call: Call) -> str:
        return detector.judge(call).verdicts["missing_apology"].verdict

    assert verdict(rules_only, sure_not) == "violation"
    assert verdict(with_models, sure_not) == "n/a"  # the fake scores `problem` 0.0
    assert verdict(with_models, agrees) == "violation"


def test_unavailable_model_is_a_warning_not_a_failure(register_model: RegisterModel) -> None:
    from callqa.errors import ModelError

    def broken(name: str) -> _FakeModel:
        raise ModelError("not installed")

    register_model("callqa.turns.en.v1", broken)
    detector = build_detector(None, None, use_models=True)
    judgement = detector.judge(_call(("customer", "hello"), ("agent", "hi")))
    assert any("unavailable" in w for w in judgement.warnings)
    assert judgement.verdicts["rudeness"].verdict == "ok"


def test_metric_gap_uses_timestamps() -> None:
    detector = build_detector(None, None, use_models=False)
    call = Call(
        call_id="t",
        turns=[
            {"speaker": "agent", "text": "Please hold.", "start": 0, "end": 2},
            {"speaker": "agent", "text": "Thanks for holding.", "start": 200, "end": 202},
        ],
    )
    assert "long_hold" in [s.name for s in detector.judge(call).signals]


def _shipped_lexicons() -> dict[str, list[str]]:
    from callqa.detect.ruleset import load_lexicons
    from callqa.paths import default_rules_dir

    return load_lexicons(default_rules_dir())


_LEXICONS = _shipped_lexicons()


def _plain(word: str) -> str:
    """A lexicon word as a turn would say it: 'apologi*' -> 'apologi', 'מצטער/ת' -> 'מצטערת'."""
    return word.rstrip("*").replace("/", "")


_WORDS = sorted(
    {w for phrases in _LEXICONS.values() for p in phrases for w in p.split()} - {"*", "**"}
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(_LEXICONS)),
    words=st.lists(
        st.one_of(
            st.sampled_from(_WORDS).map(_plain),
            st.sampled_from(["ו", "וש", "כש", "ה", "ל"]).flatmap(
                lambda p: st.sampled_from(_WORDS).map(lambda w: p + _plain(w))
            ),
            st.sampled_from(["the", "לא", "?", ".", "so", "בבקשה", "x9"]),
        ),
        max_size=14,
    ),
)
def test_the_anchor_index_finds_exactly_what_the_full_regex_finds(
    name: str, words: list[str]
) -> None:
    pattern = compile_phrases(_LEXICONS[name])
    text = normalise_text(" ".join(words))
    indexed = [(m.start(), m.group()) for m in pattern.finditer(text)]
    full = [(m.start(), m.group()) for m in pattern.regex.finditer(text)]
    assert indexed == full
    masked = pattern.sub(lambda m: "#" * len(m.group()), text)
    assert masked == pattern.regex.sub(lambda m: "#" * len(m.group()), text)


def test_model_thresholds_may_differ_per_language(tmp_path: Path) -> None:
    from callqa.detect.matchers import ModelMatcher, build_matcher
    from callqa.detect.source import load_yaml
    from callqa.errors import RuleError

    def built(threshold: str) -> object:
        path = tmp_path / "m.yaml"
        path.write_text(
            f'{{model: "callqa.turns.{{lang}}.v1", label: rude, threshold: {threshold}}}\n',
            encoding="utf-8",
        )
        return build_matcher(load_yaml(path))

    matcher = built("{en: 0.8, he: 0.4}")
    assert isinstance(matcher, ModelMatcher)
    assert (matcher.threshold_for("en"), matcher.threshold_for("he")) == (0.8, 0.4)
    assert matcher.threshold_for("mixed") == 0.5  # no default given
    scalar = built("0.7")
    assert isinstance(scalar, ModelMatcher) and scalar.threshold_for("he") == 0.7
    for bad in ("{fr: 0.5}", "{en: 1.5}", "true", "{}"):
        with pytest.raises(RuleError, match=r"m\.yaml:1: .*threshold"):
            built(bad)


def test_below_fires_only_under_its_value_in_the_languages_it_names(tmp_path: Path) -> None:
    from callqa.detect.matchers import ModelMatcher, build_matcher
    from callqa.detect.source import load_yaml
    from callqa.errors import RuleError

    def built(fields: str) -> object:
        path = tmp_path / "m.yaml"
        path.write_text(
            f'{{model: "callqa.turns.{{lang}}.v1", label: problem, {fields}}}\n', encoding="utf-8"
        )
        return build_matcher(load_yaml(path))

    matcher = built("below: {en: 0.3}")
    assert isinstance(matcher, ModelMatcher) and matcher.below
    assert (matcher.threshold_for("en"), matcher.threshold_for("he")) == (0.3, 0.0)
    with pytest.raises(RuleError, match=r"m\.yaml:1: .*threshold or below"):
        built("threshold: 0.5, below: 0.3")
    with pytest.raises(RuleError, match=r"m\.yaml:1: below must be"):
        built("below: 2")


def test_a_regex_list_may_name_a_lexicon_of_regexes(tmp_path: Path) -> None:
    from callqa.detect.matchers import LEXICONS, RegexMatcher, build_matcher
    from callqa.detect.source import load_yaml

    path = tmp_path / "m.yaml"
    path.write_text('{regex: ["@closing", "@\\\\w+\\\\.com"]}\n', encoding="utf-8")
    token = LEXICONS.set({"closing": [r"^\W*(thanks|תודה)\W*$"]})
    try:
        matcher = build_matcher(load_yaml(path))
    finally:
        LEXICONS.reset(token)
    assert isinstance(matcher, RegexMatcher) and matcher.pattern is not None
    assert matcher.pattern.search("Thanks!") and matcher.pattern.search("תודה.")
    assert matcher.pattern.search("write to @example.com")  # not a lexicon name: a pattern
    assert not matcher.pattern.search("thanks, it works now")


def test_one_model_hit_read_by_two_rules_is_one_piece_of_evidence() -> None:
    from types import SimpleNamespace

    from callqa.detect.checks.base import Outcome
    from callqa.detect.engine import _combine
    from callqa.model import Evidence

    def hit(rule: str, turn: int, signal: str, score: float | None, note: str) -> Evidence:
        return Evidence(turn=turn, quote="q", role="agent", rule=rule, signal=signal,  # type: ignore[arg-type]
                        score=score, note=note)  # fmt: skip

    model = "callqa.turns.en.v1:rude"
    outcomes = [
        (SimpleNamespace(code="RUD001", message="a"),
         Outcome("violation", [hit("RUD001", 3, "model", 0.71, model)])),
        (SimpleNamespace(code="RUD003", message="b"),
         Outcome("violation", [hit("RUD003", 3, "model", 0.71, model),
                               hit("RUD003", 5, "rule", None, "matched: whatever")])),
        (SimpleNamespace(code="RUD002", message="c"),
         Outcome("violation", [hit("RUD002", 5, "rule", None, "matched: as i said")])),
    ]  # fmt: skip
    verdict = _combine(outcomes)  # type: ignore[arg-type]
    assert [(e.turn, e.rule) for e in verdict.evidence] == [
        (3, "RUD001"),
        (5, "RUD003"),
        (5, "RUD002"),
    ]
    assert verdict.rules == ["RUD001", "RUD003", "RUD002"]


@pytest.mark.parametrize(
    ("source", "text", "hit"),
    [
        ("phrases: [tuesday]", "the engineer comes on tuesday", True),
        ("phrases: [tuesday]", "it came last tuesday", False),
        ("phrases: [tuesday]", "last week was hard, the engineer comes tuesday", True),  # clause
        ("phrases: [tuesday]", "the engineer comes on tuesday as you asked yesterday", True),  # far
        ("regex: ['\\b\\d{1,2}:\\d\\d\\b']", "I can see it, yesterday 23:41.", False),
        ("regex: ['\\b\\d{1,2}:\\d\\d\\b']", "yesterday 23:41, so I'll call you at 10:30", True),
        ("phrases: [יום שלישי]", "זה הגיע ביום שלישי", False),
        ("phrases: [יום שלישי]", "הטכנאי יגיע ביום שלישי", True),
    ],
)
def test_unless_near_undoes_a_match_with_a_veto_word_beside_it(
    tmp_path: Path, source: str, text: str, hit: bool
) -> None:
    from callqa.detect.context import CallContext
    from callqa.detect.matchers import build_matcher
    from callqa.detect.policy import Policy
    from callqa.detect.source import load_yaml

    path = tmp_path / "m.yaml"
    vetoes = '["yesterday", "last tuesday", "הגיע"]'
    path.write_text(f"{{{source}, unless_near: {vetoes}}}\n", encoding="utf-8")
    matcher = build_matcher(load_yaml(path))
    ctx = CallContext.of(_call(("agent", text)), Policy())
    assert (matcher.match(ctx.turns[0], ctx) is not None) is hit


def test_unless_near_is_refused_on_a_model_matcher(tmp_path: Path) -> None:
    from callqa.detect.matchers import build_matcher
    from callqa.detect.source import load_yaml
    from callqa.errors import RuleError

    path = tmp_path / "m.yaml"
    path.write_text(
        '{model: "callqa.turns.en.v1", label: rude, unless_near: [yesterday]}\n', encoding="utf-8"
    )
    with pytest.raises(RuleError, match="unless_near goes with phrases or regex"):
        build_matcher(load_yaml(path))


def test_a_confirmed_fix_is_na_with_the_turns_that_settled_it() -> None:
    call = _call(
        ("customer", "My internet is not working since this morning."),
        ("agent", "I've reset the line from here, can you check?"),
        ("customer", "Yes, it works now, thanks."),
    )
    verdict = _shipped_rules().judge(call).verdicts["missing_follow_up"]
    assert verdict.verdict == "n/a"
    assert [(e.turn, e.note) for e in verdict.evidence] == [(0, "trigger"), (2, "cancelled")]


def test_a_step_announced_after_the_confirmation_opens_follow_up_again() -> None:
    fixed = [
        ("customer", "My internet is not working since this morning."),
        ("agent", "I've reset the line from here, can you check?"),
        ("customer", "Yes, it works now, thanks."),
    ]
    vague = _call(*fixed, ("agent", "A technician will call you to replace the router anyway."))
    verdict = _shipped_rules().judge(vague).verdicts["missing_follow_up"]
    assert verdict.verdict == "violation"
    assert 3 in [e.turn for e in verdict.evidence]
    full = _call(
        *fixed,
        ("agent", "A technician will call you tomorrow between 8 and 12 to swap the router, "
                  "ticket 48213, and you'll get an SMS confirmation."),
    )  # fmt: skip
    assert _shipped_rules().judge(full).verdicts["missing_follow_up"].verdict == "ok"


def test_a_time_said_before_any_step_is_named_is_no_time_of_that_step() -> None:
    # FUP001's `parts_from: what`: the agent restating the customer's deadline comes first.
    deadline = ("agent", "I hear you, with the report due tomorrow at 9 that's awful timing.")
    step = ("agent", "I've opened ticket 88-4471 with the developers, they'll email you.")
    late = _call(("customer", "The PDF export is not working since the update."), deadline, step)
    verdict = _shipped_rules().judge(late).verdicts["missing_follow_up"]
    assert verdict.verdict == "violation"
    timed = _call(
        ("customer", "The PDF export is not working since the update."),
        step,
        ("agent", "They'll have a fix to you by tomorrow at 9."),
    )
    assert _shipped_rules().judge(timed).verdicts["missing_follow_up"].verdict == "ok"


def test_parts_from_must_name_a_part(tmp_path: Path) -> None:
    from callqa.detect.ruleset import load_ruleset
    from callqa.errors import RuleError

    rule = tmp_path / "r.yaml"
    rule.write_text(
        "id: X001\nname: x.y\nkind: conditional\nbehaviour: missing_follow_up\n"
        "trigger: {speaker: customer, phrases: [broken]}\nparts_from: how\n"
        "response_all:\n  what: {phrases: [technician]}\n  when: {phrases: [tomorrow]}\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleError, match="parts_from"):
        load_ruleset(rule)
