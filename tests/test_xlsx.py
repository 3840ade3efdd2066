"""The .xlsx adapter: a hand-built workbook with every kind of text, plus the real samples."""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import REAL, need_shared
from vnconv import DocumentError
from vnconv.documents import Options, convert_file, detect_file
from vnconv.documents.xlsx import convert_header_footer, iter_cell_texts, rewrite_formula
from vnconv.charsets.fonts import FontInfo, lookup

M = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NSMAP = {
    "x": M,
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
}
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument."


def _rels(*rels: tuple[str, str, str]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{R}/{t}" Target="{target}"/>' for i, t, target in rels)
    return f'{DECL}<Relationships xmlns="{PR}">{body}</Relationships>'


def _si(text: str) -> str:
    return f'<si><t xml:space="preserve">{text}</t></si>'


SHARED = [
    _si("C\xe9ng ho\xb5 x\xb7 h\xe9i ch\xf1 ngh\xdca Vi\xd6t Nam"),  # 0 .VnTime
    _si("b\xb8o c\xb8o t\xb5i ch\xddnh"),  # 1 .VnTimeH (A2) and .VnTime (A3): split
    '<si><r><rPr><b/><sz val="11"/><rFont val=".VnTime"/></rPr><t xml:space="preserve">Kho :</t></r>'
    '<r><rPr><sz val="11"/><rFont val="VNI-Times"/></rPr><t>Kho Co\xe2ng Ty</t></r></si>',  # 2 rich
    _si("N\xf6\xf4\xf9c e\xf9p \xf1a\xf8o"),  # 3 VNI-Times
    _si("Việt Nam"),  # 4 Unicode in .VnTime: kept
    _si("Hello world"),  # 5 Arial
    _si("k\xd5 to\xb8n tr\xad\xebng_x000D_"),  # 6 .VnTimeH, with an escape
    _si("H\xe4 t\xaan"),  # 7 table header
    _si("S\xe8 l\xad\xeeng"),  # 8 table header
    _si("Nguy\xd4n V\xa8n A"),  # 9
    _si("Tr\xc7n Th\xde B"),  # 10
]

STYLES = f"""{DECL}<styleSheet xmlns="{M}">
<numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0&quot; \xae&quot;"/></numFmts>
<fonts count="5"><font><sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font><font><sz val="12"/><name val=".VnTime"/><family val="2"/></font><font><b/><sz val="14"/><name val=".VnTimeH"/><family val="2"/></font><font><sz val="12"/><name val="VNI-Times"/></font><font><sz val="10"/><name val="Arial"/><family val="2"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="7"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="4" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/><xf numFmtId="164" fontId="4" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
<dxfs count="1"><dxf><font><b/><name val=".VnTime"/></font></dxf></dxfs>
</styleSheet>"""

SHEET1 = f"""{DECL}<worksheet xmlns="{M}" xmlns:r="{R}">
<dimension ref="A1:F6"/>
<cols><col min="1" max="1" width="30.5" customWidth="1"/><col min="6" max="6" width="12" style="1" customWidth="1"/></cols>
<sheetData>
<row r="1"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" s="3" t="s"><v>3</v></c><c r="C1" s="1" t="inlineStr"><is><t>T\xe6ng c\xe9ng</t></is></c><c r="E1"><f>D7</f><v>0</v></c></row>
<row r="2"><c r="A2" s="2" t="s"><v>1</v></c><c r="B2" s="1" t="s"><v>4</v></c><c r="C2" t="inlineStr"><is><r><rPr><rFont val=".VnTimeH"/></rPr><t>ti\xd2n</t></r><r><t xml:space="preserve"> VND</t></r></is></c></row>
<row r="3"><c r="A3" s="1" t="s"><v>1</v></c><c r="B3" s="4" t="s"><v>5</v></c><c r="C3" s="1" t="str"><f>IF(D3&gt;0,"C\xe3","Kh\xabng")</f><v>C\xe3</v></c><c r="D3"><v>5</v></c></row>
<row r="4"><c r="A4" t="s"><v>2</v></c><c r="B4" s="2" t="s"><v>6</v></c><c r="D4"><f>SUM(Data!B2:B3)+'S\xe6 c\xb8i'!D3</f><v>12</v></c></row>
<row r="5"><c r="D5" s="5"><v>1000</v></c></row>
<row r="6"><c r="D6" s="6"><v>2000</v></c></row>
</sheetData>
<mergeCells count="1"><mergeCell ref="A6:C6"/></mergeCells>
<conditionalFormatting sqref="A3"><cfRule type="containsText" dxfId="0" priority="1" operator="containsText" text="b\xb8o"><formula>NOT(ISERROR(SEARCH("b\xb8o",A3)))</formula></cfRule></conditionalFormatting>
<dataValidations count="1"><dataValidation type="list" allowBlank="1" showInputMessage="1" promptTitle="Ch\xe4n" prompt="Ch\xe4n m\xe9t gi\xb8 tr\xde" sqref="F1:F10"><formula1>"C\xe3,Kh\xabng"</formula1></dataValidation></dataValidations>
<hyperlinks><hyperlink ref="E2" location="'S\xe6 c\xb8i'!A1" display="Về đầu"/></hyperlinks>
<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>
<headerFooter><oddHeader>&amp;L&amp;".VnTime,Bold"C\xe9ng ho\xb5 &amp;&amp; b\xb8o c\xb8o&amp;R&amp;P / &amp;N</oddHeader><oddFooter>&amp;C&amp;".VnTimeH,Regular"&amp;12trang &amp;P</oddFooter></headerFooter>
<drawing r:id="rId2"/><legacyDrawing r:id="rId3"/>
</worksheet>"""

SHEET2 = f"""{DECL}<worksheet xmlns="{M}" xmlns:r="{R}"><dimension ref="A1:B3"/><sheetData>
<row r="1"><c r="A1" s="1" t="s"><v>7</v></c><c r="B1" s="1" t="s"><v>8</v></c></row>
<row r="2"><c r="A2" s="1" t="s"><v>9</v></c><c r="B2"><v>3</v></c></row>
<row r="3"><c r="A3" s="1" t="s"><v>10</v></c><c r="B3"><v>4</v></c></row>
</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>"""

TABLE = f"""{DECL}<table xmlns="{M}" id="1" name="Table1" displayName="Table1" ref="A1:B3"><autoFilter ref="A1:B3"><filterColumn colId="0"><filters><filter val="Nguy\xd4n V\xa8n A"/></filters></filterColumn></autoFilter><tableColumns count="2"><tableColumn id="1" name="H\xe4 t\xaan"/><tableColumn id="2" name="S\xe8 l\xad\xeeng"/></tableColumns><tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>"""

COMMENTS = f"""{DECL}<comments xmlns="{M}"><authors><author>Nguyen Van A</author></authors><commentList><comment ref="A1" authorId="0"><text><r><rPr><b/><sz val="9"/><rFont val="Tahoma"/></rPr><t>Nguyen Van A:</t></r><r><rPr><sz val="9"/><rFont val=".VnTime"/></rPr><t xml:space="preserve">
Ghi ch\xf3 quan tr\xe4ng</t></r></text></comment></commentList></comments>"""

VML = """<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel"><v:shape id="_x0000_s1025" type="#_x0000_t202"><x:ClientData ObjectType="Note"><x:Row>0</x:Row><x:Column>0</x:Column></x:ClientData></v:shape></xml>"""

DRAWING = f"""{DECL}<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="{NSMAP['a']}" xmlns:r="{R}" xmlns:c="{NSMAP['c']}">
<xdr:twoCellAnchor><xdr:from><xdr:col>7</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>0</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>12</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>10</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>
<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Chart 1"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart r:id="rId1"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>
<xdr:twoCellAnchor><xdr:from><xdr:col>7</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>12</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>10</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>15</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>
<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="3" name="TextBox 2"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr>
<xdr:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-US" sz="1100"><a:latin typeface=".VnTime"/></a:rPr><a:t>Ng\xad\xeai l\xcbp bi\xd3u</a:t></a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor>
</xdr:wsDr>"""

CHART = f"""{DECL}<c:chartSpace xmlns:c="{NSMAP['c']}" xmlns:a="{NSMAP['a']}" xmlns:r="{R}"><c:chart>
<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1400"><a:latin typeface=".VnTime"/></a:defRPr></a:pPr><a:r><a:rPr lang="en-US"><a:latin typeface=".VnTime"/></a:rPr><a:t>Bi\xd3u \xae\xe5 doanh thu</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>
<c:plotArea><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:ser><c:idx val="0"/><c:order val="0"/>
<c:tx><c:strRef><c:f>'S\xe6 c\xb8i'!$A$1</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>C\xe9ng ho\xb5 x\xb7 h\xe9i ch\xf1 ngh\xdca Vi\xd6t Nam</c:v></c:pt></c:strCache></c:strRef></c:tx>
<c:val><c:numRef><c:f>'S\xe6 c\xb8i'!$D$3:$D$4</c:f><c:numCache><c:ptCount val="2"/><c:pt idx="0"><c:v>5</c:v></c:pt><c:pt idx="1"><c:v>12</c:v></c:pt></c:numCache></c:numRef></c:val></c:ser>
<c:axId val="1"/><c:axId val="2"/></c:barChart></c:plotArea></c:chart>
<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr><a:latin typeface=".VnTime"/></a:defRPr></a:pPr><a:endParaRPr lang="en-US"/></a:p></c:txPr></c:chartSpace>"""

THEME = f"""{DECL}<a:theme xmlns:a="{NSMAP['a']}" name="Office Theme"><a:themeElements><a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1></a:clrScheme><a:fontScheme name="Office"><a:majorFont><a:latin typeface="Cambria"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme></a:themeElements></a:theme>"""

WORKBOOK = f"""{DECL}<workbook xmlns="{M}" xmlns:r="{R}"><bookViews><workbookView activeTab="0"/></bookViews><sheets><sheet name="S\xe6 c\xb8i" sheetId="1" r:id="rId1"/><sheet name="Data" sheetId="2" r:id="rId2"/></sheets><definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">'S\xe6 c\xb8i'!$1:$2</definedName><definedName name="DonVi">"C\xabng ty ABC"</definedName><definedName name="Vung">'S\xe6 c\xb8i'!$A$1:$B$5</definedName></definedNames><calcPr calcId="0"/></workbook>"""

APP = f"""{DECL}<Properties xmlns="{NSMAP['ep']}" xmlns:vt="{NSMAP['vt']}"><Application>Microsoft Excel</Application><TitlesOfParts><vt:vector size="3" baseType="lpstr"><vt:lpstr>S\xe6 c\xb8i</vt:lpstr><vt:lpstr>Data</vt:lpstr><vt:lpstr>'S\xe6 c\xb8i'!Print_Titles</vt:lpstr></vt:vector></TitlesOfParts></Properties>"""

CORE = f"""{DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>vnconv test</dc:creator></cp:coreProperties>"""

CONTENT_TYPES = f"""{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="vml" ContentType="{CT}vmlDrawing"/><Default Extension="png" ContentType="image/png"/><Override PartName="/xl/workbook.xml" ContentType="{CT}spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="{CT}spreadsheetml.worksheet+xml"/><Override PartName="/xl/theme/theme1.xml" ContentType="{CT}theme+xml"/><Override PartName="/xl/styles.xml" ContentType="{CT}spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="{CT}spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/comments1.xml" ContentType="{CT}spreadsheetml.comments+xml"/><Override PartName="/xl/drawings/drawing1.xml" ContentType="{CT}drawing+xml"/><Override PartName="/xl/charts/chart1.xml" ContentType="{CT}drawingml.chart+xml"/><Override PartName="/xl/tables/table1.xml" ContentType="{CT}spreadsheetml.table+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="{CT}extended-properties+xml"/></Types>"""

#: Latin-1 letters and signs that Vietnamese never uses: what legacy font text is made of
MOJIBAKE = re.compile("[\xa1-\xbf\xc4-\xc7\xcb\xce-\xd1\xd6-\xd8\xdb\xdc\xde\xdf\xe4-\xe7\xeb\xee-\xf1\xf6-\xf8\xfb\xfc\xfe\xff]")

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def build_workbook(path: Path) -> Path:
    sst = f'{DECL}<sst xmlns="{M}" count="{len(SHARED) + 2}" uniqueCount="{len(SHARED)}">{"".join(SHARED)}</sst>'
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": _rels(
            ("rId1", "officeDocument", "xl/workbook.xml"),
            ("rId2", "extended-properties", "docProps/app.xml"),
        ).replace(
            "</Relationships>",
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            'metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
        ),
        "docProps/app.xml": APP,
        "docProps/core.xml": CORE,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": _rels(
            ("rId1", "worksheet", "worksheets/sheet1.xml"),
            ("rId2", "worksheet", "worksheets/sheet2.xml"),
            ("rId3", "styles", "styles.xml"),
            ("rId4", "sharedStrings", "sharedStrings.xml"),
            ("rId5", "theme", "theme/theme1.xml"),
        ),
        "xl/styles.xml": STYLES,
        "xl/sharedStrings.xml": sst,
        "xl/theme/theme1.xml": THEME,
        "xl/worksheets/sheet1.xml": SHEET1,
        "xl/worksheets/_rels/sheet1.xml.rels": _rels(
            ("rId1", "comments", "../comments1.xml"),
            ("rId2", "drawing", "../drawings/drawing1.xml"),
            ("rId3", "vmlDrawing", "../drawings/vmlDrawing1.vml"),
        ),
        "xl/worksheets/sheet2.xml": SHEET2,
        "xl/worksheets/_rels/sheet2.xml.rels": _rels(("rId1", "table", "../tables/table1.xml")),
        "xl/tables/table1.xml": TABLE,
        "xl/comments1.xml": COMMENTS,
        "xl/drawings/vmlDrawing1.vml": VML,
        "xl/drawings/drawing1.xml": DRAWING,
        "xl/drawings/_rels/drawing1.xml.rels": _rels(("rId1", "chart", "../charts/chart1.xml")),
        "xl/charts/chart1.xml": CHART,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text.encode("utf-8"))
        z.writestr("xl/media/image1.png", PNG, compress_type=zipfile.ZIP_STORED)
    return path


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    d = tmp_path_factory.mktemp("xlsx")
    src = build_workbook(d / "book.xlsx")
    dst = d / "book.out.xlsx"
    result = convert_file(src, dst, Options())
    return src, dst, result


