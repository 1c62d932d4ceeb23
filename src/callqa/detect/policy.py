"""The authority policy: what an agent may offer and promise (rules/policy.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from callqa.detect.source import LineDict, fail, load_yaml
from callqa.errors import RuleError


@dataclass(frozen=True)
class Policy:
    """Defaults are the shipped policy of behaviours.md."""

    max_discount_percent: float = 20.0
    max_goodwill_credit: float = 100.0
    max_free_months: float = 0.0
    refund_min_business_days: float = 5.0
    refund_max_business_days: float = 10.0
    technician_same_day: bool = False

    def value(self, name: str) -> float:
        return float(getattr(self, name))


POLICY_FIELDS = tuple(f.name for f in fields(Policy))


def load_policy(path: Path) -> Policy:
    data = load_yaml(path)
    if not isinstance(data, LineDict):
        raise RuleError("a policy file is a mapping of limit: value", str(path), 1)
    values: dict[str, float | bool] = {}
    for key, value in data.items():
        if key == "version":
            continue
        if key not in POLICY_FIELDS:
            raise fail(
                data, f"unknown policy key {key!r} (expected: {', '.join(POLICY_FIELDS)})", key
            )
        if key == "technician_same_day":
            if not isinstance(value, bool):
                raise fail(data, "technician_same_day is true or false", key)
            values[key] = value
        elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise fail(data, f"{key} must be a number >= 0", key)
        else:
            values[key] = float(value)
    return Policy(**values)  # type: ignore[arg-type]
