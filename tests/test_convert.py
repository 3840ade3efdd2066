"""convert(): font text and the text forms."""

from __future__ import annotations

import unicodedata

import pytest

import vnconv

PLAN_LINE = "Céng hoµ x· héi chñ nghÜa ViÖt Nam"


def test_font_text_to_unicode() -> None:
    assert vnconv.convert(PLAN_LINE, "tcvn3") == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    assert vnconv.convert("§éc lËp - Tù do - H¹nh phóc", "abc") == "Độc lập - Tự do - Hạnh phúc"
    # U+00AD, the soft hyphen, is TCVN3's ư
    assert vnconv.convert("Tr\u00adêng", "tcvn3") == "Trường"
    assert vnconv.convert("Vieät Nam – Ñoäc laäp", "vni") == "Việt Nam – Độc lập"
    assert vnconv.convert("Vi\u00eat", "viscii") == "Viêt"
    assert vnconv.convert("Vie^.t Nam", "viqr") == "Việt Nam"


def test_unicode_to_font_text_and_back() -> None:
    text = "Trường Đại học Bách khoa - (Hà Nội)"
    for cs in ("vni", "viscii", "vps", "cp1258", "tcvn5712", "bkhcm2", "vni-mac", "vietware-x"):
        assert vnconv.convert(vnconv.convert(text, "unicode", cs), cs) == text, cs
    # TCVN3 has no À: the .VnTimeH form writes it lowercase
    font = vnconv.convert("HÀ NỘI – “Việt”", "unicode", "tcvn3", errors="lowercase")
    assert font == "Hµ NéI – “ViÖt”"
    assert vnconv.convert(font, "tcvn3") == "Hà NộI – “Việt”"
    assert vnconv.convert("Việt Nam", "unicode", "vni") == "Vieät Nam"


def test_forms() -> None:
    assert vnconv.convert("Việt", "unicode", "nfd") == unicodedata.normalize("NFD", "Việt")
    assert vnconv.convert(unicodedata.normalize("NFD", "Việt"), "nfd") == "Việt"
    assert vnconv.convert("Việt", "unicode", "ncr") == "Vi&#7879;t"
    assert vnconv.convert("Vi&#7879;t &#x1EC7; &amp;", "ncr") == "Việt ệ &amp;"
    assert vnconv.convert("Việt", "unicode", "utf8") == "Viá»‡t"
    assert vnconv.convert("Viá»‡t Nam", "utf8") == "Việt Nam"
    assert vnconv.convert("Viá»‡t", "utf8", "tcvn3") == "ViÖt"
    assert "unicode" in vnconv.charsets(forms=True) and "unicode" not in vnconv.charsets()


def test_convert_errors() -> None:
    with pytest.raises(UnicodeEncodeError) as info:
        vnconv.convert("Céng hoµ Việt", "tcvn3")
    assert info.value.start == 11 and "tcvn3" in str(info.value)
    assert vnconv.convert("Céng hoµ Việt", "tcvn3", errors="replace") == "Cộng hoà Vi\ufffdt"
    assert vnconv.convert("Céng hoµ Việt", "tcvn3", errors="ignore") == "Cộng hoà Vit"
    assert vnconv.convert("Céng ệ", "tcvn3", errors="xmlcharrefreplace") == "Cộng &#7879;"
    with pytest.raises(UnicodeEncodeError):
        vnconv.convert("CỘNG", "unicode", "tcvn3")
    assert vnconv.convert("CỘNG", "unicode", "tcvn3", errors="lowercase") == "CéNG"
    with pytest.raises(vnconv.UnknownCharsetError):
        vnconv.convert("x", "vni", "klingon")


def test_sample_plan_decodes_by_table() -> None:
    from conftest import ROOT

    text = (ROOT / "examples" / "ke-hoach-60-nam.txt").read_text(encoding="utf-8")
    out = vnconv.convert(text, "tcvn3")
    assert "Kế hoạch" in out and "Tổ chức kỷ niệm 60 năm ngày thành lập" in out
    assert "Hải Dơng" in out  # the lost ư is not restored by a table: that is repair's job
