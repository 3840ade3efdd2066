""".doc → .docx and .xls → .xlsx through LibreOffice: the real samples, soft hyphens, timeouts, errors."""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import subprocess
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from lxml import etree

from conftest import REAL, need_shared
from vnconv import DocumentError
from vnconv.documents import Options, convert_file, detect_file
from vnconv.documents import office
from vnconv.documents.xlsx import iter_cell_texts
from vnconv.charsets.fonts import lookup

M = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
#: Latin-1 letters and signs that Vietnamese never uses: what legacy font text is made of
MOJIBAKE = re.compile("[\xa1-\xbf\xc4-\xc7\xcb\xce-\xd1\xd6-\xd8\xdb\xdc\xde\xdf\xe4-\xe7\xeb\xee-\xf1\xf6-\xf8\xfb\xfc\xfe\xff]")

needs_lo = pytest.mark.skipif(
    office.find_soffice() is None,
    reason="LibreOffice is not installed (make test installs libreoffice-writer-nogui/-calc-nogui as root)",
)


# -- helpers ---------------------------------------------------------------------------------------------
def _convert(src: Path, out_dir: Path, **opts: object) -> tuple[Path, object]:
    dst = out_dir / (src.stem + office.output_suffix(src))
    return dst, convert_file(src, dst, Options(**opts))


def _intermediate(src: Path, work: Path) -> Path:
    """What LibreOffice alone makes of ``src`` (the input of the .docx/.xlsx adapter)."""
    work.mkdir(parents=True, exist_ok=True)
    return office.to_ooxml(src, work, 300)


def _docx_texts(path: Path) -> dict[str, list[str]]:
    """Paragraph texts of every XML part of a .docx (w:t, soft hyphens as U+00AD), text boxes included."""
    out: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.startswith("word/") or not name.endswith(".xml"):
                continue
            root = etree.fromstring(z.read(name))
            paras = []
            for p in root.iter(f"{{{W}}}p"):
                chunks = []
                for el in p.iter(f"{{{W}}}t", f"{{{W}}}softHyphen", f"{{{W}}}tab"):
                    # text of this paragraph only, not of paragraphs nested in its text boxes
                    if next(el.iterancestors(f"{{{W}}}p")) is not p:
                        continue
                    chunks.append(el.text or "" if el.tag == f"{{{W}}}t" else "\xad" if "soft" in el.tag else "\t")
                paras.append("".join(chunks))
            out[name] = paras
    return out


def _textbox_texts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return ["".join(t.text or "" for t in box.iter(f"{{{W}}}t")) for box in root.iter(f"{{{W}}}txbxContent")]


def _cell_fonts(path: Path) -> dict[tuple[str, str], str | None]:
    """(sheet, cell) -> the font name of every cell (text or not)."""
    out = {}
    with zipfile.ZipFile(path) as z:
        styles = etree.fromstring(z.read("xl/styles.xml"))
        fonts = [f.find(f"{{{M}}}name").get("val") for f in styles.find(f"{{{M}}}fonts")]
        xfs = [int(x.get("fontId", "0")) for x in styles.find(f"{{{M}}}cellXfs")]
        wb = etree.fromstring(z.read("xl/workbook.xml"))
        for i, sheet in enumerate(wb.iter(f"{{{M}}}sheet"), 1):
            root = etree.fromstring(z.read(f"xl/worksheets/sheet{i}.xml"))
            for c in root.iter(f"{{{M}}}c"):
                out[(sheet.get("name"), c.get("r"))] = fonts[xfs[int(c.get("s", "0"))]]
    return out


def _formulas(path: Path) -> dict[tuple[str, str], str]:
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                for c in etree.fromstring(z.read(name)).iter(f"{{{M}}}c"):
                    f = c.find(f"{{{M}}}f")
                    if f is not None:
                        out[(name, c.get("r"))] = f.text or ""
    return out


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory):
    """Convert a real sample once per module: name -> (source, intermediate, output, result)."""
    cache: dict[str, tuple[Path, Path, Path, object]] = {}
    base = tmp_path_factory.mktemp("office")

    def get(name: str) -> tuple[Path, Path, Path, object]:
        if name not in cache:
            if office.find_soffice() is None:
                pytest.skip("LibreOffice is not installed")
            src = need_shared(REAL / name)
            mid = _intermediate(src, base / f"{name}.lo")
            dst, result = _convert(src, base)
            cache[name] = (src, mid, dst, result)
        return cache[name]

    return get


