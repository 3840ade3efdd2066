"""Reading candidates: every distinct part of a document, its words and their readings, analysed once.

A part (see :mod:`vnconv.repair.tokens`) is analysed the first time the document shows it: its words get
their readings (:func:`vnconv.repair.readings.analyse`, one C-level decode per charset for all new words) and
count as evidence. A long document settles: after :data:`~vnconv.repair.scale.SETTLE` distinct parts, if it
is all one charset, the rest is decoded in that charset with one codec call (:meth:`PartStore.bulk`); only the
parts whose decoding is not plainly Vietnamese get the word-by-word analysis (a lost letter, a name, a switch
to another charset).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Iterable
from itertools import accumulate, compress, filterfalse
from operator import and_

import regex

from ..charsets.fonttext import _NOT_FONT, font_bytes
from ..charsets.registry import get_codec
from .evidence import Evidence
from .readings import LOST_LETTER, Word, analyse
from .restore import attested_among, second_looks
from .scale import LEARN_STEP, PLAIN, SETTLE, WORD
from .tokens import LINE_END, PLAIN_WORD, WORDS

#: The plain words (:data:`~vnconv.repair.tokens.PLAIN_WORD`) of parts joined by NUL, and the NULs between them.
#: (``_`` stays inside a word: a part with ``thư_mục`` gets the word-by-word analysis, whose words can decide the
#: line; cut at ``_``, its line lost that decision and test_long_lines showed TCVN3 lines read as Unicode.)
_WORDS_AND_BOUNDS = regex.compile(PLAIN_WORD.pattern + "|\x00")

__all__ = ["Part", "PartStore", "base_of"]

#: Bounded memory on endless streams: past this many distinct parts, only the newest are kept.
_MAX_PARTS = 400_000

OwnKey = tuple[frozenset[str], "str | None", "str | None"]
RenderKey = tuple[str, frozenset[str], "str | None"]


def base_of(label: str) -> str:
    """The charset of a reading label (``utf8+tcvn3`` -> ``tcvn3``)."""
    return label.rsplit("+", 1)[-1]


@dataclass(eq=False)
class Part:
    """One distinct part: its pieces (gap, word, gap, ..., gap) and words (None until needed, for parts read
    in bulk), and the decisions and renderings made for it, by the context they were made in."""

    pieces: list[str] | None
    words: list[Word] | None
    newline: bool
    text: str = ""
    own: dict[OwnKey, str | None] = field(default_factory=dict)
    rendered: dict[RenderKey, tuple[str, bool]] = field(default_factory=dict)
    still: bool | None = None  #: no word has a legacy reading (None until asked, by Renderer.render_many)


class PartStore:
    """The analysed parts of one document, and its :class:`~vnconv.repair.evidence.Evidence`."""

    def __init__(self, charsets: tuple[str, ...], evidence: Evidence, restore: bool) -> None:
        self.charsets = charsets
        self.evidence = evidence
        self.restore = restore
        self.parts: dict[str, Part] = {}
        #: Parts read in bulk: part -> (its reading, whether a word in it may have lost a letter), valid for
        #: ``bulk_key`` = (allowed readings, dominant reading, the reading): no Part object until one is asked for.
        self.bulk_read: dict[str, tuple[str, bool]] = {}
        self.bulk_key: tuple[frozenset[str], str | None, str] | None = None
        self.settled = False  #: the first parts were plainly one charset: the rest is read in it

    def __contains__(self, part: str) -> bool:
        return part in self.parts or part in self.bulk_read

    def __getitem__(self, part: str) -> Part:
        found = self.parts.get(part)
        return found if found is not None else self._materialize(part)

    def unseen(self, parts: Iterable[str]) -> list[str]:
        """The ``parts`` (in order) neither analysed nor read in bulk yet."""
        return list(filterfalse(self.bulk_read.__contains__, filterfalse(self.parts.__contains__, parts)))

    def get(self, part: str) -> Part | None:
        return self[part] if part in self else None

    def _materialize(self, part: str) -> Part:
        """The Part of a bulk-read part, with its bulk reading recorded under the key it was made for."""
        text, ask = self.bulk_read.pop(part)
        assert self.bulk_key is not None
        allowed, dominant, label = self.bulk_key
        p = Part(None, None, bool(LINE_END.search(part)), part)
        p.own[(allowed, None, dominant)] = None
        p.rendered[(label, allowed, dominant)] = (text, ask)
        self.parts[part] = p
        return p

    def reset(self, charsets: tuple[str, ...]) -> None:
        self.charsets = charsets
        self.parts.clear()
        self.bulk_read.clear()
        self.bulk_key = None
        self.settled = False

    def analyse(self, parts: list[str], hinted: frozenset[str]) -> None:
        """Analyse the parts not seen before."""
        new = self.unseen(dict.fromkeys(parts))  # in order: learn from the start
        if not new:
            return
        # The document has shown enough of itself: its first SETTLE parts, or fewer that were all plainly one
        # charset (see _learn).
        learnt = self.settled or len(self.parts) + len(self.bulk_read) >= SETTLE
        if len(new) > LEARN_STEP or (learnt and len(new) > 1):
            # Learn what the document is from its first part, then read the rest in that charset only:
            # a word that then looks like a wrong decoding in it still gets every charset (a switch to VNI).
            if not learnt:
                new = new[self._learn(new[:SETTLE], hinted) :]
                if not new:
                    return
            allowed = self.evidence.allowed(hinted)
            dominant = self.evidence.dominant
            if dominant is not None and dominant != "unicode" and allowed == {dominant}:
                rest = self.bulk(new, dominant, allowed)
                self._analyse(rest, (base_of(dominant),), second_look=True)
                held = self._held(self.evidence.allowed(hinted))
                if len(held) > 1:
                    # The second looks showed another charset (a VISCII section after TCVN3, where TCVN3 reads
                    # VISCII tiªn as tiên; VPS th‹ after TCVN3, which TCVN3 reads as th + a lost ư): the parts of
                    # this batch, read in bulk or in the document's charset alone, are read in every charset now
                    # held.
                    read = [p for p in new if p in self.bulk_read]
                    for p in read:
                        del self.bulk_read[p]
                    self._analyse(read + rest, held)
                return
            # The document holds some charsets and not the others: read the rest in those (a word that looks
            # like a wrong decoding in every one of them still gets every charset).
            names = self._held(allowed)
            if names and len(names) < len(self.charsets):
                self._analyse(new, names, second_look=True)
                # The second looks showed a charset these parts were not read in (a VNI section after VPS,
                # where VISCII reads VNI chæ as chữ): read them in it too.
                wider = self._held(allowed | self.evidence.allowed(hinted))
                if len(wider) > len(names):
                    self._analyse(new, wider)
                return
            self._analyse(new, self.charsets)
            return
        self._analyse(new, self.charsets)

    def _held(self, allowed: frozenset[str]) -> tuple[str, ...]:
        """The candidate charsets that the readings ``allowed`` are in (``utf8+tcvn3`` is in TCVN3), in order."""
        held = {base_of(label) for label in allowed}
        return tuple(c for c in self.charsets if c in held)

    def _learn(self, head: list[str], hinted: frozenset[str]) -> int:
        """Analyse the first parts of a document with every charset, :data:`LEARN_STEP` at a time, until it is
        plainly one charset (:data:`PLAIN`) or SETTLE parts have been read; return how many were read."""
        for k in range(0, len(head), LEARN_STEP):
            self._analyse(head[k : k + LEARN_STEP], self.charsets)
            ev = self.evidence
            allowed = ev.allowed(hinted)
            top = ev.dominant
            if top is not None and top != "unicode" and allowed == {top} and ev.counts[top] >= PLAIN and (
                sum(ev.counts.values()) == ev.counts[top] and not ev.against.get(top)
            ):
                self.settled = True
                return k + LEARN_STEP
        return len(head)

    def bulk(self, new: list[str], label: str, allowed: frozenset[str]) -> list[str]:
        """Read the parts of a document known to be all ``label`` in one codec call; return those that need
        the word-by-word analysis. The others keep the bulk reading until something asks for more."""
        charset = base_of(label)
        if label != charset or charset == "viqr":
            return new
        joined = "\x00".join(new)
        enc = [p for p in new if not _NOT_FONT.search(p)] if _NOT_FONT.search(joined) else new
        if not enc:
            return new
        try:
            text = get_codec(charset).decode(font_bytes(joined if enc is new else "\x00".join(enc)))
        except (UnicodeDecodeError, UnicodeEncodeError):
            return new
        decoded = text.split("\x00")
        if len(decoded) != len(enc):
            return new
        # The plain words of every part in one scan, with the part boundaries among them: for each word, the
        # index of its part (the boundaries before it), all with C-level iteration.
        tokens = _WORDS_AND_BOUNDS.findall(text)
        vocab = set(tokens)
        vocab.discard("\x00")
        letter = LOST_LETTER.get(charset) if self.restore else None
        # An ASCII plain word is the same in every reading: it needs a second look only when it may be a word
        # that lost the letter (nh -> như), which its place in the text decides.
        bad = second_looks(vocab, letter)
        ask = attested_among(vocab - bad, letter) if letter else set()
        part_of = list(accumulate(map("\x00".__eq__, tokens)))
        odd = set(compress(part_of, map(bad.__contains__, tokens))) if bad else set()
        # An ASCII part that decodes otherwise (VISCII's letters in control bytes) is no plain reading either.
        odd.update(compress(range(len(enc)), map(and_, map(str.isascii, enc), map(str.__ne__, enc, decoded))))
        asking = set(compress(part_of, map(ask.__contains__, tokens))) if ask else set()
        rest = list(set(new) - set(enc)) if enc is not new else []
        key = (allowed, self.evidence.dominant, label)
        if self.bulk_key != key:
            for part in list(self.bulk_read):  # read under other evidence: kept as Parts with their key
                self._materialize(part)
            self.bulk_key = key
        flags = list(map(asking.__contains__, range(len(enc))))
        if odd:
            rest.extend(enc[i] for i in sorted(odd))
            keep = [i not in odd for i in range(len(enc))]
            self.bulk_read.update(zip(compress(enc, keep), zip(compress(decoded, keep), compress(flags, keep))))
        else:
            self.bulk_read.update(zip(enc, zip(decoded, flags)))
        return rest

    def fill(self, part: Part) -> Part:
        """Give a bulk-read part its words (when something asks more of it than the bulk reading)."""
        if part.words is None:
            pieces = WORDS.split(part.text)
            words = analyse(pieces[1::2], self.charsets)
            part.pieces, part.words = pieces, [words[w] for w in pieces[1::2]]
        return part

    def _analyse(self, new: list[str], names: tuple[str, ...], second_look: bool = False) -> None:
        split = [WORDS.split(p) for p in new]
        words = analyse((w for pieces in split for w in pieces[1::2]), names)
        if second_look:
            odd = [
                w.text
                for w in words.values()
                # No word in the document's charset: maybe a word in another (VNI ñoïc, or loãi, a word as it
                # stands too, after TCVN3; a syllable glued to an identifier, va + ứ for VNI vaø, or a
                # compound, ta + ọp for taäp, is no reading of it). ASCII reads the same in every charset.
                if not w.text.isascii() and all(
                    a.score is None or a.score < WORD or a.glue for a in w.alts.values()
                )
            ]
            if odd:
                words.update(analyse(odd, self.charsets))
        for part, pieces in zip(new, split):
            self.parts[part] = Part(pieces, [words[w] for w in pieces[1::2]], bool(LINE_END.search(part)))
        self.evidence.add(words.values())
        if len(self.parts) + len(self.bulk_read) > _MAX_PARTS:
            self.parts = {p: self.parts[p] for p in new}
            self.bulk_read.clear()
