"""Turn matchers: phrase lists, regexes, spaCy token patterns, model labels, and their logic.

YAML forms (a plain list means `any`):
  {phrases: [...], exclude: [...], negation: true}   fast; Hebrew prefixes and gender handled
  {regex: "..."}                                     on the raw turn, case-insensitive
                                                     ("@name" alone names a lexicon of regexes)
  {tokens: [[{LOWER: hi}], ...]}                     spaCy Matcher patterns (slow; prefer phrases)
  {model: callqa.turns.{lang}.v1, label: apology, threshold: 0.5}
  {model: callqa.turns.{lang}.v1, label: problem, below: {en: 0.3}}   the model is sure it is not
  {any: [...]}, {all: [...]}, {not: ...}
Every form also takes `speaker: agent|customer|other` and `unless: <matcher>`.
Phrases and regexes also take `unless_near: [phrases]`: a match with one of them within
NEAR_WORDS words of it, in the same clause, does not count ("yesterday 23:41" is no time to come).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import regex

from callqa.detect.context import CallContext, Hit
from callqa.detect.hebrew import CLITIC_PREFIX, clitic_forms, expand_gendered, has_hebrew
from callqa.detect.source import LineDict, fail
from callqa.detect.text import BOUNDARY, QUESTION, TurnView, normalise_text

REGEX_TIMEOUT_S = 0.05
"""Per match: a pathological pattern costs at most this, then counts as no match."""

_NEGATORS_EN = {
    "not", "no", "never", "cant", "cannot", "wont", "dont", "doesnt", "didnt", "isnt", "arent",
    "wasnt", "werent", "havent", "hasnt", "hadnt", "unable", "wouldnt", "couldnt", "shouldnt",
    "without", "nor", "hardly", "neither",
}  # fmt: skip
_NEGATORS_HE = {
    normalise_text(w) for w in ("לא", "אין", "אינני", "איני", "אינו", "אינה", "בלי", "אינך")
}
NEGATION_WINDOW = 4
NEAR_WORDS = 3
# Hebrew opens a subordinate clause with ש- ("לא בטוח שהם יאשרו"), so a bare subject pronoun after
# a negator starts a new main clause: in unpunctuated speech "אין חובות הם יאשרו לך" the "אין"
# belongs to "no debts", not to the promise. (English "not sure they'll..." drops "that", so this
# holds for Hebrew only; "את" and "זה" are left out, being also the object marker and "this".)
_CLAUSE_SUBJECTS_HE = {
    normalise_text(w) for w in ("אני", "אתה", "הוא", "היא", "אנחנו", "אתם", "אתן", "הם", "הן")
}
_DISMAY = {"oh", "ohh", "uh", "ah", "aw"}


def _interjection(tokens: list[str], i: int) -> bool:
    """'oh no, I'm so sorry' and 'no no, that's on us': a 'no' of dismay, not a negation."""
    if tokens[i] != "no":
        return False
    before = tokens[i - 1] if i else ""
    after = tokens[i + 1] if i + 1 < len(tokens) else ""
    return before in _DISMAY or "no" in (before, after)


_ids = itertools.count()
_SPEAKERS = ("agent", "customer", "other")
_LEAF_KEYS = {"phrases", "regex", "tokens", "model"}
_COMMON_KEYS = {"speaker", "unless"}


def ends_negation_scope(token: str) -> bool:
    """A token that a negator before it does not reach across: a clause break or a question mark,
    or a Hebrew subject pronoun that opens a new clause."""
    return token in (BOUNDARY, QUESTION) or token in _CLAUSE_SUBJECTS_HE


def is_negator(token: str) -> bool:
    if token in _NEGATORS_EN or token in _NEGATORS_HE:
        return True
    return has_hebrew(token) and len(token) <= 5 and token.lstrip("ובלמשכה") in ("לא", "אינ")


def _phrase_regex(phrase: str) -> str:
    """One phrase as a regex over normalised text: `*` is one word, `**` up to three words,
    `word*` any ending; a Hebrew word may carry prefix clitics."""
    parts: list[str] = []
    loose = False
    for word in phrase.split():
        if word == "**":
            parts.append(r" (?:[^ ]+ ){0,3}" if parts else r"(?:[^ ]+ ){0,3}")
            loose = True
            continue
        if parts and not loose:
            parts.append(rf" (?:[{BOUNDARY}?] )?")
        loose = False
        if word == "*":
            parts.append(rf"[^ {BOUNDARY}?]+")
            continue
        stem = word[:-1] if word.endswith("*") and len(word) > 1 else None
        if stem is not None:  # "apologi*": any ending
            token = normalise_text(stem)
            parts.append(
                (CLITIC_PREFIX if has_hebrew(token) else "") + regex.escape(token) + "[^ ]*"
            )
            continue
        for n, token in enumerate(normalise_text(word).split()):
            if n:
                parts.append(" ")
            prefix = CLITIC_PREFIX if has_hebrew(token) else ""
            parts.append(prefix + regex.escape(token))
    return "".join(parts)


# Words too common to tell a turn apart: a phrase is indexed by its rarest other word.
_COMMON_WORDS = frozenset(
    "a an the i im id ill ive you youre we well were it its is are was be been to of in on at for "
    "and or so my your our me us that thats this can cant will wont dont do not no just all have "
    "אני את אתה אתם אנחנו זה זו זאת לא של על יש עם כל גם רק".split()
)


def _anchor(phrase: str) -> tuple[str, str] | None:
    """("word", w) or ("stem", s): a token every match of the phrase contains (a Hebrew one after
    at most three prefix letters), the rarest-looking one; None when it is all wildcards."""
    best: tuple[int, str, str] | None = None
    for word in phrase.split():
        if word in ("*", "**"):
            continue
        if word.endswith("*") and len(word) > 1:
            tokens = normalise_text(word[:-1]).split()
            candidates = [("stem", tokens[0])] if len(tokens) == 1 else []
        else:
            candidates = [("word", t) for t in normalise_text(word).split()]
        for kind, token in candidates:
            score = len(token) - (10 if token in _COMMON_WORDS else 0)
            if best is None or score > best[0]:
                best = (score, kind, token)
    return None if best is None else (best[1], best[2])


def _alternation(fragments: list[str]) -> regex.Pattern[str]:
    return regex.compile(rf"(?<![^ ])(?:{'|'.join(fragments)})(?![^ ])")


class PhrasePattern:
    """A phrase list compiled to one regex alternation, with an index of anchor words.

    Every match of a phrase contains its anchor token, so a turn is matched against only the
    phrases whose anchors it holds (most turns hold none). Dropping phrases that cannot match
    anywhere in the text from the alternation, order kept, leaves its matches unchanged: the
    result is exactly that of the full regex (tested), at a fraction of the cost, which is the
    hot spot of rules-only audits. The reduced regexes are cached by the set of phrases kept.
    """

    _CACHE_LIMIT = 2048

    def __init__(self, phrases: list[str]) -> None:
        variants = sorted({v for p in phrases for v in expand_gendered(p)}, key=len, reverse=True)
        self.fragments = [_phrase_regex(v) for v in variants if v.strip()]
        self.regex = _alternation(self.fragments)
        self.by_word: dict[str, list[int]] = {}
        self.by_stem: dict[str, list[int]] = {}
        self.anywhere: list[int] = []
        for index, variant in enumerate(v for v in variants if v.strip()):
            key = _anchor(variant)
            if key is None:
                self.anywhere.append(index)
            else:
                (self.by_word if key[0] == "word" else self.by_stem).setdefault(key[1], []).append(
                    index
                )
        self.stems = tuple(self.by_stem)
        self._reduced: dict[tuple[int, ...], regex.Pattern[str]] = {}

    def _for(self, text: str, forms: frozenset[str] | None) -> regex.Pattern[str] | None:
        """The alternation of the phrases whose anchors the text holds; None when none does."""
        forms = clitic_forms(text.split()) if forms is None else forms
        keep = list(self.anywhere)
        for form in forms & self.by_word.keys():
            keep.extend(self.by_word[form])
        if self.stems:
            for form in forms:
                if form.startswith(self.stems):
                    for stem in self.stems:
                        if form.startswith(stem):
                            keep.extend(self.by_stem[stem])
        if not keep:
            return None
        key = tuple(sorted(set(keep)))
        pattern = self._reduced.get(key)
        if pattern is None:
            if len(self._reduced) >= self._CACHE_LIMIT:
                self._reduced.clear()
            pattern = self._reduced[key] = _alternation([self.fragments[i] for i in key])
        return pattern

    # `forms` are the turn's (`TurnView.forms`), computed once per turn. A text derived from
    # the turn by masking matches (exclude lists) holds no form the turn lacks, so they stay a
    # safe index for it.
    def search(self, text: str, forms: frozenset[str] | None = None) -> regex.Match[str] | None:
        pattern = self._for(text, forms)
        return None if pattern is None else pattern.search(text)

    def finditer(
        self, text: str, forms: frozenset[str] | None = None
    ) -> Iterator[regex.Match[str]]:
        pattern = self._for(text, forms)
        if pattern is not None:
            yield from pattern.finditer(text)

    def sub(
        self,
        repl: Callable[[regex.Match[str]], str],
        text: str,
        forms: frozenset[str] | None = None,
    ) -> str:
        pattern = self._for(text, forms)
        return text if pattern is None else pattern.sub(repl, text)


def compile_phrases(phrases: list[str]) -> PhrasePattern:
    return PhrasePattern(phrases)


@dataclass
class Matcher:
    """Base: `speaker` filter and `unless` veto around a kind-specific test."""

    speaker: str | None = None
    unless: Matcher | None = None
    uid: int = field(default_factory=lambda: next(_ids))

    def match(self, turn: TurnView, ctx: CallContext) -> Hit | None:
        key = (self.uid, turn.index)
        if key in ctx.cache:
            return ctx.cache[key]
        hit: Hit | None = None
        if self.speaker is None or turn.role == self.speaker:
            hit = self.test(turn, ctx)
            if hit is not None and self.unless is not None and self.unless.match(turn, ctx):
                hit = None
        ctx.cache[key] = hit
        return hit

    def test(self, turn: TurnView, ctx: CallContext) -> Hit | None:
        raise NotImplementedError

    def uses_models(self) -> bool:
        return False

    def rules_only(self) -> bool:
        """True when something other than a model can make it fire."""
        return True

    def model_names(self) -> set[str]:
        return set()


def clause_neighbours(text: str, start: int, end: int, words: int = NEAR_WORDS) -> str:
    """A match in `text` with at most `words` normalised words on each side, not crossing a
    clause mark: what `unless_near` reads ("last" + "tuesday", "yesterday" + "23:41")."""
    left = normalise_text(text[:start]).split()
    right = normalise_text(text[end:]).split()
    if BOUNDARY in left:
        left = left[len(left) - left[::-1].index(BOUNDARY) :]
    if BOUNDARY in right:
        right = right[: right.index(BOUNDARY)]
    middle = normalise_text(text[start:end]).split()
    return " ".join(left[max(0, len(left) - words) :] + middle + right[:words])


@dataclass
class NearVeto:
    """`unless_near`: phrases that, next to a match, undo it."""

    pattern: PhrasePattern

    def vetoes(self, text: str, start: int, end: int) -> bool:
        return self.pattern.search(clause_neighbours(text, start, end)) is not None


@dataclass
class PhraseMatcher(Matcher):
    pattern: PhrasePattern | None = None
    exclude: PhrasePattern | None = None
    negation: bool = False
    near: NearVeto | None = None
    phrase_count: int = 0

    def test(self, turn: TurnView, ctx: CallContext) -> Hit | None:
        text = turn.norm
        if self.exclude is not None:
            text = self.exclude.sub(lambda m: "#" * len(m.group()), text, turn.forms)
        assert self.pattern is not None
        for found in self.pattern.finditer(text, turn.forms):
            if self.negation and self._negated(text, found.start()):
                continue
            if self.near is not None and self.near.vetoes(text, found.start(), found.end()):
                continue
            return Hit("rule", note=f"matched: {found.group()}")
        return None

    @staticmethod
    def _negated(text: str, start: int) -> bool:
        before = text[:start].split()
        for i in range(len(before) - 1, max(-1, len(before) - 1 - NEGATION_WINDOW), -1):
            token = before[i]
            if ends_negation_scope(token):
                return False
            if is_negator(token) and not _interjection(before, i):
                return True
        return False


@dataclass
class RegexMatcher(Matcher):
    pattern: regex.Pattern[str] | None = None
    near: NearVeto | None = None

    def test(self, turn: TurnView, ctx: CallContext) -> Hit | None:
        assert self.pattern is not None
        try:
            for found in self.pattern.finditer(turn.text, timeout=REGEX_TIMEOUT_S):
                if self.near is None or not self.near.vetoes(turn.text, found.start(), found.end()):
                    return Hit("rule", note="matched a pattern")
        except TimeoutError:
            ctx.warnings.append(f"a rule regex timed out on turn {turn.index}; treated as no match")
        return None


@dataclass
class TokensMatcher(Matcher):
    patterns: list[Any] = field(default_factory=list)
    _matchers: dict[str, Any] = field(default_factory=dict)

    def test(self, turn: TurnView, ctx: CallContext) -> Hit | None:
        from callqa.detect.spacy_support import blank, token_matcher

        key = (turn.lang, turn.index)
        if key not in ctx.spacy_docs:
            ctx.spacy_docs[key] = blank(turn.lang)(turn.text)
        if turn.lang not in self._matchers:
            self._matchers[turn.lang] = token_matcher(turn.lang, self.patterns)
        return (
            Hit("rule", note="matched a token pattern")
            if self._matchers[turn.lang](ctx.spacy_docs[key])
            else None
        )


@dataclass
class ModelMatcher(Matcher):
    model: str = ""
    label: str = ""
    threshold: float = 0.5
    by_language: dict[str, float] = field(default_factory=dict)
    """Per-language thresholds (`threshold: {en: 0.6, he: 0.4}`): each language has its own
    model, and the models' scores are not calibrated alike."""

    below: bool = False
    """`below:` instead of `threshold:`: fire when the model is loaded and scores the turn under
    the value, i.e. the model is confident the label does not apply (a veto on a phrase hit that
    the model, seeing the turn before, reads otherwise). Without models it never fires."""

    def threshold_for(self, lang: str) -> float:
        return self.by_language.get(lang, self.threshold)

    def test(self, turn: TurnView, ctx: CallContext) -> Hit | None:
        score = ctx.model_score(self.model.replace("{lang}", turn.lang), turn, self.label)
        if score is None or (score < self.threshold_for(turn.lang)) != self.below:
            return None
        return Hit(
            "model", round(score, 3), f"{self.model.replace('{lang}', turn.lang)}:{self.label}"
        )

    def uses_models(self) -> bool:
        return True

    def rules_only(self) -> bool:
        return False

    def model_names(self) -> set[str]:
        return {self.model}


