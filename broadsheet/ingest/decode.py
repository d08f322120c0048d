"""Bytes → text: choosing the character encoding, refusing binary data, normalizing the result.

Everything that decides how a source's raw bytes become a Python string lives here, and nothing
else: no file access, no format parsing beyond finding an HTML page's declared charset.

The decision rule, in order (the first that applies wins):

1. A known binary signature (PNG, JPEG, PDF, ZIP, ...) → `BinaryContentError`.
2. A byte-order mark (UTF-32, UTF-8, UTF-16) is authoritative: it is what the writer put there
   to say the encoding. If the bytes after it do not decode, the file is corrupt →
   `UndecodableError` (guessing another encoding for a file that says it is UTF-8 would only
   hide the corruption), except that a UTF-8 file with a few stray bytes is repaired as in 5.
3. UTF-16 without a mark, recognized by its NUL-byte pattern: text in Latin script stored as
   UTF-16 has a NUL in nearly every second byte, on one side only (odd bytes for little endian,
   even for big endian). No 8-bit text has that pattern, and binary data has NULs on both sides.
4. A declared charset (an HTML `<meta charset>`, or the caller's): honoured, except that bytes
   that are valid UTF-8 with multi-byte sequences are read as UTF-8 whatever the label says,
   because mislabelled UTF-8 pages are common while legacy 8-bit text almost never happens to
   form valid UTF-8 sequences. Labels for Latin-1 and ASCII mean windows-1252, as browsers
   read them (the WHATWG Encoding Standard), since that is what such pages really contain.
5. UTF-8: strict, or repaired when the data is mostly UTF-8. Files are often UTF-8 with a few
   bytes that are not: a quote pasted from a Windows program (cp1252 0x93), a paragraph of
   cp1252 appended, a sequence cut in two. Decoding such a file whole as cp1252 turns every
   correct character into mojibake ("cafÃ©"). Instead each byte that is not part of a valid
   UTF-8 sequence is read as cp1252 (Latin-1 for the five bytes cp1252 leaves undefined), and
   the rest as UTF-8; the encoding is then reported as "utf-8+cp1252" ("utf-8-sig+cp1252"
   with a mark). "Mostly UTF-8" means at least one valid multi-byte sequence and no more than
   `_MAX_REPAIRED_PER_UTF8_CHARACTER` stray bytes per such sequence. Text that really is
   cp1252 almost never forms a valid multi-byte sequence (that takes an uppercase accented
   letter followed directly by a symbol such as "»"), and it has many stray bytes, so it fails
   that test and goes on to 6. A declared cp1252 or Latin-1 label does not stop the repair,
   as it does not stop strict UTF-8 in 4.
6. A legacy encoding of a non-Latin script (KOI8-R, Shift-JIS, GB18030, Big5, EUC-KR, the ISO
   8859 and Windows code pages of Greek, Cyrillic, Arabic, Hebrew), as charset-normalizer
   detects it, when most letters it decodes to are in that script.
7. windows-1252, then Latin-1. cp1252 gives the smart quotes, dashes and euro sign that
   0x80-0x9F stand for in real Western text; five of those bytes are undefined in cp1252, and
   only Latin-1 decodes every byte, so it is the true last resort.

Whatever decoded, the text is then refused as binary when control characters are more than a
trace (`_MAX_CONTROL_SHARE`), so junk never becomes garbage text. Accepted text is normalized:
a leading U+FEFF is dropped, newlines become '\\n', and the string is put in Unicode NFC so
that the same words compare and hash equal whichever way the source composed its accents.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

__all__ = [
    "BinaryContentError",
    "UndecodableError",
    "decode_as",
    "decode_bytes",
    "html_declared_charset",
    "normalize_text",
    "scrub_surrogates",
    "repaired_byte_count",
]


class UndecodableError(ValueError):
    """The bytes cannot be read as text in any encoding the rule allows."""

    reason = "undecodable"


class BinaryContentError(UndecodableError):
    """The bytes are binary data (an image, an archive, ...), not text."""

    reason = "binary_content"


# Signatures of binary formats that are commonly misnamed as text; only ones whose leading bytes
# cannot start a real text file (each has a non-printable byte or is a format header).
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 file (an old Office document)"),
    (b"\x7fELF", "an ELF executable"),
)

# Longest marks first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# How much of the data the UTF-16 pattern test looks at: enough for a stable ratio.
_UTF16_SAMPLE_BYTES = 4096
# UTF-16 of Latin text: NULs in at least half the code units on one side, almost none on the other.
_UTF16_MIN_NUL_SHARE = 0.5
_UTF16_MAX_OTHER_SIDE_SHARE = 0.05

# Control characters (Unicode category Cc) other than the five that prose may contain: tab,
# newline, vertical tab, form feed and carriage return.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Text is binary when more than this share of its characters (and more than one character) are
# other control characters. Prose has none, binary formats are dense with them; a single stray
# byte (a DOS end-of-file mark, say) must not cost an article.
_MAX_CONTROL_SHARE = 0.01

# A file is "mostly UTF-8", and repaired rather than read as cp1252, when it has at least one
# valid multi-byte UTF-8 sequence and at most this many undecodable bytes per such sequence. A
# UTF-8 article with a few pasted cp1252 quotes, or a cp1252 paragraph appended to it, is far
# under it; a cp1252 file has at most a chance sequence or two among hundreds of stray bytes.
_MAX_REPAIRED_PER_UTF8_CHARACTER = 1
# (It was 8; legacy double-byte text forms chance UTF-8 sequences at about one per three to six
# stray bytes: Shift-JIS 48 per 162, EUC-KR 30 per 180, GB18030 66 per 210 in the hostile-input
# tests, and was "repaired" into garbage. A UTF-8 article with pasted cp1252 quotes has a handful
# of stray bytes against dozens of valid accented letters.)
# What `surrogateescape` turns an undecodable byte 0x80-0xFF into: U+DC80-U+DCFF.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_NON_ASCII_BYTES = bytes(range(0x80, 0x100))
_REPAIR_SUFFIX = "+cp1252"


def _byte_as_cp1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)  # one of cp1252's five undefined bytes: Latin-1's C1 control


_REPAIRED_CHAR = {0xDC00 + byte: _byte_as_cp1252(byte) for byte in range(0x80, 0x100)}

# Labels that browsers read as windows-1252 (WHATWG Encoding Standard): pages labelled Latin-1
# or ASCII routinely contain cp1252's quotes and dashes in 0x80-0x9F.
_CP1252_FAMILY = frozenset({"cp1252", "iso8859-1", "ascii"})

# A declared charset: `<meta charset=...>`, `<meta http-equiv=... content="...; charset=...">`,
# or an XML declaration's encoding. Searched in the first bytes only, as browsers do.
_HTML_PRESCAN_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.IGNORECASE)


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode `data` to normalized text; return `(text, encoding)`.

    `declared` is a charset label the container states (an HTML meta tag, say). The encoding
    returned names what was used: "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
    "utf-32", "cp1252", "latin-1", "utf-8+cp1252" or "utf-8-sig+cp1252" (UTF-8 whose stray
    bytes were read as cp1252; `repaired_byte_count` says how many), or the Python codec name of
    an honoured declared label. `decode_as` decodes a part of the data the same way.
    Raises `BinaryContentError` for binary data and `UndecodableError` for text that claims an
    encoding it does not follow. See the module docstring for the rule.
    """
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise BinaryContentError(f"the bytes start with the signature of {what}")

    text, encoding = _decode(data, declared)
    _check_not_binary(text, encoding)
    return normalize_text(text), encoding


