"""Evidence: what a document says about the charsets it holds, gathered word by word.

A charset is considered at all only if some words read as real Vietnamese in it and as nonsense as they
stand (``Céng hoµ`` → ``Cộng hoà``): Unicode text, French or code never gives that, so it comes back untouched.
A word that stands fine as it is and is nonsense in a charset counts against that charset. Words that only
Unicode can hold (``người``: no legacy charset has ``ư`` at that code) count for Unicode. A document that is
overwhelmingly one reading becomes its *dominant* reading, which tips the words that cannot decide alone.

:class:`Evidence` is public: :func:`vnconv.detect` reads a text's evidence through it, the engine keeps one
per document.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..charsets.registry import CHARSET_ORDER
from .readings import Word, core_of, font_initial
from .scale import (
    ATTRIBUTE, DOMINANT, DOMINANT_RATIO, EVIDENCE, EVIDENCE_FLOOR, FOREIGN, GARBAGE, MINORITY, MOJIBAKE,
    SINGLE_WORD, WORD,
)

__all__ = ["Evidence"]

_RANK = {name: i for i, name in enumerate(CHARSET_ORDER)}
#: A word is a good example for detection's reasons when its reading is at least this frequent.
_EXAMPLE = 3.0


@dataclass
class Evidence:
    """Counts of distinct words for and against each reading (a charset label, ``utf8``, ``utf8+tcvn3`` ...).

    ``counts``: words that read as Vietnamese only that way; ``against``: words that stand fine and are
    nonsense that way; ``unicode_words``: words only Unicode can hold; ``seen``: distinct words counted;
    ``examples``: per reading, its most frequent evidence word and how it reads.
    """

    counts: dict[str, int] = field(default_factory=dict)
    against: dict[str, int] = field(default_factory=dict)
    #: of ``against``, the words that are Vietnamese as they stand (``và``, nonsense in VNI)
    vietnamese_against: dict[str, int] = field(default_factory=dict)
    unicode_words: int = 0
    gain: dict[str, float] = field(default_factory=dict)
    examples: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: per reading, per other reading: its evidence words that are a word in that other reading too
    shared: dict[str, dict[str, int]] = field(default_factory=dict)
    #: readings whose evidence includes a word that as it stands carries a legacy-only mark (``hoµ``, ``Hµ``)
    marked: set[str] = field(default_factory=set)
    dominant: str | None = None  #: set by :meth:`allowed`: the reading the document is overwhelmingly in
    _seen: set[str] = field(default_factory=set)
    _example_score: dict[str, float] = field(default_factory=dict)

    @property
    def seen(self) -> int:
        return len(self._seen)

    def add(self, words: Iterable[Word]) -> None:
        """Count each word not counted before."""
        seen = self._seen
        for w in words:
            if w.text not in seen:
                seen.add(w.text)
                self._count(w)

    def _count(self, w: Word) -> None:
        core = core_of(w.text)
        if not w.encodable and w.unicode is not None and w.unicode > 0:
            self.unicode_words += 1
        if w.unicode is not None and w.unicode <= MOJIBAKE:
            # A wrong decoding as it stands (hoµ, Hµ): every charset that makes a word of it is marked.
            self.marked.update(
                label for label, a in w.alts.items()
                if a.score is not None and a.score >= EVIDENCE_FLOOR and a.score - w.unicode >= EVIDENCE
            )
        if not w.alts or not core or (core.isascii() and not font_initial(w.text)):
            return  # "—", "x·", "nh", "nº": symbols or ASCII as they stand prove nothing (but "®un" does)
        base = w.unicode if w.unicode is not None else 0.0
        ranked = sorted(
            ((a.score if a.score is not None else 0.0, label) for label, a in w.alts.items() if a.text != w.text),
            reverse=True,
        )
        if ranked and base <= FOREIGN:
            best, label = ranked[0]
            text = w.alts[label].text
            # Charsets that read the word the same way (TCVN3 and VN1 in lowercase) share the evidence.
            same = [lab for sc, lab in ranked if w.alts[lab].text == text]
            others = [sc for sc, lab in ranked if w.alts[lab].text != text]
            second = others[0] if others else GARBAGE
            if best >= EVIDENCE_FLOOR and best - base >= EVIDENCE and best - second >= ATTRIBUTE:
                words = [
                    lab for lab, a in w.alts.items()
                    if lab not in same and a.score is not None and a.score >= WORD and a.text != w.text
                ]
                for lab in same:
                    self.counts[lab] = self.counts.get(lab, 0) + 1
                    shared = self.shared.setdefault(lab, {})
                    for other in words:
                        shared[other] = shared.get(other, 0) + 1
                    self.gain[lab] = max(self.gain.get(lab, 0.0), best - base)
                    if best > _EXAMPLE and base < 0 and best > self._example_score.get(lab, 0.0):
                        self._example_score[lab] = best
                        self.examples[lab] = (w.text, text)
        if base > MOJIBAKE and not any(a.score is not None and a.score >= WORD for a in w.alts.values()):
            # Fine as it stands, and no charset makes a word of it: nonsense in a charset counts against it.
            # (A word another charset explains, ngêi in TCVN3, says nothing against VNI.)
            vietnamese = base >= WORD
            for label, a in w.alts.items():
                if a.text != w.text and a.score is not None and a.score <= GARBAGE:
                    self.against[label] = self.against.get(label, 0) + 1
                    if vietnamese:
                        self.vietnamese_against[label] = self.vietnamese_against.get(label, 0) + 1

    def allowed(self, hinted: Iterable[str] = ()) -> frozenset[str]:
        """The readings this document gives evidence for (more than against), plus the ``hinted`` charsets;
        also settles :attr:`dominant`. One word alone is weak evidence (``où`` is VNI ``ó``): it must be a
        very clear case."""
        ev = self.counts
        out: set[str] = set()
        if ev:
            top_label = max(ev, key=ev.__getitem__)
            top = ev[top_label]
            for label, n in ev.items():
                if n < MINORITY * top and not self._apart(label, top_label):
                    continue
                if n < self._against(label):
                    continue
                if n == 1 and self.gain.get(label, 0.0) < SINGLE_WORD and label not in self.marked:
                    continue  # one word, not very clear, and nothing as it stands marks it as a wrong decoding
                out.add(label)
        out.update(hinted)
        self.dominant = None
        if ev:
            top_label = max(ev, key=ev.__getitem__)
            top = ev[top_label]
            rivals = self.unicode_words + self._against(top_label)
            if top_label in out and top >= DOMINANT and top >= DOMINANT_RATIO * rivals:
                self.dominant = top_label
        if self.dominant is None and self.unicode_words >= DOMINANT and self.unicode_words >= DOMINANT_RATIO * sum(ev.values()):
            self.dominant = "unicode"
        return frozenset(out)

    def _apart(self, label: str, top: str) -> bool:
        """Whether ``label``, with a small share of the ``top`` reading's evidence, is still a candidate: a small
        share is taken for spurious words of the top reading's text (a typo read as VPS in TCVN3), unless
        ``label`` is a more common charset (:data:`~vnconv.charsets.registry.CHARSET_ORDER`) and none of its
        words is a word in the top reading (``Bá qua m«-®un-con`` in a VNI document)."""
        more_common = _RANK.get(label, len(_RANK)) < _RANK.get(top, len(_RANK))
        return more_common and not self.shared.get(label, {}).get(top, 0)

    def _against(self, label: str) -> int:
        """The words against ``label``. Once words only Unicode can hold show that the document holds Unicode
        Vietnamese, a word that is Vietnamese as it stands is explained by that (as ``ngêi`` is by TCVN3) and
        says nothing against a charset that other lines are written in."""
        n = self.against.get(label, 0)
        return n - self.vietnamese_against.get(label, 0) if self.unicode_words else n