def _xml(path: Path, part: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


def _cells(path: Path) -> dict[tuple[str, str], tuple[str, str | None]]:
    return {(sheet, ref): (text, font) for sheet, ref, text, font in iter_cell_texts(path)}


# -- the fixture workbook --------------------------------------------------------------------------------
def test_cells_converted_by_their_font(converted) -> None:
    _, dst, _ = converted
    cells = _cells(dst)
    s = "Sổ cái"
    assert cells[(s, "A1")][0] == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    assert cells[(s, "B1")][0] == "Nước ép đào"  # VNI-Times cell
    assert cells[(s, "C1")][0] == "Tổng cộng"  # inline string
    assert cells[(s, "B2")][0] == "Việt Nam"  # Unicode text in a .VnTime cell: kept
    assert cells[(s, "B3")][0] == "Hello world"
    assert cells[(s, "C3")][0] == "Có"  # cached formula text
    assert cells[(("Data", "A2"))][0] == "Nguyễn Văn A"


def test_uppercase_fonts_and_shared_string_split(converted) -> None:
    _, dst, result = converted
    cells = _cells(dst)
    s = "Sổ cái"
    assert cells[(s, "A2")][0] == "BÁO CÁO TÀI CHÍNH"  # .VnTimeH
    assert cells[(s, "A3")][0] == "báo cáo tài chính"  # the same shared string in .VnTime
    assert cells[(s, "B4")][0] == "KẾ TOÁN TRƯỞNG\r"  # _x000D_ survives the capitals
    assert result.details["shared_strings_split"] == 1
    with zipfile.ZipFile(dst) as z:
        sst = z.read("xl/sharedStrings.xml").decode()
    assert "_x000D_" in sst and "_X000D_" not in sst
    root = _xml(dst, "xl/sharedStrings.xml")
    assert root.get("uniqueCount") == str(len(root.findall(f"{{{M}}}si")))


def test_rich_text_runs_each_with_its_font(converted) -> None:
    _, dst, _ = converted
    cells = _cells(dst)
    assert cells[("Sổ cái", "A4")][0] == "Kho :Kho Công Ty"  # a TCVN3 run and a VNI run in one cell
    assert cells[("Sổ cái", "C2")][0] == "TIỀN VND"  # .VnTimeH run inside an inline string
    root = _xml(dst, "xl/sharedStrings.xml")
    fonts = [f.get("val") for f in root.iter(f"{{{M}}}rFont")]
    assert fonts == ["Times New Roman", "Times New Roman"]
    runs = root.findall(f"{{{M}}}si")[2].findall(f"{{{M}}}r")
    assert runs[0].find(f"{{{M}}}rPr/{{{M}}}b") is not None  # run properties kept


def test_styles_fonts_renamed_and_no_legacy_font_left(converted) -> None:
    _, dst, _ = converted
    root = _xml(dst, "xl/styles.xml")
    names = [n.get("val") for n in root.iter(f"{{{M}}}name")]
    assert names == ["Calibri", "Times New Roman", "Times New Roman", "Times New Roman", "Arial", "Times New Roman"]
    assert all(lookup(font) is None for _, font in _cells(dst).values() if font)
    # the rest of the font elements is kept
    font1 = root.find(f"{{{M}}}fonts").findall(f"{{{M}}}font")[2]
    assert font1.find(f"{{{M}}}b") is not None and font1.find(f"{{{M}}}sz").get("val") == "14"


def test_number_format_text_converted_for_legacy_cells_only(converted) -> None:
    _, dst, _ = converted
    root = _xml(dst, "xl/styles.xml")
    formats = {nf.get("numFmtId"): nf.get("formatCode") for nf in root.iter(f"{{{M}}}numFmt")}
    xfs = root.find(f"{{{M}}}cellXfs").findall(f"{{{M}}}xf")
    assert formats[xfs[6].get("numFmtId")] == '#,##0" \xae"'  # Arial cell: untouched
    assert formats[xfs[5].get("numFmtId")] == '#,##0" đ"'  # .VnTime cell: its own converted copy


def test_formulas_kept_except_sheet_names_and_literals(converted) -> None:
    _, dst, _ = converted
    root = _xml(dst, "xl/worksheets/sheet1.xml")
    f = {c.get("r"): c.find(f"{{{M}}}f").text for c in root.iter(f"{{{M}}}c") if c.find(f"{{{M}}}f") is not None}
    assert f["E1"] == "D7"
    assert f["C3"] == 'IF(D3>0,"Có","Không")'
    assert f["D4"] == "SUM(Data!B2:B3)+'Sổ cái'!D3"


def test_sheet_names_and_every_reference_renamed(converted) -> None:
    _, dst, result = converted
    wb = _xml(dst, "xl/workbook.xml")
    assert [s.get("name") for s in wb.iter(f"{{{M}}}sheet")] == ["Sổ cái", "Data"]
    names = {d.get("name"): d.text for d in wb.iter(f"{{{M}}}definedName")}
    assert names == {"_xlnm.Print_Titles": "'Sổ cái'!$1:$2", "DonVi": '"Công ty ABC"', "Vung": "'Sổ cái'!$A$1:$B$5"}
    assert result.details["sheets_renamed"] == {"S\xe6 c\xb8i": "Sổ cái"}
    sheet = _xml(dst, "xl/worksheets/sheet1.xml")
    assert sheet.find(f".//{{{M}}}hyperlink").get("location") == "'Sổ cái'!A1"
    chart = _xml(dst, "xl/charts/chart1.xml")
    assert [f.text for f in chart.iter(f"{{{NSMAP['c']}}}f")] == ["'Sổ cái'!$A$1", "'Sổ cái'!$D$3:$D$4"]
    app = _xml(dst, "docProps/app.xml")
    assert [s.text for s in app.iter(f"{{{NSMAP['vt']}}}lpstr")] == ["Sổ cái", "Data", "'Sổ cái'!Print_Titles"]


def test_validation_conditional_format_header_footer(converted) -> None:
    _, dst, _ = converted
    sheet = _xml(dst, "xl/worksheets/sheet1.xml")
    dv = sheet.find(f".//{{{M}}}dataValidation")
    assert dv.find(f"{{{M}}}formula1").text == '"Có,Không"'
    assert dv.get("prompt") == "Chọn một giá trị" and dv.get("promptTitle") == "Chọn"
    rule = sheet.find(f".//{{{M}}}cfRule")
    assert rule.get("text") == "báo" and rule.find(f"{{{M}}}formula").text == 'NOT(ISERROR(SEARCH("báo",A3)))'
    hf = sheet.find(f"{{{M}}}headerFooter")
    assert hf.find(f"{{{M}}}oddHeader").text == '&L&"Times New Roman,Bold"Cộng hoà && báo cáo&R&P / &N'
    assert hf.find(f"{{{M}}}oddFooter").text == '&C&"Times New Roman,Regular"&12TRANG &P'


def test_merges_widths_and_values_untouched(converted) -> None:
    src, dst, _ = converted
    for tag in ("mergeCells", "cols", "pageMargins", "dimension"):
        a = _xml(src, "xl/worksheets/sheet1.xml").find(f"{{{M}}}{tag}")
        b = _xml(dst, "xl/worksheets/sheet1.xml").find(f"{{{M}}}{tag}")
        assert etree.tostring(a) == etree.tostring(b)
    sheet = _xml(dst, "xl/worksheets/sheet1.xml")
    values = {c.get("r"): c.find(f"{{{M}}}v").text for c in sheet.iter(f"{{{M}}}c") if c.find(f"{{{M}}}v") is not None}
    assert values["D3"] == "5" and values["D4"] == "12" and values["D5"] == "1000"
    assert {c.get("r"): c.get("s") for c in sheet.iter(f"{{{M}}}c")}["D5"] == "5"


def test_comments_drawings_charts_tables(converted) -> None:
    _, dst, _ = converted
    comments = _xml(dst, "xl/comments1.xml")
    texts = [t.text for t in comments.iter(f"{{{M}}}t")]
    assert texts == ["Nguyen Van A:", "\nGhi chú quan trọng"]
    assert [f.get("val") for f in comments.iter(f"{{{M}}}rFont")] == ["Tahoma", "Times New Roman"]
    a = NSMAP["a"]
    drawing = _xml(dst, "xl/drawings/drawing1.xml")
    assert [t.text for t in drawing.iter(f"{{{a}}}t")] == ["Người lập biểu"]
    assert {el.get("typeface") for el in drawing.iter(f"{{{a}}}latin")} == {"Times New Roman"}
    chart = _xml(dst, "xl/charts/chart1.xml")
    assert [t.text for t in chart.iter(f"{{{a}}}t")] == ["Biểu đồ doanh thu"]
    assert {el.get("typeface") for el in chart.iter(f"{{{a}}}latin")} == {"Times New Roman"}
    cache = [v.text for v in chart.iter(f"{{{NSMAP['c']}}}v")]
    assert cache[0] == "Cộng hoà xã hội chủ nghĩa Việt Nam" and cache[1:] == ["5", "12"]
    table = _xml(dst, "xl/tables/table1.xml")
    assert [c.get("name") for c in table.iter(f"{{{M}}}tableColumn")] == ["Họ tên", "Số lượng"]
    assert table.find(f".//{{{M}}}filter").get("val") == "Nguyễn Văn A"


def test_untouched_parts_byte_identical(converted) -> None:
    src, dst, _ = converted
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst) as b:
        assert a.namelist() == b.namelist()
        same = {n for n in a.namelist() if a.read(n) == b.read(n)}
        for name in (
            "[Content_Types].xml",
            "xl/theme/theme1.xml",
            "xl/drawings/vmlDrawing1.vml",
            "xl/media/image1.png",
            "docProps/core.xml",
            "xl/worksheets/sheet2.xml",  # only shared strings, none split
            "xl/_rels/workbook.xml.rels",
        ):
            assert name in same, name
        assert b.getinfo("xl/media/image1.png").compress_type == zipfile.ZIP_STORED


