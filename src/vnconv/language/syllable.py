"""Vietnamese syllable grammar, generated from orthographic rules.

A syllable is ``onset + (medial) + nucleus + (coda)`` plus one of six tones.
The set of valid syllables is generated once, lazily, from the rules below
(no word list is involved) and every query afterwards is a dict or set
lookup, so :func:`is_syllable` is cheap enough for millions of tokens.

Conventions used throughout:

* Input is expected in NFC. Lowercase, ALL CAPS and Title case are accepted;
  any other mixture of cases (``vIệt``, ``ViÖt``) is not a syllable.
* Tones are named ``ngang`` (no mark), ``huyen`` (à), ``sac`` (á), ``hoi``
  (ả), ``nga`` (ã) and ``nang`` (ạ).
* Only ``oa``, ``oe`` and ``uy`` without a final consonant have two accepted
  tone placements. This module calls them, as the vnconv brief does:

  - ``"old"``: mark on the main vowel: ``hoà``, ``khoẻ``, ``thuý``;
  - ``"new"``: mark on the glide: ``hòa``, ``khỏe``, ``thủy``.

  (Unikey and some style guides use the opposite names; only the positions
  matter.) Everything else has one placement and is tone style ``"either"``.
* ``qu`` is an onset that contains the glide (``quý`` = ``qu``+``y``; the
  spelling ``qúy`` is rejected). After ``gi`` the first ``i`` of the nucleus
  is not written (``gì`` = ``gi``+``i``, ``giếng`` = ``gi``+``iê``+``ng``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .._cache import cached

__all__ = [
    "CODAS",
    "NUCLEI",
    "ONSETS",
    "STOP_CODAS",
    "TONES",
    "TONE_STYLES",
    "Syllable",
    "all_syllables",
    "base_letters",
    "canonical",
    "fix_tone",
    "is_syllable",
    "parse",
    "retone",
    "strip_tone",
    "tone_of",
    "u_horn_candidates",
    "variants",
]

TONES: tuple[str, ...] = ("ngang", "huyen", "sac", "hoi", "nga", "nang")
TONE_STYLES: tuple[str, ...] = ("old", "new", "either")

_MARKS = {"huyen": "\u0300", "sac": "\u0301", "hoi": "\u0309", "nga": "\u0303", "nang": "\u0323"}

ONSETS: tuple[str, ...] = (
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n",
    "ng", "ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
)
CODAS: tuple[str, ...] = ("", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "y", "o", "u")
STOP_CODAS = frozenset({"c", "ch", "p", "t"})

# Rhymes without a glide: nucleus (phonemic spelling) -> allowed codas.
# "iê", "uô", "ươ" are written "ia", "ua", "ưa" when there is no coda.
_BASE: dict[str, tuple[str, ...]] = {
    "a": ("", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "o", "u", "y"),
    "ă": ("c", "m", "n", "ng", "p", "t"),
    "â": ("c", "m", "n", "ng", "p", "t", "u", "y"),
    "e": ("", "c", "m", "n", "ng", "p", "t", "o"),
    "ê": ("", "ch", "m", "n", "nh", "p", "t", "u"),
    "i": ("", "ch", "m", "n", "nh", "p", "t", "u"),
    "o": ("", "c", "m", "n", "ng", "p", "t", "i"),
    "oo": ("c", "ng"),
    "ô": ("", "c", "m", "n", "ng", "p", "t", "i"),
    "ơ": ("", "m", "n", "p", "t", "i"),
    "u": ("", "c", "m", "n", "ng", "p", "t", "i"),
    "ư": ("", "c", "m", "n", "ng", "t", "i", "u"),
    "iê": ("", "c", "m", "n", "ng", "p", "t", "u"),
    "uô": ("", "c", "m", "n", "ng", "t", "i"),
    "ươ": ("", "c", "m", "n", "ng", "p", "t", "i", "u"),
}
# Rhymes with the glide /w/ (written o before a, ă, e; u elsewhere).
_GLIDE: dict[tuple[str, str], tuple[str, ...]] = {
    ("o", "a"): ("", "c", "ch", "i", "m", "n", "ng", "nh", "p", "t", "o", "y"),
    ("o", "ă"): ("c", "m", "n", "ng", "t"),
    ("o", "e"): ("", "n", "t", "o"),
    ("u", "â"): ("n", "ng", "t", "y"),
    ("u", "ê"): ("", "ch", "nh"),
    ("u", "i"): ("", "ch", "n", "nh", "p", "t", "u"),
    ("u", "iê"): ("", "n", "t"),
    ("u", "ơ"): ("",),
}
# "qu" + nucleus/coda combinations beyond the glide rhymes above
# (quốc, quên, quết, quều, quạu, quắp).
_QU_EXTRA: tuple[tuple[str, str], ...] = (
    ("ô", "c"), ("ê", "n"), ("ê", "t"), ("ê", "u"), ("a", "u"), ("ă", "p"),
)
# Codas allowed after "gi" + /i/ (gì, gìn, gìm, gíp, gịt): all but u, since "giu" is gi + u.
_GI_I_CODAS = frozenset(c for c in _BASE["i"] if c != "u")
# Glide rhymes that labial onsets take in loanwords (boa, voan, moay, buýt, phuy).
_LABIAL_GLIDES = frozenset({("o", "a"), ("u", "i")})
# Established loan syllables that break a spelling rule ("gen" = gene; "ghen" is jealous).
_LOANS: tuple[tuple[str, str, str, str], ...] = (("g", "", "e", "n"),)

NUCLEI: tuple[str, ...] = tuple(_BASE)

_FRONT = frozenset("ieêy")
_LABIAL = frozenset({"b", "m", "p", "ph", "v"})
# Consonant onsets after which a bare /i/ may also be written "y" (lý, kỹ, mỹ, hy, ty, sỹ, vỹ).
_Y_ONSETS = frozenset({"d", "h", "k", "l", "m", "n", "s", "t", "v", "x", "th"})

_VOWELS = "aăâeêioôơuưy"
_TONED: dict[tuple[str, str], str] = {}
_TONE_OF_CHAR: dict[str, str] = {}
_UNTONE: dict[int, str] = {}
for _v in _VOWELS:
    for _t, _m in _MARKS.items():
        for _c in (_v, _v.upper()):
            _tc = unicodedata.normalize("NFC", _c + _m)
            if _c == _v:
                _TONED[(_v, _t)] = _tc
            _TONE_OF_CHAR[_tc] = _t
            _UNTONE[ord(_tc)] = _c
del _v, _t, _m, _c, _tc

_BASE_LETTER: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
for _c in "ăâêôơưĂÂÊÔƠƯ":
    _BASE_LETTER[ord(_c)] = unicodedata.normalize("NFD", _c)[0]
for _o, _c in _UNTONE.items():
    _BASE_LETTER[_o] = unicodedata.normalize("NFD", _c)[0]
del _o, _c


@dataclass(frozen=True, slots=True)
class Syllable:
    """A parsed syllable (lowercase spelling pieces, tone name, tone style)."""

    onset: str
    medial: str
    nucleus: str
    coda: str
    tone: str
    tone_style: str

    @property
    def rhyme(self) -> str:
        """Medial + nucleus + coda, toneless."""
        return self.medial + self.nucleus + self.coda


# ---------------------------------------------------------------- generation


def _nucleus_spellings(onset: str, medial: str, nucleus: str, coda: str) -> tuple[str, ...]:
    if nucleus == "i":
        if medial or onset == "qu":
            return ("y", "i") if onset == "qu" and coda in ("", "t") else ("y",)
        if onset == "":
            return ("i", "y") if coda == "" else ("i",)
        if onset == "gi":
            return ("",)
        return ("i", "y") if coda == "" and onset in _Y_ONSETS else ("i",)
    if nucleus == "iê":
        if coda == "":
            if medial:
                return ("ya",)
            return () if onset in ("gi", "qu") else ("ia",)
        if medial or onset in ("", "qu"):
            return ("yê",)
        return ("ê",) if onset == "gi" else ("iê",)
    if nucleus == "uô":
        return ("uô",) if coda else ("ua",)
    if nucleus == "ươ":
        return ("ươ",) if coda else ("ưa",)
    return (nucleus,)


def _onset_ok(onset: str, first: str) -> bool:
    if onset in ("c", "g", "ng"):
        return first not in _FRONT
    if onset == "k":
        return first in _FRONT
    if onset in ("gh", "ngh"):
        return first in "ieê"
    return True


def _tone_index(onset: str, med_w: str, nuc_w: str, coda: str) -> tuple[int, int]:
    """Index of the tone-bearing letter in the toneless spelling: (new, old)."""
    start = len(onset) + len(med_w)
    if nuc_w == "":  # gi + i: the mark goes on the i of gi
        return (1, 1)
    if nuc_w in ("ia", "ya", "ua", "ưa"):
        i = start
    elif len(nuc_w) == 2:  # iê yê uô ươ oo
        i = start + 1
    else:
        i = start
    if med_w and not coda and nuc_w in ("a", "e", "y"):
        return (len(onset), i)
    return (i, i)


def _entries() -> list[tuple[str, str, str, str]]:
    """(onset, medial, phonemic nucleus, coda) for every toneless rhyme/onset pair."""
    out: list[tuple[str, str, str, str]] = []
    for onset in ONSETS:
        if onset == "qu":
            pairs = [(n, c) for (m, n), codas in _GLIDE.items() for c in codas]
            pairs += list(_QU_EXTRA)
            out.extend((onset, "", n, c) for n, c in pairs)
            continue
        for n, codas in _BASE.items():
            if onset == "gi" and n == "i":
                codas = tuple(c for c in codas if c in _GI_I_CODAS)
            out.extend((onset, "", n, c) for c in codas)
        if onset in ("gi", "k", "gh", "ngh"):
            continue
        for (m, n), codas in _GLIDE.items():
            if onset in _LABIAL and (m, n) not in _LABIAL_GLIDES:
                continue
            if onset == "c" or (onset == "g" and m != "o"):  # /kw/ is spelled qu; g only in goá, goăn
                continue
            out.extend((onset, m, n, c) for c in codas)
    return out


_BUILT = False  #: the sets and maps below are made
_FORMS: dict[str, tuple[str, str, str, str, str, str]] | None = None  #: form -> the fields of its Syllable
_SET: frozenset[str] = frozenset()
_CASED: frozenset[str] = frozenset()  #: _SET in lower, Title and UPPER case: what is_syllable accepts
_RESTYLE: dict[str, tuple[str, str]] = {}
_UHORN: dict[str, tuple[str, ...]] = {}
_PLACE: dict[tuple[str, str], str] = {}


def _build() -> None:
    """Make the inventory and its maps (or read them from the compiled-table cache, :mod:`vnconv._cache`);
    the fields of each form are made when :func:`parse` first asks (nothing else reads them)."""
    global _BUILT, _SET, _CASED, _RESTYLE, _UHORN, _PLACE
    _RESTYLE, _PLACE, _UHORN, forms, cased = cached("syllables", _compute_cached)
    _SET, _CASED = frozenset(forms), frozenset(cased)
    _BUILT = True


def _compute_cached() -> tuple[
    dict[str, tuple[str, str]], dict[tuple[str, str], str], dict[str, tuple[str, ...]], tuple[str, ...],
    tuple[str, ...],
]:
    """What the cache keeps: the maps, and the two sets as tuples (marshal sorts a set's elements to write it,
    which made writing this entry take 0.2 s)."""
    _, restyle, place, uhorn, forms, cased = _compute()
    return restyle, place, uhorn, tuple(forms), tuple(cased)


def _compute() -> tuple[
    dict[str, tuple[str, str, str, str, str, str]], dict[str, tuple[str, str]], dict[tuple[str, str], str],
    dict[str, tuple[str, ...]], frozenset[str], frozenset[str],
]:
    """The forms with their fields, the tone-style, placement and ư maps, the forms and their cased forms."""
    forms: dict[str, tuple[str, str, str, str, str, str]] = {}
    restyle: dict[str, tuple[str, str]] = {}
    place: dict[tuple[str, str], str] = {}
    for onset, medial, nucleus, coda in _entries():
        for nuc_w in _nucleus_spellings(onset, medial, nucleus, coda):
            med_w = medial
            loan = (onset, medial, nucleus, coda) in _LOANS
            if not loan and not _onset_ok(onset, (med_w + nuc_w + coda)[:1]):
                continue
            plain = onset + med_w + nuc_w + coda
            nuc_field = nuc_w
            if onset == "gi" and nucleus in ("i", "iê"):
                nuc_field = nucleus
            i_new, i_old = _tone_index(onset, med_w, nuc_w, coda)
            tones = ("sac", "nang") if coda in STOP_CODAS else TONES
            if loan:
                tones = ("ngang",)
            for tone in tones:
                if tone == "ngang":
                    variants_ = [(plain, "either")]
                elif i_new == i_old:
                    variants_ = [(_put(plain, i_new, tone), "either")]
                else:
                    new, old = _put(plain, i_new, tone), _put(plain, i_old, tone)
                    variants_ = [(new, "new"), (old, "old")]
                    restyle[new] = restyle[old] = (old, new)
                for form, style in variants_:
                    if form not in forms:  # (fields, not a Syllable: parse() makes one when asked)
                        forms[form] = (onset, med_w, nuc_field, coda, tone, style)
                place.setdefault((plain, tone), variants_[0][0])
    uhorn: dict[str, list[str]] = {}
    for form in [f for f in forms if "ư" in f]:  # (about one form in nine has an ư)
        k = form.find("ư")
        while k >= 0:
            uhorn.setdefault(form[:k] + form[k + 1 :], []).append(form)
            k = form.find("ư", k + 1)
    uhorns = {k: tuple(sorted(v)) for k, v in uhorn.items()}
    return forms, restyle, place, uhorns, frozenset(forms), case_forms(forms)


def _put(plain: str, i: int, tone: str) -> str:
    return plain[:i] + _TONED[(plain[i], tone)] + plain[i + 1 :]


def _forms() -> dict[str, tuple[str, str, str, str, str, str]]:
    global _FORMS
    if _FORMS is None:
        _FORMS = _compute()[0]
    return _FORMS


# ---------------------------------------------------------------- public API


def _case_ok(s: str, low: str) -> bool:
    return s == low or s == low.upper() or s == low[:1].upper() + low[1:]


def parse(syllable: str) -> Syllable | None:
    """Parse one syllable (NFC, any of lower/UPPER/Title case); None if invalid."""
    s = unicodedata.normalize("NFC", syllable)
    low = s.lower()
    if not _case_ok(s, low):
        return None
    fields = _forms().get(low)
    return Syllable(*fields) if fields is not None else None


def is_syllable(s: str) -> bool:
    """True if the NFC string s is one valid syllable in lower, UPPER or Title case."""
    if not _BUILT:
        _build()
    return s in _CASED  # the same as: s.lower() is a syllable and s is it, its UPPER or its Title form


def case_forms(words: Iterable[str]) -> frozenset[str]:
    """Each lowercase word of letters in lower, Title and UPPER case: the forms :func:`is_syllable` accepts of a
    syllable (three string operations on all the words joined, not three a word)."""
    low = " ".join(w for w in words if w)
    return frozenset(f"{low} {low.title()} {low.upper()}".split(" ")) - {""}


def cased_syllables() -> frozenset[str]:
    """Every string :func:`is_syllable` accepts: each valid syllable in lower, Title and UPPER case (cached;
    for set operations on many words at once)."""
    if not _BUILT:
        _build()
    return _CASED


def all_syllables() -> frozenset[str]:
    """Every valid lowercase NFC syllable, in both tone styles (cached)."""
    if not _BUILT:
        _build()
    return _SET


def _match_case(template: str, low: str) -> str:
    if template == template.lower():
        return low
    if template == template.upper() and len(template) > 1:
        return low.upper()
    if template[:1].isupper() and template[1:] == template[1:].lower():
        return low[:1].upper() + low[1:]
    return low.upper() if template.isupper() else low


def retone(s: str, style: str) -> str:
    """Move the tone mark of syllable s to the 'old' (hoà) or 'new' (hòa) place, keeping case.

    Strings that are not style-dependent syllables are returned unchanged.
    """
    if style not in ("old", "new"):
        raise ValueError(f"style must be 'old' or 'new', not {style!r}")
    if not _BUILT:
        _build()
    low = s.lower()
    pair = _RESTYLE.get(low)
    if pair is None or not _case_ok(s, low):
        return s
    return _match_case(s, pair[0] if style == "old" else pair[1])


def variants(s: str) -> tuple[str, ...]:
    """All accepted spellings of the syllable s that differ only in tone placement (lowercase)."""
    if not _BUILT:
        _build()
    low = s.lower()
    pair = _RESTYLE.get(low)
    return pair if pair is not None else (low,)


def canonical(s: str) -> str:
    """Lowercase s and put its tone in the 'new' place (hoà -> hòa); the key of the frequency tables."""
    low = s.lower()
    if not _BUILT:
        _build()
    pair = _RESTYLE.get(low)
    return pair[1] if pair is not None else low


def strip_tone(s: str) -> str:
    """Remove tone marks, keep the other diacritics (người -> ngươi)."""
    return s.translate(_UNTONE)


def tone_of(s: str) -> str:
    """Name of the first tone mark in s ('ngang' when there is none)."""
    for ch in s:
        t = _TONE_OF_CHAR.get(ch)
        if t is not None:
            return t
    return "ngang"


def base_letters(s: str) -> str:
    """Remove every Vietnamese diacritic and map đ to d (Người -> Nguoi)."""
    return s.translate(_BASE_LETTER)


def fix_tone(s: str, style: str = "new") -> str | None:
    """Put a misplaced tone mark where it belongs (tòan -> toàn, qúy -> quý, cuả -> của), keeping case.

    Returns s unchanged if it is already valid, None if no placement makes it a syllable.
    style picks the placement for oa/oe/uy syllables that were not valid as given.
    """
    if style not in ("old", "new"):
        raise ValueError(f"style must be 'old' or 'new', not {style!r}")
    if is_syllable(s):
        return s
    low = s.lower()
    if not _case_ok(s, low):
        return None
    marks = [_TONE_OF_CHAR[ch] for ch in low if ch in _TONE_OF_CHAR]
    if len(marks) > 1:
        return None
    form = _PLACE.get((strip_tone(low), marks[0] if marks else "ngang"))
    if form is None:
        return None
    if style == "old" and form in _RESTYLE:
        form = _RESTYLE[form][0]
    return _match_case(s, form)


def u_horn_candidates(s: str) -> tuple[str, ...]:
    """Valid lowercase syllables that give s when one toneless 'ư' is deleted (dơng -> dương).

    This is how TCVN3 text looks after its soft-hyphen byte 0xAD (ư) was dropped.
    s itself is not included even when it is valid (ngời).
    """
    if not _BUILT:
        _build()
    return _UHORN.get(s.lower(), ())
