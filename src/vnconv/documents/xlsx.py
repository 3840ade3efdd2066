"""Excel workbooks: .xlsx/.xlsm in, the same format out, text repaired cell by cell, everything else kept.

The package's XML is edited directly (through :class:`~vnconv.documents.ooxml.Package`); parts that hold no
legacy text are copied byte for byte, and nothing is ever round-tripped through a spreadsheet model.

What decides a text's charset: the font of its cell (``styles.xml``: the cell's ``s`` → ``cellXfs`` →
``fonts``), or the run's own ``<rFont>`` inside rich text. The text goes to the repair engine with that
font's charset as hint (text already in Unicode stays as it is; a cell holding two encodings is repaired
span by span). Text in ``.VnTimeH``/``.VnArialH``-style fonts becomes real capitals (SpreadsheetML has no
"all caps" property, so ``Options.uppercase == "caps"`` also gives capitals here).

What is converted:

* cells: shared strings (``sharedStrings.xml``), inline strings, the cached text of formulas, string
  literals inside formulas (``="Céng"``); rich-text runs, each with its own font. A shared string used by
  cells in different legacy fonts (a ``.VnTime`` and a ``.VnTimeH`` cell, or a TCVN3 and a VNI cell) is
  split: each font gets its own converted copy and the cells are re-pointed.
* sheet names (renamed only when every reference can be rewritten: formulas, defined names, data
  validations, conditional formats, hyperlinks, charts, pivot caches and ``docProps/app.xml`` are updated;
  a workbook with VBA macros keeps its names, with a warning), defined names' string constants,
  data-validation lists, prompts and error messages, comments (notes), header/footer text (``&"Font,Style"``
  codes are followed, and legacy font names in them renamed), table column names, auto-filter values,
  chart and shape text (DrawingML), chart caches, literal text in number formats.
* fonts: every legacy font name in ``styles.xml`` (fonts and differential formats), in rich-text runs,
  comments, header/footer codes, charts, drawings and the theme becomes its Unicode replacement.

What is never touched: cell references and the rest of every formula, numbers, number formats (apart from
their quoted text), styles, merges, widths, heights, pictures, macros. Pivot caches are marked
``refreshOnLoad`` so Excel rebuilds them from the converted cells.
"""

from __future__ import annotations

import copy
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from ..charsets.fonts import FontInfo
from ..errors import DocumentError
from . import Options, Result, source_hint
from .ooxml import STRICT_PREFIX, Package, is_symbol_font, rename_font_attributes, theme_fonts

from .runs import Tally, capitals, engine_units, record_units, repair_units
from .xlsx_parts import _SheetParts
from .xlsx_text import (
    R, Key, _C, _IS, _R, _RFONT, _RPR, _SI, _Sheet, _T, _V, _key, _set_text, _unescape, _x,
    convert_header_footer, rewrite_formula,
)

__all__ = ["convert_file", "detect_file", "rewrite_formula", "convert_header_footer"]

FORMAT = "xlsx"

#: cells per engine call (see :meth:`_Workbook.fix_many`)
BATCH = 1

