"""UTF-8 read as Windows-1252 whose no-break space became a plain space (web pages, copy-paste).

``à`` in UTF-8 is the bytes C3 A0; read as Windows-1252 they are ``Ã`` and a no-break space, which pages and
clipboards turn into a plain space: ``hoà bình`` arrives as ``hoÃ  bình``. A word that ends in the first
byte(s) of such a sequence and is followed by a space is read with the space as byte A0, and taken when that
gives a known Vietnamese syllable and the word as it stands is none (never one Vietnamese word for another).
"""

from __future__ import annotations

import re

import regex

from ..charsets.fonttext import font_bytes
from ..charsets.registry import get_codec
from ..language import lexicon, syllable
from .options import DEFAULT_CHARSETS
from .readings import core_of
from .scale import KNOWN

__all__ = ["restore_nbsp", "may_hold_cut_words"]

# A token ending in the first byte(s) of a Vietnamese letter whose UTF-8 goes on with byte A0, shown as
# Windows-1252, then a space: Ã (C3 A0 à), Æ (C6 A0 Ơ), áº/á» (E1 BA A0 Ạ, E1 BB A0 Ỡ). No other lead
# byte makes a Vietnamese letter with A0.
_CUT = re.compile(r"(?:[\u00c3\u00c6]|\u00e1[\u00ba\u00bb])(?= )")
_SPACE = regex.compile(r"\s")
_CUTS = ("\u00c3 ", "\u00c6 ", "\u00e1\u00ba ", "\u00e1\u00bb ")  #: what _CUT finds, as plain substrings
#: The last character of what _CUT finds, before its space: one character class, which ``re`` scans for fast.
_CUT_LAST = re.compile(r"[\u00c3\u00c6\u00ba\u00bb](?= )")
#: ... each of which a text without cut words seldom holds at all: a search for one character is a memchr.
_CUT_CHARS = ("\u00c3", "\u00c6", "\u00ba", "\u00bb")


def _cut_ends(text: str) -> list[int]:
    """Where each match of :data:`_CUT` ends (the space after it), found by a scan for its last letter (the
    alternation of _CUT, or four substring searches, read long non-Latin-1 text several times slower)."""
    if not any(c in text for c in _CUT_CHARS):
        return []
    return [
        m.end() for m in _CUT_LAST.finditer(text)
        if m.group() in "\u00c3\u00c6" or text[m.start() - 1 : m.start()] == "\u00e1"
    ]


def may_hold_cut_words(text: str) -> bool:
    """Whether ``text`` may hold such a word (a substring search: much faster than the regex on long text)."""
    return any(c in text for c in _CUT_CHARS) and any(cut in text for cut in _CUTS)


def _legacy_word(token: str, charsets: tuple[str, ...]) -> float:
    """The frequency of the likeliest syllable ``token`` is in one of the legacy ``charsets`` (0: none)."""
    best = 0.0
    try:
        data = font_bytes(token)
    except UnicodeEncodeError:
        return best
    for name in charsets:
        try:
            core = core_of(get_codec(name).decode(data))
        except (UnicodeDecodeError, UnicodeEncodeError, LookupError):
            continue
        if syllable.is_syllable(core):
            best = max(best, lexicon.zipf(core))
    return best


def restore_nbsp(text: str, charsets: tuple[str, ...] = DEFAULT_CHARSETS) -> tuple[str, list[tuple[int, str, str]]]:
    """``text`` with such words decoded (each with the space that was its no-break space), and each change as
    (start, before, after). A word that is font text of one of the legacy ``charsets`` for a likelier word is
    left to the engine."""
    cuts = _cut_ends(text)
    if not cuts:
        return text, []
    out: list[str] = []
    changes: list[tuple[int, str, str]] = []
    pos = 0
    last = 0  # a token starts after the previous cut (which a space follows): look back no further
    for end in cuts:
        lo = max(text.rfind(" ", last, end), text.rfind("\n", last, end), last - 1)
        start = max(lo, text.rfind("\t", lo + 1, end)) + 1  # a tab only matters after the nearest space
        last = end
        if start < pos:
            continue
        token = text[start:end]
        if _SPACE.search(token):
            continue
        try:
            decoded = font_bytes(token + "\u00a0").decode("utf-8")
        except (UnicodeDecodeError, UnicodeEncodeError):
            continue
        core, was = core_of(decoded), core_of(token)
        z = lexicon.zipf(core)
        if not syllable.is_syllable(core) or z < KNOWN or (syllable.is_syllable(was) and lexicon.zipf(was) >= z - 1):
            continue  # not a known word, or as it stands a word about as likely
        if _legacy_word(token, charsets) >= z:
            continue  # font text of a legacy charset reads as a likelier word (VNI CHÆ is CHỈ, not CHƠ)
        end += 1  # the space that was the no-break space goes too
        out.append(text[pos:start])
        out.append(decoded)
        changes.append((start, text[start:end], decoded))
        pos = end
    out.append(text[pos:])
    return "".join(out), changes
