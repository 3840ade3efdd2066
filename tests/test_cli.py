"""The vnconv command line: in-process (main(argv)) and as a subprocess (python -m vnconv)."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import vnconv
from vnconv import cli, jobs
from vnconv.documents import Options

from conftest import REAL, ROOT
from windows import platform  # noqa: F401  (every test twice: POSIX, and Windows simulated)

VI = (
    "Cộng hoà xã hội chủ nghĩa Việt Nam\r\n"
    "Độc lập - Tự do - Hạnh phúc\r\n"
    "Hải Dương, ngày 04 tháng 11 năm 2011\r\n"
)
TCVN3 = vnconv.encode(VI, "tcvn3", "lowercase")
VI_T = vnconv.decode(TCVN3, "tcvn3")  # what the TCVN3 bytes say (capitals TCVN3 lacks are lowercase)
VNI = vnconv.encode(VI, "vni")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def run(argv: list[str], capsysbinary: pytest.CaptureFixture[bytes], stdin: bytes | None = None,
        monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, bytes, str]:
    """main(argv) in this process: (exit code, stdout bytes, stderr text)."""
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = cli.main(argv)
    out, err = capsysbinary.readouterr()
    return code, out, err.decode()


def sub(args: list[str], cwd: Path | None = None, input: bytes | None = None,
        timeout: float = 300) -> subprocess.CompletedProcess[bytes]:
    """python -m vnconv ARGS as a subprocess."""
    return subprocess.run([sys.executable, "-m", "vnconv", *args], cwd=cwd, input=input, capture_output=True,
                          timeout=timeout)


def snapshot(root: Path) -> dict[str, tuple[int, int, bytes]]:
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and not p.is_symlink():
            st = p.stat()
            out[str(p.relative_to(root))] = (st.st_mtime_ns, st.st_mode, p.read_bytes())
        else:
            out[str(p.relative_to(root))] = (0, 0, b"")
    return out


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """in/: text files in several encodings, a nested folder, a hidden folder."""
    root = tmp_path / "in"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a.txt").write_bytes(TCVN3)
    (root / "b.txt").write_bytes(VI.encode("utf-8"))
    (root / "sub" / "c.log").write_bytes(b"\xff\xfe" + VI.encode("utf-16-le"))
    (root / "sub" / "deeper" / "d.csv").write_bytes(TCVN3.replace(b" ", b";"))
    (root / ".git" / "config").write_bytes(b"[core]\n")
    return root


# -- charsets, fonts, help --------------------------------------------------------------------------------------
def test_charsets(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, _ = run(["charsets"], capsysbinary)
    assert code == 0
    names = [line.split()[0] for line in out.decode().splitlines() if line and not line[0].isspace()]
    for name in vnconv.charsets():
        assert name in names
    assert b"vni-win" in out  # aliases
    code, out2, _ = run(["-l"], capsysbinary)  # iconv -l
    assert code == 0 and out2 == out
    code, out, _ = run(["charsets", "--json"], capsysbinary)
    assert "tcvn3" in json.loads(out)["charsets"]


def test_fonts(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    from vnconv.charsets.fonts import fonts

    code, out, _ = run(["fonts"], capsysbinary)
    assert code == 0
    text = out.decode()
    assert text.startswith("FONT") and ".VnTimeH" in text and "upper" in text
    assert len(text.splitlines()) == len(fonts()) + 1
    code, out, _ = run(["fonts", "--json"], capsysbinary)
    rows = json.loads(out)
    assert {"font": ".VnTime", "charset": "tcvn3", "uppercase": False, "replacement": "Times New Roman"} in rows


def test_help_and_version(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, _ = run(["--help"], capsysbinary)
    assert code == 0 and b"convert" in out and b"detect" in out
    code, out, _ = run(["convert", "--help"], capsysbinary)
    assert code == 0 and b"--in-place" in out and b"--report" in out
    code, out, _ = run(["--version"], capsysbinary)
    assert code == 0 and vnconv.__version__.encode() in out


@pytest.mark.parametrize("argv,message", [
    (["convert", "x.txt", "-f", "klingon"], "-f klingon: unknown charset"),
    (["convert", "x.txt", "-t", "klingon"], "-t klingon: unknown charset"),
    (["convert", "x.txt", "--no-backup"], "--no-backup goes with --in-place"),
    (["convert", "x.txt", "--diff"], "--diff goes with --dry-run"),
    (["convert", "x.txt", "--in-place", "-o", "y.txt"], "exclude each other"),
    (["convert", "x.txt", "--in-place", "--dry-run"], "exclude each other"),
    (["convert", "x.txt", "--jobs", "-1"], "--jobs"),
    (["convert", "-", "-", "-o", "out"], "only once"),
    (["convert", "-", "--in-place"], "in place"),
    (["convert", "x.txt", "--errors", "loud"], "invalid choice"),
    (["convert", "--bogus"], "unrecognized arguments"),
    (["detect"], "required"),
])
def test_usage_errors_exit_2(argv: list[str], message: str, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, err = run(argv, capsysbinary)
    assert code == 2, err
    assert message in err and err.startswith("vnconv: error:")
    assert out == b""


def test_directory_or_binary_format_to_stdout_is_a_usage_error(tree: Path,
                                                               capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, _, err = run(["convert", str(tree)], capsysbinary)
    assert code == 2 and "a directory needs -o DIR or --in-place" in err
    doc = tree / "x.docx"
    doc.write_bytes(b"PK")
    code, _, err = run(["convert", str(doc)], capsysbinary)
    assert code == 2 and "x.docx: .docx files cannot go to stdout" in err
    code, _, err = run(["convert", str(tree / "a.txt"), str(tree / "b.txt"), "-o", str(tree / "a.txt")],
                       capsysbinary)
    assert code == 2 and "not a directory" in err


# -- convert: stdout, stdin, -o ---------------------------------------------------------------------------------
def test_one_file_goes_to_stdout(tree: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, err = run(["convert", str(tree / "a.txt")], capsysbinary)
    assert code == 0 and err == ""
    assert out.decode() == VI_T
    code, out2, _ = run(["convert", str(tree / "a.txt"), "-o", "-"], capsysbinary)
    assert out2 == out


def test_iconv_style_command_line(tree: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    (tree / "v.txt").write_bytes(VNI)
    code, out, _ = run(["-f", "vni", "-t", "utf-8", str(tree / "v.txt")], capsysbinary)
    assert code == 0 and out.decode() == VI
    # several files are concatenated, like iconv
    code, out, _ = run(["-f", "vni", str(tree / "v.txt"), str(tree / "v.txt")], capsysbinary)
    assert out.decode() == VI + VI
    # -c drops what cannot be written
    (tree / "upper.txt").write_bytes("CỘNG HOÀ\n".encode())
    code, out, _ = run(["-t", "tcvn3", "-c", str(tree / "upper.txt")], capsysbinary)
    assert code == 0 and out == b"CNG HO\n"


def test_target_tcvn3(tree: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, err = run(["convert", "-t", "tcvn3", str(tree / "b.txt")], capsysbinary)
    assert code == 0 and out == TCVN3  # round trip
    (tree / "upper.txt").write_bytes("CỘNG HOÀ\n".encode())
    code, out, err = run(["convert", "-t", "tcvn3", str(tree / "upper.txt")], capsysbinary)
    assert code == 1 and f"vnconv: {tree / 'upper.txt'}: line 1: 'Ộ' (U+1ED8) cannot be written in tcvn3" in err
    code, out, err = run(["convert", "-t", "tcvn3", "--errors", "lowercase", str(tree / "upper.txt")], capsysbinary)
    assert code == 0 and out == vnconv.encode("CỘNG HOÀ\n", "tcvn3", "lowercase") == b"C\xe9NG HO\xb5\n"


def test_stdin_to_stdout_subprocess(tmp_path: Path) -> None:
    proc = sub(["convert"], input=TCVN3)  # no PATH: stdin, like iconv
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode() == VI_T
    proc = sub(["convert", "-", "-o", "-"], input=VNI)
    assert proc.returncode == 0 and proc.stderr == b""
    proc = sub(["-f", "vni", "-"], input=VNI)
    assert proc.stdout.decode() == VI
    proc = sub(["convert", "-", "-o", str(tmp_path / "out.txt")], input=TCVN3)
    assert proc.returncode == 0 and proc.stdout == b""
    assert (tmp_path / "out.txt").read_bytes().decode() == VI_T


def test_stdin_in_process(monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, _ = run(["convert", "-"], capsysbinary, stdin=b"\xfe\xff" + VI.encode("utf-16-be"),
                       monkeypatch=monkeypatch)
    assert code == 0 and out == b"\xef\xbb\xbf" + VI.encode()


def test_output_file(tree: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    dst = tmp_path / "out.txt"
    code, out, err = run(["convert", str(tree / "a.txt"), "-o", str(dst)], capsysbinary)
    assert code == 0 and out == b"" and err == ""
    assert dst.read_bytes().decode() == VI_T
    assert b"\r\n" in dst.read_bytes()  # CRLF kept
    code, _, err = run(["convert", str(tree / "a.txt"), "-o", str(tree / "a.txt")], capsysbinary)
    assert code == 1 and "is the input itself (use --in-place)" in err


def test_output_dir_mirrors_the_tree(tree: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    out_dir = tmp_path / "out"
    code, out, err = run(["convert", str(tree), "-o", str(out_dir)], capsysbinary)
    assert code == 0, err
    files = sorted(str(p.relative_to(out_dir)) for p in out_dir.rglob("*") if p.is_file())
    assert files == ["a.txt", "b.txt", "sub/c.log", "sub/deeper/d.csv"]  # hidden .git skipped
    assert (out_dir / "a.txt").read_bytes().decode() == VI_T
    assert (out_dir / "b.txt").read_bytes() == VI.encode()
    assert (out_dir / "sub" / "c.log").read_bytes() == b"\xef\xbb\xbf" + VI.encode()
    assert (out_dir / "sub" / "deeper" / "d.csv").read_bytes().decode() == VI_T.replace(" ", ";")
    assert "4 files converted, 0 failed" in err
    # files and directories together; the output folder inside the input is not walked again
    inner = tree / "converted"
    code, _, err = run(["convert", str(tree), str(tmp_path / "out" / "a.txt"), "-o", str(inner)], capsysbinary)
    assert code == 1 and "would overwrite the conversion of" in err  # a.txt twice into the same folder
    code, _, err = run(["convert", str(tree), "-o", str(inner)], capsysbinary)
    assert code == 0, err
    code, _, err = run(["convert", str(tree), "-o", str(inner)], capsysbinary)
    assert code == 0 and "4 files converted" in err


def test_include_exclude_hidden(tree: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    out_dir = tmp_path / "o1"
    run(["convert", str(tree), "-o", str(out_dir), "--include", "*.txt", "--include", "sub/deeper/*"], capsysbinary)
    assert sorted(str(p.relative_to(out_dir)) for p in out_dir.rglob("*") if p.is_file()) == [
        "a.txt", "b.txt", "sub/deeper/d.csv"]
    out_dir = tmp_path / "o2"
    run(["convert", str(tree), "-o", str(out_dir), "--exclude", "sub/*", "--exclude", "b.*"], capsysbinary)
    assert sorted(str(p.relative_to(out_dir)) for p in out_dir.rglob("*") if p.is_file()) == ["a.txt"]
    out_dir = tmp_path / "o3"
    run(["convert", str(tree), "-o", str(out_dir), "--hidden", "--include", "config"], capsysbinary)
    assert (out_dir / ".git" / "config").read_bytes() == b"[core]\n"


# -- in place ----------------------------------------------------------------------------------------------------
def test_in_place_keeps_backups(tree: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    a = tree / "a.txt"
    a.chmod(0o640)
    code, out, err = run(["convert", "--in-place", str(a)], capsysbinary)
    assert code == 0 and out == b"" and err == ""
    assert a.read_bytes().decode() == VI_T
    assert (tree / "a.txt.bak").read_bytes() == TCVN3
    assert oct(a.stat().st_mode & 0o777) == oct(0o640)
    # converting again changes nothing: no new backup
    code, _, _ = run(["convert", "--in-place", str(a)], capsysbinary)
    assert code == 0 and not (tree / "a.txt.bak.1").exists()
    # a new legacy content: the first backup is never overwritten
    a.write_bytes(VNI)
    code, _, _ = run(["convert", "-i", "-f", "vni", str(a)], capsysbinary)
    assert (tree / "a.txt.bak").read_bytes() == TCVN3
    assert (tree / "a.txt.bak.1").read_bytes() == VNI
    assert a.read_bytes().decode() == VI
    # a whole tree; backups beside their files are not converted on the next run
    code, _, err = run(["convert", "-i", str(tree)], capsysbinary)
    assert code == 0, err
    assert (tree / "sub" / "deeper" / "d.csv.bak").exists()
    assert not (tree / "a.txt.bak.bak").exists()
    assert not list(tree.rglob("*.vnconv-tmp"))


def test_in_place_no_backup(tree: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, _, _ = run(["convert", "--in-place", "--no-backup", str(tree)], capsysbinary)
    assert code == 0
    assert not list(tree.rglob("*.bak*"))
    assert (tree / "a.txt").read_bytes().decode() == VI_T


def test_in_place_through_a_symlink(tree: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    link = tree / "link.txt"
    link.symlink_to(tree / "a.txt")
    code, _, _ = run(["convert", "--in-place", str(link)], capsysbinary)
    assert code == 0
    assert link.is_symlink() and (tree / "a.txt").read_bytes().decode() == VI_T
    assert (tree / "a.txt.bak").read_bytes() == TCVN3


# -- dry run, diff, report ------------------------------------------------------------------------------------------
def test_dry_run_writes_nothing(tree: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    before = snapshot(tmp_path)
    code, out, err = run(["convert", "--dry-run", str(tree), "-o", str(tmp_path / "out")], capsysbinary)
    assert code == 0 and out == b""
    assert "would change" in err
    assert snapshot(tmp_path) == before
    code, out, err = run(["convert", "-n", str(tree / "a.txt")], capsysbinary)
    assert code == 0 and out == b"" and snapshot(tmp_path) == before


def test_dry_run_diff(tree: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    before = snapshot(tmp_path)
    code, out, err = run(["convert", "--dry-run", "--diff", str(tree / "a.txt"), str(tree / "b.txt")], capsysbinary)
    assert code == 0
    diff = out.decode()
    assert diff.startswith(f"--- {tree / 'a.txt'}\n+++ {tree / 'a.txt'} (converted)\n@@ -1,3 +1,3 @@\n")
    assert diff.index("-Céng hoµ x· héi chñ nghÜa ViÖt Nam\n") < diff.index("+Cộng hoà xã hội chủ nghĩa Việt Nam\n")
    body = diff.splitlines()[2:]
    assert sum(x.startswith("-") for x in body) == sum(x.startswith("+") for x in body) == 3
    assert str(tree / "b.txt") not in diff  # nothing to change there
    assert snapshot(tmp_path) == before


def test_report(tree: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    (tree / "junk.bin").write_bytes(b"\x00\x01" * 100)
    report = tmp_path / "report.json"
    code, _, err = run(["convert", str(tree), "-o", str(tmp_path / "out"), "--report", str(report)], capsysbinary)
    assert code == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["summary"] == {"files": 5, "converted": 4, "failed": 1, "changed_files": 2,
                               "changed": data["summary"]["changed"]}
    by_name = {Path(f["path"]).name: f for f in data["files"]}
    assert list(by_name) == ["a.txt", "b.txt", "junk.bin", "c.log", "d.csv"]  # input order (files first per folder)
    a = by_name["a.txt"]
    assert a["output"] == str(tmp_path / "out" / "a.txt") and a["format"] == "text"
    assert a["charset"] == "tcvn3" and 0 < a["confidence"] <= 1 and a["changed"] == 3
    assert a["status"] == "converted" and a["error"] is None and a["errors"] == []
    assert by_name["b.txt"]["changed"] == 0 and by_name["b.txt"]["status"] == "converted"
    assert a["details"]["encoding"] == "tcvn3" and a["details"]["lines"] == 3
    c = by_name["c.log"]
    assert c["details"]["encoding"] == "utf-16-le" and c["warnings"]
    junk = by_name["junk.bin"]
    assert junk["status"] == "failed" and junk["error"] == "binary data, not text"
    assert junk["errors"] == ["binary data, not text"]
    # --report - writes the JSON to stdout; a dry run writes the report and nothing else
    code, out, _ = run(["convert", "-n", str(tree / "a.txt"), "--report", "-"], capsysbinary)
    assert json.loads(out)["files"][0]["details"]["dry_run"] is True


# -- bad files: one line each, the batch goes on ---------------------------------------------------------------------
def _bad_tree(tree: Path) -> list[str]:
    (tree / "junk.bin").write_bytes(bytes(range(256)) * 4)
    (tree / "broken.docx").write_bytes(b"PK\x03\x04 this is not a zip archive")
    with zipfile.ZipFile(tree / "nodoc.docx", "w") as z:
        z.writestr("hello.txt", "no word/document.xml here")
    (tree / "dangling.txt").symlink_to(tree / "nowhere.txt")
    os.mkfifo(tree / "pipe.txt")
    locked = tree / "locked.txt"
    locked.write_bytes(TCVN3)
    locked.chmod(0)
    bad = ["junk.bin", "broken.docx", "nodoc.docx", "dangling.txt", "pipe.txt"]
    return bad if IS_ROOT else bad + ["locked.txt"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bad_files_get_one_line_each(tree: Path, tmp_path: Path, jobs: str) -> None:
    bad = _bad_tree(tree)
    missing = str(tmp_path / "missing.txt")
    out_dir = tmp_path / "out"
    proc = sub(["convert", str(tree), missing, "-o", str(out_dir), "--jobs", jobs, "--report",
                str(tmp_path / "r.json")])
    assert proc.returncode == 1
    lines = proc.stderr.decode().splitlines()
    errors = [line for line in lines if not line.startswith("vnconv: ") or ": warning: " not in line]
    errors = [line for line in errors if "files converted" not in line and not line.startswith("  ")]  # summary
    named = sorted(Path(line.split(": ")[1]).name for line in errors)
    assert named == sorted(bad + ["missing.txt"]), lines
    for line in errors:
        assert line.startswith("vnconv: ") and len(line.split(": ")) >= 3
    text = "\n".join(errors)
    assert "junk.bin: binary data, not text" in text
    assert "missing.txt: No such file or directory" in text
    assert "pipe.txt: not a regular file" in text
    assert "Traceback" not in proc.stderr.decode()
    # the good files were converted all the same
    assert (out_dir / "a.txt").read_bytes().decode() == VI_T
    assert (out_dir / "sub" / "deeper" / "d.csv").exists()
    assert not list(out_dir.rglob("*.vnconv-tmp")) and not (out_dir / "junk.bin").exists()
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["summary"]["failed"] == len(bad) + 1
    # results are reported in input order whatever --jobs is
    order = [Path(f["path"]).name for f in report["files"]]
    assert order[-1] == "missing.txt" and order.index("a.txt") < order.index("c.log")
    if IS_ROOT:
        assert (out_dir / "locked.txt").exists()


def test_unreadable_file_as_user(tree: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    if IS_ROOT:
        pytest.skip("root reads files whatever their mode")
    locked = tree / "locked.txt"
    locked.write_bytes(TCVN3)
    locked.chmod(0)
    code, _, err = run(["convert", str(locked), str(tree / "a.txt"), "-o", str(tmp_path / "o")], capsysbinary)
    assert code == 1 and f"vnconv: {locked}: Permission denied" in err


def test_missing_adapter_is_a_per_file_error(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    from vnconv import documents as adapters

    monkeypatch.setitem(adapters.FORMATS, ".odt", "odt")
    (tree / "x.odt").write_bytes(b"PK")
    code, _, err = run(["convert", str(tree / "x.odt"), str(tree / "a.txt"), "-o", str(tmp_path / "o")],
                       capsysbinary)
    assert code == 1
    assert f"vnconv: {tree / 'x.odt'}: .odt files are not supported yet" in err
    assert (tmp_path / "o" / "a.txt").exists()


def test_directory_where_a_file_is_expected(tree: Path, tmp_path: Path,
                                           capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    task = jobs.Task(0, str(tree), str(tmp_path / "x.txt"), "file", Options())
    outcome = jobs.run_task(task)
    assert outcome.result.error == "is a directory, not a file"
    code, _, err = run(["convert", str(tree / "a.txt"), "-o", str(tree / "sub" / "deeper" / "d.csv" / "x")],
                       capsysbinary)
    assert code == 1 and err.startswith(f"vnconv: {tree / 'a.txt'}: ")


# -- jobs ----------------------------------------------------------------------------------------------------------
def test_jobs_give_the_same_result(tree: Path, tmp_path: Path) -> None:
    for i in range(30):
        (tree / "many" / f"f{i:02d}.txt").parent.mkdir(exist_ok=True)
        (tree / "many" / f"f{i:02d}.txt").write_bytes(TCVN3 * (i + 1))
    p1 = sub(["convert", str(tree), "-o", str(tmp_path / "j1"), "-j", "1", "--report", str(tmp_path / "r1.json")])
    p2 = sub(["convert", str(tree), "-o", str(tmp_path / "j2"), "-j", "2", "--report", str(tmp_path / "r2.json")])
    assert p1.returncode == p2.returncode == 0, p2.stderr
    assert snapshot_bytes(tmp_path / "j1") == snapshot_bytes(tmp_path / "j2")
    r1 = json.loads((tmp_path / "r1.json").read_text())
    r2 = json.loads((tmp_path / "r2.json").read_text())
    assert [f["path"] for f in r1["files"]] == [f["path"] for f in r2["files"]]
    assert r1["summary"] == r2["summary"]


def snapshot_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# -- detect --------------------------------------------------------------------------------------------------------
def test_detect(tree: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(["detect", str(tree)], capsysbinary)
    assert code == 0, err
    lines = out.decode().splitlines()
    assert len(lines) == 4
    assert lines[0].startswith(f"{tree / 'a.txt'}: tcvn3 (raw bytes), confidence ")
    assert lines[1].startswith(f"{tree / 'b.txt'}: utf-8 (no legacy text found)")
    code, out, _ = run(["detect", "--json", str(tree / "sub" / "c.log"), str(tree / "missing")], capsysbinary)
    assert code == 1
    rows = json.loads(out)
    assert rows[0]["encoding"] == "utf-16-le" and rows[0]["form"] and rows[0]["reasons"]
    assert rows[1]["error"] == "No such file or directory"
    code, out, _ = run(["detect", "-"], capsysbinary, stdin=TCVN3, monkeypatch=monkeypatch)
    assert code == 0 and out.decode().startswith("<stdin>: tcvn3")


# -- progress, quiet --------------------------------------------------------------------------------------------------
class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = FakeTTY()
    console = jobs.Console(stream=stream)
    monkeypatch.setenv("TERM", "xterm")
    console = jobs.Console(stream=stream)
    console.files(0, 10, "a.txt")
    console.files(10, 10, "")
    console.bytes(50 << 20, 100 << 20)
    console.error("x.txt", "binary data, not text")
    text = stream.getvalue()
    assert "\r[" in text and "0/10 a.txt" in text and "10/10" in text
    assert "\r\033[K" + "vnconv: x.txt: binary data, not text\n" in text  # the bar is cleared first
    quiet = FakeTTY()
    q = jobs.Console(quiet=True, stream=quiet)
    q.files(1, 10, "a")
    q.warn("a", "w")
    q.error("a", "still shown")
    assert quiet.getvalue() == "vnconv: a: still shown\n"


def test_no_progress_when_stderr_is_not_a_terminal(tree: Path, tmp_path: Path) -> None:
    proc = sub(["convert", str(tree), "-o", str(tmp_path / "o")])
    assert b"\r" not in proc.stderr
    proc = sub(["convert", str(tree), "-o", str(tmp_path / "o2"), "--quiet"])
    assert proc.returncode == 0 and proc.stderr == b""


def test_broken_pipe_is_quiet(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(TCVN3 * 100_000)
    proc = subprocess.run(f"{sys.executable} -m vnconv convert {big} | head -c 10", shell=True, capture_output=True,
                          timeout=120)
    assert proc.stdout == VI_T.encode()[:10] and b"Traceback" not in proc.stderr


# -- Ctrl-C leaves no debris ---------------------------------------------------------------------------------------
def _interrupt_when_temp_appears(args: list[str], watch: Path, big: Path) -> int:
    proc = subprocess.Popen([sys.executable, "-m", "vnconv", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    seen = False
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.name.endswith(".vnconv-tmp") for p in watch.rglob("*")):
            seen = True
            break
        time.sleep(0.002)
    if not seen:
        proc.kill()
        proc.wait()
        pytest.skip("the conversion finished before it could be interrupted")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err, err.decode()
    assert b"interrupted" in err
    return proc.returncode


@pytest.fixture(scope="module")
def big_tcvn3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 50 MB TCVN3 file (CRLF)."""
    path = tmp_path_factory.mktemp("big") / "big-tcvn3.txt"
    line = vnconv.encode("Thực hiện chương trình công tác của Ban Chấp hành, Ban Thường vụ Đảng ủy khối năm 2011; "
                         "được sự đồng ý của Ban Thường vụ Tỉnh ủy Hải Dương.\r\n", "tcvn3")
    block = line * 10_000
    with open(path, "wb") as fh:
        while fh.tell() < 50_000_000:
            fh.write(block)
    return path


