"""Where the shipped rule pack and models live (inside the checkout the tool is installed from)."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def project_root() -> Path:
    """The folder holding `rules/` and `models/`: $CALLQA_HOME, else the source checkout."""
    home = os.environ.get("CALLQA_HOME")
    if home:
        return Path(home)
    return _PACKAGE.parent.parent


def default_rules_dir() -> Path:
    return project_root() / "rules"


def default_policy_file() -> Path:
    return default_rules_dir() / "policy.yaml"


def models_dir() -> Path:
    return project_root() / "models"
