"""VIQR (RFC 1456): Vietnamese in 7-bit ASCII, ``Vie^.t Nam``, ``dd`` for đ, ``\\`` escapes a mark.

VIQR is ambiguous by design: ``.`` ``?`` ``'`` are also punctuation. Decoding reads marks as marks where the
result is Vietnamese and as punctuation where the text says so:

* a mark only modifies the vowel right before it (``a( a^ e^ o^ o+ u+``, then one tone ``' ` ? ~ .``);
  ``dd`` is ``đ`` at the start of a word or after a consonant (``DDH``, ``HDDND``), not after a vowel (``add``);
* URLs and e-mail addresses are left alone; ``\\`` before a mark character makes it literal;
* a word whose marks do not make a valid Vietnamese syllable keeps its ``.`` and a final ``?`` literal
  (``e.g.``, ``dda^u?``); an English contraction keeps its apostrophe (``I'm``, ``you're``);
* a ``.`` or ``?`` that ends a word is weighed: the toned syllable (its frequency, and whether it makes a
  word with its neighbours: ``di.ch vu.``, ``ke^'t qua?``) against the plain one followed by punctuation
  (more likely at the end of a line, impossible before a lowercase word): ``to^i.`` is ``tôi.``, ``vu.`` at
  the end of a line is ``vụ``, ``Mo+?`` is ``Mở``, ``ddi?`` is ``đi?``; ``a..`` is ``ạ.``.

VIQR cannot say which reading is meant (RFC 1456 asks writers to escape, GNU recode does not), so a rare
toned syllable at the end of a sentence can still read as punctuation.

Encoding writes each letter as base + shape mark + tone mark, as RFC 1456 and GNU recode do, and adds a
``\\`` escape only where the decoder would otherwise misread a literal character.
"""

from __future__ import annotations

import re
import unicodedata

from .codec import Codec, decode_errors
from .tables import CharsetTable

__all__ = ["ViqrCodec", "decode_text", "encode_text"]

_SHAPE = {"(": "\u0306", "^": "\u0302", "+": "\u031b"}
_TONE = {"'": "\u0301", "`": "\u0300", "?": "\u0309", "~": "\u0303", ".": "\u0323"}
_SHAPE_OK = {("a", "("), ("a", "^"), ("e", "^"), ("o", "^"), ("o", "+"), ("u", "+")}
_VOWELS = set("aeiouyAEIOUY")
_MARK_CHARS = "(^+'`?~."
_ENGLISH = re.compile(r"(?:i|you|we|they|he|she|it|who|there|that|what|let)'(?:m|re|ll|ve|d|s)$", re.IGNORECASE)

_TOKEN = re.compile(
    r"(?P<url>(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[^\s<>\"]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<esc>\\[\\(^+'`?~.dD])"
    r"|(?P<word>[A-Za-z][A-Za-z(^+'`?~.]*)"
)


def _lex():
    from . import lexicon, syllable

    return lexicon, syllable


def _compose(word: str) -> tuple[str, list[tuple[int, str]]]:
    """Apply every mark in ``word`` that follows a vowel; return the text and the consumed marks
    as (index in word, mark char)."""
    out: list[str] = []
    used: list[tuple[int, str]] = []
    toned = False  # a syllable carries one tone: a second tone mark is a literal character
    i, n = 0, len(word)
    while i < n:
        ch = word[i]
        if (
            ch in "dD"
            and i + 1 < n
            and word[i + 1] in "dD"
            and not (ch == "d" and word[i + 1] == "D")
            and (i == 0 or (word[i - 1].isalpha() and word[i - 1] not in _VOWELS))
        ):
            out.append("Đ" if ch == "D" else "đ")
            used.append((i + 1, word[i + 1]))
            i += 2
            continue
        if ch in _VOWELS:
            comb = ""
            j = i + 1
            if j < n and (ch.lower(), word[j]) in _SHAPE_OK:
                comb += _SHAPE[word[j]]
                used.append((j, word[j]))
                j += 1
            if j < n and word[j] in _TONE and not toned:
                comb += _TONE[word[j]]
                used.append((j, word[j]))
                toned = True
                j += 1
            out.append(unicodedata.normalize("NFC", ch + comb))
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out), used


def _context(after: str) -> float:
    """Prior (in Zipf units) for reading a final "." or "?" as punctuation, from what follows the word."""
    if after == "" or after[0] in "\r\n":
        return 1.0  # end of the text or of a line
    if after[0].isspace():
        nxt = after[-1]
        if "\n" in after or nxt.isspace():
            return 1.0
        if nxt.islower():
            return -4.0  # a sentence does not go on in lowercase
        return 0.5 if nxt.isupper() else 0.0
    return -2.0  # "vu.)" "qua?," : punctuation right after punctuation is unlikely


