"""The parts of a workbook beyond its cells and shared strings: sheets' cells, header/footer, validations,
conditional formats, filters, comments, drawings, charts, tables, theme, pivot caches, app properties
(methods of :class:`vnconv.documents.xlsx._Workbook`)."""

from __future__ import annotations

from lxml import etree

from ..charsets.fonts import FontInfo
from .ooxml import rename_drawingml_fonts, repair_drawingml_text

from .xlsx_text import (
    A, C, VT, X14, XM, _C, _F, _IS, _REF, _Sheet, _V, _col_letters, _col_number, _escape, _set_text, _unescape,
    _x, convert_header_footer, rewrite_formula,
)


class _SheetParts:
    """Sheet-level conversions of a workbook (mixed into :class:`~vnconv.documents.xlsx._Workbook`)."""

    def index_cells(self, sheet: _Sheet, root: etree._Element) -> None:
        if sheet.cells is not None:
            return
        sheet.cells, sheet.rows = {}, {}
        data = root.find(_x("sheetData"))
        if data is not None:
            for row in data.iter(_x("row")):
                try:
                    sheet.rows[int(row.get("r", "0"))] = row
                except ValueError:
                    pass
            for c in data.iter(_C):
                ref = c.get("r")
                if ref:
                    sheet.cells[ref.upper()] = c
        cols = root.find(_x("cols"))
        if cols is not None:
            for col in cols.findall(_x("col")):
                try:
                    sheet.cols.append((int(col.get("min", "0")), int(col.get("max", "0")), int(col.get("style", "0"))))
                except ValueError:
                    pass

    def cell_info(self, sheet: _Sheet, root: etree._Element, ref: str | None) -> FontInfo | None:
        """The font of the cell ``ref`` (its own style, else its row's, its column's, the default)."""
        if not ref:
            return self.xf_info(None)
        self.index_cells(sheet, root)
        assert sheet.cells is not None and sheet.rows is not None
        m = _REF.match(ref.strip().split(" ")[0].split(":")[0])
        if not m:
            return self.xf_info(None)
        col, row = m.group(1).upper(), int(m.group(2))
        c = sheet.cells.get(f"{col}{row}")
        if c is not None:
            return self.xf_info(c.get("s"))
        r = sheet.rows.get(row)
        if r is not None and r.get("customFormat") in ("1", "true") and r.get("s"):
            return self.xf_info(r.get("s"))
        n = _col_number(col)
        for lo, hi, style in sheet.cols:
            if lo <= n <= hi:
                return self.xf_info(str(style))
        return self.xf_info(None)

    def convert_sheet(self, sheet: _Sheet) -> None:
        part = sheet.part
        root = self.pkg.xml(part).getroot()
        renames = self.renames
        changed = False
        data = root.find(_x("sheetData"))
        if data is not None:
            for c in data.iter(_C):
                t = c.get("t")
                f = c.find(_F)
                if t not in ("inlineStr", "str") and (f is None or not f.text):
                    continue
                info = self.xf_info(c.get("s"))
                if f is not None and f.text:
                    new = rewrite_formula(f.text, renames, lambda s, info=info: self.fix_one(part, s, info))
                    if new != f.text:
                        f.text = new
                        changed = True
                if t == "inlineStr":
                    el = c.find(_IS)
                    if el is not None:
                        changed |= self.fix_rich(el, info, part)
                elif t == "str":
                    v = c.find(_V)
                    if v is not None and v.text:
                        before = _unescape(v.text)
                        after = self.fix_one(part, before, info)
                        if after != before:
                            _set_text(v, after)
                            self.changed(part)
                            changed = True
        changed |= self.convert_header_footer(root, part)
        changed |= self.convert_validations(sheet, root, part)
        changed |= self.convert_conditional(sheet, root, part)
        changed |= self.convert_autofilter(sheet, root, root, part)
        for hl in root.iter(_x("hyperlink")):
            loc = hl.get("location")
            if loc and renames:
                new = rewrite_formula(loc if "!" in loc else loc, renames)
                if new != loc:
                    hl.set("location", new)
                    changed = True
            for attr in ("tooltip", "display"):
                value = hl.get(attr)
                if value and not value.isascii():
                    new = self.wb_fix(part, value)
                    if new != value:
                        hl.set(attr, new)
                        self.changed(part)
                        changed = True
        if changed or sheet.changed:
            self.pkg.mark_modified(part)
            self.any_change = True
        self.convert_sheet_parts(sheet, root)

    def convert_header_footer(self, root: etree._Element, part: str) -> bool:
        hf = root.find(_x("headerFooter"))
        if hf is None:
            return False
        default = self.fonts[0] if self.fonts else None
        changed = False
        for el in hf:
            if not isinstance(el.tag, str) or not el.text:
                continue
            new = convert_header_footer(
                el.text,
                default,
                lambda texts, infos: self.fix(part, texts, infos),
                self.font,
                self.tally.replacement,
            )
            if new != el.text:
                el.text = new
                self.changed(part)
                changed = True
        return changed

    def _formula_el(self, el: etree._Element | None, info: FontInfo | None, part: str) -> bool:
        if el is None or not el.text:
            return False
        new = rewrite_formula(el.text, self.renames, lambda s: self.fix_one(part, s, info))
        if new != el.text:
            el.text = new
            self.changed(part)
            return True
        return False

    def convert_validations(self, sheet: _Sheet, root: etree._Element, part: str) -> bool:
        changed = False
        for dv in root.iter(_x("dataValidation")):
            info = self.cell_info(sheet, root, dv.get("sqref"))
            for name in ("formula1", "formula2"):
                changed |= self._formula_el(dv.find(_x(name)), info, part)
            changed |= self._prompts(dv, part)
        for dv in root.iter(f"{{{X14}}}dataValidation"):
            sq = dv.find(f"{{{XM}}}sqref")
            info = self.cell_info(sheet, root, sq.text if sq is not None else None)
            for name in ("formula1", "formula2"):
                fx = dv.find(f"{{{X14}}}{name}")
                if fx is not None:
                    changed |= self._formula_el(fx.find(f"{{{XM}}}f"), info, part)
            changed |= self._prompts(dv, part)
        return changed

    def _prompts(self, dv: etree._Element, part: str) -> bool:
        changed = False
        for attr in ("promptTitle", "prompt", "errorTitle", "error"):
            value = dv.get(attr)
            if value and not value.isascii():
                new = self.wb_fix(part, value)
                if new != value:
                    dv.set(attr, _escape(new))
                    self.changed(part)
                    changed = True
        return changed

    def convert_conditional(self, sheet: _Sheet, root: etree._Element, part: str) -> bool:
        changed = False
        for cf in root.iter(_x("conditionalFormatting")):
            info = self.cell_info(sheet, root, cf.get("sqref"))
            for rule in cf.iter(_x("cfRule")):
                if rule.get("text") and not rule.get("text", "").isascii():
                    new = self.fix_one(part, rule.get("text", ""), info)
                    if new != rule.get("text"):
                        rule.set("text", new)
                        changed = True
                for fx in rule.findall(_x("formula")):
                    changed |= self._formula_el(fx, info, part)
        for cf in root.iter(f"{{{X14}}}conditionalFormatting"):
            sq = cf.find(f"{{{XM}}}sqref")
            info = self.cell_info(sheet, root, sq.text if sq is not None else None)
            for fx in cf.iter(f"{{{XM}}}f"):
                changed |= self._formula_el(fx, info, part)
        return changed

    def convert_autofilter(
        self, sheet: _Sheet | None, sheet_root: etree._Element, root: etree._Element, part: str
    ) -> bool:
        """Filter values (``<filter val=…>``) compare with cell text: converted like the column's cells."""
        changed = False
        for af in root.iter(_x("autoFilter")):
            ref = af.get("ref") or ""
            m = _REF.match(ref)
            if not m:
                continue
            first_col, first_row = _col_number(m.group(1)), int(m.group(2))
            for fc in af.findall(_x("filterColumn")):
                try:
                    col = first_col + int(fc.get("colId", "0"))
                except ValueError:
                    continue
                info = (
                    self.cell_info(sheet, sheet_root, f"{_col_letters(col)}{first_row + 1}") if sheet else None
                )
                for flt in fc.iter(_x("filter")):
                    value = flt.get("val")
                    if value and not value.isascii():
                        new = self.fix_one(part, value, info)
                        if new != value:
                            flt.set("val", new)
                            self.changed(part)
                            changed = True
                for cflt in fc.iter(_x("customFilter")):
                    value = cflt.get("val")
                    if value and not value.isascii():
                        new = self.fix_one(part, value, info)
                        if new != value:
                            cflt.set("val", new)
                            self.changed(part)
                            changed = True
        return changed

    # -- parts hanging off a sheet: comments, drawings, charts, tables --------------------------------
    def convert_sheet_parts(self, sheet: _Sheet, sheet_root: etree._Element) -> None:
        for rel in self.pkg.rels(sheet.part):
            if rel.external or not self.pkg.has(rel.target):
                continue
            target = self.pkg.find(rel.target) or rel.target
            if rel.kind == "comments":
                self.convert_comments(target)
            elif rel.kind == "drawing":
                self.convert_drawing(target)
            elif rel.kind == "table":
                self.convert_table(sheet, sheet_root, target)

    def convert_comments(self, part: str) -> None:
        root = self.pkg.xml(part).getroot()
        changed = False
        for text in root.iter(_x("text")):
            changed |= self.fix_rich(text, None, part)
        if changed:
            self.pkg.mark_modified(part)
            self.any_change = True

    def convert_drawing(self, part: str, chart_default: str | None = None) -> None:
        root = self.pkg.xml(part).getroot()
        changed = repair_drawingml_text(root, self.options, self.tally, part, self.themes)
        changed |= rename_drawingml_fonts(root, self.tally)
        if changed:
            self.pkg.mark_modified(part)
            self.any_change = True
        for rel in self.pkg.rels(part):
            if rel.external or not self.pkg.has(rel.target):
                continue
            target = self.pkg.find(rel.target) or rel.target
            if rel.kind == "chart":
                self.convert_chart(target)

    def convert_chart(self, part: str) -> None:
        root = self.pkg.xml(part).getroot()
        default = None
        txpr = root.find(f"{{{C}}}txPr")
        if txpr is not None:
            latin = txpr.find(f".//{{{A}}}defRPr/{{{A}}}latin")
            default = latin.get("typeface") if latin is not None else None
        changed = repair_drawingml_text(root, self.options, self.tally, part, self.themes, default)
        changed |= rename_drawingml_fonts(root, self.tally)
        for f in root.iter(f"{{{C}}}f"):
            if f.text and self.renames:
                new = rewrite_formula(f.text, self.renames)
                if new != f.text:
                    f.text = new
                    changed = True
        for v in root.iter(f"{{{C}}}v"):
            parent = v.getparent()
            if parent is None or parent.tag not in (f"{{{C}}}pt", f"{{{C}}}tx"):
                continue
            if v.text and not v.text.isascii():
                new = self.wb_fix(part, v.text)
                if new != v.text:
                    v.text = new
                    self.changed(part)
                    changed = True
        if changed:
            self.pkg.mark_modified(part)
            self.any_change = True
        for rel in self.pkg.rels(part):
            if rel.kind == "chartUserShapes" and not rel.external and self.pkg.has(rel.target):
                self.convert_drawing(self.pkg.find(rel.target) or rel.target)

    def convert_table(self, sheet: _Sheet, sheet_root: etree._Element, part: str) -> None:
        root = self.pkg.xml(part).getroot()
        changed = False
        m = _REF.match(root.get("ref") or "")
        header = root.get("headerRowCount", "1") != "0"
        cols = root.find(_x("tableColumns"))
        if m and cols is not None:
            first_col, first_row = _col_number(m.group(1)), int(m.group(2))
            for i, tc in enumerate(cols.findall(_x("tableColumn"))):
                ref = f"{_col_letters(first_col + i)}{first_row}"
                info = self.cell_info(sheet, sheet_root, ref) if header else None
                name = tc.get("name")
                if name and not name.isascii():
                    new = self.fix_one(part, _unescape(name), info)
                    if new != _unescape(name):
                        tc.set("name", _escape(new))
                        self.changed(part)
                        changed = True
                label = tc.get("totalsRowLabel")
                if label and not label.isascii():
                    new = self.fix_one(part, label, info)
                    if new != label:
                        tc.set("totalsRowLabel", new)
                        changed = True
                for fname in ("calculatedColumnFormula", "totalsRowFormula"):
                    changed |= self._formula_el(tc.find(_x(fname)), info, part)
        changed |= self.convert_autofilter(sheet, sheet_root, root, part)
        if changed:
            self.pkg.mark_modified(part)
            self.any_change = True

    def convert_chartsheet(self, sheet: _Sheet) -> None:
        root = self.pkg.xml(sheet.part).getroot()
        if self.convert_header_footer(root, sheet.part):
            self.pkg.mark_modified(sheet.part)
            self.any_change = True
        for rel in self.pkg.rels(sheet.part):
            if rel.kind == "drawing" and not rel.external and self.pkg.has(rel.target):
                self.convert_drawing(self.pkg.find(rel.target) or rel.target)

    # -- workbook-level parts -------------------------------------------------------------------------
    def convert_theme(self) -> None:
        if self.theme_part is None:
            return
        root = self.pkg.xml(self.theme_part).getroot()
        if rename_drawingml_fonts(root, self.tally):
            self.pkg.mark_modified(self.theme_part)

    def convert_pivots(self) -> None:
        for part in self.pkg.related(self.main, "pivotCacheDefinition"):
            root = self.pkg.xml(part).getroot()
            changed = False
            for ws in root.iter(_x("worksheetSource")):
                old = ws.get("sheet")
                if old and old in self.renames:
                    ws.set("sheet", self.renames[old])
                    changed = True
            if self.any_change and root.get("refreshOnLoad") not in ("1", "true"):
                root.set("refreshOnLoad", "1")
                changed = True
                self.tally.warn("pivot table caches are marked to refresh when the workbook is opened")
            if changed:
                self.pkg.mark_modified(part)

    def convert_app_props(self) -> None:
        if not self.renames:
            return
        for rel in self.pkg.rels(""):
            if rel.kind != "extended-properties" or rel.external or not self.pkg.has(rel.target):
                continue
            part = self.pkg.find(rel.target) or rel.target
            root = self.pkg.xml(part).getroot()
            changed = False
            for s in root.iter(f"{{{VT}}}lpstr"):
                text = s.text or ""
                if text in self.renames:
                    s.text = self.renames[text]
                    changed = True
                elif "!" in text:
                    new = rewrite_formula(text, self.renames)
                    if new != text:
                        s.text = new
                        changed = True
            if changed:
                self.pkg.mark_modified(part)

    # -- everything -----------------------------------------------------------------------------------
