"""Legacy binary Office files: Word 97–2003 ``.doc`` → ``.docx``, Excel 97–2003 ``.xls`` → ``.xlsx``.

LibreOffice (headless) turns the binary file into Office Open XML; the .docx/.xlsx adapters then repair the
text and rename the fonts. The output keeps the input's name with the new extension (``x.doc`` → ``x.docx``).

Each LibreOffice run gets

* its own profile directory (``-env:UserInstallation=file:///tmp/…``), so conversions can run in parallel
  (``--jobs N``) and never touch, or wait for, the user's own LibreOffice;
* its own temporary folder (``TMPDIR``, ``HOME``), removed afterwards whatever happened;
* a timeout (``Options.timeout``, default 300 s): on expiry the whole process group is killed (on Windows,
  where there are no POSIX process groups, its process tree and then the process), the file fails with a
  clear message and the batch goes on.

LibreOffice is found through ``$VNCONV_SOFFICE``, PATH, or where it installs itself (Windows: Program Files,
Program Files (x86), LOCALAPPDATA; macOS: /Applications/LibreOffice.app).

What LibreOffice does on the way (checked with LibreOffice 7.4; see docs/documents.md):

* text: a ``.doc``/``.xls`` stores legacy text as the Windows-1252 characters of its bytes (``Céng hoµ``);
  LibreOffice keeps those characters and the legacy font names (``.VnTime``, ``VNI-Times``) as they are;
* TCVN3 ``ư`` is byte 0xAD, the soft hyphen. In a ``.doc`` (stored as 0xAD, or as Word's optional hyphen
  0x1F) LibreOffice reads it as a soft hyphen and writes ``<w:softHyphen/>`` into the .docx, which the
  .docx adapter turns back into ``ư`` inside TCVN3 runs. In an ``.xls`` it stays U+00AD in the cell text.
"""

from __future__ import annotations

import contextlib
import glob
import ntpath
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ..errors import DocumentError
from . import Options, Result, adapter_for

__all__ = ["convert_file", "detect_file", "to_ooxml", "check_input", "find_soffice", "output_suffix", "INSTALL_HINT"]

#: input extension -> (output extension, LibreOffice filter, Debian package)
TARGETS = {
    ".doc": (".docx", "docx:MS Word 2007 XML", "libreoffice-writer-nogui"),
    ".xls": (".xlsx", "xlsx:Calc Office Open XML", "libreoffice-calc-nogui"),
}
INSTALL_HINT = "apt-get install --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui"


def output_suffix(path: Path) -> str:
    """The extension a converted file gets: ``.doc`` → ``.docx``, ``.xls`` → ``.xlsx``."""
    return TARGETS[path.suffix.lower()][0]


def _install_places() -> list[str]:
    """Where LibreOffice installs ``soffice`` when it is not on PATH: on Windows under Program Files (64-
    and 32-bit) or a per-user install in LOCALAPPDATA; on macOS in /Applications; elsewhere /usr/lib, /opt."""
    if sys.platform == "win32":
        roots = [os.environ.get(name) for name in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")]
        roots += [r"C:\Program Files", r"C:\Program Files (x86)"]
        places = [ntpath.join(root, "LibreOffice", "program", "soffice.exe") for root in roots if root]
        local = os.environ.get("LOCALAPPDATA")
        if local:
            places.append(ntpath.join(local, "Programs", "LibreOffice", "program", "soffice.exe"))
        return list(dict.fromkeys(places))
    if sys.platform == "darwin":
        return ["/Applications/LibreOffice.app/Contents/MacOS/soffice",
                os.path.expanduser("~/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    return ["/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
            *sorted(glob.glob("/opt/libreoffice*/program/soffice"), reverse=True)]


def find_soffice() -> str | None:
    """The LibreOffice executable: ``$VNCONV_SOFFICE``, else ``soffice`` / ``libreoffice`` on PATH, else
    the places LibreOffice installs itself on Windows, macOS and Linux."""
    env = os.environ.get("VNCONV_SOFFICE")
    if env:
        return env if os.path.isfile(env) and os.access(env, os.X_OK) else shutil.which(env)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _install_places():
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _own_group() -> dict[str, Any]:
    """Popen arguments that give LibreOffice a process group of its own (a new session on POSIX, a new
    process group on Windows), so that a timeout can kill it with its helpers."""
    if hasattr(os, "killpg"):
        return {"start_new_session": True}
    return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}


def _kill_helpers(proc: subprocess.Popen[bytes]) -> None:
    """Kill what is left of LibreOffice's process group: its group where the OS has them (POSIX); on
    Windows its process tree (``taskkill /T``), then the process itself."""
    killpg = getattr(os, "killpg", None)
    if killpg is not None:
        with contextlib.suppress(OSError):  # ProcessLookupError, PermissionError: already gone
            killpg(proc.pid, getattr(signal, "SIGKILL", signal.SIGTERM))
        return
    if proc.poll() is None:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=30)
        with contextlib.suppress(OSError):
            proc.kill()


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    _kill_helpers(proc)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_KIND = {".doc": ("a", "Word 97-2003 document"), ".xls": ("an", "Excel 97-2003 workbook")}


