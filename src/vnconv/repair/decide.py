"""Deciding: which reading each part of a text takes, and why.

Each decision is named for what settled it (:data:`WHY`):

* ``word``: a word whose best reading beats every other by :data:`~vnconv.repair.scale.STRONG` decides for
  itself and its part (``hoµ`` is TCVN3; ``người`` is Unicode);
* ``line``: a part with no such word (``có``/``cú``, ``tôi``/``tụi``) takes the reading of the deciding parts
  around it on its line (between two different ones, the one its words like better); a line where no word
  decides but some word is no Vietnamese as it stands takes the reading its words together like best by a
  clear margin (:meth:`Decider.line_reading`);
* ``document``: where nothing on the line decides, or a word is close to call, a document that is
  overwhelmingly one reading tips it that way (:data:`~vnconv.repair.scale.DOC_PRIOR`);
* ``font``: a font that names a charset tips its run's words (:data:`~vnconv.repair.scale.HINT_BONUS`);
* ``pairs``: on a line read as Unicode, a run of words that read either way is read in a legacy charset because
  that reading makes word pairs with its neighbours (:mod:`vnconv.repair.pairs`).

A word that decides a legacy reading although as it stands it is no wrong decoding (``râ``, ``gê``, ``tíc``:
names that are no Vietnamese syllable; ``mét``: a word) is *weak*: it does not outvote Unicode on a line or in
a part that other words show to be Unicode (:meth:`Decider.weak`); correct Unicode is never changed for it.

With none of these a part stays as it is.
"""

from __future__ import annotations

from .chunks import Part, PartStore, base_of
from .evidence import Evidence
from .readings import Word, core_of, vietnamese_letters
from .scale import DOC_PRIOR, DOMINANT, DOMINANT_RATIO, FOREIGN, GARBAGE, HINT_BONUS, MOJIBAKE, STRONG

__all__ = ["Decider", "WHY", "UNICODE"]

UNICODE = "unicode"  #: the label of a reading as it stands
#: What settled a reading, for :class:`~vnconv.repair.fixes.Fix`'s ``why``.
WHY = {
    "word": "the word decided alone",
    "line": "took its line's reading",
    "document": "the document prior tipped it",
    "font": "its font named the charset",
    "viqr": "the line read as VIQR",
    "pairs": "read so by its word pairs with its neighbours",
}

_MEMO_MAX = 500_000


#: Windows-1252's quotes, dashes and ellipsis: punctuation in TCVN3, VNI and CP1258, capitals in VISCII and VPS.
_QUOTES_AND_DASHES = frozenset("\u201c\u201d\u2018\u2019\u2013\u2014\u2026")


def _typographic(part: str) -> bool:
    """Whether ``part`` is ASCII with quotes or dashes (``“%s”``, ``‘-d’``, ``—``) and nothing else."""
    return not part.isascii() and {c for c in part if not c.isascii()} <= _QUOTES_AND_DASHES


