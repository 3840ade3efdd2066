"""The repair engine: find legacy text anywhere in a string, decode it, restore the letters it lost.

How it decides (docs/repair.md has the whole method and its measured accuracy):

1. **Words and readings.** The text is cut at spaces into *chunks* and each chunk into words; every distinct
   word is analysed once (:mod:`vnconv.repair.readings`), in batches that each charset decodes in one C call. A word's
   readings: as it stands, as font text of each candidate charset, as UTF-8 read as Windows-1252.
2. **Evidence.** A charset is considered at all only if some words read as real Vietnamese in it and as
   nonsense as they stand (``Céng`` → ``Cộng``). Unicode text, French or code never gives that, so it comes
   back untouched. A font that names a charset (``hint``) makes it a candidate by itself.
3. **Strong words and their neighbours.** A word whose best reading beats every other by a clear margin
   decides for itself (``hoµ`` is TCVN3; ``người`` is Unicode: no legacy charset has ``ư`` at that code). A
   chunk with no such word (``có``/``cú``, ``tôi``/``tụi``) takes the reading of the deciding chunks around it
   on its line; with none, it stays as it is. When every deciding word of a text agrees, the whole text is
   read that way at once.
4. **Lost letters.** TCVN3 keeps ``ư`` and VISCII ``ễ`` in byte 0xAD, the soft hyphen, which viewers drop. A
   word that is not Vietnamese without it gets it back (``D¬ng`` → ``Dương``, ``nh`` → ``như``). When the text
   has no soft hyphen left at all, the letter was lost everywhere, and a valid word that may also have lost it
   is weighed by frequency and by the words around it (``u tó`` → ``ưu tú``; ``tu dìng`` → ``tu dưỡng``).
5. **VIQR** lines (``Vie^.t Nam``) are read as VIQR when enough of their words become Vietnamese.
"""

from __future__ import annotations

import bisect
import functools
import unicodedata
from itertools import compress
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import regex

from ..language import lexicon, syllable
from ..charsets import viqr
from ..charsets.fonttext import _NOT_FONT, font_bytes
from .readings import FOREIGN, GARBAGE, LOST_LETTER, MOJIBAKE, Word, analyse, core_of, restorations
from ..charsets.registry import canonical_name, get_codec

__all__ = ["repair", "repair_runs", "repair_stream", "explain", "detect_spans", "Fix", "Span", "Repairer", "DEFAULT_CHARSETS"]

#: Charsets considered when no font names one (VN1, BKHCM, VietWare and VNI-Mac only when named).
DEFAULT_CHARSETS = ("tcvn3", "vni", "viscii", "vps", "cp1258")
STRONG = 3.0  #: the score margin by which a word decides its own reading
EVIDENCE = 5.0  #: how much better than as it stands a reading must be to count as evidence for its charset
SINGLE_WORD = 7.0  #: ... and when it is the only such word
ATTRIBUTE = 1.5  #: how much better than the other legacy readings, to count for that charset alone
HINT_BONUS = 1.5  #: what a font naming a charset adds to that charset's readings of its words
DOC_PRIOR = 2.5  #: what a document that is overwhelmingly one charset (or Unicode) adds to that reading
SETTLE = 4000  #: distinct chunks read with every charset before a long document is read in its own charset

