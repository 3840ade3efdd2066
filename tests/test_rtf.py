"""The .rtf adapter: a hand-written RTF with every construct, the real UniKey help and the VNI \\uN report."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REAL, examples, need_shared
from vnconv import DocumentError
from vnconv.documents import Options, convert_file, detect_file
from vnconv.documents.rtf import convert_bytes

#: Latin-1 letters and signs that Vietnamese never uses: what legacy font text is made of
MOJIBAKE = re.compile("[\xa1-\xbf\xc4-\xc7\xcb\xce-\xd1\xd6-\xd8\xdb\xdc\xde\xdf\xe4-\xe7\xeb\xee-\xf1\xf6-\xf8\xfb\xfc\xfe\xff]")

_TOKEN = re.compile(rb"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|[\r\n]|([^\\{}\r\n])", re.S)
_SKIP = {b"fonttbl", b"colortbl", b"stylesheet", b"info", b"pict", b"fldinst", b"listtext", b"pntext"}


def rtf_text(data: bytes, hidden: bool = True) -> str:
    """A minimal, independent RTF reader for the checks: the visible text, ``\\par`` as a newline,
    ``\\uN`` (skipping ``\\ucN`` fallback characters) and ``\\'xx`` read as Windows-1252."""
    out: list[str] = []
    stack: list[tuple[int, bool, bool]] = []
    uc, skip, hide = 1, False, False
    pending = 0
    first = False
    pos = 0
    while pos < len(data):
        m = _TOKEN.match(data, pos)
        pos = m.end()
        word, num, hexd, sym, brace, char = m.groups()
        if brace == b"{":
            stack.append((uc, skip, hide))
            first = True
            pending = 0
            continue
        if brace == b"}":
            uc, skip, hide = stack.pop() if stack else (1, False, False)
            pending = 0
            continue
        starting, first = first, False
        if word is not None:
            if starting and word in _SKIP:
                skip = True
            if word == b"bin":
                pos += int(num)
            elif word == b"uc":
                uc = int(num)
            elif word == b"v":
                hide = num != b"0"
            elif word in (b"par", b"cell", b"row", b"line") and not skip:
                out.append("\n")
            elif word == b"tab" and not skip:
                out.append("\t")
            elif word == b"u" and not skip and not (hide and not hidden):
                value = int(num)
                out.append(chr(value + 65536 if value < 0 else value))
                pending = uc
            continue
        if sym == b"*" and starting:
            skip = True
            continue
        if pending:
            pending -= 1
            continue
        if skip or (hide and not hidden):
            continue
        if hexd is not None:
            out.append(bytes([int(hexd, 16)]).decode("cp1252", "replace"))
        elif sym is not None:
            out.append({b"~": "\xa0", b"-": "\xad", b"_": "\u2011"}.get(sym, sym.decode("latin-1")))
        elif char is not None:
            out.append(char.decode("latin-1"))
    return "".join(out)


#: a 1x1 PNG (LibreOffice refuses an RTF whose picture does not decode)
PNG_HEX = b"89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000a49444154789c636000000002000148afa4710000000049454e44ae426082"

