"""Word pairs: a run of words that read either way, inside a line read as Unicode.

Font text can be a Unicode word as it stands: TCVN3 ``mét`` is ``một``, ``tù`` is ``tự``; VNI ``thò`` is ``thị``.
Alone such a word is ambiguous, and a line that other words show to be Unicode keeps it (see
:meth:`vnconv.repair.decide.Decider.weak`). Next to its neighbours it often is not: ``hiển thò`` makes no word
pair and ``hiển thị`` does; ``tõ mét nơi`` makes none, ``từ một nơi`` two. A run of such words on a line read as
Unicode is read in a legacy charset the document holds when, read that way, it makes word pairs with itself and
its neighbours (:func:`vnconv.language.lexicon.pair_score`) by :data:`~vnconv.repair.scale.PAIRS` more than as it
stands, word by word (a word read costs :data:`~vnconv.repair.scale.READ_COST`). Only a word whose reading is at
least as frequent as the word as it stands counts (``có``, ``cú`` in TCVN3, never does). Correct Unicode makes its
own pairs, so it keeps its reading: no Unicode line of 48,000 beside legacy lines changes
(tests/test_mixed_documents.py; with no cost for a word read, 4 did: ``xóa bít`` → ``xóa bớt``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from itertools import accumulate, compress
from operator import itemgetter

from ..language import lexicon, syllable
from .chunks import PartStore, base_of
from .decide import UNICODE
from .readings import Word, core_of
from .scale import PAIRS, READ_COST, WORD

__all__ = ["read_by_pairs"]

_NONE = float("-inf")


def _word(store: PartStore, part: str) -> Word | None:
    """The one word of a part (punctuation around it allowed), or None."""
    words = store.fill(store[part]).words or []
    return words[0] if len(words) == 1 else None


def _either_way(w: Word | None, label: str) -> str | None:
    """The core of ``w`` read as ``label`` when it is a Vietnamese syllable as it stands (``tõ``, rare, is one)
    and a Vietnamese word read that way."""
    if w is None or w.unicode is None or not syllable.is_syllable(core_of(w.text).lower()):
        return None
    a = w.alts.get(label)
    if a is None or a.score is None or a.score < max(WORD, w.unicode) or a.glue or a.text == w.text:
        return None  # (a reading rarer than the word as it stands is left to it: có, read cú, stays)
    core = core_of(a.text)
    return core if syllable.is_syllable(core.lower()) else None


@functools.lru_cache(maxsize=1 << 16)
def _pair(a: str, b: str) -> float:
    return lexicon.pair_score(a, b) if a and b else 0.0


def _best_path(left: str, stands: Sequence[str], read: Sequence[str], right: str) -> list[bool] | None:
    """Which words of a run to read in the legacy charset: the choice (as it stands or read, word by word) whose
    word pairs, with the neighbours on each side, score best, a word read costing :data:`READ_COST`; None
    unless it beats reading none by :data:`~vnconv.repair.scale.PAIRS` (``có tõ mét`` → ``có từ một``: ``có``
    stays, it pairs with what stands before it)."""
    # Viterbi: best[s] is the (score, choice) of the best way to read the words so far whose last word is as it
    # stands (False) or read (True); a word with no reading in the charset has no True way. Ties keep what stands.
    best: dict[bool, tuple[float, list[bool]]] = {False: (0.0, []), True: (_NONE, [])}
    prev = {False: left, True: left}
    for u, r in zip(stands, read):
        nxt = {}
        for state, core in ((False, u), (True, r)):
            if state and not core:
                nxt[state] = (_NONE, [])
                continue
            cost = READ_COST if state else 0.0
            nxt[state] = max(
                ((best[p][0] + _pair(prev[p], core) - cost, [*best[p][1], state]) for p in (False, True)),
                key=itemgetter(0),
            )
        best, prev = nxt, {False: u, True: r}
    score, path = max(((best[s][0] + _pair(prev[s], right), best[s][1]) for s in (False, True)), key=itemgetter(0))
    if not any(path):
        return None
    none = sum(_pair(x, y) for x, y in zip([left, *stands], [*stands, right]))
    return path if score >= none + PAIRS else None


def read_by_pairs(
    store: PartStore, parts: list[str], counts: list[int], own: list[str | None], labels: list[str],
    allowed: frozenset[str], unicode_parts: Iterable[str],
) -> set[int]:
    """Relabel, in ``labels``, the runs of parts on Unicode-read lines that word pairs read in a legacy charset
    (``unicode_parts``: the distinct parts read as Unicode somewhere); return the indices of the parts
    relabelled."""
    legacy = sorted(label for label in allowed if label == base_of(label) and label != UNICODE)
    if not legacy:
        return set()
    # The distinct parts read as Unicode whose word reads either way in some charset (few), with its cores.
    either: dict[str, dict[str, str]] = {}
    for p in unicode_parts:
        w = _word(store, p)
        if w is not None and w.alts:
            found = {label: core for label in legacy if (core := _either_way(w, label)) is not None}
            if found:
                either[p] = found
    done: set[int] = set()
    if not either:
        return done
    firsts = set(accumulate(counts))  # where a line starts (after the first)
    n = len(parts)
    cand = [
        i for i in compress(range(n), map(either.__contains__, parts)) if labels[i] == UNICODE and own[i] != UNICODE
    ]
    k = 0
    while k < len(cand):
        # A run: consecutive candidates on one line.
        m = k
        while m + 1 < len(cand) and cand[m + 1] == cand[m] + 1 and cand[m + 1] not in firsts:
            m += 1
        run = cand[k : m + 1]
        k = m + 1
        i, j = run[0], run[-1]
        left = _neighbour(store, parts, labels, i - 1) if i > 0 and i not in firsts else ""
        right = _neighbour(store, parts, labels, j + 1) if j + 1 < n and j + 1 not in firsts else ""
        stands = [core_of(_word(store, parts[x]).text) for x in run]  # type: ignore[union-attr]
        for label in legacy:
            read = [either[parts[x]].get(label, "") for x in run]
            chosen = _best_path(left, stands, read, right)
            if chosen is not None:
                for x, legacy_read in zip(run, chosen):
                    if legacy_read:
                        labels[x] = label
                        done.add(x)
                break
    return done


def _neighbour(store: PartStore, parts: list[str], labels: list[str], k: int) -> str:
    """The core of the word next to a run, in the reading of its part (its last or first word: the part is
    taken whole only when it is one word)."""
    w = _word(store, parts[k])
    if w is None:
        return ""
    a = w.alts.get(labels[k])
    return core_of(a.text if a is not None and labels[k] != UNICODE else w.text)
