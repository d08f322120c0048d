import codecs

import pytest

from broadsheet.ingest.decode import BinaryContentError, UndecodableError, decode_bytes, html_declared_charset, normalize_text

TEXT = "Le café “Zoë” coûte 5 €.\nSecond line."


def test_plain_utf8_and_ascii():
    assert decode_bytes(TEXT.encode("utf-8")) == (TEXT, "utf-8")
    assert decode_bytes(b"just ascii") == ("just ascii", "utf-8")
    assert decode_bytes(b"") == ("", "utf-8")


def test_utf8_bom_is_removed_and_recorded():
    assert decode_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8")) == (TEXT, "utf-8-sig")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec):
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    assert decode_bytes(bom + TEXT.encode(codec)) == (TEXT, "utf-16")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognized_by_its_nul_pattern(codec):
    assert decode_bytes(TEXT.encode(codec)) == (TEXT, codec)


def test_utf32_bom_is_not_mistaken_for_utf16():
    assert decode_bytes(codecs.BOM_UTF32_LE + "Zoë".encode("utf-32-le")) == ("Zoë", "utf-32")


def test_cp1252_smart_quotes_and_euro():
    data = b"He said \x93no\x94 \x96 it cost \x80" + b"5."
    assert decode_bytes(data) == ("He said “no” – it cost €5.", "cp1252")


def test_latin1_is_the_last_resort_for_bytes_cp1252_leaves_undefined():
    # 0x81 is one of cp1252's five undefined bytes; only Latin-1 decodes it.
    data = b"Caf\xe9 cr\xe8me \x81 and more words to read"
    text, encoding = decode_bytes(data)
    assert encoding == "latin-1"
    assert text == "Café crème \x81 and more words to read"


def test_nfc_normalization_composes_accents():
    decomposed = "Cafe\u0301 de\u0301ja\u0300"
    text, _ = decode_bytes(decomposed.encode("utf-8"))
    assert text == "Café déjà"
    assert len(text) == 9


def test_newlines_are_normalized():
    assert decode_bytes(b"one\r\ntwo\rthree\n")[0] == "one\ntwo\nthree\n"
    assert normalize_text("\ufeffa\r\nb") == "a\nb"


def test_png_header_is_binary():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
    with pytest.raises(BinaryContentError, match="PNG"):
        decode_bytes(png)


def test_control_character_junk_is_binary_without_a_known_signature():
    junk = bytes(range(0, 32)) * 8 + b"some words"
    with pytest.raises(BinaryContentError) as info:
        decode_bytes(junk)
    assert info.value.reason == "binary_content"


def test_one_stray_control_character_does_not_make_text_binary():
    text, _ = decode_bytes(b"An ordinary article that ends with a DOS end-of-file mark.\x1a")
    assert text.endswith("mark.\x1a")


def test_bom_that_lies_is_undecodable():
    with pytest.raises(UndecodableError) as info:
        decode_bytes(codecs.BOM_UTF8 + b"caf\xe9 \x93quoted\x94")
    assert info.value.reason == "undecodable"
    assert not isinstance(info.value, BinaryContentError)
    with pytest.raises(UndecodableError):
        decode_bytes(codecs.BOM_UTF16_LE + b"a\x00b")  # odd number of bytes


def test_declared_charset_is_honoured():
    cyrillic = "Новости дня".encode("cp1251")
    assert decode_bytes(cyrillic, declared="windows-1251") == ("Новости дня", "cp1251")
    # Undeclared, the same bytes fall to the Western default: the declaration is what saved them.
    assert decode_bytes(cyrillic)[1] == "cp1252"


def test_latin1_label_reads_as_cp1252_like_browsers():
    assert decode_bytes(b"\x93quoted\x94", declared="ISO-8859-1") == ("“quoted”", "cp1252")


def test_mislabelled_utf8_stays_utf8():
    assert decode_bytes("café".encode(), declared="iso-8859-1") == ("café", "utf-8")


def test_wrong_or_unknown_declaration_falls_back_to_the_rule():
    assert decode_bytes(b"caf\xe9", declared="utf-8") == ("café", "cp1252")
    assert decode_bytes(b"caf\xe9", declared="no-such-charset") == ("café", "cp1252")


def test_html_declared_charset():
    assert html_declared_charset(b'<html><head><meta charset="windows-1251">') == "windows-1251"
    assert html_declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">') == "ISO-8859-1"
    assert html_declared_charset(b'<?xml version="1.0" encoding="utf-8"?><html>') == "utf-8"
    assert html_declared_charset(b"<html><head><title>x</title>") is None


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Правительство заявило во вторник, что переговоры возобновятся в марте. " * 4, "koi8_r"),
        ("Правительство заявило во вторник, что переговоры возобновятся в марте. " * 4, "cp1251"),
        ("Η κυβέρνηση ανακοίνωσε την Τρίτη ότι οι συνομιλίες θα συνεχιστούν τον Μάρτιο. " * 4, "iso8859_7"),
        ("政府は火曜日に、交渉は三月に再開されると発表した。" * 6, "shift_jis"),
        ("政府周二表示，谈判将于三月恢复。官员说，预算将在下周讨论。" * 6, "gb18030"),
        ("政府週二表示，談判將於三月恢復。" * 6, "big5"),
        ("지역 의회는 화요일 예산안 표결을 3월에 실시한다고 밝혔다. " * 5, "euc_kr"),
    ],
)
def test_undeclared_legacy_text_of_a_non_latin_script_is_read_in_its_own_encoding(text, codec):
    # Read as cp1252 (or "repaired" as UTF-8 with chance multi-byte sequences) these bytes were
    # mojibake or refused as binary.
    decoded, encoding = decode_bytes(text.encode(codec))
    assert decoded == text.strip() or decoded == text, (codec, encoding, decoded[:40])
    assert "+cp1252" not in encoding and encoding != "cp1252"


def test_western_text_is_not_taken_for_a_sibling_code_page():
    # charset-normalizer names cp1250 for this; its guesses are taken for non-Latin scripts only.
    text = "Café owners in Zürich said the naïve plan would fail – “quoted”, at €5." * 5
    assert decode_bytes(text.encode("cp1252")) == (text, "cp1252")