# -- the real workbooks --------------------------------------------------------------------------------
@needs_lo
def test_xls_111_uppercase_headings_soft_hyphen_formulas(real) -> None:
    src, mid, dst, result = real("xls_vntime_vntimeh_saoviet_REPORTS_111.xls")
    assert dst.name == "xls_vntime_vntimeh_saoviet_REPORTS_111.xlsx"
    texts = {(s, r): t for s, r, t, _ in iter_cell_texts(dst)}
    before = {(s, r): f for s, r, _, f in iter_cell_texts(mid)}
    values = set(texts.values())
    assert "BÁO CÁO TỒN QUỸ TIỀN MẶT" in values
    assert "KẾ TOÁN TRƯỞNG" in values
    assert "lượng" in values  # TCVN3 ư is 0xAD: LibreOffice keeps it as U+00AD in the cell text
    heads = [key for key, font in before.items() if font == ".VnTimeH"]
    assert len(heads) >= 20
    for key in heads:  # every .VnTimeH cell is in capitals now
        assert texts[key] == texts[key].upper(), (key, texts[key])
    assert _formulas(dst) == _formulas(mid)  # formulas untouched
    assert "D7" in _formulas(dst).values()
    assert all(lookup(font) is None for font in _cell_fonts(dst).values())  # no legacy font on any cell
    assert result.format == "xls" and result.charset == "tcvn3" and result.details["via"] == "libreoffice"
    assert not MOJIBAKE.search("\n".join(values))


@needs_lo
def test_xls_kiemke_tcvn3_label_with_vni_value(real) -> None:
    _, _, dst, _ = real("xls_vnitimes_vntime_mixed_saoviet_KIEMKE.xls")
    values = {t for *_, t, _ in iter_cell_texts(dst)}
    assert "Kho :Kho Công Ty" in values  # one .VnTime cell: a TCVN3 label and a VNI value
    assert "Nước ép đào" in values  # VNI-Times cells
    assert "Báo cáo chênh lệch kiểm kê vật tư, công cụ dụng cụ, T.phẩm, H.hoá" in values
    assert all(lookup(font) is None for font in _cell_fonts(dst).values())


@needs_lo
def test_xls_tmtc_tcvn3_and_vni(real) -> None:
    _, _, dst, _ = real("xls_vntime_vni_saoviet_REPORTS_TMTC.xls")
    values = {t for *_, t, _ in iter_cell_texts(dst)}
    assert "Cộng hoà xã hội chủ nghĩa Việt Nam" in values
    assert "THUYẾT MINH BÁO CÁO TÀI CHÍNH" in values
    assert "Độc lập - Tự do - Hạnh phúc" in values
    assert "1.1 Hình thức sở hữu vốn:" in values  # a VNI-Times cell


@needs_lo
def test_xls_642_vnarialh_and_text_boxes(real) -> None:
    _, mid, dst, _ = real("xls_vnarialh_saoviet_REPORTS_642.xls")
    texts = {(s, r): t for s, r, t, _ in iter_cell_texts(dst)}
    before = {(s, r): f for s, r, _, f in iter_cell_texts(mid)}
    arialh = [k for k, f in before.items() if f == ".VnArialH"]
    assert arialh and all(texts[k] == texts[k].upper() for k in arialh)
    assert "BÁO CÁO QUẢN LÝ VỐN ĐẦU TƯ" in texts.values()
    with zipfile.ZipFile(dst) as z:
        shapes = "".join(t.text or "" for t in etree.fromstring(z.read("xl/drawings/drawing1.xml")).iter(f"{{{A}}}t"))
    assert "Ban hành kèm theo" in shapes  # text boxes of the sheet


