"""Bytes to text for the text adapter: raw legacy bytes line by line (lines of Chinese among them read as
GB18030, the changed lines counted on the bytes), and font text (each byte its Windows-1252 character)."""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING, Any

from ..charsets.registry import get_codec

if TYPE_CHECKING:  # pragma: no cover
    from .textplan import Plan

__all__ = ["make_decoder"]

# -- decoders ------------------------------------------------------------------------------------------
class _LegacyDecoder:
    """Incremental decoder over a vnconv codec. It decodes whole lines (byte 0x0A is LF in every legacy
    charset), so a combining mark or a VIQR sequence is never cut from its letter; a line longer than
    ``long_line`` falls back on the codec's own ``decode_partial``."""

    def __init__(self, charset: str, errors: str, cjk: str | None = None, count: bool = True,
                 long_line: int = 1 << 18) -> None:
        self.long_line = long_line  #: a line longer than this many bytes is decoded in pieces
        self.codec = get_codec(charset)
        self.pieces = self.codec.piece_decoder()  # VIQR: a long line's word context goes on across blocks
        self.errors = errors
        self.cjk = cjk
        self.counting = count  #: False: ``changed`` only says whether any line changed (0 or 1)
        self.buf = b""
        self.changed = 0  #: lines holding a byte this charset reads unlike Windows-1252 (so they look new)
        self.lines = 0  #: lines read (LF, CRLF or a lone CR ends one; so does the end of the input)
        self._keep, self._delete = _changed_bytes(charset)
        self._open = False  #: the line still open at the end of the last block holds a changed byte
        self._cr = False  #: the last block ended with CR (its LF may start the next one)
        self._mid = False  #: the last block ended inside a line

    def _count(self, data: bytes, final: bool) -> None:
        # Every byte that reads differently becomes H, line ends become LF, the rest goes: a changed line
        # leaves "H\n" behind (a CRLF line "H\n\n"), an unchanged one only its line end. Counting on these
        # few bytes costs less than any pass over the decoded text.
        if not self.counting:
            if not self.changed and data.translate(self._keep, self._delete).strip(b"\r\n"):
                self.changed = 1
            return
        marks = data.translate(self._keep, self._delete)
        if self._open:
            marks = b"H" + marks
        crlf = data.count(b"\r\n") if b"\r" in data else 0
        if self._cr and data.startswith(b"\n"):
            crlf += 1  # a CRLF split between blocks ends one line
        self.changed += marks.count(b"H\n")
        self.lines += marks.count(b"\n") - crlf
        self._open = marks.endswith(b"H")
        if data:
            self._cr = data.endswith(b"\r")
            self._mid = not data.endswith((b"\n", b"\r"))
        if final:
            self.changed += self._open
            self.lines += self._mid
            self._open = self._mid = False

    def _lines(self, data: bytes) -> str:
        if self.cjk is None:
            return self.pieces(data, self.errors, True)[0]
        out = []
        for line in data.splitlines(keepends=True):
            text = self.codec.decode(line, self.errors)
            if not line.isascii():
                text = _chinese_line(line, text) or text
            out.append(text)
        return "".join(out)

    def decode(self, data: bytes, final: bool = False) -> str:
        if self.buf:
            data = self.buf + data
            self.buf = b""
        if final:
            self._count(data, True)
            return self._lines(data)
        k = data.rfind(b"\n") + 1
        if k:
            self.buf = data[k:]
            block = data[:k] if k < len(data) else data
            self._count(block, False)
            return self._lines(block)
        if len(data) < self.long_line:
            self.buf = data
            return ""
        text, used = self.pieces(data, self.errors, False)
        self.buf = data[used:]
        self._count(data[:used], False)
        return text


class _FontDecoder:
    """Bytes to font text: each byte its Windows-1252 character (C1 controls in the five holes)."""

    def __init__(self) -> None:
        from ..charsets.fonttext import FONT_TABLE

        self.table = FONT_TABLE

    def decode(self, data: bytes, final: bool = False) -> str:
        return codecs.charmap_decode(data, "strict", self.table)[0]


