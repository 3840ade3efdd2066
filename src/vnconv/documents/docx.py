"""Word documents (.docx, .docm): legacy Vietnamese text in runs → Unicode, legacy fonts → Unicode fonts.

Each paragraph of every story part (body, headers, footers, footnotes, endnotes, comments, the glossary)
goes to :func:`vnconv.repair_runs` as one sequence of runs, each with the charset its *effective*
font suggests: the run's ``w:rFonts`` over its character style, paragraph style (``basedOn`` chain), table
style and ``docDefaults``, theme fonts (``minorHAnsi`` …) resolved through the theme part. Runs in Unicode
fonts go with hint None: the engine decides by content, so legacy text under Times New Roman is found and
Unicode text under ``.VnTime`` is kept. Text boxes (VML and DrawingML), fields, hyperlinks, content
controls, smart tags and tracked changes are reached because every ``w:p`` of a part is visited and every
run inside it (at any depth, but not inside a nested paragraph) belongs to it.

Inside a run, ``w:t``/``w:delText`` hold the text; ``<w:softHyphen/>`` is U+00AD (TCVN3's ``ư``),
``<w:tab/>``, ``<w:br/>``, ``<w:cr/>``, ``<w:noBreakHyphen/>`` keep their place, ``<w:sym>`` in a legacy
font becomes the letter it draws; field codes, drawings and other objects are left alone and cut the run
into pieces. Run properties other than the font name are kept. Legacy font names are replaced everywhere
(runs, styles, numbering, font table, theme, charts) with the font table's Unicode stand-in; legacy text in
uppercase fonts (``.VnTimeH``) becomes capitals, or keeps its letters with ``<w:caps/>`` when
``Options.uppercase == "caps"`` (Unicode text typed under such a font stays as typed). Parts with nothing to
change are copied byte for byte; a document with nothing to change is copied as it is.
"""

from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import DocumentError
from ..charsets.fonts import FontInfo
from ..charsets.fonttext import FONT_TABLE
from . import Options, Result, atomic_output, source_hint
from .ooxml import (
    NS,
    STRICT_PREFIX,
    Package,
    is_symbol_font,
    legacy_font,
    rename_drawingml_fonts,
    rename_font_attributes,
    repair_drawingml_text,
    theme_fonts,
    vml_font_family,
)
from .runs import Tally, capitals, engine_units, repair_units

__all__ = ["convert_file", "detect_file"]

_W = NS["w"]


def _w(local: str) -> str:
    return f"{{{_W}}}{local}"


W_DOCUMENT, W_P, W_R, W_T, W_DELTEXT = _w("document"), _w("p"), _w("r"), _w("t"), _w("delText")
W_PPR, W_RPR, W_PSTYLE, W_RSTYLE, W_RFONTS = _w("pPr"), _w("rPr"), _w("pStyle"), _w("rStyle"), _w("rFonts")
W_TAB, W_PTAB, W_BR, W_CR = _w("tab"), _w("ptab"), _w("br"), _w("cr")
W_SOFTHYPHEN, W_NOBREAKHYPHEN, W_SYM = _w("softHyphen"), _w("noBreakHyphen"), _w("sym")
W_LASTRENDERED = _w("lastRenderedPageBreak")
W_DEL, W_MOVEFROM = _w("del"), _w("moveFrom")
W_SDTPR, W_SDTENDPR, W_CUSTOMXMLPR, W_SMARTTAGPR = _w("sdtPr"), _w("sdtEndPr"), _w("customXmlPr"), _w("smartTagPr")
W_TBL, W_TBLPR, W_TBLSTYLE, W_TXBXCONTENT = _w("tbl"), _w("tblPr"), _w("tblStyle"), _w("txbxContent")
W_STYLE, W_STYLEID, W_TYPE, W_BASEDON, W_DEFAULT = _w("style"), _w("styleId"), _w("type"), _w("basedOn"), _w("default")
W_DOCDEFAULTS, W_RPRDEFAULT = _w("docDefaults"), _w("rPrDefault")
W_VAL, W_NAME, W_FONT, W_CHAR = _w("val"), _w("name"), _w("font"), _w("char")
W_CAPS, W_RTL, W_CS = _w("caps"), _w("rtl"), _w("cs")
W_LVL, W_LVLTEXT = _w("lvl"), _w("lvlText")
W_FONTS, W_ALTNAME, W_CHARSET, W_PANOSE, W_SIG = _w("fonts"), _w("altName"), _w("charset"), _w("panose1"), _w("sig")
W_EMBEDS = {_w("embedRegular"), _w("embedBold"), _w("embedItalic"), _w("embedBoldItalic")}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MC_ALTERNATE, MC_CHOICE, MC_FALLBACK = (f"{{{NS['mc']}}}{t}" for t in ("AlternateContent", "Choice", "Fallback"))
M_OMATH = {f"{{{NS['m']}}}oMath", f"{{{NS['m']}}}oMathPara"}
V_TEXTPATH = f"{{{NS['v']}}}textpath"
C_CHARTSPACE = f"{{{NS['c']}}}chartSpace"

SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
_THEME_ATTR = {"ascii": "asciiTheme", "hAnsi": "hAnsiTheme", "eastAsia": "eastAsiaTheme", "cs": "cstheme"}
_RFONT_ATTRS = tuple(_w(s) for s in SLOTS)
#: what may stand before <w:caps/> in a w:rPr (CT_RPr's sequence)
_BEFORE_CAPS = {_w(t) for t in ("rStyle", "rFonts", "b", "bCs", "i", "iCs")}
#: parts whose paragraphs hold text, by relationship type (from the main or glossary document)
_STORY_KINDS = ("header", "footer", "footnotes", "endnotes", "comments")
_STORY_ROOTS = {_w(t) for t in ("document", "hdr", "ftr", "footnotes", "endnotes", "comments", "glossaryDocument")}
#: inside a paragraph: not containers of its runs
_NOT_RUN_CONTAINERS = {W_PPR, W_RPR, W_P, W_SDTPR, W_SDTENDPR, W_CUSTOMXMLPR, W_SMARTTAGPR} | M_OMATH
#: structural run content: piece kind -> the character the engine sees
_STRUCT = {W_TAB: ("tab", "\t"), W_PTAB: ("tab", "\t"), W_BR: ("nl", "\n"), W_CR: ("nl", "\n"),
           W_NOBREAKHYPHEN: ("nbh", "-")}  # fmt: skip
_STRUCT_KINDS = (("tab", "\t", W_TAB), ("nl", "\n", W_BR), ("nbh", "-", W_NOBREAKHYPHEN))
_DOCX_CONTENT_HINTS = ("wordprocessingml", "drawingml", ".theme+xml", "ms-word.styleswitheffects")


def convert_file(src: Path, dst: Path, options: Options | None = None) -> Result:
    """Convert ``src`` (.docx/.docm) into ``dst``, written atomically; DocumentError for unreadable input."""
    options = options or Options()
    src, dst = Path(src), Path(dst)
    result = Result(path=str(src), format="docx", output=str(dst))
    pkg = Package(src)
    try:
        _Converter(pkg, options, result).run()
        if pkg.modified:
            pkg.save(dst)
        else:  # nothing to change: the very same file
            pkg.close()
            if src.resolve() != dst.resolve():
                with open(src, "rb") as fin, atomic_output(dst) as fout:
                    shutil.copyfileobj(fin, fout)
    finally:
        pkg.close()
    return result


def detect_file(src: Path, options: Options | None = None) -> Result:
    """What ``src`` holds: legacy fonts, charsets, runs per charset, runs that would change; writes nothing."""
    options = options or Options()
    result = Result(path=str(src), format="docx")
    with Package(src) as pkg:
        _Converter(pkg, options, result).run()
    return result


