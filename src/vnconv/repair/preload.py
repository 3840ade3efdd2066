"""Loading every table a repair may need, before the first text instead of during it.

The engine builds its lookup structures on first use: the syllable inventory in every case, the word
frequencies and pairs, the candidate charsets' codecs, the font-text syllables of :mod:`~vnconv.repair.fast`,
and per lost letter (TCVN3's ``ư``, VISCII's ``ễ``) the syllables that may have lost it. Each is built once per
process, so the first document a process repairs also pays for building them (0.3–0.4 s on a slow shared
2-core machine, most of it the syllable inventory and the word pairs; about 0.15 s when the compiled-table
cache, :mod:`vnconv._cache`, holds them). :func:`preload` builds them all at
once: a pipeline calls it where a worker starts (a Spark partition, a Dask worker), so that no document's
time includes it.
"""

from __future__ import annotations

import time

__all__ = ["preload"]


def preload() -> float:
    """Build every table a repair may need, once per process; return the seconds it took (next to nothing
    when they were already built)."""
    from ..charsets import viqr
    from ..charsets.registry import get_codec
    from ..language import lexicon, syllable
    from . import fast, readings, restore
    from .options import DEFAULT_CHARSETS

    t0 = time.perf_counter()
    syllable.all_syllables(), syllable.cased_syllables()
    lexicon.zipf("a"), lexicon.pair_score("a", "b")
    fast.known_quiet()
    viqr._lex()  # what VIQR lines are decoded with
    for charset in DEFAULT_CHARSETS:
        get_codec(charset).decode(b"a")
    for letter in sorted(set(readings.LOST_LETTER.values())):
        readings.restorations("a", letter)  # the lost-letter map
        restore._attested_keys(letter), restore._attested_forms(letter), restore._lost_plain_forms(letter)
    return time.perf_counter() - t0
