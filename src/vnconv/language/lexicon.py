"""Vietnamese word knowledge from ``tables/``: syllable frequencies, dictionary compounds, syllable pairs.

Loaded once, on first use. Every key is ``syllable.canonical()`` form (lowercase, tone in the "new" place).
"""

from __future__ import annotations

import functools

from .syllable import canonical
from .._cache import cached
from .._data import table_dir

__all__ = ["zipf", "pair_score", "FLOOR"]

#: Zipf value of a valid syllable that no source attests (below every attested one).
FLOOR = 1.0


def _rows(name: str) -> list[list[str]]:
    text = (table_dir() / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@functools.cache
def _freq() -> dict[str, float]:
    return cached("freq", lambda: {row[0]: float(row[1]) for row in _rows("vi_syllable_freq.tsv")})


@functools.cache
def _pairs() -> dict[tuple[str, str], float]:
    """Adjacent-syllable evidence: dictionary compounds (weight 2) and corpus pairs (log-scaled count)."""
    return cached("pairs", _compute_pairs)


def _compute_pairs() -> dict[tuple[str, str], float]:
    import math

    out: dict[tuple[str, str], float] = {}
    for row in _rows("vi_compounds.tsv"):
        sylls = row[0].split(" ")
        for a, b in zip(sylls, sylls[1:]):
            out[(a, b)] = max(out.get((a, b), 0.0), 2.0)
    for row in _rows("vi_bigrams_l10n.tsv"):
        a, _, b = row[0].partition(" ")
        w = 1.0 + math.log10(float(row[1]))
        out[(a, b)] = max(out.get((a, b), 0.0), min(w, 3.0))
    return out


def zipf(syl: str) -> float:
    """Zipf frequency (log10 per 10⁹ words) of a syllable in any case or tone style; 0.0 if unknown."""
    return _freq().get(canonical(syl), 0.0)


def pair_score(a: str, b: str) -> float:
    """Evidence (0 = none, up to 3) that syllables ``a b`` form a word or a common phrase."""
    return _pairs().get((canonical(a), canonical(b)), 0.0)
