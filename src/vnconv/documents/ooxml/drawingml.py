"""DrawingML text (chart titles and labels, SmartArt, shapes): each paragraph's runs through the one runs
pipeline, with the font each run shows."""

from __future__ import annotations

from lxml import etree

from ...charsets.fonts import FontInfo
from .. import Options, source_hint
from ..runs import Tally, capitals, repair_units
from .fonts import is_symbol_font
from .package import q as _q

__all__ = ["repair_drawingml_text"]

_A_P = _q("a", "p")
_A_R = _q("a", "r")
_A_FLD = _q("a", "fld")
_A_BR = _q("a", "br")
_A_T = _q("a", "t")
_A_RPR = _q("a", "rPr")
_A_PPR = _q("a", "pPr")
_A_DEFRPR = _q("a", "defRPr")
_A_LATIN = _q("a", "latin")
_A_LSTSTYLE = _q("a", "lstStyle")


def _latin_of(props: etree._Element | None) -> str | None:
    if props is None:
        return None
    latin = props.find(_A_LATIN)
    return latin.get("typeface") if latin is not None else None


def _drawingml_paragraph_font(p: etree._Element, default: str | None) -> str | None:
    ppr = p.find(_A_PPR)
    face = _latin_of(ppr.find(_A_DEFRPR)) if ppr is not None else None
    if face:
        return face
    level = int(ppr.get("lvl", "0")) + 1 if ppr is not None and ppr.get("lvl", "0").isdigit() else 1
    for anc in p.iterancestors():
        lst = anc.find(_A_LSTSTYLE)
        if lst is not None:
            lvl = lst.find(_q("a", f"lvl{level}pPr"))
            face = _latin_of(lvl.find(_A_DEFRPR)) if lvl is not None else None
            if face:
                return face
    return default


def repair_drawingml_text(
    root: etree._Element,
    options: Options,
    tally: Tally,
    part: str,
    themes: dict[str, str] | None = None,
    default_font: str | None = None,
) -> bool:
    """Repair the text of every DrawingML paragraph (``a:p``: chart titles and labels, SmartArt, shapes).

    A run's font is its ``a:rPr/a:latin``, else the paragraph's or list style's ``a:defRPr``, else
    ``default_font`` (e.g. the chart's text properties); ``+mn-lt``-style references resolve through
    ``themes``. A paragraph's runs between line breaks go to the engine together. Legacy uppercase fonts
    give capitals (or ``cap="all"`` with ``options.uppercase == "caps"``). True when a text changed.
    """
    themes = themes or {}
    fallback_hint = source_hint(options)
    changed = False
    for p in root.iter(_A_P):
        p_font = _drawingml_paragraph_font(p, default_font)
        segments: list[list[tuple[etree._Element, etree._Element, str | None, FontInfo | None]]] = [[]]
        for child in p:
            if child.tag in (_A_R, _A_FLD):
                t = child.find(_A_T)
                if t is None:
                    continue
                rpr = child.find(_A_RPR)
                face = _latin_of(rpr) or p_font
                if face and face.startswith("+"):
                    face = themes.get(face, face)
                if is_symbol_font(face):
                    segments.append([])
                    continue
                segments[-1].append((child, t, face, tally.font(face)))
            elif child.tag == _A_BR:
                segments.append([])
        for seg in segments:
            texts = [t.text or "" for _, t, _, _ in seg]
            if not any(s.strip() for s in texts):
                continue
            hints = [info.charset if info else fallback_hint for _, _, _, info in seg]
            infos = [i for *_, i in seg]
            outs = repair_units(tally, part, texts, hints, [face for _, _, face, _ in seg], infos)
            outs, marks = capitals(texts, outs, [bool(i and i.uppercase) for i in infos], options)
            for (run, t, _face, _info), before, after, caps in zip(seg, texts, outs, marks):
                if after != before:
                    t.text = after
                if caps:
                    rpr = run.find(_A_RPR)
                    if rpr is None:
                        rpr = etree.Element(_A_RPR)
                        run.insert(0, rpr)
                    rpr.set("cap", "all")
                if after != before or caps:
                    tally.mark(part)
                    changed = True
    return changed