FIXTURE = (
    rb"{\rtf1\ansi\ansicpg1252\uc1\deff0"
    rb"{\fonttbl{\f0\froman\fcharset0 Times New Roman;}{\f1\fswiss\fcharset0{\*\panose 020b7200000000000000}.VnTime;}"
    rb"{\f2\fnil\fcharset0 VNI-Times;}{\f3\fnil\fcharset0 .VnTimeH{\*\falt .VnTime};}{\f4\fnil\fcharset2 Symbol;}"
    rb"{\f5\fnil\fcharset2 .VnArial;}{\f6\fnil\fcharset2 .VnSymbol;}}"
    b"\r\n"
    rb"{\colortbl;\red0\green0\blue0;}{\stylesheet{\f1\fs24 Normal;}{\s1\f3 heading 1;}}"
    rb"{\info{\title B\'b8o c\'b8o}{\author Nguy\'d4n}}"
    b"\r\n"
    rb"{\header \pard\plain\f1 Trang \chpgn\par}"
    b"\r\n"
    rb"\pard\plain\f1\fs24 C\'e9ng ho\'b5 x\'b7 h\'e9i ch\'f1 ngh\'dca Vi\'d6t Nam\par" b"\r\n"
    rb"\pard{\f3\b b\'b8o c\'b8o t\'b5i ch\'ddnh}\par" b"\r\n"
    rb"\pard\f1 k\'d5 to\'b8n tr\-\'ebng\par" b"\r\n"
    rb"\pard\f1 ti\'d5{\b ng} Vi\'d6t\par" b"\r\n"
    rb"\pard\f2 N\'f6\'f4\'f9c e\'f9p \'f1a\'f8o\par" b"\r\n"
    rb"\pard\f2 Ba\u249?o Ca\u249?o\par" b"\r\n"
    rb"\pard\f1 Vi\u7879?t Nam\par" b"\r\n"
    rb"\pard\f1{\uc2 Vi\u7879\'3f\'3ft} {\uc0 Vi\u7879 t}\par" b"\r\n"
    rb"\pard\f0 Caf\'e9 au lait\par" b"\r\n"
    rb"{\pict\pngblip\picw1\pich1 " + PNG_HEX + rb"}" b"\r\n"
    rb"{\*\bkmkstart x}{\*\bkmkend x}{\*\unknowndest C\'e9ng}" b"\r\n"
    rb"\pard\f1 Xem {\field{\*\fldinst HYPERLINK \'22http://vd.vn/C\'e9ng\'22}{\fldrslt \f1 trang ch\'f1}}\par" b"\r\n"
    rb"\pard\f1{\uldb Gi\'edi thi\'d6u}{\v IDH_GIOI_THIEU}\par" b"\r\n"
    rb"\pard\f1 Ghi ch\'fa{\super\chftn}{\footnote \pard\plain\f1 {\super\chftn} Ch\'fa th\'ddch\par}\par" b"\r\n"
    rb"\pard\f1 {\b \'a7}\'e9c l\'cbp\par" b"\r\n"
    rb"\pard\f1 Tab\tab sau \{ngo\'c6c\} \\ x\par" b"\r\n"
    rb"\pard\f5 \'b8\'b9 \u-3912?\par" b"\r\n"
    rb"\pard\f6 \'b8\'b9\par" b"\r\n"
    rb"\pard\f1 B\'b8o {\bin4 " + b"\x00{}\xb8" + rb"} c\'b8o\par" b"\r\n"
    rb"}"
)


@pytest.fixture(scope="module")
def converted() -> tuple[bytes, object]:
    out, parser = convert_bytes(FIXTURE, Options())
    return out, parser


def _lines(data: bytes) -> list[str]:
    return rtf_text(data).split("\n")


def test_text_under_legacy_fonts_converted(converted) -> None:
    out, _ = converted
    lines = _lines(out)
    assert "Cộng hoà xã hội chủ nghĩa Việt Nam" in lines
    assert "kế toán trưởng" in lines  # \- under a TCVN3 font is 0xAD, the letter ư
    assert "tiếng Việt" in lines  # a word split across groups is repaired as a whole
    assert "Nước ép đào" in lines
    assert "Độc lập" in lines
    assert "Báo Cáo" in lines  # \uN below 256 under a VNI font is a VNI byte


def test_uppercase_font(converted) -> None:
    out, _ = converted
    assert "BÁO CÁO TÀI CHÍNH" in _lines(out)
    caps, _ = convert_bytes(FIXTURE, Options(uppercase="caps"))
    assert rb"{\caps b\u225?o c\u225?o t\u224?i ch\u237?nh}" in caps


def test_unicode_escapes_and_skip_counts(converted) -> None:
    out, _ = converted
    lines = _lines(out)
    assert "Việt Nam" in lines
    assert "Việt Việt" in lines
    # already Unicode: those bytes are not rewritten
    assert rb"\pard\f1 Vi\u7879?t Nam\par" in out
    assert rb"{\uc2 Vi\u7879\'3f\'3ft} {\uc0 Vi\u7879 t}" in out


def test_unicode_fonts_and_destinations_untouched(converted) -> None:
    out, _ = converted
    assert rb"\pard\f0 Caf\'e9 au lait\par" in out
    assert rb"{\info{\title B\'b8o c\'b8o}{\author Nguy\'d4n}}" in out
    assert rb"{\pict\pngblip\picw1\pich1 " + PNG_HEX + b"}" in out
    assert rb"{\*\unknowndest C\'e9ng}" in out
    assert rb"{\*\fldinst HYPERLINK \'22http://vd.vn/C\'e9ng\'22}" in out
    assert b"{\\bin4 \x00{}\xb8}" in out  # binary data skipped, kept byte for byte
    assert rb"{\stylesheet{\f1\fs24 Normal;}{\s1\f3 heading 1;}}" in out
    assert rb"\pard\f6 \'b8\'b9\par" in out  # .VnSymbol: its codes are not letters


