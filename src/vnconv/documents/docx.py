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
from .docx_names import (
    _DOCX_CONTENT_HINTS, _NOT_RUN_CONTAINERS, _STORY_KINDS, _STRUCT, _STRUCT_KINDS, MC_ALTERNATE, MC_CHOICE,
    MC_FALLBACK, W_CHAR, W_DEL, W_DELTEXT, W_DOCUMENT, W_FONT, W_LASTRENDERED, W_MOVEFROM, W_P, W_PPR, W_PSTYLE,
    W_R, W_RPR, W_SOFTHYPHEN, W_SYM, W_T, W_TBL, W_TBLPR, W_TBLSTYLE, W_TXBXCONTENT, W_VAL, XML_SPACE,
)
from .docx_parts import _Parts
from .docx_styles import StyleSheet, _ensure_caps, _Font, _set_run_font, run_font
from .ooxml import STRICT_PREFIX, Package, theme_fonts
from .runs import Tally, capitals, repair_units

__all__ = ["convert_file", "detect_file"]


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


# -- pieces of runs -----------------------------------------------------------------------------------------
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


# -- the conversion -----------------------------------------------------------------------------------------
class _Converter(_Parts):
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
            font = run_font(self.tally, run, sheet, table, para)
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
