"""The command line under hostile input (issue 14): odd file names, a parent killed under -j, read-only
folders, backups that are not ours, outputs that clash, stale temporary files, -o onto an existing file,
paths in the form given."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import vnconv
from vnconv import cli

from conftest import ROOT
from windows import platform  # noqa: F401  (every test twice: POSIX, and Windows simulated)

VI = "Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n"
TCVN3 = vnconv.encode(VI, "tcvn3", "lowercase")
JUNK = bytes(range(256)) * 4
POSIX_NAMES = sys.platform.startswith("linux")  # any byte but / and NUL in a name
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0  # (read before Windows is simulated)


def run(argv: list[str], capsysbinary: pytest.CaptureFixture[bytes]) -> tuple[int, bytes, str]:
    code = cli.main(argv)
    out, err = capsysbinary.readouterr()
    return code, out, err.decode("utf-8", "surrogateescape")


def sub(args: list[str], cwd: Path | None = None, **kw: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "vnconv", *args], cwd=cwd, capture_output=True, timeout=300,
                          **kw)  # type: ignore[call-overload]


# -- names ---------------------------------------------------------------------------------------------------
@pytest.mark.skipif(not POSIX_NAMES, reason="needs a file system that takes any byte in a name")
def test_non_utf8_name_in_report_and_messages(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    good = os.fsdecode(b"caf\xff.txt")
    bad = os.fsdecode(b"h\xe9\xff.bin")
    (src / good).write_bytes(TCVN3)
    (src / bad).write_bytes(JUNK)
    proc = sub(["convert", str(src), "-o", str(tmp_path / "out"), "--report", str(tmp_path / "r.json")])
    err = proc.stderr.decode("utf-8")  # what vnconv writes is always UTF-8 text
    assert proc.returncode == 1 and "Traceback" not in err, err
    assert f"vnconv: '{src}/h\\xe9\\xff.bin': binary data, not text" in err
    assert "1 file converted, 1 failed" in err
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert [f["path"] for f in report["files"]] == [f"{src}/caf\\xff.txt", f"{src}/h\\xe9\\xff.bin"]
    assert report["files"][0]["output"] == f"{tmp_path}/out/caf\\xff.txt"
    assert (tmp_path / "out" / good).read_bytes().decode() == vnconv.decode(TCVN3, "tcvn3")


@pytest.mark.skipif(not POSIX_NAMES, reason="needs a file system that takes a newline in a name")
def test_a_newline_in_a_name_stays_on_one_line(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "x\nvnconv: a.txt: converted").write_bytes(JUNK)
    (src / "tab\there.txt").write_bytes(TCVN3)
    code, _, err = run(["convert", str(src), "-o", str(tmp_path / "out"), "-v"], capsysbinary)
    assert code == 1
    lines = err.splitlines()
    assert f"vnconv: '{src}/x\\nvnconv: a.txt: converted': binary data, not text" in lines, err
    assert not any(line.startswith("vnconv: a.txt") for line in lines)
    assert any(line.startswith(f"'{src}/tab\\there.txt': tcvn3 -> '{tmp_path}/out/tab\\there.txt'")
               for line in lines), err


# -- workers die with their parent ------------------------------------------------------------------------------
def test_workers_stop_when_the_parent_is_killed(tmp_path: Path) -> None:
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("no SIGKILL here")
    font = TCVN3.decode("cp1252", "replace").encode("utf-8") * 5000  # font text: the repair path, ~0.1 s each
    src = tmp_path / "in"
    src.mkdir()
    total = 200
    for i in range(total):
        (src / f"f{i:03d}.txt").write_bytes(font)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "vnconv", "convert", str(src), "-o", str(out), "-j", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not (out.exists() and len(list(out.glob("*.txt"))) >= 4):
        assert proc.poll() is None and time.monotonic() < deadline, "the run ended before it could be killed"
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    # every worker (and the fork server) holds stderr: it closes only when all of them are gone
    proc.communicate(timeout=15)
    written = sorted(out.glob("*.txt"))
    time.sleep(1.0)
    assert sorted(out.glob("*.txt")) == written, "a worker went on writing after its parent died"
    assert len(written) < total // 2
    assert not list(out.glob(".*.vnconv-tmp")), "the conversion in progress left its temporary file"


# -- in place ------------------------------------------------------------------------------------------------
def test_in_place_in_a_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """What mkstemp raises in a folder the user cannot write (simulated: the suite may run as root)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "notes.txt").write_bytes(TCVN3)
    real_mkstemp = tempfile.mkstemp

    def mkstemp(suffix: str | None = None, prefix: str | None = None, dir: str | None = None,
                text: bool = False) -> tuple[int, str]:
        if dir is not None and Path(dir) == folder:
            raise PermissionError(13, "Permission denied", os.path.join(dir, f"{prefix}abcd1234{suffix}"))
        return real_mkstemp(suffix, prefix, dir, text)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    code, _, err = run(["convert", "-i", str(folder / "notes.txt")], capsysbinary)
    assert code == 1
    assert err.splitlines()[0] == (f"vnconv: {folder / 'notes.txt'}: folder not writable: {folder} "
                                   "(Permission denied)"), err
    assert "vnconv-tmp" not in err
    assert (folder / "notes.txt").read_bytes() == TCVN3


