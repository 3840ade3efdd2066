"""detect(): bytes and text, with evidence."""

from __future__ import annotations

import random

import pytest

import vnconv
from conftest import REAL, need_shared
from vnconv.detect import Detection, detect
from vnconv.language.letters import LETTERS


@pytest.fixture(scope="module")
def corpus(vi_strings: tuple[str, ...]) -> list[str]:
    lines = [line for s in vi_strings for line in s.splitlines() if sum(c in LETTERS for c in line) >= 2]
    random.Random(3).shuffle(lines)
    return lines[:6000]


def _encodable(lines: list[str], cs: str) -> bytes:
    errors = "lowercase" if cs == "tcvn3" else "strict"
    keep = []
    for line in lines:
        try:
            vnconv.encode(line, cs, errors)
        except UnicodeEncodeError:
            continue
        keep.append(line)
    return vnconv.encode("\n".join(keep), cs, errors)


@pytest.mark.parametrize("cs", ["tcvn3", "vni", "viscii", "viqr", "utf-8"])
def test_snippets(corpus: list[str], cs: str) -> None:
    """detect is right on >= 98 % of 400-byte snippets (cut anywhere, even inside a character)."""
    data = "\n".join(corpus).encode() if cs == "utf-8" else _encodable(corpus, cs)
    rng = random.Random(cs)
    right = 0
    for _ in range(150):
        start = rng.randrange(0, len(data) - 400)
        right += detect(data[start : start + 400]).charset == cs
    assert right / 150 >= 0.98, right


def test_forms_and_evidence() -> None:
    d = detect(b"C\xe9ng ho\xb5 x\xb7 h\xe9i ch\xf1 ngh\xdca Vi\xd6t Nam")
    assert (d.charset, d.form, d.encoding) == ("tcvn3", "bytes", "tcvn3")
    assert 0 < d.confidence <= 1 and any(r.startswith("e.g.") for r in d.reasons)
    assert detect("Vieät Nam ñoäc laäp").charset == "vni"
    assert detect("Vieät Nam ñoäc laäp").form == "font-text"
    assert detect("Trường Đại học Bách khoa").charset == "unicode"
    assert detect("Trường Đại học Bách khoa".encode()).charset == "utf-8"
    assert detect("Trường Đại học".encode("utf-16")).charset == "utf-16"
    assert detect("Trường Đại học Bách khoa Hà Nội".encode("utf-16-le")).encoding == "utf-16-le"
    moji = detect("Cá»™ng hoÃ\xa0 xÃ£ há»™i chá»§ nghÄ©a Viá»‡t Nam")
    assert moji.form == "utf8-mojibake"
    assert detect("Ca`i dda(.t ngo^n ngu+~ cho he^. tho^'ng".encode()).charset == "viqr"
    assert isinstance(detect(b""), Detection)


def test_other_encodings_fall_back_to_chardet() -> None:
    d = detect("中文测试：这是一个用简体中文写的句子，它不是越南语。".encode("gbk"))
    assert d.charset not in vnconv.charsets() and d.form == "bytes"
    assert any("chardet" in r for r in d.reasons)


@pytest.mark.parametrize(
    "name, charset, form",
    [
        ("tcvn3_raw_viettrannetc-vltk_stringresource_excerpt.txt", "tcvn3", "bytes"),
        ("tcvn3_raw_huongthu-test_version-history.log", "tcvn3", "bytes"),
        ("tcvn3_raw_unikey-help-contents.cnt", "tcvn3", "bytes"),
        ("tcvn3_gbk_mixed_huongthu-test_station.lua", "tcvn3", "bytes"),
        ("tcvn3_u8moji_thiendieu_death_tieuhk.lua", "tcvn3", "font-text"),
        ("tcvn3_vb6form_saoviet_Taisan.frm", "tcvn3", "bytes"),
        ("viscii_raw_dvtruong90vn-tlbb_StringTable.txt", "viscii", "bytes"),
        ("viscii_gbk_mixed_dvtruong90vn-tlbb_Questions_excerpt.txt", "viscii", "bytes"),
        ("viscii_email_git-mailing-list_alpine_excerpt_reconstructed.eml", "viscii", "bytes"),
        ("vni_vb6form_ngphloc_frmKetQua.frm", "vni", "bytes"),
        ("csv_vni_u8moji_saoviet_HeThongTK_export.csv", "vni", "font-text"),
        ("csv_vni_u8moji_saoviet_lookup-tables_export.csv", "vni", "font-text"),
        ("viqr_gbs-stb_GLang_VN.hpp", "viqr", "bytes"),
    ],
)
def test_real_samples(name: str, charset: str, form: str) -> None:
    data = need_shared(REAL / name).read_bytes()
    d = detect(data)
    assert (d.charset, d.form) == (charset, form), d
