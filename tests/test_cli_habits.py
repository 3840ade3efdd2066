"""What users expect from a command named vnconv (issue 12): a bare pipe converts, iconv's flags work,
--help shows each command with an example, a batch ends with a summary table."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import vnconv
from vnconv import cli

from windows import platform  # noqa: F401  (every test twice: POSIX, and Windows simulated)

VI = "Cộng hoà xã hội chủ nghĩa Việt Nam\nHải Dương, ngày 04 tháng 11 năm 2011\n"
TCVN3 = vnconv.encode(VI, "tcvn3", "lowercase")
VNI = vnconv.encode(VI, "vni")
TEXT = vnconv.decode(TCVN3, "tcvn3")


def sub(args: list[str], input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "vnconv", *args], input=input, capture_output=True, timeout=300)


@pytest.mark.parametrize("data,expected", [
    (TCVN3, TEXT),  # raw TCVN3 bytes
    (VNI, VI),  # raw VNI bytes
    (TCVN3.decode("cp1252", "replace").encode("utf-8"), TEXT),  # TCVN3 font text saved as UTF-8: repaired
    (VI.encode("utf-16"), "\ufeff" + VI),  # UTF-16 with a BOM: to UTF-8 (with its BOM, see docs/cli.md)
])
def test_a_bare_pipe_detects_converts_and_repairs_to_utf8(data: bytes, expected: str) -> None:
    proc = sub([], input=data)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8") == expected
    assert all(": warning: " in line for line in proc.stderr.decode().splitlines()), proc.stderr


def test_a_bare_command_at_a_terminal_is_a_usage_error(monkeypatch: pytest.MonkeyPatch,
                                                      capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    assert cli.main([]) == 2
    assert "give a command" in capsysbinary.readouterr()[1].decode()


def test_version_usage_and_silent(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    for flag in ("-V", "--version"):
        assert cli.main([flag]) == 0
        assert capsysbinary.readouterr()[0].decode().strip() == f"vnconv {vnconv.__version__}"
    assert cli.main(["--usage"]) == 0
    usage = capsysbinary.readouterr()[0].decode()
    assert usage.startswith("usage: vnconv") and "vnconv convert PATH" in usage and "vnconv < in > out" in usage
    assert len(usage.splitlines()) <= 5
    (tmp_path / "a.txt").write_bytes(TCVN3)
    (tmp_path / "b.txt").write_bytes(TCVN3)
    for flag in ("-s", "--silent"):
        code = cli.main(["-f", "tcvn3", flag, str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o",
                         str(tmp_path / "o")])
        out, err = capsysbinary.readouterr()
        assert code == 0 and err == b""  # no summary: silent like iconv -s
    code = cli.main(["-s", "-f", "tcvn3", str(tmp_path / "missing.txt")])
    assert code == 1 and b"missing.txt: No such file" in capsysbinary.readouterr()[1]  # errors still show


def test_help_lists_every_command_with_an_example() -> None:
    proc = sub(["--help"])
    assert proc.returncode == 0
    text = proc.stdout.decode()
    for command in cli.COMMANDS:
        assert any(x.strip().startswith(command + " ") and f"vnconv {command}" in x for x in text.splitlines()), text
    assert "vnconv < old.txt > new.txt" in text


def test_a_batch_ends_with_a_summary_table(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "big.txt").write_bytes(TCVN3 * 6)
    (src / "vni.txt").write_bytes(VNI)
    (src / "plain.txt").write_bytes(b"nothing to do here\n")
    (src / "junk.bin").write_bytes(bytes(range(256)) * 4)
    for i in range(5):
        (src / f"s{i}.txt").write_bytes(TCVN3)
    code = cli.main(["convert", str(src), "-o", str(tmp_path / "out"), "--report", str(tmp_path / "r.json")])
    err = capsysbinary.readouterr()[1].decode()
    assert code == 1
    report = json.loads((tmp_path / "r.json").read_text())
    changed = report["summary"]["changed"]
    lines = err.splitlines()
    at = lines.index(f"vnconv: 8 files converted, 1 failed; {changed} pieces of text changed")
    table = lines[at + 1:]
    assert table[:3] == ["  converted          7 files", "  unchanged          1 file", "  failed             1 file"]
    by = {f["charset"]: 0 for f in report["files"] if f["charset"]}
    for f in report["files"]:
        if f["charset"] and not f["error"]:
            by[f["charset"]] += f["changed"]
    assert table[3] == "  changed by charset (lines and other pieces of text): " + ", ".join(
        f"{k} {v}" for k, v in sorted(by.items(), key=lambda kv: (-kv[1], kv[0])))
    assert table[4] == "  biggest changes:"
    biggest = table[5:]
    assert len(biggest) == 5 and biggest[0].split() == ["12", str(src / "big.txt"), "(tcvn3)"]
    sizes = [int(x.split()[0]) for x in biggest]
    assert sizes == sorted(sizes, reverse=True)


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_script(shell: str, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    pytest.importorskip("shtab")
    assert cli.main(["--completion", shell]) == 0
    script = capsysbinary.readouterr()[0].decode()
    assert "--no-clobber" in script and "convert" in script and "detect" in script
    if shell == "bash":
        bash = subprocess.run(["bash", "-n"], input=script.encode(), capture_output=True)
        assert bash.returncode == 0, bash.stderr  # a script bash can read


def test_manpage(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    pytest.importorskip("argparse_manpage")
    assert cli.main(["--manpage"]) == 0
    page = capsysbinary.readouterr()[0].decode()
    assert page.startswith('.TH VNCONV "1"') and "no\\-clobber" in page and vnconv.__version__ in page


def test_shell_extras_are_optional(monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    monkeypatch.setitem(sys.modules, "shtab", None)  # not installed
    monkeypatch.setitem(sys.modules, "argparse_manpage", None)
    monkeypatch.setitem(sys.modules, "argparse_manpage.manpage", None)
    assert cli.main(["--completion", "bash"]) == 2
    assert "--completion needs shtab: pip install 'vnconv[shell]'" in capsysbinary.readouterr()[1].decode()
    assert cli.main(["--manpage"]) == 2
    assert "--manpage needs argparse-manpage: pip install" in capsysbinary.readouterr()[1].decode()


def test_the_summary_counts_words_from_the_engines_record(tmp_path: Path,
                                                          capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """Documents keep the engine's Fix records: the summary counts the words changed, by charset."""
    from test_pipelines import PARAGRAPHS, make_docx

    import vnconv

    src = tmp_path / "in"
    src.mkdir()
    make_docx(src / "a.docx", PARAGRAPHS)
    make_docx(src / "b.docx", PARAGRAPHS[:1])
    assert cli.main(["convert", str(src), "-o", str(tmp_path / "out")]) == 0
    err = capsysbinary.readouterr()[1].decode().splitlines()
    doc = vnconv.read_document(src / "a.docx")
    words = sum(a != b for c in doc.changes for a, b in zip(c.before.split(), c.after.split()))
    words += sum(a != b for a, b in zip(doc.changes[0].before.split(), doc.changes[0].after.split()))
    assert f"  changed by charset (words): tcvn3 {words}" in err, err
