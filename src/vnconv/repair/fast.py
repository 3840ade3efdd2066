"""The fast path: text with no legacy signal leaves after one scan.

The engine changes nothing unless some word is *evidence* for a legacy reading, and a word can be evidence
only if it is font text (every character in the range Windows-1252 shows) with a non-ASCII letter, and it is
no Vietnamese word as it stands (see :mod:`vnconv.repair.evidence`: a charset is considered only on such a
count; a word like ``hoµ`` only supports a count other words make). So a text whose font-text words that
are not ASCII all stand as valid words cannot change (unless it holds VIQR lines or UTF-8 words cut at a
no-break space, looked for apart).

:func:`quiet` finds those words with C machinery only: one charmap encode turns the text into bytes in which
every character font text cannot hold is a separator (``?``), a translate turns every other separator into a
space, and ``bytes.split`` gives the words; only the distinct words that are not ASCII are looked at, one
cached verdict each. Font text in control characters (U+0080–U+009F) or in symbol-font code points
(U+F000–U+F0FF) is left to the engine.
"""

from __future__ import annotations

import codecs
import functools
import re

from .._cache import cached
from ..charsets.fonttext import _NOT_FONT, FONT_TABLE
from ..language import syllable
from .evidence import Evidence
from .options import DEFAULT_CHARSETS
from .readings import analyse, core_of, score
from .scale import FOREIGN, MOJIBAKE
from .nbsp import may_hold_cut_words, restore_nbsp
from .tokens import WORDS
from .viqr_lines import may_hold_viqr, viqr_hint

__all__ = ["quiet", "quiet_part", "font_words"]

_PUNCT = [b for b in range(0x21, 0x7F) if not chr(b).isalnum() and b != 0x3F]  # ASCII punctuation but "?"
_C1 = [c for c in range(0x80, 0xA0) if chr(c) not in FONT_TABLE]  # control characters no byte shows


def _tables() -> tuple[object, str, bytes]:
    """The encoding map, its decoding table and the byte translation of :func:`font_words`.

    Byte slots of ASCII punctuation (a separator whatever it is) hold the control characters U+0080–U+009F
    that font text shows for no byte, so that they are seen (as byte 0x81) instead of cutting a word."""
    table = list(FONT_TABLE)
    for slot, c in zip(_PUNCT, _C1):
        table[slot] = chr(c)
    for slot in _PUNCT[len(_C1):]:
        table[slot] = "\ufffe"  # unmapped: encodes as "?", a separator like the punctuation it was
    decoding = "".join(table)
    space = b" "[0]
    trans = bytearray(range(256))
    for b in (*_PUNCT, 0x3F, *b"\t\n\v\f\r\x1c\x1d\x1e\x1f"):
        trans[b] = space
    for slot in _PUNCT[: len(_C1)]:
        trans[slot] = 0x81
    return codecs.charmap_build(decoding), decoding, bytes(trans)


_ENCODING, _DECODING, _TRANSLATE = _tables()
codecs.lookup("utf-16-le")  # loaded with the module, not by the first text
#: Characters that are never in correct Vietnamese and always in some font text (``hoµ``): a part with one
#: is analysed even when it cannot decide alone, since it marks the charsets that make a word of it.
_SIGNAL = re.compile(
    "[\u0080-\u00bf\u00c4-\u00c7\u00cb\u00ce-\u00d1\u00d6-\u00d8\u00db\u00dc\u00de\u00df\u00e4-\u00e7\u00eb"
    "\u00ee-\u00f1\u00f6-\u00f8\u00fb\u00fc\u00fe\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2020-\u2022\u2030\u2039\u203a\u20ac\u2122]"
)
_CONTROL = frozenset(chr(c) for c in range(0x80, 0xA0))
_SHORT = 256  #: below this many characters :func:`_by_pattern` is faster (3 against 5.5 us a line), above the bytes


