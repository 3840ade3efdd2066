"""Windows, simulated (no Windows machine here): what the CLI does with a file another program holds open,
with ``\\`` paths, and without the POSIX-only calls. (tests/test_cli.py and tests/test_cli_hostile.py run
whole twice, the second time with Windows simulated: see tests/windows.py.)"""

from __future__ import annotations

import ntpath
import os
import subprocess
import sys
from pathlib import Path

import pytest

import vnconv
from vnconv import cli
from vnconv.jobs import plan, run

from windows import platform  # noqa: F401

VI = "Cộng hoà xã hội chủ nghĩa Việt Nam\n"
TCVN3 = vnconv.encode(VI, "tcvn3", "lowercase")
HELD = "The process cannot access the file because it is being used by another process"


def _hold(monkeypatch: pytest.MonkeyPatch, held: Path) -> None:
    """What Windows does when a program (Word, Excel, an editor) holds ``held`` open: it cannot be
    replaced, removed or renamed."""
    real_replace, real_unlink = os.replace, os.unlink

    def replace(src: object, dst: object, **kw: object) -> None:
        if Path(os.fspath(dst)) == held or Path(os.fspath(src)) == held:  # type: ignore[arg-type]
            raise PermissionError(13, HELD, os.fspath(dst))  # type: ignore[arg-type]
        real_replace(src, dst, **kw)  # type: ignore[arg-type]

    def unlink(path: object, **kw: object) -> None:
        if Path(os.fspath(path)) == held:  # type: ignore[arg-type]
            raise PermissionError(13, HELD, os.fspath(path))  # type: ignore[arg-type]
        real_unlink(path, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "unlink", unlink)


@pytest.mark.parametrize("how", ["in-place", "-o"])
def test_a_file_held_open_fails_alone_and_nothing_is_lost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsysbinary: pytest.CaptureFixture[bytes],
                                                          how: str) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(TCVN3)
    (src / "b.txt").write_bytes(TCVN3)
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").write_bytes(b"open in an editor\n")
    held = src / "a.txt" if how == "in-place" else out / "a.txt"
    _hold(monkeypatch, held)
    argv = ["convert", "-i", str(src)] if how == "in-place" else ["convert", str(src), "-o", str(out)]
    code = cli.main(argv)
    err = capsysbinary.readouterr()[1].decode()
    assert code == 1
    (line,) = [x for x in err.splitlines() if x.startswith(f"vnconv: {src / 'a.txt'}: ")]
    assert line.endswith(HELD) and (how == "in-place" or f"cannot write {held}: " in line), err
    assert held.read_bytes() == (TCVN3 if how == "in-place" else b"open in an editor\n")
    b_out = src / "b.txt" if how == "in-place" else out / "b.txt"
    assert b_out.read_text("utf-8") == VI  # the batch went on
    assert not list(tmp_path.rglob("*.vnconv-tmp"))


def test_backslash_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Planning with Windows paths: names are cut at ``\\``, and an output folder may end with ``\\``."""
    monkeypatch.setattr(plan.os, "path", ntpath)
    monkeypatch.setattr(plan.os, "sep", "\\")
    assert plan.with_name("C:\\Users\\lan\\bao cao.doc", "bao cao.docx") == "C:\\Users\\lan\\bao cao.docx"
    assert plan.with_name(".\\in\\a.txt", "a.txt") == ".\\in\\a.txt"
    assert plan.output_name("bao cao.DOC") == "bao cao.docx"
    assert plan.format_of("C:\\x\\y.XLSX") == "xlsx"
    assert ntpath.relpath("C:\\in\\sub\\a.txt", "C:\\in").replace(plan.os.sep, "/") == "sub/a.txt"


def test_backslash_output_folder_is_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan.os, "sep", "\\")
    (tmp_path / "a.txt").write_bytes(TCVN3)
    req = plan.Request(paths=[str(tmp_path / "a.txt")], output=str(tmp_path / "new") + "\\")
    (task,) = plan.plan_tasks(req).tasks
    assert task.dst == os.path.join(str(tmp_path / "new") + "\\", "a.txt")


def test_workers_start_by_spawn_without_fork(platform: str) -> None:
    assert run.start_method() == ("spawn" if platform == "windows" or not sys.platform.startswith("linux")
                                  else "forkserver")


def test_a_whole_run_without_posix_calls(tmp_path: Path, platform: str) -> None:
    """A subprocess, Windows simulated in it and in its spawned workers: a batch in place with backups."""
    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        (src / f"f{i}.txt").write_bytes(TCVN3)
    proc = subprocess.run([sys.executable, "-m", "vnconv", "convert", "-i", str(src), "-j", "2"],
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert b"Traceback" not in proc.stderr
    assert all((src / f"f{i}.txt").read_text("utf-8") == VI for i in range(4))
    assert all((src / f"f{i}.txt.bak").read_bytes() == TCVN3 for i in range(4))
    if platform == "windows":
        probe = subprocess.run([sys.executable, "-c", "import os; print(hasattr(os, 'fchmod'))"],
                               capture_output=True, text=True)
        assert probe.stdout.strip() == "False"  # the simulation reached the subprocess


@pytest.mark.parametrize("make", ["atomic_output", "temp_beside"])
def test_ctrl_c_as_the_temp_file_is_created_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           make: str) -> None:
    """Ctrl-C in the instant after mkstemp made the file and before its name is known to the caller (what
    `convert --in-place` on Windows hit: no signal mask there, so the file stayed behind)."""
    import signal
    import tempfile

    from vnconv.documents import files

    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args: object, **kw: object) -> tuple[int, str]:
        made = real_mkstemp(*args, **kw)  # type: ignore[call-overload]
        signal.raise_signal(signal.SIGINT)
        for _ in range(3):  # a loop's backward jump runs pending Python handlers: here, before the return
            pass
        return made  # type: ignore[no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    target = tmp_path / "x.txt"
    before = signal.signal(signal.SIGINT, signal.default_int_handler)  # whatever an earlier test installed
    try:
        with pytest.raises(KeyboardInterrupt):
            if make == "atomic_output":
                with files.atomic_output(target) as fh:
                    fh.write(b"never written")
            else:
                files.temp_beside(target)
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the noting handler is gone
    finally:
        signal.signal(signal.SIGINT, before)
    assert list(tmp_path.iterdir()) == []


def test_temp_files_made_in_a_worker_thread(tmp_path: Path) -> None:
    """Off the main thread no handler can be set (Windows, simulated: no signal mask either): temp files
    are still made and removed, and the main thread's SIGINT handler is untouched."""
    import signal
    import threading

    from vnconv.documents import files

    before = signal.getsignal(signal.SIGINT)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            files.temp_beside(tmp_path / "a.txt").unlink()
            with files.atomic_output(tmp_path / "b.txt") as fh:
                fh.write(b"ok")
        except BaseException as exc:  # noqa: BLE001  (reported to the test below)
            errors.append(exc)

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert errors == []
    assert [p.name for p in tmp_path.iterdir()] == ["b.txt"] and (tmp_path / "b.txt").read_bytes() == b"ok"
    assert signal.getsignal(signal.SIGINT) is before
