"""What the user sees on stderr: one line per message, names shown safely, a progress bar on a terminal."""

from __future__ import annotations

import os
import shutil
import sys
import time
from typing import IO

__all__ = ["PROG", "Console", "show", "plain", "one_line", "size_text"]

PROG = "vnconv"

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\", "'": "\\'"}


def plain(name: str) -> str:
    """``name`` as text that can always be written: bytes of a non-UTF-8 file name (kept by Python as lone
    surrogates, ``os.fsdecode``) become ``\\xff`` escapes; everything else is kept."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")


def show(name: str) -> str:
    """``name`` for a message: as given when it is plain printable text, else quoted with escapes
    (``'a\\nb'``, ``'caf\\xff.txt'`` for the byte 0xFF of a non-UTF-8 name), so a name can never break a
    line or look like another message."""
    name = str(name)
    if name.isprintable() and plain(name) == name:
        return name
    out = []
    for ch in name:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, kept by surrogateescape
            out.append(f"\\x{code - 0xDC00:02x}")
        elif not ch.isprintable() or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


def one_line(text: str) -> str:
    """A message that stays one line whatever names it quotes: line breaks and other control characters
    escaped, bytes of a non-UTF-8 name as ``\\xff``."""
    if text.isprintable() and plain(text) == text:
        return text
    return "".join(ch if ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF else show(ch)[1:-1] for ch in text)


def size_text(n: float) -> str:
    """``1536`` -> ``'1.5 KB'``."""
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


class Console:
    """stderr messages, and a one-line progress bar (``\\r``) when stderr is a terminal. Every path given to
    it is shown with :func:`show`."""

    def __init__(self, quiet: bool = False, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        try:
            self.tty = self.stream.isatty() and not quiet and os.environ.get("TERM") != "dumb"
        except (AttributeError, ValueError):
            self.tty = False
        self.shown = False
        self.last = 0.0
        self.files_done = 0
        self.files_total = 0
        self.current = ""

    def _print(self, line: str) -> None:
        self.clear()
        try:
            print(line, file=self.stream, flush=True)
        except UnicodeEncodeError:  # a stderr that cannot take the text (an ASCII locale)
            encoding = getattr(self.stream, "encoding", None) or "ascii"
            print(line.encode(encoding, "backslashreplace").decode(encoding), file=self.stream, flush=True)

    def error(self, path: str, cause: str) -> None:
        self._print(f"{PROG}: {show(path)}: {one_line(cause)}")

    def warn(self, path: str, message: str) -> None:
        if not self.quiet:
            self._print(f"{PROG}: {show(path)}: warning: {one_line(message)}")

    def info(self, message: str) -> None:
        if not self.quiet:
            self._print(message)

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False

    def files(self, done: int, total: int, current: str = "") -> None:
        self.files_done, self.files_total, self.current = done, total, show(current) if current else ""
        self._draw(force=done == total)

    def bytes(self, done: int, total: int) -> None:
        """Progress inside one large file."""
        if total >= 8 << 20:
            self._draw(extra=f" {done * 100 // max(total, 1):3d}% of {size_text(total)}")

    def _draw(self, extra: str = "", force: bool = False) -> None:
        if not self.tty:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.1:
            return
        self.last = now
        width = shutil.get_terminal_size((80, 20)).columns - 1
        total = max(self.files_total, 1)
        bar_w = 20
        filled = bar_w * self.files_done // total
        head = f"[{'#' * filled}{'.' * (bar_w - filled)}] {self.files_done}/{self.files_total}"
        if self.files_total <= 1:
            head = PROG + ":"
        name = self.current
        room = max(0, width - len(head) - len(extra) - 1)
        if len(name) > room:
            name = "…" + name[-(room - 1) :] if room > 1 else ""
        self.stream.write("\r" + f"{head} {name}{extra}"[:width] + "\033[K")
        self.stream.flush()
        self.shown = True
