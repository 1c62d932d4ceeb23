"""Stage 1 helper: read the time values vendors write and turn them into seconds.

Formats write offsets as integer milliseconds, float or string seconds, ISO 8601 durations
(`PT1M4.55S`), 100-ns ticks, clock times (`01:02:03.450`, `02:03,450`) or Google's `"1.300s"`; and
absolute instants as ISO 8601 timestamps or epoch microseconds. Offsets become seconds; instants
become seconds from the first turn (see `seconds_from_first`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal

Unit = Literal["s", "ms", "us", "ticks"]

_PER_SECOND: dict[str, float] = {"s": 1.0, "ms": 1e3, "us": 1e6, "ticks": 1e7}
_ISO_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
_CLOCK = re.compile(r"^(?:(?P<h>\d+):)?(?P<m>\d{1,2}):(?P<s>\d{1,2}(?:[.,]\d+)?)$")
_SUFFIXED_SECONDS = re.compile(r"^(?P<s>-?\d+(?:\.\d+)?)s$")
_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def offset_seconds(value: object, unit: Unit = "s") -> float | None:
    """An offset or duration in seconds; None when absent or unreadable.

    Numbers (and numeric strings) are read in `unit`; strings may also be ISO 8601 durations,
    clock times or `"1.3s"`, which carry their own unit.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value) / _PER_SECOND[unit]
        return number if math.isfinite(number) else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        number = float(text) / _PER_SECOND[unit]
    except ValueError:
        pass
    else:
        return number if math.isfinite(number) else None
    if match := _ISO_DURATION.match(text.upper()):
        if not any(match.groupdict().values()):
            return None
        parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
        return parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60 + parts["s"]
    if match := _CLOCK.match(text):
        hours = float(match.group("h") or 0)
        return (
            hours * 3600 + float(match.group("m")) * 60 + float(match.group("s").replace(",", "."))
        )
    if match := _SUFFIXED_SECONDS.match(text):
        return float(match.group("s"))
    return None


def instant(value: object, unit: Unit = "us") -> datetime | None:
    """An absolute time: an ISO 8601 timestamp, or an epoch number in `unit`; None otherwise."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        try:
            return datetime.fromtimestamp(float(value) / _PER_SECOND[unit], tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not _ISO_INSTANT.match(value.strip()):
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def looks_like_instant(value: object) -> bool:
    return isinstance(value, str) and bool(_ISO_INSTANT.match(value.strip()))


def seconds_from_first(moments: Sequence[datetime | None]) -> list[float | None]:
    """Absolute instants as seconds from the earliest one (the call's first turn)."""
    known = [m for m in moments if m is not None]
    if not known:
        return [None] * len(moments)
    first = min(known)
    return [None if m is None else (m - first).total_seconds() for m in moments]


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")
