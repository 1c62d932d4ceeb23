"""The check kinds a rule can use: one module each, registered here by name."""

from __future__ import annotations

from callqa.detect.checks import (
    classifier,
    conditional,
    forbidden,
    metric,
    occurrence,
    policy_limit,
    required,
    sequence,
)
from callqa.detect.checks.base import Check, Outcome
from callqa.detect.source import LineDict

KINDS: dict[str, tuple[type[Check], set[str]]] = {
    "phrase_forbidden": (forbidden.Forbidden, forbidden.FIELDS),
    "phrase_required": (required.Required, required.FIELDS),
    "occurrence": (occurrence.Occurrence, occurrence.FIELDS),
    "conditional": (conditional.Conditional, conditional.FIELDS),
    "sequence": (sequence.Sequence, sequence.FIELDS),
    "metric": (metric.Metric, metric.FIELDS),
    "classifier": (classifier.Classifier, classifier.FIELDS),
    "policy": (policy_limit.PolicyLimit, policy_limit.FIELDS),
}


def build_check(kind: str, node: LineDict) -> Check:
    cls, _ = KINDS[kind]
    return cls(node)  # type: ignore[call-arg]


__all__ = ["KINDS", "Check", "Outcome", "build_check"]