@dataclass
class AnyMatcher(Matcher):
    parts: list[Matcher] = field(default_factory=list)

    def test(self, turn: TurnView, ctx: CallContext) -> Hit | None:
        best: Hit | None = None
        for part in self.parts:
            hit = part.match(turn, ctx)
            if hit is not None and hit.signal == "rule":
                return hit  # a rule pattern is decisive; a model hit is kept in case none is
            best = best or hit
        return best

    def uses_models(self) -> bool:
        return any(p.uses_models() for p in self.parts)

    def rules_only(self) -> bool:
        return any(p.rules_only() for p in self.parts)

    def model_names(self) -> set[str]:
        return set().union(*(p.model_names() for p in self.parts))


@dataclass
class AllMatcher(AnyMatcher):
    def test(self, turn: TurnView, ctx: CallContext) -> Hit | None:
        hits = [p.match(turn, ctx) for p in self.parts]
        if any(h is None for h in hits):
            return None
        return next((h for h in hits if h is not None and h.signal == "model"), hits[0])

    def rules_only(self) -> bool:
        return all(p.rules_only() for p in self.parts)


@dataclass
class NotMatcher(Matcher):
    inner: Matcher | None = None

    def test(self, turn: TurnView, ctx: CallContext) -> Hit | None:
        assert self.inner is not None
        return None if self.inner.match(turn, ctx) else Hit("rule")

    def model_names(self) -> set[str]:
        return self.inner.model_names() if self.inner else set()