def test_in_place_in_a_read_only_folder_as_a_user(tmp_path: Path) -> None:
    if IS_ROOT:
        pytest.skip("root writes in any folder")
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "notes.txt").write_bytes(TCVN3)
    folder.chmod(0o555)
    try:
        proc = sub(["convert", "-i", str(folder / "notes.txt")])
    finally:
        folder.chmod(0o755)
    assert proc.returncode == 1 and b"folder not writable" in proc.stderr


def test_a_users_own_bak_file_is_named_with_the_reason(tmp_path: Path,
                                                       capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "notes").write_bytes(TCVN3)
    (src / "notes.bak").write_bytes(TCVN3)
    code, _, err = run(["convert", str(src), "-o", str(tmp_path / "out"), "-v"], capsysbinary)
    assert code == 0
    assert f"vnconv: {src / 'notes.bak'}: skipped: looks like the backup of notes" in err
    assert "name it on the command line to convert it" in err
    code, _, err = run(["convert", str(src), "-o", str(tmp_path / "out2"), "--report", str(tmp_path / "r.json")],
                       capsysbinary)
    assert "skipped" in err and "1 file" in err
    assert json.loads((tmp_path / "r.json").read_text())["skipped"][0]["path"] == str(src / "notes.bak")
    code, _, err = run(["convert", str(src / "notes.bak"), "-o", str(tmp_path / "one.txt")], capsysbinary)
    assert code == 0 and (tmp_path / "one.txt").read_text() == vnconv.decode(TCVN3, "tcvn3")


def _docx(path: Path) -> None:
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.add_paragraph().add_run("Céng hoµ").font.name = ".VnTime"
    doc.save(str(path))


@pytest.mark.parametrize("mode", ["dir", "inplace"])
def test_a_failing_doc_does_not_refuse_the_docx_of_its_name(tmp_path: Path, mode: str,
                                                           capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "empty.doc").write_bytes(b"")
    _docx(src / "empty.docx")
    argv = ["convert", str(src), "-o", str(tmp_path / "out")] if mode == "dir" else ["convert", "-i", str(src)]
    code, _, err = run(argv, capsysbinary)
    assert code == 1
    target = tmp_path / "out" / "empty.docx" if mode == "dir" else src / "empty.docx"
    assert f"vnconv: {src / 'empty.doc'}: output {target} would overwrite the conversion of " \
           f"{src / 'empty.docx'}" in err, err
    assert f"vnconv: {src / 'empty.docx'}:" not in err
    assert "Cộng hoà" in _docx_text(target)


