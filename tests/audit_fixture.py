"""A fixed AuditResult (EN and HE calls, evidence, customer abuse, an unreadable input) for
testing reporters, diff and calibrate independently of the evolving rule pack."""

from __future__ import annotations

from callqa.model import (
    BEHAVIOURS,
    AuditResult,
    BehaviourVerdict,
    CallResult,
    Evidence,
    Finding,
    InputError,
    Source,
)
from callqa.score import ScorecardBuilder, ScorecardSpec

SPEC = ScorecardSpec(
    weights={
        "rudeness": 30,
        "over_promising": 25,
        "missing_follow_up": 15,
        "missing_apology": 15,
        "lack_of_empathy": 15,
    },
    auto_fail=frozenset({"rudeness"}),
    min_calls_to_rank=2,
)

# (call_id, agent, language, {behaviour: (verdict, turn, quote, model score)}, abuse quote)
_CALLS: list[tuple[str, str, str, dict[str, tuple[str, int, str, float | None]], str | None]] = [
    (
        "en-001",
        "dana",
        "en",
        {
            "rudeness": ("violation", 3, "Listen, it's not rocket science, just restart it.", 0.91),
            "missing_apology": ("violation", 1, "The internet has been down since Monday!", None),
        },
        None,
    ),
    (
        "en-002",
        "dana",
        "en",
        {
            "over_promising": ("violation", 5, "I guarantee the technician fixes it today.", 0.74),
        },
        None,
    ),
    (
        "en-003",
        "dana",
        "en",
        {
            "missing_follow_up": (
                "ok",
                6,
                "I'll call you back at 050-123-4567 tomorrow at 10.",
                None,
            ),
        },
        "You people are useless idiots.",
    ),
    (
        "he-001",
        "yossi",
        "he",
        {
            "lack_of_empathy": ("violation", 2, "זה לא הבעיה שלי, תתקשר מחר.", 0.66),
            "missing_apology": (
                "violation",
                1,
                "החיוב שלי כפול כבר חודשיים! המייל שלי dana@example.co.il",
                None,
            ),
        },
        "אתם גנבים, אני אתבע אתכם",
    ),
    (
        "he-002",
        "yossi",
        "he",
        {
            "over_promising": ("ok", 4, "אני לא יכול להבטיח, אבל אעביר את זה למחלקה.", 0.12),
        },
        None,
    ),
    ("en-004", "omer", "en", {}, None),
]


def _call(
    call_id: str,
    agent: str,
    language: str,
    marked: dict[str, tuple[str, int, str, float | None]],
    abuse: str | None,
) -> CallResult:
    verdicts = {}
    for behaviour in BEHAVIOURS:
        default = "n/a" if behaviour.startswith("missing") else "ok"
        if behaviour in marked:
            verdict, turn, quote, score = marked[behaviour]
            signal = "model" if score is not None else "rule"
            evidence = [Evidence(turn=turn, quote=quote, rule="R1", signal=signal, score=score)]
            verdicts[behaviour] = BehaviourVerdict(verdict=verdict, evidence=evidence)  # type: ignore[arg-type]
        else:
            verdicts[behaviour] = BehaviourVerdict(verdict=default)  # type: ignore[arg-type]
    signals = []
    if abuse:
        signals.append(
            Finding(
                code="SIG001",
                name="customer_abuse",
                severity="info",
                message="The customer insults or threatens the agent.",
                evidence=[Evidence(turn=0, quote=abuse, role="customer")],
            )
        )
    return CallResult(
        call_id=call_id,
        agent_id=agent,
        language=language,
        source=Source(file=f"calls/{call_id}.json"),
        verdicts=verdicts,
        signals=signals,
    )


def sample_audit(spec: ScorecardSpec = SPEC) -> AuditResult:
    builder = ScorecardBuilder(spec)
    calls = [builder.add(_call(*row)) for row in _CALLS]
    return AuditResult(
        tool={"name": "callqa", "version": "0.0.0-test", "detector": "fixture-1"},
        complete=False,
        calls=sorted(calls, key=lambda c: c.call_id),
        scorecards=builder.scorecards(),
        team=builder.team(),
        errors=[InputError(file="calls/broken.json", code="E301", reason="not UTF-8 text")],
    )
