"""Mask personal data in quotes before they leave the tool (evidence, reports, logs).

Masked: e-mail addresses, phone numbers (Israeli and international), payment card numbers (only
when the Luhn check passes), Israeli ID numbers (only when the check digit is right) and IBANs
(only when the mod-97 check passes). Checksums keep prices, dates, times, percentages and short
ticket numbers readable, because a QA lead needs them to judge the evidence.

Redaction is on unless the user opts out (`callqa audit --no-redact`); the choice travels in an
environment variable so that worker processes, which quote the evidence, follow it too.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import regex

from callqa.model import AuditResult, Evidence

_NO_REDACT_ENV = "CALLQA_NO_REDACT"

# Digits must not touch other digits; letters may (Hebrew attaches prefixes: "ל-052...").
_EMAIL = regex.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SPOKEN_EMAIL = regex.compile(
    r"\b[\w.+-]+ (?:at|שטרודל) [\w-]+ (?:dot|נקודה) (?:com|net|org|co(?: (?:dot|נקודה) il)?|il)\b",
    regex.IGNORECASE,
)
_IBAN = regex.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")
_CARD = regex.compile(r"(?<![\d+])\d(?:[ -]?\d){12,18}(?![\d])")
# The dashed form (12345678-2) is tried first. A hyphen may precede the number only after a
# letter: Hebrew writes "ל-123456782", while "5-123456782" or "-123456782" is not an ID.
_IL_ID = regex.compile(r"(?<![\d+])(?<!(?:^|[^\p{L}])-)(?:\d{8}-\d|\d{8,9})(?![\d])")
_PHONES = (
    # Israeli: 050-123-4567, 052 1234567, 02-6543210, +972-52-123-4567, +972 (0)3 ...
    regex.compile(
        r"(?<![\d+])(?:\+972[ -]?(?:\(0\))?[ -]?|0)(?:5\d|7\d|[23489])[ -]?\d{3}[ -]?\d{4}(?![\d])"
    ),
    # International with a + prefix: +44 20 7946 0958, +1 (555) 123-4567, +33 1 23 45 67 89
    regex.compile(r"(?<![\d+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?![\d])"),
    # North American: (555) 123-4567, 555-123-4567, 555.123.4567
    regex.compile(r"(?<![\d+])(?:\(\d{3}\)[ ]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\d])"),
    # National numbers with a trunk 0: 07700 900123, 020 7946 0958
    regex.compile(r"(?<![\d+])0\d{2,4}[ -]\d{3,4}(?:[ -]?\d{3,4})?(?![\d])"),
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def israeli_id_valid(digits: str) -> bool:
    """The check digit of a teudat zehut (9 digits; 8 when a leading 0 was dropped)."""
    padded = digits.zfill(9)
    if len(padded) != 9 or set(padded) == {"0"}:
        return False
    total = 0
    for position, char in enumerate(padded):
        value = int(char) * (1 + position % 2)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def iban_valid(text: str) -> bool:
    compact = text.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _mask_card(match: regex.Match[str]) -> str:
    digits = _digits(match.group())
    return "[CARD]" if 13 <= len(digits) <= 19 and luhn_valid(digits) else match.group()


def _mask_id(match: regex.Match[str]) -> str:
    return "[ID]" if israeli_id_valid(_digits(match.group())) else match.group()


def _mask_iban(match: regex.Match[str]) -> str:
    return "[IBAN]" if iban_valid(match.group()) else match.group()


def _mask_phone(match: regex.Match[str]) -> str:
    return "[PHONE]" if 8 <= len(_digits(match.group())) <= 15 else match.group()


def mask_pii(text: str) -> str:
    """Replace personal data with [EMAIL], [IBAN], [CARD], [ID] or [PHONE]; keep other numbers."""
    text = _EMAIL.sub("[EMAIL]", text)
    text = _SPOKEN_EMAIL.sub("[EMAIL]", text)
    text = _IBAN.sub(_mask_iban, text)
    text = _CARD.sub(_mask_card, text)
    text = _IL_ID.sub(_mask_id, text)
    for pattern in _PHONES:
        text = pattern.sub(_mask_phone, text)
    return text


def redaction_enabled() -> bool:
    return os.environ.get(_NO_REDACT_ENV, "") not in ("1", "true", "yes")


@contextlib.contextmanager
def redaction(enabled: bool) -> Iterator[None]:
    """Turn redaction on or off for this process and the workers it starts, then restore it."""
    previous = os.environ.get(_NO_REDACT_ENV)
    os.environ[_NO_REDACT_ENV] = "0" if enabled else "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(_NO_REDACT_ENV, None)
        else:
            os.environ[_NO_REDACT_ENV] = previous


def make_quote(text: str, *, limit: int = 160, redact: bool = True) -> str:
    """A short quote of a turn for evidence: masked, whitespace-collapsed and truncated."""
    quote = " ".join(text.split())
    if redact and redaction_enabled():
        quote = mask_pii(quote)
    if len(quote) > limit:
        quote = quote[: limit - 1].rstrip() + "…"
    return quote


def _redact_evidence(items: list[Evidence]) -> None:
    for item in items:
        item.quote = mask_pii(item.quote)
        if item.note:
            item.note = mask_pii(item.note)


def redact_result(result: AuditResult) -> AuditResult:
    """A copy whose evidence quotes are masked (a second line of defence before any output).

    Returns the result itself when redaction is off. Masking is idempotent: placeholders hold
    no digits or `@`, so masking an already-masked quote changes nothing.
    """
    if not redaction_enabled():
        return result
    texts = (t for item in _evidence_items(result) for t in (item.quote, item.note) if t)
    if all(mask_pii(text) == text for text in texts):
        return result  # quotes are masked when made: copying would change nothing
    copy = result.model_copy(deep=True)
    for item in _evidence_items(copy):
        _redact_evidence([item])
    return copy


def _evidence_items(result: AuditResult) -> Iterator[Evidence]:
    for call in result.calls:
        for verdict in call.verdicts.values():
            yield from verdict.evidence
        for signal in call.signals:
            yield from signal.evidence