def test_fields_hidden_text_footnotes_headers(converted) -> None:
    out, _ = converted
    lines = _lines(out)
    assert "Xem trang chủ" in lines
    assert "Giới thiệuIDH_GIOI_THIEU" in lines  # WinHelp: the hidden jump target stays as it is
    assert rb"{\v IDH_GIOI_THIEU}" in out
    assert "Ghi chú Chú thích" in lines  # footnote text (read inline by this simple reader)
    assert "Tab\tsau {ngoặc} \\ x" in lines
    assert "Trang " in lines


def test_font_table_renamed(converted) -> None:
    out, _ = converted
    table = out[out.index(b"{\\fonttbl") : out.index(b"\r\n")]
    assert table == (
        rb"{\fonttbl{\f0\froman\fcharset0 Times New Roman;}{\f1\fswiss\fcharset0{\*\panose 020b7200000000000000}"
        rb"Times New Roman;}{\f2\fnil\fcharset0 Times New Roman;}{\f3\fnil\fcharset0 Times New Roman{\*\falt Times New Roman};}"
        rb"{\f4\fnil\fcharset2 Symbol;}{\f5\fnil\fcharset0 Arial;}{\f6\fnil\fcharset2 .VnSymbol;}}"
    )


def test_legacy_font_marked_as_symbol_charset(converted) -> None:
    """Legacy fonts are often registered with the symbol charset: their text (\\'xx, or \\uN in U+F0xx)
    is still legacy text."""
    out, _ = converted
    assert "áạ á" in _lines(out)


def test_output_is_ascii_and_everything_else_byte_identical(converted) -> None:
    out, _ = converted
    binary = out.index(b"{\\bin4 ")
    assert out[:binary].isascii() and out[binary + 11 :].isascii()
    # every line outside the converted text is kept exactly (CRLF line ends included)
    same = set(FIXTURE.split(b"\r\n")) & set(out.split(b"\r\n"))
    assert len(same) >= 9
    assert out.count(b"\r\n") == FIXTURE.count(b"\r\n")


def test_result_and_idempotence(tmp_path: Path) -> None:
    src = tmp_path / "a.rtf"
    src.write_bytes(FIXTURE)
    result = convert_file(src, tmp_path / "b.rtf", Options())
    assert result.format == "rtf" and result.charset == "tcvn3" and result.changed >= 10
    assert set(result.details["fonts"]) >= {".VnTime", "VNI-Times", ".VnTimeH"}
    again = convert_file(tmp_path / "b.rtf", tmp_path / "c.rtf", Options())
    assert again.changed == 0
    assert (tmp_path / "b.rtf").read_bytes() == (tmp_path / "c.rtf").read_bytes()


def test_detect_writes_nothing(tmp_path: Path) -> None:
    src = tmp_path / "a.rtf"
    src.write_bytes(FIXTURE)
    result = detect_file(src, Options())
    assert result.output is None and result.charset == "tcvn3"
    assert [p.name for p in tmp_path.iterdir()] == ["a.rtf"]


def test_not_rtf_raises_document_error(tmp_path: Path) -> None:
    src = tmp_path / "a.rtf"
    src.write_bytes(b"PK\x03\x04 this is a zip")
    with pytest.raises(DocumentError, match="not an RTF file"):
        convert_file(src, tmp_path / "b.rtf", Options())
    assert not (tmp_path / "b.rtf").exists()
    with pytest.raises(DocumentError, match="No such file"):
        convert_file(tmp_path / "missing.rtf", tmp_path / "b.rtf", Options())


def test_truncated_and_unbalanced_files_still_convert() -> None:
    out, parser = convert_bytes(rb"{\rtf1{\fonttbl{\f1 .VnTime;}}\f1 C\'e9ng ho\'b5", Options())
    assert "Cộng hoà" in rtf_text(out)
    assert any("open group" in w for w in parser.warnings)
    out, parser = convert_bytes(rb"{\rtf1{\fonttbl{\f1 .VnTime;}}\f1 C\'e9ng}} tail", Options())
    assert out.endswith(b"}} tail")


