"""Agreement between an audit and a QA team's own verdicts on the same calls.

Per behaviour: the confusion matrix (violation = positive; ok and n/a = negative), precision,
recall, F1 and Cohen's kappa. Where the audit's evidence carries model scores, the threshold that
agrees best with the humans (highest kappa) is found by a sweep; otherwise the report says so.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from callqa.errors import ConfigError
from callqa.model import BEHAVIOURS, SCHEMA_VERSION, AuditResult, CallResult

VERDICTS = ("violation", "ok", "n/a")
LABEL_COLUMNS = ("call_id", "behaviour", "verdict")


@dataclass(frozen=True)
class Label:
    call_id: str
    behaviour: str
    verdict: str


def read_labels(path: Path) -> list[Label]:
    """The label CSV: header `call_id,behaviour,verdict`; errors name file and line."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # Excel writes a BOM
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the labels: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the labels are not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in LABEL_COLUMNS if c not in header]
    if missing:
        raise ConfigError(
            f"{path}:1: missing column(s) {', '.join(missing)}; expected {','.join(LABEL_COLUMNS)}"
        )
    labels: list[Label] = []
    for row in reader:
        line = reader.line_num
        values = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        behaviour, verdict = values["behaviour"], values["verdict"].lower()
        if not values["call_id"]:
            raise ConfigError(f"{path}:{line}: empty call_id")
        if behaviour not in BEHAVIOURS:
            raise ConfigError(
                f"{path}:{line}: unknown behaviour {behaviour!r}; expected one of "
                f"{', '.join(BEHAVIOURS)}"
            )
        if verdict not in VERDICTS:
            raise ConfigError(
                f"{path}:{line}: unknown verdict {verdict!r}; expected one of {', '.join(VERDICTS)}"
            )
        labels.append(Label(values["call_id"], behaviour, verdict))
    return labels


class Confusion(BaseModel):
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif actual:
            self.fn += 1
        else:
            self.tn += 1


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def kappa(c: Confusion) -> float | None:
    n = c.tp + c.fp + c.fn + c.tn
    if n == 0:
        return None
    observed = (c.tp + c.tn) / n
    expected = ((c.tp + c.fp) * (c.tp + c.fn) + (c.fn + c.tn) * (c.fp + c.tn)) / (n * n)
    if expected == 1:
        return 1.0 if observed == 1 else 0.0
    return round((observed - expected) / (1 - expected), 4)


class Threshold(BaseModel):
    value: float
    kappa: float | None
    f1: float | None


class BehaviourAgreement(BaseModel):
    behaviour: str
    pairs: int
    confusion: Confusion
    precision: float | None
    recall: float | None
    f1: float | None
    kappa: float | None
    agreement: float | None
    best_threshold: Threshold | None = None
    threshold_note: str


class Calibration(BaseModel):
    schema_version: str = SCHEMA_VERSION
    tool: dict[str, str]
    labels: int
    unmatched_labels: int
    behaviours: list[BehaviourAgreement]


def _metrics(c: Confusion) -> tuple[float | None, float | None, float | None]:
    precision = _ratio(c.tp, c.tp + c.fp)
    recall = _ratio(c.tp, c.tp + c.fn)
    f1 = _ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn)
    return precision, recall, f1


def model_score(call: CallResult, behaviour: str) -> float | None:
    """The highest model score in the behaviour's evidence, if a classifier gave one."""
    verdict = call.verdicts.get(behaviour)
    scores = [e.score for e in verdict.evidence if e.score is not None] if verdict else []
    return max(scores) if scores else None


def _sweep(pairs: list[tuple[CallResult, bool]], behaviour: str) -> Threshold | None:
    scored = [(model_score(call, behaviour), call, actual) for call, actual in pairs]
    candidates = sorted({s for s, _, _ in scored if s is not None})
    if not candidates:
        return None
    best: Threshold | None = None
    for value in candidates:
        c = Confusion()
        for score, call, actual in scored:
            # Calls without a score keep the audit's verdict: rules decided them.
            predicted = (
                (score >= value)
                if score is not None
                else (call.verdicts[behaviour].verdict == "violation")
            )
            c.add(predicted, actual)
        trial = Threshold(value=value, kappa=kappa(c), f1=_metrics(c)[2])
        key = (trial.kappa or -2.0, trial.f1 or 0.0)
        if best is None or key > (best.kappa or -2.0, best.f1 or 0.0):
            best = trial
    return best


def calibrate(audit: AuditResult, labels: list[Label]) -> Calibration:
    calls = {c.call_id: c for c in audit.calls}
    unmatched = 0
    by_behaviour: dict[str, list[tuple[CallResult, bool]]] = {b: [] for b in BEHAVIOURS}
    for label in labels:
        call = calls.get(label.call_id)
        if call is None or label.behaviour not in call.verdicts:
            unmatched += 1
            continue
        by_behaviour[label.behaviour].append((call, label.verdict == "violation"))
    results = []
    for behaviour in BEHAVIOURS:
        pairs = by_behaviour[behaviour]
        c = Confusion()
        for call, actual in pairs:
            c.add(call.verdicts[behaviour].verdict == "violation", actual)
        precision, recall, f1 = _metrics(c)
        best = _sweep(pairs, behaviour)
        note = (
            f"best agreement at model score >= {best.value:g}"
            if best
            else "no model scores in this behaviour's evidence (rule verdicts); no threshold to tune"
        )
        results.append(
            BehaviourAgreement(
                behaviour=behaviour,
                pairs=len(pairs),
                confusion=c,
                precision=precision,
                recall=recall,
                f1=f1,
                kappa=kappa(c),
                agreement=_ratio(c.tp + c.tn, len(pairs)),
                best_threshold=best,
                threshold_note=note,
            )
        )
    return Calibration(
        tool=audit.tool, labels=len(labels), unmatched_labels=unmatched, behaviours=results
    )


HEADER = [
    "behaviour",
    "pairs",
    "tp",
    "fp",
    "fn",
    "tn",
    "precision",
    "recall",
    "F1",
    "kappa",
    "best threshold",
]


def rows(result: Calibration) -> list[list[str]]:
    def num(v: float | None) -> str:
        return "-" if v is None else f"{v:.2f}"

    out = []
    for b in result.behaviours:
        c = b.confusion
        best = (
            f"{b.best_threshold.value:g} (kappa {num(b.best_threshold.kappa)})"
            if b.best_threshold
            else "n/a: rules only"
        )
        out.append(
            [
                b.behaviour,
                str(b.pairs),
                str(c.tp),
                str(c.fp),
                str(c.fn),
                str(c.tn),
                num(b.precision),
                num(b.recall),
                num(b.f1),
                num(b.kappa),
                best,
            ]
        )
    return out


def summary(result: Calibration) -> str:
    return (
        f"{result.labels} human labels, {result.unmatched_labels} not matched to a call of "
        f"the audit; detector {result.tool.get('detector', '?')}."
    )


def to_markdown(result: Calibration) -> str:
    lines = [
        "# callqa calibrate",
        "",
        summary(result),
        "",
        "| " + " | ".join(HEADER) + " |",
        "| " + " | ".join("---" for _ in HEADER) + " |",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in rows(result)]
    return "\n".join(lines) + "\n"


def to_json(result: Calibration) -> str:
    return json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