def _decode_word(word: str, after: str, before: str) -> str:
    """Decode one candidate word. ``after`` is the text that follows it (a character and, when that is
    white space, the first character after the white space); ``before`` is the word before it."""
    if not any(c in _MARK_CHARS for c in word) and "dd" not in word.lower():
        return word
    lexicon, syllable = _lex()
    composed, used = _compose(word)
    if not used:
        return word
    # The syllable proper: the composed word without the literal mark characters that end it.
    valid = syllable.is_syllable(composed.rstrip(_MARK_CHARS))
    last_letter = max(i for i, c in enumerate(word) if c.isalpha())
    keep_literal: set[int] = set()
    for i, m in used:
        if m == "'" and _ENGLISH.match(word):
            keep_literal.add(i)
        elif not valid:
            if m == "." or (m == "?" and i > last_letter):
                keep_literal.add(i)
        elif i == len(word) - 1 and m in ".?":
            # A final "." or "?": the toned syllable, or the plain one followed by punctuation?
            plain = _compose(word[:i])[0]
            if syllable.is_syllable(plain):
                nxt = _NEXT_WORD.match(after.strip()).group() if after.strip() else ""
                toned = lexicon.zipf(composed) + lexicon.pair_score(before, composed)
                toned += lexicon.pair_score(composed, nxt) if nxt else 0.0
                bare = lexicon.zipf(plain) + lexicon.pair_score(before, plain) + _context(after)
                if m == "?":
                    bare -= 0.7  # questions end fewer sentences than statements
                if bare >= toned:
                    keep_literal.add(i)
    if not keep_literal:
        return composed
    # Compose again with the literal marks cut out of reach of their vowel.
    out: list[str] = []
    start = 0
    for i in sorted(keep_literal):
        out.append(_compose(word[start:i])[0])
        out.append(word[i])
        start = i + 1
    out.append(_compose_tail(word[start:]))
    return "".join(out)


def _compose_tail(rest: str) -> str:
    # A piece starting with a mark character after a literal mark: marks here follow no vowel.
    head = len(rest) - len(rest.lstrip(_MARK_CHARS))
    return rest[:head] + (_compose(rest[head:])[0] if rest[head:] else "")


def decode_text(text: str) -> str:
    """VIQR text to Unicode (NFC). Non-ASCII characters pass through unchanged."""
    out: list[str] = []
    pos = 0
    prev_word = ""
    for m in _TOKEN.finditer(text):
        gap = text[pos : m.start()]
        out.append(gap)
        if gap.strip():
            prev_word = ""
        kind = m.lastgroup
        if kind == "url":
            out.append(m.group())
        elif kind == "esc":
            out.append(m.group()[1])
        else:
            word = m.group()
            after = _FOLLOW.match(text, m.end()).group()
            if after[-1:].isalpha():  # the next word, as far as the decision needs it
                after = after[:-1] + _decode_word_start(text, m.end() + len(after) - 1)
            out.append(_decode_word(word, after, prev_word))
            prev_word = out[-1]
        pos = m.end()
    out.append(text[pos:])
    return unicodedata.normalize("NFC", "".join(out))


_FOLLOW = re.compile(r"\s+\S?|.?", re.DOTALL)
_NEXT_WORD = re.compile(r"\w*")
_WORD_AT = re.compile(r"[A-Za-z][A-Za-z(^+'`?~.]*")


def _decode_word_start(text: str, pos: int) -> str:
    """The next word, decoded without its own sentence decisions (for pair evidence)."""
    m = _WORD_AT.match(text, pos)
    return _compose(m.group().rstrip(".?"))[0] if m else text[pos : pos + 1]
_ENCODE: dict[str, str] = {}


def _encode_table(table: CharsetTable) -> dict[str, str]:
    if not _ENCODE:
        for seq, ch in table.decode.items():
            if len(ch) == 1 and len(seq) > 1 and table.encode.get(ch) == seq:
                _ENCODE[ch] = seq.decode("ascii")
    return _ENCODE


_SPACES = re.compile(r"(\s+)")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_CHUNK = re.compile(r"\S+")


def _speller(spell: dict[str, str], errors: str, text: str, offset: int):
    import codecs

    def spelled(ch: str) -> str | None:
        got = spell.get(ch)
        if got is not None:
            return got
        decomposed = unicodedata.normalize("NFD", ch)
        return decomposed if decomposed.isascii() else None

    def sub(m: re.Match[str]) -> str:
        ch = m.group()
        got = spelled(ch)
        if got is not None:
            return got
        start = offset + m.start()
        exc = UnicodeEncodeError("viqr", text, start, start + 1, "character cannot be written in VIQR")
        if errors in ("lowercase", "vnconv.lowercase"):  # a capital VIQR cannot spell, written lowercase
            low = [spelled(c) for c in ch.lower()] if ch.lower() != ch else [None]
            if None in low:
                raise exc
            return "".join(low)  # type: ignore[arg-type]
        if errors == "strict":
            raise exc
        replacement = codecs.lookup_error(errors)(exc)[0]
        return replacement if isinstance(replacement, str) else bytes(replacement).decode("ascii")

    return sub