def _docx_text(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_a_numbered_backup_says_so(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    f = tmp_path / "notes.txt"
    f.write_bytes(TCVN3)
    assert run(["convert", "-i", str(f)], capsysbinary)[0] == 0
    f.write_bytes(TCVN3 + TCVN3)
    code, _, err = run(["convert", "-i", str(f)], capsysbinary)
    assert code == 0
    assert f"vnconv: {f}: warning: backup kept as {f}.bak.1 (notes.txt.bak already exists)" in err
    assert (tmp_path / "notes.txt.bak.1").read_bytes() == TCVN3 + TCVN3


# -- stale temporary files -------------------------------------------------------------------------------------
def killed_pid(proc: subprocess.CompletedProcess[bytes]) -> int:
    return int(proc.stdout)


KILLED_WRITER = """
import os, signal, sys
print(os.getpid(), flush=True)
from pathlib import Path
from vnconv.documents.files import temp_beside
tmp = temp_beside(Path(sys.argv[1]))
tmp.write_bytes(b"half")
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_killed_runs_temporary_file_is_removed_by_the_next(tmp_path: Path) -> None:
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("no SIGKILL here")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "notes.txt").write_bytes(TCVN3)
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(folder / "notes.txt")], capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    (left,) = folder.glob(".notes.txt.*.vnconv-tmp")
    # a temporary file of a process still alive, and a look-alike vnconv did not name, are kept
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        pid, host = re.match(r"\.notes\.txt\.(\d+)-([0-9a-f]+)\.", left.name).groups()  # type: ignore[union-attr]
        assert int(pid) == killed_pid(killed)
        alive = folder / f".notes.txt.{sleeper.pid}-{host}.zzzz1234.vnconv-tmp"
        alive.write_bytes(b"being written")
        other = folder / ".notes.txt.abcdefgh.vnconv-tmp"
        other.write_bytes(b"not named by this vnconv")
        proc = sub(["convert", "-i", str(folder / "notes.txt")])
        assert proc.returncode == 0, proc.stderr
        assert not left.exists()
        assert f"vnconv: removed {folder / left.name}, a temporary file an interrupted run left" in \
            proc.stderr.decode()
        assert alive.exists() and other.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


# -- -o onto an existing file ------------------------------------------------------------------------------------
def test_no_clobber(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    (tmp_path / "a.txt").write_bytes(TCVN3)
    (tmp_path / "b.txt").write_bytes(TCVN3)
    mine = tmp_path / "mine.txt"
    mine.write_bytes(b"my own file\n")
    code, _, err = run(["convert", str(tmp_path / "a.txt"), "-o", str(mine), "--no-clobber"], capsysbinary)
    assert code == 1 and mine.read_bytes() == b"my own file\n"
    assert f"vnconv: {tmp_path / 'a.txt'}: output {mine} exists (--no-clobber: not replaced)" in err
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").write_bytes(b"keep\n")
    code, _, err = run(["convert", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(out),
                        "--no-clobber"], capsysbinary)
    assert code == 1 and (out / "a.txt").read_bytes() == b"keep\n"
    assert (out / "b.txt").read_text() == vnconv.decode(TCVN3, "tcvn3")
    # without it, -o replaces (as before), and --help says which wins
    assert run(["convert", str(tmp_path / "a.txt"), "-o", str(mine)], capsysbinary)[0] == 0
    assert mine.read_text() == vnconv.decode(TCVN3, "tcvn3")
    help_text = sub(["convert", "--help"]).stdout.decode()
    assert "--no-clobber wins over -o" in " ".join(help_text.split())


# -- paths as given ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["file", "dir", "inplace-file", "inplace-dir"])
def test_paths_keep_the_form_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str,
                                   capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(TCVN3)
    given = {"file": ["./in/a.txt", "-o", "./out/"], "dir": ["./in", "-o", "./out"],
             "inplace-file": ["-i", "./in/a.txt"], "inplace-dir": ["-i", "./in"]}[how]
    code, _, err = run(["convert", *given, "--report", "r.json", "-v"], capsysbinary)
    assert code == 0, err
    (entry,) = json.loads((tmp_path / "r.json").read_text())["files"]
    assert entry["path"] == "./in/a.txt"
    if how.startswith("inplace"):
        assert entry["output"] == "./in/a.txt" and entry["details"]["backup"] == "./in/a.txt.bak"
        assert "./in/a.txt: tcvn3 (2 changed) backup ./in/a.txt.bak" in err
    else:
        assert entry["output"] == "./out/a.txt"
        assert "./in/a.txt: tcvn3 -> ./out/a.txt" in err


# -- README ----------------------------------------------------------------------------------------------------
def test_readme_says_what_vnconv_shared_names_and_a_measured_test_time() -> None:
    text = " ".join((ROOT / "README.md").read_text("utf-8").split())
    assert "`VNCONV_SHARED` names the shared folder (`../shared`" in text
    assert "(about 2 minutes)" not in text and "measured" in text.split("`make test` runs the suite")[1][:200]


@pytest.mark.skipif(not POSIX_NAMES, reason="needs a file system that takes a newline in a name")
def test_a_newline_in_a_name_inside_a_cause_stays_on_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    (tmp_path / "a.txt").write_bytes(TCVN3)
    target = tmp_path / "x\nvnconv: fake.txt: converted"

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied", os.fspath(dst))  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", refuse)
    code, _, err = run(["convert", str(tmp_path / "a.txt"), "-o", str(target)], capsysbinary)
    assert code == 1
    (line,) = err.splitlines()
    assert line.startswith(f"vnconv: {tmp_path / 'a.txt'}: ") and "x\\nvnconv: fake.txt: converted" in line


def test_ctrl_c_in_a_finaliser_is_raised_again_in_the_conversion() -> None:
    """A worker's Ctrl-C that lands in a __del__ (seen: regex's Group.__del__ under -j 2) was printed as
    "Exception ignored ... Traceback" and lost; the worker's unraisable hook raises it again in the main
    thread, where the conversion stops and removes its temporary file."""
    import subprocess
    import sys

    code = (
        "import sys, time\n"
        "from vnconv.jobs import run\n"
        "sys.unraisablehook = run._unraisable\n"
        "class A:\n"
        "    def __del__(self): raise KeyboardInterrupt\n"
        "try:\n"
        "    a = A(); del a\n"
        "    time.sleep(2); print('lost')\n"
        "except KeyboardInterrupt:\n"
        "    print('raised again')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "raised again" and "Traceback" not in out.stderr, out.stderr
