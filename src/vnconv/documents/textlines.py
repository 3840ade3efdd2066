"""Pairing the lines that go into repair with the lines that come out: counting changed lines, in bounded
memory whatever a line's length, and a streaming unified diff."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable

from ..charsets.registry import get_codec

__all__ = ["LineCounter", "UnifiedDiff", "cut_lines"]

DiffSink = Callable[[str], None]  #: receives unified-diff text

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)")


def _ended(text: str) -> int:
    """Where the text's last line end ends (0: it has none)."""
    return max(text.rfind("\n"), text.rfind("\r")) + 1




def _cut(text: str) -> int:
    """Where to cut decoded text so that the first part ends with whole lines (0: nowhere)."""
    i = text.rfind("\n")
    if i >= 0:
        return i + 1
    j = text.rfind("\r", 0, len(text) - 1)  # a lone CR (old Mac files), never one that may precede LF
    return j + 1 if j >= 0 else 0


class _Lines:
    """Pairs input lines with repaired lines as both streams advance; counts changed lines and feeds an
    optional unified diff. Repair keeps line ends, so line *i* out is line *i* in."""

    def __init__(self, diff: _UnifiedDiff | None, decoded: str | None = None, long_line: int = 1 << 18) -> None:
        self.long_line = long_line  #: an open line held longer than this is compared and dropped
        self.inp: deque[str] = deque()
        self.out = ""
        self.lines = 0
        self.changed = 0  #: lines whose text is not what the file showed (decoded or repaired)
        self.repaired = 0  #: lines repair changed
        self.diff = diff
        #: the legacy charset the input was decoded from: a line is changed when it differs from its bytes
        #: read as Windows-1252 (how it looked before), which the diff shows
        self.decoded = decoded
        self.looks_changed = _changed_line_pattern(decoded) if decoded else None
        self.mismatch = False
        #: the start of the line still open was compared and dropped (a long line, without a diff): it
        #: differed / it looked changed
        self.open_changed = False
        self.open_looks = False

    def feed_in(self, text: str) -> None:
        self.inp.append(text)

    def feed_out(self, text: str) -> None:
        out = self.out + text if self.out else text
        k = _cut(out)
        if k < len(out) and out[k - 1 : k + 1] == "\r\n":
            k = 0
        if k == 0:
            self.out = out
            self._drop_compared()
            return
        block, self.out = out[:k], out[k:]
        inp = self.inp.popleft() if len(self.inp) == 1 else "".join(self.inp)
        self.inp.clear()
        if (self.diff is None and not (self.open_changed or self.open_looks) and inp.startswith(block)
                and not (len(inp) > k and block[-1] == "\r" and inp[k] == "\n")):
            self.lines += _count_lines(block)
            if self.looks_changed is not None and not block.isascii():
                self.changed += len(self.looks_changed.findall(block))
            if len(inp) > k:
                self.inp.append(inp[k:])
            return
        out_lines = _LINE.findall(block, 0, _ended(block))
        taken = 0
        pos = 0
        in_lines: list[str] = []
        for m in _LINE.finditer(inp, 0, _ended(inp)):
            if taken == len(out_lines):
                break
            if m.end() == len(inp) and inp.endswith("\r"):
                break  # may be half of a CRLF still coming
            in_lines.append(m.group())
            pos = m.end()
            taken += 1
        if taken < len(out_lines):  # the output ran ahead of whole input lines: wait for more input
            self.out = "".join(out_lines[taken:]) + self.out
            out_lines = out_lines[:taken]
        if pos < len(inp):
            self.inp.append(inp[pos:])
        self._compare(in_lines, out_lines)
        self._drop_compared()

    def _drop_compared(self) -> None:
        """A long line open on both sides (no line end yet, no diff to show): compare the start both sides
        hold, remember whether it differed, and drop it, so that a line of any length takes bounded memory."""
        if self.diff is not None or len(self.out) < self.long_line or not self.inp:
            return
        inp = self.inp.popleft() if len(self.inp) == 1 else "".join(self.inp)
        self.inp.clear()
        self.inp.append(inp)
        n = min(len(inp), len(self.out)) - 1  # each side keeps a character: a CR there may precede an LF
        if n <= 0 or _cut(inp) or _cut(self.out):
            return  # the input still holds whole lines the output has not reached
        a = inp[:n]
        if not self.open_changed and a != self.out[:n]:
            self.open_changed = True
        if self.looks_changed is not None and not self.open_looks and not a.isascii():
            self.open_looks = self.looks_changed.search(a) is not None
        self.inp[0] = inp[n:]
        self.out = self.out[n:]

    def _compare(self, in_lines: list[str], out_lines: list[str]) -> None:
        diff = self.diff
        decoded = self.decoded
        for a, b in zip(in_lines, out_lines):
            self.lines += 1
            opened, looked = self.open_changed, self.open_looks
            self.open_changed = self.open_looks = False
            if a != b or opened:
                self.repaired += 1
                self.changed += 1
            elif decoded and (looked or (not a.isascii() and self.looks_changed is not None
                                         and self.looks_changed.search(a))):
                self.changed += 1
            if diff is not None:
                diff.pair(self.lines, self._before(a), b)

    def _before(self, text: str) -> str:
        """How decoded legacy text looked before: its bytes read as Windows-1252 (VIQR: as ASCII)."""
        if not self.decoded or text.isascii():
            return text
        from ..charsets.fonttext import font_text

        return font_text(get_codec(self.decoded).encode(text, "replace"))

    def finish(self) -> None:
        rest_in = _split_all("".join(self.inp))
        rest_out = _split_all(self.out)
        self.inp.clear()
        self.out = ""
        self._compare(rest_in, rest_out)
        extra = abs(len(rest_in) - len(rest_out))
        if extra:
            self.mismatch = True
            self.changed += extra
            self.repaired += extra
            if self.diff is not None:
                for line in rest_in[len(rest_out) :]:
                    self.diff.pair(self.lines + 1, self._before(line), None)
                for line in rest_out[len(rest_in) :]:
                    self.diff.pair(self.lines + 1, None, line)
        if self.diff is not None:
            self.diff.finish()


