"""Restoring lost letters: TCVN3 keeps ``ư`` and VISCII ``ễ`` in byte 0xAD, the soft hyphen viewers drop.

Two decisions live here. A decoded word that is no Vietnamese without the letter gets it back when the word
with it is known (``D¬ng`` → ``Dương``, ``nh`` → ``như``): :func:`lost_letter_reading`. When the text has no
soft hyphen left at all, the letter was lost everywhere, so a *valid* word that may also have lost it is kept
or given the letter by frequency and by the words around it (``u tó`` → ``ưu tú``; ``tu dìng`` → ``tu
dưỡng``): :func:`restore_in_context`. Only words of prose are touched (not ``%s``, ``-d``, ``x_t``).
"""

from __future__ import annotations

import functools
import re

from ..language import lexicon, syllable
from .readings import _NON_LETTERS, LOST_LETTER, Alt, _lost_map, core_of, restorations
from .scale import KNOWN, RESTORE_WORD
from .tokens import PROSE_EDGES, SYLLABLE_JOINERS, WORDS, first_word, joined, last_word, letter_alone, plain_word

__all__ = [
    "attested_restoration", "attested_among", "second_looks", "fine", "lost_letter_reading", "choose",
    "restore_in_context", "LOST_LETTER",
]


@functools.lru_cache(maxsize=1 << 16)
def attested_restoration(text: str, letter: str) -> bool:
    """Whether ``text`` may be a known word that lost ``letter``."""
    return any(lexicon.zipf(core_of(c)) >= KNOWN for c in restorations(text, letter))


@functools.cache
def _attested_keys(letter: str) -> frozenset[str]:
    """The syllables less ``letter`` (lowercase) whose restoration is a known word."""
    return frozenset(k for k, cands in _lost_map(letter).items() if k and any(lexicon.zipf(c) >= KNOWN for c in cands))


@functools.cache
def _attested_forms(letter: str) -> frozenset[str]:
    """:func:`_attested_keys` in lower, Title and UPPER case: the words :func:`attested_restoration` holds for
    that are their own core."""
    return syllable.case_forms(_attested_keys(letter))


#: A letter that :func:`~vnconv.repair.readings.core_of` strips (µ, ª): a word that holds one is not its core.
_STRIPPED_LETTER = re.compile("[" + "".join(c for c in _NON_LETTERS if c.isalpha()) + "]")


def attested_among(words: set[str], letter: str) -> set[str]:
    """The words that :func:`attested_restoration` holds for, with set operations for the common case: a word
    of letters that is one of :func:`_attested_forms` is attested; of the others only those that lowercase to
    an attested key (the Kelvin sign's ``Kh``) or hold a letter :func:`core_of` strips are asked one by one."""
    forms = _attested_forms(letter)
    found = words & forms
    rest = words - forms
    letters = list(filter(str.isalpha, rest))
    ask = rest.difference(letters)  # digits, _ and marks: their core is not the word
    # (A word of letters is NFC once lowercased as far as keys go: a decomposed word has combining marks, which
    # are no letters, and the Kelvin sign lowercases to k.)
    lowered = "\x00".join(letters).lower()
    keys = _attested_keys(letter)
    ask.update(w for w, low in zip(letters, lowered.split("\x00")) if low in keys)
    if _STRIPPED_LETTER.search(lowered):
        ask.update(w for w in letters if _STRIPPED_LETTER.search(w))
    found.update(w for w in ask if attested_restoration(w, letter))
    return found


@functools.cache
def _lost_plain_forms(letter: str) -> frozenset[str]:
    """The plain words (:func:`~vnconv.repair.tokens.plain_word`) that may have lost ``letter``: each syllable
    less the letter, in lower and Title case (not UPPER: no plain word)."""
    return frozenset(filter(plain_word, syllable.case_forms(_lost_map(letter))))


def second_looks(words: set[str], letter: str | None) -> set[str]:
    """The decoded words that are not :func:`fine` and are not an ASCII word that cannot have lost ``letter``:
    those a bulk reading must not settle alone. With set operations: a syllable is fine; an ASCII word needs a
    second look only when it is a plain word that lost the letter; another only when it is no syllable in
    any case (``tẬP`` is one)."""
    odd = words.difference(syllable.cased_syllables())
    plain = set(filter(str.isascii, odd))
    found = plain & _lost_plain_forms(letter) if letter else set()
    other = list(odd - plain)
    syllables = syllable.all_syllables()
    lowered = "\x00".join(other).lower().split("\x00")
    found.update(w for w, low in zip(other, lowered) if low not in syllables and not w.isdigit())
    return found


def fine(word: str) -> bool:
    """A decoded word that needs no second look: a Vietnamese syllable (any case), a number, or an ASCII word
    that is not a plain word that lost a letter."""
    if syllable.is_syllable(word) or word.isdigit():
        return True
    if syllable.is_syllable(word.lower()):
        return True
    return word.isascii() and not plain_word(word)