# -- styles -------------------------------------------------------------------------------------------------
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


# -- pieces of runs -----------------------------------------------------------------------------------------
@dataclass
class _Font:
    """What a run's effective font means for its text."""

    face: str | None  #: the font its letters are drawn in (hAnsi, or ascii …)
    info: FontInfo | None  #: the legacy font among its fonts, if any
    symbol: bool  #: a picture font: the run is left alone
    after: str | None  #: the font name the run will have once legacy fonts are renamed


@dataclass
class _Piece:
    run: etree._Element
    items: list[tuple[str, etree._Element, str]]  #: (kind, element, the characters the engine sees)
    hint: str | None
    font: _Font
    deleted: bool
    sym: FontInfo | None = None  #: for a <w:sym> piece: its legacy font
    text: str = field(init=False)

    def __post_init__(self) -> None:
        self.text = "".join(ch for _, _, ch in self.items)

    @property
    def upper(self) -> bool:
        info = self.sym or self.font.info
        return bool(info and info.uppercase)

    @property
    def info(self) -> FontInfo | None:
        return self.sym or self.font.info


def _sym_char(sym: etree._Element) -> str | None:
    """The font-text character a ``<w:sym w:char="F0AD"/>`` stands for (byte 0xAD → U+00AD)."""
    try:
        code = int(sym.get(W_CHAR, ""), 16)
    except ValueError:
        return None
    if 0xF000 <= code <= 0xF0FF:
        code -= 0xF000
    return FONT_TABLE[code] if 0 <= code <= 0xFF else None


