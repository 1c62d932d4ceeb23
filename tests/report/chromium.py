"""Render an HTML file in headless Chromium (the one test dependency outside Python)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("chromium is not installed (apt-get install -y chromium); HTML render not checked")


def render(page: Path, work: Path) -> tuple[str, bytes]:
    """The DOM after rendering, and a PNG screenshot of the page."""
    binary = chromium()
    profile = work / "profile"
    base = [binary, *FLAGS, f"--user-data-dir={profile}"]
    dom = subprocess.run(
        [*base, "--dump-dom", page.resolve().as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    shot = work / "page.png"
    subprocess.run(
        [*base, f"--screenshot={shot}", "--window-size=1200,2000", page.resolve().as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return dom, shot.read_bytes()