LEXICONS: ContextVar[dict[str, list[str]] | None] = ContextVar("lexicons", default=None)
"""Shared phrase lists (rules/lexicons/*.yaml) that a phrase list names as "@name"."""


_LEXICON_NAME = regex.compile(r"@[a-z][a-z0-9_]*")


def _strings(node: Any, where: Any, key: str) -> list[str]:
    values = [node] if isinstance(node, str) else node
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        raise fail(where, f"'{key}' must be a string or a non-empty list of strings", key)
    expanded: list[str] = []
    for value in values:
        # In a regex list only a bare "@name" names a lexicon, so "@\w+" stays a pattern.
        if value.startswith("@") and (key != "regex" or _LEXICON_NAME.fullmatch(value)):
            lexicons = LEXICONS.get() or {}
            lexicon = lexicons.get(value[1:])
            if lexicon is None:
                known = ", ".join(sorted(lexicons)) or "none loaded"
                raise fail(where, f"unknown lexicon {value!r} (known: {known})", key)
            expanded.extend(lexicon)
        else:
            expanded.append(value)
    return expanded


def check_regex(source: str, where: Any, key: str) -> regex.Pattern[str]:
    """Compile a rule regex; refuse one that is invalid or backtracks catastrophically."""
    try:
        pattern = regex.compile(source, regex.IGNORECASE | regex.V0)
    except regex.error as exc:
        raise fail(where, f"bad regex {source!r}: {exc}", key) from None
    for probe in ("a" * 3000 + "!", "1" * 3000 + "x", " " * 3000 + "x", "א" * 3000 + "!"):
        try:
            pattern.search(probe, timeout=0.2)
        except TimeoutError:
            raise fail(
                where, f"regex {source!r} backtracks catastrophically; simplify it", key
            ) from None
    return pattern


