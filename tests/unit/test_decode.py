import codecs

import pytest

from callqa.errors import EncodingError, FormatError
from callqa.load.decode import decode_bytes, parse_json_lenient

HEBREW = "שלום, אני מצטערת על העיכוב"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (HEBREW.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + HEBREW.encode("utf-8"), "utf-8-sig"),
        (HEBREW.encode("utf-16"), "utf-16"),
        (HEBREW.encode("cp1255"), "cp1255"),
        (HEBREW.encode("iso-8859-8"), "cp1255"),
        ("Agent: hello there".encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_decodes_common_encodings(data: bytes, encoding: str) -> None:
    text, used = decode_bytes(data, "f.txt")
    assert used == encoding
    assert "שלום" in text or "hello" in text


def test_binary_is_refused_with_the_file_name() -> None:
    with pytest.raises(EncodingError, match=r"bin\.dat"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "bin.dat")


def test_latin1_garbage_is_refused() -> None:
    with pytest.raises(EncodingError, match="not valid UTF-8"):
        decode_bytes("café résumé naïve".encode("latin-1"), "x.txt")


def test_lenient_json_tolerates_doc_printing_quirks() -> None:
    text = '```json\n{"a": [1, 2,], // comment\n "b": "http://x"}\n```'
    value, repairs = parse_json_lenient(text, "doc.json")
    assert value == {"a": [1, 2], "b": "http://x"}
    assert repairs


def test_lenient_json_ignores_a_surplus_closing_brace() -> None:
    value, repairs = parse_json_lenient('{"a": 1}\n}', "x.json")
    assert value == {"a": 1}
    assert "surplus" in repairs[-1]


def test_truncated_json_is_refused_with_position() -> None:
    with pytest.raises(FormatError, match=r"t.json: invalid JSON at line 1"):
        parse_json_lenient('{"a": [1, 2', "t.json")