# -- the real documents --------------------------------------------------------------------------------
@needs_lo
def test_doc_vni_report_body_and_text_boxes(real) -> None:
    _, mid, dst, result = real("doc_vni_ngphloc_QLHS_BaoCao.doc")
    assert dst.suffix == ".docx"
    body = _docx_texts(dst)["word/document.xml"]
    assert any(p.startswith("I. MỞ ĐẦU :") for p in body)
    assert any("ngành công nghệ thông tin ở nước ta đã phát triển nhanh chóng" in p for p in body)
    boxes = _textbox_texts(dst)
    assert len(boxes) == len(_textbox_texts(mid)) >= 50
    assert all(not MOJIBAKE.search(b) for b in boxes), [b for b in boxes if MOJIBAKE.search(b)]
    # the 58 text boxes of its diagrams hold ASCII labels (HOCSINH, Xep lop …): kept as they are
    assert boxes == _textbox_texts(mid) and "Xep lop" in boxes
    text = "\n".join(body)
    assert len(MOJIBAKE.findall(text)) <= 10  # out of ~30,000 characters; see the next test
    assert result.charset == "vni"
    with zipfile.ZipFile(dst) as z:
        doc = z.read("word/document.xml").decode()
    assert "VNI-Times" not in doc and "VNI Times" not in doc


@needs_lo
def test_doc_vni_report_no_mojibake_at_all(real) -> None:
    """Every VNI-Times run shows what the font drew: ÑTB is ĐTB, and the typo hocïky in a code line is
    hoc̣ky (the dot under the c, as the page showed it), not Latin ï."""
    _, _, dst, _ = real("doc_vni_ngphloc_QLHS_BaoCao.doc")
    text = "\n".join(p for paras in _docx_texts(dst).values() for p in paras)
    assert not MOJIBAKE.findall(text)
    assert "ĐTB" in text and "int hoc\u0323ky)" in text


@needs_lo
@pytest.mark.parametrize(
    "name",
    [
        "doc_trap_fonttable-vntime_text-unicode_qlvb_QD93-2007-TTg.doc",
        "doc_trap_styles-vntime_unicode_textbox_qlvb_KeHoach-STTTT-PhuTho.doc",
    ],
)
def test_doc_traps_text_unchanged(real, name: str) -> None:
    _, mid, dst, result = real(name)
    assert _docx_texts(dst) == _docx_texts(mid)
    assert result.changed == 0
    body = "\n".join(_docx_texts(dst)["word/document.xml"])
    assert "XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body.upper()


@needs_lo
def test_doc_vni_code_listing(real) -> None:
    _, _, dst, _ = real("doc_vni_code-mixed_ngphloc_NC_BaoCao.doc")
    text = "\n".join(_docx_texts(dst)["word/document.xml"])
    assert "void hidecursor();" in text and "hàm ẩn co nháy" in text


# -- what LibreOffice does to soft hyphens -------------------------------------------------------------
def _legacy_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    for text, font in (("k\xd5 to\xb8n tr\xad\xebng", ".VnTime"), ("th\xd5 c\xb8c m\xabi tr\xad\xeang", ".VnTimeH")):
        run = d.add_paragraph().add_run(text)
        run.font.name = font
    d.save(path)
    return path


def _lo(src: Path, fmt: str, outdir: Path) -> Path:
    import subprocess

    soffice = office.find_soffice()
    subprocess.run(
        [soffice, f"-env:UserInstallation={(outdir / 'profile').as_uri()}", "--headless", "--convert-to", fmt,
         "--outdir", str(outdir), str(src)],
        capture_output=True, timeout=300, check=True,
    )
    return outdir / (src.stem + "." + fmt.split(":")[0])