class Decider:
    """Decisions for the parts of one document (memoised: a document repeats its words)."""

    def __init__(self, store: PartStore, evidence: Evidence) -> None:
        self.store = store
        self.evidence = evidence
        self._memo: dict[tuple[str, frozenset[str], str | None, str | None], str | None] = {}

    # -- one word ----------------------------------------------------------------------------------------
    def scores(self, w: Word, allowed: frozenset[str], hint: str | None, prior: str | None) -> dict[str, float]:
        """The score of each allowed reading of ``w`` (``hint``: the charset its font names; ``prior``: the
        document's dominant reading), on one scale."""
        u = w.unicode if w.unicode is not None else 0.0
        out = {UNICODE: u}
        for label in allowed:
            a = w.alts.get(label)
            if a is not None and a.text != w.text:
                s = a.score if a.score is not None else 0.0
            elif label.startswith("utf8") or not w.encodable:
                continue  # that reading does not exist for this word
            else:
                s = u  # reads the same
            if hint is not None and base_of(label) == hint:
                s += HINT_BONUS
            if label == prior:
                s += DOC_PRIOR
            out[label] = s
        if prior == UNICODE:
            out[UNICODE] += DOC_PRIOR
        return out

    def decide(self, w: Word, allowed: frozenset[str], hint: str | None, prior: str | None) -> str | None:
        """The reading ``w`` decides for itself, or None when it is too close to call."""
        key = (w.text, allowed, hint, prior)
        memo = self._memo
        if key in memo:
            return memo[key]
        found = self._decide(w, allowed, hint, prior)
        if len(memo) > _MEMO_MAX:
            memo.clear()
        memo[key] = found
        return found

    def _decide(self, w: Word, allowed: frozenset[str], hint: str | None, prior: str | None) -> str | None:
        if not core_of(w.text):
            return None  # no letters as it stands ("«", "—"): a symbol does not decide a reading
        scores = self.scores(w, allowed, hint, prior)
        if len(scores) == 1:
            return UNICODE if w.unicode is not None and not w.text.isascii() else None
        ranked = sorted(scores.values(), reverse=True)
        if ranked[0] - ranked[1] < STRONG or ranked[0] < 0.0:
            best = self._agreeing(w, scores)
            if best is None:
                return None  # too close to call, or the best reading is no Vietnamese word either
        else:
            best = max(scores, key=scores.__getitem__)
        if best == UNICODE and (w.unicode is None or w.unicode <= 0.0):
            return None  # as it stands it is no Vietnamese word either (¡nh): nothing to decide
        return best

    def _agreeing(self, w: Word, scores: dict[str, float]) -> str | None:
        """When the best readings tie because they give the same text (VISCII and VPS both read ``møc`` as ``mục``):
        the charset the document holds overwhelmingly more of them (:data:`~vnconv.repair.scale.DOMINANT` words
        and :data:`~vnconv.repair.scale.DOMINANT_RATIO` times the other's), if that text beats every other reading
        by :data:`~vnconv.repair.scale.STRONG`; else None. (Without the evidence, Finnish ``ä``, ``ả`` in both,
        would decide alone.)"""
        def text(label: str) -> str:
            a = w.alts.get(label)
            return a.text if a is not None and label != UNICODE else w.text

        top = max(scores.values())
        best = [label for label, v in scores.items() if v == top]
        if len(best) < 2 or top < 0.0 or UNICODE in best or len({text(label) for label in best}) > 1:
            return None
        rivals = [v for label, v in scores.items() if text(label) != text(best[0])]
        if rivals and top - max(rivals) < STRONG:
            return None
        counts = self.evidence.counts
        ranked = sorted(best, key=lambda label: counts.get(label, 0), reverse=True)
        first, second = counts.get(ranked[0], 0), counts.get(ranked[1], 0)
        return ranked[0] if first >= DOMINANT and first >= DOMINANT_RATIO * second else None

    @staticmethod
    def weak(w: Word, found: str | None) -> bool:
        """Whether ``w`` decided the legacy reading ``found`` although as it stands it is written in Vietnamese
        letters and is no wrong decoding (``râ``, ``tíc``, ``mét``; not ``thö``, ``LÖnh``, ``hoµ``): next to
        Unicode, it may well be Unicode itself."""
        return (
            found is not None and found != UNICODE and w.unicode is not None and w.unicode > MOJIBAKE
            and vietnamese_letters(w.text)
        )

    # -- one part ----------------------------------------------------------------------------------------
    def own(self, part: Part, allowed: frozenset[str], hint: str | None) -> str | None:
        """The reading the first deciding word of ``part`` gives it, or None."""
        prior = self.evidence.dominant
        key = (allowed, hint, prior)
        if key in part.own:
            return part.own[key]
        words = self.store.fill(part).words or []
        found = None
        for w in words:
            found = self.decide(w, allowed, hint, prior)
            if found is not None:
                break
        part.own[key] = found
        return found

    def firm(self, part: Part, allowed: frozenset[str], hint: str | None) -> str | None:
        """The reading the first deciding word of ``part`` that is not :meth:`weak` gives it, or None (a part
        on a line that shows Unicode: a weak word does not decide it)."""
        prior = self.evidence.dominant
        for w in self.store.fill(part).words or []:
            found = self.decide(w, allowed, hint, prior)
            if found is not None and not (self.weak(w, found) and base_of(found) != hint):
                return found
        return None

    def why_own(self, part: Part, label: str, allowed: frozenset[str], hint: str | None) -> str:
        """Why a part that decided ``label`` by its own words did: alone, or tipped by its font or the
        document's prior."""
        words = self.store.fill(part).words or []
        prior = self.evidence.dominant
        alone = next((d for w in words if (d := self.decide(w, allowed, None, None)) is not None), None)
        if alone == label:
            return "word"
        if hint is not None:
            with_font = next((d for w in words if (d := self.decide(w, allowed, hint, None)) is not None), None)
            if with_font == label:
                return "font"
        return "document" if prior is not None else "word"

    # -- one line ----------------------------------------------------------------------------------------
    def agree_alone(self, parts: list[str], allowed: frozenset[str]) -> str | None:
        """For a line whose deciding parts differ: the reading every part that decides *without* the document's
        prior agrees on (one at least decides, none differs), or None. Then only the prior set them apart: a
        TCVN3 line in a mostly VISCII document, where ``t¶`` reads ``tờ`` in VISCII with the prior and ``tả`` in
        TCVN3 without, and ``template”`` reads ``templateỢ`` only with it."""
        if self.evidence.dominant is None:
            return None
        store = self.store
        found: set[str] = set()
        for p in parts:
            part = store[p]
            if part.newline:
                return None  # a line end inside the part: not one line
            for w in store.fill(part).words or []:
                d = self.decide(w, allowed, None, None)
                if d is not None:
                    found.add(d)
                    break
            if len(found) > 1:
                return None
        return found.pop() if found else None

    def inherit(
        self, parts: list[str], own: list[str | None], allowed: frozenset[str], hints: list[str | None] | None = None
    ) -> tuple[list[str], list[str]]:
        """Within one line: each undecided part takes the reading of the nearest deciding part on each side.
        On a line where some part decides Unicode, a part that only :meth:`weak` words decided may be Unicode
        too (:meth:`_unweaken`). ``hints``: per part, the charset its font names. Returns the readings and, per
        part, why (``word``, ``line`` or ``document``)."""
        if UNICODE in own:
            own = self._unweaken(parts, own, allowed, hints)
        return self._inherit(parts, own, allowed)

    def _unweaken(
        self, parts: list[str], own: list[str | None], allowed: frozenset[str], hints: list[str | None] | None
    ) -> list[str | None]:
        """On a line where some part decides Unicode: a part that only :meth:`weak` words decided is read as
        Unicode when the parts around it that other words decide say Unicode (``Tiếng Ả Rập (An-gê-ri)``)."""
        store = self.store
        firm = [
            o if o is None or o == UNICODE else self.firm(store[p], allowed, hints[i] if hints else None)
            for i, (p, o) in enumerate(zip(parts, own))
        ]
        if firm == own:
            return own
        around, _ = self._inherit(parts, firm, allowed)
        return [UNICODE if o != f and r == UNICODE else o for o, f, r in zip(own, firm, around)]

    def _inherit(self, parts: list[str], own: list[str | None], allowed: frozenset[str]) -> tuple[list[str], list[str]]:
        n = len(own)
        store = self.store
        left: list[str | None] = [None] * n
        cur: str | None = None
        for i in range(n):
            if own[i] is not None:
                cur = own[i]
            left[i] = cur
            if store[parts[i]].newline:
                cur = None
        right: list[str | None] = [None] * n
        cur = None
        for i in range(n - 1, -1, -1):
            if store[parts[i]].newline:
                cur = None
            if own[i] is not None:
                cur = own[i]
            right[i] = cur
        out: list[str] = []
        why: list[str] = []
        shows_unicode = UNICODE in own
        for i in range(n):
            o = own[i]
            x, y = left[i], right[i]
            if o is not None:
                out.append(o)
                why.append("word")
            elif shows_unicode and x != y and _typographic(parts[i]):
                # Quotes and dashes round ASCII on a line that shows Unicode (“%s” beside a VISCII phrase): as
                # they stand, not the capitals VISCII and VPS make of them (Ộ%sỢ).
                out.append(UNICODE)
                why.append("line")
            elif x is None and y is None:
                out.append(self.evidence.dominant or UNICODE)
                why.append("document")
            elif x is None or y is None or x == y:
                out.append(x if x is not None else y or UNICODE)
                why.append("line")
            else:
                out.append(self.closer(store[parts[i]], x, y, allowed))
                why.append("line")
        return out, why

    def line_reading(self, parts: list[str], allowed: frozenset[str]) -> str | None:
        """For a line where no word decides alone: the reading its words together like best, when some word is no
        Vietnamese as it stands (``Baê-ba-ñoâxôï``, ``§· thö``) and that reading beats every other by
        :data:`~vnconv.repair.scale.STRONG`; None otherwise (the line follows the document)."""
        words = [w for p in parts for w in self.store.fill(self.store[p]).words or []]
        if not any(not w.text.isascii() and (w.unicode is None or w.unicode <= FOREIGN) for w in words):
            return None
        prior = self.evidence.dominant
        totals: dict[str, float] = {UNICODE: 0.0, **{label: 0.0 for label in allowed}}
        for w in words:
            s = self.scores(w, allowed, None, prior)
            for label in totals:
                totals[label] += s.get(label, GARBAGE)
        ranked = sorted(totals.values(), reverse=True)
        best = max(totals, key=totals.__getitem__)
        return best if best != UNICODE and ranked[0] - ranked[1] >= STRONG else None

    def closer(self, part: Part, a: str, b: str, allowed: frozenset[str]) -> str:
        """Between the readings of the neighbours on each side, the one this part's words like better."""
        ta = tb = 0.0
        prior = self.evidence.dominant
        for w in self.store.fill(part).words or []:
            s = self.scores(w, allowed, None, prior)
            ta += s.get(a, GARBAGE)
            tb += s.get(b, GARBAGE)
        return a if ta >= tb else b
