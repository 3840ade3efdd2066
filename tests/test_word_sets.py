"""The set lookups that stand in for per-word calls on the hot path (repair/restore.py, repair/fast.py,
language/syllable.py) give exactly what the per-word definitions give, on words built to reach their edges:
syllables and syllables that lost a letter, in every case pattern, glued to digits, ``_`` and letters that
``core_of`` strips (µ ª), decomposed (not NFC), ASCII words, single letters, and font text."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from vnconv.language import syllable
from vnconv.repair import fast
from vnconv.repair.readings import restorations
from vnconv.repair.restore import attested_among, attested_restoration, fine, second_looks

_SYLLABLES = sorted(syllable.all_syllables())
_LOSING = [s for s in _SYLLABLES if "ư" in s or "ễ" in s]  # the syllables a lost letter leaves something of
_LETTERS = ("ư", "ễ")


def _cases(w: str) -> list[str]:
    return [w, w.upper(), w[:1].upper() + w[1:], w[:1] + w[1:].upper(), w.swapcase()]


@st.composite
def _word(draw: st.DrawFn) -> str:
    base = draw(
        st.sampled_from(_SYLLABLES) | st.sampled_from(_LOSING) | st.sampled_from(["nh", "kh", "tr", "c", "the", "PNG"])
    )
    if draw(st.booleans()):
        letter = draw(st.sampled_from(_LETTERS))
        base = base.replace(letter, "", draw(st.integers(1, 2)))
    word = draw(st.sampled_from(_cases(base))) if base else draw(st.sampled_from(["2011", "²", "_", "µ"]))
    if "k" in word.lower() and draw(st.booleans()):
        word = word.replace("K", "\u212a").replace("k", "\u212a")  # the Kelvin sign: lowercase is k
    edge = draw(st.sampled_from(["", "", "", "2", "²", "_", "µ", "ª", "\u0301", "x"]))
    where = draw(st.sampled_from(["before", "after", "inside"]))
    if where == "before":
        word = edge + word
    elif where == "after":
        word = word + edge
    elif word:
        i = draw(st.integers(0, len(word)))
        word = word[:i] + edge + word[i:]
    if draw(st.integers(0, 4)) == 0:
        word = unicodedata.normalize("NFD", word)
    return draw(st.sampled_from([word] * 6 + ["²", "٣", "2011", "x²"]))  # digits that are not ASCII


@settings(max_examples=400, deadline=None)
@given(st.sets(_word(), max_size=40), st.sampled_from([*_LETTERS, None]))
def test_second_looks_is_the_per_word_rule(words: set[str], letter: str | None) -> None:
    want = {w for w in words if not fine(w) and not (w.isascii() and not (letter and restorations(w, letter)))}
    assert second_looks(words, letter) == want


@settings(max_examples=400, deadline=None)
@given(st.sets(_word(), max_size=40), st.sampled_from(_LETTERS))
def test_attested_among_is_the_per_word_rule(words: set[str], letter: str) -> None:
    assert attested_among(words, letter) == {w for w in words if attested_restoration(w, letter)}


def test_the_sets_hold_every_case_form_and_nothing_else() -> None:
    cased = syllable.cased_syllables()
    assert all(syllable.is_syllable(w) for w in cased)
    for w in _SYLLABLES[::50]:
        assert {w, w.upper(), w[:1].upper() + w[1:]} <= cased
        assert (w[:1] + w[1:].upper() in cased) == syllable.is_syllable(w[:1] + w[1:].upper())
    known = fast.known_quiet()
    assert all(fast._quiet_word(w) for w in known)
    # exactly the forms that are font text with a letter that is not ASCII (built from the lowercase ones)
    assert known == {w for w in cased if set(w) <= set(fast._DECODING) and not w.isascii()}
    assert {"có", "Hà", "VÀ", "xã"} <= known
    assert not known & {"hoµ", "x·", "ViÖt", "xa", "đã"}  # legacy marks, ASCII, letters font text has not