def _collect(el: etree._Element, deleted: bool, out: list[tuple[etree._Element, bool]],
             extra: list[list[tuple[etree._Element, bool]]]) -> None:  # fmt: skip
    """The runs of a paragraph, in order, at any depth but not inside nested paragraphs. Alternative
    branches of ``mc:AlternateContent`` after the first go to ``extra`` (each its own sequence)."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == W_R:
            out.append((child, deleted))
        elif tag in _NOT_RUN_CONTAINERS:
            continue
        elif tag == W_DEL or tag == W_MOVEFROM:
            _collect(child, True, out, extra)
        elif tag == MC_ALTERNATE:
            first = True
            for branch in child:
                if branch.tag not in (MC_CHOICE, MC_FALLBACK):
                    continue
                if first:
                    _collect(branch, deleted, out, extra)
                    first = False
                else:
                    alt: list[tuple[etree._Element, bool]] = []
                    _collect(branch, deleted, alt, extra)
                    if alt:
                        extra.append(alt)
        else:
            _collect(child, deleted, out, extra)


def _text_element(parent: etree._Element, tag: str, text: str) -> etree._Element:
    el = parent.makeelement(tag)
    el.text = text
    if text[:1].isspace() or text[-1:].isspace():
        el.set(XML_SPACE, "preserve")
    return el


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


# -- the conversion -----------------------------------------------------------------------------------------
class _Converter:
    def __init__(self, pkg: Package, options: Options, result: Result) -> None:
        self.pkg = pkg
        self.options = options
        self.result = result
        self.where = str(pkg.path)
        self.tally = Tally(options, self.where)
        self.fallback = source_hint(options)
        self.done: set[str] = set()
        self.themes: dict[str, str] = {}
        self.text_boxes = 0
        self.text_boxes_changed = 0

    # entry point
    def run(self) -> None:
        pkg = self.pkg
        main = pkg.main_part()
        root = pkg.xml(main).getroot()
        ns = etree.QName(root).namespace or ""
        if ns.startswith(STRICT_PREFIX):
            raise DocumentError(self.where, "a Strict Open XML document: save it as a standard .docx first")
        if root.tag != W_DOCUMENT:
            raise DocumentError(
                self.where, f"not a Word document (its main part {main} is <{etree.QName(root).localname}>)"
            )
        theme = next(iter(pkg.related(main, "theme")), None)
        self.themes = theme_fonts(pkg.xml(theme).getroot() if theme else None)
        docs = [main] + pkg.related(main, "glossaryDocument")
        sheets = {doc: self._stylesheet(doc) for doc in docs}  # read every style before renaming any
        main_sheet = sheets[main]
        for doc in docs:
            for part in [doc] + [p for kind in _STORY_KINDS for p in pkg.related(doc, kind)]:
                if part not in self.done:
                    self._story(part, sheets[doc])
            for part in pkg.related(doc, "numbering"):
                if part not in self.done:
                    self._numbering(part, sheets[doc])
        embedded: list[str] = []
        for part, kind in pkg.reachable(""):
            if kind in ("package", "oleObject", "aFChunk"):
                embedded.append(part)
            if part in self.done:
                continue
            ctype = pkg.content_type(part).lower()
            if not ctype.endswith("xml") or not any(h in ctype for h in _DOCX_CONTENT_HINTS):
                continue
            self._other(part, main_sheet)
        self._properties()
        if embedded:
            shown = ", ".join(sorted(embedded)[:5]) + (" …" if len(embedded) > 5 else "")
            self.tally.warn(f"{len(embedded)} embedded object(s) were not converted: {shown}")
        self.tally.details["text_boxes"] = self.text_boxes
        self.tally.details["text_boxes_changed"] = self.text_boxes_changed
        self.tally.details["parts_modified"] = sorted(pkg.modified)
        self.tally.fill(self.result)

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

    # story parts ---------------------------------------------------------------------------------------
    def _story(self, part: str, sheet: StyleSheet) -> None:
        self.done.add(part)
        root = self.pkg.xml(part).getroot()
        changed = False
        boxes_changed: set[etree._Element] = set()
        for p in list(root.iter(W_P)):
            if self._paragraph(p, sheet, part):
                changed = True
                box = next(p.iterancestors(W_TXBXCONTENT), None)
                if box is not None:
                    boxes_changed.add(box)
        for box in root.iter(W_TXBXCONTENT):
            if next(box.iterancestors(MC_FALLBACK), None) is None:
                self.text_boxes += 1
                if box in boxes_changed:
                    self.text_boxes_changed += 1
        changed |= self._textpaths(root, part)
        changed |= self._rename(root)
        self._finish(part, changed)

    def _font(self, slots: Slots, complex_script: bool, symbols: set[str]) -> _Font:
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
            info = self.tally.font(slots.get(slot))
            if info is not None and info.charset:
                return _Font(slots.get(slot), info, False, info.replacement)
        return _Font(face, None, False, face)

    def _run_font(self, run: etree._Element, sheet: StyleSheet, table: str | None, para: str | None) -> _Font:
        rpr = run.find(W_RPR)
        char = direct = None
        cs = False
        if rpr is not None:
            rstyle = rpr.find(W_RSTYLE)
            char = rstyle.get(W_VAL) if rstyle is not None else None
            direct = rpr.find(W_RFONTS)
            cs = _on(rpr.find(W_RTL)) or _on(rpr.find(W_CS))
        return self._font(sheet.run_slots(table, para, char, direct), cs, sheet.symbol_fonts)

    def _paragraph(self, p: etree._Element, sheet: StyleSheet, part: str) -> bool:
        runs: list[tuple[etree._Element, bool]] = []
        extra: list[list[tuple[etree._Element, bool]]] = []
        _collect(p, False, runs, extra)
        if not runs and not extra:
            return False
        ppr = p.find(W_PPR)
        pstyle = ppr.find(W_PSTYLE) if ppr is not None else None
        para = pstyle.get(W_VAL) if pstyle is not None else None
        table = None
        for anc in p.iterancestors(W_TBL, W_TXBXCONTENT):
            if anc.tag == W_TBL:
                style = anc.find(f"{W_TBLPR}/{W_TBLSTYLE}")
                table = style.get(W_VAL) if style is not None else None
            break
        # the visible text is one sequence; each stretch of deleted runs is another
        visible: list[tuple[etree._Element, bool]] = []
        deleted_groups: list[list[tuple[etree._Element, bool]]] = []
        prev_deleted = False
        for run, deleted in runs:
            if not deleted:
                visible.append((run, False))
            elif prev_deleted:
                deleted_groups[-1].append((run, True))
            else:
                deleted_groups.append([(run, True)])
            prev_deleted = deleted
        changed = False
        for seq in [visible] + deleted_groups + extra:
            if seq:
                changed |= self._sequence(seq, sheet, table, para, part)
        return changed

    def _pieces(self, run: etree._Element, font: _Font, deleted: bool) -> list[_Piece]:
        hint = font.info.charset if font.info else self.fallback
        pieces: list[_Piece] = []
        cur: list[tuple[str, etree._Element, str]] = []

        def flush() -> None:
            if cur:
                pieces.append(_Piece(run, list(cur), hint, font, deleted))
                cur.clear()

        for child in run:
            tag = child.tag
            if not isinstance(tag, str) or tag == W_RPR or tag == W_LASTRENDERED:
                continue
            if tag == W_T or tag == W_DELTEXT:
                cur.append(("t", child, child.text or ""))
            elif tag == W_SOFTHYPHEN:
                cur.append(("sh", child, "\u00ad"))
            elif tag in _STRUCT:
                kind, ch = _STRUCT[tag]
                cur.append((kind, child, ch))
            elif tag == W_SYM:
                flush()
                sym_font = self.tally.font(child.get(W_FONT))
                ch = _sym_char(child)
                if sym_font is not None and sym_font.charset and ch is not None:
                    pieces.append(_Piece(run, [("sym", child, ch)], sym_font.charset, font, deleted, sym_font))
            else:  # field codes, drawings, references …: not text
                flush()
        flush()
        return pieces

    def _sequence(
        self, seq: list[tuple[etree._Element, bool]], sheet: StyleSheet, table: str | None, para: str | None,
        part: str,
    ) -> bool:  # fmt: skip
        pieces: list[_Piece] = []
        for run, deleted in seq:
            font = self._run_font(run, sheet, table, para)
            if font.symbol:
                continue
            run_pieces = self._pieces(run, font, deleted)
            info = font.info or next((pc.sym for pc in run_pieces if pc.sym), None)
            self.tally.count_unit("".join(pc.text for pc in run_pieces), info)
            pieces.extend(run_pieces)
        if not pieces:
            return False
        texts = [pc.text for pc in pieces]
        hints = [pc.hint for pc in pieces]
        faces = [pc.info.name if pc.info else pc.font.face for pc in pieces]
        outs = repair_units(self.tally, part, texts, hints, faces, [pc.info for pc in pieces], count=False)
        changed_runs: dict[etree._Element, None] = {}
        syms: list[tuple[_Piece, str]] = []
        outs, marks = capitals(texts, outs, [pc.upper for pc in pieces], self.options)
        for pc, out, caps in zip(pieces, outs, marks):
            if caps and _ensure_caps(pc.run):
                changed_runs[pc.run] = None
            if pc.sym is not None:
                syms.append((pc, out))
                if out != pc.text:
                    changed_runs[pc.run] = None
            elif out != pc.text:
                self._write(pc, out, part)
                changed_runs[pc.run] = None
        for pc, out in syms:
            self._replace_sym(pc, out)
        self.tally.mark(part, len(changed_runs))
        return bool(changed_runs or syms)

    def _emit(
        self, parent: etree._Element, tag: str, out: str, plan: dict[int, etree._Element]
    ) -> list[etree._Element]:
        """``out`` as run content: text elements, ``<w:softHyphen/>`` for U+00AD, planned elements."""
        new: list[etree._Element] = []
        buf: list[str] = []

        def flush() -> None:
            if buf:
                new.append(_text_element(parent, tag, "".join(buf)))
                buf.clear()

        for i, c in enumerate(out):
            el = plan.get(i)
            if el is not None:
                flush()
                new.append(el)
            elif c == "\u00ad":
                flush()
                new.append(parent.makeelement(W_SOFTHYPHEN))
            else:
                buf.append(c)
        flush()
        return new

    def _write(self, pc: _Piece, out: str, part: str) -> None:
        """Put a piece's new text back, keeping tabs, breaks and non-breaking hyphens where they were."""
        items = pc.items
        run = pc.run
        tag = next((el.tag for kind, el, _ in items if kind == "t"), W_DELTEXT if pc.deleted else W_T)
        plan: dict[int, etree._Element] = {}
        leftovers: list[etree._Element] = []
        for kind, ch, make in _STRUCT_KINDS:
            elems = [el for k, el, _ in items if k == kind]
            if not elems:
                continue
            ordinals: list[int] = []
            count = 0
            for k, _el, s in items:
                if k == kind:
                    ordinals.append(count)
                    count += 1
                elif k == "t":
                    count += s.count(ch)
            positions = [i for i, c in enumerate(out) if c == ch]
            if len(positions) == count:
                for o, el in zip(ordinals, elems):
                    plan[positions[o]] = el
                continue
            self.tally.note(
                part, f"structure:{kind}",
                "{n} run(s) changed their tabs, breaks or hyphens during repair; their layout may differ "
                "(e.g. {example})", repr(pc.text[:40]),
            )  # fmt: skip
            if kind != "nbh":  # every tab or break of the output becomes one, reusing the originals
                pool = list(elems)
                for i in positions:
                    plan[i] = pool.pop(0) if pool else run.makeelement(make)
                leftovers.extend(pool)
        new = self._emit(run, tag, out, plan) + leftovers
        old = [el for _, el, _ in items]
        idx = run.index(old[0])
        for el in old:
            run.remove(el)
        for j, el in enumerate(new):
            run.insert(idx + j, el)

    def _replace_sym(self, pc: _Piece, out: str) -> None:
        """A legacy-font ``<w:sym>`` becomes the text it draws, in a run whose font can show it."""
        sym = pc.items[0][1]
        run = sym.getparent()
        if run is None:
            return
        tag = W_DELTEXT if pc.deleted else W_T
        new = self._emit(run, tag, out, {})
        idx = run.index(sym)
        run.remove(sym)
        for j, el in enumerate(new):
            run.insert(idx + j, el)
        assert pc.sym is not None
        target = pc.sym.replacement
        if new and (pc.font.after or "").lower() != target.lower():
            self._isolate(run, new, target)

    @staticmethod
    def _isolate(run: etree._Element, elems: list[etree._Element], face: str) -> None:
        """Move ``elems`` (consecutive content of ``run``) into a run of their own in font ``face``."""
        rpr = run.find(W_RPR)
        children = list(run)
        first, last = children.index(elems[0]), children.index(elems[-1])
        before = [c for c in children[:first] if c is not rpr]
        after = children[last + 1 :]

        def new_run() -> etree._Element:
            r = run.makeelement(W_R, dict(run.attrib))
            if rpr is not None:
                r.append(copy.deepcopy(rpr))
            return r

        mid = new_run()
        _set_run_font(mid, face)
        for el in elems:
            mid.append(el)
        run.addnext(mid)
        if after:
            tail = new_run()
            for el in after:
                tail.append(el)
            mid.addnext(tail)
        if not before and run.getparent() is not None:
            run.getparent().remove(run)

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

    # other parts ---------------------------------------------------------------------------------------
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
            font = self._font(slots, False, sheet.symbol_fonts)
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
