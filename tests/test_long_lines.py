"""A text file that is one long line of font text streams through the repair engine in bounded pieces: the
output is what the same text cut into many lines gives, and memory does not grow with the line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import vnconv
from vnconv.documents import Options
from vnconv.documents import text as T


def _font_lines(vi_lines: list[str]) -> list[str]:
    """TCVN3 font text of the catalog lines TCVN3 holds whole (no ASCII-only lines: VIQR reads those
    line by line, so they would read differently cut into a long line)."""
    out = []
    for line in vi_lines:
        if line.isascii() or any(c < " " for c in line):
            continue
        try:
            out.append(vnconv.convert(line, "unicode", "tcvn3"))
        except UnicodeError:
            continue
    return out


def _files(tmp_path: Path, lines: list[str], size: int) -> tuple[Path, Path]:
    many = "\n".join(lines) + "\n"
    many = many * (size // len(many.encode()) + 1)
    many = many[: many.rfind("\n", 0, size) + 1]
    (tmp_path / "many.txt").write_text(many, encoding="utf-8")
    (tmp_path / "one.txt").write_text(many.replace("\n", " "), encoding="utf-8")
    return tmp_path / "many.txt", tmp_path / "one.txt"


def test_one_long_line_reads_as_the_many_lines(tmp_path: Path, vi_lines: list[str]) -> None:
    """A 3 MB line (12 pieces of LONG_LINE) gives what the same words on 25,000 lines give."""
    many, one = _files(tmp_path, _font_lines(vi_lines), 3_000_000)
    T.convert_file(many, tmp_path / "many.out")
    r = T.convert_file(one, tmp_path / "one.out")
    expected = (tmp_path / "many.out").read_text(encoding="utf-8")
    assert expected != many.read_text(encoding="utf-8")  # the font text was repaired
    assert (tmp_path / "one.out").read_text(encoding="utf-8") == expected.replace("\n", " ")
    assert r.charset == "tcvn3" and r.details["lines"] == 1 and r.changed == 1


@pytest.mark.parametrize("crlf", [False, True])
def test_line_counts_across_long_lines(tmp_path: Path, vi_lines: list[str], crlf: bool,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Long lines (cut into pieces) between short ones, changed and unchanged: each counts once."""
    monkeypatch.setattr(T, "LONG_LINE", 500)
    monkeypatch.setattr(T, "CHUNK", 333)
    font = " ".join(_font_lines(vi_lines)[:200])
    plain = "ascii words only " * 200
    rows = [font, "short", plain, font, "Việt Nam", plain]
    end = "\r\n" if crlf else "\n"
    src = tmp_path / "mixed.txt"
    src.write_bytes((end.join(rows) + end).encode())
    r = T.convert_file(src, tmp_path / "out.txt")
    out = (tmp_path / "out.txt").read_bytes().decode().split(end)
    assert out[1:3] == ["short", plain] and out[4:6] == ["Việt Nam", plain]
    assert out[0] == out[3] == vnconv.repair(font)
    assert (r.details["lines"], r.changed) == (6, 2)


_PEAK = """
import json, sys, tracemalloc
from pathlib import Path
from vnconv.documents import text as T
T.dry_run(Path(sys.argv[1]))  # load the tables and the lexicon first: only the conversions are measured
peaks = []
for name in sys.argv[2:]:
    tracemalloc.start()
    r = T.dry_run(Path(name))
    peaks.append((tracemalloc.get_traced_memory()[1], r.details["lines"]))
    tracemalloc.stop()
print(json.dumps(peaks))
"""


def test_long_line_memory_is_bounded(tmp_path: Path, vi_lines: list[str]) -> None:
    """A 4 MB line takes no more memory than the same text on many lines (measured in a child with
    tracemalloc, in the same run; not timed). Before, the whole line went to the engine at once (and was
    held again to count its changes): a 300 MB line took 1.84 GB."""
    lines = _font_lines(vi_lines)
    (tmp_path / "warm").mkdir()
    small, _ = _files(tmp_path / "warm", lines[:50], 10_000)
    many, one = _files(tmp_path, lines, 4_000_000)
    out = subprocess.run([sys.executable, "-c", _PEAK, str(small), str(many), str(one)], capture_output=True,
                         text=True, check=True)
    (many_peak, many_lines), (one_peak, one_lines) = json.loads(out.stdout)
    assert one_lines == 1 and many_lines > 30_000
    assert one_peak <= 1.2 * many_peak, (one_peak, many_peak)


def test_bench_cli_long_line_rows(tmp_path: Path) -> None:
    """benchmarks/bench_cli.py prints the long-line rows and goals (no timing assertions)."""
    from conftest import ROOT

    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_cli.py"), "--quick", "--size", "0.1",
                           "--files", "2", "--long-size", "1", "--data", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    assert re.search(r"# long lines: 1\.\d MB of UTF-8 TCVN3 font text", out), out
    for goal in (r"goal one long line as fast as many lines \(>= 0.8\): \d+\.\d\d (PASS|MISS)",
                 r"goal one long line peak RSS < 100 MB: \d+\.\d (PASS|MISS)",
                 r"words of the one line read otherwise than on many lines: \d+ of [1-9]\d+ "):
        assert re.search(goal, out), (goal, out)
