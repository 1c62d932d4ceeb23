"""Read a saved `callqa audit --format json` file back (for diff and calibrate)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from callqa.errors import ConfigError
from callqa.model import AuditResult


def load_audit(path: Path) -> AuditResult:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the audit: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the audit is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{path}:{exc.lineno}: not JSON; give the output of `callqa audit --format json`"
        ) from None
    try:
        return AuditResult.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{path}: not a callqa audit ({where}: {first['msg']})") from None