# A UTF-16 surrogate code point on its own (a JSON "\ud800" escape, an HTML "&#xD800;") is not a
# character: no UTF-8 file, Parquet string or hash can hold it, and one such string failed the
# whole run's tables. It becomes U+FFFD, the replacement character, as a decoder would make it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub_surrogates(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def normalize_text(text: str) -> str:
    """Drop a leading U+FEFF, turn CRLF and lone CR into '\\n', replace lone surrogates, and
    compose to Unicode NFC."""
    text = scrub_surrogates(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def html_declared_charset(data: bytes) -> str | None:
    """The charset an HTML (or XHTML) document declares in its first bytes, if any."""
    head = data[:_HTML_PRESCAN_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def decode_as(data: bytes, encoding: str) -> str:
    """Decode (part of) data with an encoding that `decode_bytes` chose for the whole, unnormalized.

    For a repaired encoding ("utf-8+cp1252") the same repair is applied, whatever the part holds:
    the decision that the data is mostly UTF-8 was taken for all of it.
    """
    if encoding.endswith(_REPAIR_SUFFIX):
        codec = encoding.removesuffix(_REPAIR_SUFFIX)
        return data.decode(codec, "surrogateescape").translate(_REPAIRED_CHAR)
    return data.decode(encoding)


def repaired_byte_count(data: bytes, encoding: str) -> int:
    """How many bytes of `data` a repaired encoding read as cp1252 (0 for any other encoding)."""
    if not encoding.endswith(_REPAIR_SUFFIX):
        return 0
    codec = encoding.removesuffix(_REPAIR_SUFFIX)
    return len(_ESCAPED_BYTE.findall(data.decode(codec, "surrogateescape")))


def _utf8_repaired(data: bytes, codec: str = "utf-8") -> tuple[str, int] | None:
    """`data` as UTF-8 with each undecodable byte read as cp1252, and how many were; None unless mostly UTF-8."""
    escaped = data.decode(codec, "surrogateescape")
    repaired = len(_ESCAPED_BYTE.findall(escaped))
    if repaired == 0:
        return escaped, 0
    # Characters that are neither ASCII nor repaired came from valid multi-byte sequences (a
    # UTF-8 mark is no evidence, and utf-8-sig drops it from `escaped`).
    ascii_chars = len(data.translate(None, _NON_ASCII_BYTES))
    multibyte = len(escaped) - ascii_chars - repaired
    if multibyte < 1 or repaired > _MAX_REPAIRED_PER_UTF8_CHARACTER * multibyte:
        return None
    return escaped.translate(_REPAIRED_CHAR), repaired


def _decode(data: bytes, declared: str | None) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                if encoding == "utf-8-sig":
                    repaired = _utf8_repaired(data, encoding)
                    if repaired is not None:
                        return repaired[0], encoding + _REPAIR_SUFFIX
                name = encoding.removesuffix("-sig").upper()
                raise UndecodableError(
                    f"the bytes start with a {name} byte-order mark but are not valid {name}: {exc.reason} "
                    f"at byte {exc.start}" + (_stray_bytes(data, encoding) if encoding == "utf-8-sig" else "")
                ) from exc

    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass  # the NUL pattern was a coincidence; the binary check below will judge the bytes

    codec = _declared_codec(declared)
    if codec is not None:
        if codec != "utf-8" and _is_multibyte_utf8(data):
            return data.decode("utf-8"), "utf-8"
        if codec in _CP1252_FAMILY:
            # Mislabelled UTF-8 with a stray byte or two is still UTF-8 (rule 5).
            return _utf8_or_single_byte(data)
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            pass  # the label is wrong for these bytes; fall back to the undeclared rule

    return _utf8_or_single_byte(data)


def _utf8_or_single_byte(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    repaired = _utf8_repaired(data)
    if repaired is not None:
        return repaired[0], "utf-8" + _REPAIR_SUFFIX
    legacy = _legacy_non_latin(data)
    if legacy is not None:
        return legacy
    return _decode_cp1252_or_latin1(data)


# Below this share of a guessed decoding's letters in a non-Latin script, the guess is not taken;
# nor with fewer such letters than this: on a few bytes any code page fits ("\x93quoted\x94" is
# two Cyrillic letters in cp1125), while an article has hundreds.
_MIN_NON_LATIN_LETTER_SHARE = 0.5
_MIN_NON_LATIN_LETTERS = 20


def _legacy_non_latin(data: bytes) -> tuple[str, str] | None:
    """Text in a legacy encoding of a non-Latin script (KOI8-R, Shift-JIS, GB18030, Big5,
    EUC-KR, ISO 8859-7, ...), as charset-normalizer detects it; None for anything else.

    Read as cp1252 these bytes become Latin mojibake (or control characters). The guess is
    taken only when most of the letters it decodes to are in a non-Latin script: for Western
    text charset-normalizer often names a sibling code page (cp1250 for cp1252 prose), and the
    cp1252 rule is right there.
    """
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding in {"utf_8", "ascii"} or best.encoding.startswith(("utf_16", "utf_32")):
        return None
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    letters = [c for c in text if c.isalpha() and ord(c) > 0x7F]
    if not letters:
        return None
    non_latin = sum(1 for c in letters if not unicodedata.name(c, "").startswith("LATIN"))
    if non_latin < max(_MIN_NON_LATIN_LETTERS, _MIN_NON_LATIN_LETTER_SHARE * len(letters)):
        return None
    return text, codecs.lookup(best.encoding).name


def _stray_bytes(data: bytes, codec: str) -> str:
    count = len(_ESCAPED_BYTE.findall(data.decode(codec, "surrogateescape")))
    if not count:
        return ""
    return f" ({count:,} bytes are not UTF-8, and too little of the rest is multi-byte UTF-8 to repair them as stray bytes)"


def _decode_cp1252_or_latin1(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[: _UTF16_SAMPLE_BYTES - _UTF16_SAMPLE_BYTES % 2]
    if len(data) % 2 or len(sample) < 2:
        return None
    units = len(sample) // 2
    nul_even = sample[0::2].count(0) / units
    nul_odd = sample[1::2].count(0) / units
    if nul_odd >= _UTF16_MIN_NUL_SHARE and nul_even <= _UTF16_MAX_OTHER_SIDE_SHARE:
        return "utf-16-le"
    if nul_even >= _UTF16_MIN_NUL_SHARE and nul_odd <= _UTF16_MAX_OTHER_SIDE_SHARE:
        return "utf-16-be"
    return None


def _declared_codec(declared: str | None) -> str | None:
    """The Python codec for a declared label, or None when there is no usable declaration."""
    if not declared:
        return None
    try:
        codec = codecs.lookup(declared.strip()).name
    except LookupError:
        return None  # an unknown label says nothing we can use
    # A UTF-16/32 label in a document we could scan as ASCII is self-contradictory (browsers
    # read it as UTF-8); real UTF-16/32 was caught above by its mark or its NUL pattern.
    if codec.startswith(("utf-16", "utf-32")):
        return "utf-8"
    if codec == "utf-8-sig":
        return "utf-8"
    return codec


def _is_multibyte_utf8(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _check_not_binary(text: str, encoding: str) -> None:
    controls = sum(1 for _ in _CONTROL_CHARS.finditer(text))
    if controls > 1 and controls > _MAX_CONTROL_SHARE * len(text):
        raise BinaryContentError(
            f"{controls} of {len(text)} characters decoded as {encoding} are control characters "
            "(NUL and the like), so the content is binary, not text"
        )
