"""spaCy token patterns, loaded only when a rule uses them (importing spaCy is slow)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any


@cache
def blank(lang: str) -> Any:
    import spacy

    return spacy.blank(lang if lang in ("en", "he") else "en")


def validate_patterns(patterns: Any) -> str | None:
    """None if the patterns are a valid list of spaCy Matcher patterns, else the problem."""
    if not isinstance(patterns, list) or not patterns:
        return "expected a list of patterns (each a list of token dicts)"
    if all(isinstance(p, dict) for p in patterns):
        patterns = [patterns]
    from spacy.matcher import Matcher

    matcher = Matcher(blank("en").vocab, validate=True)
    try:
        matcher.add("check", [list(p) for p in patterns])
    except Exception as exc:  # spaCy raises ValueError/MatchPatternError with a long report
        return " ".join(str(exc).split())[:300]
    return None


def token_matcher(lang: str, patterns: Any) -> Callable[[Any], bool]:
    from spacy.matcher import Matcher

    if all(isinstance(p, dict) for p in patterns):
        patterns = [patterns]
    matcher = Matcher(blank(lang).vocab)
    matcher.add("rule", [list(p) for p in patterns])
    return lambda doc: bool(matcher(doc))