def _word_pattern() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The words :func:`_by_bytes` finds, as one pattern on the text (ASCII word characters, then a font-text
    character that is not ASCII, then both), made from the same tables: an ASCII character is in a word when
    the scan does not make it white space; every font-text character above ASCII is, but the C1 controls,
    which the scan returns None for (as it does for U+F0xx: the second pattern)."""
    white = b" \t\n\r\x0b\x0c"
    ascii_in = [c for c in range(128) if codecs.charmap_encode(chr(c), "replace", _ENCODING)[0].translate(_TRANSLATE)
                not in [bytes([w]) for w in white]]
    above = sorted({ord(c) for c in FONT_TABLE if ord(c) > 0x9F})
    a = "".join(f"\\x{c:02x}" for c in ascii_in)
    n = "".join(f"\\x{c:02x}" if c < 256 else f"\\u{c:04x}" for c in above)
    return re.compile(f"[{a}]*[{n}][{a}{n}]*"), re.compile("[\u0080-\u009f\uf000-\uf0ff]")


_WORD, _NOT_SCANNED = _word_pattern()


def font_words(text: str) -> set[str] | None:
    """The distinct words of ``text`` (as :data:`~vnconv.repair.tokens.WORDS` cuts them) made only of font
    text with a character that is not ASCII; pieces of words that hold other characters may come too. None
    when the text holds a control character U+0080–U+009F or a symbol-font code point U+F000–U+F0FF (font
    text the scan does not map; the engine reads those)."""
    return _by_pattern(text) if len(text) < _SHORT else _by_bytes(text)


def _by_pattern(text: str) -> set[str] | None:
    """:func:`font_words` by one pattern (the faster way on a short text)."""
    return None if _NOT_SCANNED.search(text) else set(_WORD.findall(text))


def _by_bytes(text: str) -> set[str] | None:
    """:func:`font_words` by C-level byte operations (the faster way on a long text)."""
    if b"\xf0" in text.encode("utf-16-le")[1::2]:
        return None  # the high byte of every UTF-16 unit: U+F0xx is there
    data = codecs.charmap_encode(text, "replace", _ENCODING)[0].translate(_TRANSLATE)
    words = [t for t in set(data.split()) if not t.isascii()]
    if not words:
        return set()
    decoded = codecs.charmap_decode(b" ".join(words), "strict", _DECODING)[0]
    if not _CONTROL.isdisjoint(decoded):
        return None
    return set(decoded.split(" "))


#: In the syllables joined by spaces and encoded as font text: a syllable of font text that is not ASCII.
_FONT_SYLLABLE = re.compile(rb"(?<![^ ])[^ ?\x80-\xff]*[\x80-\xff][^ ?]*(?![^ ])")


@functools.cache
def known_quiet() -> frozenset[str]:
    """The syllables (lower, Title and UPPER case) that are font text with a character that is not ASCII:
    the words :func:`font_words` finds most in correct Vietnamese (``có``, ``Hà``, ``VÀ``), each quiet by
    :func:`_quiet_word`, looked up with one set difference instead of one call each. Compiled once from the
    syllable inventory (the lowercase syllables that are font text, then their cases: the capitals of
    Latin-1 letters are Latin-1 letters)."""
    return frozenset(cached("known-quiet", _compute_known_quiet))


def _compute_known_quiet() -> tuple[str, ...]:
    """(A tuple for the cache: marshal sorts a set to write it.)"""
    joined = " ".join(syllable.all_syllables())
    data = codecs.charmap_encode(joined, "replace", _ENCODING)[0]  # "?" where a letter is no font text
    low = codecs.charmap_decode(b" ".join(_FONT_SYLLABLE.findall(data)), "strict", _DECODING)[0]
    return tuple(syllable.case_forms(low.split(" ")))


@functools.lru_cache(maxsize=1 << 16)
def _quiet_word(word: str) -> bool:
    """Whether one font-text word that is not ASCII can neither be evidence for a legacy reading (a word with
    letters that is no word as it stands) nor support one (a wrong decoding as it stands, ``hoµ``)."""
    if syllable.is_syllable(word):
        return True  # the common case, without the whole scoring
    s = score(word, legacy=False)
    if s is None or s > FOREIGN:
        return True
    core = core_of(word)
    return s > MOJIBAKE and (not core or core.isascii())


def quiet(text: str, viqr: bool, charsets: tuple[str, ...] = DEFAULT_CHARSETS) -> bool:
    """True when repairing ``text`` with a fresh engine (no hint, candidate ``charsets``) cannot change it:
    no word that is evidence for a legacy reading, no UTF-8 word cut at a no-break space, and (``viqr``: when
    VIQR is looked for) no VIQR line."""
    if text.isascii():
        return not (viqr and viqr_hint(text))
    evidence: list[Evidence] = []  # made when the first loud word comes (most texts have none)
    if len(text) > _HEAD and not _silent(text[:_HEAD], charsets, evidence):
        return False  # legacy text shows itself at once: do not scan the rest
    if viqr and may_hold_viqr(text):
        return False
    if may_hold_cut_words(text) and restore_nbsp(text, charsets)[1]:
        return False
    return _silent(text, charsets, evidence)


_HEAD = 1 << 14  #: characters of a long text looked at first
_BATCH = 32  #: loud words analysed before the evidence is asked again


def _silent(text: str, charsets: tuple[str, ...], evidence: list[Evidence]) -> bool:
    """Whether the words of ``text`` that are no Vietnamese as they stand (a name, a typo, French) give no
    evidence for any charset (evidence from the other words could only take charsets away). ``evidence``: the
    text's evidence so far, kept between calls (empty until a loud word is counted)."""
    words = font_words(text)
    if words is None:
        return False
    loud: list[str] = []
    for w in words.difference(known_quiet()):
        if not _quiet_word(w):
            loud.append(w)
            if len(loud) == _BATCH:  # legacy text shows itself in its first loud words: stop there
                if _count(loud, charsets, evidence).allowed():
                    return False
                loud = []
    if loud:
        _count(loud, charsets, evidence)
    return not evidence or not evidence[0].allowed()  # (no word counted: nothing allowed)


def _count(words: list[str], charsets: tuple[str, ...], evidence: list[Evidence]) -> Evidence:
    if not evidence:
        evidence.append(Evidence())
    evidence[0].add(analyse(words, charsets).values())
    return evidence[0]


@functools.lru_cache(maxsize=1 << 16)
def quiet_part(part: str) -> bool:
    """Whether no word of one part (no white space in it) can be evidence for a legacy reading, or support
    another word's (a legacy-only character: see :data:`_SIGNAL`)."""
    if part.isascii():
        return True
    if _SIGNAL.search(part):
        return False
    return all(
        w.isascii() or _NOT_FONT.search(w) is not None or _quiet_word(w) for w in WORDS.findall(part)
    )
