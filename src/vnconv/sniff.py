"""What the bytes of an input say before any charset is tried: a byte order mark, UTF-16/UTF-32 without one
(told by where the NUL bytes fall), binary data; and the sample detection reads from a long input, a file
that can seek (its start, middle and end) or a stream that cannot (its start).

The one place for these: :func:`vnconv.detect.detect` (bytes) and the text-file adapter (files and streams)
both use it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import IO, AnyStr

__all__ = [
    "SAMPLE",
    "PIECE",
    "WHOLE",
    "BOMS",
    "WIDE",
    "Sample",
    "bom",
    "wide_encoding",
    "is_binary",
    "sample",
    "trim",
    "sample_file",
    "sample_stream",
    "Prefixed",
]

#: How much of a long input detection reads: this many characters from the start, middle and end.
SAMPLE = 1 << 15
PIECE = SAMPLE - 16  #: bytes of each piece of a file's sample (start, middle, end)
WHOLE = 3 * PIECE  #: inputs up to this size are sampled whole
_SCAN = 1 << 20  #: bytes read at a time looking for the first non-ASCII byte

#: byte order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one)
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
WIDE = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")  #: the encodings with NUL bytes in text

#: control bytes that text does not hold (tab, LF, VT, FF, CR and ESC are fine)
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_ASCII = re.compile(rb"[\x00-\x7f]")


def bom(head: bytes) -> tuple[str | None, int]:
    """The encoding a byte order mark at the start of ``head`` names and the mark's length ((None, 0): none)."""
    for mark, enc in BOMS:
        if head.startswith(mark):
            return enc, len(mark)
    return None, 0


def wide_encoding(head: bytes) -> str | None:
    """UTF-16 or UTF-32 (LE/BE) without a byte order mark, told by where the NUL bytes fall; None if not."""
    n = len(head) - len(head) % 4
    if n < 8:
        return None
    data = head[:n]
    units = n // 4
    # UTF-32: two zero bytes in the top half of (nearly) every unit.
    le32 = sum(1 for i in range(0, n, 4) if data[i + 2] == 0 and data[i + 3] == 0)
    be32 = sum(1 for i in range(0, n, 4) if data[i] == 0 and data[i + 1] == 0)
    if le32 >= 0.99 * units and be32 < 0.05 * units:
        enc = "utf-32-le"
    elif be32 >= 0.99 * units and le32 < 0.05 * units:
        enc = "utf-32-be"
    else:
        pairs = n // 2
        even = data[0::2].count(0)
        odd = data[1::2].count(0)
        if odd >= 0.3 * pairs and even <= 0.01 * pairs:
            enc = "utf-16-le"
        elif even >= 0.3 * pairs and odd <= 0.01 * pairs:
            enc = "utf-16-be"
        else:
            return None
    try:
        text = codecs.getincrementaldecoder(enc)("strict").decode(data)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f\v\x1b")
    return enc if controls <= 0.05 * max(1, len(text)) else None


def is_binary(data: bytes) -> bool:
    """NUL bytes, or more than a quarter control bytes: not text (in an 8-bit or UTF-8 encoding)."""
    if b"\0" in data:
        return True
    if not data:
        return False
    controls = len(data) - len(data.translate(None, _CONTROL))
    return controls > 0.25 * len(data)


def sample(data: AnyStr) -> AnyStr:
    """``data``, or for a long input its start, middle and end (``SAMPLE`` bytes or characters each, uncut)."""
    if len(data) <= 3 * SAMPLE:
        return data
    mid = len(data) // 2
    return data[:SAMPLE] + data[mid - SAMPLE // 2 : mid + SAMPLE // 2] + data[-SAMPLE:]


def trim(piece: bytes, start: bool, end: bool) -> bytes:
    """Cut ``piece`` to whole lines (or at least at ASCII bytes) so that no character is cut in half."""
    if start:
        i = piece.find(b"\n")
        if i < 0:
            m = _ASCII.search(piece)
            i = m.start() if m else len(piece)
        piece = piece[i + 1 :]
    if end:
        j = piece.rfind(b"\n")
        if j < 0:
            found = [m.start() for m in _ASCII.finditer(piece[-4096:])]
            j = len(piece) - min(4096, len(piece)) + found[-1] if found else -1
        piece = piece[: j + 1]
    return piece


@dataclass
class Sample:
    """What detection reads of an input."""

    head: bytes  #: the first bytes (a byte order mark included), untrimmed
    data: bytes  #: start + middle + end, trimmed to whole lines (or the whole input)
    whole: bool  #: ``data`` is the whole input


def sample_file(fh: IO[bytes], size: int) -> Sample:
    """Sample a file that can seek: its start, middle and end (all of it up to ``WHOLE`` bytes); when those
    are all ASCII, the first non-ASCII stretch (the one place that tells the charset) replaces the middle.
    Leaves ``fh`` at its start."""
    fh.seek(0)
    if size <= WHOLE:
        data = fh.read()
        fh.seek(0)
        return Sample(data, data, True)
    head = fh.read(PIECE)
    parts = [trim(head, False, True)]
    for pos in (size // 2, size - PIECE):
        fh.seek(pos)
        parts.append(trim(fh.read(PIECE), True, pos + PIECE < size))
    if all(part.isascii() for part in parts):
        pos = PIECE
        fh.seek(pos)
        while block := fh.read(_SCAN):
            m = _NON_ASCII.search(block)
            if m:
                start = max(0, pos + m.start() - 1024)
                fh.seek(start)
                parts[1] = trim(fh.read(PIECE), start > 0, True)
                break
            pos += len(block)
    fh.seek(0)
    return Sample(head, b"\n".join(parts), False)


def sample_stream(fh: IO[bytes]) -> tuple[Sample, bytes]:
    """Sample a stream that cannot seek (its first ``WHOLE`` bytes); returns the sample and the bytes read,
    which are to be processed first (:class:`Prefixed` puts them back in front)."""
    head = fh.read(WHOLE)
    whole = len(head) < WHOLE
    data = head if whole else trim(head, False, True)
    return Sample(head, data, whole), head


class Prefixed:
    """A reader that returns ``prefix`` before the rest of ``fh``."""

    def __init__(self, prefix: bytes, fh: IO[bytes]) -> None:
        self.prefix = prefix
        self.fh = fh

    def read(self, n: int) -> bytes:
        if self.prefix:
            out, self.prefix = self.prefix[:n], self.prefix[n:]
            if len(out) < n:
                out += self.fh.read(n - len(out))
            return out
        return self.fh.read(n)
