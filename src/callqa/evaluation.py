"""Measure verdict quality on labelled calls: each call carries `expected: {behaviour: verdict}`
(kept in `Call.metadata` by the loader). Reports, per behaviour and language, precision, recall
and F1 of the `violation` class with a bootstrap 95% interval for F1, accuracy over the three
verdicts, and a confusion matrix.

`PhraseListBaseline` is what commercial rule libraries ship: fixed keyword lists, one per
behaviour, with no negation, no context and no trigger logic, for comparison.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from callqa.detect import Detector, Judgement
from callqa.errors import TranscriptError
from callqa.load import LoadFailure, LoadOptions, load_inputs
from callqa.model import BEHAVIOURS, BehaviourVerdict, Call
from callqa.normalise import normalise

VERDICTS: tuple[str, ...] = ("violation", "ok", "n/a")
_NA = {"n/a", "na", "none", "not_applicable"}
BOOTSTRAP_SAMPLES = 1000
"""Resamples of the calls behind each F1 interval (seeded: the same calls give the same
interval). With 20-60 violations per cell one call moves F1 by several points; the interval says
how far."""


def _verdict(value: Any) -> str | None:
    text = str(value).strip().lower()
    if text in _NA:
        return "n/a"
    return text if text in VERDICTS else None


def _f1(tp: int, fp: int, fn: int) -> float | None:
    """F1 of the violation class; None when the calls hold no violation, expected or predicted."""
    if tp + fp + fn == 0:
        return None
    return 2 * tp / (2 * tp + fp + fn)


def _f1_of(outcomes: Sequence[str]) -> float | None:
    """`_f1` of per-call outcomes ("tp", "fp", "fn", "tn"), as the bootstrap draws them."""
    return _f1(outcomes.count("tp"), outcomes.count("fp"), outcomes.count("fn"))


@dataclass
class Tally:
    """Confusion counts for one behaviour in one language: matrix[expected][predicted], and each
    call's outcome for the violation class (for the bootstrap)."""

    matrix: dict[str, dict[str, int]] = field(
        default_factory=lambda: {e: dict.fromkeys(VERDICTS, 0) for e in VERDICTS}
    )
    outcomes: list[str] = field(default_factory=list)

    def add(self, expected: str, predicted: str) -> None:
        self.matrix[expected][predicted] += 1
        hit = expected == "violation", predicted == "violation"
        self.outcomes.append(
            {(True, True): "tp", (False, True): "fp", (True, False): "fn"}.get(hit, "tn")
        )

    def f1_interval(self, samples: int = BOOTSTRAP_SAMPLES) -> tuple[float, float] | None:
        """Percentile bootstrap 95% interval of F1, resampling calls."""
        if not self.outcomes:
            return None
        rng = random.Random(13)
        values: list[float] = []
        for _ in range(samples):
            f1 = _f1_of(rng.choices(self.outcomes, k=len(self.outcomes)))
            if f1 is not None:
                values.append(f1)
        return _central95(values)

    def summary(self) -> dict[str, Any]:
        m = self.matrix
        tp = m["violation"]["violation"]
        fp = sum(m[e]["violation"] for e in VERDICTS if e != "violation")
        fn = sum(m["violation"][p] for p in VERDICTS if p != "violation")
        total = sum(sum(row.values()) for row in m.values())
        correct = sum(m[v][v] for v in VERDICTS)
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / (tp + fn) if tp + fn else None
        # 2tp / (2tp + fp + fn): 0 when violations were expected and none was found, even though
        # precision is then undefined; undefined only when no call holds a violation at all.
        f1 = _f1(tp, fp, fn)
        interval = self.f1_interval() if f1 is not None else None
        return {
            "n": total,
            "violations_expected": tp + fn,
            "precision": _round(precision),
            "recall": _round(recall),
            "f1": _round(f1),
            "f1_ci95": None if interval is None else [_round(interval[0]), _round(interval[1])],
            "accuracy": _round(correct / total if total else None),
            "confusion": {e: dict(row) for e, row in m.items()},
        }


def _central95(values: list[float]) -> tuple[float, float] | None:
    """The 2.5th and 97.5th percentiles of bootstrap values; None when there are none."""
    if not values:
        return None
    values = sorted(values)
    return values[int(0.025 * (len(values) - 1))], values[int(0.975 * (len(values) - 1))]


def gain_interval(
    tally: Tally, reference: Tally, samples: int = BOOTSTRAP_SAMPLES
) -> tuple[float, float] | None:
    """Paired percentile bootstrap 95% interval of F1(tally) - F1(reference): both judged the
    same calls in the same order, and each resample draws the same calls for both."""
    if len(tally.outcomes) != len(reference.outcomes) or not tally.outcomes:
        return None
    rng = random.Random(13)
    n = len(tally.outcomes)
    gains: list[float] = []
    for _ in range(samples):
        drawn = [rng.randrange(n) for _ in range(n)]
        ours = _f1_of([tally.outcomes[i] for i in drawn])
        theirs = _f1_of([reference.outcomes[i] for i in drawn])
        if ours is not None and theirs is not None:
            gains.append(ours - theirs)
    return _central95(gains)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@dataclass
