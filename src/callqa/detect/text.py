"""Normalise a turn once per call: lowercase, no apostrophes, punctuation to clause marks.

The normalised form is a single-spaced token string. Sentence punctuation becomes the clause
token `BOUNDARY`, so a negation in one clause does not cancel a phrase in the next; phrase
patterns may cross it (ASR output has no punctuation anyway). Apostrophes and quotes vanish
("can't" -> "cant", ש"ח -> שח) so that written and ASR spellings meet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from callqa.detect.hebrew import clitic_forms, fold_hebrew, has_hebrew

if TYPE_CHECKING:
    from callqa.detect.numbers import Quantity

BOUNDARY = "¦"
QUESTION = "?"
"""A question mark stays a token of its own, so "sorry?" (a courtesy) can be told apart."""

_APOSTROPHES = re.compile(r"['’‘`\"“”״׳]")
_QUESTION = re.compile(r"[?？؟]+")
_CLAUSE = re.compile(r"[.!;…,:\u05c3](?!\d)|(?<!\d)[,:.]")
_SYMBOLS = re.compile(r"([%$£€₪])")
_OTHER = re.compile(r"[^\w\s%$£€₪¦?:.,]|_")
_DIGIT_PUNCT = re.compile(r"(?<!\d)[.,:]|[.,:](?!\d)")
_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The form rule phrases and turn texts are compared in."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = fold_hebrew(text)
    text = _APOSTROPHES.sub("", text)
    text = text.replace("-", " ").replace("\u05be", " ").replace("/", " ")
    text = _QUESTION.sub(f" {QUESTION} ", text)
    text = _CLAUSE.sub(f" {BOUNDARY} ", text)
    text = _SYMBOLS.sub(r" \1 ", text)
    text = _OTHER.sub(" ", text)
    text = _DIGIT_PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


_LATIN_LETTER = re.compile(r"[A-Za-z]")


def turn_language(text: str, default: str = "en") -> str:
    """he with a Hebrew letter, en with a Latin one; a turn with neither ("👍", "12:30") takes
    the call's language, so that the call's model scores it."""
    if has_hebrew(text):
        return "he"
    if _LATIN_LETTER.search(text):
        return "en"
    return default


@dataclass
class TurnView:
    """A turn as rules see it: role, language, raw and normalised text, times."""

    index: int
    role: str
    text: str
    norm: str
    lang: str
    start: float | None = None
    end: float | None = None
    tokens: list[str] = field(default_factory=list)
    _quantities: list[Quantity] | None = None
    _forms: frozenset[str] | None = None

    @property
    def forms(self) -> frozenset[str]:
        """The tokens, with Hebrew prefix letters stripped too: what phrase indexes look up."""
        if self._forms is None:
            self._forms = clitic_forms(self.tokens)
        return self._forms

    @property
    def quantities(self) -> list[Quantity]:
        """The numbers said in the turn, extracted once however many rules ask."""
        if self._quantities is None:
            from callqa.detect.numbers import extract_quantities

            self._quantities = extract_quantities(self.tokens)
        return self._quantities

    @classmethod
    def of(
        cls,
        index: int,
        role: str,
        text: str,
        start: float | None = None,
        end: float | None = None,
        lang: str = "en",
    ) -> TurnView:
        """`lang` is the language of a turn with no letters (the call's)."""
        norm = normalise_text(text)
        return cls(index, role, text, norm, turn_language(text, lang), start, end, norm.split())
