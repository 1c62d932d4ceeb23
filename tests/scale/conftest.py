"""Shared pieces of the scale tests: real audits of the sample transcripts with the shipped
rules and models, run as `python -m callqa` with a timeout so that a stuck cluster fails the
test instead of hanging CI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

SAMPLES = REPO / "sample_transcripts"
RUN_TIMEOUT = 240  # a full audit of the samples takes ~10 s on 2 busy cores

# One model threshold moves: a Hebrew over-promise scored 0.765 stops counting, so the verdicts
# differ from the shipped pack's while every call's model inputs stay the same.
CHANGED_FILE = "over_promising/guarantees.yaml"
CHANGED_FROM = "threshold: {en: 0.3, he: 0.6}"
CHANGED_TO = "threshold: {en: 0.3, he: 0.9}"


def audit(*args: str, timeout: float = RUN_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """`callqa audit ARGS -f json --exit-zero -q` in a fresh process, bounded in time."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "callqa", "audit", *args, "-f", "json", "--exit-zero", "-q"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def audit_json(*args: str) -> str:
    proc = audit(*args)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.startswith("{"), proc.stderr[-3000:]
    return proc.stdout


@pytest.fixture(scope="package", autouse=True)
def callqa_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A snapshot of the shipped rules and models as $CALLQA_HOME for this package's tests.

    The runs a test compares must all see the same files; the checkout may change meanwhile
    (a retrain writing models/, an edited rule), which would fail the comparison for nothing.
    Subprocesses and Dask workers inherit the variable.
    """
    home = tmp_path_factory.mktemp("home")
    for folder in ("rules", "models"):
        shutil.copytree(REPO / folder, home / folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CALLQA_HOME", str(home))
        yield home


@pytest.fixture(scope="package")
def changed_rules(callqa_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped rules with one threshold changed."""
    rules = tmp_path_factory.mktemp("changed") / "rules"
    shutil.copytree(callqa_home / "rules", rules)
    path = rules / CHANGED_FILE
    text = path.read_text(encoding="utf-8")
    assert text.count(CHANGED_FROM) == 1, "the rule under test changed: pick another threshold"
    path.write_text(text.replace(CHANGED_FROM, CHANGED_TO), encoding="utf-8")
    return rules


@pytest.fixture(scope="package")
def shipped_json(callqa_home: Path) -> str:
    """The samples audited locally, in one process, with the shipped rules and models."""
    return audit_json(str(SAMPLES), "-j", "1")


@pytest.fixture(scope="package")
def changed_json(changed_rules: Path) -> str:
    """The samples audited locally, uncached, with the changed rules."""
    return audit_json(str(SAMPLES), "-j", "1", "--rules", str(changed_rules))
