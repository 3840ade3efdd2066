"""Segmenting: how the engine cuts a text into lines, *parts* and words.

A text is cut at line feeds into lines and each line at spaces into *parts* (``hoµ,``); a part is cut into
words at the other white space and at ASCII punctuation (``%s``, ``--option``, ``dh_auto_configure®Ó`` give
words ``s``, ``option``, ``dh``, ``auto``, ``configure®Ó``). Parts are the unit of decision (a document repeats
them, so each distinct part is analysed once); words are the unit of reading. Cutting at ASCII punctuation is
safe because no legacy charset shown as Windows-1252 puts a Vietnamese letter there.
"""

from __future__ import annotations

from itertools import accumulate, repeat

import regex

__all__ = [
    "WORDS", "LINE_END", "PLAIN_WORD", "PROSE_EDGES", "JOINERS", "SYLLABLE_JOINERS",
    "split", "join", "starts", "first_word", "last_word", "plain_word", "is_prose", "letter_alone", "joined",
]

_SEP = "\t\n\v\f\r \x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: A word: what lies between white space and ASCII punctuation (``split`` keeps the gaps: gap, word, gap, ...).
WORDS = regex.compile(rf"([^{_SEP}!-/:-@\[-`{{-~]+)")
LINE_END = regex.compile(r"[\n\r\v\f\x85\u2028\u2029]")
PLAIN_WORD = regex.compile(r"[\p{L}\p{M}\p{N}_]+")
#: Around a word that is the same in every reading, only sentence punctuation may stand for it to count as a
#: word that lost a letter (``nh`` yes; ``%s``, ``-d``, ``x_t`` no).
PROSE_EDGES = frozenset(" \t\n\r.,;:!?()-\"'“”‘’«»…–—")
#: What joins two words into one (``thư-mục``, ``thư/mục``, ``THƯ_MỤC``).
JOINERS = frozenset("-/_")
#: ... of which those that also join what is no word of its own: a foreign name in syllables (``Ca-na-đa``,
#: ``Te-lu-gu``), a menu's access key inside a word (``tr_ong``).
SYLLABLE_JOINERS = frozenset("-_")


def split(text: str) -> tuple[list[str], list[int]]:
    """Cut ``text`` at spaces and line feeds: the parts, and how many parts each line has."""
    counts = list(map((1).__add__, map(str.count, text.split("\n"), repeat(" "))))  # a line's spaces + 1
    return text.replace("\n", " ").split(" "), counts


def join(outs: list[str], counts: list[int]) -> str:
    """The inverse of :func:`split`."""
    if len(counts) == 1:
        return " ".join(outs)
    ends = list(accumulate(counts))
    return "\n".join(" ".join(outs[a:b]) for a, b in zip([0, *ends], ends))


def starts(parts: list[str]) -> list[int]:
    """Where each part starts in the text (parts are one character apart: a space or a line feed)."""
    out = []
    pos = 0
    for p in parts:
        out.append(pos)
        pos += len(p) + 1
    return out


def first_word(text: str) -> str:
    m = WORDS.search(text)
    return m.group() if m else ""


def last_word(text: str) -> str:
    found = WORDS.findall(text)
    return found[-1] if found else ""


def plain_word(word: str) -> bool:
    """A lowercase or Title-case word of letters only: what a word that lost a letter looks like (not PNG)."""
    return word.isalpha() and (word.islower() or (word[:1].isupper() and word[1:].islower()))


def is_prose(word: str, before: str, after: str, more: bool) -> bool:
    """Whether ``word`` (between the gaps ``before`` and ``after``; ``more``: another word follows in its
    part) stands as a word of prose: only sentence punctuation around it; a one-letter word only alone between
    spaces (``t tëng``, not ``v.d.`` or ``[y,n]``); not an abbreviation glued by a full stop (``Tr.®ã``), nor
    an ASCII capital before one (``Tr. 12``: trang, not Trư)."""
    edges = before + after
    return (
        set(edges) <= PROSE_EDGES
        and (len(word) > 1 or not edges.strip(" \t\n\r"))
        and not (after == "." and more)
        and not (after[:1] == "." and word[:1].isupper() and word.isascii())
    )


def letter_alone(word: str, before: str, after: str, more: bool) -> bool:
    """Whether ``word`` is a letter alone among sentence punctuation (``c`` in ``điểm c khoản``, ``t,`` in ``Thứ
    t,``; not ``v`` of ``v.d.``, nor an option ``-d``): it may have lost a letter, which only its neighbours can
    tell (:func:`vnconv.repair.restore.choose`)."""
    return (
        len(word) == 1 and word.isalpha() and set(before + after) <= PROSE_EDGES
        and not (after == "." and more) and not before.endswith("-")
    )


def joined(pieces: list[str], k: int, joiners: frozenset[str] | str = JOINERS) -> bool:
    """Whether the word ``pieces[k]`` (of :data:`WORDS`.split: gap, word, gap, ...) is joined to the word before
    or after it by one of ``joiners`` (a name written in syllables, a path, an identifier)."""
    return (k > 2 and pieces[k - 1] in joiners) or (k + 2 < len(pieces) and pieces[k + 1] in joiners)
