"""The rule detector: runs the rule pack on a call and combines rule outcomes into verdicts.

Combination (behaviours.md): a behaviour is a `violation` if any of its rules reports one,
else `ok` if any reports ok, else `n/a`. Which signal counts (a phrase, or a model label over its
threshold) is written in the rules' matchers, not here. Model matchers are skipped with
`use_models=False` or when a model cannot be loaded; rules that need a model to fire at all
are then left out.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from callqa.detect import Judgement
from callqa.detect.checks import Outcome
from callqa.detect.context import CallContext
from callqa.detect.policy import Policy, load_policy
from callqa.detect.ruleset import Rule, RuleSet, load_ruleset
from callqa.errors import CallQAError
from callqa.model import BEHAVIOURS, BehaviourVerdict, Call, Evidence, Finding
from callqa.paths import default_policy_file, default_rules_dir


class RuleDetector:
    def __init__(
        self,
        ruleset: RuleSet,
        policy: Policy,
        *,
        use_models: bool = True,
        policy_digest: str = "default",
    ) -> None:
        self.ruleset = ruleset
        self.policy = policy
        self.use_models = use_models and any(r.check.model_names() for r in ruleset.rules)
        self._unavailable: dict[str, str] = {}
        mode = "models" if self.use_models else "rules-only"
        self._version = f"rules-{ruleset.digest}+policy-{policy_digest}+{mode}"

    @property
    def version(self) -> str:
        return self._version

    def active_rules(self) -> list[Rule]:
        return [r for r in self.ruleset.rules if self.use_models or r.check.rules_only()]

    def _score(self, ctx: CallContext, name: str) -> dict[int, dict[str, float]] | None:
        """One batch per model per call: every turn, with the previous turn as context."""
        if name in self._unavailable:
            ctx.warnings.append(
                f"model {name} unavailable ({self._unavailable[name]}); its matchers were skipped"
            )
            return None
        from callqa.classify import TurnInput, get_classifier

        # A per-language model ("callqa.turns.he.v1") scores the turns in its language only.
        langs = {lang for lang in ("en", "he") if f".{lang}." in name}
        turns = [t for t in ctx.turns if not langs or t.lang in langs]
        try:
            model = get_classifier(name)
            items = [
                TurnInput(t.text, ctx.turns[t.index - 1].text if t.index else "", t.role)
                for t in turns
            ]
            scores = model.predict(items) if items else []
        except CallQAError as exc:
            self._unavailable[name] = exc.code
            ctx.warnings.append(f"model {name} unavailable ({exc.code}); its matchers were skipped")
            return None
        return {t.index: s for t, s in zip(turns, scores, strict=True)}

    def evaluate(
        self, call: Call, rules: list[Rule] | None = None
    ) -> tuple[CallContext, list[tuple[Rule, Outcome]]]:
        ctx = CallContext.of(call, self.policy, self._score if self.use_models else None)
        outcomes = [
            (rule, rule.check.evaluate(ctx, rule.code))
            for rule in (rules if rules is not None else self.active_rules())
        ]
        return ctx, outcomes

    def judge(self, call: Call) -> Judgement:
        ctx, outcomes = self.evaluate(call)
        verdicts = {
            b: _combine([(r, o) for r, o in outcomes if r.behaviour == b]) for b in BEHAVIOURS
        }
        signals = [
            Finding(
                code=rule.code,
                name=rule.signal,
                severity=rule.severity,
                message=(outcome.note and f"{rule.message} ({outcome.note})") or rule.message,
                evidence=outcome.evidence,
            )
            for rule, outcome in outcomes
            if rule.signal and outcome.verdict == "violation"
        ]
        return Judgement(verdicts, signals, sorted(set(ctx.warnings)))


def _combine(outcomes: list[tuple[Rule, Outcome]]) -> BehaviourVerdict:
    for wanted in ("violation", "ok"):
        chosen = [(r, o) for r, o in outcomes if o.verdict == wanted]
        if chosen:
            evidence: list[Evidence] = []
            seen: set[tuple[int, str | None]] = set()
            for _, outcome in chosen:
                for item in outcome.evidence:
                    if (item.turn, item.rule) not in seen:
                        seen.add((item.turn, item.rule))
                        evidence.append(item)
            message = "; ".join(r.message for r, _ in chosen) if wanted == "violation" else None
            return BehaviourVerdict(
                verdict=wanted,
                evidence=sorted(evidence, key=lambda e: e.turn),
                rules=[r.code for r, _ in chosen],
                message=message,
            )
    return BehaviourVerdict(verdict="n/a")


def build_detector(
    rules: str | None, policy: str | None, *, use_models: bool = True
) -> RuleDetector:
    rules_path = Path(rules) if rules else default_rules_dir()
    policy_path = Path(policy) if policy else default_policy_file()
    if policy is None and not policy_path.exists():
        loaded, digest = Policy(), "default"
    else:
        if not policy_path.exists():
            from callqa.errors import ConfigError

            raise ConfigError(f"{policy_path}: no such policy file")
        loaded = load_policy(policy_path)
        digest = hashlib.sha256(policy_path.read_bytes()).hexdigest()[:12]
    return RuleDetector(
        load_ruleset(rules_path), loaded, use_models=use_models, policy_digest=digest
    )
