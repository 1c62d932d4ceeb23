"""Personal data is masked in EN and HE quotes; prices, dates, times and tickets are kept."""

import pytest

from callqa.model import AuditResult
from callqa.redact import (
    iban_valid,
    israeli_id_valid,
    luhn_valid,
    make_quote,
    mask_pii,
    redact_result,
    redaction,
)
from tests.audit_fixture import sample_audit

MASKED = [
    ("call me back on 050-123-4567 please", "call me back on [PHONE] please"),
    ("my number is +972 52 123 4567", "my number is [PHONE]"),
    ("US office: (555) 123-4567 or 555.123.4567", "US office: [PHONE] or [PHONE]"),
    ("London +44 20 7946 0958, mobile 07700 900123", "London [PHONE], mobile [PHONE]"),
    ("write to dana.levi+billing@example.co.il now", "write to [EMAIL] now"),
    ("it's dana at gmail dot com", "it's [EMAIL]"),
    ("card 4580 4580 4580 4580 exp 12/27", "card [CARD] exp 12/27"),
    ("the card is 4111-1111-1111-1111", "the card is [CARD]"),
    ("IBAN IL62 0108 0000 0009 9999 999 thanks", "IBAN [IBAN] thanks"),
    ("GB82WEST12345698765432", "[IBAN]"),
    ("המספר שלי 052-7654321 תחזרו אליי", "המספר שלי [PHONE] תחזרו אליי"),
    ("תתקשרו ל-0521234567 בבקשה", "תתקשרו ל-[PHONE] בבקשה"),
    ("המייל שלי הוא yossi@walla.co.il", "המייל שלי הוא [EMAIL]"),
    ("תעודת זהות 123456782, תודה", "תעודת זהות [ID], תודה"),
    ("מספר כרטיס 4111 1111 1111 1111 תוקף 03/26", "מספר כרטיס [CARD] תוקף 03/26"),
    ("my ID number is 123456782", "my ID number is [ID]"),
    (
        "ID 12345678-2, with the check digit after a dash",
        "ID [ID], with the check digit after a dash",
    ),
    ("שלחתי את תעודת הזהות ל-123456782 אתמול", "שלחתי את תעודת הזהות ל-[ID] אתמול"),
    ("ת.ז. 023456783", "ת.ז. [ID]"),
    ("ה-IBAN שלי הוא IL62 0108 0000 0009 9999 999, תודה", "ה-IBAN שלי הוא [IBAN], תודה"),
    ("העברתי מ-DE89370400440532013000 אתמול", "העברתי מ-[IBAN] אתמול"),
    ("הכרטיס ב-4580-4580-4580-4580", "הכרטיס ב-[CARD]"),
    ("e-mail me at noa.cohen@example.com.", "e-mail me at [EMAIL]."),
]

KEPT = [
    "The plan costs $1,299.99 a year or ₪49.90 a month",
    "I'll call you on 12/03/2024 at 10:30, or 2024-03-12 between 14:00-16:00",
    "your ticket number is 48213",
    "I can give you 20% off, that's 100 shekels",
    "refunds take 5 to 10 business days",
    "מספר הפנייה שלך 48213, ההחזר יגיע תוך 5-10 ימי עסקים",
    "אני יכול לתת 20% הנחה, כלומר 49.90 ₪ בחודש, ב-15.4 בשעה 14:00",
    "order 123456789 shipped",  # 9 digits, but not a valid ID check digit
    "card ending 4580 4580 4580 4581",  # fails the Luhn check
    "the result was 5-123456782",  # a hyphen after a digit: not an ID
    "ID 12345678-9 is mistyped",  # the check digit after the dash is wrong
]


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_personal_data_is_masked(text: str, expected: str) -> None:
    assert mask_pii(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_numbers_are_kept(text: str) -> None:
    assert mask_pii(text) == text


def test_masking_is_idempotent() -> None:
    for text, _ in MASKED:
        once = mask_pii(text)
        assert mask_pii(once) == once


def test_checksums() -> None:
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert israeli_id_valid("123456782") and not israeli_id_valid("123456789")
    assert israeli_id_valid("23456783")  # a leading 0 dropped
    assert iban_valid("IL620108000000099999999") and not iban_valid("IL630108000000099999999")


def test_make_quote_follows_the_no_redact_choice() -> None:
    text = "call   me on 050-123-4567"
    assert make_quote(text) == "call me on [PHONE]"
    with redaction(False):
        assert make_quote(text) == "call me on 050-123-4567"
    assert make_quote(text) == "call me on [PHONE]"
    assert make_quote("x" * 200, limit=10) == "x" * 9 + "…"


def test_redact_result_masks_evidence_and_signals_without_touching_the_input() -> None:
    original = sample_audit()
    raw = AuditResult.model_validate(original.model_dump())
    for call in raw.calls:
        for verdict in call.verdicts.values():
            for e in verdict.evidence:
                e.quote += " 052-1234567"
    masked = redact_result(raw)
    assert "052-1234567" not in masked.model_dump_json()
    assert "052-1234567" in raw.model_dump_json()
    with redaction(False):
        assert redact_result(raw) is raw
