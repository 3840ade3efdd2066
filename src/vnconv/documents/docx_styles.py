"""The fonts of a Word document's runs: docDefaults, style chains (``basedOn``) and theme fonts resolved into
effective fonts, and the run properties conversion sets (``<w:caps/>``, ``w:rFonts``)."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..charsets.fonts import FontInfo
from .docx_names import (
    _BEFORE_CAPS, _THEME_ATTR, SLOTS, W_BASEDON, W_CAPS, W_CS, W_DEFAULT, W_DOCDEFAULTS, W_RFONTS, W_RPR,
    W_RPRDEFAULT, W_RSTYLE, W_RTL, W_STYLE, W_STYLEID, W_TYPE, W_VAL, _w,
)
from .ooxml import is_symbol_font
from .runs import Tally


def _on(el: etree._Element | None) -> bool:
    """A toggle property (``<w:caps/>``, ``<w:rtl w:val="0"/>``) is on."""
    return el is not None and el.get(W_VAL, "true").lower() not in ("0", "false", "off", "none")


Slots = dict[str, str]


class StyleSheet:
    """The font side of a styles part: docDefaults and each style's ``w:rFonts``, with theme fonts resolved,
    merged along ``basedOn`` chains. Read once, before anything is renamed."""

    def __init__(self, styles: etree._Element | None, themes: dict[str, str], symbol_fonts: set[str]) -> None:
        self.themes = themes
        self.symbol_fonts = symbol_fonts
        self.defaults: Slots = {}
        self.styles: dict[str, tuple[str, str | None, Slots]] = {}
        self.default_style: dict[str, str] = {}
        self._chains: dict[str, Slots] = {}
        self._runs: dict[tuple[object, ...], Slots] = {}
        if styles is None:
            return
        rpr = styles.find(f"{W_DOCDEFAULTS}/{W_RPRDEFAULT}/{W_RPR}")
        if rpr is not None:
            self.defaults = self.slots(rpr.find(W_RFONTS))
        for st in styles.iter(W_STYLE):
            sid = st.get(W_STYLEID)
            if not sid:
                continue
            kind = st.get(W_TYPE, "paragraph")
            based = st.find(W_BASEDON)
            rpr = st.find(W_RPR)
            self.styles[sid] = (
                kind,
                based.get(W_VAL) if based is not None else None,
                self.slots(rpr.find(W_RFONTS) if rpr is not None else None),
            )
            if st.get(W_DEFAULT, "0").lower() in ("1", "true", "on") and kind not in self.default_style:
                self.default_style[kind] = sid

    def slots(self, rfonts: etree._Element | None) -> Slots:
        """The fonts one ``w:rFonts`` sets; a theme attribute wins over the plain one beside it."""
        out: Slots = {}
        if rfonts is None:
            return out
        for slot in SLOTS:
            theme = rfonts.get(_w(_THEME_ATTR[slot]))
            name = self.themes.get(theme) if theme else None
            if not name:
                name = rfonts.get(_w(slot))
            if name:
                out[slot] = name
        hint = rfonts.get(_w("hint"))
        if hint:
            out["hint"] = hint
        return out

    def chain(self, sid: str | None, kind: str) -> Slots:
        """A style's fonts merged along its basedOn chain (the type's default style when ``sid`` is unknown)."""
        if sid is None or sid not in self.styles:
            sid = self.default_style.get(kind)
            if sid is None:
                return {}
        if sid in self._chains:
            return self._chains[sid]
        order: list[Slots] = []
        seen: set[str] = set()
        cur: str | None = sid
        while cur is not None and cur in self.styles and cur not in seen:
            seen.add(cur)
            _kind, based, slots = self.styles[cur]
            order.append(slots)
            cur = based
        merged: Slots = {}
        for slots in reversed(order):
            merged.update(slots)
        self._chains[sid] = merged
        return merged

    def run_slots(
        self, table: str | None, para: str | None, char: str | None, direct: etree._Element | None
    ) -> Slots:
        """A run's effective fonts: docDefaults < table style < paragraph style < character style < run."""
        direct_key = tuple(sorted(direct.attrib.items())) if direct is not None else ()
        key = (table, para, char, direct_key)
        found = self._runs.get(key)
        if found is None:
            found = dict(self.defaults)
            if table is not None or "table" in self.default_style:
                found.update(self.chain(table, "table"))
            found.update(self.chain(para, "paragraph"))
            found.update(self.chain(char, "character"))
            found.update(self.slots(direct))
            if len(self._runs) < 100_000:
                self._runs[key] = found
        return found


