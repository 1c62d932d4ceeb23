"""Per-label precision, recall and F1, and thresholds chosen to maximise F1 on dev."""

from __future__ import annotations

from collections.abc import Sequence

from callqa.classify import AGENT_LABELS, CUSTOMER_LABELS, LABELS

THRESHOLD_GRID = tuple(round(0.05 * i, 2) for i in range(1, 20))


def labels_for_role(role: str) -> tuple[str, ...]:
    """The labels that apply to a speaker; an unknown role gets them all."""
    if role == "agent":
        return AGENT_LABELS
    if role == "customer":
        return CUSTOMER_LABELS
    return LABELS


def counts(scores: Sequence[float], gold: Sequence[bool], threshold: float) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for score, positive in zip(scores, gold, strict=True):
        predicted = score >= threshold
        tp += predicted and positive
        fp += predicted and not positive
        fn += positive and not predicted
    return tp, fp, fn


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "support": tp + fn,
        "predicted": tp + fp,
    }


def best_threshold(scores: Sequence[float], gold: Sequence[bool]) -> tuple[float, float]:
    """(threshold, F1) with the best F1 on the grid; 0.5 when dev has no positives."""
    if not any(gold):
        return 0.5, 0.0
    best = (0.5, -1.0)
    for threshold in THRESHOLD_GRID:
        f1 = float(prf(*counts(scores, gold, threshold))["f1"])
        # Ties go to the threshold nearest 0.5: the least tuned to a small dev set.
        if f1 > best[1] or (f1 == best[1] and abs(threshold - 0.5) < abs(best[0] - 0.5)):
            best = (threshold, f1)
    return best


def label_columns(
    roles: Sequence[str],
    probs: Sequence[dict[str, float]],
    golds: Sequence[frozenset[str]],
    label: str,
) -> tuple[list[float], list[bool]]:
    """Scores and gold flags of one label over the examples whose role the label applies to."""
    scores: list[float] = []
    gold: list[bool] = []
    for role, prob, labels in zip(roles, probs, golds, strict=True):
        if label in labels_for_role(role):
            scores.append(prob.get(label, 0.0))
            gold.append(label in labels)
    return scores, gold


def per_label_metrics(
    roles: Sequence[str],
    probs: Sequence[dict[str, float]],
    golds: Sequence[frozenset[str]],
    thresholds: dict[str, float],
) -> dict[str, dict[str, float | int]]:
    out: dict[str, dict[str, float | int]] = {}
    for label in LABELS:
        scores, gold = label_columns(roles, probs, golds, label)
        if scores:
            out[label] = prf(*counts(scores, gold, thresholds.get(label, 0.5)))
    return out