def _thresholds(node: LineDict, key: str = "threshold") -> tuple[float, dict[str, float]]:
    """`threshold: 0.6`, or `threshold: {en: 0.6, he: 0.4, default: 0.5}` per turn language
    (`below:` takes the same forms; a language it does not name is never vetoed)."""
    fallback = 0.5 if key == "threshold" else 0.0
    value = node.get(key, fallback)

    def number(v: Any) -> float:
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 1:
            raise fail(node, f"{key} must be a number between 0 and 1, or a mapping of "
                       "language (en, he, default) to such numbers", key)  # fmt: skip
        return float(v)

    if not isinstance(value, dict):
        return number(value), {}
    unknown = sorted(set(value) - {"en", "he", "default"})
    if unknown or not value:
        raise fail(node, f"{key} languages are en, he and default, not {unknown}", key)
    by_language = {str(k): number(v) for k, v in value.items() if k != "default"}
    return number(value.get("default", fallback)), by_language


def build_matcher(node: Any, where: Any = None) -> Matcher:
    """A matcher from its YAML form; errors carry the file and line."""
    where = node if isinstance(node, LineDict | list) and getattr(node, "line", False) else where
    if isinstance(node, list):
        return AnyMatcher(parts=[build_matcher(n, where) for n in node])
    if not isinstance(node, LineDict):
        raise fail(where, f"a matcher is a mapping or a list, not {type(node).__name__}")
    speaker = node.get("speaker")
    if speaker is not None and speaker not in _SPEAKERS:
        raise fail(node, f"speaker must be one of {', '.join(_SPEAKERS)}", "speaker")
    unless = build_matcher(node["unless"], node) if "unless" in node else None
    kinds = [k for k in ("phrases", "regex", "tokens", "model", "any", "all", "not") if k in node]
    known = (
        _LEAF_KEYS
        | _COMMON_KEYS
        | {"any", "all", "not", "exclude", "negation", "unless_near", "label", "threshold", "below"}
    )
    unknown = sorted(set(node) - known)
    if unknown:
        raise fail(
            node,
            f"unknown matcher field {unknown[0]!r} (expected one of: {', '.join(sorted(known))})",
            unknown[0],
        )
    if len(kinds) != 1:
        raise fail(
            node, "a matcher needs exactly one of: phrases, regex, tokens, model, any, all, not"
        )
    kind = kinds[0]
    common: dict[str, Any] = {"speaker": speaker, "unless": unless}
    near: NearVeto | None = None
    if "unless_near" in node:
        if kind not in ("phrases", "regex"):
            raise fail(node, "unless_near goes with phrases or regex", "unless_near")
        near = NearVeto(compile_phrases(_strings(node["unless_near"], node, "unless_near")))
    if kind == "phrases":
        phrases = _strings(node["phrases"], node, "phrases")
        exclude = (
            compile_phrases(_strings(node["exclude"], node, "exclude"))
            if "exclude" in node
            else None
        )
        return PhraseMatcher(**common, pattern=compile_phrases(phrases), exclude=exclude,
                             negation=bool(node.get("negation", False)), near=near,
                             phrase_count=len(phrases))  # fmt: skip
    if kind == "regex":
        sources = _strings(node["regex"], node, "regex")
        for source in sources:
            check_regex(source, node, "regex")
        return RegexMatcher(
            **common,
            pattern=check_regex("|".join(f"(?:{s})" for s in sources), node, "regex"),
            near=near,
        )
    if kind == "tokens":
        from callqa.detect.spacy_support import validate_patterns

        patterns = node["tokens"]
        problem = validate_patterns(patterns)
        if problem:
            raise fail(node, f"invalid spaCy token pattern: {problem}", "tokens")
        return TokensMatcher(**common, patterns=patterns)
    if kind == "model":
        if not isinstance(node["model"], str) or "label" not in node:
            raise fail(node, "a model matcher needs model: NAME and label: LABEL", "model")
        from callqa.classify import LABELS

        if node["label"] not in LABELS:
            raise fail(
                node,
                f"unknown label {node['label']!r} (expected one of: {', '.join(LABELS)})",
                "label",
            )
        if "threshold" in node and "below" in node:
            raise fail(node, "a model matcher takes threshold or below, not both", "below")
        below = "below" in node
        threshold, by_language = _thresholds(node, "below" if below else "threshold")
        return ModelMatcher(
            **common,
            model=node["model"],
            label=node["label"],
            threshold=threshold,
            by_language=by_language,
            below=below,
        )
    if kind == "not":
        return NotMatcher(**common, inner=build_matcher(node["not"], node))
    parts = node[kind]
    if not isinstance(parts, list) or not parts:
        raise fail(node, f"'{kind}' needs a non-empty list of matchers", kind)
    built = [build_matcher(p, node) for p in parts]
    return (AnyMatcher if kind == "any" else AllMatcher)(**common, parts=built)
