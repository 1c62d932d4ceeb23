"""Visual ordering of right-to-left text for terminals that do not implement bidi.

Most terminals print characters in logical (memory) order, so Hebrew reads backwards. This is a
small subset of the Unicode bidi algorithm that is enough for a quote: runs of strong RTL and
LTR characters (digits count as LTR), neutrals take the direction of their neighbours when both
agree and the paragraph direction otherwise, RTL runs are reversed with mirrored brackets, and in
an RTL paragraph the order of the runs is reversed too.
"""

from __future__ import annotations

import textwrap
import unicodedata

from callqa.report.common import is_rtl

_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")


def _strength(char: str) -> str | None:
    kind = unicodedata.bidirectional(char)
    if kind in ("R", "AL"):
        return "R"
    if kind in ("L", "EN", "AN"):
        return "L"
    return None


def _runs(text: str, base: str) -> list[tuple[str, str]]:
    strengths = [_strength(c) for c in text]
    resolved: list[str] = []
    for i, strength in enumerate(strengths):
        if strength is not None:
            resolved.append(strength)
            continue
        before = next((s for s in reversed(strengths[:i]) if s), base)
        after = next((s for s in strengths[i + 1 :] if s), base)
        resolved.append(before if before == after else base)
    runs: list[tuple[str, str]] = []
    for char, direction in zip(text, resolved, strict=True):
        if runs and runs[-1][0] == direction:
            runs[-1] = (direction, runs[-1][1] + char)
        else:
            runs.append((direction, char))
    return runs


def visual_line(text: str) -> str:
    """One line in display order; text without RTL characters is returned unchanged."""
    if not any(_strength(c) == "R" for c in text):
        return text
    base = "R" if is_rtl(text) else "L"
    runs = [
        (d, chunk[::-1].translate(_MIRROR) if d == "R" else chunk) for d, chunk in _runs(text, base)
    ]
    if base == "R":
        runs.reverse()
    return "".join(chunk for _, chunk in runs)


def visual_lines(text: str, width: int) -> str:
    """Wrap in logical order first (so an RTL quote starts on the first line), then reorder."""
    lines = textwrap.wrap(text, width) or [""]
    return "\n".join(visual_line(line) for line in lines)
