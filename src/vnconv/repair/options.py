"""The options of a repair, as one typed, frozen object (what :func:`vnconv.repair` and its siblings take).

Every public repair function takes either a :class:`RepairOptions` or the same names as keywords
(``repair(text, charsets=("tcvn3",), tone_style="new")``); :func:`resolve` turns either into one object, so
the engine sees one validated set of options and never a loose ``**options`` mapping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import TypedDict

from ..charsets.registry import CHARSET_ORDER, canonical_name

__all__ = ["RepairOptions", "RepairKeywords", "DEFAULT_CHARSETS", "resolve", "candidates"]

#: Charsets considered when no font names one: the common ones of the one order, ``CHARSET_ORDER`` (VIQR is
#: looked for apart, ``viqr=``; VN1, BKHCM, VietWare and VNI-Mac only when named).
DEFAULT_CHARSETS: tuple[str, ...] = tuple(c for c in CHARSET_ORDER[:6] if c != "viqr")

_FORMS = ("NFC", "NFD")
_TONE_STYLES = (None, "old", "new")


@dataclass(frozen=True)
class RepairOptions:
    """How to repair.

    ``hint``: a charset a font or the user names (it makes that charset a candidate and tips ambiguous words;
    Unicode stays Unicode). ``form``: "NFC" or "NFD" output. ``tone_style``: None keeps each word's; "old"
    (hoà, thuý) or "new" (hòa, thủy) rewrites every syllable. ``restore``: restore lost letters.
    ``charsets``: the candidate legacy charsets (None: :data:`DEFAULT_CHARSETS`). ``viqr``: look for VIQR
    lines. ``lost``: whether the 0xAD letters were lost everywhere (None: yes when no soft hyphen is left).
    """

    hint: str | None = None
    form: str = "NFC"
    tone_style: str | None = None
    restore: bool = True
    charsets: tuple[str, ...] | None = None
    viqr: bool = True
    lost: bool | None = None

    def __post_init__(self) -> None:
        if self.form not in _FORMS:
            raise ValueError(f"form must be 'NFC' or 'NFD', not {self.form!r}")
        if self.tone_style not in _TONE_STYLES:
            raise ValueError(f"tone_style must be None, 'old' or 'new', not {self.tone_style!r}")
        if self.charsets is not None and not isinstance(self.charsets, tuple):
            if isinstance(self.charsets, str):
                raise TypeError("charsets must be a sequence of charset names, not one string")
            object.__setattr__(self, "charsets", tuple(self.charsets))

    @property
    def plain(self) -> bool:
        """True when the output needs no finishing (NFC, each word's own tone style)."""
        return self.form == "NFC" and self.tone_style is None


class RepairKeywords(TypedDict, total=False):
    """The fields of :class:`RepairOptions`, as keywords of the public functions."""

    hint: str | None
    form: str
    tone_style: str | None
    restore: bool
    charsets: Sequence[str] | None
    viqr: bool
    lost: bool | None


DEFAULTS = RepairOptions()
_NAMES = frozenset(f.name for f in fields(RepairOptions))


def resolve(options: RepairOptions | None, keywords: RepairKeywords) -> RepairOptions:
    """``options`` (or the defaults) with the given keywords applied; a misspelt keyword is a TypeError."""
    unknown = set(keywords) - _NAMES
    if unknown:
        raise TypeError(f"unexpected repair option(s): {', '.join(sorted(unknown))}")
    if options is not None and not isinstance(options, RepairOptions):
        raise TypeError(f"options must be a RepairOptions, not {type(options).__name__}")
    base = options or DEFAULTS
    if not keywords:
        return base
    names = keywords.get("charsets", base.charsets)
    return RepairOptions(
        hint=keywords.get("hint", base.hint),
        form=keywords.get("form", base.form),
        tone_style=keywords.get("tone_style", base.tone_style),
        restore=keywords.get("restore", base.restore),
        charsets=None if names is None else tuple(names),
        viqr=keywords.get("viqr", base.viqr),
        lost=keywords.get("lost", base.lost),
    )


def candidates(options: RepairOptions) -> tuple[str, ...]:
    """The legacy charsets an engine with ``options`` reads words in: the named ones (or
    :data:`DEFAULT_CHARSETS`) and the hinted one, by canonical name, without VIQR (read by lines)."""
    names = [canonical_name(c) for c in (options.charsets or DEFAULT_CHARSETS)]
    hint = canonical_name(options.hint) if options.hint else None
    if hint and hint not in names:
        names.append(hint)
    return tuple(n for n in names if n != "viqr")