def check_input(src: Path) -> str:
    """What kind of file ``src`` is ("ole2", "rtf", "zip", "markup", "text"); DocumentError for an empty
    file, a truncated compound file or binary data LibreOffice would only import as garbage text."""
    try:
        with open(src, "rb") as fh:
            head = fh.read(8192)
            size = fh.seek(0, 2)
    except OSError as exc:
        raise DocumentError(str(src), exc.strerror or str(exc)) from None
    article, kind = _KIND.get(src.suffix.lower(), ("a", "file"))
    if not head:
        raise DocumentError(str(src), "empty file")
    if head.startswith(_OLE2):
        # a compound file: a 512-byte header, little-endian mark, 512- or 4096-byte sectors
        if size < 1024 or head[28:30] != b"\xfe\xff" or head[30:32] not in (b"\x09\x00", b"\x0c\x00"):
            raise DocumentError(str(src), f"corrupt {kind}: truncated or damaged compound file header")
        return "ole2"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if stripped.startswith(b"<") or head.startswith((b"\xff\xfe<", b"\xfe\xff\x00<")):
        return "markup"  # HTML / XML saved with a .doc or .xls name: LibreOffice reads those
    if b"\x00" not in head:
        controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
        if controls <= len(head) // 100:
            return "text"  # CSV / text exported with an .xls name
    raise DocumentError(str(src), f"not {article} {kind}: unrecognised binary data (corrupt or not an Office file)")


def to_ooxml(src: Path, workdir: Path, timeout: float) -> Path:
    """Convert ``src`` (.doc/.xls) with LibreOffice into ``workdir``; returns the .docx/.xlsx written there.

    Raises :class:`DocumentError` when LibreOffice is missing, times out or cannot read the file."""
    src = Path(src)
    suffix = src.suffix.lower()
    if suffix not in TARGETS:
        raise DocumentError(str(src), f"not a .doc or .xls file ({suffix or 'no extension'})")
    out_ext, filt, package = TARGETS[suffix]
    soffice = find_soffice()
    if soffice is None:
        raise DocumentError(
            str(src),
            f"converting {suffix} files needs LibreOffice, which is not installed; install it with "
            f"`apt-get install {package}` (Debian/Ubuntu: {INSTALL_HINT}), or set VNCONV_SOFFICE",
        )
    if not src.is_file():
        raise DocumentError(str(src), "no such file" if not src.exists() else "not a regular file")
    if not os.access(src, os.R_OK):
        raise DocumentError(str(src), "permission denied")
    check_input(src)
    # a private copy with a plain name: LibreOffice derives the output name from it, and odd names
    # (leading '-', non-UTF-8 bytes, spaces) never reach its command line
    inp = workdir / f"input{suffix}"
    try:
        shutil.copyfile(src, inp)
    except OSError as exc:
        raise DocumentError(str(src), exc.strerror or str(exc)) from None
    outdir = workdir / "out"
    outdir.mkdir()
    cmd, env = _command(soffice, filt, inp, outdir, workdir)
    returncode, stdout, stderr = _run(cmd, env, workdir, src, timeout)
    return _output(outdir / f"input{out_ext}", src, returncode, stdout, stderr)