def lost_letter_reading(original: str, a: Alt, prose: bool) -> str | None:
    """The reading ``a`` of the word ``original`` with its lost letter put back, ``a.text`` when the letter
    stays lost, or None when ``a`` is a valid word or a letter alone (``u``, ``c``, VISCII's ``Đ``): the
    restoration is for context to decide, :func:`choose`."""
    if not a.restored or syllable.is_syllable(core_of(a.text)):
        return None
    g = a.glue  # a word glued to an identifier (uupdateđợc): the word after it
    if len(core_of(a.text[g:])) == 1:
        # A letter alone: "điểm c khoản 2", "a, b, c và d", VISCII's Đ of "NĐ-CP" are letters (by frequency they
        # read cư, dư, Đễ); "quân s và t lệnh" lost two ư.
        return None
    if a.text != original:
        return a.restored[0] if lexicon.zipf(core_of(a.restored[0][g:])) >= RESTORE_WORD else a.text
    # The same text in every reading (nh): only a plain word in prose, and only a known word.
    if prose and plain_word(original) and lexicon.zipf(core_of(a.restored[0])) >= RESTORE_WORD:
        return a.restored[0]
    return original


def choose(word: str, letter: str, prev: str, nxt: str, linked: bool = False, named: bool = False) -> str:
    """Keep ``word`` or give it back a lost ``letter``: the likelier by frequency and by its neighbours.
    ``linked``: the word is joined to another (``th/môc``): it may be no syllable without the letter (``th``).
    ``named``: joined by a hyphen or ``_`` (``Ca-na-đa``, ``th-môc``): it gets the letter only when the word it makes
    pairs with a neighbour (``thư-mục``); frequency alone does not decide (a name written in syllables stays).
    A letter alone (``c``, ``t``) gets it on the same terms: ``quân sư``, ``thứ tư``, ``tư tưởng`` (the next word
    counts with its own letter back, as it is decided after), not ``điểm c khoản 2`` or ``a, b, c và d``."""
    cands = restorations(word, letter)
    core = core_of(word)
    alone = len(core) == 1
    if not cands or not (linked or named or alone or syllable.is_syllable(core)):
        return word
    pc = core_of(prev)
    ncs = [core_of(nxt)] if nxt else []
    if alone and ncs:
        ncs += [core_of(c) for c in restorations(nxt, letter)]

    def pairs(w: str) -> float:
        core = core_of(w)
        after = max((lexicon.pair_score(core, nc) for nc in ncs), default=0.0)
        return (lexicon.pair_score(pc, core) if pc else 0.0) + after

    best = word
    top = lexicon.zipf(core) + pairs(word)
    for c in cands:
        p = pairs(c)
        v = lexicon.zipf(core_of(c)) + p
        if v > top and (not (named or alone) or p > 0.0):
            best, top = c, v
    return best


def _restore_part(part: str, out: str, prev: str, after: str, letter: str) -> str:
    pieces = WORDS.split(out)
    original = WORDS.split(part)
    same = len(original) == len(pieces)
    for k in range(1, len(pieces), 2):
        nxt = pieces[k + 2] if k + 2 < len(pieces) else after
        word = pieces[k]
        edges = pieces[k - 1] + pieces[k + 1]
        abbreviation = pieces[k + 1] == "." and k + 2 < len(pieces)
        linked, named = joined(pieces, k), joined(pieces, k, SYLLABLE_JOINERS)
        if not abbreviation and (not same or word != original[k] or (
            linked and plain_word(word) and pieces[k - 1][-1:] != "%" and (named or len(word) > 1)
        ) or (
            set(edges) <= PROSE_EDGES and plain_word(word) and (len(word) > 1 or not edges.strip(" \t\n\r"))
        ) or letter_alone(word, pieces[k - 1], pieces[k + 1], k + 2 < len(pieces))):
            pieces[k] = choose(word, letter, prev, nxt, linked, named)
        prev = pieces[k]
    return "".join(pieces)


def restore_in_context(parts: list[str], outs: list[str], targets: list[int], labels: list[str]) -> None:
    """Valid words that may have lost a letter: keep them or put it back, by frequency and neighbours.
    ``outs[i]`` is replaced for each ``i`` in ``targets``. (A part is decided once for each pair of
    neighbours it has: documents repeat themselves.)"""
    memo: dict[tuple[str, str, str, str], str] = {}
    lasts: dict[str, str] = {}  # the last and first word of each neighbour seen (documents repeat them)
    firsts: dict[str, str] = {}
    n = len(outs)
    for i in targets:
        prev = nxt = ""
        if i > 0:
            before = outs[i - 1]
            if before not in lasts:
                lasts[before] = last_word(before)
            prev = lasts[before]
        if i + 1 < n:
            after = outs[i + 1]
            if after not in firsts:
                firsts[after] = first_word(after)
            nxt = firsts[after]
        key = (prev, parts[i], outs[i], nxt)
        done = memo.get(key)
        if done is None:
            letter = LOST_LETTER[labels[i].rsplit("+", 1)[-1]]
            done = memo[key] = _restore_part(parts[i], outs[i], prev, nxt, letter)
        outs[i] = done
