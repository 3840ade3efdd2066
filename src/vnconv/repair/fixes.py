"""The engine's record: each change as a :class:`Fix` (where, from what, to what, read as what, why), and
:func:`apply_fixes` to replay a record on the text it was made for."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import regex

from ..language import syllable
from .decide import WHY
from .readings import LOST_LETTER, Word, core_of

__all__ = ["Fix", "Span", "apply_fixes", "reason", "how", "finish"]


@dataclass(frozen=True)
class Fix:
    """One change :func:`vnconv.repair` makes: where (``start``/``end`` in the original), what it was, what it
    becomes, how the original was read (``charset``: a charset, "utf8", "utf8+tcvn3", "viqr"), what that
    means (``reason``), what settled the reading (``why``: "word", "line", "document", "font", "viqr" or "pairs", see
    :data:`vnconv.repair.decide.WHY`), and the output's ``tone_style`` and ``form``."""

    start: int
    end: int
    before: str
    after: str
    charset: str
    reason: str
    why: str = "word"
    tone_style: str | None = None
    form: str = "NFC"

    @property
    def why_text(self) -> str:
        """:attr:`why` in words."""
        return WHY.get(self.why, self.why)


@dataclass(frozen=True)
class Span:
    """A stretch of text and how it reads: a charset name, "utf8…", "viqr", or "unicode" (as it stands)."""

    start: int
    end: int
    charset: str


def reason(label: str, restored: bool) -> str:
    """What reading a word as ``label`` means, in words."""
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


def how(w: Word | None, after: str, label: str) -> tuple[str, bool]:
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


_LETTERS = regex.compile(r"\p{L}+")


def finish(text: str, tone_style: str | None, form: str) -> str:
    """The output form: every syllable in ``tone_style`` (None: as it is), then ``form`` ("NFC"/"NFD")."""
    if tone_style:
        def sub(m: regex.Match[str]) -> str:
            w = m.group()
            return syllable.retone(w, tone_style) if syllable.is_syllable(w) else w

        text = _LETTERS.sub(sub, text)
    if form == "NFD":
        text = unicodedata.normalize("NFD", text)
    return text


def apply_fixes(text: str, fixes: Iterable[Fix], *, tone_style: str | None = None, form: str | None = None) -> str:
    """Replay a record (from :func:`vnconv.explain`) on the text it was made for: ``repair(text)`` with the
    same options. ``tone_style``/``form``: the output's; by default those the fixes recorded (a record
    without fixes changes nothing unless they are given). A fix whose ``before`` is not at its place in
    ``text`` is a ValueError: the record was made for another text."""
    ordered = sorted(fixes, key=lambda f: f.start)
    pieces: list[str] = []
    pos = 0
    for f in ordered:
        if f.start < pos or text[f.start : f.end] != f.before:
            raise ValueError(f"fix {f.before!r} -> {f.after!r} at {f.start} does not match the text")
        pieces.append(text[pos : f.start])
        pieces.append(f.after)
        pos = f.end
    pieces.append(text[pos:])
    out = "".join(pieces)
    if ordered:
        tone_style = tone_style if tone_style is not None else ordered[0].tone_style
        form = form if form is not None else ordered[0].form
    return finish(out, tone_style, form or "NFC")