_SEP = "\t\n\v\f\r \x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_WORDS = regex.compile(rf"([^{_SEP}!-/:-@\[-`{{-~]+)")
_LINE_END = regex.compile(r"[\n\r\v\f\x85\u2028\u2029]")
_VIQR_HINT = regex.compile(r"[aeiouyAEIOUY](?:[(^+]|['`?~.](?=[a-zA-Z]))|(?<![A-Za-z])[dD][dD][aeiouyAEIOUY]")
# Around a word that is the same in every reading, only sentence punctuation may stand for it to count as a
# word that lost a letter (``nh`` yes; ``%s``, ``-d``, ``x_t`` no).
_PROSE_EDGES = set(" \t\n\r.,;:!?()-\"'“”‘’«»…–—")


@dataclass(frozen=True)
class Fix:
    """One change :func:`repair` makes: where, what it was, what it becomes, and why."""

    start: int
    end: int
    before: str
    after: str
    charset: str  #: how the original was read: a charset, "utf8", "utf8+tcvn3", "viqr"
    reason: str


@dataclass(frozen=True)
class Span:
    """A stretch of text and how it reads: a charset name, "utf8…", "viqr", or "unicode" (as it stands)."""

    start: int
    end: int
    charset: str


def _reason(label: str, restored: bool) -> str:
    if label.startswith("utf8+"):
        text = f"{label[5:].upper()} font text, later saved as UTF-8 and read back as Windows-1252, decoded"
    elif label == "utf8":
        text = "UTF-8 read as Windows-1252, decoded"
    elif label == "viqr":
        text = "VIQR (Vietnamese written with ASCII marks) turned into letters"
    else:
        text = f"{label.upper()} font text (its bytes shown as Windows-1252) decoded"
    if restored:
        base = label.split("+")[-1]
        letter = LOST_LETTER.get(base, "")
        text += (
            f"; '{letter}' restored: {base.upper()} stores it in byte 0xAD, the soft hyphen, "
            "which viewers and converters drop"
        )
    return text


@dataclass(eq=False)
class _Chunk:
    pieces: list[str] | None  #: gap, word, gap, word, …, gap (None until needed, for bulk-read chunks)
    words: list[Word] | None
    newline: bool
    text: str = ""
    own: dict[tuple[frozenset[str], str | None, str | None], str | None] = field(default_factory=dict)
    rendered: dict[tuple[str, frozenset[str], str | None], tuple[str, bool]] = field(default_factory=dict)


def _base(label: str) -> str:
    return label.rsplit("+", 1)[-1]


def _split(text: str) -> tuple[list[str], list[int]]:
    """Cut ``text`` at spaces and line feeds: the parts, and how many parts each line has."""
    parts: list[str] = []
    counts: list[int] = []
    for line in text.split("\n"):
        ps = line.split(" ")
        parts.extend(ps)
        counts.append(len(ps))
    return parts, counts


def _join(outs: list[str], counts: list[int]) -> str:
    lines = []
    a = 0
    for n in counts:
        lines.append(" ".join(outs[a : a + n]))
        a += n
    return "\n".join(lines)


def _line_ends(counts: list[int], n: int) -> list[bool]:
    ends = [False] * n
    a = 0
    for c in counts:
        a += c
        ends[a - 1] = True
    return ends


def _starts(parts: list[str], counts: list[int]) -> list[int]:
    """Where each part starts in the text."""
    out = []
    pos = 0
    ends = _line_ends(counts, len(parts))
    for p, e in zip(parts, ends):
        out.append(pos)
        pos += len(p) + 1
    return out


class Repairer:
    """A configured repair engine that keeps what it learns about a document between :meth:`feed` calls.

    ``charsets``: candidate legacy charsets (default :data:`DEFAULT_CHARSETS`); ``hint``: a charset a font or the
    user names; ``lost``: whether the letters in byte 0xAD were lost everywhere (None: decide from the text).
    """

    def __init__(
        self,
        *,
        hint: str | None = None,
        charsets: Sequence[str] | None = None,
        form: str = "NFC",
        tone_style: str | None = None,
        restore: bool = True,
        viqr: bool = True,
        lost: bool | None = None,
    ) -> None:
        names = [canonical_name(c) for c in (charsets or DEFAULT_CHARSETS)]
        self.hint = canonical_name(hint) if hint else None
        if self.hint and self.hint not in names:
            names.append(self.hint)
        self.charsets = tuple(n for n in names if n != "viqr")
        if form not in ("NFC", "NFD"):
            raise ValueError(f"form must be 'NFC' or 'NFD', not {form!r}")
        if tone_style not in (None, "old", "new"):
            raise ValueError(f"tone_style must be None, 'old' or 'new', not {tone_style!r}")
        self.form = form
        self.tone_style = tone_style
        self.restore = restore
        self.viqr = viqr or self.hint == "viqr"
        self.lost = lost
        self._chunks: dict[str, _Chunk] = {}
        self._evidence: dict[str, int] = {}
        self._against: dict[str, int] = {}
        self._unicode_words = 0  #: words that can only be Unicode Vietnamese (người, việc)
        self._dominant: str | None = None
        self._hinted: set[str] = {self.hint} if self.hint and self.hint != "viqr" else set()
        self._gain: dict[str, float] = {}
        self._word_memo: dict[tuple[str, str, bool, bool], tuple[str, bool]] = {}
        self._strong_memo: dict[tuple[str, frozenset[str], str | None, str | None], str | None] = {}
        self._counted: set[str] = set()
        self._saw_soft_hyphen = False

    def add_charset(self, name: str, hinted: bool = True) -> None:
        """Consider one more charset; ``hinted``: a font names it, so it is a candidate whatever the evidence
        (runs of one paragraph in different fonts)."""
        name = canonical_name(name)
        if name == "viqr":
            return
        if name not in self.charsets:
            self.charsets = self.charsets + (name,)
            self._chunks.clear()
        if hinted:
            self._hinted.add(name)

    # -- analysis ----------------------------------------------------------------------------------------
    def _analyse(self, parts: list[str]) -> None:
        chunks = self._chunks
        new = [p for p in set(parts) if p not in chunks]
        if not new:
            return
        if len(new) > SETTLE:
            new = [p for p in dict.fromkeys(parts) if p not in chunks]  # in order: learn from the start
            # Learn what the document is from its first part, then read the rest in that charset only:
            # a word that then looks like a wrong decoding in it still gets every charset (a switch to VNI).
            self._analyse_parts(new[:SETTLE], self.charsets)
            allowed = self.allowed()
            if self._dominant is not None and self._dominant != "unicode" and allowed == {self._dominant}:
                rest = self._bulk(new[SETTLE:], self._dominant, allowed)
                self._analyse_parts(rest, (_base(self._dominant),), second_look=True)
                return
            self._analyse_parts(new[SETTLE:], self.charsets)
            return
        self._analyse_parts(new, self.charsets)

    def _bulk(self, new: list[str], label: str, allowed: frozenset[str]) -> list[str]:
        """Read the chunks of a document known to be all ``label`` in one codec call; return those that need
        the word-by-word analysis (a word that is not Vietnamese read that way: a lost letter, a name, a
        switch to another charset). The others keep the bulk reading until something asks for more."""
        charset = _base(label)
        if label != charset or charset in ("viqr",):
            return new
        enc = [p for p in new if not _NOT_FONT.search(p)]
        if not enc:
            return new
        try:
            decoded = get_codec(charset).decode(font_bytes("\x00".join(enc))).split("\x00")
        except (UnicodeDecodeError, UnicodeEncodeError):
            return new
        if len(decoded) != len(enc):
            return new
        vocab = set(_PLAIN_WORD.findall("\x00".join(decoded)))
        letter = LOST_LETTER.get(charset) if self.restore else None
        bad = {w for w in vocab if not _fine(w)}
        ask = {w for w in vocab - bad if letter and _attested_restoration(w, letter)} if letter else set()
        if letter:
            bad |= {w for w in vocab if w.isascii() and not _fine(w)}
        rest = list(set(new) - set(enc))
        key_own = (allowed, None, self._dominant)
        key_render = (label, allowed, self._dominant)
        chunks = self._chunks
        for part, text in zip(enc, decoded):
            found = set(_PLAIN_WORD.findall(text))
            if found & bad or (part.isascii() and text != part):
                rest.append(part)
                continue
            chunk = _Chunk(None, None, bool(_LINE_END.search(part)), part)
            chunk.own[key_own] = None
            chunk.rendered[key_render] = (text, bool(found & ask))
            chunks[part] = chunk
        return rest

    def _fill(self, chunk: _Chunk) -> _Chunk:
        """Give a bulk-read chunk its words (when something asks more of it than the bulk reading)."""
        if chunk.words is None:
            pieces = _WORDS.split(chunk.text)
            words = analyse(pieces[1::2], self.charsets)
            chunk.pieces, chunk.words = pieces, [words[w] for w in pieces[1::2]]
        return chunk

    def _analyse_parts(self, new: list[str], names: tuple[str, ...], second_look: bool = False) -> None:
        split = [_WORDS.split(p) for p in new]
        words = analyse((w for pieces in split for w in pieces[1::2]), names)
        if second_look:
            odd = [
                w.text
                for w in words.values()
                if w.unicode is not None and w.unicode <= MOJIBAKE and all(
                    a.score is None or a.score <= GARBAGE for a in w.alts.values()
                )
            ]
            if odd:
                words.update(analyse(odd, self.charsets))
        for part, pieces in zip(new, split):
            ws = [words[w] for w in pieces[1::2]]
            self._chunks[part] = _Chunk(pieces, ws, bool(_LINE_END.search(part)))
        for w in words.values():
            if w.text not in self._counted:
                self._counted.add(w.text)
                self._count(w)
        if len(self._chunks) > 400_000:  # bounded memory on endless streams
            self._chunks = {p: self._chunks[p] for p in new}

    def _count(self, w: Word) -> None:
        """Evidence for a charset: a word that is no Vietnamese as it stands and a frequent one in that charset
        (better than in the others). Counter-evidence: a word that stands fine as it is (Vietnamese, or a
        plausible foreign word) and is nonsense in that charset."""
        core = core_of(w.text)
        if not w.encodable and w.unicode is not None and w.unicode > 0:
            self._unicode_words += 1
        if not w.alts or not core or core.isascii():
            return  # "—", "x·", "nh": symbols or ASCII as they stand prove nothing
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
            if best >= 2.0 and best - base >= EVIDENCE and best - second >= ATTRIBUTE:
                for lab in same:
                    self._evidence[lab] = self._evidence.get(lab, 0) + 1
                    self._gain[lab] = max(self._gain.get(lab, 0.0), best - base)
        if base > MOJIBAKE and not any(a.score is not None and a.score >= 2.0 for a in w.alts.values()):
            # Fine as it stands, and no charset makes a word of it: nonsense in a charset counts against it.
            # (A word another charset explains, ngêi in TCVN3, says nothing against VNI.)
            for label, a in w.alts.items():
                if a.text != w.text and a.score is not None and a.score <= GARBAGE:
                    self._against[label] = self._against.get(label, 0) + 1

    def allowed(self) -> frozenset[str]:
        """The readings this document gives evidence for (more than against), plus the hinted charset.

        One word alone is weak evidence (``où`` is VNI ``ó``): it must be a very clear case."""
        ev = self._evidence
        out: set[str] = set()
        if ev:
            top = max(ev.values())
            for label, n in ev.items():
                if n < max(1.0, 0.1 * top) or n < self._against.get(label, 0):
                    continue
                if n == 1 and self._gain.get(label, 0.0) < SINGLE_WORD:
                    continue
                out.add(label)
        out |= self._hinted
        # A document that is overwhelmingly one thing tips its ambiguous words that way.
        self._dominant = None
        if ev:
            top_label = max(ev, key=ev.__getitem__)
            top = ev[top_label]
            if top_label in out and top >= 20 and top >= 4 * (self._unicode_words + self._against.get(top_label, 0)):
                self._dominant = top_label
        if self._dominant is None and self._unicode_words >= 20 and self._unicode_words >= 4 * sum(ev.values()):
            self._dominant = "unicode"
        return frozenset(out)

    def _scores(self, w: Word, allowed: frozenset[str], hint: str | None) -> dict[str, float]:
        u = w.unicode if w.unicode is not None else 0.0
        out = {"unicode": u}
        for label in allowed:
            a = w.alts.get(label)
            if a is not None and a.text != w.text:
                s = a.score if a.score is not None else 0.0
            elif label.startswith("utf8") or not w.encodable:
                continue  # that reading does not exist for this word
            else:
                s = u  # reads the same
            if hint is not None and _base(label) == hint:
                s += HINT_BONUS
            if label == self._dominant:
                s += DOC_PRIOR
            out[label] = s
        if self._dominant == "unicode":
            out["unicode"] += DOC_PRIOR
        return out

    def _strong(self, w: Word, allowed: frozenset[str], hint: str | None) -> str | None:
        key = (w.text, allowed, hint, self._dominant)
        memo = self._strong_memo
        if key in memo:
            return memo[key]
        found = self._decide(w, allowed, hint)
        if len(memo) > 500_000:
            memo.clear()
        memo[key] = found
        return found

    def _decide(self, w: Word, allowed: frozenset[str], hint: str | None) -> str | None:
        if not core_of(w.text):
            return None  # no letters as it stands ("«", "—"): a symbol does not decide a reading
        scores = self._scores(w, allowed, hint)
        if len(scores) == 1:
            return "unicode" if w.unicode is not None and not w.text.isascii() else None
        ranked = sorted(scores.values(), reverse=True)
        if ranked[0] - ranked[1] < STRONG or ranked[0] < 0.0:
            return None  # too close to call, or the best reading is no Vietnamese word either
        best = max(scores, key=scores.__getitem__)
        if best == "unicode" and (w.unicode is None or w.unicode <= 0.0):
            return None  # as it stands it is no Vietnamese word either (¡nh): nothing to decide
        return best

    def _own(self, chunk: _Chunk, allowed: frozenset[str], hint: str | None) -> str | None:
        key = (allowed, hint, self._dominant)
        if key in chunk.own:
            return chunk.own[key]
        self._fill(chunk)
        assert chunk.words is not None
        labels = [s for s in (self._strong(w, allowed, hint) for w in chunk.words) if s is not None]
        own = labels[0] if labels else None
        chunk.own[key] = own
        return own

    # -- rendering ---------------------------------------------------------------------------------------
    def _render(self, chunk: _Chunk, label: str, allowed: frozenset[str], hint: str | None) -> tuple[str, bool]:
        """The chunk with each word read as ``label`` (a word that decides for itself keeps its own
        reading); also whether a word in it may have lost a letter in a way only context can settle."""
        key = (label, allowed, self._dominant)
        hit = chunk.rendered.get(key)
        if hit is not None:
            return hit
        self._fill(chunk)
        assert chunk.pieces is not None and chunk.words is not None
        pieces = list(chunk.pieces)
        ask = False
        memo = self._word_memo
        for i, w in enumerate(chunk.words):
            own = self._strong(w, allowed, hint)
            use = own if own is not None else label
            edges = pieces[2 * i] + pieces[2 * i + 2]
            # A one-letter word counts only standing alone between spaces (t tëng), not in v.d. or [y,n];
            # a word glued by a full stop to the next one is an abbreviation (Tr.®ã = Trong đó).
            prose = (
                set(edges) <= _PROSE_EDGES
                and (len(w.text) > 1 or not edges.strip(" \t\n\r"))
                and not (pieces[2 * i + 2] == "." and i + 1 < len(chunk.words))
            )
            hinted = hint is not None and _base(use) == hint
            wkey = (w.text, use, prose, hinted)
            done = memo.get(wkey)
            if done is None:
                text = self._word_as(w, use, prose, hinted)
                letter = LOST_LETTER.get(_base(use))
                may = bool(
                    letter and self.restore and (text != w.text or (prose and _plain_word(w.text)))
                    and _attested_restoration(text, letter)
                )
                done = memo[wkey] = (text, may)
            pieces[2 * i + 1] = done[0]
            ask = ask or done[1]
        out = ("".join(pieces), ask)
        chunk.rendered[key] = out
        return out

    def _word_as(self, w: Word, label: str, prose: bool, hinted: bool = False) -> str:
        if label == "unicode":
            return w.text
        a = w.alts.get(label)
        if a is None:
            return w.text
        if a.restored and self.restore and not syllable.is_syllable(core_of(a.text)):
            if a.text != w.text:
                need = 2.5 if len(core_of(a.text)) == 1 else 1.5
                return a.restored[0] if lexicon.zipf(core_of(a.restored[0])) >= need else a.text
            # The same text in every reading (nh): only a plain word in prose, and only a known word.
            need = 4.0 if len(w.text) == 1 else 1.5
            if prose and _plain_word(w.text) and lexicon.zipf(core_of(a.restored[0])) >= need:
                return a.restored[0]
            return w.text
        if a.score is not None and a.score <= GARBAGE:
            # No Vietnamese word either way: a loanword or a name in font text (Băng z«n -> zôn) is still
            # decoded when as it stands it looks like a wrong decoding and decoded it looks like a word; a
            # plausible foreign word, or other mojibake (Chinese read as Latin-1), stays as it is.
            # In a run whose font names the charset, what the font showed wins over a foreign-looking word
            # (VNI "ÑTB" is "ĐTB"), as long as it looks like a word.
            # Symbols the font showed as letters (¨ in .VnTime is ă, ¸¹ is áạ) are those letters.
            if hinted and w.unicode is None:
                return a.text
            plausible = (w.unicode is None and not hinted) or (
                w.unicode is not None and w.unicode > (FOREIGN if hinted else MOJIBAKE)
            )
            if plausible or not _wordlike(a.text, hinted):
                return w.text
        return a.text

    # -- decisions ---------------------------------------------------------------------------------------
    def _labels(
        self, parts: list[str], counts: list[int], hints: list[str | None] | None, allowed: frozenset[str]
    ) -> list[str]:
        """The reading of every part: its own if it decides, else that of the deciding parts around it on its
        line; a line where nothing decides follows the document (or its font, or stays as it is)."""
        chunks = self._chunks
        default = self._dominant or "unicode"
        if hints is None:
            own_of = {p: self._own(chunks[p], allowed, None) for p in set(parts)}
            decided = {o for o in own_of.values() if o is not None}
            if len(decided) == 1 and (default == "unicode" or decided == {default}):
                (only,) = decided
                return [only] * len(parts)  # every deciding word agrees: read the whole text that way
            own = list(map(own_of.__getitem__, parts))
        else:
            own = [self._own(chunks[p], allowed, h) for p, h in zip(parts, hints)]
        out: list[str] = []
        a = 0
        for n in counts:
            line = own[a : a + n]
            decided = set(line)
            decided.discard(None)
            if len(decided) == 1:
                (only,) = decided
                out.extend([only] * n)  # type: ignore[list-item]
            elif not decided:
                if hints is not None:
                    out.extend(h if h is not None and h in allowed else default for h in hints[a : a + n])
                else:
                    out.extend([default] * n)
            else:
                out.extend(self._inherit(parts[a : a + n], line, allowed))
            a += n
        return out

    def _inherit(self, parts: list[str], own: list[str | None], allowed: frozenset[str]) -> list[str]:
        """Within one line: each undecided part takes the reading of the nearest deciding part on each side."""
        n = len(own)
        chunks = self._chunks
        left: list[str | None] = [None] * n
        cur: str | None = None
        for i in range(n):
            if own[i] is not None:
                cur = own[i]
            left[i] = cur
            if chunks[parts[i]].newline:
                cur = None
        right: list[str | None] = [None] * n
        cur = None
        for i in range(n - 1, -1, -1):
            if chunks[parts[i]].newline:
                cur = None
            if own[i] is not None:
                cur = own[i]
            right[i] = cur
        out: list[str] = []
        for i in range(n):
            o = own[i]
            if o is not None:
                out.append(o)
                continue
            x, y = left[i], right[i]
            if x is None and y is None:
                out.append(self._dominant or "unicode")
            elif x is None or y is None or x == y:
                out.append(x if x is not None else y)  # type: ignore[arg-type]
            else:
                out.append(self._closer(chunks[parts[i]], x, y, allowed))
        return out

    def _closer(self, chunk: _Chunk, a: str, b: str, allowed: frozenset[str]) -> str:
        """Between the readings of the neighbours on each side, the one this chunk's words like better."""
        ta = tb = 0.0
        for w in self._fill(chunk).words or []:
            s = self._scores(w, allowed, None)
            ta += s.get(a, GARBAGE)
            tb += s.get(b, GARBAGE)
        return a if ta >= tb else b

    # -- lost letters in context -------------------------------------------------------------------------
    def _restore_in_context(self, parts: list[str], outs: list[str], targets: list[int], labels: list[str]) -> None:
        """Valid words that may have lost a letter: keep them or put it back, by frequency and neighbours.
        (A part is decided once for each pair of neighbours it has: documents repeat themselves.)"""
        memo: dict[tuple[str, str, str, str], str] = {}
        n = len(outs)
        for i in targets:
            prev = _last_word(outs[i - 1]) if i > 0 else ""
            nxt = _first_word(outs[i + 1]) if i + 1 < n else ""
            key = (prev, parts[i], outs[i], nxt)
            done = memo.get(key)
            if done is None:
                done = memo[key] = self._restore_part(parts[i], outs[i], prev, nxt, LOST_LETTER[_base(labels[i])])
            outs[i] = done

    def _restore_part(self, part: str, out: str, prev: str, after: str, letter: str) -> str:
        pieces = _WORDS.split(out)
        original = _WORDS.split(part)
        same = len(original) == len(pieces)
        for k in range(1, len(pieces), 2):
            nxt = pieces[k + 2] if k + 2 < len(pieces) else after
            word = pieces[k]
            edges = pieces[k - 1] + pieces[k + 1]
            abbreviation = pieces[k + 1] == "." and k + 2 < len(pieces)
            if not abbreviation and (not same or word != original[k] or (
                set(edges) <= _PROSE_EDGES and _plain_word(word) and (len(word) > 1 or not edges.strip(" \t\n\r"))
            )):
                pieces[k] = _choose(word, letter, prev, nxt)
            prev = pieces[k]
        return "".join(pieces)

    # -- the whole pass ----------------------------------------------------------------------------------
    def _pass(
        self, text: str, hints: list[str | None] | None
    ) -> tuple[list[str], list[int], list[str], list[str]] | None:
        """Parts, parts per line, their repaired text and their labels; None when nothing in the text is legacy.
        ``hints``: per part (see :func:`_split`), the charset its font names."""
        chunks = self._chunks
        parts, counts = _split(text)
        self._analyse(parts)
        allowed = self.allowed()
        if not allowed:
            return None
        if hints is None:
            distinct = set(parts)
            own_of = {p: self._own(chunks[p], allowed, None) for p in distinct}
            decided = set(own_of.values())
            decided.discard(None)
            default = self._dominant or "unicode"
            if len(decided) <= 1 and (default == "unicode" or not decided or decided == {default}):
                # Every deciding word agrees: read the whole text that way, each distinct part once.
                label = next(iter(decided)) if decided else default
                rendered = {p: self._render(chunks[p], label, allowed, None) for p in distinct}
                texts = {p: r[0] for p, r in rendered.items()}
                asked = {p for p, r in rendered.items() if r[1]}
                outs = list(map(texts.__getitem__, parts))
                targets = list(compress(range(len(parts)), map(asked.__contains__, parts))) if asked else []
                labels = [label] * len(parts)
                self._restore(text, parts, outs, targets, labels)
                return parts, counts, outs, labels
        if hints is None:
            return self._pass_lines(text, parts, counts, own_of, allowed)
        labels = self._labels(parts, counts, hints, allowed)
        rendered = [self._render(chunks[p], lab, allowed, h) for p, lab, h in zip(parts, labels, hints)]
        outs = [r[0] for r in rendered]
        targets = [i for i, r in enumerate(rendered) if r[1]]
        self._restore(text, parts, outs, targets, labels)
        return parts, counts, outs, labels

    def _pass_lines(
        self, text: str, parts: list[str], counts: list[int], own_of: dict[str, str | None], allowed: frozenset[str]
    ) -> tuple[list[str], list[int], list[str], list[str]]:
        """A text whose lines read differently: decide and render line by line. Most lines are one reading, so
        each is rendered with one C-level map over a table that renders a part the first time it is asked for."""
        chunks = self._chunks
        repairer = self

        class Table(dict):  # type: ignore[type-arg]
            def __init__(self, label: str) -> None:
                super().__init__()
                self.label = label

            def __missing__(self, part: str) -> tuple[str, bool]:
                value = self[part] = repairer._render(chunks[part], self.label, allowed, None)
                return value

        tables: dict[str, Table] = {}
        default = self._dominant or "unicode"
        own = list(map(own_of.__getitem__, parts))
        rendered: list[tuple[str, bool]] = []
        labels: list[str] = []
        a = 0
        for n in counts:
            line = own[a : a + n]
            decided = set(line)
            decided.discard(None)
            if len(decided) <= 1:
                label = decided.pop() if decided else default
                table = tables.get(label) or tables.setdefault(label, Table(label))
                rendered.extend(map(table.__getitem__, parts[a : a + n]))
                labels.extend([label] * n)
            else:
                mixed = self._inherit(parts[a : a + n], line, allowed)
                for p, lab in zip(parts[a : a + n], mixed):
                    rendered.append((tables.get(lab) or tables.setdefault(lab, Table(lab)))[p])
                labels.extend(mixed)
            a += n
        outs = [r[0] for r in rendered]
        targets = [i for i, r in enumerate(rendered) if r[1]]
        self._restore(text, parts, outs, targets, labels)
        return parts, counts, outs, labels

    def _restore(self, text: str, parts: list[str], outs: list[str], targets: list[int], labels: list[str]) -> None:
        self._saw_soft_hyphen |= "\u00ad" in text
        lost = self.lost if self.lost is not None else not self._saw_soft_hyphen
        if self.restore and lost and targets:
            self._restore_in_context(parts, outs, targets, labels)

    def feed(self, text: str, hints: list[str | None] | None = None, fixes: list[Fix] | None = None) -> str:
        """Repair one piece of a document; what is learnt about the document carries over to the next piece.
        ``hints``: per space-separated chunk of ``text``, the charset its font names (or None)."""
        if not text:
            return text
        if self.viqr:
            text = self._viqr_lines(text, fixes)
        result = self._pass(text, hints)
        if result is None:
            out = text
        else:
            parts, counts, outs, labels = result
            if fixes is not None:
                self._record(parts, counts, outs, labels, fixes)
            out = _join(outs, counts)
        return self._finish(out)

    def _finish(self, out: str) -> str:
        if self.tone_style:
            out = _retone(out, self.tone_style)
        if self.form == "NFD":
            out = unicodedata.normalize("NFD", out)
        return out

    def _record(self, parts: list[str], counts: list[int], outs: list[str], labels: list[str], fixes: list[Fix]) -> None:
        for pos, part, out, label in zip(_starts(parts, counts), parts, outs, labels):
            if part != out:
                a, b = _WORDS.split(part), _WORDS.split(out)
                chunk = self._chunks.get(part)
                off = pos
                if chunk is not None:
                    self._fill(chunk)
                if len(a) == len(b) and chunk is not None and chunk.words is not None:
                    for k, (x, y) in enumerate(zip(a, b)):
                        if x != y:
                            w = chunk.words[(k - 1) // 2] if k % 2 else None
                            lab, restored = _how(w, y, label)
                            fixes.append(Fix(off, off + len(x), x, y, lab, _reason(lab, restored)))
                        off += len(x)
                else:
                    fixes.append(Fix(pos, pos + len(part), part, out, label, _reason(label, False)))

    def _viqr_lines(self, text: str, fixes: list[Fix] | None) -> str:
        """Lines that read as VIQR, decoded. (VIQR is 7-bit: only ASCII lines are looked at.)"""
        if text.isascii():
            if not _VIQR_HINT.search(text):
                return text
        elif not any(line.isascii() and _VIQR_HINT.search(line) for line in text.split("\n")):
            return text
        out: list[str] = []
        pos = 0
        for line in text.splitlines(keepends=True):
            new = line
            if line.isascii() and _VIQR_HINT.search(line) and _viqr_candidates(line, self.hint == "viqr"):
                cand = viqr.decode_text(line)
                if cand != line and _viqr_wins(line, cand, self.hint == "viqr"):
                    new = cand
                    if fixes is not None:
                        fixes.append(Fix(pos, pos + len(line), line, new, "viqr", _reason("viqr", False)))
            out.append(new)
            pos += len(line)
        return "".join(out)

    def runs(
        self, runs: Sequence[str], hints: Sequence[str | None] | None = None, fixes: list[Fix] | None = None
    ) -> list[str]:
        """:func:`repair_runs` with this engine (what it learns carries to the next paragraph).

        ``fixes``: when a list is given, the engine's record of each change is appended to it, with offsets in
        the runs joined (``"".join(runs)``), the charset each stretch was read as, and why."""
        runs = list(runs)
        hint_list = [canonical_name(h) if h else None for h in (hints if hints is not None else [None] * len(runs))]
        if not any(runs):
            return runs
        text = "".join(runs)
        named = [h for h in hint_list if h]
        for h in named:
            self.add_charset(h)
        ends = []
        pos = 0
        for r in runs:
            pos += len(r)
            ends.append(pos)

        def run_at(p: int) -> int:
            i = bisect.bisect_right(ends, p)
            while i < len(runs) - 1 and not runs[i]:
                i += 1
            return min(i, len(runs) - 1)

        if "viqr" in named:
            decoded = self._viqr_lines(text, fixes)
            if decoded != text:
                return [self._finish(decoded)] + [""] * (len(runs) - 1)
        parts, counts = _split(text)
        starts = _starts(parts, counts)
        part_hints = [hint_list[run_at(s)] for s in starts]
        result = self._pass(text, part_hints if named else None)
        if result is None:
            return [self._finish(r) for r in runs] if (self.tone_style or self.form == "NFD") else runs
        parts, counts, outs, labels = result
        if fixes is not None:
            self._record(parts, counts, outs, labels, fixes)
        out = [""] * len(runs)
        for k, (part, new, start) in enumerate(zip(parts, outs, starts)):
            if k:
                out[run_at(start - 1)] += text[start - 1]  # the space or line feed before this part
            a, b = _WORDS.split(part), _WORDS.split(new)
            if part == new or len(a) != len(b):
                if part == new:
                    _spread(part, start, run_at, out)
                else:
                    out[run_at(start)] += new
                continue
            off = start
            for x, y in zip(a, b):
                if x == y:
                    _spread(x, off, run_at, out)
                else:
                    out[run_at(off)] += y
                off += len(x)
        return [self._finish(r) for r in out]

    def spans(self, text: str) -> list[Span]:
        """How each stretch of ``text`` reads (see :func:`detect_spans`)."""
        result = self._pass(text, None)
        spans: list[Span] = []
        if result is None:
            return [Span(0, len(text), "unicode")] if text else []
        parts, counts, outs, labels = result
        for pos, part, out, label in zip(_starts(parts, counts), parts, outs, labels):
            lab = label if out != part else "unicode"
            end = pos + len(part)
            if spans and spans[-1].charset == lab:
                spans[-1] = Span(spans[-1].start, end, lab)
            elif spans and not part.strip():
                spans[-1] = Span(spans[-1].start, end, spans[-1].charset)
            else:
                spans.append(Span(pos if not spans else spans[-1].end, end, lab))
        if spans and spans[-1].end < len(text):
            spans[-1] = Span(spans[-1].start, len(text), spans[-1].charset)
        return spans


def _how(w: Word | None, after: str, label: str) -> tuple[str, bool]:
    """How a changed word was read, and whether a lost letter was put back."""
    if w is None:
        return label, False
    for lab, a in w.alts.items():
        if a.text == after:
            return lab, False
    for lab, a in w.alts.items():
        if after in a.restored or core_of(after) in (core_of(c) for c in a.restored):
            return lab, True
    a = w.alts.get(label)
    return label, a is not None and a.text != after


def _choose(word: str, letter: str, prev: str, nxt: str) -> str:
    """Keep ``word`` or give it back a lost ``letter``: the likelier by frequency and by its neighbours."""
    cands = restorations(word, letter)
    if not cands or not syllable.is_syllable(core_of(word)):
        return word
    pc, nc = core_of(prev), core_of(nxt)

    def value(w: str) -> float:
        core = core_of(w)
        v = lexicon.zipf(core)
        if pc:
            v += lexicon.pair_score(pc, core)
        if nc:
            v += lexicon.pair_score(core, nc)
        return v

    best = word
    top = value(word)
    for c in cands:
        v = value(c)
        if v > top:
            best, top = c, v
    return best


@functools.lru_cache(maxsize=1 << 16)
def _attested_restoration(text: str, letter: str) -> bool:
    """Whether ``text`` may be a known word that lost ``letter``."""
    return any(lexicon.zipf(core_of(c)) >= 1.0 for c in restorations(text, letter))


_PLAIN_WORD = regex.compile(r"[\p{L}\p{M}\p{N}_]+")


def _fine(word: str) -> bool:
    """A decoded word that needs no second look: a Vietnamese syllable (any case), a number, or an ASCII word
    that is not a plain word that lost a letter."""
    if syllable.is_syllable(word) or word.isdigit():
        return True
    low = word.lower()
    if syllable.is_syllable(low):
        return True
    return word.isascii() and not _plain_word(word)


def _wordlike(text: str, relaxed: bool = False) -> bool:
    """Letters in a normal case pattern, with at most one tone mark: a name or a loanword (zôn, Krông).
    ``relaxed`` (the font names the charset): any mix of cases, as in identifiers (tinhĐTBcanam), and a mark
    the font drew over a consonant (VNI hocïky is hoc̣ky: what the page showed, typo and all)."""
    core = core_of(text)
    letters = "".join(c for c in unicodedata.normalize("NFD", core) if not unicodedata.combining(c)) if relaxed else core
    if not core or not letters.isalpha() or len(core) > (24 if relaxed else 10):
        return False
    if not relaxed and not (core.islower() or core.isupper() or (core[:1].isupper() and core[1:].islower())):
        return False
    tones = sum(1 for c in unicodedata.normalize("NFD", core) if c in "\u0300\u0301\u0303\u0309\u0323")
    return tones <= 1


def _plain_word(word: str) -> bool:
    """A lowercase or Title-case word of letters only: what a word that lost a letter looks like (not PNG)."""
    return word.isalpha() and (word.islower() or (word[:1].isupper() and word[1:].islower()))


def _first_word(text: str) -> str:
    m = _WORDS.search(text)
    return m.group() if m else ""


def _last_word(text: str) -> str:
    found = _WORDS.findall(text)
    return found[-1] if found else ""


_VIQR_WORD = regex.compile(r"(?<![A-Za-z])[A-Za-z]*[aeiouyAEIOUY](?:[(^+]['`?~.]?|['`?~.])[A-Za-z]*|(?<![A-Za-z])[dD][dD][A-Za-z]+")


def _viqr_candidates(line: str, hinted: bool) -> bool:
    """Cheap test before decoding a line as VIQR: enough words that VIQR turns into Vietnamese."""
    need = 1 if hinted else 2
    good = 0
    for m in _VIQR_WORD.finditer(line):
        core = core_of(viqr.decode_text(m.group()))
        if len(core) > 1 and syllable.is_syllable(core) and lexicon.zipf(core) >= 2.0:
            good += 1
            if good >= need:
                return True
    return good >= 1 and len(line.split()) <= 3


def _viqr_wins(line: str, cand: str, hinted: bool) -> bool:
    """A line reads as VIQR when enough of its words become Vietnamese and few become nonsense."""
    good = bad = 0
    for a, b in zip(line.split(), cand.split()):
        if a == b:
            continue
        core = core_of(b)
        if syllable.is_syllable(core) and lexicon.zipf(core) >= 2.0:
            good += len(core) > 1  # "o'" alone (Dutch '+o') proves little
        else:
            bad += 1
    if hinted:
        return good >= 1 and good >= bad
    return (good >= 2 and good >= 3 * bad) or (good >= 1 and bad == 0 and len(line.split()) <= 3)


def _retone(text: str, style: str) -> str:
    def sub(m: regex.Match[str]) -> str:
        w = m.group()
        return syllable.retone(w, style) if syllable.is_syllable(w) else w

    return regex.sub(r"\p{L}+", sub, text)


# -- public API ----------------------------------------------------------------------------------------------
def repair(
    text: str,
    *,
    hint: str | None = None,
    form: str = "NFC",
    tone_style: str | None = None,
    restore: bool = True,
    charsets: Sequence[str] | None = None,
    viqr: bool = True,
    lost: bool | None = None,
) -> str:
    """Turn any mix of Unicode and legacy text into Unicode; text that is right comes back unchanged.

    Legacy font text (TCVN3, VNI, VISCII, VPS, CP1258 read as Windows-1252), UTF-8 read as Windows-1252 (also
    over font text) and VIQR lines are decoded word by word where the evidence says so; TCVN3's lost ``ư`` and
    VISCII's lost ``ễ`` are restored. ``hint``: a charset a font or the user names (it makes that charset a
    candidate and tips ambiguous words; Unicode stays Unicode). ``form``: "NFC" or "NFD" output.
    ``tone_style``: None keeps each word's; "old" (hoà, thuý) or "new" (hòa, thủy) rewrites every syllable.
    ``restore``: restore lost letters. ``charsets``: the candidate charsets. ``viqr``: look for VIQR.
    ``lost``: whether the 0xAD letters were lost everywhere (None: yes when no soft hyphen is left).
    """
    return Repairer(
        hint=hint, form=form, tone_style=tone_style, restore=restore, charsets=charsets, viqr=viqr, lost=lost
    ).feed(text)


def explain(text: str, **options: object) -> list[Fix]:
    """What :func:`repair` changes in ``text``: where (positions in ``text``), from what, to what, and why.

    In the spirit of ftfy's explanations; applying the fixes from last to first gives ``repair(text)``
    (before ``tone_style``/``form``).
    """
    engine = Repairer(**options)  # type: ignore[arg-type]
    fixes: list[Fix] = []
    if engine.viqr and _VIQR_HINT.search(text):
        viqr_fixes: list[Fix] = []
        decoded = engine._viqr_lines(text, viqr_fixes)
        if viqr_fixes:
            engine.viqr = False
            later: list[Fix] = []
            engine.feed(decoded, fixes=later)
            # A VIQR line is decoded whole; the other fixes are in lines VIQR left alone, whose positions
            # shift by what the VIQR lines before them gained or lost.
            shifts = [(f.end, len(f.after) - len(f.before)) for f in viqr_fixes]
            for f in later:
                delta = sum(d for end, d in shifts if end <= f.start + sum(dd for e2, dd in shifts if e2 <= f.start))
                fixes.append(Fix(f.start - delta, f.end - delta, f.before, f.after, f.charset, f.reason))
            fixes.extend(viqr_fixes)
            return sorted(fixes, key=lambda f: f.start)
    engine.feed(text, fixes=fixes)
    return fixes


def detect_spans(text: str, **options: object) -> list[Span]:
    """Cut ``text`` into stretches by how they read: ``"unicode"`` (right as it stands), a charset name (font
    text), ``"utf8"``/``"utf8+<charset>"`` (UTF-8 read as Windows-1252), ``"viqr"``; word by word in mixed text."""
    engine = Repairer(**options)  # type: ignore[arg-type]
    viqr_fixes: list[Fix] = []
    if engine.viqr and _VIQR_HINT.search(text):
        engine._viqr_lines(text, viqr_fixes)
    spans = engine.spans(text) if not viqr_fixes else []
    if viqr_fixes:
        pos = 0
        for f in viqr_fixes:
            if f.start > pos:
                spans.extend(Span(s.start + pos, s.end + pos, s.charset) for s in engine.spans(text[pos : f.start]))
            spans.append(Span(f.start, f.end, "viqr"))
            pos = f.end
        if pos < len(text):
            spans.extend(Span(s.start + pos, s.end + pos, s.charset) for s in engine.spans(text[pos:]))
    return spans


def repair_runs(
    runs: Sequence[str], hints: Sequence[str | None] | None = None, engine: Repairer | None = None, **options: object
) -> list[str]:
    """Repair a paragraph given as consecutive runs (pieces of text in their own fonts), in context.

    Returns one string per run. ``hints[i]`` is the charset run ``i``'s font names (None for a Unicode font).
    A word split across runs is repaired whole; its text goes to the run where it starts. Pass the same
    ``engine`` (a :class:`Repairer`) for every paragraph of one document: it learns what the document holds
    and reuses its analysis.
    """
    if engine is None:
        engine = Repairer(**options)  # type: ignore[arg-type]
    return engine.runs(runs, hints)


def _spread(text: str, start: int, run_at: object, out: list[str]) -> None:
    """Put unchanged ``text`` (found at ``start`` in the paragraph) back into the runs it came from."""
    for i, ch in enumerate(text):
        out[run_at(start + i)] += ch  # type: ignore[operator]


def repair_many(texts: Iterable[object], **options: object) -> list[object]:
    """Repair a column of texts (spreadsheet cells, database fields), read as the lines of one document.

    Returns a list as long as ``texts``, in order. What the column shows (which charsets it holds, whether
    its soft hyphens were lost) helps each text: a short text alone is often ambiguous (``cã`` is TCVN3
    ``có`` or a Unicode word). Values that are not strings (None, NaN, numbers) come back as they are.
    Options as :func:`repair`. Faster than mapping :func:`repair` over the texts: one engine, and texts
    analysed in batches of 64K characters (``df["c"] = vnconv.repair_many(df["c"])``).
    """
    engine = Repairer(**options)  # type: ignore[arg-type]
    out = list(texts)
    batch: list[int] = []
    size = 0

    def flush() -> None:
        nonlocal size
        if not batch:
            return
        lines = engine.feed("\n".join(out[i] for i in batch)).split("\n")  # type: ignore[misc]
        a = 0
        for i in batch:
            n = out[i].count("\n") + 1  # type: ignore[union-attr]
            out[i] = "\n".join(lines[a : a + n])
            a += n
        if a != len(lines):  # a repaired line never splits or joins: cells must not shift
            raise RuntimeError(f"repair_many: {len(lines)} lines back for {a}")
        batch.clear()
        size = 0

    for i, value in enumerate(out):
        if isinstance(value, str) and value:
            batch.append(i)
            size += len(value) + 1
            if size >= _BATCH:
                flush()
    flush()
    return out


_BATCH = 1 << 16  #: characters of texts analysed together by repair_many


def repair_stream(chunks: Iterable[str], **options: object) -> Iterator[str]:
    """Repair a long text given as pieces, in bounded memory, yielding the repaired text piece by piece.

    Pieces are cut at line ends first (a word is never split), and what the engine learns about the document
    (which charsets it holds, whether its soft hyphens were lost) carries from piece to piece.
    """
    engine = Repairer(**options)  # type: ignore[arg-type]
    tail = ""
    for chunk in chunks:
        data = tail + chunk
        cut = max(data.rfind("\n"), data.rfind("\r"))
        if cut < 0:
            if len(data) < 1 << 22:
                tail = data
                continue
            cut = data.rfind(" ")
            if cut < 0:
                cut = len(data) - 1
        if cut + 1 < len(data) and data[cut] == "\r" and data[cut + 1] == "\n":
            cut += 1
        tail = data[cut + 1 :]
        yield engine.feed(data[: cut + 1])
    if tail:
        yield engine.feed(tail)