@dataclass
class _Font:
    """What a run's effective font means for its text."""

    face: str | None  #: the font its letters are drawn in (hAnsi, or ascii …)
    info: FontInfo | None  #: the legacy font among its fonts, if any
    symbol: bool  #: a picture font: the run is left alone
    after: str | None  #: the font name the run will have once legacy fonts are renamed



def font_of(tally: Tally, slots: Slots, complex_script: bool, symbols: set[str]) -> _Font:
    """What the fonts ``slots`` mean: the face its letters are drawn in, and the legacy font among them."""
    if complex_script:
        order: tuple[str, ...] = ("cs",)
    elif slots.get("hint") == "eastAsia":
        order = ("hAnsi", "ascii", "eastAsia")
    else:
        order = ("hAnsi", "ascii")
    face = next((slots[s] for s in order if slots.get(s)), None)
    if is_symbol_font(face, symbols):
        return _Font(face, None, True, face)
    for slot in order:
        info = tally.font(slots.get(slot))
        if info is not None and info.charset:
            return _Font(slots.get(slot), info, False, info.replacement)
    return _Font(face, None, False, face)


def run_font(tally: Tally, run: etree._Element, sheet: StyleSheet, table: str | None, para: str | None) -> _Font:
    """The effective font of ``run`` in a paragraph of style ``para`` inside a table of style ``table``."""
    rpr = run.find(W_RPR)
    char = direct = None
    cs = False
    if rpr is not None:
        rstyle = rpr.find(W_RSTYLE)
        char = rstyle.get(W_VAL) if rstyle is not None else None
        direct = rpr.find(W_RFONTS)
        cs = _on(rpr.find(W_RTL)) or _on(rpr.find(W_CS))
    return font_of(tally, sheet.run_slots(table, para, char, direct), cs, sheet.symbol_fonts)


def _ensure_caps(run: etree._Element) -> bool:
    """Give a run ``<w:caps/>`` (in schema order); False when it has it already."""
    rpr = run.find(W_RPR)
    if rpr is None:
        rpr = run.makeelement(W_RPR)
        run.insert(0, rpr)
    caps = rpr.find(W_CAPS)
    if caps is not None:
        if _on(caps):
            return False
        caps.attrib.pop(W_VAL, None)
        return True
    pos = 0
    for i, child in enumerate(rpr):
        if child.tag in _BEFORE_CAPS:
            pos = i + 1
    rpr.insert(pos, rpr.makeelement(W_CAPS))
    return True


def _set_run_font(run: etree._Element, face: str) -> None:
    """Give a run an explicit ``w:rFonts`` naming ``face`` in every slot."""
    rpr = run.find(W_RPR)
    if rpr is None:
        rpr = run.makeelement(W_RPR)
        run.insert(0, rpr)
    rfonts = rpr.find(W_RFONTS)
    if rfonts is None:
        rfonts = rpr.makeelement(W_RFONTS)
        rstyle = rpr.find(W_RSTYLE)
        rpr.insert(rpr.index(rstyle) + 1 if rstyle is not None else 0, rfonts)
    for slot in SLOTS:
        rfonts.attrib.pop(_w(_THEME_ATTR[slot]), None)
        rfonts.set(_w(slot), face)
