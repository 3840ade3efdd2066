"""Pipelines: files read as Unicode (read_text/read_document), columns repaired in their own kind, loaders."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import REAL, SAMPLES, need_shared, need_tool

import vnconv
from vnconv import DocumentError
from vnconv.pipelines import read_document, read_text, repair_column

PLAN_TRUTH = Path(__file__).parent / "data" / "ke-hoach-60-nam.expected.txt"
ROOT = Path(__file__).resolve().parents[1]


def tcvn3_font_text(text: str) -> str:
    return vnconv.encode(text, "tcvn3", "lowercase").decode("cp1252", "replace").replace("\ufffd", "?")


# -- fixtures made here -------------------------------------------------------------------------------------
def make_docx(path: Path, paragraphs: list[str], font: str = ".VnTime") -> Path:
    """A real .docx (python-docx) whose runs hold TCVN3 font text under ``font``; ``ư`` as w:softHyphen."""
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document()
    for text in paragraphs:
        p = document.add_paragraph()
        for i, piece in enumerate(tcvn3_font_text(text).split("\u00ad")):
            if i:
                hyphen = p.add_run()
                hyphen.font.name = font
                hyphen._r.append(OxmlElement("w:softHyphen"))
            run = p.add_run(piece)
            run.font.name = font
    document.save(str(path))
    return path


def make_xlsx(path: Path, rows: list[list[str]], font: str = ".VnTime") -> Path:
    """A minimal real .xlsx: one sheet "Sổ" of shared strings, all in ``font`` (TCVN3 font text)."""
    strings = [tcvn3_font_text(c) for r in rows for c in r]
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;")
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    sheet_rows, k = [], 0
    for r_i, row in enumerate(rows, 1):
        cells = []
        for c_i, _ in enumerate(row):
            cells.append(f'<c r="{chr(65 + c_i)}{r_i}" t="s" s="1"><v>{k}</v></c>')
            k += 1
        sheet_rows.append(f'<row r="{r_i}">{"".join(cells)}</row>')
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>",
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook {ns} xmlns:r="{rel}"><sheets>'
        '<sheet name="Sổ" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet {ns}><sheetData>{"".join(sheet_rows)}</sheetData></worksheet>',
        "xl/sharedStrings.xml": f'<?xml version="1.0"?><sst {ns} count="{k}" uniqueCount="{k}">'
        + "".join(f'<si><t xml:space="preserve">{esc(s)}</t></si>' for s in strings) + "</sst>",
        "xl/styles.xml": f'<?xml version="1.0"?><styleSheet {ns}><fonts count="2"><font><name val="Calibri"/></font>'
        f'<font><name val="{font}"/></font></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf fontId="0"/><xf fontId="1" applyFont="1"/></cellXfs>'
        "</styleSheet>",
    }
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


LETTER = "Kính gửi các đồng chí trong Ban chấp hành tỉnh Hải Dương\n"
PARAGRAPHS = ["Cộng hoà xã hội chủ nghĩa Việt Nam", "Độc lập - Tự do - Hạnh phúc",
              "Kế hoạch tổ chức kỷ niệm ngày thành lập của tỉnh Hải Dương, như sau"]


# -- read_text / read_document -----------------------------------------------------------------------------
def test_read_text_of_a_docx_restores_soft_hyphen_letters(tmp_path: Path) -> None:
    src = make_docx(tmp_path / "ke hoach.docx", PARAGRAPHS)
    before = sorted(os.listdir(tmp_path))
    doc = read_document(src)
    assert doc.text.splitlines() == PARAGRAPHS  # Dương and như: the ư were w:softHyphen
    assert doc.format == "docx" and doc.charset == "tcvn3" and doc.fonts_renamed == {".VnTime": "Times New Roman"}
    assert [c.after for c in doc.changes] == PARAGRAPHS and doc.changes[0].before.startswith("Céng hoµ")
    assert doc.metadata["source"] == str(src) and doc.metadata["charsets"] == {"tcvn3": doc.charsets["tcvn3"]}
    assert sorted(os.listdir(tmp_path)) == before  # nothing written beside the input
    assert read_text(src) == doc.text


def test_read_document_of_an_xlsx_gives_one_piece_a_sheet(tmp_path: Path) -> None:
    src = make_xlsx(tmp_path / "so.xlsx", [["Số tồn trên sổ sách", "Thực tế"], ["Chênh lệch", "Người lập"]])
    doc = read_document(src)
    assert [p.name for p in doc.pieces] == ["Sổ"]
    assert doc.pieces[0].text == "Số tồn trên sổ sách\tThực tế\nChênh lệch\tNgười lập"
    assert doc.charset == "tcvn3" and len(doc.changes) == 2


def test_read_text_of_raw_legacy_bytes_and_of_unicode(tmp_path: Path) -> None:
    raw = tmp_path / "thu.txt"
    raw.write_bytes(vnconv.encode("\n".join(PARAGRAPHS) + "\n", "vni"))
    assert read_text(raw) == "\n".join(PARAGRAPHS) + "\n"
    uni = tmp_path / "uni.txt"
    uni.write_text("Xin chào, xã hội\n", encoding="utf-8")
    doc = read_document(uni)
    assert doc.text == "Xin chào, xã hội\n" and doc.changes == [] and doc.charset is None


def test_read_text_options_reach_the_conversion(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_bytes(vnconv.encode("Cộng hoà xã hội, thuỷ lợi của tỉnh\n", "tcvn3"))
    assert read_text(src, tone_style="new") == "Cộng hòa xã hội, thủy lợi của tỉnh\n"
    import unicodedata

    assert read_text(src, form="NFD") == unicodedata.normalize("NFD", "Cộng hoà xã hội, thuỷ lợi của tỉnh\n")
    with pytest.raises(TypeError, match="unknown option"):
        read_text(src, colour="red")


def test_read_document_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "hong.docx"
    bad.write_bytes(b"PK\x03\x04 not a zip at all")
    with pytest.raises(DocumentError, match="hong.docx"):
        read_document(bad)
    with pytest.raises(DocumentError, match="khong-co.txt"):
        read_text(tmp_path / "khong-co.txt")


def test_read_document_without_libreoffice_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vnconv.documents import office

    monkeypatch.setattr(office, "find_soffice", lambda: None)
    src = tmp_path / "cu.doc"
    src.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    with pytest.raises(DocumentError, match="LibreOffice") as exc:
        read_document(src)
    assert "cu.doc" in str(exc.value)


def test_read_text_of_the_sample_plan_is_exact() -> None:
    plan = need_shared(SAMPLES / "ke-hoach-60-nam.txt")
    assert read_text(plan) == PLAN_TRUTH.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name, fmt, charset, words",
    [
        ("docx_DERIVED_vnitimes_textboxes_from_ngphloc_BaoCao.docx", "docx", "vni", ["nghiên cứu", "công nghệ thông tin"]),
        ("xlsx_DERIVED_vntime_vntimeh_from_saoviet_111.xlsx", "xlsx", "tcvn3", ["BÁO CÁO TỒN QUỸ TIỀN MẶT", "Chênh lệch"]),
        ("rtf_tcvn3_abcsansserif_vntime_unikey-help.rtf", "rtf", "tcvn3", ["UniKey là chương trình miễn phí"]),
        ("rtf_vni_uescape_recovered_ngphloc_NC_BaoCao.rtf", "rtf", "vni", ["Các thư viện sử dụng"]),
        ("tcvn3_raw_unikey-help-contents.cnt", "text", "tcvn3", ["Tiếng Việt trong Windows"]),
    ],
)
def test_read_document_of_real_archives(name: str, fmt: str, charset: str, words: list[str]) -> None:
    doc = read_document(need_shared(REAL / name))
    assert doc.format == fmt and doc.charset == charset
    for w in words:
        assert w in doc.text
    assert doc.changes and all(c.before != c.after for c in doc.changes)
    assert "\u00ad" not in doc.text


def test_read_document_of_a_doc_through_libreoffice() -> None:
    need_tool("soffice")
    doc = read_document(need_shared(REAL / "xls_vntime_vntimeh_saoviet_REPORTS_111.xls"))
    assert doc.format == "xlsx" and doc.charset == "tcvn3"
    assert "KẾ TOÁN TRƯỞNG" in doc.text and doc.changes  # .VnTimeH text drawn as capitals
    assert doc.path.endswith(".xls")


# -- columns in their own kind --------------------------------------------------------------------------------
def test_repair_column_keeps_a_series_index_name_and_dtype() -> None:
    pd = pytest.importorskip("pandas")
    s = pd.Series(["Céng hoµ x· héi", None, 42, float("nan"), "Hµ Néi vµ H¶i D\xacng"], index=[9, 7, 5, 3, 1], name="ten")
    out = repair_column(s)
    assert isinstance(out, pd.Series) and list(out.index) == [9, 7, 5, 3, 1] and out.name == "ten"
    assert out.dtype == object and out[9] == "Cộng hoà xã hội" and out[1] == "Hà Nội và Hải Dương"
    assert out[7] is None and out[5] == 42 and out[3] != out[3]
    arrow = repair_column(s.iloc[[0, 4]].astype("string[pyarrow]"))
    assert str(arrow.dtype) == "string" and arrow.tolist() == ["Cộng hoà xã hội", "Hà Nội và Hải Dương"]
    cat = repair_column(pd.Series(["ViÖt Nam", "ViÖt Nam", "Céng hoµ"], dtype="category"))
    assert isinstance(cat.dtype, pd.CategoricalDtype) and cat.tolist() == ["Việt Nam", "Việt Nam", "Cộng hoà"]
    assert repair_column(["ViÖt Nam", None]) == ["Việt Nam", None]


# -- loaders ---------------------------------------------------------------------------------------------------
def test_langchain_loader(tmp_path: Path) -> None:
    pytest.importorskip("langchain_core")
    from vnconv.loaders.langchain import VnconvLoader

    make_docx(tmp_path / "a.docx", PARAGRAPHS)
    (tmp_path / "sub").mkdir()
    make_xlsx(tmp_path / "sub" / "b.xlsx", [["Người lập"]])
    (tmp_path / "c.txt").write_bytes(vnconv.encode(LETTER, "tcvn3"))
    (tmp_path / "hong.docx").write_bytes(b"junk")
    with pytest.raises(DocumentError, match="hong.docx"):
        VnconvLoader(tmp_path).load()
    docs = VnconvLoader(tmp_path, silent_errors=True).load()
    by_name = {Path(d.metadata["source"]).name: d for d in docs}
    assert sorted(by_name) == ["a.docx", "b.xlsx", "c.txt"]
    assert by_name["a.docx"].page_content.splitlines() == PARAGRAPHS
    assert by_name["a.docx"].metadata["fonts_renamed"] == {".VnTime": "Times New Roman"}
    assert by_name["b.xlsx"].page_content == "Người lập" and by_name["c.txt"].metadata["charset"] == "tcvn3"
    pieces = VnconvLoader(tmp_path / "sub", pieces=True).load()
    assert [d.metadata["piece"] for d in pieces] == ["Sổ"]


def test_llamaindex_reader(tmp_path: Path) -> None:
    pytest.importorskip("llama_index.core")
    from llama_index.core import SimpleDirectoryReader

    from vnconv.loaders.llamaindex import VnconvReader

    make_docx(tmp_path / "a.docx", PARAGRAPHS)
    (tmp_path / "c.txt").write_bytes(vnconv.encode(LETTER, "vni"))
    docs = VnconvReader().load_data(tmp_path / "a.docx", extra_info={"batch": 7})
    assert docs[0].text.splitlines() == PARAGRAPHS and docs[0].metadata["batch"] == 7
    reader = SimpleDirectoryReader(str(tmp_path), file_extractor={".docx": VnconvReader(), ".txt": VnconvReader()})
    texts = sorted(d.text for d in reader.load_data())
    assert texts == sorted(["\n".join(PARAGRAPHS), LETTER])


def test_frameworks_are_not_imported_by_vnconv() -> None:
    import subprocess
    import sys

    code = ("import sys, vnconv, vnconv.pipelines, vnconv.loaders, vnconv.dask, vnconv.spark; "
            "print(sorted(m for m in ('dask', 'pyspark', 'langchain_core', 'llama_index', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def _same_document(a: Any, b: Any) -> None:
    assert (a.text, a.pieces, a.changes, a.charset, a.charsets, a.fonts, a.fonts_renamed, a.warnings) == (
        b.text, b.pieces, b.changes, b.charset, b.charsets, b.fonts, b.fonts_renamed, b.warnings)


@pytest.mark.parametrize("kind", ["docx", "xlsx", "tcvn3.txt", "vni.txt", "unicode.txt"])
def test_the_document_of_a_file_converted_once_is_what_read_document_reads(tmp_path: Path, kind: str) -> None:
    from vnconv.documents import Options, convert_file
    from vnconv.pipelines.reading import converted_document

    if kind == "docx":
        src = make_docx(tmp_path / "in.docx", PARAGRAPHS)
    elif kind == "xlsx":
        src = make_xlsx(tmp_path / "in.xlsx", [["Số tồn trên sổ sách", "Thực tế"], ["Chênh lệch", "Người lập"]])
    else:
        src = tmp_path / "in.txt"
        text = "\n".join(PARAGRAPHS) + "\n"
        src.write_bytes(text.encode() if kind == "unicode.txt" else vnconv.encode(text, kind.split(".")[0]))
    dst = tmp_path / f"out{src.suffix}"
    _same_document(converted_document(src, dst, convert_file(src, dst, Options())), read_document(src))


@pytest.mark.parametrize("name", [
    "ke-hoach-60-nam.txt",
    "real/docx_DERIVED_vnitimes_textboxes_from_ngphloc_BaoCao.docx",
    "real/xlsx_DERIVED_vntime_vntimeh_from_saoviet_111.xlsx",
    "real/rtf_tcvn3_abcsansserif_vntime_unikey-help.rtf",
])
def test_the_document_of_a_real_file_converted_once(tmp_path: Path, name: str) -> None:
    from vnconv.documents import Options, convert_file
    from vnconv.pipelines.reading import converted_document

    src = need_shared(SAMPLES / name)
    dst = tmp_path / f"out{src.suffix}"
    doc = converted_document(src, dst, convert_file(src, dst, Options()))
    _same_document(doc, read_document(src))
    assert doc.changes


def test_the_document_of_a_converted_file_names_the_file_it_cannot_read(tmp_path: Path) -> None:
    from vnconv.documents import Result
    from vnconv.pipelines.reading import converted_document

    with pytest.raises(vnconv.DocumentError, match="gone.txt"):
        converted_document(tmp_path / "gone.txt", tmp_path / "out.txt", Result(str(tmp_path / "gone.txt"), "text"))
