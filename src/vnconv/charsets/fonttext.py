"""Font text: legacy bytes as they look when read through Windows-1252, and the text forms of ``convert``.

A ``.VnTime`` run in a .docx, a legacy web page or pasted text holds *font text*: each byte of the legacy
charset appears as the Windows-1252 character of that byte (``Céng hoµ`` is TCVN3 ``Cộng hoà``). Byte 0xAD
is U+00AD SOFT HYPHEN; the five bytes Windows-1252 leaves undefined appear as C1 controls (U+0081 …), and
Word's symbol-font code points U+F000–U+F0FF stand for byte 0x00–0xFF.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from .registry import TEXT_FORMS, canonical_name, get_codec

__all__ = ["font_bytes", "font_text", "convert"]


def _font_table() -> str:
    chars = []
    for b in range(256):
        try:
            chars.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(b))
    return "".join(chars)


#: byte -> font-text character (Windows-1252, C1 controls in its five holes)
FONT_TABLE = _font_table()
_FONT_MAP = codecs.charmap_build(FONT_TABLE)
_FONT_DICT = {ord(c): b for b, c in enumerate(FONT_TABLE)}
_FONT_DICT.update({0xF000 + b: b for b in range(256)})
#: Delete set that keeps only the Latin-1 bytes whose character is not font text (the C1 controls at the
#: positions where Windows-1252 has a printable character): what the Latin-1 fast path must not accept.
_LATIN1_KEEP_BAD = bytes(b for b in range(256) if not (0x80 <= b < 0xA0 and FONT_TABLE[b] != chr(b)))


def font_bytes(text: str, errors: str = "strict", name: str = "font text") -> bytes:
    """The bytes behind font text. Characters that font text cannot hold raise ``UnicodeEncodeError``
    (``errors="strict"``) or are handled by the codec error handler ``errors``."""
    # Fast path: text without characters above U+00FF (font text without Windows-1252 punctuation such as
    # curly quotes) is its own bytes in Latin-1, unless it holds a C1 control that font text cannot hold.
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError:
        pass
    else:
        if not data.translate(None, _LATIN1_KEEP_BAD):
            return data
    try:
        return codecs.charmap_encode(text, "strict", _FONT_MAP)[0]
    except UnicodeEncodeError:
        pass
    try:
        return codecs.charmap_encode(text, errors, _FONT_DICT)[0]
    except UnicodeEncodeError as exc:
        raise UnicodeEncodeError(name, text, exc.start, exc.end, "not a character of 8-bit font text") from None


def font_text(data: bytes) -> str:
    """Bytes shown as font text (every byte has a character)."""
    return codecs.charmap_decode(data, "strict", FONT_TABLE)[0]


_NCR = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));")


def _ncr_char(m: re.Match[str]) -> str:
    value = int(m.group(1), 16) if m.group(1) else int(m.group(2))
    return chr(value) if 0 < value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else m.group(0)


def _to_ncr(text: str) -> str:
    return text.encode("ascii", "xmlcharrefreplace").decode("ascii")


_NOT_FONT = re.compile("[^\x00-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\uf000-\uf0ff]+")


def _replace_bad(bad: str, errors: str, name: str, text: str, start: int) -> str:
    if errors == "replace":
        return "\ufffd" * len(bad)
    if errors == "ignore":
        return ""
    if errors == "backslashreplace":
        return bad.encode("ascii", "backslashreplace").decode("ascii")
    if errors == "xmlcharrefreplace":
        return _to_ncr(bad)
    exc = UnicodeEncodeError(name, text, start, start + len(bad), "not a character of 8-bit font text")
    replacement = codecs.lookup_error(errors)(exc)[0]
    return replacement if isinstance(replacement, str) else bytes(replacement).decode("latin-1")


def _decode_font_text(text: str, source: str, errors: str) -> str:
    codec = get_codec(source)
    name = f"{source} font text"
    if errors == "strict":
        return codec.decode(font_bytes(text, "strict", name), "strict")
    out: list[str] = []
    pos = 0
    for m in _NOT_FONT.finditer(text):
        out.append(codec.decode(font_bytes(text[pos : m.start()]), errors))
        out.append(_replace_bad(m.group(), errors, name, text, m.start()))
        pos = m.end()
    out.append(codec.decode(font_bytes(text[pos:]), errors))
    return unicodedata.normalize("NFC", "".join(out))


def convert(text: str, source: str, target: str = "unicode", errors: str = "strict") -> str:
    """Convert text between font-text charsets and text forms (see :func:`vnconv.convert`)."""
    src = canonical_name(source, forms=True)
    dst = canonical_name(target, forms=True)
    # 1. to Unicode (NFC); "lowercase" is a policy for writing the target, reading the source stays strict
    read_errors = "strict" if errors in ("lowercase", "vnconv.lowercase") else errors
    if src == "unicode" or src == "nfd":
        uni = unicodedata.normalize("NFC", text)
    elif src == "ncr":
        uni = unicodedata.normalize("NFC", _NCR.sub(_ncr_char, text))
    elif src == "utf8":
        uni = unicodedata.normalize("NFC", font_bytes(text, read_errors, "utf8 font text").decode("utf-8", read_errors))
    else:
        uni = _decode_font_text(text, src, read_errors)
    # 2. to the target form
    if dst == "unicode":
        return uni
    if dst == "nfd":
        return unicodedata.normalize("NFD", uni)
    if dst == "ncr":
        return _to_ncr(uni)
    if dst == "utf8":
        return font_text(uni.encode("utf-8"))
    assert dst not in TEXT_FORMS
    return font_text(get_codec(dst).encode(uni, errors))
