"""The one runs pipeline (vnconv.documents.runs): the tally comes from the engine's own record, one capitals
rule for every format, and one engine per document (RTF included)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import vnconv
from vnconv.charsets.fonts import lookup
from vnconv.charsets.fonttext import convert as plain_convert
from vnconv.documents import Options, convert_file
from vnconv.documents.rtf import convert_bytes as rtf_convert
from vnconv.documents.runs import Tally, capitals, repair_units

#: TCVN3 font text whose ư (byte 0xAD, the soft hyphen) was lost, as it often is: Trêng for Trường
LOST = vnconv.convert("Trường học Dương Văn Nguyễn", "unicode", "tcvn3").replace("\xad", "")
VNTIME = lookup(".VnTime")


def test_tally_counts_what_the_engine_read_not_a_guess() -> None:
    """The engine restores the lost ư, so re-converting the run with any charset (the old guess) cannot
    give its output: the guess said "mixed" and warned "did not read as tcvn3". The record says tcvn3."""
    tally = Tally(Options(), "x")
    (out,) = repair_units(tally, "part", [LOST], ["tcvn3"], [".VnTime"], [VNTIME])
    assert out == "Trường học Dương Văn Nguyễn"
    assert plain_convert(LOST, "tcvn3") != out  # what the guess compared against
    result = tally.fill(vnconv.documents.Result("x", "docx"))
    assert result.details["changed_as"] == {"tcvn3": 1}
    assert result.charset == "tcvn3" and result.confidence == 1.0
    assert not any("did not read" in w for w in result.warnings), result.warnings


def test_tally_names_what_did_not_read_as_its_font() -> None:
    """VNI text under .VnTime: the record says vni, and the warning says so."""
    tally = Tally(Options(), "x")
    vni = vnconv.convert("Nước đẹp đào", "unicode", "vni")
    repair_units(tally, "part", [vni, " và ", LOST], ["tcvn3", None, "tcvn3"], [".VnTime", None, ".VnTime"],
                 [VNTIME, None, VNTIME])
    result = tally.fill(vnconv.documents.Result("x", "docx"))
    assert result.details["changed_as"] == {"tcvn3": 1, "vni": 1}
    assert any("did not read as tcvn3; repaired as vni" in w for w in result.warnings), result.warnings


def _xlsx(path: Path, cells: list[tuple[str, int]]) -> Path:
    """A workbook with one sheet: each cell a shared string in font 1 (.VnTime) or 2 (.VnTimeH)."""
    m = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pr = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    rows = "".join(f'<row r="{i + 1}"><c r="A{i + 1}" s="{s}" t="s"><v>{i}</v></c></row>'
                   for i, (_, s) in enumerate(cells))
    sst = "".join(f'<si><t xml:space="preserve">{t}</t></si>' for t, _ in cells)
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{pr}"><Relationship Id="rId1" Type="{r}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{m}" xmlns:r="{r}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{pr}">'
        f'<Relationship Id="rId1" Type="{r}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{r}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{r}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/styles.xml": f'<styleSheet xmlns="{m}"><fonts count="3"><font><name val="Calibri"/></font>'
        '<font><name val=".VnTime"/></font><font><name val=".VnTimeH"/></font></fonts>'
        '<cellXfs count="3"><xf fontId="0"/><xf fontId="1" applyFont="1"/><xf fontId="2" applyFont="1"/>'
        "</cellXfs></styleSheet>",
        "xl/sharedStrings.xml": f'<sst xmlns="{m}" count="{len(cells)}" uniqueCount="{len(cells)}">{sst}</sst>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{m}"><sheetData>{rows}</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w") as z:
        for name, body in parts.items():
            z.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body)
    return path


def _strings(path: Path) -> list[str]:
    from lxml import etree

    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("xl/sharedStrings.xml"))
    return ["".join(si.itertext()) for si in root]


def test_xlsx_tcvn3_with_lost_letters_is_not_called_something_else(tmp_path: Path) -> None:
    """The .xlsx warning said TCVN3 text "did not read as tcvn3" when it did (the engine had restored its
    lost ư); the report now says what the engine read."""
    words = ["Trêng häc", "D¬ng V¨n B¶y", "Ngêi lao ®éng", "Tæng céng"]
    src = _xlsx(tmp_path / "lost.xlsx", [(w, 1) for w in words])
    result = convert_file(src, tmp_path / "out.xlsx", Options())
    assert _strings(tmp_path / "out.xlsx") == ["Trường học", "Dương Văn Bảy", "Người lao động", "Tổng cộng"]
    assert not any("did not read as" in w for w in result.warnings), result.warnings
    assert result.details["changed_as"] == {"tcvn3": 4} and result.charset == "tcvn3"


def test_capitals_rule_is_one_for_every_format(tmp_path: Path) -> None:
    """.VnTimeH legacy text becomes capitals, Unicode typed under .VnTimeH is left as typed, in .xlsx
    cells as in RTF (RTF used to upper-case it and skip the normal form; .xlsx upper-cased it too)."""
    src = _xlsx(tmp_path / "caps.xlsx", [("b¸o c¸o", 2), ("Báo cáo", 2)])
    convert_file(src, tmp_path / "caps-out.xlsx", Options())
    assert _strings(tmp_path / "caps-out.xlsx") == ["BÁO CÁO", "Báo cáo"]
    rtf = (rb"{\rtf1\ansi\deff0{\fonttbl{\f0 Times New Roman;}{\f1 .VnTimeH;}}"
           rb"{\f1 b\'b8o c\'b8o}\par {\f1 B\u225?o c\u225?o}\par}")
    out, _ = rtf_convert(rtf, Options())
    assert rb"B\u193?O C\u193?O" in out and rb"B\u225?o c\u225?o" in out
    texts, outs = ["b¸o", "Báo"], ["báo", "Báo"]
    assert capitals(texts, outs, [True, False], Options()) == (["BÁO", "Báo"], [False, False])
    assert capitals(["b¸o"], ["báo"], [True], Options(uppercase="caps")) == (["báo"], [True])
    assert capitals(["b¸o"], ["báo"], [True], Options(uppercase="caps"), caps=False) == (["BÁO"], [False])
    nfd = capitals(["b¸o"], ["báo"], [True], Options(form="NFD"))[0][0]
    assert nfd == "BA\u0301O"


@pytest.mark.parametrize("short", ["C\\'e9ng", "N\\'e9i"])
def test_rtf_document_evidence_decides_a_short_paragraph(short: str) -> None:
    """TCVN3 font text under a Unicode font (nothing names the charset): a short paragraph alone is
    ambiguous (repair("Céng") keeps it), but the document's earlier paragraphs decide it now that an RTF
    document has one engine (it had one per paragraph, which never gathered document evidence)."""
    long = vnconv.convert("Cộng hoà xã hội chủ nghĩa Việt Nam. Độc lập tự do hạnh phúc. Báo cáo tổng kết "
                          "công tác năm học của trường", "unicode", "tcvn3")
    body = "".join(c if ord(c) < 128 else f"\\'{c.encode('cp1252')[0]:02x}" for c in long)
    head = "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0 "
    alone, _ = rtf_convert((head + short + "\\par}").encode("ascii"), Options())
    assert short.encode() in alone  # alone it stays as it is
    out, _ = rtf_convert((head + body + "\\par " + short + "\\par}").encode("ascii"), Options())
    last = out.split(b"\\par")[-2]
    expected = {"C\\'e9ng": "Cộng", "N\\'e9i": "Nội"}[short]
    assert _rtf_text(last) == expected


def _rtf_text(data: bytes) -> str:
    """The text of an RTF fragment written with \\uN? escapes (as the adapter writes changed runs)."""
    import re

    text = re.sub(rb"\\u(-?\d+)\?", lambda m: chr(int(m.group(1)) % 65536).encode("utf-8"), data)
    text = re.sub(rb"\\par\s?|[{}]", b"", text)
    return text.decode("utf-8").strip()


@pytest.mark.parametrize("ext", [".txt", ".docx", ".xlsx", ".rtf", ".doc", ".xls"])
def test_every_adapter_implements_the_interface(ext: str) -> None:
    from vnconv.documents import Adapter, adapter_for

    module = adapter_for(Path("x" + ext))
    assert isinstance(module, Adapter) and callable(module.convert_file) and callable(module.detect_file)


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match="Options.form"):
        Options(form="nfkc")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Options.uppercase"):
        Options(uppercase="shout")  # type: ignore[arg-type]
    assert Options(tone_style="old", form="NFD").form == "NFD"
