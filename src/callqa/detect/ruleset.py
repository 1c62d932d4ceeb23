"""Parse and validate rule files; every error names `file:line`.

A rule file holds one rule (a mapping) or several (a list, or a mapping with `rules:`). The
header is shared by every kind; the body fields depend on `kind` (see `checks.KINDS`).
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from callqa.detect.checks import KINDS, Check, build_check
from callqa.detect.matchers import LEXICONS
from callqa.detect.source import LineDict, LineList, fail, load_yaml
from callqa.errors import RuleError
from callqa.model import BEHAVIOURS
from callqa.normalise import detect_language

SEVERITIES = ("info", "minor", "major", "critical")
SIGNALS = (
    "customer_abuse",
    "long_hold",
    "transfer",
    "repeat_contact",
    "ownership",
    "talk_ratio",
    "overlap",
)
HEADER = {
    "id", "name", "kind", "behaviour", "signal", "severity", "weight", "message", "description",
    "languages", "examples", "aliases", "link",
}  # fmt: skip
_CODE = re.compile(r"^[A-Z]{3}\d{3}$")
_NAME = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
NON_RULE_FILES = {"policy.yaml", "scorecard.yaml"}
LEXICON_DIR = "lexicons"


@dataclass(frozen=True)
class ExampleTurn:
    role: str
    text: str
    start: float | None = None
    end: float | None = None


@dataclass(frozen=True)
class Example:
    name: str
    outcome: str  # pass | fail
    turns: tuple[ExampleTurn, ...]
    lang: str
    expect: str | None = None  # for pass: ok or n/a
    expect_turns: tuple[int, ...] = ()
    todo: bool = False
    line: int = 0


@dataclass
class Rule:
    code: str
    name: str
    kind: str
    check: Check
    severity: str
    weight: float
    message: str
    description: str
    languages: tuple[str, ...]
    behaviour: str | None = None
    signal: str | None = None
    examples: list[Example] = field(default_factory=list)
    aliases: tuple[str, ...] = ()
    link: str | None = None
    path: str = ""
    line: int = 0

    @property
    def target(self) -> str:
        return self.behaviour or self.signal or ""


@dataclass
class RuleSet:
    rules: list[Rule]
    digest: str

    def by_id(self, ident: str) -> Rule | None:
        for rule in self.rules:
            if ident in (rule.code, rule.name) or ident in rule.aliases:
                return rule
        return None


def _text(node: LineDict, key: str, required: bool = True) -> str:
    value = node.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise fail(node, f"'{key}' must be a non-empty string", key if key in node else None)
    return value.strip()


def _example_turns(node: LineDict) -> tuple[ExampleTurn, ...]:
    turns = node.get("turns")
    if not isinstance(turns, list) or not turns:
        raise fail(
            node, "an example needs turns: a list of {agent: TEXT} / {customer: TEXT}", "turns"
        )
    parsed = []
    for item in turns:
        where = item if isinstance(item, LineDict) else node
        if not isinstance(item, LineDict):
            raise fail(node, "each example turn is a mapping like {agent: TEXT}", "turns")
        roles = [k for k in ("agent", "customer", "other") if k in item]
        if len(roles) != 1 or not isinstance(item[roles[0]], str):
            raise fail(where, "each example turn has exactly one of agent/customer/other: TEXT")
        extra = set(item) - {roles[0], "start", "end"}
        if extra:
            raise fail(where, f"unknown example turn field {sorted(extra)[0]!r}")
        parsed.append(ExampleTurn(roles[0], item[roles[0]], item.get("start"), item.get("end")))
    return tuple(parsed)


def _examples(node: LineDict) -> list[Example]:
    block = node.get("examples")
    if not isinstance(block, LineDict):
        raise fail(
            node,
            "a rule needs examples: {pass: [...], fail: [...]}",
            "examples" if "examples" in node else None,
        )
    found: list[Example] = []
    for key, items in block.items():
        if key not in ("pass", "fail", "todo_pass", "todo_fail"):
            raise fail(
                block, f"unknown examples group {key!r} (pass, fail, todo_pass, todo_fail)", key
            )
        if not isinstance(items, list):
            raise fail(block, f"examples.{key} is a list", key)
        for item in items:
            if not isinstance(item, LineDict) or not isinstance(item.get("name"), str):
                raise fail(block, f"each example in {key} needs a name", key)
            turns = _example_turns(item)
            expect = item.get("expect")
            if expect is not None and expect not in ("ok", "n/a"):
                raise fail(item, "expect is ok or n/a", "expect")
            lang = item.get("lang") or detect_language([t.text for t in turns])
            raw_turns = item.get("expect_turns", [])
            if not isinstance(raw_turns, list) or not all(isinstance(i, int) for i in raw_turns):
                raise fail(item, "expect_turns is a list of turn numbers", "expect_turns")
            found.append(Example(
                name=item["name"], outcome=key.removeprefix("todo_"), turns=turns, lang=lang,
                expect=expect, expect_turns=tuple(raw_turns), todo=key.startswith("todo_"),
                line=item.line,
            ))  # fmt: skip
    return found


def parse_rule(node: Any, path: Path) -> Rule:
    if not isinstance(node, LineDict):
        raise RuleError("a rule is a mapping", str(path), getattr(node, "line", 1))
    kind = node.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        raise fail(
            node,
            f"unknown kind {kind!r} (expected one of: {', '.join(KINDS)})",
            "kind" if "kind" in node else None,
        )
    unknown = sorted(set(node) - HEADER - KINDS[kind][1])
    if unknown:
        allowed = ", ".join(sorted(KINDS[kind][1]))
        raise fail(
            node,
            f"unknown field {unknown[0]!r} for kind {kind} (kind fields: {allowed})",
            unknown[0],
        )
    code = _text(node, "id")
    if not _CODE.match(code):
        raise fail(node, f"id {code!r} must look like ABC123", "id")
    name = _text(node, "name")
    if not _NAME.match(name):
        raise fail(node, f"name {name!r} must be dotted lowercase (e.g. rudeness.insults)", "name")
    behaviour, signal = node.get("behaviour"), node.get("signal")
    if (behaviour is None) == (signal is None):
        raise fail(node, "a rule has exactly one of behaviour: or signal:")
    if behaviour is not None and behaviour not in BEHAVIOURS:
        raise fail(
            node,
            f"unknown behaviour {behaviour!r} (expected: {', '.join(BEHAVIOURS)})",
            "behaviour",
        )
    if signal is not None and signal not in SIGNALS:
        raise fail(node, f"unknown signal {signal!r} (expected: {', '.join(SIGNALS)})", "signal")
    severity = node.get("severity", "minor")
    if severity not in SEVERITIES:
        raise fail(node, f"severity must be one of {', '.join(SEVERITIES)}", "severity")
    weight = node.get("weight", 1)
    if (
        isinstance(weight, bool)
        or not isinstance(weight, int | float)
        or not math.isfinite(weight)
        or weight < 0
    ):
        raise fail(node, "weight must be a number >= 0", "weight")
    languages = node.get("languages", ["en", "he"])
    if (
        not isinstance(languages, list)
        or not languages
        or not all(lang in ("en", "he") for lang in languages)
    ):
        raise fail(node, "languages is a list of en and/or he", "languages")
    check = build_check(kind, node)
    examples = _examples(node)
    for lang in languages:
        for outcome in ("pass", "fail"):
            if not any(e.lang == lang and e.outcome == outcome and not e.todo for e in examples):
                raise fail(
                    node,
                    f"missing a '{outcome}' example in {lang} (every rule needs pass and fail examples in each of its languages)",
                    "examples" if "examples" in node else None,
                )
    aliases = node.get("aliases", [])
    return Rule(
        code=code, name=name, kind=kind, check=check, severity=severity, weight=float(weight),
        message=_text(node, "message"), description=_text(node, "description"),
        languages=tuple(languages), behaviour=behaviour, signal=signal, examples=examples,
        aliases=tuple(str(a) for a in aliases), link=node.get("link"), path=str(path), line=node.line,
    )  # fmt: skip


def rule_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise RuleError("no such rule file or folder", str(root))
    files = sorted(p for p in root.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))
    return [
        p
        for p in files
        if p.name not in NON_RULE_FILES and LEXICON_DIR not in p.relative_to(root).parts
    ]


def lexicon_dirs(root: Path) -> list[Path]:
    """Shipped lexicons first, then those beside the given rules (which may override them)."""
    from callqa.paths import default_rules_dir

    base = root if root.is_dir() else root.parent
    candidates = [default_rules_dir() / LEXICON_DIR, base.parent / LEXICON_DIR, base / LEXICON_DIR]
    unique: list[Path] = []
    for folder in candidates:
        if folder.is_dir() and folder.resolve() not in [u.resolve() for u in unique]:
            unique.append(folder)
    return unique


def load_lexicons(root: Path) -> dict[str, list[str]]:
    """Named phrase lists: each file under lexicons/ maps name: [phrases]."""
    lexicons: dict[str, list[str]] = {}
    for folder in lexicon_dirs(root):
        for path in sorted(folder.glob("*.yaml")):
            data = load_yaml(path)
            if not isinstance(data, LineDict):
                raise RuleError("a lexicon file maps name: [phrases]", str(path), 1)
            for name, phrases in data.items():
                if not isinstance(phrases, list) or not all(isinstance(x, str) for x in phrases):
                    raise fail(data, f"lexicon {name!r} must be a list of strings", name)
                lexicons[name] = list(phrases)
    return lexicons


def parse_file(path: Path) -> list[Rule]:
    data = load_yaml(path)
    if isinstance(data, LineDict) and "rules" in data and "kind" not in data:
        data = data["rules"]
    nodes = data if isinstance(data, LineList | list) else [data]
    return [_parse_located(node, path) for node in nodes]


def _parse_located(node: Any, path: Path) -> Rule:
    """`parse_rule`, with any value it did not expect turned into an error at the rule's line."""
    try:
        return parse_rule(node, path)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError) as exc:
        raise RuleError(
            f"invalid rule: a field has a value of the wrong type ({type(exc).__name__}); "
            "see docs/rules.md for the fields of each kind",
            str(path),
            getattr(node, "line", None) or 1,
        ) from None