def _command(soffice: str, filt: str, inp: Path, outdir: Path, workdir: Path) -> tuple[list[str], dict[str, str]]:
    """The LibreOffice command line and its environment: a private profile, HOME and temp folder in
    ``workdir``, no display."""
    profile = workdir / "profile"
    tmp = workdir / "tmp"
    tmp.mkdir()
    env = dict(os.environ)
    env.update({"HOME": str(workdir), "TMPDIR": str(tmp), "TMP": str(tmp), "TEMP": str(tmp)})
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--invisible",
        "--nologo",
        "--nodefault",
        "--nofirststartwizard",
        "--nolockcheck",
        "--norestore",
        "--convert-to",
        filt,
        "--outdir",
        str(outdir),
        str(inp),
    ]
    return cmd, env


def _run(cmd: list[str], env: dict[str, str], workdir: Path, src: Path,
         timeout: float) -> tuple[int | None, bytes, bytes]:
    """Run LibreOffice in its own process group; on a timeout or an interrupt it and its helpers are
    killed. Returns its exit status, stdout and stderr."""
    try:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=workdir,
            env=env,
            **_own_group(),  # its own process group: a timeout kills LibreOffice and its children
        )
    except OSError as exc:
        raise DocumentError(str(src), f"cannot run LibreOffice ({cmd[0]}): {exc.strerror or exc}") from None
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise DocumentError(str(src), f"LibreOffice did not finish within {timeout:g} s (killed)") from None
    except BaseException:  # Ctrl-C: leave no LibreOffice behind
        _kill_group(proc)
        raise
    finally:
        _kill_helpers(proc)  # a converter that forked a helper and exited: the helpers go too
    return proc.returncode, stdout, stderr


def _output(out: Path, src: Path, returncode: int | None, stdout: bytes | None, stderr: bytes | None) -> Path:
    """``out`` when LibreOffice wrote it; else DocumentError with the last lines LibreOffice printed."""
    if returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        message = (stderr or b"").decode("utf-8", "replace") + (stdout or b"").decode("utf-8", "replace")
        lines = [
            line.strip()
            for line in message.splitlines()
            if line.strip() and "javaldx" not in line and not line.startswith("convert ")
        ]
        detail = "; ".join(lines[-3:]) if lines else f"exit status {returncode}, no output"
        raise DocumentError(str(src), f"LibreOffice could not convert it ({detail})")
    return out


def _workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="vnconv-lo-"))


def _finish(result: Result, src: Path, dst: Path | None, seconds: float) -> Result:
    result.path = str(src)
    result.format = src.suffix.lower().lstrip(".")
    result.output = str(dst) if dst is not None else None
    result.details["via"] = "libreoffice"
    result.details["libreoffice_seconds"] = round(seconds, 3)
    return result


def convert_file(src: Path, dst: Path, options: Options) -> Result:
    """Convert ``src`` (.doc/.xls) to ``dst`` (.docx/.xlsx: the caller picks the name, normally
    ``src.with_suffix(output_suffix(src))``)."""
    src, dst = Path(src), Path(dst)
    work = _workdir()
    try:
        started = time.monotonic()
        ooxml = to_ooxml(src, work, options.timeout)
        seconds = time.monotonic() - started
        adapter = adapter_for(ooxml)
        try:
            result = adapter.convert_file(ooxml, dst, options)
        except DocumentError as exc:  # name the user's file, not the temporary one
            raise DocumentError(str(src), exc.cause) from None
        return _finish(result, src, dst, seconds)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def detect_file(src: Path, options: Options) -> Result:
    """What ``src`` holds (LibreOffice converts it into a temporary folder; nothing is written beside it)."""
    src = Path(src)
    work = _workdir()
    try:
        started = time.monotonic()
        ooxml = to_ooxml(src, work, options.timeout)
        seconds = time.monotonic() - started
        try:
            result = adapter_for(ooxml).detect_file(ooxml, options)
        except DocumentError as exc:
            raise DocumentError(str(src), exc.cause) from None
        return _finish(result, src, None, seconds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