@needs_lo
@pytest.mark.parametrize("stored_as", ["0x1F", "0xAD"])
def test_doc_soft_hyphen_survives(tmp_path: Path, stored_as: str) -> None:
    """TCVN3 ư is byte 0xAD. In a .doc it is stored as 0xAD, or as Word's optional hyphen 0x1F (what
    LibreOffice writes); LibreOffice reads both as a soft hyphen and writes <w:softHyphen/> into the .docx."""
    doc = _lo(_legacy_docx(tmp_path / "sh.docx"), "doc", tmp_path / "a")
    data = doc.read_bytes()
    assert data.count(b"r\x00\x1f\x00") == 2  # LibreOffice's own .doc: the optional hyphen, UTF-16
    if stored_as == "0xAD":
        data = data.replace(b"r\x00\x1f\x00", b"r\x00\xad\x00")
        doc.write_bytes(data)
    mid = _intermediate(doc, tmp_path / "mid")
    with zipfile.ZipFile(mid) as z:
        assert z.read("word/document.xml").count(b"<w:softHyphen/>") == 2
    dst, result = _convert(doc, tmp_path)
    body = _docx_texts(dst)["word/document.xml"]
    assert "kế toán trưởng" in body
    assert "THẾ CÁC MÔI TRƯỜNG" in body
    assert result.charset == "tcvn3"


