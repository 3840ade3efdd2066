"""VIQR lines: ASCII lines that read as Vietnamese written with ASCII marks (``Vie^.t Nam``).

VIQR is 7-bit, so only ASCII lines are looked at, and a line is decoded whole or not at all: it reads as VIQR
when enough of its words become frequent Vietnamese syllables and few become nonsense (``e.g.`` or a Dutch
``'+o`` alone prove little). A font or user naming VIQR lowers the bar to one word.
"""

from __future__ import annotations

import re

import regex

from ..charsets import viqr
from ..language import lexicon, syllable
from .readings import core_of
from .scale import VIQR_WORD

__all__ = ["VIQR_HINT", "viqr_hint", "VIQR_WORD_RE", "viqr_candidates", "viqr_wins", "decode_lines"]

#: A VIQR mark: a vowel with a mark after it (``e^``, ``a.n``; a tone mark or dot only before a letter), or
#: ``dd`` starting a word. The definition; :func:`viqr_hint` finds the same, faster.
VIQR_HINT = regex.compile(r"[aeiouyAEIOUY](?:[(^+]|['`?~.](?=[a-zA-Z]))|(?<![A-Za-z])[dD][dD][aeiouyAEIOUY]")
#: The same as two patterns that each start with a set of characters, which CPython's ``re`` scans for at C
#: speed: a mark, then the vowel before it looked at; a ``d``, then whether a letter stands before it. (The
#: one pattern above starts with a vowel, tried at every vowel: 3-4 us on a short line, ~1 us so.)
_MARK_AFTER_VOWEL = re.compile(r"[(^+'`?~.](?<=[aeiouyAEIOUY].)(?:(?<=[(^+])|(?=[a-zA-Z]))")
_DD_WORD = re.compile(r"[dD](?<![A-Za-z][dD])[dD][aeiouyAEIOUY]")


def viqr_hint(text: str) -> bool:
    """Whether :data:`VIQR_HINT` is found in ``text``."""
    return _MARK_AFTER_VOWEL.search(text) is not None or _DD_WORD.search(text) is not None


VIQR_WORD_RE = regex.compile(
    r"(?<![A-Za-z])[A-Za-z]*[aeiouyAEIOUY](?:[(^+]['`?~.]?|['`?~.])[A-Za-z]*|(?<![A-Za-z])[dD][dD][A-Za-z]+"
)
_SHORT = 3  #: a line of at most this many words may read as VIQR on one good word and no bad one


def _good(word: str) -> bool:
    core = core_of(word)
    return syllable.is_syllable(core) and lexicon.zipf(core) >= VIQR_WORD


def viqr_candidates(line: str, hinted: bool) -> bool:
    """Cheap test before decoding a line as VIQR: enough words that VIQR turns into Vietnamese."""
    need = 1 if hinted else 2
    good = 0
    for m in VIQR_WORD_RE.finditer(line):
        if len(core_of(viqr.decode_text(m.group()))) > 1 and _good(viqr.decode_text(m.group())):
            good += 1
            if good >= need:
                return True
    return good >= 1 and len(line.split()) <= _SHORT


def viqr_wins(line: str, cand: str, hinted: bool) -> bool:
    """A line reads as VIQR when enough of its words become Vietnamese and few become nonsense."""
    good = bad = 0
    for a, b in zip(line.split(), cand.split()):
        if a == b:
            continue
        if _good(b):
            good += len(core_of(b)) > 1  # "o'" alone (Dutch '+o') proves little
        else:
            bad += 1
    if hinted:
        return good >= 1 and good >= bad
    return (good >= 2 and good >= 3 * bad) or (good >= 1 and bad == 0 and len(line.split()) <= _SHORT)


def may_hold_viqr(text: str) -> bool:
    """Whether some ASCII line of ``text`` has a VIQR mark (only such lines are read as VIQR)."""
    if text.isascii():
        return viqr_hint(text)
    ascii_lines = list(filter(str.isascii, text.split("\n")))
    return bool(ascii_lines) and viqr_hint("\n".join(ascii_lines))


def decode_lines(text: str, hinted: bool) -> tuple[str, list[tuple[int, str, str]]]:
    """``text`` with its VIQR lines decoded, and each decoded line as (start, before, after)."""
    if not may_hold_viqr(text):
        return text, []
    out: list[str] = []
    changed: list[tuple[int, str, str]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        new = line
        if line.isascii() and viqr_hint(line) and viqr_candidates(line, hinted):
            cand = viqr.decode_text(line)
            if cand != line and viqr_wins(line, cand, hinted):
                new = cand
                changed.append((pos, line, new))
        out.append(new)
        pos += len(line)
    return "".join(out), changed
