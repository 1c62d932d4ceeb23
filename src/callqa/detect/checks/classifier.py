"""`classifier`: a model label over a threshold on any turn in scope (skipped without models)."""

from __future__ import annotations

from callqa.detect.checks.forbidden import Forbidden
from callqa.detect.source import LineDict, fail

FIELDS = {"speaker", "window", "model", "label", "threshold"}


class Classifier(Forbidden):
    def __init__(self, node: LineDict) -> None:
        if "model" not in node or "label" not in node:
            raise fail(node, "a classifier rule needs model: NAME and label: LABEL")
        match = LineDict({k: node[k] for k in ("model", "label", "threshold") if k in node})
        match.line, match.path, match.key_lines = node.line, node.path, node.key_lines
        node = LineDict({**node, "match": match})
        node.line, node.path, node.key_lines = match.line, match.path, match.key_lines
        super().__init__(node)
