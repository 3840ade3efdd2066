"""The fast path: text with no legacy signal leaves after one scan.

The engine changes nothing unless some word is *evidence* for a legacy reading, and a word can be evidence
only if it is font text (every character in the range Windows-1252 shows) with a non-ASCII letter, and it is
no Vietnamese word as it stands (see :mod:`vnconv.repair.evidence`). So a text whose non-ASCII,
font-encodable tokens all stand as valid words cannot change; :func:`quiet` finds that with one regex scan
for such tokens and one cached verdict per distinct token. ASCII text is quiet unless it may be VIQR.
"""

from __future__ import annotations

import functools

import regex

from ..charsets.fonttext import _NOT_FONT
from .readings import core_of, score
from .scale import FOREIGN
from .nbsp import _CUT as _NBSP_CUT
from .tokens import WORDS
from .viqr_lines import VIQR_HINT

__all__ = ["quiet", "quiet_part"]

# Characters Windows-1252 shows for the bytes 0x80-0xFF: what font text and UTF-8 mojibake are made of.
_FONT_CHARS = (
    "\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a"
    "\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
#: A white-space-separated token with a character font text is made of.
_TOKEN = regex.compile(rf"\S*[{_FONT_CHARS}]\S*")
#: Characters that are never in correct Vietnamese and always in some font text: the scan can stop at once.
_SIGNAL = regex.compile(
    "[\u0080-\u00bf\u00c4-\u00c7\u00cb\u00ce-\u00d1\u00d6-\u00d8\u00db\u00dc\u00de\u00df\u00e4-\u00e7\u00eb"
    "\u00ee-\u00f1\u00f6-\u00f8\u00fb\u00fc\u00fe\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2020-\u2022\u2030\u2039\u203a\u20ac\u2122]"
)


@functools.lru_cache(maxsize=1 << 16)
def _quiet_token(token: str) -> bool:
    """Whether no word of ``token`` can be evidence for a legacy reading."""
    for word in WORDS.findall(token):
        if word.isascii() or _NOT_FONT.search(word):
            continue  # ASCII proves nothing; a character font text cannot hold makes it Unicode
        core = core_of(word)
        if not core or core.isascii():
            continue
        s = score(word, legacy=False)
        if s is None or s <= FOREIGN:
            return False
    return True


def quiet(text: str, viqr: bool) -> bool:
    """True when repairing ``text`` with a fresh engine (no hint) cannot change it: no legacy signal, no word
    that is no Vietnamese as it stands, and (``viqr``: when VIQR is looked for) no VIQR mark."""
    if text.isascii():
        return not (viqr and VIQR_HINT.search(text))
    if _SIGNAL.search(text) or (" " in text and _NBSP_CUT.search(text)):
        return False
    if viqr and VIQR_HINT.search(text):
        return False
    return all(map(_quiet_token, set(_TOKEN.findall(text))))


def quiet_part(part: str) -> bool:
    """Whether no word of one part (no white space in it) can be evidence for a legacy reading."""
    return part.isascii() or (not _SIGNAL.search(part) and _quiet_token(part))