@settings(max_examples=examples(200), deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_crash(body: bytes) -> None:
    data = rb"{\rtf1{\fonttbl{\f1 .VnTime;}{\f2 VNI-Times;}}\f1 " + body + b"}"
    out, _ = convert_bytes(data, Options())
    assert isinstance(out, bytes)


@settings(max_examples=examples(100), deadline=None)
@given(st.text(alphabet="abc\xb8\xb5\xe9\xadoO {}\\'0123456789uc-*", max_size=60))
def test_arbitrary_control_words_never_crash(body: str) -> None:
    data = rb"{\rtf1{\fonttbl{\f1 .VnTime;}}\f1 " + body.encode("latin-1") + b"}"
    out, _ = convert_bytes(data, Options())
    assert out.startswith(rb"{\rtf1{\fonttbl{\f1 Times New Roman;}}")


def test_libreoffice_reads_the_result(converted, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed (make test installs it when run as root)")
    out, _ = converted
    (tmp_path / "a.rtf").write_bytes(out)
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless", "--convert-to",
         "txt:Text (encoded):UTF8", "--outdir", str(tmp_path), str(tmp_path / "a.rtf")],
        capture_output=True, timeout=300, check=True,
    )
    text = (tmp_path / "a.txt").read_text("utf-8-sig")
    for phrase in ("Cộng hoà xã hội chủ nghĩa Việt Nam", "BÁO CÁO TÀI CHÍNH", "kế toán trưởng", "Nước ép đào"):
        assert phrase in text


# -- real samples ---------------------------------------------------------------------------------------
def test_real_unikey_help(tmp_path: Path) -> None:
    src = need_shared(REAL / "rtf_tcvn3_abcsansserif_vntime_unikey-help.rtf")
    dst = tmp_path / "unikey.rtf"
    result = convert_file(src, dst, Options())
    out = dst.read_bytes()
    text = rtf_text(out, hidden=False)
    assert "UniKey là chương trình bàn phím tiếng Việt miễn phí trong môi trường Windows" in text
    assert "Các đặc điểm chính:" in text
    assert "Phạm Kim Long" in text
    assert result.charset == "tcvn3"
    table = out[out.index(b"{\\fonttbl") : out.index(b"{\\colortbl")]
    assert b"ABC Sans Serif" not in table and b".VnTime" not in table and b"Arial{\\*\\falt Times New Roman}" in table
    left = MOJIBAKE.findall(text)
    assert len(left) < 30, left  # out of ~4,500 legacy letters; see the next test
    # the size barely changes: only text and font names were rewritten
    assert abs(len(out) - src.stat().st_size) < 0.2 * src.stat().st_size


def test_real_unikey_help_single_letters(tmp_path: Path) -> None:
    src = need_shared(REAL / "rtf_tcvn3_abcsansserif_vntime_unikey-help.rtf")
    out, _ = convert_bytes(src.read_bytes(), Options())
    text = rtf_text(out, hidden=False)
    assert "Â, Ă, Ê, Ô, Ơ, Ư, Đ" in text
    assert not MOJIBAKE.findall(text)


def test_real_vni_unicode_escapes(tmp_path: Path) -> None:
    src = need_shared(REAL / "rtf_vni_uescape_recovered_ngphloc_NC_BaoCao.rtf")
    dst = tmp_path / "nc.rtf"
    result = convert_file(src, dst, Options())
    text = rtf_text(dst.read_bytes())
    assert "Nếu dùng chuột thì liên kết thêm các files : Mouse.cpp, Sourisc.obj)" in text  # VNI-Times runs
    assert "void showcursor();  // hàm hiện con nháy" in text
    assert "Public.cpp, Dir&File.cpp" in text  # code left as it is
    assert result.charset == "vni"


def test_real_vni_runs_under_times_new_roman(tmp_path: Path) -> None:
    """The recovered file also puts VNI text under Times New Roman: only the engine's content check can
    find it (no font says VNI)."""
    src = need_shared(REAL / "rtf_vni_uescape_recovered_ngphloc_NC_BaoCao.rtf")
    dst = tmp_path / "nc.rtf"
    convert_file(src, dst, Options())
    text = rtf_text(dst.read_bytes())
    assert "Báo Cáo Bài Miễn Thi NC" in text
    assert "1/  Cách chạy chương trình" in text