@needs_lo
def test_xls_soft_hyphen_survives(tmp_path: Path) -> None:
    """In an .xls the 0xAD byte is a character of the cell text: LibreOffice keeps it as U+00AD."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_xlsx import build_workbook

    xls = _lo(build_workbook(tmp_path / "book.xlsx"), "xls", tmp_path / "a")
    mid = _intermediate(xls, tmp_path / "mid")
    assert any("\xad" in t for *_, t, _ in iter_cell_texts(mid))
    dst, _ = _convert(xls, tmp_path)
    values = {t for *_, t, _ in iter_cell_texts(dst)}
    assert "KẾ TOÁN TRƯỞNG" in {v.strip() for v in values}
    assert "Cộng hoà xã hội chủ nghĩa Việt Nam" in values
    assert "Kho :Kho Công Ty" in values


# -- robustness ----------------------------------------------------------------------------------------
def test_output_suffix() -> None:
    assert office.output_suffix(Path("a/B.DOC")) == ".docx"
    assert office.output_suffix(Path("x.xls")) == ".xlsx"


def test_missing_libreoffice_names_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VNCONV_SOFFICE", str(tmp_path / "no-such-soffice"))
    src = need_shared(REAL / "doc_vni_ngphloc_QLHS_BaoCao.doc")
    with pytest.raises(DocumentError, match="libreoffice-writer-nogui") as err:
        convert_file(src, tmp_path / "x.docx", Options())
    assert str(src) in str(err.value)
    xls = tmp_path / "a.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    with pytest.raises(DocumentError, match="libreoffice-calc-nogui"):
        detect_file(xls, Options())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xls"]


@pytest.mark.parametrize(
    "name, data, cause",
    [
        ("empty.doc", b"", "empty file"),
        ("junk.xls", bytes(range(256)) * 20, "unrecognised binary data"),
        ("short.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 truncated", "truncated"),
    ],
)
def test_corrupt_input(tmp_path: Path, name: str, data: bytes, cause: str) -> None:
    src = tmp_path / name
    src.write_bytes(data)
    with pytest.raises(DocumentError, match=cause) as err:
        convert_file(src, tmp_path / "out.docx", Options())
    assert str(src) in str(err.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def _fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-soffice"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_timeout_kills_the_process_group_and_cleans_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = tmp_path / "record"
    # the fake LibreOffice starts a helper (as soffice.bin does), records both pids and its folder, and hangs
    script = _fake_soffice(
        tmp_path,
        f"sleep 300 &\necho $! > {record}.child\necho $$ > {record}.pid\npwd > {record}.cwd\nsleep 300\n",
    )
    monkeypatch.setenv("VNCONV_SOFFICE", str(script))
    src = tmp_path / "slow.doc"
    shutil.copyfile(need_shared(REAL / "doc_vni_code-mixed_ngphloc_NC_BaoCao.doc"), src)
    started = time.monotonic()
    with pytest.raises(DocumentError, match="did not finish within 1 s"):
        convert_file(src, tmp_path / "slow.docx", Options(timeout=1))
    assert time.monotonic() - started < 30
    for suffix in (".pid", ".child"):
        pid = int(Path(f"{record}{suffix}").read_text())
        for _ in range(50):
            if not _alive(pid):
                break
            time.sleep(0.1)
        assert not _alive(pid), f"process {pid} survived the timeout"
    assert not Path(Path(f"{record}.cwd").read_text().strip()).exists()  # its temporary folder is gone
    assert not (tmp_path / "slow.docx").exists()


def test_converter_failure_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = _fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2\nexit 0\n")
    monkeypatch.setenv("VNCONV_SOFFICE", str(script))
    src = tmp_path / "a.doc"
    shutil.copyfile(need_shared(REAL / "doc_vni_code-mixed_ngphloc_NC_BaoCao.doc"), src)
    with pytest.raises(DocumentError, match="could not be loaded"):
        convert_file(src, tmp_path / "a.docx", Options())


def _convert_one(args: tuple[str, str]) -> str:
    src, dst = args
    result = convert_file(Path(src), Path(dst), Options())
    return result.charset or ""


@needs_lo
def test_parallel_conversions_use_private_profiles(tmp_path: Path) -> None:
    names = ["xls_vntime_vntimeh_saoviet_REPORTS_111.xls", "doc_vni_code-mixed_ngphloc_NC_BaoCao.doc",
             "xls_vnitimes_vntime_mixed_saoviet_KIEMKE.xls", "xls_vntime_vni_saoviet_REPORTS_TMTC.xls"]
    jobs = []
    for name in names:
        src = need_shared(REAL / name)
        jobs.append((str(src), str(tmp_path / (src.stem + office.output_suffix(src)))))
    with ProcessPoolExecutor(2) as pool:
        charsets = list(pool.map(_convert_one, jobs))
    assert charsets == ["tcvn3", "vni", "vni", "tcvn3"] or all(charsets)
    assert all(Path(dst).stat().st_size > 0 for _, dst in jobs)


@needs_lo
def test_detect_writes_nothing_beside_the_file(tmp_path: Path) -> None:
    src = tmp_path / "k.xls"
    shutil.copyfile(need_shared(REAL / "xls_vnitimes_vntime_mixed_saoviet_KIEMKE.xls"), src)
    before = src.read_bytes()
    result = detect_file(src, Options())
    assert result.output is None and result.format == "xls"
    assert result.details["charsets"]["vni"] > 50
    assert [p.name for p in tmp_path.iterdir()] == ["k.xls"] and src.read_bytes() == before


def test_ctrl_c_leaves_no_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """KeyboardInterrupt during a conversion kills the converter's process group too."""
    record = tmp_path / "pid"
    script = _fake_soffice(tmp_path, f"echo $$ > {record}\nsleep 300\n")
    monkeypatch.setenv("VNCONV_SOFFICE", str(script))
    src = tmp_path / "a.doc"
    shutil.copyfile(need_shared(REAL / "doc_vni_code-mixed_ngphloc_NC_BaoCao.doc"), src)

    def interrupt(signum, frame):  # noqa: ANN001
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    try:
        with pytest.raises(KeyboardInterrupt):
            convert_file(src, tmp_path / "a.docx", Options())
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    pid = int(record.read_text())
    for _ in range(50):
        if not _alive(pid):
            break
        time.sleep(0.1)
    assert not _alive(pid)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.doc", "fake-soffice", "pid"]


# -- Windows and macOS (simulated: no Windows machine here) -------------------------------------------------
def _only_files(monkeypatch: pytest.MonkeyPatch, *existing: str) -> None:
    """Nothing on PATH; of the install places, only ``existing`` are executable files."""
    monkeypatch.delenv("VNCONV_SOFFICE", raising=False)
    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    monkeypatch.setattr(office.os.path, "isfile", lambda p: p in existing)
    monkeypatch.setattr(office.os, "access", lambda p, mode: p in existing)