def _count_lines(text: str) -> int:
    n = text.count("\n")
    cr = text.count("\r")
    if cr and cr != n:  # lone CRs (old Mac line ends) count too
        n += cr - text.count("\r\n")
    return n


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _changed_line_pattern(charset: str) -> re.Pattern[str]:
    """A pattern with one match per line of decoded ``charset`` text that differs from its bytes read as
    Windows-1252: a match starts at a character that is not the Windows-1252 character of its own single
    byte, and runs to the line end."""
    found = _PATTERNS.get(charset)
    if found is None:
        from ..charsets.fonttext import FONT_TABLE

        codec = get_codec(charset)
        same = {chr(i) for i in range(128) if codec.table.decode.get(bytes([i]), chr(i)) == chr(i)}
        same |= {ch for ch, seq in codec.table.encode.items()
                 if len(ch) == 1 and len(seq) == 1 and FONT_TABLE[seq[0]] == ch}
        if charset == "viqr":
            same = {chr(i) for i in range(128)}
        klass = "".join(sorted(same - {"\n"}))
        found = re.compile("[^\n" + re.escape(klass) + "][^\n]*")
        _PATTERNS[charset] = found
    return found


def _split_all(text: str) -> list[str]:
    lines = _LINE.findall(text, 0, _ended(text))
    used = sum(map(len, lines))
    if used < len(text):
        lines.append(text[used:])
    return lines


class _UnifiedDiff:
    """A streaming unified diff of paired lines (line *i* old against line *i* new), 3 lines of context."""

    CONTEXT = 3

    def __init__(self, sink: DiffSink, old_name: str, new_name: str) -> None:
        self.sink = sink
        self.header = f"--- {old_name}\n+++ {new_name}\n"
        self.before: deque[str] = deque(maxlen=self.CONTEXT)  # equal lines before the next hunk
        self.open = False
        self.start = 0  # first line number of the open hunk
        self.lines: list[str] = []
        self.n_old = 0
        self.n_new = 0
        self.tail: list[str] = []  # equal lines after the last change of the open hunk
        self.minus: list[str] = []
        self.plus: list[str] = []

    @staticmethod
    def _show(line: str) -> str:
        if line.endswith("\r\n"):
            return line[:-2] + "\n"
        if line.endswith(("\n", "\r")):
            return line[:-1] + "\n"
        return line + "\n\\ No newline at end of file\n"

    def pair(self, number: int, old: str | None, new: str | None) -> None:
        if old is not None and old == new:
            if not self.open:
                self.before.append(old)
                return
            self._flush_change()
            self.tail.append(old)
            if len(self.tail) > 2 * self.CONTEXT:
                rest = self.tail[self.CONTEXT :]
                self._close()
                self.before.extend(rest)
            return
        if not self.open:
            self.open = True
            self.start = number - len(self.before)
            self.lines = [" " + self._show(x) for x in self.before]
            self.n_old = self.n_new = len(self.before)
            self.before.clear()
        elif self.tail:
            self._flush_change()
            self.lines += [" " + self._show(x) for x in self.tail]
            self.n_old += len(self.tail)
            self.n_new += len(self.tail)
            self.tail = []
        if old is not None:
            self.minus.append("-" + self._show(old))
            self.n_old += 1
        if new is not None:
            self.plus.append("+" + self._show(new))
            self.n_new += 1

    def _flush_change(self) -> None:
        if self.minus or self.plus:
            self.lines += self.minus + self.plus
            self.minus, self.plus = [], []

    def _close(self) -> None:
        self._flush_change()
        keep = self.tail[: self.CONTEXT]
        self.lines += [" " + self._show(x) for x in keep]
        n_old, n_new = self.n_old + len(keep), self.n_new + len(keep)
        if self.header:
            self.sink(self.header)
            self.header = ""
        self.sink(f"@@ -{self.start},{n_old} +{self.start},{n_new} @@\n" + "".join(self.lines))
        self.open = False
        self.lines, self.tail = [], []

    def finish(self) -> None:
        if self.open:
            self._close()


LineCounter = _Lines
UnifiedDiff = _UnifiedDiff
cut_lines = _cut
