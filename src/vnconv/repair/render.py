"""Rendering: a part written out in the reading decided for it, word by word.

A word that decides for itself keeps its own reading inside a part read otherwise (but a weak word,
:meth:`~vnconv.repair.decide.Decider.weak`, inside a part read as Unicode stays as it is). A word with no
Vietnamese reading either way stays as it is unless it looks like a wrong decoding and its decoding looks
like a word (a name or loanword in font text, ``Băng z«n`` → ``zôn``); under a font that names the charset,
what the font showed wins over a foreign-looking word (VNI ``ÑTB`` is ``ĐTB``). Rendering also says whether
a word may have lost a letter in a way only context can settle (for :mod:`vnconv.repair.restore`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from .chunks import Part, PartStore, base_of
from .decide import UNICODE, Decider
from .readings import FOREIGN, GARBAGE, LOST_LETTER, MOJIBAKE, Word, core_of, vietnamese_letters
from .restore import attested_restoration, lost_letter_reading
from .tokens import SYLLABLE_JOINERS, is_prose, joined, letter_alone, plain_word

__all__ = ["Renderer", "word_as"]

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_MAX_WORD = 10  #: letters of a plausible name or loanword
_MAX_IDENTIFIER = 24  #: ... under a font that names the charset (identifiers such as tinhĐTBcanam)


def wordlike(text: str, relaxed: bool = False) -> bool:
    """Letters in a normal case pattern, with at most one tone mark: a name or a loanword (zôn, Krông).
    ``relaxed`` (the font names the charset): any mix of cases, as in identifiers (tinhĐTBcanam), and a mark
    the font drew over a consonant (VNI hocïky is hoc̣ky: what the page showed, typo and all)."""
    core = core_of(text)
    nfd = unicodedata.normalize("NFD", core)
    letters = "".join(c for c in nfd if not unicodedata.combining(c)) if relaxed else core
    if not core or not letters.isalpha() or len(core) > (_MAX_IDENTIFIER if relaxed else _MAX_WORD):
        return False
    if not relaxed and not (core.islower() or core.isupper() or (core[:1].isupper() and core[1:].islower())):
        return False
    return sum(1 for c in nfd if c in _TONE_MARKS) <= 1


def word_as(w: Word, label: str, prose: bool, hinted: bool, restore: bool) -> str:
    """``w`` read as ``label``."""
    if label == UNICODE:
        return w.text
    a = w.alts.get(label)
    if a is None:
        return w.text
    if restore:
        restored = lost_letter_reading(w.text, a, prose)
        if restored is not None:
            return restored
    if a.score is not None and a.score <= GARBAGE:
        # No Vietnamese word either way: a loanword, a name or an abbreviation in font text is still decoded
        # when as it stands it looks like a wrong decoding or holds letters Vietnamese has not (VNI ÑTTH is
        # ĐTTH) and decoded it looks like a word in Vietnamese letters; a plausible foreign word, or other
        # mojibake (Chinese read as Latin-1), stays as it is. Symbols the font showed as letters (¨ in
        # .VnTime is ă, ¸¹ is áạ) are those letters.
        if hinted and w.unicode is None:
            return a.text
        plausible = (w.unicode is None and not hinted) or (
            w.unicode is not None and w.unicode > (FOREIGN if hinted else MOJIBAKE)
            and (vietnamese_letters(w.text) or not vietnamese_letters(a.text))
        )
        if plausible or not wordlike(a.text, hinted):
            return w.text
    return a.text


class Renderer:
    """Renders the parts of one document (memoised per word and per part)."""

    def __init__(self, store: PartStore, decider: Decider, restore: bool) -> None:
        self.store = store
        self.decider = decider
        self.restore = restore
        self._memo: dict[tuple[str, str, bool, bool, bool, bool], tuple[str, bool]] = {}

    def _plain(self, label: str, hint: str | None) -> bool:
        """Whether, read as ``label`` under ``hint``, a word with no legacy reading reads as it stands: whatever
        decides it (Unicode, or a reading that is the same), without a font's hint it is no word that lost a
        letter unless the reading keeps one (TCVN3's ư: ``nh`` may be ``như``)."""
        return hint is None and (not self.restore or LOST_LETTER.get(base_of(label)) is None)

    def render_many(
        self, parts: Iterable[str], label: str, allowed: frozenset[str], hint: str | None, alone: bool = False
    ) -> dict[str, tuple[str, bool]]:
        """:meth:`render` for each of ``parts`` (distinct) by its text; a part none of whose words has a legacy
        reading reads as it stands when the reading is :meth:`_plain`, without rendering it word by word."""
        store, render = self.store, self.render
        if not self._plain(label, hint):
            return {p: render(store[p], label, allowed, hint, alone) for p in parts}
        out: dict[str, tuple[str, bool]] = {}
        for p in parts:
            part = store.fill(store[p])
            if part.still is None:
                part.still = not any(w.alts for w in part.words or ())
            out[p] = (p, False) if part.still else render(part, label, allowed, hint, alone)
        return out

    def render(
        self, part: Part, label: str, allowed: frozenset[str], hint: str | None, alone: bool = False
    ) -> tuple[str, bool]:
        """The part with each word read as ``label`` (a word that decides for itself keeps its own reading);
        also whether a word in it may have lost a letter in a way only context can settle. ``alone``: words
        decide for themselves without the document's prior (a line that agrees without it,
        :meth:`~vnconv.repair.decide.Decider.agree_alone`)."""
        prior = None if alone else self.decider.evidence.dominant
        key = (label, allowed, prior)
        hit = part.rendered.get(key)
        if hit is not None:
            return hit
        self.store.fill(part)
        assert part.pieces is not None and part.words is not None
        pieces = list(part.pieces)
        ask = False
        memo = self._memo
        n = len(part.words)
        plain = self._plain(label, hint)
        for i, w in enumerate(part.words):
            if plain and not w.alts:
                continue
            own = self.decider.decide(w, allowed, hint, prior)
            if label == UNICODE and self.decider.weak(w, own) and base_of(own or "") != hint:
                own = None  # a weak word in a part read as Unicode (Ăn-đoa-râ) is Unicode too
            use = own if own is not None else label
            # A word joined to another (Ca-na-®a, th/môc) gets a lost letter only from context (restore.choose).
            linked = joined(part.pieces, 2 * i + 1)
            named = joined(part.pieces, 2 * i + 1, SYLLABLE_JOINERS)
            before, after = pieces[2 * i], pieces[2 * i + 2]
            prose = not named and is_prose(w.text, before, after, i + 1 < n)
            alone = letter_alone(w.text, before, after, i + 1 < n)
            hinted = hint is not None and base_of(use) == hint
            wkey = (w.text, use, prose, hinted, linked, alone)
            done = memo.get(wkey)
            if done is None:
                text = word_as(w, use, prose, hinted, self.restore)
                letter = LOST_LETTER.get(base_of(use))
                may = bool(
                    letter and self.restore
                    and (text != w.text or ((prose or linked) and plain_word(w.text)) or alone)
                    and attested_restoration(text, letter)
                )
                done = memo[wkey] = (text, may)
            pieces[2 * i + 1] = done[0]
            ask = ask or done[1]
        out = ("".join(pieces), ask)
        part.rendered[key] = out
        return out
