"""UTF-8 read as Windows-1252 whose no-break space became a plain space (web pages, copy-paste).

``à`` in UTF-8 is the bytes C3 A0; read as Windows-1252 they are ``Ã`` and a no-break space, which pages and
clipboards turn into a plain space: ``hoà bình`` arrives as ``hoÃ  bình``. A word that ends in the first
byte(s) of such a sequence and is followed by a space is read with the space as byte A0, and taken when that
gives a known Vietnamese syllable and the word as it stands is none (never one Vietnamese word for another).
"""

from __future__ import annotations

import regex

from ..charsets.fonttext import font_bytes
from ..language import lexicon, syllable
from .readings import core_of
from .scale import KNOWN

__all__ = ["restore_nbsp"]

# A token ending in a UTF-8 lead byte shown as Windows-1252 (Â..ß for two bytes, á + º/» for ạ..ỹ), then a space.
_CUT = regex.compile(r"(?:[\u00c2-\u00df]|\u00e1[\u00ba\u00bb])(?= )")
_SPACE = regex.compile(r"\s")


def restore_nbsp(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """``text`` with such words decoded (each with the space that was its no-break space), and each change as
    (start, before, after)."""
    if " " not in text or not _CUT.search(text):
        return text, []
    out: list[str] = []
    changes: list[tuple[int, str, str]] = []
    pos = 0
    for m in _CUT.finditer(text):
        end = m.end()
        start = max(text.rfind(" ", 0, end), text.rfind("\n", 0, end), text.rfind("\t", 0, end)) + 1
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
        end += 1  # the space that was the no-break space goes too
        out.append(text[pos:start])
        out.append(decoded)
        changes.append((start, text[start:end], decoded))
        pos = end
    out.append(text[pos:])
    return "".join(out), changes