def load_ruleset(root: Path) -> RuleSet:
    """Every rule under a folder (or in one file), validated; the first error is raised."""
    token = LEXICONS.set(load_lexicons(root)) if root.exists() else None
    try:
        return _load_ruleset(root)
    finally:
        if token is not None:
            LEXICONS.reset(token)


def _load_ruleset(root: Path) -> RuleSet:
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    digest = hashlib.sha256()
    files = rule_files(root)
    if not files:
        raise RuleError("no rule files found", str(root))
    for path in files:
        digest.update(path.read_bytes())
        for rule in parse_file(path):
            for ident in (rule.code, rule.name, *rule.aliases):
                if ident in seen:
                    other = seen[ident]
                    raise RuleError(
                        f"duplicate rule id or name {ident!r} (also {other.path}:{other.line})",
                        rule.path,
                        rule.line,
                    )
                seen[ident] = rule
            rules.append(rule)
    return RuleSet(rules, digest.hexdigest()[:12])


def validate_all(root: Path) -> list[RuleError]:
    """Every file's first error (for `rules validate`), not just the first overall."""
    errors: list[RuleError] = []
    seen: dict[str, str] = {}
    try:
        files = rule_files(root)
        token = LEXICONS.set(load_lexicons(root))
    except RuleError as exc:
        return [exc]
    try:
        _validate_files(files, seen, errors)
    finally:
        LEXICONS.reset(token)
    return errors


def _validate_files(files: list[Path], seen: dict[str, str], errors: list[RuleError]) -> None:
    for path in files:
        try:
            for rule in parse_file(path):
                for ident in (rule.code, rule.name):
                    if ident in seen:
                        errors.append(
                            RuleError(
                                f"duplicate rule id or name {ident!r} (also {seen[ident]})",
                                rule.path,
                                rule.line,
                            )
                        )
                    seen[ident] = f"{rule.path}:{rule.line}"
        except RuleError as exc:
            errors.append(exc)
