"""Property-based tests of the rule parser: random and mutated rule YAML, starting from the shipped
rule files, either loads or raises `RuleError` naming the file and line; never a crash or a hang.

Each example runs under an alarm, so a parser hang fails the test instead of stalling CI.
"""

from __future__ import annotations

import contextlib
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callqa.detect.matchers import LEXICONS
from callqa.detect.ruleset import NON_RULE_FILES, load_lexicons, load_ruleset, parse_file
from callqa.errors import RuleError
from callqa.paths import default_rules_dir

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
MUTATE = settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
SEEDS = sorted(
    p
    for p in default_rules_dir().rglob("*.yaml")
    if p.name not in NON_RULE_FILES and "lexicons" not in p.parts
)
HANG_SECONDS = 20  # regex checks are bounded (0.2 s a probe): anything near this is a hang
SHIPPED_LEXICONS = load_lexicons(default_rules_dir())  # parsed once: "@name" phrase lists resolve

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-5, 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(
        ["phrase_forbidden", "sequence", "agent", "customer", "rudeness", "@agent_apology",
         "(a+)+$", "[", "\\", "*", "major", "pass", "fail", "n/a", "callqa.turns.{lang}.v1"]
    )
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)


class _Hang(Exception):
    pass


@contextlib.contextmanager
def _no_hang() -> Iterator[None]:
    def alarm(signum: int, frame: FrameType | None) -> None:
        raise _Hang(f"the rule parser ran for more than {HANG_SECONDS} s")

    if not hasattr(signal, "SIGALRM"):  # Windows has no alarm: run unguarded
        yield
        return
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(HANG_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _loads_or_fails_cleanly(text: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rule.yaml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        token = LEXICONS.set(SHIPPED_LEXICONS)
        try:
            with _no_hang():
                parse_file(path)
        except RuleError as exc:
            assert exc.path == str(path), exc
            assert str(exc).startswith(f"{path}:"), exc
            assert exc.line is not None, f"no line number: {exc}"
            lines = text.count("\n" if isinstance(text, str) else b"\n") + 1  # type: ignore[arg-type]
            assert 1 <= exc.line <= lines, exc
        finally:
            LEXICONS.reset(token)


def test_the_seeds_load() -> None:
    assert len(SEEDS) >= 10
    for seed in SEEDS:
        load_ruleset(seed)


@FUZZ
@given(st.text(alphabet=" \n\t:-[]{},'\"#&*!|>@%abz019", max_size=400))
def test_random_yaml_text(text: str) -> None:
    _loads_or_fails_cleanly(text)


@FUZZ
@given(values)
def test_random_yaml_documents(value: Any) -> None:
    _loads_or_fails_cleanly(yaml.safe_dump(value, allow_unicode=True))


@MUTATE
@given(seed=st.sampled_from(SEEDS), data=st.data())
def test_mutated_shipped_rule_text(seed: Path, data: st.DataObject) -> None:
    """Byte-level damage: truncation, a changed byte, a deleted, doubled or re-indented line."""
    raw = seed.read_bytes()
    lines = raw.splitlines(keepends=True)
    how = data.draw(st.sampled_from(["truncate", "byte", "delete", "double", "indent"]))
    at = data.draw(st.integers(0, len(lines) - 1))
    if how == "truncate":
        mutated = raw[: data.draw(st.integers(0, len(raw)))]
    elif how == "byte":
        where = data.draw(st.integers(0, len(raw) - 1))
        mutated = raw[:where] + bytes([data.draw(st.integers(0, 255))]) + raw[where + 1 :]
    elif how == "delete":
        mutated = b"".join(lines[:at] + lines[at + 1 :])
    elif how == "double":
        mutated = b"".join(lines[: at + 1] + lines[at:])
    else:
        shift = data.draw(st.sampled_from([b" ", b"  ", b"\t", b"- "]))
        mutated = b"".join([*lines[:at], shift + lines[at], *lines[at + 1 :]])
    _loads_or_fails_cleanly(mutated)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _paths(child, (*prefix, index))


def _replace(node: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    copy: Any = dict(node) if isinstance(node, dict) else list(node)
    if delete and not rest:
        del copy[head]
    else:
        copy[head] = _replace(node[head], rest, value, delete)
    return copy


@MUTATE
@given(seed=st.sampled_from(SEEDS), data=st.data())
def test_mutated_shipped_rule_structure(seed: Path, data: st.DataObject) -> None:
    """Tree-level damage: a field, list item or value replaced by a random value, or removed."""
    tree = yaml.safe_load(seed.read_text(encoding="utf-8"))
    paths = list(_paths(tree))
    mutated = tree
    for _ in range(data.draw(st.integers(1, 3))):
        paths = list(_paths(mutated))
        path = data.draw(st.sampled_from(paths))
        delete = bool(path) and data.draw(st.booleans())
        mutated = _replace(mutated, path, data.draw(values), delete)
    _loads_or_fails_cleanly(yaml.safe_dump(mutated, allow_unicode=True, sort_keys=False))


def _shipped_with(name: str, field: str, value: str) -> str:
    """A shipped rule with one top-level field's value replaced (on the same line)."""
    lines = (default_rules_dir() / name).read_text(encoding="utf-8").splitlines(keepends=True)
    [at] = [i for i, line in enumerate(lines) if line.startswith(f"{field}:")]
    lines[at] = f"{field}: {value}\n"
    return "".join(lines)


CREDIT, INSULTS = "over_promising/credit.yaml", "rudeness/insults.yaml"
HOSTILE = {
    "nul_byte": ("id: ABC123\nname: a.b\n\x00kind: metric\n", 3, "control character"),
    "not_utf8": (b"id: ABC123\n\nname: caf\xe9\n", 3, "not valid UTF-8"),
    "deep_nesting": ("[" * 20_000 + "]" * 20_000, 1, "nested too deeply"),
    "python_tag": ("!!python/object/apply:os.system ['true']\n", 1, "invalid YAML"),
    "kind_is_a_list": ("kind: []\nid: ABC123\n", 1, "unknown kind"),
    "op_is_a_list": (_shipped_with(CREDIT, "op", "[gt]"), 15, "op must be"),
    "near_infinite": (_shipped_with(CREDIT, "op", "gt\nnear: .inf"), 16, "finite number"),
    "weight_nan": (_shipped_with(CREDIT, "weight", ".nan"), 6, "weight must be"),
    "languages_nested": (_shipped_with(CREDIT, "weight", "1\nlanguages: [[en]]"), 7, "languages"),
    "half_a_turn": (
        _shipped_with(INSULTS, "speaker", "agent\nwindow: {first_turns: 1.5}"),
        8,
        "whole number",
    ),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_rule_files_are_rule_errors_at_their_line(case: str) -> None:
    text, line, reason = HOSTILE[case]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rule.yaml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        with pytest.raises(RuleError) as info, _no_hang():
            load_ruleset(path)
    assert info.value.line == line, str(info.value)
    assert reason in str(info.value)
