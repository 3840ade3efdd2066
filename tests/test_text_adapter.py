"""The text adapter (vnconv.documents.text): encodings in, line endings kept, streaming, errors, plumbing."""

from __future__ import annotations

import codecs
import io
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vnconv
from vnconv.documents import Options, adapter_for
from vnconv.documents import text as T
from vnconv.documents import textplan
from vnconv.detect import Detection
from vnconv.errors import DocumentError, UnknownCharsetError
from conftest import examples

#: Vietnamese prose (no typographic quotes) with every TCVN3 capital it has, and mixed line endings.
VI = (
    "Cộng hoà xã hội chủ nghĩa Việt Nam\r\n"
    "Độc lập - Tự do - Hạnh phúc\r\n"
    "Hải Dương, ngày 04 tháng 11 năm 2011\n"
    "Thực hiện chương trình công tác của Ban Chấp hành, Ban Thường vụ Đảng ủy khối.\n"
    "Nhằm ôn lại truyền thống lịch sử hình thành, phát triển và những đóng góp to lớn\r\n"
    "ASCII only line\n"
    "Nguyễn Văn Trỗi, Trần Hưng Đạo, Lê Lợi, Phạm Ngũ Lão"
)
VI_LINES = VI.splitlines(keepends=True)
NON_ASCII_LINES = sum(1 for line in VI_LINES if not line.isascii())


def conv(data: bytes, **opts: object) -> tuple[bytes, T.Result]:  # type: ignore[name-defined]
    return T.convert_bytes(data, Options(**opts))  # type: ignore[arg-type]


# -- Unicode in -------------------------------------------------------------------------------------------
def test_text_is_the_default_adapter() -> None:
    assert adapter_for(Path("x.txt")) is T
    assert adapter_for(Path("x.lua")) is T
    assert adapter_for(Path("no-extension")) is T


def test_utf8_unicode_passes_through_unchanged() -> None:
    out, r = conv(VI.encode())
    assert out == VI.encode()
    assert r.changed == 0 and r.charset is None
    assert r.details["encoding"] == "utf-8" and r.details["lines"] == len(VI_LINES)
    assert r.format == "text" and not r.warnings and r.error is None


def test_utf8_bom_is_kept_and_never_added() -> None:
    out, r = conv(codecs.BOM_UTF8 + VI.encode())
    assert out == codecs.BOM_UTF8 + VI.encode()
    assert r.details["bom"] is True and not r.warnings
    out, _ = conv(VI.encode())
    assert not out.startswith(codecs.BOM_UTF8)
    out, _ = conv(codecs.BOM_UTF8)  # an empty text keeps its mark
    assert out == codecs.BOM_UTF8


@pytest.mark.parametrize("enc,bom", [
    ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE),
])
def test_utf16_and_utf32_with_bom_become_utf8_with_bom(enc: str, bom: bytes) -> None:
    out, r = conv(bom + VI.encode(enc))
    assert out == codecs.BOM_UTF8 + VI.encode()
    assert r.details["encoding"] == enc
    assert any(enc.upper() in w and "UTF-8" in w for w in r.warnings)


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_without_bom_is_told_by_its_nul_bytes(enc: str) -> None:
    out, r = conv(VI.encode(enc))
    assert out == VI.encode()
    assert r.details["encoding"] == enc and r.details["bom"] is False