def test_ctrl_c_leaves_no_debris(big_tcvn3: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code = _interrupt_when_temp_appears([str(big_tcvn3), "-o", str(out_dir / "x.txt")], out_dir, big_tcvn3)
    assert code == 130
    assert list(out_dir.iterdir()) == []


def test_ctrl_c_in_place_keeps_the_original(big_tcvn3: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    src = work / "x.txt"
    shutil.copyfile(big_tcvn3, src)
    size = src.stat().st_size
    code = _interrupt_when_temp_appears(["convert", "--in-place", str(src)], work, big_tcvn3)
    assert code == 130
    assert [p.name for p in work.iterdir()] == ["x.txt"] and src.stat().st_size == size


def test_ctrl_c_with_jobs(big_tcvn3: Path, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        os.link(big_tcvn3, src / f"f{i}.txt")
    out_dir = tmp_path / "out"
    code = _interrupt_when_temp_appears(["convert", str(src), "-o", str(out_dir), "-j", "2"], tmp_path, big_tcvn3)
    assert code == 130
    time.sleep(0.5)
    assert not list(tmp_path.rglob("*.vnconv-tmp"))
    for p in out_dir.rglob("*.txt"):  # whatever was finished is complete
        assert p.stat().st_size > 50_000_000


# -- big files: bounded memory --------------------------------------------------------------------------------
def _max_rss_mb(args: list[str]) -> tuple[int, float]:
    """Run python -m vnconv ARGS in a fresh parent and return (exit code, the child's peak RSS in MB)."""
    probe = (
        "import resource, subprocess, sys\n"
        "rc = subprocess.run([sys.executable, '-m', 'vnconv', *sys.argv[1:]]).returncode\n"
        "print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, timeout=900)
    rc, kb = proc.stdout.split()
    return int(rc), int(kb) / 1024


@pytest.mark.slow
def test_50mb_file_streams_in_bounded_memory(big_tcvn3: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    rc, rss = _max_rss_mb(["convert", str(big_tcvn3), "-o", str(out)])
    assert rc == 0
    assert rss < 200, f"peak RSS {rss:.0f} MB for a 50 MB file"
    # the output is right (checked piecewise: the test process need not hold it either)
    with open(big_tcvn3, "rb") as fa, open(out, "rb") as fb:
        head = fa.read(1 << 20)
        cut = head.rfind(b"\n") + 1
        assert fb.read(len(vnconv.decode(head[:cut], "tcvn3").encode())) == vnconv.decode(head[:cut], "tcvn3").encode()
    assert out.stat().st_size > big_tcvn3.stat().st_size
    rc, rss_plain = _max_rss_mb(["convert", "--no-repair", str(big_tcvn3), "-o", str(out)])
    assert rc == 0 and rss_plain < 100, f"peak RSS {rss_plain:.0f} MB without repair"


# -- make demo and the real samples ---------------------------------------------------------------------------
def test_make_demo_prints_the_plan_in_vietnamese() -> None:
    proc = sub(["convert", "examples/ke-hoach-60-nam.txt", "-o", "-"], cwd=ROOT)
    assert proc.returncode == 0, proc.stderr.decode()
    text = proc.stdout.decode("utf-8")
    assert "Kế hoạch" in text
    assert "Tổ chức kỷ niệm 60 năm ngày thành lập" in text
    assert "Đảng bộ Khối Các cơ quan tỉnh" in text
    assert "Hải Dương" in text
    assert "¸" not in text and "µ" not in text  # no TCVN3 font text left


TEXT_SAMPLES = (".txt", ".log", ".lua", ".frm", ".cnt", ".csv", ".hpp", ".eml")


def real_text_samples() -> list[Path]:
    if not REAL.exists():
        return []
    return sorted(p for p in REAL.iterdir() if p.suffix in TEXT_SAMPLES)


def test_real_text_samples_convert(tmp_path: Path) -> None:
    samples = real_text_samples()
    if not samples:
        pytest.skip(f"{REAL} is absent")
    assert any(p.name.endswith(".php.txt") for p in samples)
    out_dir = tmp_path / "out"
    code = cli.main(["convert", *map(str, samples), "-o", str(out_dir), "-q", "--report", str(tmp_path / "r.json")])
    assert code == 0
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["summary"]["failed"] == 0
    for p in samples:
        out = out_dir / p.name
        assert out.stat().st_size > 0
        out.read_bytes().decode("utf-8")  # valid UTF-8
    cnt = (out_dir / "tcvn3_raw_unikey-help-contents.cnt").read_bytes().decode()
    assert "Giới thiệu chung" in cnt and "Cách sử dụng UniKey" in cnt
    assert cnt.count("\n") == (REAL / "tcvn3_raw_unikey-help-contents.cnt").read_bytes().count(b"\n")
    log = (out_dir / "tcvn3_raw_huongthu-test_version-history.log").read_bytes()
    assert log.count(b"\r\n") == (REAL / "tcvn3_raw_huongthu-test_version-history.log").read_bytes().count(b"\r\n")


# -- the benchmark script runs (no timing assertions) ------------------------------------------------------------
def test_bench_cli_quick_smoke(tmp_path: Path) -> None:
    import glob

    if len(glob.glob("/usr/share/locale/vi/LC_MESSAGES/*.mo")) < 5:
        pytest.skip("the Vietnamese gettext catalogs (/usr/share/locale/vi) are not installed")
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_cli.py"), "--quick", "--size", "1",
                           "--files", "12", "--data", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    assert "vnconv (auto: detect+repair)" in out and "= vnconv" in out and "DIFFERS" not in out
    assert "goal vnconv peak RSS < 200 MB" in out
    assert "ratio --jobs 2 speed-up over --jobs 1" in out and "outputs identical: True" in out
