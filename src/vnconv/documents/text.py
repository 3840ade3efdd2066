"""Text files: any encoding in, repaired Unicode (UTF-8 by default) or a legacy charset out, streamed.

What comes in:

* a byte order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE), or UTF-16/UTF-32 without one (told by where the
  NUL bytes fall);
* UTF-8 (pure ASCII included), possibly holding *font text* (``Céng hoµ``) or UTF-8 mojibake;
* raw legacy bytes: TCVN3, VNI, VISCII, VPS, VIQR … (:func:`vnconv.detect.detect` says which);
* with ``Options.source`` set to a charset: bytes in that charset, or UTF-8 font text of it.

The bytes are decoded with an incremental decoder, 1 MiB at a time, cut at line ends, and the text goes
through one repair engine piece by piece (:func:`repair_pieces`); memory stays bounded whatever the file
size. A line longer than ``LONG_LINE`` characters goes to the engine in pieces cut after a space (the
engine's evidence carries from piece to piece). Detection looks
at a sample from the start, the middle and the end (and at the first non-ASCII stretch when those are all
ASCII). Line endings are kept exactly (CRLF stays CRLF, mixed stays mixed: the decoder never translates
them); a byte order mark is written only when the input had one. ``Result.changed`` counts changed lines.

Binary data (NUL bytes outside UTF-16/32, or mostly control bytes) raises
``DocumentError(path, "binary data, not text")``.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..detect import detect
from ..sniff import WIDE as _WIDE
from ..sniff import bom as bom_of
from ..sniff import Prefixed, Sample, is_binary, sample_file, sample_stream, wide_encoding
from ..errors import DocumentError, UnknownCharsetError
from ..charsets.registry import canonical_name, charsets, get_codec
from ..repair.engine import Repairer
from . import Options, Result, atomic_output

__all__ = [
    "convert_file",
    "detect_file",
    "convert_stream",
    "convert_bytes",
    "plan_stream",
    "resolve_source",
    "resolve_target",
    "Plan",
    "CHUNK",
    "sample_file",
    "sample_stream",
]

#: the old private names (cli.py calls ``text._sample_stream``)
_sample_stream = sample_stream
_Sample = Sample

CHUNK = 1 << 20  #: bytes read per step
#: text without a line end is cut into pieces of at most this many characters (bytes, for raw legacy
#: bytes), after a space where there is one: the repair engine never holds more of a long line at once
LONG_LINE = 1 << 18

Progress = Callable[[int, int], None]  #: progress(bytes done, bytes total or 0)
DiffSink = Callable[[str], None]  #: receives unified-diff text

_UNICODE_LABELS = {"utf-8", "utf8", "ascii", "us-ascii", "unicode", "utf-16", "utf-16-le", "utf-16-be",
                   "utf-16le", "utf-16be", "utf-32", "utf-32-le", "utf-32-be", "utf-8-sig"}
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)")


def _ended(text: str) -> int:
    """Where the text's last line end ends (0: it has none)."""
    return max(text.rfind("\n"), text.rfind("\r")) + 1


# -- error handlers that count what they replace ------------------------------------------------------
class _Counter:
    replaced = 0


def _count_replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _Counter.replaced += exc.end - exc.start
    return "\ufffd", exc.end


