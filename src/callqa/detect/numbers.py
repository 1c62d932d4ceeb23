"""Extract the quantities agents say, in digits or words, English or Hebrew.

Works on normalised tokens (see `text.normalise_text`: Hebrew final letters are folded, so
"שקלים" is "שקלימ"). Returns percentages, money amounts and durations with the token span they
cover, so a rule can look for a negation or a context word near them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from callqa.detect.hebrew import fold_hebrew

_EN_UNITS = {
    "zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "couple": 2, "few": 3,
}  # fmt: skip
_EN_SCALES = {"hundred": 100, "thousand": 1000}
_HE_WORDS_RAW = {
    "אחד": 1, "אחת": 1, "שניים": 2, "שתיים": 2, "שני": 2, "שתי": 2, "שלוש": 3, "שלושה": 3,
    "שלושת": 3, "ארבע": 4, "ארבעה": 4, "ארבעת": 4, "חמש": 5, "חמישה": 5, "חמשת": 5, "שש": 6,
    "שישה": 6, "ששת": 6, "שבע": 7, "שבעה": 7, "שבעת": 7, "שמונה": 8, "שמונת": 8, "תשע": 9,
    "תשעה": 9, "תשעת": 9, "עשר": 10, "עשרה": 10, "עשרת": 10, "עשרים": 20, "שלושים": 30,
    "ארבעים": 40, "חמישים": 50, "שישים": 60, "שבעים": 70, "שמונים": 80, "תשעים": 90,
    "מאה": 100, "מאתיים": 200, "אלף": 1000, "אלפיים": 2000,
}  # fmt: skip
_HE_WORDS = {fold_hebrew(k): v for k, v in _HE_WORDS_RAW.items()}
_HE_HUNDREDS = fold_hebrew("מאות")

_PERCENT = {"%", "percent", "per", "pct", fold_hebrew("אחוז"), fold_hebrew("אחוזים")}
_CURRENCY = {
    "$", "£", "€", "₪", "nis", "ils", "dollar", "dollars", "bucks", "pound", "pounds", "euro",
    "euros", "shekel", "shekels", "sheqel",
    *(fold_hebrew(w) for w in ("שקל", "שקלים", "שח", "דולר", "דולרים", "יורו", "ש״ח")),
}  # fmt: skip
_UNIT_DAYS = {
    "minute": 1 / 1440, "minutes": 1 / 1440, "hour": 1 / 24, "hours": 1 / 24, "day": 1.0,
    "days": 1.0, "week": 7.0, "weeks": 7.0, "month": 30.0, "months": 30.0, "year": 365.0,
    "years": 365.0,
    **{fold_hebrew(k): v for k, v in {
        "דקה": 1 / 1440, "דקות": 1 / 1440, "שעה": 1 / 24, "שעות": 1 / 24, "שעתיים": 2 / 24,
        "יום": 1.0, "ימים": 1.0, "יומיים": 2.0, "שבוע": 7.0, "שבועות": 7.0, "שבועיים": 14.0,
        "חודש": 30.0, "חודשים": 30.0, "שנה": 365.0, "שנים": 365.0,
        "שנתיים": 730.0,
    }.items()},
}  # fmt: skip
# חודשיים (two months) folds to חודשים (months), so it is read as a plural, not a dual.
_DUAL = {fold_hebrew(w) for w in ("שעתיים", "יומיים", "שבועיים", "שנתיים")}
_RANGE = {"to", "or", fold_hebrew("עד"), fold_hebrew("או")}
_HALF = {"half", fold_hebrew("חצי")}
_SAME_DAY = {
    "today", "tonight", "this afternoon", "this evening", "this morning", "end of day",
    "end of the day", "within the hour", "right away", "immediately", "in an hour",
    *(fold_hebrew(w) for w in ("היום", "הערב", "עוד היום", "עד הערב", "תוך שעה", "מיד",
                               "בעוד שעה", "אחר הצהריים", "עד סוף היום", "הלילה", "מייד")),
}  # fmt: skip
_NEXT_DAY = {"tomorrow", fold_hebrew("מחר")}
_DIGITS = re.compile(r"^\d+(?:[.,]\d+)?$")
_HE_PREFIX = re.compile(r"^[ובלמשכה]{1,3}")


@dataclass(frozen=True)
class Quantity:
    """A number with a kind: percent, money, or duration (in days)."""

    kind: str
    value: float
    start: int
    end: int  # token span [start, end)


def _known(word: str) -> bool:
    return any(word in table for table in (_HE_WORDS, _UNIT_DAYS, _CURRENCY, _PERCENT, _HALF))


def _strip_prefix(token: str) -> str:
    """A Hebrew word without its prefix clitics ("במאתיים" -> "מאתיים") when that is a known word."""
    if _known(token) or not _HE_PREFIX.match(token):
        return token
    for cut in (1, 2, 3):
        if len(token) > cut + 1 and _HE_PREFIX.fullmatch(token[:cut]) and _known(token[cut:]):
            return token[cut:]
    return token


def _number_at(tokens: list[str], i: int) -> tuple[float, int] | None:
    """A number starting at token i (digits or words): (value, tokens consumed)."""
    token = tokens[i]
    if _DIGITS.match(token):
        return float(token.replace(",", "")), 1
    total, current, j = 0.0, 0.0, i
    seen = False
    while j < len(tokens):
        word = _strip_prefix(tokens[j])
        if word in _EN_UNITS and not (word in ("a", "an") and seen):
            current += _EN_UNITS[word]
        elif word in _EN_SCALES and (seen or word == "hundred"):
            current = max(current, 1) * _EN_SCALES[word]
            if word == "thousand":
                total, current = total + current, 0.0
        elif word in _HE_WORDS:
            current += _HE_WORDS[word]
        elif word == _HE_HUNDREDS and seen:
            current *= 100
        elif word == "and" and seen:
            pass
        else:
            break
        seen = True
        j += 1
    if not seen or (j - i == 1 and tokens[i] in ("a", "an")):
        return None  # a lone article is not a number ("a $150 credit")
    value = total + current
    if tokens[j - 1] == "and":
        j -= 1
    return (value, j - i) if value or tokens[i] == "zero" else None


def extract_quantities(tokens: list[str]) -> list[Quantity]:
    """Percentages, money and durations in a normalised token list, left to right."""
    found: list[Quantity] = []
    text = " ".join(tokens)
    i = 0
    while i < len(tokens):
        word = _strip_prefix(tokens[i])
        if word in _CURRENCY and i + 1 < len(tokens):  # "$150", "NIS 200", "₪ 30"
            number = _number_at(tokens, i + 1)
            if number:
                found.append(Quantity("money", number[0], i, i + 1 + number[1]))
                i += 1 + number[1]
                continue
        if word in _HALF and i + 1 < len(tokens):  # "half a year", "חצי שנה"
            k = i + 2 if tokens[i + 1] in ("a", "an") else i + 1
            unit = _strip_prefix(tokens[k]) if k < len(tokens) else ""
            if unit in _UNIT_DAYS:
                found.append(Quantity("duration", _UNIT_DAYS[unit] / 2, i, k + 1))
                i = k + 1
                continue
        if word in ("a", "an", "one") and i + 1 < len(tokens) and tokens[i + 1] in _UNIT_DAYS:
            found.append(Quantity("duration", _UNIT_DAYS[tokens[i + 1]], i, i + 2))  # "a month"
            i += 2
            continue
        if word in _DUAL:
            found.append(Quantity("duration", _UNIT_DAYS[word], i, i + 1))
            i += 1
            continue
        number = _number_at(tokens, i)
        if number:
            value, used = number
            nxt = i + used
            unit = _strip_prefix(tokens[nxt]) if nxt < len(tokens) else ""
            if unit in _PERCENT:
                extra = 2 if unit == "per" and nxt + 1 < len(tokens) else 1
                found.append(Quantity("percent", value, i, nxt + extra))
                i = nxt + extra
                continue
            if unit in _CURRENCY:
                found.append(Quantity("money", value, i, nxt + 1))
                i = nxt + 1
                continue
            if unit in ("business", "working") or unit == fold_hebrew("ימי"):
                if nxt + 1 < len(tokens):
                    found.append(Quantity("duration", value, i, nxt + 2))
                    i = nxt + 2
                    continue
            if unit in _UNIT_DAYS:
                found.append(Quantity("duration", value * _UNIT_DAYS[unit], i, nxt + 1))
                i = nxt + 1
                continue
            if unit in _RANGE and nxt + 1 < len(tokens):  # "5 to 10 business days"
                upper = [q for q in extract_quantities(tokens[nxt + 1 : nxt + 5]) if q.start == 0]
                if upper and upper[0].kind in ("duration", "percent", "money"):
                    ratio = upper[0].value / (_number_at(tokens, nxt + 1) or (1.0, 1))[0]
                    found.append(Quantity(upper[0].kind, value * ratio, i, nxt))
            i = nxt
            continue
        if word in _UNIT_DAYS and word not in ("minutes", "hours", "days", "weeks", "months",
                                               "years"):  # fmt: skip
            # A bare singular unit means one of it: "תוך שעה", "a month free" ("a" is a number).
            if word not in ("minute", "hour", "day", "week", "month", "year"):
                found.append(Quantity("duration", _UNIT_DAYS[word], i, i + 1))
        i += 1
    found.extend(_same_day(text, tokens))
    return found


_DAY_PHRASES = {**dict.fromkeys(_SAME_DAY, 0.0), **dict.fromkeys(_NEXT_DAY, 1.0)}
_DAY_PATTERN = re.compile(
    r"(?<![^ ])[ובלמשכה]{0,3}("
    + "|".join(re.escape(p) for p in sorted(_DAY_PHRASES, key=len, reverse=True))
    + r")(?![^ ])"
)


def _same_day(text: str, tokens: list[str]) -> list[Quantity]:
    """Today / tonight / within the hour (0 days) and tomorrow (1 day), Hebrew prefixes allowed."""
    hits: list[Quantity] = []
    for match in _DAY_PATTERN.finditer(text):
        if match.group(1) not in _DAY_PHRASES:
            continue
        start = text[: match.start()].count(" ")
        hits.append(
            Quantity(
                "duration", _DAY_PHRASES[match.group(1)], start, start + len(match.group(1).split())
            )
        )
    return hits