def test_result_report(converted) -> None:
    _, _, result = converted
    assert result.format == "xlsx"
    assert result.charset == "tcvn3"
    assert result.changed >= 20
    assert result.details["renamed_fonts"][".VnTime"] == "Times New Roman"


def test_detect_writes_nothing(tmp_path: Path) -> None:
    src = build_workbook(tmp_path / "book.xlsx")
    before = src.read_bytes()
    result = detect_file(src, Options())
    assert result.output is None and result.charset == "tcvn3"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]
    assert src.read_bytes() == before


def test_second_conversion_changes_nothing(converted, tmp_path: Path) -> None:
    _, dst, _ = converted
    again = tmp_path / "again.xlsx"
    result = convert_file(dst, again, Options())
    assert result.changed == 0
    assert _cells(again) == _cells(dst)


def test_in_place_conversion(tmp_path: Path) -> None:
    src = build_workbook(tmp_path / "book.xlsx")
    convert_file(src, src, Options())
    assert _cells(src)[("Sổ cái", "A1")][0] == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


@pytest.mark.parametrize(
    "data, cause",
    [
        (b"", "zip"),
        (b"PK\x03\x04 truncated", "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "OLE2"),
        (b"just some text", "zip"),
    ],
)
def test_corrupt_input_raises_document_error(tmp_path: Path, data: bytes, cause: str) -> None:
    src = tmp_path / "bad.xlsx"
    src.write_bytes(data)
    with pytest.raises(DocumentError) as err:
        convert_file(src, tmp_path / "out.xlsx", Options())
    assert str(src) in str(err.value) and cause in str(err.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx"]  # no partial output, no temp file


def test_malformed_part_raises_document_error(tmp_path: Path) -> None:
    src = build_workbook(tmp_path / "book.xlsx")
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(broken, "w") as b:
        for info in a.infolist():
            data = a.read(info)
            if info.filename == "xl/sharedStrings.xml":
                data = data[: len(data) // 2]
            b.writestr(info, data)
    with pytest.raises(DocumentError, match="sharedStrings"):
        convert_file(broken, tmp_path / "out.xlsx", Options())
    assert not (tmp_path / "out.xlsx").exists()


def test_libreoffice_reads_the_result(converted, tmp_path: Path) -> None:
    soffice = os.environ.get("VNCONV_SOFFICE") or __import__("shutil").which("soffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed (make test installs it when run as root)")
    _, dst, _ = converted
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(dst)],
        capture_output=True, timeout=300,
    )
    csv = (tmp_path / "book.out.csv").read_text("utf-8")
    assert proc.returncode == 0
    assert "Cộng hoà xã hội chủ nghĩa Việt Nam" in csv and "BÁO CÁO TÀI CHÍNH" in csv and "Kho :Kho Công Ty" in csv


# -- helpers --------------------------------------------------------------------------------------------
def test_rewrite_formula() -> None:
    ren = {"S\xe6": "Sổ", "Old Name": "New 'Name'"}
    assert rewrite_formula("S\xe6!A1+'Old Name'!B2", ren) == "'Sổ'!A1+'New ''Name'''!B2"
    assert rewrite_formula("'S\xe6:Old Name'!A1", ren) == "'Sổ:New ''Name'''!A1"  # 3-D reference
    assert rewrite_formula("[1]S\xe6!A1", ren) == "[1]S\xe6!A1"  # another workbook's sheet
    assert rewrite_formula('"S\xe6!A1"&S\xe6x!A1', ren) == '"S\xe6!A1"&S\xe6x!A1'  # a literal, another sheet
    assert rewrite_formula('IF(A1="a""b","x")', None, str.upper) == 'IF(A1="A""B","X")'
    assert rewrite_formula("SUM(A1:B2)", ren, str.upper) == "SUM(A1:B2)"


def test_header_footer_codes() -> None:
    vn = FontInfo(".VnTime", "tcvn3", False, "Times New Roman")
    vnh = FontInfo(".VnTimeH", "tcvn3", True, "Times New Roman")
    seen: list[tuple[list[str], list[str | None]]] = []

    def fix(texts: list[str], infos: list[FontInfo | None]) -> list[str]:
        seen.append((texts, [i.name if i else None for i in infos]))
        return [t.upper() if i else t for t, i in zip(texts, infos)]

    fonts = {".VnTime": vn, ".VnTimeH": vnh}
    out = convert_header_footer(
        '&L&"-,Bold"a&&b&C&".VnTimeH,Bold"&14c&Kff0000d&R&P e',
        None,
        fix,
        fonts.get,
        lambda name: "Times New Roman" if name in fonts else None,
    )
    assert out == '&L&"-,Bold"a&&b&C&"Times New Roman,Bold"&14C&Kff0000D&R&P e'
    assert seen == [(["a", "&", "b"], [None, None, None]), (["c", "d"], [".VnTimeH", ".VnTimeH"]), ([" e"], [None])]


# -- real samples ---------------------------------------------------------------------------------------
def test_real_derived_xlsx(tmp_path: Path) -> None:
    src = need_shared(REAL / "xlsx_DERIVED_vntime_vntimeh_from_saoviet_111.xlsx")
    dst = tmp_path / "111.xlsx"
    result = convert_file(src, dst, Options())
    texts = [text for _, _, text, _ in iter_cell_texts(dst)]
    assert "BÁO CÁO TỒN QUỸ TIỀN MẶT" in texts
    assert "KẾ TOÁN TRƯỞNG" in texts
    assert "lượng" in texts
    assert all(lookup(font) is None for *_, font in iter_cell_texts(dst) if font)
    sheet = _xml(dst, "xl/worksheets/sheet1.xml")
    assert "D7" in [f.text for f in sheet.iter(f"{{{M}}}f")]
    assert result.charset == "tcvn3"
    joined = "\n".join(texts)
    assert not MOJIBAKE.search(joined), MOJIBAKE.search(joined)  # no TCVN3 font text left


def test_batched_engine_calls(converted, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """xlsx.BATCH > 1 sends many cells per engine call (faster); on this workbook the cells come out the
    same as with one call per cell."""
    import vnconv.documents.xlsx as xlsx

    src, dst, _ = converted
    monkeypatch.setattr(xlsx, "BATCH", 50)
    out = tmp_path / "batched.xlsx"
    convert_file(src, out, Options())
    assert _cells(out) == _cells(dst)