def test_utf16_surrogate_pairs_and_chunk_edges(monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("Việt 😀 Nam\r\n" * 50) + "cuối 𝄞"
    monkeypatch.setattr(T, "CHUNK", 7)  # odd: cuts through code units and surrogate pairs
    out, _ = conv(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert out == codecs.BOM_UTF8 + text.encode()


# -- line endings ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "mixed"])
def test_line_endings_are_kept_exactly(newline: str, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [line.rstrip("\r\n") for line in VI_LINES] * 30
    if newline == "mixed":
        text = "".join(line + ("\r\n", "\n", "\r")[i % 3] for i, line in enumerate(lines))
    else:
        text = newline.join(lines) + newline
    raw = vnconv.encode(text, "tcvn3", "lowercase")
    expected = vnconv.decode(raw, "tcvn3")
    for chunk in (1 << 20, 5, 64):  # small chunks cut between CR and LF
        monkeypatch.setattr(T, "CHUNK", chunk)
        out, r = conv(raw, source="tcvn3")
        assert out.decode() == expected
        assert out.count(b"\r\n") == text.count("\r\n")
        assert out.count(b"\r") == text.count("\r")


def test_no_final_newline_stays_without_one() -> None:
    out, _ = conv(b"abc\r\ndef")
    assert out == b"abc\r\ndef"


# -- legacy bytes in -----------------------------------------------------------------------------------------
def test_raw_tcvn3_bytes_auto() -> None:
    raw = vnconv.encode(VI, "tcvn3", "lowercase")
    out, r = conv(raw)
    assert out.decode() == vnconv.decode(raw, "tcvn3")
    assert r.charset == "tcvn3" and r.details["form"] == "bytes"
    assert r.changed == NON_ASCII_LINES  # every line that held Vietnamese letters
    assert r.details["hint"] is None  # decoded text is Unicode: no hint for repair


@pytest.mark.parametrize("charset", ["vni", "viscii", "vps"])
def test_raw_legacy_bytes_are_detected(charset: str) -> None:
    raw = vnconv.encode(VI * 3, charset, "lowercase")
    out, r = conv(raw)
    assert r.charset == charset
    assert out.decode() == vnconv.decode(raw, charset)


@pytest.mark.parametrize("charset", ["tcvn3", "vni", "viscii", "vps", "viqr", "cp1258", "tcvn5712", "bkhcm2"])
def test_explicit_charset_decodes_raw_bytes(charset: str, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = vnconv.encode(VI, charset, "lowercase")
    expected = vnconv.decode(raw, charset)
    for chunk in (1 << 20, 3):  # 3 bytes: VNI/CP1258 marks and VIQR sequences across chunk edges
        monkeypatch.setattr(T, "CHUNK", chunk)
        out, r = conv(raw, source=charset, repair=False)
        assert out.decode() == expected
        assert r.charset == charset


def test_explicit_charset_on_utf8_font_text_repairs_it() -> None:
    font = vnconv.convert("Cộng hoà xã hội chủ nghĩa Việt Nam\n", "unicode", "tcvn3")
    out, r = conv(font.encode("utf-8"), source="tcvn3")
    assert out.decode() == "Cộng hoà xã hội chủ nghĩa Việt Nam\n"
    assert r.details["form"] == "font-text" and r.details["hint"] == "tcvn3"
    assert r.changed == 1


def test_utf8_font_text_auto_is_repaired() -> None:
    """UTF-8 holding TCVN3 font text (the `make demo` case): repair finds and converts it."""
    font = vnconv.convert("Kế hoạch tổ chức kỷ niệm 60 năm ngày thành lập Đảng bộ\n", "unicode", "tcvn3")
    out, _ = conv(font.encode())
    assert "Kế hoạch tổ chức kỷ niệm" in out.decode()


def test_python_codecs_work_as_source() -> None:
    out, r = conv("café crème\n".encode("cp1252"), source="cp1252")
    assert out == "café crème\n".encode()
    out, _ = conv(codecs.BOM_UTF16_BE + VI.encode("utf-16-be"), source="utf-16")
    assert out == codecs.BOM_UTF8 + VI.encode()  # the input had a byte order mark
    out, _ = conv(VI.encode("utf-16-be"), source="utf-16")  # no mark: the NUL pattern tells the byte order
    assert out == VI.encode()


def test_unknown_source_and_target_names() -> None:
    with pytest.raises(UnknownCharsetError):
        conv(b"x", source="no-such-charset")
    with pytest.raises(UnknownCharsetError):
        conv(b"x", target="no-such-charset")


# -- targets -------------------------------------------------------------------------------------------------
def test_target_tcvn3_round_trips() -> None:
    text = "Cộng hoà xã hội chủ nghĩa Việt Nam\r\nđộc lập tự do hạnh phúc\n"
    out, r = conv(text.encode(), target="tcvn3")
    assert out == vnconv.encode(text, "tcvn3")
    assert r.details["target"] == "tcvn3"
    # and back
    back, _ = conv(out)
    assert back.decode() == text


def test_target_legacy_missing_capitals() -> None:
    with pytest.raises(DocumentError, match=r"line 1: 'Ộ' \(U\+1ED8\) cannot be written in tcvn3"):
        conv("CỘNG HOÀ\n".encode(), target="tcvn3")
    out, _ = conv("CỘNG HOÀ\n".encode(), target="tcvn3", errors="lowercase")
    assert out == vnconv.encode("CỘNG HOÀ\n", "tcvn3", "lowercase")
    out, _ = conv("CỘNG\n".encode(), target="tcvn3", errors="replace")
    assert out == b"C?NG\n"


@pytest.mark.parametrize("target", ["vni", "viscii", "viqr", "vps"])
def test_other_legacy_targets(target: str) -> None:
    text = "Việt Nam đẹp lắm\nhạnh phúc\n"
    out, _ = conv(text.encode(), target=target)
    assert vnconv.decode(out, target) == text


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_viqr_streams_like_the_whole_with_any_line_end(newline: str, vi_lines: list[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """VIQR lines end with LF, CRLF or a lone CR; streamed in 3-byte blocks and cut inside long lines, the
    file reads as it does whole (a CR inside a block, or a CR and its LF in two blocks, ends a line once)."""
    monkeypatch.setattr(T, "CHUNK", 3)
    monkeypatch.setattr(T, "LONG_LINE", 40)
    raw = vnconv.encode(newline.join(vi_lines[:300]) + newline, "viqr", "replace")
    out, r = conv(raw, source="viqr", repair=False)
    assert out.decode() == vnconv.decode(raw, "viqr")
    assert r.details["lines"] == 300


def test_long_line_to_viqr_cut_inside_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """A line longer than LONG_LINE reaches the encoder in pieces cut anywhere; VIQR still reads back."""
    monkeypatch.setattr(T, "CHUNK", 50)
    monkeypatch.setattr(T, "LONG_LINE", 61)
    text = "Cộng hoà xã hội, ÀB^À ang...dậc B...lược. " * 40  # words that need escapes, cut at every offset
    out, _ = conv(text.encode(), target="viqr", repair=False)
    assert vnconv.decode(out, "viqr") == vnconv.decode(vnconv.encode(text, "viqr"), "viqr") == text


def test_target_forms_and_python_codecs() -> None:
    import unicodedata

    out, _ = conv("Việt\n".encode(), target="nfd")
    assert out.decode() == unicodedata.normalize("NFD", "Việt\n")
    out, _ = conv("Việt\n".encode(), target="ncr")
    assert out == b"Vi&#7879;t\n"
    out, _ = conv("Việt\n".encode(), target="utf-16")
    assert out.decode("utf-16") == "Việt\n" and out[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


# -- errors --------------------------------------------------------------------------------------------------
def test_nul_bytes_are_binary() -> None:
    with pytest.raises(DocumentError, match="binary data, not text"):
        conv(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00" + bytes(range(256)) * 10)


def test_control_bytes_are_binary() -> None:
    junk = bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 65, 66]) * 200
    with pytest.raises(DocumentError, match="binary data"):
        conv(junk)
    # VISCII's few letters in control codes are not junk
    text = "ẲNG ẴNG ẪNG, Ỷ LẠI, CỦA Ỹ, Ỵ: chữ hoa trong mã điều khiển\n" * 10
    out, _ = conv(vnconv.encode(text, "viscii"), source="viscii")
    assert out.decode() == text


def test_nul_after_the_sample_fails_and_writes_nothing(tmp_path: Path) -> None:
    src = tmp_path / "late-nul.txt"
    with open(src, "wb") as fh:
        fh.write(b"plain text line\n" * 200_000)  # 3.2 MB of text …
        fh.write(b"\x00\x01\x02\x00" * 100)  # … then binary, between the sampled parts
        fh.write(b"more plain text\n" * 200_000)
    dst = tmp_path / "out.txt"
    with pytest.raises(DocumentError, match="binary data, not text"):
        T.convert_file(src, dst)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["late-nul.txt"]


def test_strict_decode_error_names_the_offset() -> None:
    raw = b"hello\n" + vnconv.encode("Việt", "tcvn3")
    with pytest.raises(DocumentError, match=r"byte 0x.. at offset 8 is not valid utf-8"):
        conv(raw, source="utf-8")
    out, r = conv(raw, source="utf-8", errors="replace")
    assert "\ufffd" in out.decode() and any("replaced by U+FFFD" in w for w in r.warnings)


def test_auto_replaces_invalid_utf8_beyond_the_sample(tmp_path: Path) -> None:
    src = tmp_path / "mostly-utf8.txt"
    body = "Tiếng Việt có dấu\n".encode() * 100_000
    src.write_bytes(body + b"bad \xff byte\n" + body)
    r = T.convert_file(src, tmp_path / "out.txt")
    assert r.details["encoding"] == "utf-8"
    assert any("1 byte(s)" in w for w in r.warnings)
    assert (tmp_path / "out.txt").read_bytes() == body + "bad \ufffd byte\n".encode() + body


def test_directory_missing_and_fifo_are_document_errors(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="is a directory"):
        T.convert_file(tmp_path, tmp_path / "x.txt")
    with pytest.raises(DocumentError, match="No such file"):
        T.convert_file(tmp_path / "missing.txt", tmp_path / "x.txt")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(DocumentError, match="not a regular file"):
        T.detect_file(fifo)


def test_document_error_names_the_file(tmp_path: Path) -> None:
    src = tmp_path / "junk.bin"
    src.write_bytes(b"\x00" * 100)
    with pytest.raises(DocumentError) as info:
        T.convert_file(src, tmp_path / "o")
    assert str(info.value) == f"{src}: binary data, not text"


# -- sampling and streaming ----------------------------------------------------------------------------------
def test_legacy_bytes_after_a_long_ascii_start_are_found(tmp_path: Path) -> None:
    src = tmp_path / "log.txt"
    ascii_part = b"2011-11-04 12:00:00 INFO plain ascii log line\r\n" * 60_000  # ~2.9 MB
    legacy = vnconv.encode(VI, "tcvn3", "lowercase")
    src.write_bytes(ascii_part + legacy + ascii_part)
    plan = T.detect_file(src)
    assert plan.charset == "tcvn3"
    r = T.convert_file(src, tmp_path / "out.txt")
    assert (tmp_path / "out.txt").read_bytes() == ascii_part + vnconv.decode(legacy, "tcvn3").encode() + ascii_part
    assert not r.warnings


def test_middle_sample_inside_a_utf8_character_is_not_mistaken(tmp_path: Path) -> None:
    src = tmp_path / "big.txt"
    line = "ệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệ\n".encode()
    src.write_bytes(line * 20_000 + b"x")  # no line end near the middle: the sample is cut by bytes
    r = T.detect_file(src)
    assert r.details["encoding"] == "utf-8" and r.charset is None


def test_streaming_matches_one_shot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = vnconv.encode(VI * 50, "vni")
    monkeypatch.setattr(T, "CHUNK", 1000)
    out_small, r = conv(raw, source="vni")
    monkeypatch.setattr(T, "CHUNK", 1 << 20)
    out_big, r2 = conv(raw, source="vni")
    assert out_small == out_big == vnconv.decode(raw, "vni").encode()
    assert r.changed == r2.changed == NON_ASCII_LINES * 50 - 49  # the joined lines "…Lão" + "Cộng…"


def test_non_seekable_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def readinto(self, b):  # type: ignore[no-untyped-def]
            chunk = self.data.read(min(len(b), 4096))
            b[: len(chunk)] = chunk
            return len(chunk)

    raw = vnconv.encode(VI * 2000, "tcvn3", "lowercase")  # > 256 KiB: sampled from the start only
    out = io.BytesIO()
    r = T.convert_stream(io.BufferedReader(Pipe(raw)), out, Options())
    assert out.getvalue() == vnconv.decode(raw, "tcvn3").encode()
    assert r.charset == "tcvn3" and r.path == "<stdin>"


def test_long_line_without_line_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(T, "CHUNK", 100)
    monkeypatch.setattr(T, "LONG_LINE", 1000)
    text = "Việt Nam " * 2000
    out, r = conv(vnconv.encode(text, "tcvn3"), source="tcvn3", repair=False)
    assert out.decode() == text and r.details["lines"] == 1


@pytest.mark.parametrize("chunk", [7, 100, 1000])
def test_long_viqr_line_streams_like_the_whole(chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A VIQR line longer than LONG_LINE is cut between words; the word before a cut still counts as the
    context of the word after it (a final "." reads by its neighbours)."""
    monkeypatch.setattr(T, "CHUNK", chunk)
    monkeypatch.setattr(T, "LONG_LINE", 300)
    # "nghi." reads nghị after "hội" and as "nghi" + full stop alone; likewise "qua?" after "kết".
    raw = b"".join(b"To^?ng ke^'t ho^.i nghi. Ba'o ca'o ke^'t qua? So^' %d " % i for i in range(100))
    out, r = conv(raw, source="viqr", repair=False)
    assert out.decode() == vnconv.decode(raw, "viqr")
    assert out.decode().startswith("Tổng kết hội nghị Báo cáo kết quả Số 0 Tổng")
    assert r.details["lines"] == 1


def test_progress_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(T, "CHUNK", 1000)
    src = tmp_path / "p.txt"
    src.write_bytes(b"line\n" * 2000)
    seen: list[tuple[int, int]] = []
    T.convert_file(src, tmp_path / "o.txt", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (10_000, 10_000) and len(seen) == 10


# -- the plumbing against the engine's contract (detect / repair_pieces are stubbed) -------------------------
def test_font_text_detection_becomes_the_repair_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, object]] = []

    def fake_detect(data: bytes | str) -> Detection:
        return Detection("vni", 0.9, "font-text", ("stub",), "utf-8")

    def fake_repair_stream(chunks, **options):  # type: ignore[no-untyped-def]
        calls.append(options)
        for chunk in chunks:
            yield chunk.upper()

    monkeypatch.setattr(textplan, "detect", fake_detect)
    monkeypatch.setattr(T, "repair_pieces", fake_repair_stream)
    out, r = conv("Vieät Nam\nabc\n".encode())
    assert calls[0]["hint"] == "vni" and calls[0]["form"] == "NFC" and calls[0]["restore"] is True
    assert out == "VIEÄT NAM\nABC\n".encode()
    assert r.charset == "vni" and r.changed == 2 and r.details["repaired"] == 2


def test_repair_may_regroup_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """repair_pieces need not yield one piece per input piece: lines are still paired and counted."""

    def regrouping(chunks, **options):  # type: ignore[no-untyped-def]
        text = "".join(chunks).replace("b", "B")
        for i in range(0, len(text), 3):
            yield text[i : i + 3]

    monkeypatch.setattr(T, "repair_pieces", regrouping)
    monkeypatch.setattr(T, "CHUNK", 4)
    out, r = conv(b"ab\r\ncd\nbb\rxx\r\nlast b")
    assert out == b"aB\r\ncd\nBB\rxx\r\nlast B"
    assert r.changed == 3 and r.details["lines"] == 5


def test_no_repair_skips_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(chunks, **options):  # type: ignore[no-untyped-def]
        raise AssertionError("repair_pieces called")

    monkeypatch.setattr(T, "repair_pieces", boom)
    out, _ = conv(vnconv.encode("Việt\n", "tcvn3"), source="tcvn3", repair=False)
    assert out.decode() == "Việt\n"


@pytest.mark.parametrize("charset", ["tcvn3", "vni", "viscii", "vps", "viqr", "cp1258", "tcvn5712", "vni-mac"])
def test_changed_lines_are_lines_that_read_differently(charset: str, vi_lines: list[str]) -> None:
    """A decoded legacy line counts as changed when it differs from its bytes read as Windows-1252."""
    from vnconv.charsets.fonttext import font_text

    lines = vi_lines[:3000] + ["ascii only", "café", "1 + 1 = 2?", "Ð ð Þ þ ß ÿ"]
    raw = b"\n".join(vnconv.encode(line, charset, "replace") for line in lines) + b"\n"
    expected = sum(1 for line in raw.split(b"\n")[:-1] if vnconv.decode(line, charset, "replace") != font_text(line))
    _, r = conv(raw, source=charset, repair=False, errors="replace")
    assert r.changed == expected
    assert r.details["lines"] == len(lines)


_ENDS = ["\n", "\r\n", "\r", ""]


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(st.sampled_from(["Việt Nam", "ascii", "", "“a” – b…", "người", "Ð"]),
                            st.sampled_from(_ENDS[:3])), max_size=12),
    last=st.sampled_from(["", "dòng cuối", "ascii"]),
    chunk=st.sampled_from([1, 2, 3, 5, 64]),
)
def test_counts_on_bytes_match_line_by_line(monkeypatch: pytest.MonkeyPatch, rows: list[tuple[str, str]],
                                            last: str, chunk: int) -> None:
    """Raw legacy bytes are counted on the bytes (lines, changed lines): LF, CRLF and lone CR line ends,
    a CRLF or a line cut between blocks, lines longer than LONG_LINE and a last line without its end."""
    from vnconv.charsets.fonttext import font_text

    text = "".join(a + b for a, b in rows) + last
    raw = vnconv.encode(text, "tcvn3", "replace")
    lines = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    if not lines[-1]:
        lines.pop()
    expected = sum(1 for line in lines if vnconv.decode(line, "tcvn3") != font_text(line))
    monkeypatch.setattr(T, "CHUNK", chunk)
    monkeypatch.setattr(T, "LONG_LINE", 4)
    out, r = conv(raw, source="tcvn3", repair=False)
    assert out.decode() == vnconv.decode(raw, "tcvn3")
    assert (r.changed, r.details["lines"]) == (expected, len(lines))


def test_count_off_only_says_whether_anything_changed() -> None:
    """Options(count=False), which the CLI uses when no count will be shown: same output, changed 0 or 1."""
    raw = vnconv.encode("ascii\r\nViệt Nam\r\nhai dòng\n", "tcvn3")
    out, r = conv(raw, source="tcvn3", repair=False)
    out2, r2 = conv(raw, source="tcvn3", repair=False, count=False)
    assert out == out2 and (r.changed, r.details["lines"]) == (2, 3)
    assert (r2.changed, r2.details["lines"]) == (1, None)
    _, r3 = conv(b"ascii\nonly\n", source="tcvn3", repair=False, count=False)
    assert r3.changed == 0


def test_diff_shows_before_and_after() -> None:
    raw = vnconv.encode("dòng một\nascii\nascii\nascii\nascii\nascii\nascii\nascii\ndòng chín\n", "tcvn3")
    pieces: list[str] = []
    r = T.convert_stream(io.BytesIO(raw), None, Options(source="tcvn3"), name="f.txt", size=len(raw),
                         diff=pieces.append)
    diff = "".join(pieces)
    assert diff.startswith("--- f.txt\n+++ f.txt (converted)\n@@ -1,4 +1,4 @@\n")
    assert "-dßng mét\n+dòng một\n" in diff
    assert "@@ -6,4 +6,4 @@\n ascii\n ascii\n ascii\n-dßng chÝn\n+dòng chín\n" in diff
    assert r.changed == 2


# -- files -----------------------------------------------------------------------------------------------------
def test_convert_file_is_atomic_and_keeps_modes(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_bytes(vnconv.encode(VI, "tcvn3", "lowercase"))
    dst = tmp_path / "b.txt"
    r = T.convert_file(src, dst)
    assert r.output == str(dst)
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(dst.stat().st_mode) == 0o666 & ~mask  # not the 0600 of a temporary file
    dst.chmod(0o640)
    T.convert_file(src, dst)
    assert stat.S_IMODE(dst.stat().st_mode) == 0o640
    # in place (dst == src) works through the temporary file too
    T.convert_file(src, src)
    assert src.read_bytes().decode() == vnconv.decode(vnconv.encode(VI, "tcvn3", "lowercase"), "tcvn3")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_detect_file(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_bytes(codecs.BOM_UTF16_LE + VI.encode("utf-16-le"))
    before = src.stat().st_mtime_ns
    r = T.detect_file(src)
    assert r.details["encoding"] == "utf-16-le" and r.details["bom"] is True and r.changed == 0
    assert src.stat().st_mtime_ns == before
    src.write_bytes(vnconv.encode(VI, "tcvn3", "lowercase"))
    r = T.detect_file(src)
    assert r.charset == "tcvn3" and 0 < r.confidence <= 1 and r.details["reasons"]


def test_chinese_lines_among_legacy_bytes(tmp_path: Path) -> None:
    """A game script in TCVN3 with its developers' comments in GBK: the comments come out as Chinese, the
    messages as Vietnamese, and no line is left as neither (issue 4: the Chinese parts untouched)."""
    import re

    from conftest import REAL, need_shared
    from vnconv.documents.text import _vietnamese

    src = need_shared(REAL / "tcvn3_gbk_mixed_huongthu-test_station.lua")
    dst = tmp_path / "station.lua"
    r = T.convert_file(src, dst)
    assert r.charset == "tcvn3"
    text = dst.read_text(encoding="utf-8")
    assert "-- 用于获取任务链地图的信息" in text and "用于无名谷——托管服务器地图" in text
    han = re.compile("[\u4e00-\u9fff]")
    neither = [line for line in text.splitlines() if not line.isascii() and not han.search(line) and not _vietnamese(line)]
    assert neither == []
    # and text without Chinese never gets any: names with accents are not GB18030 pairs
    plain = tmp_path / "names.txt"
    plain.write_bytes(vnconv.encode("Kénédougou, Békés, Písek\nNgười dân Hà Nội đi làm\n" * 50, "tcvn3", "replace"))
    T.convert_file(plain, tmp_path / "names.out")
    assert not han.search((tmp_path / "names.out").read_text(encoding="utf-8"))
