"""Stage 1 helpers: turn raw bytes into text and lenient JSON into Python values.

Exports from contact-centre systems arrive as UTF-8 (with or without a BOM), UTF-16 from Windows
tools, and Windows-1255 / ISO-8859-8 for older Hebrew systems. Vendor documentation prints JSON
with comments, trailing commas, Markdown fences and stray closing braces. Anything that can be read
unambiguously is read; anything else is refused with an error that names the file.
"""

from __future__ import annotations

import codecs
import json
from typing import Any

from callqa.errors import EncodingError, FormatError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Hebrew letters in Windows-1255 and ISO-8859-8 both sit at 0xE0-0xFA.
_HEBREW_8BIT = range(0xE0, 0xFB)


def decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    """Decode a file's bytes; return (text, encoding name)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise EncodingError(
                    f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                    f"(byte {exc.start})",
                    path,
                ) from None
    if _looks_like_utf16_without_bom(data):
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise EncodingError("looks like a binary file (NUL bytes), not a transcript", path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    high = [b for b in data if b >= 0x80]
    hebrew = sum(1 for b in high if b in _HEBREW_8BIT)
    if high and hebrew / len(high) >= 0.6:
        # cp1255 is a superset of ISO-8859-8 for letters; it also maps niqqud and punctuation.
        for encoding in ("cp1255", "iso-8859-8"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _reads_as_hebrew(text):
                return text, encoding
    raise EncodingError(
        f"is not valid UTF-8 (byte {utf8_error.start}) and not recognisable Hebrew "
        "Windows-1255/ISO-8859-8; re-export it as UTF-8",
        path,
    )


def _reads_as_hebrew(text: str) -> bool:
    """Latin-1 accents decode to Hebrew letters too, but glued inside Latin words ("cafי")."""
    hebrew = glued = 0
    for i, ch in enumerate(text):
        if "\u05d0" <= ch <= "\u05ea":
            hebrew += 1
            neighbours = text[max(0, i - 1) : i] + text[i + 1 : i + 2]
            glued += any(c.isascii() and c.isalpha() for c in neighbours)
    return hebrew > 0 and glued / hebrew < 0.2


def _looks_like_utf16_without_bom(data: bytes) -> bool:
    sample = data[:512]
    if len(sample) < 4 or len(sample) % 2:
        return False
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    return max(even_nuls, odd_nuls) > 0.4 * half and min(even_nuls, odd_nuls) < 0.05 * half


def strip_markdown_fence(text: str) -> str:
    """Remove a surrounding Markdown code fence (```json ... ```), if any."""
    stripped = text.strip()
    if not stripped.startswith("```"):
        return text
    first_newline = stripped.find("\n")
    body = stripped[first_newline + 1 :] if first_newline >= 0 else ""
    fence = body.rfind("```")
    if fence >= 0:
        body = body[:fence]
    return body


def _strip_comments_and_trailing_commas(text: str) -> str:
    """Drop // and /* */ comments and trailing commas outside JSON strings."""
    out: list[str] = []
    i = 0
    n = len(text)
    in_string = False
    while i < n:
        ch = text[i]
        if in_string:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if ch == '"':
                in_string = False
            i += 1
            continue
        if ch == '"':
            in_string = True
            out.append(ch)
            i += 1
        elif text.startswith("//", i):
            newline = text.find("\n", i)
            i = n if newline < 0 else newline
        elif text.startswith("/*", i):
            close = text.find("*/", i + 2)
            i = n if close < 0 else close + 2
        elif ch == ",":
            j = i + 1
            while j < n and text[j] in " \t\r\n":
                j += 1
            if j < n and text[j] in "]}":
                i += 1  # trailing comma: skip it
            else:
                out.append(ch)
                i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def parse_json_lenient(text: str, path: str) -> tuple[Any, list[str]]:
    """Parse JSON, tolerating what vendor docs print; return (value, list of repairs made).

    Tolerated: a Markdown fence, // and /* */ comments, trailing commas, and surplus closing
    brackets after one complete top-level value. Anything else is a FormatError naming the
    file, line and column.
    """
    repairs: list[str] = []
    try:
        return json.loads(text), repairs
    except RecursionError:
        raise FormatError("JSON is nested too deeply", path) from None
    except json.JSONDecodeError as exc:
        first_error = exc
    candidate = strip_markdown_fence(text)
    if candidate is not text:
        repairs.append("removed a Markdown code fence")
    # Twice: a trailing comma followed by a comment is only seen once the comment is gone.
    cleaned = _strip_comments_and_trailing_commas(_strip_comments_and_trailing_commas(candidate))
    if cleaned != candidate:
        repairs.append("removed comments or trailing commas")
    decoder = json.JSONDecoder()
    try:
        value, end = decoder.raw_decode(cleaned.lstrip())
    except RecursionError:
        raise FormatError("JSON is nested too deeply", path) from None
    except json.JSONDecodeError:
        raise FormatError(
            f"invalid JSON at line {first_error.lineno}, column {first_error.colno}: "
            f"{first_error.msg}",
            path,
        ) from None
    rest = cleaned.lstrip()[end:].strip()
    if rest and set(rest) <= set("}]"):
        repairs.append("ignored surplus closing brackets after the JSON value")
    elif rest:
        raise FormatError(
            f"invalid JSON at line {first_error.lineno}, column {first_error.colno}: "
            "extra data after the first JSON value",
            path,
        )
    return value, repairs
