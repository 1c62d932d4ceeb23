"""Hebrew-aware text normalisation shared by turns and rule phrases.

Both sides of a match go through the same function, so a phrase written with niqqud, final
letters or full spelling still matches an ASR transcript without them. Prefix clitics
(ו ה ב ל מ ש כ and their combinations, e.g. וכש, שה, ומה) are handled by the phrase matcher,
which allows them in front of a Hebrew phrase (see `CLITIC_PREFIX`).
"""

from __future__ import annotations

import re

_NIQQUD = re.compile(r"[\u0591-\u05bd\u05bf-\u05c2\u05c4-\u05c7]")
_FINALS = str.maketrans({"ך": "כ", "ם": "מ", "ן": "נ", "ף": "פ", "ץ": "צ"})
# Full and defective spellings differ in doubled vav/yod (ktiv male): fold them.
_DOUBLED = re.compile(r"(?<=[\u05d0-\u05ea])(וו|יי)(?=[\u05d0-\u05ea])")
HEBREW_LETTER = re.compile(r"[\u05d0-\u05ea]")

CLITIC_PREFIX = r"(?:[ובלמשכה]{1,3})?"
"""Up to three prefix letters (וכש, ומה, שב, ...) in front of a Hebrew word."""

CLITIC_LETTERS = frozenset("ובלמשכה")


def clitic_forms(tokens: list[str]) -> frozenset[str]:
    """Each token, and each Hebrew token without one, two or three leading prefix letters."""
    forms = set(tokens)
    for token in tokens:
        if has_hebrew(token):
            for k in range(1, min(3, len(token) - 1) + 1):
                if token[k - 1] not in CLITIC_LETTERS:
                    break
                forms.add(token[k:])
    return frozenset(forms)


_GENDERED = re.compile(r"^(.+?)/(ת|ה|ית|ים|ות|י)$")


def fold_hebrew(text: str) -> str:
    """No niqqud, no final forms, doubled vav/yod folded."""
    text = _NIQQUD.sub("", text).translate(_FINALS)
    return _DOUBLED.sub(lambda m: m.group(1)[0], text)


def has_hebrew(text: str) -> bool:
    return HEBREW_LETTER.search(text) is not None


def expand_gendered(phrase: str) -> list[str]:
    """'אני מצטער/ת' -> ['אני מצטער', 'אני מצטערת']: a slash suffix adds the other gender's form.

    Works on any word of the phrase; several slashed words expand to every combination.
    """
    variants = [""]
    for word in phrase.split():
        match = _GENDERED.match(word)
        forms = [match.group(1), match.group(1) + match.group(2)] if match else [word]
        variants = [f"{v} {f}".strip() for v in variants for f in forms]
    return variants