_CJK = "gb18030"
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2010-\u206f]")
_WORD_RE = re.compile(r"[^\W\d_]+")
_HAN_RUN = re.compile("[\u3400-\u9fff\uf900-\ufaff]{2}")
_HAN_LONG = re.compile("[\u3400-\u9fff\uf900-\ufaff]{4}")
_HAN_GLUED = re.compile("[A-Za-z][\u3400-\u9fff\uf900-\ufaff]|[\u3400-\u9fff\uf900-\ufaff][A-Za-z]")


def _vietnamese(text: str) -> bool:
    """A decoded line reads as Vietnamese: most of its non-ASCII words are syllables, one a common one."""
    from ..language import lexicon, syllable

    words = [w for w in _WORD_RE.findall(text) if not w.isascii()]
    if not words:
        return True
    good = [w for w in words if syllable.is_syllable(w)]
    return len(good) * 2 >= len(words) and any(lexicon.zipf(w) >= 3.0 for w in good)


def _chinese_line(line: bytes, legacy_text: str, strict: bool = False) -> str | None:
    """The line read as Chinese, when that is what it is: not Vietnamese in the legacy charset, and all its
    non-ASCII characters Chinese ones in GB18030. ``strict`` (deciding whether a file holds Chinese at all):
    also a run of four Han characters not glued to Latin letters, or chardet agreeing. Without ``strict`` (the
    file is known to hold Chinese), two Han characters in a row suffice."""
    if _vietnamese(legacy_text):
        return None
    try:
        text = line.decode(_CJK)
    except UnicodeDecodeError:
        return None
    wide = [c for c in text if not c.isascii()]
    if not wide or sum(1 for c in wide if _HAN.match(c)) < 0.9 * len(wide) or not _HAN_RUN.search(text):
        return None  # Chinese comes in runs of characters
    if strict and (_HAN_GLUED.search(text) or not _HAN_LONG.search(text)):
        # Han characters glued to Latin letters (Kénédougou read as GB18030 is K衝衐ougou), or only a short run
        # of them (Man-®aÝc is Man-產輈): only if chardet, which knows Chinese, says so too.
        import chardet

        guess = chardet.detect(line)
        name = (guess.get("encoding") or "").lower().replace("-", "")
        if not (name.startswith(("gb", "hz", "big5")) and (guess.get("confidence") or 0) >= 0.5):
            return None
    return text


# Two GB18030 characters in a row, which every line of Chinese has (_HAN_RUN): the lines to look at.
_GB_UNIT = rb"(?:[\x81-\xfe][\x30-\x39][\x81-\xfe][\x30-\x39]|[\x81-\xfe][\x40-\x7e\x80-\xfe])"
_GB_PAIR = re.compile(_GB_UNIT * 2)


def _has_cjk_lines(data: bytes, charset: str) -> bool:
    """Whether the sample holds lines of Chinese (GB18030) among the legacy text (game scripts, tables)."""
    codec = get_codec(charset)
    end = -1
    for m in _GB_PAIR.finditer(data):
        if m.start() < end:
            continue  # in the line just looked at
        start = max(data.rfind(b"\n", 0, m.start()), data.rfind(b"\r", 0, m.start())) + 1
        ends = [i for i in (data.find(b"\n", m.end()), data.find(b"\r", m.end())) if i >= 0]
        end = min(ends) if ends else len(data)
        line = data[start:end]
        try:
            text = codec.decode(line, "replace")
        except UnicodeDecodeError:
            continue
        if _chinese_line(line, text, strict=True) is not None:
            return True
    return False


def _changed_bytes(charset: str) -> tuple[bytes, bytes]:
    """A ``bytes.translate`` table and delete set for :meth:`_LegacyDecoder._count`."""
    from ..charsets.fonttext import FONT_TABLE

    decode = get_codec(charset).table.decode
    ends = (0x0A, 0x0D)
    differ = {b for b in range(256) if b not in ends and decode.get(bytes([b])) != FONT_TABLE[b]}
    table = bytes(ord("H") if b in differ else 0x0A if b in ends else b for b in range(256))
    delete = bytes(b for b in range(256) if b not in differ and b not in ends)
    return table, delete


def _decoder(plan: Plan, count: bool = True, long_line: int = 1 << 18) -> Any:
    if plan.legacy:
        return _LegacyDecoder(plan.encoding, plan.errors, plan.cjk, count, long_line)
    if plan.encoding == "font-text":
        return _FontDecoder()
    return codecs.getincrementaldecoder(plan.encoding)(plan.errors)


make_decoder = _decoder