def _count_ignore(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _Counter.replaced += exc.end - exc.start
    return "", exc.end


codecs.register_error("vnconv.text.replace", _count_replace)
codecs.register_error("vnconv.text.ignore", _count_ignore)
_DECODE_ERRORS = {"replace": "vnconv.text.replace", "ignore": "vnconv.text.ignore", "strict": "strict"}


# -- source and target names ----------------------------------------------------------------------------
def _python_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def resolve_source(name: str) -> tuple[str, bool]:
    """``(name, legacy)`` for a ``-f`` value other than ``auto``: a vnconv charset (``legacy=True``) or a
    Python codec name. :class:`UnknownCharsetError` if neither."""
    key = name.strip().lower()
    if key in ("unicode", "utf8", "utf-8", "nfc", "nfd"):
        return "utf-8", False
    try:
        return canonical_name(name), True
    except UnknownCharsetError:
        pass
    found = _python_codec(name)
    if found is None:
        raise UnknownCharsetError(name, charsets())
    return found, False


@dataclass(frozen=True)
class Target:
    """Where repaired text goes: ``kind`` is ``"unicode"`` (a Python codec, UTF-8 by default),
    ``"legacy"`` (a vnconv charset) or ``"ncr"`` (ASCII with ``&#7879;`` references)."""

    kind: str
    name: str
    form: str | None = None  #: "NFD" to decompose the output

    @property
    def is_utf8(self) -> bool:
        return self.kind == "unicode" and self.name == "utf-8"


def resolve_target(name: str) -> Target:
    """The :class:`Target` for a ``-t`` value. :class:`UnknownCharsetError` if unknown."""
    key = name.strip().lower().replace("_", "-")
    if key in ("unicode", "utf-8", "utf8", "nfc", "utf-8-nfc"):
        return Target("unicode", "utf-8")
    if key in ("nfd", "unicode-nfd", "utf-8-nfd"):
        return Target("unicode", "utf-8", "NFD")
    if key in ("ncr", "ncr-decimal", "html"):
        return Target("ncr", "ascii")
    try:
        return Target("legacy", canonical_name(name))
    except UnknownCharsetError:
        pass
    found = _python_codec(name)
    if found is None:
        raise UnknownCharsetError(name, charsets(forms=True))
    if found == "utf-8":
        return Target("unicode", "utf-8")
    return Target("unicode", found)


def _errors_option(options: Options) -> str | None:
    value = options.errors
    return value or None


# -- the plan: how to decode and what to tell repair ---------------------------------------------------
@dataclass
class Plan:
    """How one input is read: decoded with ``encoding`` (a vnconv charset when ``legacy``), after skipping
    ``bom`` bytes; its text repaired with ``hint``.

    Raw legacy bytes are decoded exactly by their codec, line by line (lines of Chinese among them in GB18030),
    and not repaired: the decoded text is Unicode already (a hint would make repair read Unicode punctuation
    such as “ ” as font text). Repair is for text files: font text, mojibake and mixed text inside Unicode."""

    encoding: str
    legacy: bool = False
    bom: int = 0
    hint: str | None = None
    charset: str | None = None  #: the legacy charset found (None: the input is plain Unicode)
    confidence: float = 0.0
    form: str = "bytes"  #: Detection.form, or "empty"
    reasons: list[str] = field(default_factory=list)
    errors: str = "strict"
    warnings: list[str] = field(default_factory=list)
    detection: str | None = None  #: what detect() named, verbatim
    cjk: str | None = None  #: lines that are no Vietnamese but Chinese in this encoding are read in it

    @property
    def wide(self) -> bool:
        return self.encoding in _WIDE


def _is_legacy(name: str | None) -> str | None:
    if not name or name.lower() in _UNICODE_LABELS:
        return None
    try:
        return canonical_name(name)
    except UnknownCharsetError:
        return None


def _font_hint(det: Any) -> str | None:
    """The repair hint a detection gives: the legacy charset of the font text it found (mojibake and
    Unicode give none: repair finds mojibake by itself, and hints must be charset names)."""
    if det.form in ("font-text", "utf8-mojibake"):
        return _is_legacy(det.charset)
    return None


def _is_fallback(det: Any) -> bool:
    """detect() found no Vietnamese and handed the bytes to chardet."""
    return det.fallback


#: 8-bit Western encodings chardet names for bytes it cannot place (TCVN3 and VNI look like these to it)
_WESTERN = {"cp1252", "cp1258", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "mac_roman", "cp850", "cp437"}


def _decode_sample(data: bytes, encoding: str) -> str:
    if encoding in _WIDE:
        unit = 4 if encoding.startswith("utf-32") else 2
        data = data[: len(data) - len(data) % unit]
    return codecs.decode(data, encoding, "replace")


def _utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _explicit_plan(source: str, sample: Sample, data: bytes, bom_enc: str | None, bom: int, wide: str | None,
                   errors: str, name: str) -> Plan:
    """``-f CHARSET``: the bytes are in CHARSET (or, for a legacy charset, Unicode text holding it)."""
    charset, legacy = resolve_source(source)
    reasons = [f"-f {source}"]
    if legacy:
        if bom_enc or wide:  # a Unicode file holding text of the legacy charset
            enc = bom_enc or wide or "utf-8"
            return Plan(enc, False, bom, charset, charset, 1.0, "font-text", reasons + [f"{enc.upper()} text"],
                        errors)
        if is_binary(data):
            raise DocumentError(name, "binary data, not text")
        if not data.isascii() and _utf8(data) is not None:
            # Raw legacy bytes are practically never valid UTF-8: this is Unicode text holding font text
            # (or VIQR) of the charset, possibly mixed with real Unicode, which repair leaves alone.
            reasons.append("the bytes are UTF-8: repairing the font text in it")
            return Plan("utf-8", False, 0, charset, charset, 1.0, "font-text", reasons, errors)
        return Plan(charset, True, 0, None, charset, 1.0, "bytes", reasons, errors)
    enc, skip = charset, 0
    if enc == "utf-8-sig":
        enc = "utf-8"
    if enc in ("utf-16", "utf-32"):
        if bom_enc and bom_enc.startswith(enc):
            enc = bom_enc
        elif wide and wide.startswith(enc):
            enc = wide
        else:
            enc += "-le"
    if bom_enc == enc:
        skip = bom
    if enc not in _WIDE and is_binary(data):
        raise DocumentError(name, "binary data, not text")
    return Plan(enc, False, skip, None, None, 1.0, "bytes", reasons, errors)


def plan_stream(sample: Sample, options: Options, name: str = "") -> Plan:
    """Decide how to decode an input from its sample (see the module docstring)."""
    user_errors = _errors_option(options)
    source = (options.source or "auto").strip()
    head = sample.head
    bom_enc, bom = bom_of(head)
    wide = bom_enc if bom_enc in _WIDE else (None if bom_enc else wide_encoding(head))
    data = sample.data[bom:]
    if source.lower() != "auto":
        errors = _DECODE_ERRORS.get(user_errors or "strict", "strict")
        return _explicit_plan(source, sample, data, bom_enc, bom, wide, errors, name)

    errors = _DECODE_ERRORS.get(user_errors or "replace", "vnconv.text.replace")
    if wide or bom_enc:
        enc = wide or bom_enc or "utf-8"
        why = "byte order mark" if bom_enc else "NUL bytes in the pattern of " + enc.upper()
        reasons = [f"{enc.upper()} ({why})"]
        if enc in _WIDE:
            text = _decode_sample(head[bom:], enc)
        else:
            if is_binary(data):
                raise DocumentError(name, "binary data, not text")
            text = _decode_sample(data, enc)
        det = detect(text) if text and not text.isascii() else None
        hint = _font_hint(det) if det is not None else None
        if det is None or hint is None:
            return Plan(enc, False, bom, None, None, 1.0, "unicode", reasons, errors)
        return Plan(enc, False, bom, hint, _is_legacy(hint), det.confidence, det.form, reasons + list(det.reasons),
                    errors, detection=det.charset)
    if is_binary(sample.data):
        raise DocumentError(name, "binary data, not text")
    if not sample.data:
        return Plan("utf-8", False, 0, None, None, 1.0, "empty", ["empty"], errors)
    det = detect(sample.data)
    reasons = list(det.reasons)
    label = (det.charset or "").lower()
    legacy = _is_legacy(det.charset)
    if _is_fallback(det):
        found = _python_codec(det.charset) if det.charset else None
        if found is None or found in _WESTERN:
            # Unknown 8-bit text: each byte becomes its Windows-1252 character (nothing is lost), and repair
            # converts whatever legacy Vietnamese words it finds in that font text.
            return Plan("font-text", False, 0, None, None, det.confidence, "font-text", reasons, errors,
                        detection=det.charset)
        plan = Plan(found, False, 0, None, None, det.confidence, "bytes", reasons, errors, detection=det.charset)
        plan.warnings.append(f"no Vietnamese text found; read as {found} (confidence {det.confidence:.2f})")
        return plan
    if legacy and det.form == "bytes":
        plan = Plan(legacy, True, 0, None, legacy, det.confidence, "bytes", reasons, errors, detection=det.charset)
        if _has_cjk_lines(sample.data, legacy):
            plan.cjk = _CJK
            plan.reasons.append(f"some lines are Chinese ({_CJK}), not {legacy}: they are read as Chinese")
        return plan
    if det.form in ("font-text", "utf8-mojibake") or label in ("utf-8", "utf8", "ascii", "us-ascii", "unicode"):
        enc = _python_codec(getattr(det, "encoding", None) or "utf-8") or "utf-8"
        hint = _font_hint(det)
        form = det.form if det.form in ("font-text", "utf8-mojibake") else "unicode"
        return Plan(enc, False, 0, hint, hint, det.confidence, form, reasons, errors, detection=det.charset)
    found = _python_codec(det.charset) if det.charset else None
    if found is None:
        raise DocumentError(name, f"cannot tell the text encoding (the detector said {det.charset!r}); "
                            "use -f CHARSET")
    plan = Plan(found, False, 0, None, None, det.confidence, det.form, reasons, errors, detection=det.charset)
    plan.warnings.append(f"no Vietnamese text found; read as {found} (confidence {det.confidence:.2f})")
    return plan


# -- streaming ------------------------------------------------------------------------------------------
class _LegacyDecoder:
    """Incremental decoder over a vnconv codec. It decodes whole lines (byte 0x0A is LF in every legacy
    charset), so a combining mark or a VIQR sequence is never cut from its letter; a line longer than
    ``LONG_LINE`` falls back on the codec's own ``decode_partial``."""

    def __init__(self, charset: str, errors: str, cjk: str | None = None, count: bool = True) -> None:
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
        if len(data) < LONG_LINE:
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


def _decoder(plan: Plan, count: bool = True) -> Any:
    if plan.legacy:
        return _LegacyDecoder(plan.encoding, plan.errors, plan.cjk, count)
    if plan.encoding == "font-text":
        return _FontDecoder()
    return codecs.getincrementaldecoder(plan.encoding)(plan.errors)


def _long_pieces(text: str) -> tuple[list[str], str]:
    """Cut text holding no line end into pieces of at most ``LONG_LINE`` characters, each ending after its
    last space (anywhere, in text without spaces); returns the pieces and the rest (shorter than that)."""
    out: list[str] = []
    start = 0
    while len(text) - start > LONG_LINE:  # the rest keeps a character: a CR there may precede an LF
        j = text.rfind(" ", start, start + LONG_LINE) + 1
        end = j if j > start else start + LONG_LINE
        out.append(text[start:end])
        start = end
    return out, text[start:] if start else text


def repair_pieces(pieces: Iterable[str], **options: Any) -> Iterator[str]:
    """Repair text given as pieces (whole lines, or a long line cut after spaces) with one engine: what it
    learns about the document carries from piece to piece. One repaired piece per piece."""
    engine = Repairer(**options)
    for piece in pieces:
        yield engine.feed(piece)


def _cut(text: str) -> int:
    """Where to cut decoded text so that the first part ends with whole lines (0: nowhere)."""
    i = text.rfind("\n")
    if i >= 0:
        return i + 1
    j = text.rfind("\r", 0, len(text) - 1)  # a lone CR (old Mac files), never one that may precede LF
    return j + 1 if j >= 0 else 0


class _Lines:
    """Pairs input lines with repaired lines as both streams advance; counts changed lines and feeds an
    optional unified diff. Repair keeps line ends, so line *i* out is line *i* in."""

    def __init__(self, diff: _UnifiedDiff | None, decoded: str | None = None) -> None:
        self.inp: deque[str] = deque()
        self.out = ""
        self.lines = 0
        self.changed = 0  #: lines whose text is not what the file showed (decoded or repaired)
        self.repaired = 0  #: lines repair changed
        self.diff = diff
        #: the legacy charset the input was decoded from: a line is changed when it differs from its bytes
        #: read as Windows-1252 (how it looked before), which the diff shows
        self.decoded = decoded
        self.looks_changed = _changed_line_pattern(decoded) if decoded else None
        self.mismatch = False
        #: the start of the line still open was compared and dropped (a long line, without a diff): it
        #: differed / it looked changed
        self.open_changed = False
        self.open_looks = False

    def feed_in(self, text: str) -> None:
        self.inp.append(text)

    def feed_out(self, text: str) -> None:
        out = self.out + text if self.out else text
        k = _cut(out)
        if k < len(out) and out[k - 1 : k + 1] == "\r\n":
            k = 0
        if k == 0:
            self.out = out
            self._drop_compared()
            return
        block, self.out = out[:k], out[k:]
        inp = self.inp.popleft() if len(self.inp) == 1 else "".join(self.inp)
        self.inp.clear()
        if (self.diff is None and not (self.open_changed or self.open_looks) and inp.startswith(block)
                and not (len(inp) > k and block[-1] == "\r" and inp[k] == "\n")):
            self.lines += _count_lines(block)
            if self.looks_changed is not None and not block.isascii():
                self.changed += len(self.looks_changed.findall(block))
            if len(inp) > k:
                self.inp.append(inp[k:])
            return
        out_lines = _LINE.findall(block, 0, _ended(block))
        taken = 0
        pos = 0
        in_lines: list[str] = []
        for m in _LINE.finditer(inp, 0, _ended(inp)):
            if taken == len(out_lines):
                break
            if m.end() == len(inp) and inp.endswith("\r"):
                break  # may be half of a CRLF still coming
            in_lines.append(m.group())
            pos = m.end()
            taken += 1
        if taken < len(out_lines):  # the output ran ahead of whole input lines: wait for more input
            self.out = "".join(out_lines[taken:]) + self.out
            out_lines = out_lines[:taken]
        if pos < len(inp):
            self.inp.append(inp[pos:])
        self._compare(in_lines, out_lines)
        self._drop_compared()

    def _drop_compared(self) -> None:
        """A long line open on both sides (no line end yet, no diff to show): compare the start both sides
        hold, remember whether it differed, and drop it, so that a line of any length takes bounded memory."""
        if self.diff is not None or len(self.out) < LONG_LINE or not self.inp:
            return
        inp = self.inp.popleft() if len(self.inp) == 1 else "".join(self.inp)
        self.inp.clear()
        self.inp.append(inp)
        n = min(len(inp), len(self.out)) - 1  # each side keeps a character: a CR there may precede an LF
        if n <= 0 or _cut(inp) or _cut(self.out):
            return  # the input still holds whole lines the output has not reached
        a = inp[:n]
        if not self.open_changed and a != self.out[:n]:
            self.open_changed = True
        if self.looks_changed is not None and not self.open_looks and not a.isascii():
            self.open_looks = self.looks_changed.search(a) is not None
        self.inp[0] = inp[n:]
        self.out = self.out[n:]

    def _compare(self, in_lines: list[str], out_lines: list[str]) -> None:
        diff = self.diff
        decoded = self.decoded
        for a, b in zip(in_lines, out_lines):
            self.lines += 1
            opened, looked = self.open_changed, self.open_looks
            self.open_changed = self.open_looks = False
            if a != b or opened:
                self.repaired += 1
                self.changed += 1
            elif decoded and (looked or (not a.isascii() and self.looks_changed is not None
                                         and self.looks_changed.search(a))):
                self.changed += 1
            if diff is not None:
                diff.pair(self.lines, self._before(a), b)

    def _before(self, text: str) -> str:
        """How decoded legacy text looked before: its bytes read as Windows-1252 (VIQR: as ASCII)."""
        if not self.decoded or text.isascii():
            return text
        from ..charsets.fonttext import font_text

        return font_text(get_codec(self.decoded).encode(text, "replace"))

    def finish(self) -> None:
        rest_in = _split_all("".join(self.inp))
        rest_out = _split_all(self.out)
        self.inp.clear()
        self.out = ""
        self._compare(rest_in, rest_out)
        extra = abs(len(rest_in) - len(rest_out))
        if extra:
            self.mismatch = True
            self.changed += extra
            self.repaired += extra
            if self.diff is not None:
                for line in rest_in[len(rest_out) :]:
                    self.diff.pair(self.lines + 1, self._before(line), None)
                for line in rest_out[len(rest_in) :]:
                    self.diff.pair(self.lines + 1, None, line)
        if self.diff is not None:
            self.diff.finish()


def _count_lines(text: str) -> int:
    n = text.count("\n")
    cr = text.count("\r")
    if cr and cr != n:  # lone CRs (old Mac line ends) count too
        n += cr - text.count("\r\n")
    return n


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _changed_line_pattern(charset: str) -> re.Pattern[str]:
    """A pattern with one match per line of decoded ``charset`` text that differs from its bytes read as
    Windows-1252: a match starts at a character that is not the Windows-1252 character of its own single
    byte, and runs to the line end."""
    found = _PATTERNS.get(charset)
    if found is None:
        from ..charsets.fonttext import FONT_TABLE

        codec = get_codec(charset)
        same = {chr(i) for i in range(128) if codec.table.decode.get(bytes([i]), chr(i)) == chr(i)}
        same |= {ch for ch, seq in codec.table.encode.items()
                 if len(ch) == 1 and len(seq) == 1 and FONT_TABLE[seq[0]] == ch}
        if charset == "viqr":
            same = {chr(i) for i in range(128)}
        klass = "".join(sorted(same - {"\n"}))
        found = re.compile("[^\n" + re.escape(klass) + "][^\n]*")
        _PATTERNS[charset] = found
    return found


def _split_all(text: str) -> list[str]:
    lines = _LINE.findall(text, 0, _ended(text))
    used = sum(map(len, lines))
    if used < len(text):
        lines.append(text[used:])
    return lines


class _UnifiedDiff:
    """A streaming unified diff of paired lines (line *i* old against line *i* new), 3 lines of context."""

    CONTEXT = 3

    def __init__(self, sink: DiffSink, old_name: str, new_name: str) -> None:
        self.sink = sink
        self.header = f"--- {old_name}\n+++ {new_name}\n"
        self.before: deque[str] = deque(maxlen=self.CONTEXT)  # equal lines before the next hunk
        self.open = False
        self.start = 0  # first line number of the open hunk
        self.lines: list[str] = []
        self.n_old = 0
        self.n_new = 0
        self.tail: list[str] = []  # equal lines after the last change of the open hunk
        self.minus: list[str] = []
        self.plus: list[str] = []

    @staticmethod
    def _show(line: str) -> str:
        if line.endswith("\r\n"):
            return line[:-2] + "\n"
        if line.endswith(("\n", "\r")):
            return line[:-1] + "\n"
        return line + "\n\\ No newline at end of file\n"

    def pair(self, number: int, old: str | None, new: str | None) -> None:
        if old is not None and old == new:
            if not self.open:
                self.before.append(old)
                return
            self._flush_change()
            self.tail.append(old)
            if len(self.tail) > 2 * self.CONTEXT:
                rest = self.tail[self.CONTEXT :]
                self._close()
                self.before.extend(rest)
            return
        if not self.open:
            self.open = True
            self.start = number - len(self.before)
            self.lines = [" " + self._show(x) for x in self.before]
            self.n_old = self.n_new = len(self.before)
            self.before.clear()
        elif self.tail:
            self._flush_change()
            self.lines += [" " + self._show(x) for x in self.tail]
            self.n_old += len(self.tail)
            self.n_new += len(self.tail)
            self.tail = []
        if old is not None:
            self.minus.append("-" + self._show(old))
            self.n_old += 1
        if new is not None:
            self.plus.append("+" + self._show(new))
            self.n_new += 1

    def _flush_change(self) -> None:
        if self.minus or self.plus:
            self.lines += self.minus + self.plus
            self.minus, self.plus = [], []

    def _close(self) -> None:
        self._flush_change()
        keep = self.tail[: self.CONTEXT]
        self.lines += [" " + self._show(x) for x in keep]
        n_old, n_new = self.n_old + len(keep), self.n_new + len(keep)
        if self.header:
            self.sink(self.header)
            self.header = ""
        self.sink(f"@@ -{self.start},{n_old} +{self.start},{n_new} @@\n" + "".join(self.lines))
        self.open = False
        self.lines, self.tail = [], []

    def finish(self) -> None:
        if self.open:
            self._close()


def _encoder(target: Target, errors: str) -> Callable[[str], bytes]:
    if target.kind == "legacy":
        pieces = get_codec(target.name).piece_encoder()  # VIQR: a long line is cut anywhere, even in a word
        return lambda text: pieces(text, errors, False)
    if target.kind == "ncr":
        return lambda text: text.encode("ascii", "xmlcharrefreplace")
    if target.is_utf8:
        return lambda text: text.encode("utf-8")
    enc = codecs.getincrementalencoder(target.name)("replace" if errors == "lowercase" else errors)
    return enc.encode


def convert_stream(
    src: IO[bytes],
    dst: IO[bytes] | None,
    options: Options | None = None,
    *,
    name: str = "<stdin>",
    size: int | None = None,
    progress: Progress | None = None,
    diff: DiffSink | None = None,
) -> Result:
    """Convert the text read from ``src`` and write it to ``dst`` (None: write nothing, as for a dry run).

    ``size``: the input's size when known (a seekable file is sampled from its start, middle and end;
    other streams from their first 256 KiB). ``progress(done, total)`` is called after each MiB. ``diff``
    receives a unified diff of the changed lines.
    """
    options = options or Options()
    target = resolve_target(options.target or "unicode")
    errors = _errors_option(options) or "strict"
    if size is None:
        try:
            st = os.fstat(src.fileno())
            size = st.st_size if stat.S_ISREG(st.st_mode) and src.seekable() else None
        except (AttributeError, OSError, ValueError):
            size = None
    if size is not None:
        sample = sample_file(src, size)
        reader: Any = src
    else:
        sample, read = sample_stream(src)
        reader = Prefixed(read, src)
    plan = plan_stream(sample, options, name)
    result = Result(path=name, format="text", charset=plan.charset, confidence=round(plan.confidence, 4))
    result.warnings += plan.warnings
    if plan.bom:
        reader.read(plan.bom)
    decoder = _decoder(plan, options.count)
    differ = _UnifiedDiff(diff, name, name + " (converted)") if diff else None
    # Raw legacy bytes are not repaired: which lines look changed is counted on the bytes, by the decoder.
    counted = plan.legacy and plan.encoding != "viqr" and differ is None and not (
        options.repair and options.tone_style
    )
    counter = None if counted else _Lines(differ, decoded=plan.encoding if plan.legacy else None)
    encode = _encoder(target, errors)
    # Lines are counted for error messages only where encoding can fail (UTF-8/16/32 take every character).
    track = not (target.kind == "unicode" and target.name.startswith("utf"))
    form = "NFD" if target.form == "NFD" or options.form == "NFD" else None
    write_bom = bool(plan.bom) and target.kind == "unicode"
    total = size or 0
    state = {"in": plan.bom, "out": 0}
    nul_check = not plan.wide
    _Counter.replaced = 0

    def pieces() -> Iterator[str]:
        pending = ""
        while True:
            raw = reader.read(CHUNK)
            if raw and nul_check and b"\0" in raw:
                raise DocumentError(name, "binary data, not text")
            try:
                text = decoder.decode(raw, not raw)
            except UnicodeDecodeError as exc:
                offset = state["in"] + max(0, exc.start - (len(exc.object) - len(raw)))
                bad = exc.object[exc.start : exc.start + 1].hex().upper()
                raise DocumentError(
                    name, f"byte 0x{bad} at offset {offset} is not valid {plan.encoding} "
                    "(use -f CHARSET, or --errors replace)"
                ) from None
            state["in"] += len(raw)
            if progress is not None and raw:
                progress(state["in"], total)
            if pending:
                text = pending + text
                pending = ""
            if not raw:
                if text:
                    if counter is not None:
                        counter.feed_in(text)
                    yield text
                return
            k = _cut(text)
            if k:
                if counter is not None:
                    counter.feed_in(text[:k])
                yield text[:k]
            longs, pending = _long_pieces(text[k:] if k else text)
            for piece in longs:
                if counter is not None:
                    counter.feed_in(piece)
                yield piece

    out_lines_before = 0
    first = True
    # Raw legacy bytes say exactly what they are: their codec decodes them (and its lines of Chinese), and
    # the repair engine, which reads font text, would only re-read correct Unicode at a 6-fold cost.
    if options.repair and (not plan.legacy or options.tone_style):
        stream: Iterator[str] = repair_pieces(pieces(), hint=plan.hint, form=options.form,
                                              tone_style=options.tone_style, restore=options.restore)
    else:  # transcoding only
        stream = pieces()
    for out in stream:
        if not out:
            continue
        if form and not unicodedata.is_normalized(form, out):
            out = unicodedata.normalize(form, out)
        if counter is not None:
            counter.feed_out(out)
        try:
            data = encode(out)
        except UnicodeEncodeError as exc:
            where = f"line {out_lines_before + out.count(chr(10), 0, exc.start) + 1}: " if track else ""
            ch = exc.object[exc.start]
            raise DocumentError(
                name, f"{where}{ch!r} (U+{ord(ch):04X}) cannot be written in {target.name} "
                "(use --errors replace, ignore or lowercase)"
            ) from None
        if track:
            out_lines_before += out.count("\n")
        if first:
            first = False
            if write_bom and target.is_utf8:
                data = codecs.BOM_UTF8 + data
        if dst is not None:
            dst.write(data)
        state["out"] += len(data)
    if first and write_bom and target.is_utf8:  # an empty text keeps its byte order mark
        if dst is not None:
            dst.write(codecs.BOM_UTF8)
        state["out"] += len(codecs.BOM_UTF8)
    if counter is not None:
        counter.finish()
    if _Counter.replaced:
        what = "replaced by U+FFFD" if plan.errors != "vnconv.text.ignore" else "dropped"
        result.warnings.append(f"{_Counter.replaced} byte(s) that are not valid {plan.encoding} were {what}")
    if counter is not None and counter.mismatch:
        result.warnings.append("repair changed the number of lines")
    if plan.wide or (plan.bom and target.kind == "unicode" and not target.is_utf8):
        bom_note = " with a byte order mark" if write_bom and target.is_utf8 else ""
        result.warnings.append(f"input was {plan.encoding.upper()}; written as {target.name.upper()}{bom_note}")
    result.changed = decoder.changed if counter is None else counter.changed
    result.details.update(
        encoding=plan.encoding,
        bom=bool(plan.bom),
        form=plan.form,
        hint=plan.hint,
        detected=plan.detection,
        reasons=list(plan.reasons),
        target=target.name + ("-nfd" if form else ""),
        lines=counter.lines if counter is not None else decoder.lines if options.count else None,
        repaired=0 if counter is None else counter.repaired,
        bytes_in=state["in"],
        bytes_out=state["out"],
    )
    return result


def convert_bytes(data: bytes, options: Options | None = None, name: str = "<bytes>") -> tuple[bytes, Result]:
    """Convert a whole text held in memory; returns the output bytes and the :class:`Result`."""
    import io

    out = io.BytesIO()
    result = convert_stream(io.BytesIO(data), out, options, name=name, size=len(data))
    return out.getvalue(), result


# -- the adapter interface -------------------------------------------------------------------------------
def _open(src: Path) -> IO[bytes]:
    try:
        mode = os.stat(src).st_mode
        if stat.S_ISDIR(mode):
            raise DocumentError(str(src), "is a directory, not a file")
        if not stat.S_ISREG(mode):  # a FIFO would block, a device would never end
            raise DocumentError(str(src), "not a regular file")
        return open(src, "rb")
    except OSError as exc:
        raise DocumentError(str(src), exc.strerror or str(exc)) from None


def convert_file(
    src: Path,
    dst: Path,
    options: Options | None = None,
    progress: Progress | None = None,
    diff: DiffSink | None = None,
) -> Result:
    """Convert the text file ``src`` into ``dst`` (written atomically; ``dst`` may be ``src``)."""
    src, dst = Path(src), Path(dst)
    options = options or Options()
    with _open(src) as fh:
        size = os.fstat(fh.fileno()).st_size
        try:
            with atomic_output(dst) as out:
                result = convert_stream(fh, out, options, name=str(src), size=size, progress=progress, diff=diff)
        except OSError as exc:
            raise DocumentError(str(src), f"cannot write {dst}: {exc.strerror or exc}") from None
    result.output = str(dst)
    return result


def dry_run(src: Path, options: Options | None = None, progress: Progress | None = None,
            diff: DiffSink | None = None) -> Result:
    """Convert ``src`` without writing anything: the :class:`Result` (and diff) of a conversion."""
    src = Path(src)
    with _open(src) as fh:
        size = os.fstat(fh.fileno()).st_size
        return convert_stream(fh, None, options, name=str(src), size=size, progress=progress, diff=diff)


def detect_file(src: Path, options: Options | None = None) -> Result:
    """What ``src`` holds (charset, confidence, form, reasons), reading a sample only."""
    src = Path(src)
    options = options or Options()
    with _open(src) as fh:
        size = os.fstat(fh.fileno()).st_size
        plan = plan_stream(sample_file(fh, size), options, str(src))
    result = Result(path=str(src), format="text", charset=plan.charset, confidence=round(plan.confidence, 4))
    result.warnings += plan.warnings
    result.details.update(encoding=plan.encoding, bom=bool(plan.bom), form=plan.form, hint=plan.hint,
                          detected=plan.detection, reasons=list(plan.reasons), size=size)
    return result
