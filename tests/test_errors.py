"""The error policies and the examples of docs/api.md, as written there."""

from __future__ import annotations

import codecs
import io

import pytest

import vnconv


def test_strict_errors_carry_charset_and_position() -> None:
    with pytest.raises(UnicodeDecodeError) as dec:
        vnconv.decode(b"Vi\xeat \x81", "cp1258")
    assert (dec.value.encoding, dec.value.start, dec.value.end) == ("cp1258", 5, 6)
    with pytest.raises(UnicodeEncodeError) as enc:
        vnconv.encode("Cộng HOÀ", "tcvn3")
    assert (enc.value.encoding, enc.value.start) == ("tcvn3", 7)
    with pytest.raises(UnicodeEncodeError) as conv:
        vnconv.convert("Céng hoµ Việt", "tcvn3")
    assert (conv.value.encoding, conv.value.start) == ("tcvn3 font text", 11)
    with pytest.raises(UnicodeEncodeError):
        vnconv.convert("a\x80b", "tcvn3")  # U+0080 is not font text (byte 80 is €)


def test_python_error_handlers() -> None:
    assert vnconv.decode(b"Vi\xeat \x81", "cp1258", "replace") == "Viêt \ufffd"
    assert vnconv.decode(b"Vi\xeat \x81", "cp1258", "ignore") == "Viêt "
    assert vnconv.decode(b"Vi\xeat \x81", "cp1258", "backslashreplace") == "Viêt \\x81"
    assert vnconv.decode(b"Vi\xeat \x81", "cp1258", "surrogateescape") == "Viêt \udc81"
    assert vnconv.encode("Cộng HOÀ", "tcvn3", "replace") == b"C\xe9ng HO?"
    assert vnconv.encode("Cộng HOÀ", "tcvn3", "xmlcharrefreplace") == b"C\xe9ng HO&#192;"
    assert vnconv.encode("ǹ", "vni") == b"n\xf8"


def test_lowercase_writes_capitals_as_lowercase() -> None:
    assert vnconv.encode("CỘNG HOÀ", "tcvn3", "lowercase") == b"C\xe9NG HO\xb5"
    assert vnconv.decode(b"C\xe9NG HO\xb5", "tcvn3") == "CộNG HOà"
    assert "CỘNG".encode("tcvn3", "vnconv.lowercase") == b"C\xe9NG"
    assert vnconv.encode("Ỵ", "bkhcm1", "lowercase") == b"\xff"
    assert vnconv.convert("HÀ NỘI", "unicode", "tcvn3", errors="lowercase") == "Hµ NéI"
    for errors in ("lowercase", "vnconv.lowercase"):
        with pytest.raises(UnicodeEncodeError):  # what lowercase cannot help still raises
            vnconv.encode("Cộng 中", "tcvn3", errors)
        with pytest.raises(UnicodeEncodeError):  # VIQR spells every letter; the rest raises
            vnconv.encode("Việt €", "viqr", errors)
    assert vnconv.encode("VIỆT", "viqr", "lowercase") == b"VIE^.T"


@pytest.mark.parametrize("errors", ["lowercase", "vnconv.lowercase"])
def test_lowercase_is_strict_when_reading(errors: str) -> None:
    """"lowercase" is about writing: reading under it fails as under "strict" (not with a LookupError)."""
    with pytest.raises(UnicodeDecodeError) as info:
        vnconv.decode(b"Vi\xeat \x81", "cp1258", errors)
    assert info.value.start == 5
    with pytest.raises(UnicodeDecodeError):
        vnconv.decode(b"Vie^.t \xff", "viqr", errors)
    with pytest.raises(UnicodeDecodeError):
        b"\x81".decode("vn-cp1258", errors)
    with pytest.raises(UnicodeEncodeError):  # a character that is not font text, in the source of convert
        vnconv.convert("Céng Việt", "tcvn3", "vni", errors)
    with pytest.raises(UnicodeDecodeError):
        vnconv.convert("\u00c3", "utf8", errors=errors)  # not UTF-8
    assert vnconv.convert("Céng", "tcvn3", "vni", errors) == "Coäng"


def test_names_and_forms() -> None:
    assert vnconv.canonical_name("VNI_Win") == "vni"
    assert vnconv.canonical_name("html", forms=True) == "ncr"
    assert vnconv.canonical_name("TCVN5712-1:1993") == "tcvn5712" == codecs.lookup("tcvn5712-1:1993").name
    with pytest.raises(vnconv.UnknownCharsetError) as info:
        vnconv.canonical_name("html")
    assert isinstance(info.value, LookupError) and "tcvn3" in str(info.value)
    assert vnconv.charsets(forms=True)[-4:] == ["unicode", "nfd", "ncr", "utf8"]
    assert vnconv.convert("\uf0b5", "tcvn3") == "à"
    assert vnconv.convert("a\x81b", "tcvn3") == "a\x81b"
    assert vnconv.convert("Vieät Nam", "vni", "tcvn3") == "ViÖt Nam"
    assert vnconv.convert("Vieät Nam", "vni", "viqr") == "Vie^.t Nam"


def test_python_codecs_as_documented() -> None:
    assert b"Vi\xea\xf2t".decode("cp1258") == "Vi\u00ea\u0323t"  # CPython's own codec: not NFC
    for name in ("vn-cp1258", "win1258", "cp-1258"):
        assert b"Vi\xea\xf2t".decode(name) == "Việt"
    with pytest.raises(UnicodeEncodeError):
        "ệ".encode("cp1258")
    assert "ệ".encode("vn-cp1258") == b"\xea\xf2"
    assert b"".join(codecs.iterencode(["Việ", "t"], "vni")) == b"Vie\xe4t"
    writer = codecs.getwriter("vni")(io.BytesIO())
    writer.write("Việt")
    assert writer.stream.getvalue() == b"Vie\xe4t"
    decoder = codecs.getincrementaldecoder("vni")()
    assert (decoder.decode(b"Vie"), decoder.decode(b"\xe4t", final=True)) == ("Vi", "ệt")
    encoder = codecs.getincrementalencoder("vni")()
    assert (encoder.encode("Việ"), encoder.encode("t"), encoder.encode("", final=True)) == (b"Vie\xe4", b"t", b"")
