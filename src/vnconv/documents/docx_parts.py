"""The parts of a Word document beyond its stories' paragraphs: style sheets, numbering, the font table, charts,
diagrams, WordArt, document properties and font names (methods of :class:`vnconv.documents.docx._Converter`)."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from ..errors import DocumentError
from . import Options
from .docx_names import (
    _RFONT_ATTRS, _STORY_ROOTS, C_CHARTSPACE, NS, V_TEXTPATH, W_ALTNAME, W_CHARSET, W_EMBEDS, W_FONT, W_FONTS,
    W_LVL, W_LVLTEXT, W_NAME, W_PANOSE, W_PSTYLE, W_RFONTS, W_RPR, W_SIG, W_SYM, W_VAL, _w,
)
from .docx_styles import StyleSheet, _ensure_caps, font_of
from .ooxml import (
    Package, is_symbol_font, legacy_font, rename_drawingml_fonts, rename_font_attributes, repair_drawingml_text,
    vml_font_family,
)
from .runs import Tally, capitals, engine_units, repair_units


class _Parts:
    """Conversions of a document's non-story parts (mixed into :class:`~vnconv.documents.docx._Converter`)."""

    pkg: Package
    options: Options
    tally: Tally
    fallback: str | None
    done: set[str]
    themes: dict[str, str]
    _story: Callable[[str, StyleSheet], None]

    def _stylesheet(self, doc: str) -> StyleSheet:
        pkg = self.pkg
        styles = next(iter(pkg.related(doc, "styles")), None)
        symbols: set[str] = set()
        for part in pkg.related(doc, "fontTable"):
            for font in pkg.xml(part).getroot().iter(_w("font")):
                charset = font.find(W_CHARSET)
                if charset is not None and charset.get(W_VAL, "").upper() == "02" and font.get(W_NAME):
                    symbols.add(font.get(W_NAME, "").strip().lower())
        return StyleSheet(pkg.xml(styles).getroot() if styles else None, self.themes, symbols)

    def _finish(self, part: str, changed: bool) -> None:
        self.done.add(part)
        if changed:
            self.pkg.mark_modified(part)
    def _textpaths(self, root: etree._Element, part: str) -> bool:
        """VML WordArt: ``<v:textpath style="font-family:.VnTime" string="…"/>``."""
        changed = False
        for tp in root.iter(V_TEXTPATH):
            text = tp.get("string")
            face = vml_font_family(tp.get("style"))
            info = self.tally.font(face)
            if not text or not text.strip() or is_symbol_font(face):
                continue
            hint = info.charset if info and info.charset else self.fallback
            out = repair_units(self.tally, part, [text], [hint], [face], [info])
            out = capitals([text], out, [bool(info and info.uppercase)], self.options, caps=False)[0]
            if out[0] != text:
                tp.set("string", out[0])
                self.tally.mark(part)
                changed = True
        return changed

    def _rename(self, root: etree._Element) -> bool:
        """Replace legacy font names in ``w:rFonts``, ``w:sym``, DrawingML and VML inside a part."""
        changed = False
        for el in root.iter(W_RFONTS):
            changed |= rename_font_attributes(el, _RFONT_ATTRS, self.tally)
        for el in root.iter(W_SYM):
            changed |= rename_font_attributes(el, (W_FONT,), self.tally)
        changed |= rename_drawingml_fonts(root, self.tally)
        return changed

    def _numbering(self, part: str, sheet: StyleSheet) -> None:
        """List labels (``w:lvlText``, e.g. ``§iÒu %1.``) in a legacy font, then the font names."""
        root = self.pkg.xml(part).getroot()
        changed = False
        for lvl in root.iter(W_LVL):
            lt = lvl.find(W_LVLTEXT)
            text = lt.get(W_VAL) if lt is not None else None
            if lt is None or not text or not text.strip():
                continue
            rpr = lvl.find(W_RPR)
            pstyle = lvl.find(W_PSTYLE)
            slots = sheet.run_slots(
                None, pstyle.get(W_VAL) if pstyle is not None else None, None,
                rpr.find(W_RFONTS) if rpr is not None else None,
            )  # fmt: skip
            font = font_of(self.tally, slots, False, sheet.symbol_fonts)
            if font.symbol or font.info is None:
                continue  # bullets and labels in Unicode fonts: nothing says they are legacy
            info = font.info
            outs = repair_units(self.tally, part, [text], [info.charset], [info.name], [info])
            (out,), (caps,) = capitals([text], outs, [info.uppercase], self.options)
            if caps:
                if rpr is None:
                    rpr = lvl.makeelement(W_RPR)
                    lvl.append(rpr)
                changed |= _ensure_caps(lvl)
            if out != text:
                lt.set(W_VAL, out)
                self.tally.mark(part)
                changed = True
        changed |= self._rename(root)
        self._finish(part, changed)

    def _font_table(self, part: str) -> None:
        """Rename legacy fonts in ``fontTable.xml``; drop an entry whose replacement is listed already."""
        root = self.pkg.xml(part).getroot()
        changed = False
        fonts = [f for f in root if f.tag == _w("font")]
        present = {(f.get(W_NAME) or "").strip().lower() for f in fonts if legacy_font(f.get(W_NAME)) is None}
        for f in fonts:
            name = f.get(W_NAME) or ""
            new = self.tally.replacement(name)
            if new is not None:
                if new.strip().lower() in present:
                    root.remove(f)
                else:
                    f.set(W_NAME, new)
                    present.add(new.strip().lower())
                    for child in list(f):
                        if child.tag in (W_ALTNAME, W_PANOSE, W_SIG) or child.tag in W_EMBEDS:
                            f.remove(child)
                changed = True
                continue
            alt = f.find(W_ALTNAME)
            if alt is not None and legacy_font(alt.get(W_VAL)) is not None:
                f.remove(alt)
                changed = True
        changed |= self._rename(root)
        self._finish(part, changed)

    def _other(self, part: str, sheet: StyleSheet) -> None:
        root = self.pkg.xml(part).getroot()
        if root.tag in _STORY_ROOTS:  # a story only reachable some other way
            self._story(part, sheet)
            return
        if root.tag == W_FONTS:
            self._font_table(part)
            return
        if root.tag == _w("numbering"):
            self._numbering(part, sheet)
            return
        changed = False
        if root.tag == C_CHARTSPACE:
            changed |= self._chart(root, part)
        elif etree.QName(root).namespace in (
            "http://schemas.openxmlformats.org/drawingml/2006/diagram",
            "http://schemas.microsoft.com/office/drawing/2008/diagram",
        ):
            changed |= repair_drawingml_text(root, self.options, self.tally, part, self.themes)
        changed |= self._rename(root)
        self._finish(part, changed)

    def _chart(self, root: etree._Element, part: str) -> bool:
        """Chart text: titles and labels (DrawingML) and the cached category/series names."""
        c = NS["c"]
        latin = root.find(f"{{{c}}}txPr//{{{NS['a']}}}defRPr/{{{NS['a']}}}latin")
        default = latin.get("typeface") if latin is not None else None
        if default and default.startswith("+"):
            default = self.themes.get(default, default)
        changed = repair_drawingml_text(root, self.options, self.tally, part, self.themes, default)
        info = self.tally.font(default)
        hint = info.charset if info and info.charset else self.fallback
        for cache in root.iter(f"{{{c}}}strCache", f"{{{c}}}strLit"):
            for v in cache.iter(f"{{{c}}}v"):
                text = v.text or ""
                if not text.strip():
                    continue
                outs = repair_units(self.tally, part, [text], [hint], [default], [info])
                # the cache shows in the chart's own text properties: with "caps" its letters stay
                (out,), _ = capitals([text], outs, [bool(info and info.uppercase)], self.options)
                if out != text:
                    v.text = out
                    self.tally.mark(part)
                    changed = True
        return changed

    def _properties(self) -> None:
        """Title, subject, author … in docProps: legacy text typed into File › Properties."""
        hint = self.tally.main_charset() or self.fallback
        fields = {
            "coreProperties": ("title", "subject", "creator", "keywords", "description", "lastModifiedBy",
                               "category", "contentStatus"),
            "Properties": ("Company", "Manager"),
        }  # fmt: skip
        for part, kind in self.pkg.reachable(""):
            if kind not in ("core-properties", "extended-properties"):
                continue
            try:
                root = self.pkg.xml(part).getroot()
            except DocumentError as exc:
                self.tally.warn(f"{part}: not converted ({exc.cause})")
                continue
            names = fields.get(etree.QName(root).localname, ())
            changed = False
            for el in root:
                if not isinstance(el.tag, str) or etree.QName(el).localname not in names:
                    continue
                text = el.text or ""
                if not text.strip() or len(el):
                    continue
                out = engine_units(self.tally, [text], [hint])[0][0]
                if out != text:
                    el.text = out
                    self.tally.mark(part)
                    changed = True
            self._finish(part, changed)
