"""Read YAML keeping line numbers, so every rule error can point at `file:line`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from callqa.errors import RuleError


class LineDict(dict[str, Any]):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    path: str = ""
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    line: int = 0
    path: str = ""


class _Loader(yaml.SafeLoader):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.path = str(loader.name)
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[str(key)] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.path = str(loader.name)
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_yaml(path: Path) -> Any:
    """Parse one YAML file; syntax errors become RuleError with the file and line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RuleError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise RuleError(
            f"not valid UTF-8 (byte {data[exc.start]:#04x}); save the file as UTF-8",
            str(path),
            line,
        ) from None
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # refuses control characters (NUL, ...) already
        loader.name = str(path)
        return loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        at = text.count("\n", 0, exc.position) + 1
        raise RuleError(
            f"invalid YAML: control character {exc.character:#06x} is not allowed", str(path), at
        ) from None
    except RecursionError:
        raise RuleError("invalid YAML: nested too deeply", str(path), 1) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise RuleError(f"invalid YAML: {problem}", str(path), line) from None
    finally:
        if loader is not None:
            loader.dispose()


def fail(node: Any, message: str, key: str | None = None) -> RuleError:
    """A RuleError located at a node (or one of its keys)."""
    path = getattr(node, "path", None) or None
    line: int | None = getattr(node, "line", None) or None
    if key is not None and isinstance(node, LineDict):
        line = node.line_of(key)
    return RuleError(message, path, line)