class _Workbook(_SheetParts):
    def __init__(self, pkg: Package, options: Options, tally: Tally) -> None:
        self.pkg = pkg
        self.options = options
        self.tally = tally
        self.fallback = source_hint(options)
        self.main = pkg.main_part()
        root = pkg.xml(self.main).getroot()
        if not isinstance(root.tag, str) or not root.tag.startswith("{"):
            raise DocumentError(str(pkg.path), "not a SpreadsheetML workbook")
        if root.tag.startswith("{" + STRICT_PREFIX):
            raise DocumentError(
                str(pkg.path), "a Strict Open XML workbook: save it as an ordinary (Transitional) .xlsx first"
            )
        if root.tag != _x("workbook"):
            raise DocumentError(str(pkg.path), f"the main part is not a workbook ({etree.QName(root).localname})")
        self.root = root
        self.rels = {r.id: r for r in pkg.rels(self.main)}
        self.fonts: list[FontInfo | None] = []
        self.xf_font: list[int] = []
        self.xf_numfmt: list[int] = []
        self.styles_part = next(iter(pkg.related(self.main, "styles")), None)
        self.sst_part = next(iter(pkg.related(self.main, "sharedStrings")), None)
        themes = pkg.related(self.main, "theme")
        self.theme_part = themes[0] if themes else None
        self.themes = theme_fonts(pkg.xml(self.theme_part).getroot() if self.theme_part else None)
        self.sheets: list[_Sheet] = []
        self.renames: dict[str, str] = {}
        self.wb_hint: str | None = None
        self.split = 0
        self.sst: list[etree._Element] = []
        self.sst_uses: dict[int, dict[Key, list[tuple[_Sheet, etree._Element]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.key_info: dict[Key, FontInfo | None] = {None: None}
        self.charset_cells: Counter[str] = Counter()
        self.any_change = False

    # -- helpers --------------------------------------------------------------------------------------
    def font(self, name: str | None) -> FontInfo | None:
        if not name or is_symbol_font(name):
            return None
        info = self.tally.font(name)
        return info if info is not None and info.charset else None

    def hint(self, info: FontInfo | None) -> str | None:
        return info.charset if info is not None and info.charset else self.fallback

    def fix(self, part: str, texts: list[str], infos: list[FontInfo | None], upper: bool = True) -> list[str]:
        """Repair the runs of one cell (or one text); legacy capitals fonts give capitals."""
        if not any(t.strip() for t in texts):
            return texts
        hints = [self.hint(i) for i in infos]
        if all(h is None for h in hints) and all(t.isascii() for t in texts):
            return texts
        outs = repair_units(self.tally, part, texts, hints, [i.name if i else None for i in infos], infos)
        return self._capitals(texts, outs, infos) if upper else outs

    def _capitals(self, texts: list[str], outs: list[str], infos: list[FontInfo | None]) -> list[str]:
        """The one capitals rule; SpreadsheetML has no *all caps* property: always real capitals."""
        return capitals(texts, outs, [bool(i and i.uppercase) for i in infos], self.options, caps=False)[0]

    def fix_one(self, part: str, text: str, info: FontInfo | None, upper: bool = True) -> str:
        return self.fix(part, [text], [info], upper)[0]

    def wb_fix(self, part: str, text: str) -> str:
        """Repair text shown in the interface font, not a cell font (sheet names, defined names, prompts,
        chart caches): the workbook's main legacy charset is the hint."""
        hint = self.wb_hint or self.fallback
        text = _unescape(text)
        if hint is None or not text.strip() or text.isascii():
            return text
        return engine_units(self.tally, [text], [hint])[0][0]

    def changed(self, part: str) -> None:
        self.tally.mark(part)

    def xf_info(self, s: str | None) -> FontInfo | None:
        try:
            font_id = self.xf_font[int(s)] if s else (self.xf_font[0] if self.xf_font else 0)
            return self.fonts[font_id]
        except (ValueError, IndexError):
            return None

    # -- styles ---------------------------------------------------------------------------------------
    def read_styles(self) -> None:
        if self.styles_part is None:
            return
        root = self.pkg.xml(self.styles_part).getroot()
        fonts = root.find(_x("fonts"))
        if fonts is not None:
            for f in fonts.findall(_x("font")):
                name = f.find(_x("name"))
                self.fonts.append(self.font(name.get("val") if name is not None else None))
        xfs = root.find(_x("cellXfs"))
        if xfs is not None:
            for xf in xfs.findall(_x("xf")):
                try:
                    self.xf_font.append(int(xf.get("fontId", "0")))
                except ValueError:
                    self.xf_font.append(0)
                try:
                    self.xf_numfmt.append(int(xf.get("numFmtId", "0")))
                except ValueError:
                    self.xf_numfmt.append(0)

    def rename_styles(self) -> None:
        if self.styles_part is None:
            return
        root = self.pkg.xml(self.styles_part).getroot()
        changed = False
        for f in root.iter(_x("font")):
            name = f.find(_x("name"))
            if name is not None:
                changed |= rename_font_attributes(name, ("val",), self.tally)
        changed |= self.convert_numfmts(root)
        if changed:
            self.pkg.mark_modified(self.styles_part)

    def convert_numfmts(self, root: etree._Element) -> bool:
        """Quoted text in number formats (``#,##0" ®"``) used by legacy-font cells: converted like the cell."""
        numfmts = root.find(_x("numFmts"))
        xfs = root.find(_x("cellXfs"))
        if numfmts is None or xfs is None:
            return False
        by_id = {nf.get("numFmtId"): nf for nf in numfmts.findall(_x("numFmt"))}
        users: dict[str, dict[Key, list[etree._Element]]] = defaultdict(lambda: defaultdict(list))
        for i, xf in enumerate(xfs.findall(_x("xf"))):
            nid = xf.get("numFmtId")
            if nid in by_id and '"' in (by_id[nid].get("formatCode") or ""):
                info = self.fonts[self.xf_font[i]] if self.xf_font[i] < len(self.fonts) else None
                users[nid][_key(info)].append(xf)
                self.key_info.setdefault(_key(info), info)
        changed = False
        next_id = max([int(k) for k in by_id if k and k.isdigit()] + [163]) + 1
        part = self.styles_part or "styles"
        for nid, groups in users.items():
            nf = by_id[nid]
            code = nf.get("formatCode") or ""
            results: dict[Key, str] = {}
            for key in groups:
                info = self.key_info.get(key)
                if key is None and self.fallback is None:
                    results[key] = code
                    continue
                results[key] = rewrite_formula(code, None, lambda s, info=info: self.fix_one(part, s, info))
            distinct = set(results.values())
            if distinct == {code}:
                continue
            changed = True
            if len(distinct) == 1:
                nf.set("formatCode", distinct.pop())
                continue
            for key, new in results.items():
                if new == code:
                    continue
                clone = copy.deepcopy(nf)
                clone.set("numFmtId", str(next_id))
                clone.set("formatCode", new)
                numfmts.append(clone)
                for xf in groups[key]:
                    xf.set("numFmtId", str(next_id))
                next_id += 1
            if numfmts.get("count") is not None:
                numfmts.set("count", str(len(numfmts.findall(_x("numFmt")))))
        return changed

    # -- pass 1: sheets and shared-string uses ---------------------------------------------------------
    def read_sheets(self) -> None:
        sheets = self.root.find(_x("sheets"))
        if sheets is None:
            return
        for el in sheets.findall(_x("sheet")):
            rel = self.rels.get(el.get(f"{{{R}}}id", ""))
            if rel is None or rel.external or not self.pkg.has(rel.target):
                continue
            kind = "chartsheet" if rel.kind == "chartsheet" else "worksheet" if rel.kind == "worksheet" else ""
            if not kind:
                continue
            self.sheets.append(_Sheet(el.get("name", ""), self.pkg.find(rel.target) or rel.target, el, kind))

    def scan(self) -> None:
        """Record which shared strings each font uses, and count the string cells of each legacy charset."""
        n_sst = len(self.sst)
        for sheet in self.sheets:
            if sheet.kind != "worksheet":
                continue
            root = self.pkg.xml(sheet.part).getroot()
            data = root.find(_x("sheetData"))
            if data is None:
                continue
            for c in data.iter(_C):
                t = c.get("t")
                if t not in ("s", "inlineStr", "str"):
                    continue
                info = self.xf_info(c.get("s"))
                key = _key(info)
                self.key_info.setdefault(key, info)
                if info is not None:
                    self.charset_cells[info.charset or ""] += 1
                if t == "s":
                    v = c.find(_V)
                    try:
                        idx = int(v.text) if v is not None and v.text else -1
                    except ValueError:
                        idx = -1
                    if 0 <= idx < n_sst:
                        self.sst_uses[idx][key].append((sheet, c))
        if self.charset_cells:
            self.wb_hint = self.charset_cells.most_common(1)[0][0] or None
        elif self.fallback:
            self.wb_hint = self.fallback

    # -- sheet names ----------------------------------------------------------------------------------
    def decide_renames(self) -> None:
        if self.wb_hint is None or not self.sheets:
            return
        wanted: dict[str, str] = {}
        for sheet in self.sheets:
            name = sheet.name
            if name.isascii():
                continue
            new = self.wb_fix(self.main, name)
            if new != name:
                wanted[name] = new
        if not wanted:
            return
        if any(n.lower().endswith("vbaproject.bin") for n in self.pkg.names):
            self.tally.warn(
                "sheet names kept as they are (" + ", ".join(repr(n) for n in wanted) + "): the workbook has "
                "VBA macros, which may refer to sheets by name"
            )
            return
        final = {s.name.casefold() for s in self.sheets if s.name not in wanted}
        for old, new in wanted.items():
            bad = re.search(r"[\[\]:*?/\\]", new) or len(new) > 31 or not new.strip() or new.startswith("'")
            if bad or new.casefold() in final or new.endswith("'") or new.casefold() == "history":
                self.tally.warn(f"sheet name {old!r} kept: its conversion {new!r} is not a valid, unique sheet name")
                continue
            final.add(new.casefold())
            self.renames[old] = new
        if self.renames:
            self.tally.details["sheets_renamed"] = dict(self.renames)
            for sheet in self.sheets:
                if sheet.name in self.renames:
                    sheet.element.set("name", self.renames[sheet.name])
                    self.changed(self.main)
            self.any_change = True

    # -- workbook.xml: defined names -------------------------------------------------------------------
    def convert_workbook(self) -> None:
        changed = bool(self.renames)
        names = self.root.find(_x("definedNames"))
        if names is not None:
            for dn in names.findall(_x("definedName")):
                if not dn.text:
                    continue
                new = rewrite_formula(dn.text, self.renames, lambda s: self.wb_fix(self.main, s))
                if new != dn.text:
                    dn.text = new
                    changed = True
                    self.changed(self.main)
        if changed:
            self.pkg.mark_modified(self.main)
            self.any_change = True

    # -- shared strings -------------------------------------------------------------------------------
    def read_sst(self) -> None:
        if self.sst_part is None:
            return
        root = self.pkg.xml(self.sst_part).getroot()
        self.sst = root.findall(_SI)

    def rich_items(self, el: etree._Element, info: FontInfo | None) -> tuple[list, bool]:
        """The (text element, font) pairs of a rich-text container (``si``, ``is``, comment ``text``), and
        whether any of them takes the cell's font."""
        items: list[tuple[etree._Element, FontInfo | None]] = []
        uses_cell = False
        for child in el:
            if child.tag == _T:
                items.append((child, info))
                uses_cell = True
            elif child.tag == _R:
                t = child.find(_T)
                if t is None:
                    continue
                rpr = child.find(_RPR)
                rf = rpr.find(_RFONT) if rpr is not None else None
                face = rf.get("val") if rf is not None else None
                if face is None:
                    items.append((t, info))
                    uses_cell = True
                elif is_symbol_font(face):
                    continue
                else:
                    items.append((t, self.font(face)))
        return items, uses_cell

    def fix_rich(self, el: etree._Element, info: FontInfo | None, part: str) -> bool:
        """Repair a rich-text container in place; rename the legacy fonts of its runs. True when changed."""
        return self.fix_rich_many([(el, info)], part)[0]

    def fix_rich_many(self, targets: list[tuple[etree._Element, FontInfo | None]], part: str) -> list[bool]:
        """:meth:`fix_rich` for many containers, their texts sent to the engine in batches."""
        renamed = []
        jobs: list[tuple[list[str], list[FontInfo | None]]] = []
        all_items = []
        for el, info in targets:
            items, _ = self.rich_items(el, info)
            r = False
            for rf in el.iter(_RFONT):
                r |= rename_font_attributes(rf, ("val",), self.tally)
            renamed.append(r)
            all_items.append(items)
            jobs.append(([_unescape(t.text or "") for t, _ in items], [i for _, i in items]))
        results = self.fix_many(part, jobs)
        out = []
        for items, (texts, _), outs, r in zip(all_items, jobs, results, renamed):
            changed = False
            for (t, _), before, after in zip(items, texts, outs):
                if after != before:
                    _set_text(t, after)
                    changed = True
            if changed:
                self.changed(part)
            out.append(changed or r)
        return out

    def fix_many(
        self, part: str, jobs: list[tuple[list[str], list[FontInfo | None]]], batch: int | None = None
    ) -> list[list[str]]:
        """:meth:`fix` for many cells. With ``batch`` > 1 the cells go to the engine that many at a time,
        one line each (a newline between them): about 4x faster, but the engine then weighs every cell
        against the whole batch, which overrides its span-by-span check of a cell holding two
        encodings (``Kho :Kho Coâng Ty`` in a .VnTime cell among TCVN3 cells). So the default,
        :data:`BATCH`, is 1: one engine call per cell, as the repair API intends. A batch whose line
        breaks do not come back as they went is redone cell by cell."""
        batch = BATCH if batch is None else batch
        results: list[list[str]] = [texts for texts, _ in jobs]
        todo = []
        for n, (texts, infos) in enumerate(jobs):
            if not any(t.strip() for t in texts):
                continue
            hints = [self.hint(i) for i in infos]
            if all(h is None for h in hints) and all(t.isascii() for t in texts):
                continue
            if any("\n" in t for t in texts):  # keeps the line structure simple: such cells go alone
                results[n] = self.fix(part, texts, infos)
                continue
            todo.append((n, texts, infos, hints))
        for start in range(0, len(todo), batch):
            group = todo[start : start + batch]
            runs: list[str] = []
            hints_all: list[str | None] = []
            spans = []
            for _, texts, _, hints in group:
                if runs:
                    runs.append("\n")
                    hints_all.append(None)
                spans.append((len(runs), len(runs) + len(texts)))
                runs.extend(texts)
                hints_all.extend(hints)
            outs, fixes = engine_units(self.tally, runs, hints_all) if len(group) > 1 else (None, [])
            if outs is not None and any(outs[a - 1] != "\n" for a, _ in spans[1:]):
                outs = None
            for (n, texts, infos, hints), (a, b) in zip(group, spans):
                if outs is None:
                    results[n] = self.fix(part, texts, infos)
                    continue
                got = outs[a:b]
                base = sum(map(len, runs[:a]))
                record_units(self.tally, part, texts, got, hints, [i.name if i else None for i in infos], infos,
                             fixes, base)
                results[n] = self._capitals(texts, got, infos)
        return results

    def convert_sst(self) -> None:
        if self.sst_part is None:
            return
        root = self.pkg.xml(self.sst_part).getroot()
        part = self.sst_part
        changed = False
        plan = []  # (idx, uses by key, key order, originals for the other keys)
        targets: list[tuple[etree._Element, FontInfo | None]] = []
        for idx, si in enumerate(self.sst):
            uses = self.sst_uses.get(idx)
            if not uses:  # used by no cell: only its fonts are renamed
                for rf in si.iter(_RFONT):
                    changed |= rename_font_attributes(rf, ("val",), self.tally)
                continue
            _, uses_cell = self.rich_items(si, None)
            if not uses_cell:  # every run names its font: the cells' fonts do not matter
                uses = {None: [c for cells in uses.values() for c in cells]}
            order = sorted(uses, key=lambda k: -len(uses[k]))
            originals = {k: copy.deepcopy(si) for k in order[1:]}
            plan.append((idx, uses, order, originals))
            targets.append((si, self.key_info.get(order[0]) if uses_cell else None))
            targets.extend((originals[k], self.key_info.get(k)) for k in order[1:])
        changed |= any(self.fix_rich_many(targets, part))
        for idx, uses, order, originals in plan:
            si = self.sst[idx]
            done = {self._si_text(si): idx}
            for key in order[1:]:
                clone = originals[key]
                text = self._si_text(clone)
                if text in done:
                    new_idx = done[text]
                    if new_idx == idx:
                        continue
                else:
                    root.append(clone)
                    self.sst.append(clone)
                    new_idx = len(self.sst) - 1
                    done[text] = new_idx
                    self.split += 1
                    changed = True
                for sheet, c in uses[key]:
                    c.find(_V).text = str(new_idx)
                    sheet.changed = True
        if self.split:
            if root.get("uniqueCount") is not None:
                root.set("uniqueCount", str(len(self.sst)))
            self.tally.details["shared_strings_split"] = self.split
        if changed:
            self.pkg.mark_modified(part)
            self.any_change = True

    @staticmethod
    def _si_text(si: etree._Element) -> str:
        return "\x00".join(t.text or "" for t in si.iter(_T))

    # -- worksheets -----------------------------------------------------------------------------------
    def run(self) -> None:
        self.read_styles()
        self.read_sst()
        self.read_sheets()
        self.scan()
        self.decide_renames()
        self.convert_workbook()
        self.convert_sst()
        for sheet in self.sheets:
            if sheet.kind == "worksheet":
                self.convert_sheet(sheet)
            else:
                self.convert_chartsheet(sheet)
        self.rename_styles()
        self.convert_theme()
        self.convert_pivots()
        self.convert_app_props()
        if self.styles_part is not None and self.styles_part in self.pkg.modified:
            self.any_change = True


def _process(src: Path, options: Options) -> tuple[Package, Tally, _Workbook]:
    tally = Tally(options, str(src))
    pkg = Package(src)
    try:
        wb = _Workbook(pkg, options, tally)
        wb.run()
    except BaseException:
        pkg.close()
        raise
    return pkg, tally, wb


def _result(src: Path, dst: Path | None, tally: Tally, wb: _Workbook) -> Result:
    result = Result(path=str(src), format=FORMAT, output=str(dst) if dst is not None else None)
    tally.details.setdefault("sheets", [s.name for s in wb.sheets])
    tally.fill(result)
    if result.charset is None and wb.charset_cells:
        # nothing changed (already converted, or all ASCII): still say which legacy fonts the cells use
        result.details["cell_charsets"] = dict(wb.charset_cells)
    return result


def convert_file(src: Path, dst: Path, options: Options) -> Result:
    pkg, tally, wb = _process(Path(src), options)
    try:
        pkg.save(dst)
    finally:
        pkg.close()
    return _result(Path(src), Path(dst), tally, wb)


def detect_file(src: Path, options: Options) -> Result:
    pkg, tally, wb = _process(Path(src), options)
    pkg.close()
    return _result(Path(src), None, tally, wb)


def iter_cell_texts(path: Path) -> Iterable[tuple[str, str, str, str | None]]:
    """(sheet, cell ref, text, font name) of every text cell of a workbook, for tests and inspection."""
    with Package(path) as pkg:
        main = pkg.main_part()
        root = pkg.xml(main).getroot()
        rels = {r.id: r for r in pkg.rels(main)}
        styles = next(iter(pkg.related(main, "styles")), None)
        font_names: list[str | None] = []
        xf_font: list[int] = []
        if styles:
            sroot = pkg.xml(styles).getroot()
            fonts = sroot.find(_x("fonts"))
            for f in fonts.findall(_x("font")) if fonts is not None else []:
                n = f.find(_x("name"))
                font_names.append(n.get("val") if n is not None else None)
            xfs = sroot.find(_x("cellXfs"))
            for xf in xfs.findall(_x("xf")) if xfs is not None else []:
                xf_font.append(int(xf.get("fontId", "0")))
        sst_part = next(iter(pkg.related(main, "sharedStrings")), None)
        sst = []
        if sst_part:
            for si in pkg.xml(sst_part).getroot().findall(_SI):
                sst.append(_unescape("".join(t.text or "" for t in si.iter(_T) if t.getparent().tag != _x("rPh"))))
        for sheet in root.find(_x("sheets")).findall(_x("sheet")):
            rel = rels.get(sheet.get(f"{{{R}}}id", ""))
            if rel is None or rel.kind != "worksheet":
                continue
            sroot = pkg.xml(rel.target).getroot()
            for c in sroot.iter(_C):
                t = c.get("t")
                if t == "s":
                    text = sst[int(c.find(_V).text)]
                elif t == "inlineStr":
                    text = _unescape("".join(x.text or "" for x in c.find(_IS).iter(_T)))
                elif t == "str" and c.find(_V) is not None:
                    text = _unescape(c.find(_V).text or "")
                else:
                    continue
                try:
                    font = font_names[xf_font[int(c.get("s", "0"))]]
                except (IndexError, ValueError):
                    font = None
                yield sheet.get("name", ""), c.get("r", ""), text, font
