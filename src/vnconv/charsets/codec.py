"""Table-driven transcoders for the legacy byte charsets, compiled from :mod:`vnconv.charsets.tables`
(:func:`vnconv.charsets.registry.compile_codec` picks the class for a table).

Two engines, both running on CPython's C codec machinery rather than per-character Python loops:

* :class:`SingleByteCodec` (TCVN3, VISCII, VPS, …): ``codecs.charmap_decode`` with a 256-character table and
  ``codecs.charmap_encode`` with an ``EncodingMap`` — the machinery of CPython's own cp1252.
* :class:`CombiningCodec` (VNI, VN1, CP1258, …): a base letter may be followed by mark bytes. By definition
  the result is NFC of the per-byte decodings. The fast path computes that without per-character Python:
  each position gets a 16-bit code (its own class, the mark class of the next byte), built with
  ``bytes.translate`` and a UTF-16 view; one ``charmap_encode`` through an ``EncodingMap`` turns every code
  into the output symbol of that position (a character, a composed letter, or "mark absorbed by the
  letter before"); one ``charmap_decode`` turns symbols into text. Whatever the fast path has no symbol
  for (a rare byte, a mark after a non-vowel, two marks in a row, an undefined byte) becomes an escape
  symbol, and that piece is decoded by the exact slow path: ``charmap_decode`` with a dict, then NFC.

Encoding normalises to NFC (only when the input is not NFC already) and uses ``charmap_encode``; a
character the charset lacks is tried in its canonical decomposition before the ``errors`` policy applies.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Callable

from ..language.letters import LETTERS
from .tables import CharsetTable, load_table

__all__ = ["Codec", "SingleByteCodec", "CombiningCodec", "decode_errors", "encode_handler"]

#: Decoding works on pieces small enough to stay in the CPU cache.
CHUNK = 1 << 14
_SMALL = 512
_UNDEFINED = "\ufffe"  # "no mapping" in charmap tables


class Codec:
    """A compiled charset: one-shot ``decode``/``encode`` plus what incremental codecs need."""

    name: str
    table: CharsetTable

    def decode(self, data: bytes, errors: str = "strict") -> str:
        """Decode all of ``data``; the result is NFC."""
        raise NotImplementedError

    def decode_partial(self, data: bytes, errors: str = "strict") -> tuple[str, int]:
        """Decode what is complete in ``data``; return the text and the number of bytes consumed."""
        return self.decode(data, errors), len(data)

    def piece_decoder(self) -> Callable[[bytes, str, bool], tuple[str, int]]:
        """A function ``(data, errors, final) -> (text, bytes consumed)`` that decodes the successive pieces
        of one input: what it does not consume comes back at the front of the next piece; ``final`` decodes
        all of ``data``. Charsets whose reading depends on context (VIQR) return one that remembers it."""

        def pieces(data: bytes, errors: str = "strict", final: bool = False) -> tuple[str, int]:
            return (self.decode(data, errors), len(data)) if final else self.decode_partial(data, errors)

        return pieces

    def encode(self, text: str, errors: str = "strict") -> bytes:
        """Encode ``text`` (NFC or not)."""
        raise NotImplementedError

    def piece_encoder(self) -> Callable[[str, str, bool], bytes]:
        """A function ``(text, errors, final) -> bytes`` that encodes the successive pieces of one text,
        keeping nothing back (Python's TextIOWrapper never tells an encoder that the text has ended, so a
        buffering encoder would lose the end of a file). Charsets whose reading depends on context (VIQR)
        return one that remembers what it wrote."""
        return lambda text, errors="strict", final=False: self.encode(text, errors)

    def can_encode(self, ch: str) -> bool:
        """True if the single character ``ch`` has an encoding."""
        return ch in self.table.encode


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


# -- encode error handling ---------------------------------------------------------------------------------
_HANDLERS: dict[tuple[str, str], str] = {}


def encode_handler(codec: Codec, errors: str) -> str:
    """The name of a codec error handler for ``codec`` that spells an unencodable character by its
    canonical decomposition when it can (``ǹ`` -> ``n`` + grave), and otherwise applies ``errors``.

    ``errors="lowercase"`` writes a capital that the charset lacks as its lowercase: the form that
    uppercase-drawing fonts such as ``.VnTimeH`` expect.
    """
    key = (codec.name, errors)
    known = _HANDLERS.get(key)
    if known is not None:
        return known
    lowercase = errors in ("lowercase", "vnconv.lowercase")
    base = None if lowercase or errors == "strict" else codecs.lookup_error(errors)
    reason = "character cannot be encoded in " + codec.name

    def spell(ch: str) -> str | None:
        if codec.can_encode(ch):
            return ch
        parts = unicodedata.normalize("NFD", ch)
        if parts != ch and all(codec.can_encode(p) for p in parts):
            return parts
        return None

    def handler(exc: UnicodeError) -> tuple[str | bytes, int]:
        if not isinstance(exc, UnicodeEncodeError):
            raise exc
        start = exc.start
        ch = exc.object[start]
        found = spell(ch)
        if found is None and lowercase and ch.lower() != ch:
            found = spell(ch.lower())
        if found is not None and found != ch:
            return found, start + 1
        err = UnicodeEncodeError(codec.name, exc.object, start, start + 1, reason)
        if base is None:
            raise err
        return base(err)

    name = f"vnconv.{codec.name}.{errors}"
    codecs.register_error(name, handler)
    _HANDLERS[key] = name
    return name


def _lowercase_handler(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler ``vnconv.lowercase``, for ``str.encode("tcvn3", "vnconv.lowercase")``."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    chunk = exc.object[exc.start : exc.end]
    lower = chunk.lower()
    if lower == chunk:
        raise exc
    return lower, exc.end


codecs.register_error("vnconv.lowercase", _lowercase_handler)


def decode_errors(errors: str) -> str:
    """The codec error handler to decode with under ``errors``: "lowercase" is a policy for encoding, so a
    decoding error under it is raised as under "strict" (by the "vnconv.lowercase" handler)."""
    return "vnconv.lowercase" if errors == "lowercase" else errors


# -- single byte -------------------------------------------------------------------------------------------
class SingleByteCodec(Codec):
    """One byte, one character: TCVN3, VISCII, VPS, BKHCM1, VIETWARE-F."""

    def __init__(self, table: CharsetTable) -> None:
        self.name = table.name
        self.table = table
        dec = [_UNDEFINED] * 256
        for b, s in table.single.items():
            if len(s) != 1:
                raise ValueError(f"{table.name}: a single-byte table maps {b:02X} to {len(s)} characters")
            dec[b] = s
        self.decoding_table = "".join(dec)
        # EncodingMap of the one-byte encodings (U+FFFE marks an unused slot); best-fit rows that share a
        # byte with a round-trip row stay in the dict used when the EncodingMap fails.
        enc = [_UNDEFINED] * 256
        for ch, seq in table.encode.items():
            if len(seq) == 1 and enc[seq[0]] == _UNDEFINED and table.decode.get(seq) == ch:
                enc[seq[0]] = ch
        self._encoding_map = codecs.charmap_build("".join(enc))
        self._encode_dict = {ord(ch): seq for ch, seq in table.encode.items()}

    def decode(self, data: bytes, errors: str = "strict") -> str:
        try:
            return codecs.charmap_decode(data, decode_errors(errors), self.decoding_table)[0]
        except UnicodeDecodeError as exc:
            raise UnicodeDecodeError(self.name, exc.object, exc.start, exc.end, exc.reason) from None

    def encode(self, text: str, errors: str = "strict") -> bytes:
        try:
            return codecs.charmap_encode(text, "strict", self._encoding_map)[0]
        except UnicodeEncodeError:
            pass
        return codecs.charmap_encode(_nfc(text), encode_handler(self, errors), self._encode_dict)[0]


# -- base + marks ------------------------------------------------------------------------------------------
# Order in which single characters get a fast-path symbol after ASCII and the Vietnamese letters.
_COMMON = (
    "\t\n\r\u00a0\u201c\u201d\u2018\u2019\u2013\u2014\u2026\u00ab\u00bb\u2022\u00b0\u00a7\u00a9\u00ae"
    "\u00b1\u00d7\u00f7\u00b7\u2122\u20ac\u00bc\u00bd\u00be\u00ad\u00b2\u00b3\u00b5\u00b6\u00a3\u00a5\u00a2\f"
)


def _single_rank(ch: str) -> tuple[int, int]:
    if " " <= ch <= "~":
        return (0, ord(ch))
    if ch in LETTERS:
        return (1, ord(ch))
    if ch in _COMMON:
        return (2, _COMMON.index(ch))
    return (3 if ch.isalpha() else 4, ord(ch))


class CombiningCodec(Codec):
    """Base bytes followed by mark bytes that the font draws over them: VNI, VN1, CP1258, BKHCM2, ….

    Decoding is NFC of the per-byte decodings (a mark byte decodes to combining characters).
    """

    SENT = 0x00  #: symbol of a mark absorbed by the letter before it (deleted from the output)
    ESC = 0x3F  #: symbol of "use the slow path"; equals ord("?"), what charmap_encode's "replace" writes

    def __init__(self, table: CharsetTable) -> None:
        self.name = table.name
        self.table = table
        single = table.single
        self._decode_dict = dict(single)
        self.marks = frozenset(b for b, s in single.items() if s and unicodedata.combining(s[0]))
        self._encode_dict = {ord(ch): seq for ch, seq in table.encode.items()}
        # When every character encodes to one byte (VN1), an EncodingMap is several times faster than a dict.
        self._encode_map: object = self._encode_dict
        if all(len(seq) == 1 for seq in table.encode.values()):
            slots = [_UNDEFINED] * 256
            for ch, seq in table.encode.items():
                if slots[seq[0]] == _UNDEFINED and table.decode.get(seq) == ch:
                    slots[seq[0]] = ch
            if sum(c != _UNDEFINED for c in slots) == len(table.encode):
                self._encode_map = codecs.charmap_build("".join(slots))
        self._build_fast_path(single)

    def _build_fast_path(self, single: dict[int, str]) -> None:
        marks = sorted(self.marks)
        if len(marks) > 0xD7:  # the 16-bit codes must stay below the surrogates
            raise ValueError(f"{self.name}: too many mark bytes")
        mark_index = {m: i + 1 for i, m in enumerate(marks)}
        free = iter(z for z in range(256) if z not in (self.SENT, self.ESC))
        slots = 254
        # Pairs (base byte, mark byte): the table's canonical two-byte spellings first.
        canonical = {seq: ch for seq, ch in self.table.decode.items() if len(seq) == 2 and seq[1] in self.marks}
        extra: dict[bytes, str] = {}
        for b, s in sorted(single.items()):
            if b in self.marks or len(s) != 1:
                continue
            for m in marks:
                comp = unicodedata.normalize("NFC", s + single[m])
                if len(comp) == 1 and comp in LETTERS and bytes([b, m]) not in canonical:
                    extra[bytes([b, m])] = comp
        ranked = sorted((b for b, s in single.items() if b not in self.marks and len(s) == 1), key=lambda b: _single_rank(single[b]))
        # ASCII, the Vietnamese letters and common punctuation first, then other compositions (a lowercase
        # base with a capital-form mark, a tone byte after a precomposed vowel), then rarer characters.
        room = slots - len(canonical)
        common = [b for b in ranked if _single_rank(single[b])[0] <= 2]
        if room < 100:
            raise ValueError(f"{self.name}: the fast path cannot hold its canonical pairs and ASCII")
        chosen = common[:room]
        room -= len(chosen)
        extra_items = sorted(extra.items(), key=lambda kv: (kv[0][0] >= 0x80, kv[0]))[:room]
        room -= len(extra_items)
        chosen += [b for b in ranked if b not in chosen][:room]
        symbols = [_UNDEFINED] * 256
        code_to_symbol: dict[int, int] = {self.ESC: self.ESC, self.SENT: self.SENT}
        own = bytearray([self.ESC]) * 256  # class of a byte in its own position
        for m in marks:
            own[m] = self.SENT
        for b in chosen:
            z = next(free)
            own[b] = z
            symbols[z] = single[b]
            code_to_symbol[z] = z
        pairs = 0
        for seq, ch in list(canonical.items()) + extra_items:
            if own[seq[0]] in (self.ESC, self.SENT):
                continue
            z = next(free)
            symbols[z] = ch
            code_to_symbol[own[seq[0]] | mark_index[seq[1]] << 8] = z
            pairs += 1
        nxt = bytearray(256)  # class of a byte seen from the position before it
        for m, i in mark_index.items():
            nxt[m] = i
        inverse = [_UNDEFINED] * 256
        for code, z in code_to_symbol.items():
            inverse[z] = chr(code)
        self._own = bytes(own)
        self._next = bytes(nxt)
        self._code_map = codecs.charmap_build("".join(inverse))
        self._symbols = "".join(symbols)
        self._sent = bytes([self.SENT])
        #: How many single characters and pairs the fast path decodes without escaping (for tests/docs).
        self.fast_singles = len(chosen)
        self.fast_pairs = pairs

    def _fast(self, chunk: bytes, lookahead: int) -> str | None:
        """Decode ``chunk`` (followed by byte ``lookahead``, or -1 at the end) on the fast path; None if
        something in it needs the slow path."""
        n = len(chunk)
        if not n:
            return ""
        if chunk[0] in self.marks:
            return None  # a mark whose base is outside the chunk
        buf = bytearray(2 * n)
        buf[0::2] = chunk.translate(self._own)
        if n > 1:
            buf[1 : 2 * n - 2 : 2] = memoryview(chunk.translate(self._next))[1:]
        buf[-1] = self._next[lookahead] if lookahead >= 0 else 0
        z = codecs.charmap_encode(codecs.utf_16_le_decode(buf)[0], "replace", self._code_map)[0]
        if self.ESC in z:
            return None
        return codecs.charmap_decode(z.translate(None, self._sent), "strict", self._symbols)[0]

    def _slow(self, data: bytes, start: int, stop: int, errors: str) -> str:
        try:
            text = codecs.charmap_decode(data[start:stop], decode_errors(errors), self._decode_dict)[0]
        except UnicodeDecodeError as exc:
            raise UnicodeDecodeError(self.name, data, start + exc.start, start + exc.end, exc.reason) from None
        return unicodedata.normalize("NFC", text)

    def _cut(self, data: bytes, pos: int) -> int:
        """The first position at or after ``pos`` that does not hold a mark: a safe place to cut."""
        n = len(data)
        while pos < n and data[pos] in self.marks:
            pos += 1
        return pos

    def _pieces(self, data: bytes, start: int, stop: int, size: int, errors: str) -> list[str]:
        out: list[str] = []
        pos = start
        n = len(data)
        while pos < stop:
            end = stop if stop - pos <= size else min(stop, self._cut(data, pos + size))
            text = self._fast(data[pos:end], data[end] if end < n else -1)
            if text is None:
                if size > _SMALL:  # retry in small pieces: one rare byte should not slow a whole chunk
                    text = "".join(self._pieces(data, pos, end, _SMALL, errors))
                else:
                    text = self._slow(data, pos, end, errors)
            out.append(text)
            pos = end
        return out

    def decode(self, data: bytes, errors: str = "strict") -> str:
        data = bytes(data)
        return "".join(self._pieces(data, 0, len(data), CHUNK, errors))

    def decode_partial(self, data: bytes, errors: str = "strict") -> tuple[str, int]:
        """Keep back the last base byte and its marks: the next input may add marks to it."""
        data = bytes(data)
        keep = len(data)
        while keep > 0 and data[keep - 1] in self.marks:
            keep -= 1
        keep = max(keep - 1, 0)
        return "".join(self._pieces(data, 0, keep, CHUNK, errors)), keep

    def encode(self, text: str, errors: str = "strict") -> bytes:
        nfc = _nfc(text)
        try:
            return codecs.charmap_encode(nfc, "strict", self._encode_map)[0]
        except UnicodeEncodeError:
            pass
        # Composition can leave a mark the charset lacks (Û + dot below -> Ụ + circumflex); the text as
        # given decodes to the same NFC, so use it when it encodes.
        if nfc is not text:
            try:
                return codecs.charmap_encode(text, "strict", self._encode_dict)[0]
            except UnicodeEncodeError:
                pass
        return codecs.charmap_encode(nfc, encode_handler(self, errors), self._encode_dict)[0]
