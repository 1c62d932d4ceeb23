"""The rule detector: runs the rule pack on a call and combines rule outcomes into verdicts.

Combination (behaviours.md): a behaviour is a `violation` if any of its rules reports one,
else `ok` if any reports ok, else `n/a`. Which signal counts (a phrase, or a model label over its
threshold) is written in the rules' matchers, not here. Model matchers are skipped with
`use_models=False` or when a model cannot be loaded; rules that need a model to fire at all
are then left out.

With a score store (the `--cache` file, injected per work unit by `callqa.engine`), a call's
model scores are looked up before the model runs, so a re-audit after a rule change costs what
the rules cost.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from callqa.detect import Judgement, ScoreStore
from callqa.detect.checks import Outcome
from callqa.detect.context import CallContext
from callqa.detect.policy import Policy, load_policy
from callqa.detect.ruleset import Rule, RuleSet, load_ruleset
from callqa.errors import CallQAError
from callqa.fingerprint import folder_digest, model_fingerprint
from callqa.model import BEHAVIOURS, BehaviourVerdict, Call, Evidence, Finding
from callqa.paths import default_policy_file, default_rules_dir, models_dir

if TYPE_CHECKING:
    from callqa.classify import TurnClassifier, TurnInput

MODEL_LANGUAGES = ("en", "he")
"""What `{lang}` in a rule's model name stands for (the languages of `turn_language`)."""


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
        self._scores: ScoreStore | None = None
        mode = f"models-{self._models_digest()}" if self.use_models else "rules-only"
        self._version = f"rules-{ruleset.digest}+policy-{policy_digest}+{mode}"

    def _models_digest(self) -> str:
        """The shipped model files the rules can ask for: a model retrained in place changes
        the version, so cached verdicts of the old model are not served."""
        names = {
            name.replace("{lang}", lang)
            for rule in self.ruleset.rules
            for name in rule.check.model_names()
            for lang in MODEL_LANGUAGES
        }
        digest = hashlib.sha256()
        for name in sorted(names):
            digest.update(f"{name}={folder_digest(models_dir() / name)}\n".encode())
        return digest.hexdigest()[:12]

    def with_score_store(self, store: ScoreStore) -> RuleDetector:
        """The same detector (rules, loaded models, known-unavailable models shared) reading
        and writing model scores through `store`; the original is left without one."""
        clone = copy.copy(self)
        clone._scores = store
        return clone

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
        langs = {lang for lang in MODEL_LANGUAGES if f".{lang}." in name}
        turns = [t for t in ctx.turns if not langs or t.lang in langs]
        try:
            model = get_classifier(name)
            items = [
                TurnInput(t.text, ctx.turns[t.index - 1].text if t.index else "", t.role)
                for t in turns
            ]
            scores = self._predict(name, model, items) if items else []
        except CallQAError as exc:
            self._unavailable[name] = exc.code
            ctx.warnings.append(f"model {name} unavailable ({exc.code}); its matchers were skipped")
            return None
        return {t.index: s for t, s in zip(turns, scores, strict=True)}

    def _predict(
        self, name: str, model: TurnClassifier, items: Sequence[TurnInput]
    ) -> list[dict[str, float]]:
        # The model batches a call's turns together, so a turn's score may depend on the
        # others: the store is keyed on the whole item list, never on single turns.
        store = self._scores
        fingerprint = model_fingerprint(model) if store is not None else None
        if store is None or fingerprint is None:
            return model.predict(items)
        cached = store.get_scores(name, fingerprint, items)
        if cached is not None and len(cached) == len(items):
            return cached
        scores = model.predict(items)
        store.put_scores(name, fingerprint, items, scores)
        return scores

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
            message = "; ".join(r.message for r, _ in chosen) if wanted == "violation" else None
            return BehaviourVerdict(
                verdict=wanted,
                evidence=_merged_evidence(chosen),
                rules=[r.code for r, _ in chosen],
                message=message,
            )
    # An n/a with evidence was cancelled (the customer confirmed the fix): keep the turn that
    # cancelled it, so the verdict can be checked like any other.
    cancelled = [(r, o) for r, o in outcomes if o.evidence]
    return BehaviourVerdict(
        verdict="n/a", evidence=_merged_evidence(cancelled), rules=[r.code for r, _ in cancelled]
    )


def _merged_evidence(chosen: list[tuple[Rule, Outcome]]) -> list[Evidence]:
    evidence: list[Evidence] = []
    seen: set[tuple[int, str | None, float | None]] = set()
    for _, outcome in chosen:
        for item in outcome.evidence:
            # Two rules that read the same model label on a turn saw one signal: once.
            model = item.signal == "model"
            key = (item.turn, item.note if model else item.rule, item.score if model else None)
            if key not in seen:
                seen.add(key)
                evidence.append(item)
    return sorted(evidence, key=lambda e: e.turn)


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
