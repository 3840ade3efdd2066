"""Every write vnconv makes: atomic (temporary file + rename), with the mode a file should have, with
signals held back while a temporary file is created, and backups that are never half-written.

Portable: POSIX modes are set where the OS has them (``os.fchmod`` is missing on Windows before Python
3.13, where ``os.chmod`` on the path does what Windows can); ``os.replace`` renames everywhere.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import socket
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = [
    "TEMP_SUFFIX",
    "atomic_output",
    "file_mode",
    "make_backup",
    "new_file_mode",
    "no_signals",
    "set_mode",
    "temp_beside",
    "temp_prefix",
    "stale_temps",
]

#: every temporary file vnconv creates ends so: ``.NAME.<pid>-<host>.<random>.vnconv-tmp`` beside its target
TEMP_SUFFIX = ".vnconv-tmp"
_HOST = hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]
_OWNER = re.compile(r"\.(?P<pid>\d+)-(?P<host>[0-9a-f]{6})\.[^.]*" + re.escape(TEMP_SUFFIX) + "$")


def temp_prefix(name: str) -> str:
    """The start of a temporary file's name for ``name``: it names the process that owns it (pid and a
    tag of the host), so a later run can tell a file left by a killed run from one being written."""
    return f".{name}.{os.getpid()}-{_HOST}."


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process there; an open file cannot be removed
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: alive, someone else's
        return True
    return True


def stale_temps(folder: Path) -> list[Path]:
    """vnconv's temporary files in ``folder`` whose owner, a process of this host, is gone (a SIGKILL or a
    power cut came before the rename). Files of other hosts (a shared folder) and of live processes are
    not listed. (Windows: a file still being written is open and cannot be removed anyway.)"""
    try:
        names = [n for n in os.listdir(folder) if n.endswith(TEMP_SUFFIX) and n.startswith(".")]
    except OSError:
        return []
    out = []
    for name in sorted(names):
        m = _OWNER.search(name)
        if m and m.group("host") == _HOST and not _alive(int(m.group("pid"))):
            out.append(Path(folder) / name)
    return out


def new_file_mode() -> int:
    """The mode a normal new file gets here (0o666 less the umask; mkstemp alone would give 0o600)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def file_mode(path: Path) -> int | None:
    """The permission bits of ``path``, or None when it does not exist (or cannot be read)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None


def set_mode(fh: IO[Any] | int, path: Path | str, mode: int) -> None:
    """Give an open file ``mode``: through its descriptor where the OS can (POSIX), else through its path."""
    fchmod = getattr(os, "fchmod", None)
    if fchmod is not None:
        fchmod(fh if isinstance(fh, int) else fh.fileno(), mode)
    else:
        with contextlib.suppress(OSError):
            os.chmod(path, mode)


_HELD = ("SIGINT", "SIGTERM")


@contextlib.contextmanager
def no_signals() -> Iterator[None]:
    """Hold SIGINT/SIGTERM back while a temporary file is created and registered: masked where the OS can
    (POSIX), else (Windows) caught by a handler that only notes them; either way a signal that came
    meanwhile is delivered as the block ends, after the caller has the file's name to remove it."""
    sigs = {getattr(signal, n) for n in _HELD if hasattr(signal, n)}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    except (AttributeError, ValueError, OSError):
        old = None
    if old is not None:
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        return
    with _signals_deferred(sigs):
        yield


@contextlib.contextmanager
def _signals_deferred(sigs: set[int]) -> Iterator[None]:
    """The fallback of :func:`no_signals`: Python handlers that note a signal, restored on exit, then the
    noted signal is handed to the handler it was meant for. Only the main thread may set handlers; in
    another thread (where Python never runs signal handlers anyway) nothing needs holding back. A signal
    whose handler was not set from Python (``getsignal`` gives None) cannot be put back, so is left alone."""
    noted: list[tuple[int, Any]] = []
    saved: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in sigs:
            if signal.getsignal(sig) is not None:
                saved[sig] = signal.signal(sig, lambda signum, frame: noted.append((signum, frame)))
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
        if noted:
            signum, frame = noted[0]
            handler = saved[signum]
            if callable(handler):
                handler(signum, frame)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(signum)


def temp_beside(target: Path) -> Path:
    """Create an empty temporary file beside ``target`` (named so vnconv can tell it is its own)."""
    name = ""
    try:
        with no_signals():
            fd, name = tempfile.mkstemp(prefix=temp_prefix(target.name), suffix=TEMP_SUFFIX, dir=target.parent or ".")
            os.close(fd)
    except BaseException:  # a Ctrl-C held back is delivered as the mask lifts: the file must not stay
        if name:
            with contextlib.suppress(OSError):
                os.unlink(name)
        raise
    return Path(name)


@contextlib.contextmanager
def atomic_output(dst: Path, mode: str = "wb", file_mode_: int | None = None) -> Iterator[IO[Any]]:
    """Write ``dst`` through a temporary file in the same folder, renamed into place only on success:
    an error or Ctrl-C leaves neither a partial ``dst`` nor a temporary file behind.

    The new ``dst`` keeps the mode of the file it replaces, or gets a new file's mode (``file_mode_`` wins)."""
    dst = Path(dst)
    want = file_mode_ if file_mode_ is not None else file_mode(dst)
    if want is None:
        want = new_file_mode()
    tmp, fd = "", -1
    try:
        # Ctrl-C is held back while the file is created; one that came meanwhile arrives as the mask lifts,
        # inside this try, so the file is removed
        with no_signals():
            fd, tmp = tempfile.mkstemp(prefix=temp_prefix(dst.name), suffix=TEMP_SUFFIX, dir=dst.parent or ".")
        set_mode(fd, tmp, want)
        fh = os.fdopen(fd, mode)
        fd = -1  # the file object owns it now
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dst)
    except BaseException:
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise


def make_backup(path: Path) -> Path:
    """Keep ``path`` as ``path.bak`` (``.bak.1``, ``.bak.2`` … when that exists): a hard link to the
    original, so nothing is copied and nothing is ever half-written; a copy where links are not possible."""
    n = 0
    while True:
        bak = path.with_name(path.name + (".bak" if n == 0 else f".bak.{n}"))
        try:
            os.link(path, bak)
            return bak
        except FileExistsError:
            n += 1
            continue
        except (OSError, AttributeError, NotImplementedError):
            pass
        if os.path.lexists(bak):
            n += 1
            continue
        tmp = temp_beside(bak)
        try:
            with open(tmp, "wb") as out, open(path, "rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
            shutil.copystat(path, tmp)
            if os.path.lexists(bak):
                raise FileExistsError(bak)
            os.replace(tmp, bak)
            return bak
        except FileExistsError:
            os.unlink(tmp)
            n += 1
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
