"""vnconv.sniff: byte order marks, UTF-16/32 without one, binary data and samples, in one place that
detect() and the text adapter share."""

from __future__ import annotations

import codecs
import io

import pytest

from vnconv import detect, sniff
from vnconv.documents import Options
from vnconv.documents import text as T

VI = "Trường Đại học Bách khoa Hà Nội, Việt Nam\n" * 20


@pytest.mark.parametrize("enc", sniff.WIDE)
def test_wide_text_without_a_bom_is_found_by_detect_and_the_adapter(enc: str) -> None:
    data = VI.encode(enc)
    assert sniff.wide_encoding(data) == enc
    found = detect(data)
    # UTF-32 without a mark: detect() left it to chardet before (form "bytes", fallback); now it reads it
    assert found.encoding == enc and found.form == "unicode" and not found.fallback
    out, r = T.convert_bytes(data, Options())
    assert out.decode() == VI and r.details["encoding"] == enc


@pytest.mark.parametrize("mark, enc", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                                       (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF32_LE, "utf-32-le"),
                                       (codecs.BOM_UTF32_BE, "utf-32-be")])
def test_byte_order_marks(mark: bytes, enc: str) -> None:
    data = mark + VI.encode(enc)
    assert sniff.bom(data) == (enc, len(mark))
    assert detect(data).charset in ("utf-8", "utf-16", "utf-32")
    assert T.convert_bytes(data, Options())[0].decode("utf-8-sig") == VI


def test_binary_and_text() -> None:
    assert sniff.is_binary(b"\x7fELF\x02\x01\x00") and sniff.is_binary(bytes([1, 2, 3, 65]) * 10)
    assert not sniff.is_binary(VI.encode()) and not sniff.is_binary(b"")
    assert sniff.wide_encoding(b"\x00\x01" * 50) is None  # NUL bytes that make no text


def test_stream_sample_is_put_back_in_front() -> None:
    data = VI.encode() * 2000  # longer than one sample
    sample, read = sniff.sample_stream(io.BytesIO(data))
    assert not sample.whole and read == data[: sniff.WHOLE] and sample.data.endswith(b"\n")
    rest = io.BytesIO(data)
    rest.read(len(read))
    again = sniff.Prefixed(read, rest)
    assert b"".join(iter(lambda: again.read(4096), b"")) == data
    assert T._sample_stream is T.sample_stream is sniff.sample_stream  # the name cli.py calls still works


def test_sample_of_a_long_input() -> None:
    data = b"a" * (4 * sniff.SAMPLE)
    assert len(sniff.sample(data)) == 3 * sniff.SAMPLE and sniff.sample(b"short") == b"short"
    assert sniff.sample("x" * (4 * sniff.SAMPLE)) == "x" * (3 * sniff.SAMPLE)
