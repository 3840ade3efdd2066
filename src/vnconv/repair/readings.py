"""The ways one word of damaged text can be read, and how Vietnamese each reading looks.

A *word* is a run of characters between white space and ASCII punctuation (``hoµ``, ``Vieät``, ``Viá»‡t``).
Its *readings*: as it stands (Unicode); as font text of each legacy charset (its Windows-1252 bytes decoded by
that charset); as UTF-8 read as Windows-1252 (``Viá»‡t``), also over font text. Each reading gets a score in
Zipf units (:mod:`vnconv.repair.scale`), so scores add up like log probabilities:

* a valid Vietnamese syllable scores its frequency (an unattested valid syllable scores :data:`UNSEEN`);
* a word without letters, or ASCII as it stands, carries no evidence (``None``);
* an invalid word scores :data:`FOREIGN` as it stands (French ``été``, a typo, a name) but :data:`MOJIBAKE`
  when it carries the marks of a wrong decoding (``hoµ``, ``ViÖt``, ``Vieät``), and :data:`GARBAGE` as a legacy
  reading (a decoding that produces nonsense is evidence against it);
* a legacy reading of a charset that keeps a letter in byte 0xAD (TCVN3 ``ư``, VISCII ``ễ``) also offers the
  words that lost that letter (``Dơng`` → ``Dương``), scored at their frequency less :data:`RESTORE_COST`.

Words are analysed in batches: each charset decodes all new words in one C-level call.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import regex

from .._cache import cached
from ..language import lexicon, syllable
from ..language.letters import ALPHABET
from ..charsets.fonttext import _NOT_FONT, font_bytes
from ..charsets.registry import get_codec
from .scale import GLUE_COST, KNOWN_WORD, COMPOUND, FOREIGN, GARBAGE, LOWERCASE_FONT, MISPLACED_TONE, MOJIBAKE, RESTORE_COST, UNSEEN

__all__ = [
    "Word",
    "analyse",
    "score",
    "restorations",
    "core_of",
    "font_initial",
    "vietnamese_letters",
    "recase",
    "LOST_LETTER",
    "UNSEEN",
    "FOREIGN",
    "MOJIBAKE",
    "GARBAGE",
    "RESTORE_COST",
]


#: The letter each charset keeps in byte 0xAD, the soft hyphen that viewers and converters drop.
LOST_LETTER = {"tcvn3": "ư", "tcvn5712": "ư", "viscii": "ễ"}

# Characters that are not letters: stripped from the ends of a word before it is looked up.
_NON_LETTERS = "".join(
    chr(c)
    for c in list(range(0x21, 0x41)) + list(range(0x5B, 0x61)) + list(range(0x7B, 0x7F)) + list(range(0xA0, 0xC0))
    + [0xD7, 0xF7, 0x2013, 0x2014, 0x2018, 0x2019, 0x201A, 0x201C, 0x201D, 0x201E, 0x2020, 0x2021, 0x2022, 0x2026,
       0x2030, 0x2039, 0x203A, 0x20AC, 0x2122, 0x0192, 0x02C6, 0x02DC, 0x3001, 0x3002, 0xFF0C]
    + list(range(0x80, 0xA0))
)
# Windows-1252/Latin-1 symbols that are letters in font text; a word that holds one (outside the usual
# quotes and dashes) does not stand as it is.
_SYMBOLS = "\u0080-\u009f\u00a2-\u00aa\u00ac-\u00af\u00b1-\u00ba\u00bc-\u00be\u00d7\u00f7\u0192\u02c6\u02dc\u2020\u2021\u2022\u2030\u20ac\u2122\u00ad"
# ... next to a letter: "hoµ", "x·", "§¶ng". (Not ° in 25°C or n°, ¿ ¡ opening a Spanish word, quotes.)
_FONT_SYMBOL = regex.compile(f"\\p{{L}}[{_SYMBOLS}]|[{_SYMBOLS}]\\p{{L}}|[\u0080-\u009f\u00ad]")
# VNI's marks that are letters of Vietnamese or of European words, after a vowel where no Vietnamese syllable
# has them and no word of the European catalogs does (tests/test_repair.py): acute ù (thaùng, caù, lôùn; not
# French où, nor giùm), hook û (nhoû, hoûi; not coût, août), dot ï after ơ/ư and in capitals (lôïi, HOÏC; not
# naïf, Hanoï), circumflex + acute á after e before a final (bieát, neáu; not Hungarian beállít, Greek Stereá),
# à after a. No misplaced tone either: giaù is VNI giá, not giàu.
_VNI_MARKS = regex.compile(
    r"[aeuyôöAEUYÔÖ][ùÙ]|[oO][ùÙ](?=\p{L})|[aeuyôöAEUYÔÖ][ûÛ]|[oO][ûÛ](?![tT])"
    r"|[ôöÔÖ][ïÏ]|[AEOU]Ï|[eE][áÁ](?=[nptcmuNPTCMU])|[aA][àÀ]|EÀ"
)
# CP1258's combining tones shown as Windows-1252 letters (ì acute, ò dot below, Ì grave, Ò hook) after a vowel
# where no Vietnamese syllable has them and no word of the European catalogs does (kêìt, muòc, trõò, chuÒ; not
# Italian può, nor Geòrgia). The classes are the bigrams of every syllable in CP1258 less those.
_CP1258_MARKS = regex.compile(
    "[AEUYaeiouyÂÃÊÔÕÝâãêôõý]Ò|[AEIUYayÂÃÊÔÕÝâãêôõý]ò|[IOYioyÂÃÊÔÕÝâãêôõý]Ì|[YyÂÃÊÔÕÝâãêôõý]ì"
    r"|eò(?![rR])|uò(?=\p{L})"
)
# Other signs of a wrong decoding: a capital with an accent right after a small letter (ViÖt), a small accented
# letter before a capital, a vowel followed by an accented vowel the way VNI marks look (Vieät, coâng).
_MOJIBAKE = regex.compile(
    r"(?<=\p{Ll})[\u00c0-\u00de]|(?<=[\u00e0-\u00ff])\p{Lu}|[\u00ab\u00bb\u201c\u201d\u2018]"
    # VNI's marks after a vowel: Vieät, coâng, Tröôøng (not the diaereses and circumflexes of French, Dutch…)
    r"|[aeiouyôöAEIOUYÔÖ][âãåäêõøôöÂÃÅÄÊÕØÔÖ]|" + _VNI_MARKS.pattern + "|" + _CP1258_MARKS.pattern
)


_NOT_ALPHABET = re.compile("[^" + "".join(sorted(ALPHABET)) + "]")
_FONT_INITIAL = regex.compile(f"[{_SYMBOLS}]+\\p{{L}}")


def font_initial(text: str) -> bool:
    """Whether ``text`` starts with Windows-1252 symbols glued to letters (``®un``, ``§a``): font text's way
    of writing a first letter (TCVN3 ``®`` is ``đ``), which other text does not have."""
    return _FONT_INITIAL.match(text) is not None


def vietnamese_letters(text: str) -> bool:
    """Whether the letters of ``text`` are all letters of the Vietnamese alphabet (``râ``; not ``thö``, ``Ñ``)."""
    return set(core_of(text)) <= ALPHABET


def core_of(text: str) -> str:
    """The letters of a word without leading and trailing punctuation, digits and symbols."""
    return text.strip(_NON_LETTERS)


def _valid(core: str, legacy: bool) -> float | None:
    """Score of a valid syllable (in legacy text also ``TậP``: capitals typed with a lowercase-only font)."""
    if syllable.is_syllable(core):
        z = lexicon.zipf(core)
        return z if z > 0 else UNSEEN
    low = core.lower()
    if legacy and core != low and syllable.is_syllable(low) and all(c.isascii() or not c.isupper() or c in "ĂÂÊÔƠƯĐ" for c in core):
        z = lexicon.zipf(low)
        return (z if z > 0 else UNSEEN) - LOWERCASE_FONT
    return None


# An opening quote right after a letter or a closing one right before a letter: font text (TCVN3 « is ô).
_GLUED_QUOTE = regex.compile(r"\p{L}[\u00ab\u201c]|[\u00bb\u201d]\p{L}")


def _compound(core: str) -> float | None:
    """:data:`COMPOUND` for syllables written together (``sốnhỏ``, ``ghichú``), None otherwise."""
    low = core.lower()
    best: float | None = None
    if len(low) < 4:
        return None  # ộtộ (French été read as TCVN3) is no pair of syllables
    for i in range(2, len(low) - 1):
        a, b = low[:i], low[i:]
        if syllable.is_syllable(a):
            parts = [a, b] if syllable.is_syllable(b) else None
            if parts is None:
                for j in range(1, len(b)):
                    if syllable.is_syllable(b[:j]) and syllable.is_syllable(b[j:]):
                        parts = [a, b[:j], b[j:]]
                        break
            if parts:
                return COMPOUND
    return best


def score(text: str, legacy: bool) -> float | None:
    """How Vietnamese a decoded word looks (see the module docstring)."""
    if syllable.is_syllable(text):  # the common case: a syllable is its own core and has no symbol
        z = lexicon.zipf(text)
        return z if z > 0 else UNSEEN
    core = core_of(text)
    if not legacy and (_FONT_SYMBOL.search(text) or _GLUED_QUOTE.search(text)):
        return MOJIBAKE
    if not core:
        return None
    if not core.isascii() and _NOT_ALPHABET.search(core):
        # A character no Vietnamese word has (a symbol between letters, a foreign letter): no placement of the
        # tone and no cut into syllables can make a word of it.
        return GARBAGE if legacy else MOJIBAKE if _MOJIBAKE.search(core) else FOREIGN
    v = _valid(core, legacy)
    if v is not None:
        return v
    if not legacy and (_VNI_MARKS.search(core) or _CP1258_MARKS.search(core)):
        return MOJIBAKE
    if not core.isascii():
        fixed = syllable.fix_tone(core)
        if fixed and fixed != core:  # a misplaced tone (tòan): Vietnamese, loosely spelled
            return max(lexicon.zipf(fixed), UNSEEN) - MISPLACED_TONE
    if core.isascii():
        return None
    if legacy:
        joined = _compound(core) if len(core) <= 14 else None
        return GARBAGE if joined is None else joined
    return MOJIBAKE if _MOJIBAKE.search(core) else FOREIGN


def recase(template: str, lower: str) -> str:
    """``lower`` in the case pattern of ``template`` (Title, ALL CAPS or lowercase)."""
    if template.isupper() and len(template) > 1:
        return lower.upper()
    if template[:1].isupper():
        return lower[:1].upper() + lower[1:]
    return lower


@functools.cache
def _lost_map(letter: str) -> dict[str, tuple[str, ...]]:
    """Syllable with one ``letter`` removed -> the valid syllables it can come from, most frequent first."""
    return cached(f"lost-{ord(letter):04x}", lambda: _compute_lost_map(letter))


def _compute_lost_map(letter: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = {}
    for syl in syllable.all_syllables():
        start = 0
        while (i := syl.find(letter, start)) >= 0:
            out.setdefault(syl[:i] + syl[i + 1 :], set()).add(syl)
            start = i + 1
    return {k: tuple(sorted(v, key=lambda s: (-lexicon.zipf(s), s))) for k, v in out.items()}


@functools.lru_cache(maxsize=1 << 16)
def restorations(word: str, letter: str) -> tuple[str, ...]:
    """Words ``word`` may have been before one ``letter`` was lost (``Dơng`` -> ``Dương``), in its case,
    most frequent first."""
    core = core_of(word)
    if not core or not (core.islower() or core.isupper() or core.istitle()):
        return ()
    found = _lost_map(letter).get(unicodedata.normalize("NFC", core.lower()), ())
    if not found:
        return ()
    i = word.find(core)
    return tuple(word[:i] + recase(core, cand) + word[i + len(core) :] for cand in found)


@dataclass(frozen=True)
class Alt:
    """A legacy reading: its text, its score, the words it may be with a lost letter put back, and where the
    word starts when it is glued to an ASCII identifier."""

    text: str
    score: float | None
    restored: tuple[str, ...] = ()
    glue: int = 0  #: length of the ASCII identifier the word is glued to (``uupdate`` in ``uupdateđợc``)


@dataclass
class Word:
    """Everything known about one word: its score as it stands and its legacy readings that differ."""

    text: str
    unicode: float | None
    encodable: bool  #: False when the word has characters font text cannot hold (it is Unicode)
    alts: dict[str, Alt]


_GLUED = regex.compile(r"[A-Za-z]+(?=[^\x00-\x7f])")
_ONSET = frozenset("bcdđghklmnpqrstvx")


def _glued(text: str, original: str, letter: str | None) -> Alt | None:
    """A legacy word glued to an ASCII identifier or a printf conversion (``configure®Ó`` is ``configure`` +
    ``để``, ``sB¶ng`` after ``%`` is ``s`` + ``Bảng``; ``uupdate®îc`` is ``uupdate`` + ``được`` whose ``letter``
    was lost): the best score of the decoded rest after an ASCII prefix, less :data:`GLUE_COST`; None when no
    split gives a Vietnamese word. A lost letter is put back only in a rest with its own first consonant
    (``gíc`` is no ``g`` + ``ước``)."""
    m = _GLUED.match(original)
    if m is None:
        return None
    best: Alt | None = None
    for k in range(1, m.end() + 1):
        if text[:k] != original[:k]:
            break
        rest = text[k:]
        core = core_of(rest)
        if not core or core.isascii():
            continue
        if core_of(original[k:]) == original[k:] and _valid(original[k:], False) is not None:
            return None  # the rest is a word as it stands (%sTín): Unicode glued to ASCII
        v = _valid(core, True)
        restored: tuple[str, ...] = ()
        if v is None and letter is not None and rest[:1].lower() in _ONSET and (found := restorations(rest, letter)):
            v, restored = lexicon.zipf(core_of(found[0])) - RESTORE_COST, tuple(text[:k] + c for c in found)
        if v is not None and v >= KNOWN_WORD and (best is None or v - GLUE_COST > (best.score or 0.0)):
            best = Alt(text, v - GLUE_COST, restored, k)
    return best


def _legacy(text: str, charset: str, original: str = "") -> Alt:
    s = score(text, legacy=True)
    letter = LOST_LETTER.get(charset)
    if original and (s is None or s <= GARBAGE):
        glued = _glued(text, original, letter)
        if glued is not None:
            return glued
    if letter is not None and (s is None or s <= GARBAGE):
        cands = restorations(text, letter)
        if cands:
            rs = max(lexicon.zipf(core_of(c)) or UNSEEN for c in cands) - RESTORE_COST
            return Alt(text, rs if s is None or rs > s else s, cands)
    return Alt(text, s)


_CACHE: dict[tuple[str, tuple[str, ...]], Word] = {}
_CACHE_MAX = 1 << 18


def _decode_all(words: list[str], charset: str) -> list[str | None]:
    """Decode many font-text words with one codec call; None where a word cannot be decoded."""
    codec = get_codec(charset)
    joined = "\x00".join(words)
    try:
        out = codec.decode(font_bytes(joined)).split("\x00")
        if len(out) == len(words):
            return list(out)
    except (UnicodeDecodeError, UnicodeEncodeError):
        pass
    result: list[str | None] = []
    for w in words:
        try:
            result.append(codec.decode(font_bytes(w)))
        except (UnicodeDecodeError, UnicodeEncodeError):
            result.append(None)
    return result


def analyse(words: Iterable[str], charsets: tuple[str, ...]) -> dict[str, Word]:
    """The :class:`Word` of each distinct word, for the given candidate charsets (cached)."""
    out: dict[str, Word] = {}
    new: list[str] = []
    for w in set(words):
        hit = _CACHE.get((w, charsets))
        if hit is not None:
            out[w] = hit
        else:
            new.append(w)
    if not new:
        return out
    enc = [w for w in new if not _NOT_FONT.search(w)]
    alts: dict[str, dict[str, Alt]] = {w: {} for w in new}
    for cs in charsets:
        for w, text in zip(enc, _decode_all(enc, cs)):
            if text is None:
                continue
            if text != w or (cs in LOST_LETTER and restorations(w, LOST_LETTER[cs])):
                alts[w][cs] = _legacy(text, cs, w)
    for w in enc:
        if w.isascii():
            continue
        try:
            inner = font_bytes(w).decode("utf-8")
        except UnicodeDecodeError:
            continue
        if inner == w:
            continue
        alts[w]["utf8"] = Alt(inner, score(inner, legacy=True))
        if not _NOT_FONT.search(inner):
            for cs in charsets:
                text = _decode_all([inner], cs)[0]
                if text is not None and text != inner:
                    alts[w]["utf8+" + cs] = _legacy(text, cs)
    encodable = set(enc)
    if len(_CACHE) > _CACHE_MAX:
        _CACHE.clear()
    for w in new:
        info = Word(w, score(w, legacy=False), w in encodable, alts[w])
        _CACHE[(w, charsets)] = info
        out[w] = info
    return out
