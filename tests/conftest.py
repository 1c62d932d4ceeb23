"""Shared test helpers: run the CLI in-process and assert its exit code."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `callqa ARGS` through the real entry point; return exit code, stdout and stderr."""
    from callqa.cli import main

    def invoke(*args: str, expect: int | None = None) -> CliResult:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exit_info:
            main(list(args))
        out, err = capsys.readouterr()
        code = exit_info.value.code
        result = CliResult(int(code) if code is not None else 0, out, err)
        if expect is not None:
            assert result.exit_code == expect, (result.exit_code, out[-2000:], err[-2000:])
        return result

    return invoke


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/ from the current output (also CALLQA_UPDATE_GOLDEN=1).",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden")) or (
        os.environ.get("CALLQA_UPDATE_GOLDEN") == "1"
    )


RegisterModel = Callable[[str, Callable[[str], Any]], None]


@pytest.fixture
def register_model() -> Iterator[RegisterModel]:
    """Register a fake model factory under a versioned name (`callqa.classify.register_factory`);
    the fake and its loaded instance are removed when the test ends."""
    from callqa.classify import _FACTORIES, _LOADED, register_factory

    names: list[str] = []

    def register(name: str, factory: Callable[[str], Any]) -> None:
        register_factory(name, factory)
        names.append(name)

    yield register
    for name in names:
        _FACTORIES.pop(name, None)
        _LOADED.pop(name, None)