class Evaluation:
    tallies: dict[tuple[str, str], Tally] = field(default_factory=dict)
    reference: dict[tuple[str, str], Tally] = field(default_factory=dict)
    """The same calls judged by a reference detector (rules alone), when one was given."""
    calls: int = 0
    unlabelled: int = 0
    errors: list[str] = field(default_factory=list)

    def add(
        self,
        language: str,
        expected: Mapping[str, str],
        predicted: Mapping[str, str],
        reference: Mapping[str, str] | None = None,
    ) -> None:
        self.calls += 1
        for behaviour, want in expected.items():
            for lang in (language, "all"):
                key = (behaviour, lang)
                self.tallies.setdefault(key, Tally()).add(want, predicted.get(behaviour, "n/a"))
                if reference is not None:
                    self.reference.setdefault(key, Tally()).add(
                        want, reference.get(behaviour, "n/a")
                    )

    def report(self, *, detector: str, mode: str) -> dict[str, Any]:
        languages = sorted({lang for _, lang in self.tallies}, key=lambda x: (x == "all", x))
        results: dict[str, dict[str, Any]] = {}
        for behaviour in BEHAVIOURS:
            for lang in languages:
                tally = self.tallies.get((behaviour, lang))
                if tally is not None:
                    summary = results.setdefault(behaviour, {})[lang] = tally.summary()
                    reference = self.reference.get((behaviour, lang))
                    if reference is not None:
                        summary["reference"] = _against(tally, reference, summary["f1"])
        return {
            "detector": detector,
            "mode": mode,
            "calls": self.calls,
            "unlabelled_calls": self.unlabelled,
            "input_errors": self.errors,
            "behaviours": results,
        }


def _against(tally: Tally, reference: Tally, f1: float | None) -> dict[str, Any]:
    base = reference.summary()["f1"]
    interval = gain_interval(tally, reference)
    return {
        "f1": base,
        "f1_gain": None if f1 is None or base is None else _round(f1 - base),
        "gain_ci95": None if interval is None else [_round(interval[0]), _round(interval[1])],
    }


def expected_of(call: Call) -> dict[str, str]:
    raw = call.metadata.get("expected")
    if not isinstance(raw, dict):
        return {}
    expected = {}
    for behaviour, value in raw.items():
        verdict = _verdict(value)
        if behaviour in BEHAVIOURS and verdict is not None:
            expected[behaviour] = verdict
    return expected


def evaluate(
    paths: Sequence[str],
    detector: Detector,
    options: LoadOptions | None = None,
    reference: Detector | None = None,
) -> Evaluation:
    """Audit every labelled call under the paths and tally predicted against expected (and,
    given a reference detector, its verdicts on the same calls)."""
    options = options or LoadOptions()
    result = Evaluation()
    for item in load_inputs(paths, options):
        if isinstance(item, LoadFailure):
            error: TranscriptError = item.error
            result.errors.append(f"{error.path or '<input>'}: [{error.code}] {error.reason}")
            continue
        call = normalise(item.call, item.source, options)
        expected = expected_of(call)
        if not expected:
            result.unlabelled += 1
            continue
        judgement = detector.judge(call)
        predicted = {b: v.verdict for b, v in judgement.verdicts.items()}
        baseline = (
            None
            if reference is None
            else {b: v.verdict for b, v in reference.judge(call).verdicts.items()}
        )
        language = call.language if call.language in ("en", "he") else "mixed"
        result.add(str(language), expected, predicted, baseline)
    return result


class PhraseListBaseline:
    """A fixed phrase list per behaviour, as commercial QA rule libraries ship them.

    rudeness / over_promising: a violation when an agent turn contains a listed phrase, else ok.
    missing_*: a violation when no agent turn contains a listed phrase (every call is judged,
    never n/a); lack_of_empathy likewise with empathy phrases.
    """

    version = "baseline-phrase-list-1"
    _FORBIDDEN: ClassVar[dict[str, list[str]]] = {
        "rudeness": ["idiot", "stupid", "shut up", "not my problem", "whatever", "calm down",
                     "listen to me", "מטומטם", "טיפש", "לא הבעיה שלי", "תירגע", "תקשיב לי"],
        "over_promising": ["guarantee", "promise", "definitely", "never happen again", "100%",
                           "מבטיח", "מבטיחה", "בוודאות", "לא יקרה שוב"],
    }  # fmt: skip
    _REQUIRED: ClassVar[dict[str, list[str]]] = {
        "missing_apology": ["sorry", "apologise", "apologize", "apologies", "מצטער", "מצטערת",
                            "סליחה", "מתנצל", "מתנצלת"],
        "missing_follow_up": ["ticket", "reference", "case number", "we will call", "we'll call",
                              "מספר פנייה", "מספר קריאה", "נחזור אליך"],
        "lack_of_empathy": ["i understand", "i hear you", "that sounds", "frustrating",
                            "אני מבין", "אני מבינה", "מתסכל", "לא נעים"],
    }  # fmt: skip

    def __init__(self) -> None:
        def compile_list(words: Iterable[str]) -> re.Pattern[str]:
            return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)

        self._forbidden = {b: compile_list(w) for b, w in self._FORBIDDEN.items()}
        self._required = {b: compile_list(w) for b, w in self._REQUIRED.items()}

    def judge(self, call: Call) -> Judgement:
        agent = [t.text for t in call.agent_turns()]
        verdicts: dict[str, BehaviourVerdict] = {}
        for behaviour, pattern in self._forbidden.items():
            hit = any(pattern.search(text) for text in agent)
            verdicts[behaviour] = BehaviourVerdict(verdict="violation" if hit else "ok")
        for behaviour, pattern in self._required.items():
            hit = any(pattern.search(text) for text in agent)
            verdicts[behaviour] = BehaviourVerdict(verdict="ok" if hit else "violation")
        return Judgement(verdicts)


BASELINES = {"phrase-list": PhraseListBaseline}
