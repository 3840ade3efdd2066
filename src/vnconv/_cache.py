"""Compiled tables kept on disk between processes, as CPython keeps compiled modules in ``__pycache__``.

Building the engine's lookup structures (the syllable inventory in every case, the word frequencies and pairs,
the lost-letter maps) is most of a cold start. :func:`cached` writes each one, once built, to the user's cache
folder in CPython's ``marshal`` format (that of .pyc files: dicts, sets, tuples, strings and numbers, read back
at C speed) and later processes read it from there. An entry holds the key it was made under: the Python
version and the size and modification time of every module and table file vnconv is made of, so any change
to vnconv builds it again; an entry that cannot be read, or was made under another key, is built again and
replaced. Writing goes to a temporary file renamed into place, so processes that start together never read a
half-written entry. Where the folder cannot be written (a read-only home, a locked-down office PC), tables
are built in memory as before, with no message.

The folder: ``VNCONV_CACHE_DIR`` when set (``off`` turns the cache off); otherwise ``%LOCALAPPDATA%\\vnconv\\Cache``
on Windows, ``~/Library/Caches/vnconv`` on macOS, ``$XDG_CACHE_HOME/vnconv`` or ``~/.cache/vnconv`` elsewhere.
The folder is the user's own, as ``__pycache__`` is: its files are trusted like .pyc files.
"""

from __future__ import annotations

import functools
import marshal
import os
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ._data import table_dir

__all__ = ["cached", "folder"]

T = TypeVar("T")

_FORMAT = "vnconv-tables-1"  #: changes when an entry's layout does
_OFF = frozenset({"", "0", "off", "no", "false", "none"})


def folder() -> Path | None:
    """The cache folder, or None when the cache is off (``VNCONV_CACHE_DIR=off``) or no home is known."""
    env = os.environ.get("VNCONV_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in _OFF else Path(env)
    try:
        if sys.platform == "win32":
            local = os.environ.get("LOCALAPPDATA")
            return Path(local) / "vnconv" / "Cache" if local else Path.home() / "AppData" / "Local" / "vnconv" / "Cache"
        if sys.platform == "darwin":
            return Path.home() / "Library" / "Caches" / "vnconv"
        xdg = os.environ.get("XDG_CACHE_HOME")
        return Path(xdg) / "vnconv" if xdg and os.path.isabs(xdg) else Path.home() / ".cache" / "vnconv"
    except (RuntimeError, KeyError, OSError):  # no home directory to be found
        return None


@functools.cache
def _key() -> str:
    """What an entry must have been made under: Python's version and every source file's size and time."""
    parts = [_FORMAT, sys.version, str(marshal.version)]
    for root, python_only in ((os.path.dirname(os.path.abspath(__file__)), True), (str(table_dir()), False)):
        parts += sorted(_stats(root, "", python_only))
    return "\n".join(parts)


def _stats(below: str, prefix: str, python_only: bool) -> list[str]:
    """``path:size:mtime`` of each file below the folder ``below`` (of each module when ``python_only``), with
    os.scandir (the file times come with the listing on Windows; pathlib's rglob took 3 times as long)."""
    out: list[str] = []
    with os.scandir(below) as entries:
        for e in entries:
            if e.is_dir():
                if e.name != "__pycache__":
                    out += _stats(e.path, f"{prefix}{e.name}/", python_only)
            elif not python_only or e.name.endswith(".py"):
                st = e.stat()
                out.append(f"{prefix}{e.name}:{st.st_size}:{st.st_mtime_ns}")
    return out


def cached(name: str, build: Callable[[], T]) -> T:
    """The value ``build()`` returns, read from the cache folder when an entry made under the current key is
    there, else built and written there. ``name``: the entry's file name (ASCII letters, digits, ``-``); the
    value: what marshal can hold (dicts, sets, frozensets, tuples, lists, str, float, int, None)."""
    where = folder()
    if where is None:
        return build()
    key = _key()
    path = where / f"{name}-{zlib.crc32(key.encode()):08x}.marshal"
    try:
        with open(path, "rb") as f:
            entry = marshal.loads(f.read())  # (marshal.load on a file reads it in small pieces: 20x slower)
        if type(entry) is tuple and len(entry) == 3 and entry[0] == key and entry[1] == name:
            return entry[2]  # type: ignore[no-any-return]
    except (OSError, EOFError, ValueError, TypeError):
        pass  # not there, unreadable or not marshal: built again below
    value = build()
    _write(where, name, path, (key, name, value))
    return value


def _write(where: Path, name: str, path: Path, entry: object) -> None:
    """Write ``entry`` to ``path`` through a temporary file renamed into place; remove the entries of ``name``
    made under other keys. Any failure leaves the cache as it was."""
    import tempfile  # (only when writing: its import costs start-up time)

    try:
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=f".{name}-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(marshal.dumps(entry))
        os.replace(tmp, path)
    except (OSError, ValueError):
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return
    for old in where.glob(f"{name}-*.marshal"):
        if old != path:
            try:
                old.unlink()
            except OSError:
                pass  # another process may be reading it (Windows): left for a later start
