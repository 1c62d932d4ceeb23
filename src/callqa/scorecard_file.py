"""Read and validate a scorecard definition (rules/scorecard.yaml) into a `ScorecardSpec`.

Errors name the file and line, because QA leads edit this file by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from callqa.errors import ConfigError
from callqa.model import BEHAVIOURS
from callqa.paths import default_rules_dir
from callqa.score import SEVERITIES, ScorecardSpec

_TOP_KEYS = {"version", "min_calls_to_rank", "worst_calls", "behaviours"}
_BEHAVIOUR_KEYS = {"weight", "severity", "auto_fail"}


def default_scorecard_file() -> Path:
    return default_rules_dir() / "scorecard.yaml"


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _mapping(node: yaml.Node, path: str, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(f"{path}:{_line(node)}: {what} must be a mapping")
    return {str(k.value): (k, v) for k, v in node.value}


def _number(node: yaml.Node, path: str, what: str, *, integer: bool = False) -> float:
    value: Any = yaml.safe_load(yaml.serialize(node))
    if isinstance(value, bool) or not isinstance(value, int if integer else (int, float)):
        kind = "a whole number" if integer else "a number"
        raise ConfigError(f"{path}:{_line(node)}: {what} must be {kind}")
    if value < 0:
        raise ConfigError(f"{path}:{_line(node)}: {what} must not be negative")
    return float(value)


def parse_scorecard(text: str, path: str = "<scorecard>") -> ScorecardSpec:
    """Validate the YAML text; raise ConfigError with `path:line` on the first problem."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"{mark.line + 1}:" if mark is not None else ""
        raise ConfigError(f"{path}:{line} not valid YAML") from None
    if root is None:
        raise ConfigError(f"{path}:1: the scorecard is empty")
    top = _mapping(root, path, "the scorecard")
    for key, (knode, _) in top.items():
        if key not in _TOP_KEYS:
            raise ConfigError(
                f"{path}:{_line(knode)}: unknown key {key!r}; expected {sorted(_TOP_KEYS)}"
            )
    if "behaviours" not in top:
        raise ConfigError(f"{path}:{_line(root)}: missing 'behaviours'")
    bkey, bnode = top["behaviours"]
    weights: dict[str, float] = {}
    severity: dict[str, str] = {}
    auto_fail: set[str] = set()
    for name, (knode, vnode) in _mapping(bnode, path, "'behaviours'").items():
        if name not in BEHAVIOURS:
            raise ConfigError(
                f"{path}:{_line(knode)}: unknown behaviour {name!r}; expected one of "
                f"{', '.join(BEHAVIOURS)}"
            )
        fields = _mapping(vnode, path, f"behaviour {name!r}")
        for key, (fk, _) in fields.items():
            if key not in _BEHAVIOUR_KEYS:
                raise ConfigError(
                    f"{path}:{_line(fk)}: unknown key {key!r} for {name}; "
                    f"expected {sorted(_BEHAVIOUR_KEYS)}"
                )
        if "weight" not in fields:
            raise ConfigError(f"{path}:{_line(knode)}: behaviour {name!r} has no weight")
        weights[name] = _number(fields["weight"][1], path, f"{name}.weight")
        if "severity" in fields:
            snode = fields["severity"][1]
            level = str(getattr(snode, "value", ""))
            if level not in SEVERITIES:
                raise ConfigError(
                    f"{path}:{_line(snode)}: severity of {name} must be one of "
                    f"{', '.join(SEVERITIES)}"
                )
            severity[name] = level
        else:
            severity[name] = "minor"
        if "auto_fail" in fields:
            anode = fields["auto_fail"][1]
            flag = yaml.safe_load(yaml.serialize(anode))
            if not isinstance(flag, bool):
                raise ConfigError(f"{path}:{_line(anode)}: {name}.auto_fail must be true or false")
            if flag:
                auto_fail.add(name)
    total = sum(weights.values())
    if abs(total - 100) > 1e-6:
        raise ConfigError(
            f"{path}:{_line(bkey)}: behaviour weights total {total:g}, they must total 100"
        )
    missing = [b for b in BEHAVIOURS if b not in weights]
    if missing:
        raise ConfigError(
            f"{path}:{_line(bkey)}: behaviours missing from the scorecard: {', '.join(missing)} "
            "(give them weight 0 to leave them out of the score)"
        )
    options: dict[str, int] = {}
    for key in ("min_calls_to_rank", "worst_calls"):
        if key in top:
            options[key] = int(_number(top[key][1], path, key, integer=True))
    return ScorecardSpec(
        weights=weights, auto_fail=frozenset(auto_fail), severity=severity, **options
    )


def load_scorecard(path: Path | None = None) -> ScorecardSpec:
    """The given scorecard file, else the shipped one, else the built-in equal weights."""
    target = path or default_scorecard_file()
    if path is None and not target.exists():
        return ScorecardSpec()
    try:
        text = target.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{target}: cannot read the scorecard: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{target}: the scorecard is not UTF-8 text") from None
    return parse_scorecard(text, str(target))