def _escape(chunk: str) -> str:
    """RFC 1456 escapes for the literal characters of ``chunk`` that a decoder could read as marks."""
    out: list[str] = []
    prev = ""
    for i, ch in enumerate(chunk):
        nxt = chunk[i + 1] if i + 1 < len(chunk) else ""
        if ch in _MARK_CHARS and (prev.isalpha() or prev in _MARK_CHARS and prev):
            out.append("\\" + ch)
        elif ch == "\\" and nxt in "\\(^+'`?~.dD" and nxt:
            out.append("\\\\")
        elif ch in "dD" and nxt in "dD" and nxt and not (ch == "d" and nxt == "D"):
            out.append(ch + "\\")
        else:
            out.append(ch)
        prev = ch
    return "".join(out)


def encode_text(text: str, table: CharsetTable, errors: str = "strict", follow: str | None = None) -> str:
    """Unicode to VIQR; characters VIQR cannot spell go through the codec error handler ``errors``.

    Output is what GNU recode writes, plus a ``\\`` escape on the literal characters the decoder would
    read as marks. ``follow`` is the text that will come after ``text`` when it is a piece of a longer text.
    (A mark the decoder reads as punctuation cannot be forced: VIQR has no syntax for it.)
    """
    spell = _encode_table(table)
    text = unicodedata.normalize("NFC", text)
    chunks = [(m.start(), m.group()) for m in _CHUNK.finditer(text)]
    plain = [_NON_ASCII.sub(_speller(spell, errors, text, start), chunk) for start, chunk in chunks]
    tails = [""] if follow is None else [
        "".join(c for c in unicodedata.normalize("NFD", _FOLLOW.match(f).group()) if c.isascii())
        for f in (follow, follow.lstrip())
    ]

    def assemble(parts: list[str]) -> str:
        out: list[str] = []
        pos = 0
        for (start, chunk), part in zip(chunks, parts):
            out.append(text[pos:start])
            out.append(part)
            pos = start + len(chunk)
        out.append(text[pos:])
        return "".join(out)

    for _ in range(3):
        encoded = assemble(plain)
        decoded = text
        for tail in tails:  # a piece of a longer text must read right whatever comes next
            got = decode_text(encoded + tail)
            if tail:
                got = got[: len(got) - len(decode_text(tail))]
            if got != text:
                decoded = got
                break
        if decoded == text:
            break
        # Decoding keeps white space, so chunks line up: escape the ones that read back differently.
        changed = False
        for k, (m, (start, chunk)) in enumerate(zip(_CHUNK.finditer(decoded), chunks)):
            if m.group() != chunk and plain[k] != (escaped := _NON_ASCII.sub(_speller(spell, errors, text, start), _escape(chunk))):
                plain[k] = escaped
                changed = True
        if not changed:
            break
    return assemble(plain)


class ViqrCodec(Codec):
    """VIQR as a byte codec: ASCII bytes in and out."""

    def __init__(self, table: CharsetTable) -> None:
        self.name = table.name
        self.table = table

    def decode(self, data: bytes, errors: str = "strict") -> str:
        try:
            text = bytes(data).decode("ascii", decode_errors(errors))
        except UnicodeDecodeError as exc:
            raise UnicodeDecodeError("viqr", exc.object, exc.start, exc.end, "VIQR is 7-bit ASCII") from None
        return decode_text(text)

    def decode_partial(self, data: bytes, errors: str = "strict") -> tuple[str, int]:
        """Keep back the last word: its marks and the character after it decide how it reads. The words
        before it are read with what follows them (``Tu+. do`` is ``Tự do``), then cut at the same place."""
        data = bytes(data)
        cut = max(data.rfind(b" "), data.rfind(b"\n"), data.rfind(b"\t"), data.rfind(b"\r"))
        if cut <= 0:
            return "", 0
        whole = self.decode(data, errors)
        keep = len(_SPACES.split(data[:cut].decode("ascii", "replace")))  # pieces: word, space, word …
        pieces = _SPACES.split(whole)
        return "".join(pieces[:keep]), cut

    def can_encode(self, ch: str) -> bool:
        return ch.isascii() or ch in _encode_table(self.table)

    def encode_piece(self, text: str, errors: str = "strict", final: bool = False, before: str = "") -> bytes:
        """Encode a piece of a longer text: a literal "." or "?" at its end is escaped, since the text that
        follows (unknown yet) could make it read as a mark; so is a mark character at its start that follows
        a letter of the previous piece."""
        out = encode_text(text, self.table, errors, follow=None if final else " a")
        if out[:1] in _MARK_CHARS and out and (before.isalpha() or before in _MARK_CHARS and before):
            out = "\\" + out
        # A literal mark at the end of a piece: the next piece may continue the word, so escape it.
        last = text[-1:]
        if not final and last and last in _MARK_CHARS and len(text) > 1 and (text[-2].isalpha() or text[-2] in _MARK_CHARS):
            if not out.endswith("\\" + last):
                out = out[:-1] + "\\" + last
        return out.encode("ascii")

    def encode(self, text: str, errors: str = "strict") -> bytes:
        return encode_text(text, self.table, errors).encode("ascii")