@pytest.mark.parametrize("where", ["ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA", "default"])
def test_soffice_found_where_windows_installs_it(where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office.sys, "platform", "win32")
    monkeypatch.setenv("ProgramFiles", r"D:\Apps")
    monkeypatch.setenv("ProgramFiles(x86)", r"D:\Apps (x86)")
    monkeypatch.setenv("LOCALAPPDATA", r"C:\Users\Lan\AppData\Local")
    exe = {
        "ProgramFiles": r"D:\Apps\LibreOffice\program\soffice.exe",
        "ProgramFiles(x86)": r"D:\Apps (x86)\LibreOffice\program\soffice.exe",
        "LOCALAPPDATA": r"C:\Users\Lan\AppData\Local\Programs\LibreOffice\program\soffice.exe",
        "default": r"C:\Program Files\LibreOffice\program\soffice.exe",
    }[where]
    _only_files(monkeypatch, exe)
    assert office.find_soffice() == exe
    _only_files(monkeypatch)
    assert office.find_soffice() is None


def test_soffice_found_in_macos_applications(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office.sys, "platform", "darwin")
    exe = "/Applications/LibreOffice.app/Contents/MacOS/soffice"
    _only_files(monkeypatch, exe)
    assert office.find_soffice() == exe


def test_own_process_group_without_posix_sessions(monkeypatch: pytest.MonkeyPatch) -> None:
    assert office._own_group() == {"start_new_session": True}
    monkeypatch.delattr(office.os, "killpg")
    monkeypatch.setattr(office.subprocess, "CREATE_NEW_PROCESS_GROUP", 0x200, raising=False)
    assert office._own_group() == {"creationflags": 0x200}


def test_timeout_kills_libreoffice_without_killpg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no os.killpg: a hung LibreOffice is killed by its process tree (taskkill /T, missing
    here) and then proc.kill(); the file fails, its temporary folder goes. (signal.SIGKILL stays: POSIX's
    proc.kill() needs it here.)"""
    record = tmp_path / "record"
    script = _fake_soffice(tmp_path, f"echo $$ > {record}.pid\npwd > {record}.cwd\nexec sleep 300\n")
    monkeypatch.setenv("VNCONV_SOFFICE", str(script))
    monkeypatch.delattr(office.os, "killpg")
    ran: list[list[str]] = []
    real_run = subprocess.run

    def run(cmd, *args, **kwargs):  # type: ignore[no-untyped-def]
        if cmd and cmd[0] == "taskkill":
            ran.append(list(cmd))
            raise FileNotFoundError(cmd[0])
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(office.subprocess, "run", run)
    src = tmp_path / "slow.doc"
    shutil.copyfile(need_shared(REAL / "doc_vni_code-mixed_ngphloc_NC_BaoCao.doc"), src)
    with pytest.raises(DocumentError, match="did not finish within 1 s"):
        convert_file(src, tmp_path / "slow.docx", Options(timeout=1))
    pid = int(Path(f"{record}.pid").read_text())
    assert ran and ran[0][:4] == ["taskkill", "/F", "/T", "/PID"] and ran[0][4] == str(pid)
    for _ in range(50):
        if not _alive(pid):
            break
        time.sleep(0.1)
    assert not _alive(pid), f"process {pid} survived the timeout"
    assert not Path(Path(f"{record}.cwd").read_text().strip()).exists()
    assert not (tmp_path / "slow.docx").exists()


def test_group_kill_without_sigkill(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where signal.SIGKILL is missing the group gets SIGTERM; a group already gone is no error."""
    sent: list[tuple[int, int]] = []

    def killpg(pid: int, sig: int) -> None:
        sent.append((pid, sig))
        raise ProcessLookupError(pid)

    monkeypatch.setattr(office.os, "killpg", killpg)
    monkeypatch.delattr(office.signal, "SIGKILL")

    class Done:
        pid = 4242

    office._kill_helpers(Done())  # type: ignore[arg-type]
    assert sent == [(4242, signal.SIGTERM)]
