"""Fonts in Office Open XML: symbol fonts, legacy font names renamed (WordprocessingML attributes, DrawingML
typefaces, VML styles) and the fonts a theme defines."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree

from ..runs import Tally, legacy_font, looks_legacy_font
from .package import q as _q

__all__ = ["is_symbol_font", "rename_font_attributes", "rename_drawingml_fonts", "vml_font_family",
           "theme_fonts", "legacy_font", "looks_legacy_font"]

_SYMBOL_FONTS = {
    "symbol",
    "wingdings",
    "wingdings 2",
    "wingdings 3",
    "webdings",
    "marlett",
    "mt extra",
    "zapfdingbats",
    "zapf dingbats",
    "itc zapf dingbats",
    "monotype sorts",
    "ms outlook",
    "bookshelf symbol 7",
    "ms reference specialty",
    "symbol mt",
}
def is_symbol_font(name: str | None, extra: set[str] | frozenset[str] = frozenset()) -> bool:
    """Fonts whose codes are pictures, not letters (Symbol, Wingdings, .VnSymbol …): never repaired.

    ``extra``: lowercase names a document's font table marks as symbol fonts (``w:charset 02``)."""
    if not name:
        return False
    info = legacy_font(name)
    if info is not None:
        return info.charset is None
    key = name.strip().lower()
    return key in _SYMBOL_FONTS or key in extra


def rename_font_attributes(el: etree._Element, attrs: Sequence[str], tally: Tally) -> bool:
    """Replace every legacy font name held in the attributes ``attrs`` of ``el``; True when one changed."""
    changed = False
    for attr in attrs:
        value = el.get(attr)
        if value:
            new = tally.replacement(value)
            if new is not None and new != value:
                el.set(attr, new)
                changed = True
    return changed


_A_FONT_TAGS = {_q("a", t) for t in ("latin", "ea", "cs", "sym", "font", "buFont")}
_VML_FONT = re.compile(r"(font-family\s*:\s*)(&quot;|\"|')?([^;\"'&]+)(&quot;|\"|')?", re.IGNORECASE)


def rename_drawingml_fonts(root: etree._Element, tally: Tally) -> bool:
    """Rename legacy typefaces in DrawingML (``a:latin``, ``a:ea``, ``a:cs``, ``a:sym``, ``a:font``,
    ``a:buFont``: themes, charts, shapes) and VML ``font-family`` styles; True when something changed."""
    changed = False
    for el in root.iter(*_A_FONT_TAGS):
        changed |= rename_font_attributes(el, ("typeface",), tally)
    for el in root.iter(_q("v", "textpath")):
        changed |= _rename_vml_style(el, tally)
    return changed


def _rename_vml_style(el: etree._Element, tally: Tally) -> bool:
    style = el.get("style")
    if not style or "font-family" not in style.lower():
        return False

    def sub(m: re.Match[str]) -> str:
        new = tally.replacement(m.group(3).strip())
        if new is None:
            return m.group(0)
        quote_open, quote_close = m.group(2) or "", m.group(4) or ""
        return f"{m.group(1)}{quote_open}{new}{quote_close}"

    new_style = _VML_FONT.sub(sub, style)
    if new_style != style:
        el.set("style", new_style)
        return True
    return False


def vml_font_family(style: str | None) -> str | None:
    """The font-family a VML ``style`` attribute names, without quotes."""
    if not style:
        return None
    m = _VML_FONT.search(style)
    return m.group(3).strip() if m else None


def theme_fonts(theme: etree._Element | None) -> dict[str, str]:
    """The fonts a theme part defines, keyed by the names documents refer to them by: WordprocessingML's
    ``minorHAnsi`` … ``majorBidi`` and DrawingML's ``+mn-lt`` … ``+mj-cs``."""
    out: dict[str, str] = {}
    if theme is None:
        return out
    for which, wml, dml in (("majorFont", "major", "+mj"), ("minorFont", "minor", "+mn")):
        block = theme.find(f".//{_q('a', which)}")
        if block is None:
            continue
        for tag, keys in (
            ("latin", (f"{wml}Ascii", f"{wml}HAnsi", f"{dml}-lt")),
            ("ea", (f"{wml}EastAsia", f"{dml}-ea")),
            ("cs", (f"{wml}Bidi", f"{dml}-cs")),
        ):
            el = block.find(_q("a", tag))
            face = el.get("typeface") if el is not None else None
            if face:
                for key in keys:
                    out[key] = face
    return out
