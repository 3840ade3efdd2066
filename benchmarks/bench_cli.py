#!/usr/bin/env python3
"""The `vnconv` command line, whole process, against glibc `iconv` and GNU `recode` on the same file.

    python benchmarks/bench_cli.py            # a 200 MB TCVN3 file (3 rounds) and a batch of 1,000 small files
    python benchmarks/bench_cli.py --quick    # smoke run: 20 MB, 200 files, one round

Corpus: the translated lines of the Vietnamese gettext catalogs (/usr/share/locale/vi/LC_MESSAGES/*.mo, read
with gettext), encoded in TCVN3 (a capital TCVN3 lacks is written lowercase, as .VnTimeH users did). Only
lines whose bytes glibc's TCVN5712-1 and recode's TCVN read exactly as vnconv's tcvn3 does are kept (VN1
puts capitals in 0x80–0x9F, where TCVN3 has punctuation), so the three tools must write the same UTF-8; the
run checks that they do. The files are cached in benchmarks/_data/ (git-ignored).

Every command is a whole process (interpreter start-up included) reading the file and writing UTF-8 to a
file on the same disk; time is wall-clock, best of the rounds, and peak RSS comes from wait4(). The
commands run interleaved, round after round, so that a noisy machine hits them alike:

* ``vnconv convert FILE > out``: the default, ``-f auto``: detect, decode, repair (what users run);
* ``vnconv convert -f tcvn3 --no-repair FILE > out``: transcoding only, what iconv does;
* ``vnconv convert FILE -o out``: the default through the atomic writer (temporary file, fsync, rename);
* ``vnconv convert -v FILE > out``: the default, counting the changed lines it then reports (a single file
  without ``-v``, ``--report`` or ``--dry-run`` shows no count and skips it);
* ``iconv -f TCVN5712-1 -t UTF-8 FILE > out`` and ``recode TCVN..UTF-8 < FILE > out``.

Long lines (``--long-size`` MB, default 200): the corpus as UTF-8 *font text* (each TCVN3 byte its
Windows-1252 character, as a .txt saved from a .VnTime document holds it), once as its many lines and once
as one single line (every CRLF a space); ``vnconv convert FILE > out`` on both, interleaved, and the ratio of
their speeds in the same run (the single line must stream in pieces as fast, in bounded memory, and read as
the many lines do).

The batch: --files small files (1–16 KB; TCVN3, VNI, UTF-8 holding TCVN3 font text, Unicode) in nested
folders, ``vnconv convert DIR -o OUT`` with ``--jobs 1`` and ``--jobs 2``.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import platform
import random
import shutil
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import vnconv  # noqa: E402
from _corpus import catalog_lines  # noqa: E402

RSS_LIMIT_MB = 200


# -- corpus ----------------------------------------------------------------------------------------------------
def tool_table(cmd: list[str], stdin: bool = False) -> dict[int, str] | None:
    """How a whole-process tool decodes each byte 0x80-0xFF (one per line); None if it is missing."""
    if shutil.which(cmd[0]) is None:
        return None
    data = b"".join(bytes([b]) + b"\n" for b in range(0x80, 0x100))
    try:
        if stdin:
            out = subprocess.run(cmd, input=data, capture_output=True, timeout=60).stdout
        else:
            tmp = ROOT / "benchmarks" / "_data" / "bytes.bin"
            tmp.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            out = subprocess.run([*cmd, str(tmp)], capture_output=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    rows = out.decode("utf-8", "replace").split("\n")
    return {0x80 + i: unicodedata.normalize("NFC", row) for i, row in enumerate(rows[:128])}


def corpus_unit(lines: list[str]) -> bytes:
    """TCVN3 bytes of the catalog lines that every tool decodes as vnconv does (CRLF line ends)."""
    ours = {b: vnconv.decode(bytes([b]), "tcvn3", "replace") for b in range(0x80, 0x100)}
    bad = set()
    for table in (tool_table(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"]),
                  tool_table(["recode", "TCVN..UTF-8"], stdin=True)):
        if table is not None:
            bad |= {b for b in range(0x80, 0x100) if table.get(b) != ours[b]}
    bad |= {b for b in range(0x80, 0x100) if ours[b] == "\ufffd"}
    keep = []
    for line in lines:
        data = vnconv.encode(line, "tcvn3", "lowercase") if _encodable(line) else None
        if data is not None and not any(b in bad for b in data):
            keep.append(data)
    random.Random(1952).shuffle(keep)
    return b"\r\n".join(keep) + b"\r\n"


def _encodable(line: str) -> bool:
    try:
        vnconv.encode(line, "tcvn3", "lowercase")
        return True
    except UnicodeEncodeError:
        return False


def big_file(unit: bytes, size_mb: float, data_dir: Path) -> Path:
    digest = hashlib.sha256(unit).hexdigest()[:12]
    path = data_dir / f"cli-tcvn3-{size_mb:g}MB-{digest}.txt"
    target = int(size_mb * 1_000_000)
    if path.exists() and path.stat().st_size >= target:
        return path
    data_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    with open(tmp, "wb") as fh:
        written = 0
        while written < target:
            fh.write(unit)
            written += len(unit)
    os.replace(tmp, path)
    return path


def small_files(unit: bytes, count: int, data_dir: Path) -> Path:
    """``count`` files of 1-16 KB in nested folders: TCVN3, VNI, UTF-8 font text, Unicode."""
    root = data_dir / f"cli-batch-{count}-{hashlib.sha256(unit).hexdigest()[:12]}"
    if root.exists() and sum(1 for _ in root.rglob("*.txt")) == count:
        return root
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(2012)
    lines = unit.split(b"\r\n")
    for i in range(count):
        want = rng.randint(1_000, 16_000)
        start = rng.randrange(0, max(1, len(lines) - 400))
        chunk: list[bytes] = []
        size = 0
        for raw in lines[start:]:
            chunk.append(raw)
            size += len(raw) + 2
            if size >= want:
                break
        tcvn3 = b"\r\n".join(chunk) + b"\r\n"
        text = vnconv.decode(tcvn3, "tcvn3")
        kind = i % 4
        if kind == 0:
            data = tcvn3
        elif kind == 1:
            data = vnconv.encode(text, "vni", "replace")
        elif kind == 2:
            data = vnconv.convert(text, "unicode", "tcvn3", "replace").encode("utf-8")
        else:
            data = text.encode("utf-8")
        path = root / f"d{i % 10}" / f"d{i % 7}" / f"f{i:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


# -- running --------------------------------------------------------------------------------------------------------
def run_once(cmd: list[str], stdin: Path | None, stdout: Path | None) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) and exit code of one whole process."""
    fin = open(stdin, "rb") if stdin else subprocess.DEVNULL
    fout = open(stdout, "wb") if stdout else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=fin, stdout=fout, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read() if proc.stderr else b""
    finally:
        if stdin:
            fin.close()  # type: ignore[union-attr]
        if stdout:
            fout.close()  # type: ignore[union-attr]
    if proc.returncode != 0:
        sys.stderr.write(f"{cmd[0]} exited {proc.returncode}: {err.decode(errors='replace')[-500:]}\n")
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def font_text_files(unit: bytes, size_mb: float, data_dir: Path) -> tuple[Path, Path]:
    """The corpus as UTF-8 font text, ``size_mb`` MB: on its many (CRLF) lines, and as one single line."""
    from vnconv.charsets.fonttext import font_text

    text = font_text(unit).encode("utf-8")
    digest = hashlib.sha256(unit).hexdigest()[:12]
    many = data_dir / f"cli-font-lines-{size_mb:g}MB-{digest}.txt"
    one = data_dir / f"cli-font-one-line-{size_mb:g}MB-{digest}.txt"
    target = int(size_mb * 1_000_000)
    if not (many.exists() and one.exists() and many.stat().st_size >= target):
        with open(many.with_suffix(".part"), "wb") as fa, open(one.with_suffix(".part"), "wb") as fb:
            written = 0
            while written < target:
                fa.write(text)
                fb.write(text.replace(b"\r\n", b" "))
                written += len(text)
        os.replace(many.with_suffix(".part"), many)
        os.replace(one.with_suffix(".part"), one)
    return many, one


def _words(path: Path, crlf_as_space: bool) -> Iterator[bytes]:
    """The space-separated words of a file, read in blocks (CRLF read as a space when asked)."""
    with open(path, "rb") as fh:
        carry = b""
        while True:
            block = fh.read(1 << 20)
            data = carry + block
            if crlf_as_space:
                keep = 1 if data.endswith(b"\r") and block else 0
                data, cr = data[: len(data) - keep], data[len(data) - keep :]
                data = data.replace(b"\r\n", b" ")
            else:
                cr = b""
            if not block:
                yield from data.split(b" ")
                return
            k = data.rfind(b" ") + 1
            yield from data[: max(0, k - 1)].split(b" ") if k else ()
            carry = data[k:] + cr


def words_differing(many_out: Path, one_out: Path) -> tuple[int, int]:
    """How many words of the single line's output differ from the many lines' output (CRLF as a space),
    and how many words there are (-1: the outputs do not have the same words)."""
    differ = total = 0
    for a, b in itertools.zip_longest(_words(many_out, True), _words(one_out, False)):
        if a is None or b is None:
            return differ, -1
        total += 1
        differ += a != b
    return differ, total


def long_lines(vn: list[str], unit: bytes, size_mb: float, rounds: int, data_dir: Path, out_dir: Path) -> None:
    """Rows for one long line of font text beside the same text on many lines, measured in the same run."""
    many, one = font_text_files(unit, size_mb, data_dir)
    mb = one.stat().st_size / 1e6
    print()
    n_lines = unit.count(b"\n") * round(mb * 1e6 / len(unit))
    print(f"# long lines: {mb:.1f} MB of UTF-8 TCVN3 font text, about {n_lines} lines in {many.name}, "
          f"one line in {one.name}")
    runs = {"many lines": (many, out_dir / "font-many.txt"), "one line": (one, out_dir / "font-one.txt")}
    best: dict[str, float] = {}
    peak: dict[str, float] = {}
    failed: set[str] = set()
    for _ in range(rounds):
        for name, (src, dst) in runs.items():
            secs, rss, code = run_once([*vn, "convert", str(src)], None, dst)
            if code != 0:
                failed.add(name)
            best[name] = min(best.get(name, secs), secs)
            peak[name] = max(peak.get(name, 0.0), rss)
    differ, words = words_differing(runs["many lines"][1], runs["one line"][1]) if not failed else (0, -1)
    print(f"{'vnconv convert FILE > out':34} {'seconds':>8} {'MB/s':>8} {'peak RSS MB':>12}")
    speed = {}
    for name, (src, _) in runs.items():
        speed[name] = src.stat().st_size / 1e6 / best[name]
        print(f"{name:34} {best[name]:8.2f} {speed[name]:8.1f} {peak[name]:12.1f}"
              f"{'  failed' if name in failed else ''}")
    ratio = speed["one line"] / speed["many lines"]
    print(f"ratio one-line MB/s / many-lines MB/s: {ratio:.2f}")
    print(f"words of the one line read otherwise than on many lines: {differ} of {words} "
          f"({100 * differ / max(1, words):.4f} %; ASCII lines read as VIQR line by line, a line's own context)")
    print(f"goal one long line as fast as many lines (>= 0.8): {ratio:.2f} {'PASS' if ratio >= 0.8 else 'MISS'}")
    print(f"goal one long line peak RSS < 100 MB: {peak['one line']:.1f} {'PASS' if peak['one line'] < 100 else 'MISS'}")


def vnconv_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("vnconv")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "vnconv"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smoke run: 20 MB, 200 files, one round")
    ap.add_argument("--size", type=float, help="MB of the TCVN3 file (default 200; --quick 20)")
    ap.add_argument("--files", type=int, help="small files in the batch (default 1000; --quick 200)")
    ap.add_argument("--long-size", type=float, help="MB of the font-text files, many lines and one line "
                    "(default 200; --quick 2; 0 skips them)")
    ap.add_argument("--rounds", type=int, help="interleaved rounds, best of each (default 3; --quick 1)")
    ap.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "_data", help="cache folder")
    args = ap.parse_args(argv)
    size = args.size or (20 if args.quick else 200)
    count = args.files or (200 if args.quick else 1000)
    rounds = args.rounds or (1 if args.quick else 3)
    data_dir: Path = args.data
    data_dir.mkdir(parents=True, exist_ok=True)

    lines = catalog_lines()
    if len(lines) < 1000:
        print("the Vietnamese gettext catalogs are not installed (/usr/share/locale/vi); nothing to measure")
        return 1
    unit = corpus_unit(lines)
    src = big_file(unit, size, data_dir)
    mb = src.stat().st_size / 1e6
    out_dir = data_dir / "cli-out"
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir()
    vn = vnconv_cmd()
    print(f"# bench_cli: {platform.python_implementation()} {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs; {time.strftime('%Y-%m-%d %H:%M')}")
    n_lines = unit.count(b"\n")
    print(f"# file: {src.name}, {mb:.1f} MB of TCVN3 ({len(unit) / 1e6:.2f} MB corpus unit, "
          f"{n_lines} lines), {rounds} round(s)")

    runs: dict[str, tuple[list[str], Path | None, Path]] = {
        "vnconv (auto: detect+repair)": ([*vn, "convert", str(src)], None, out_dir / "vnconv-auto.txt"),
        "vnconv -f tcvn3 --no-repair": ([*vn, "convert", "-f", "tcvn3", "--no-repair", str(src)], None,
                                        out_dir / "vnconv-plain.txt"),
        "vnconv -o FILE (atomic, fsync)": ([*vn, "convert", str(src), "-o", str(out_dir / "vnconv-o.txt")], None,
                                           out_dir / "vnconv-o.stdout"),
        "vnconv -v (counts changed lines)": ([*vn, "convert", "-v", str(src)], None, out_dir / "vnconv-v.txt"),
    }
    if shutil.which("iconv"):
        runs["iconv -f TCVN5712-1 -t UTF-8"] = (["iconv", "-f", "TCVN5712-1", "-t", "UTF-8", str(src)], None,
                                                out_dir / "iconv.txt")
    if shutil.which("recode"):
        runs["recode TCVN..UTF-8"] = (["recode", "TCVN..UTF-8"], src, out_dir / "recode.txt")
    best: dict[str, float] = {}
    peak: dict[str, float] = {}
    failed: set[str] = set()
    for _ in range(rounds):
        for name, (cmd, stdin, stdout) in runs.items():
            secs, rss, code = run_once(cmd, stdin, stdout)
            if code != 0:
                failed.add(name)
            best[name] = min(best.get(name, secs), secs)
            peak[name] = max(peak.get(name, 0.0), rss)

    outputs = {name: (out_dir / "vnconv-o.txt" if "-o FILE" in name else runs[name][2]) for name in runs}
    digests = {name: sha(path) for name, path in outputs.items() if path.exists()}
    reference = digests.get("vnconv -f tcvn3 --no-repair")
    print()
    print(f"{'command':34} {'seconds':>8} {'MB/s':>8} {'peak RSS MB':>12}  output")
    for name in runs:
        same = "failed" if name in failed else ("= vnconv" if digests.get(name) == reference else "DIFFERS")
        print(f"{name:34} {best[name]:8.2f} {mb / best[name]:8.1f} {peak[name]:12.1f}  {same}")
    print()
    ratios = []
    auto = best["vnconv (auto: detect+repair)"]
    plain = best["vnconv -f tcvn3 --no-repair"]
    for tool in ("iconv -f TCVN5712-1 -t UTF-8", "recode TCVN..UTF-8"):
        if tool in best:
            ratios.append((tool, auto / best[tool], plain / best[tool]))
            print(f"ratio vnconv auto / {tool.split()[0]}: {auto / best[tool]:6.2f}   "
                  f"vnconv --no-repair / {tool.split()[0]}: {plain / best[tool]:6.2f}   (time; < 1 is faster)")
    for tool, r_auto, r_plain in ratios[:1]:
        print(f"goal vnconv auto not slower than iconv: {r_auto:.2f} {'PASS' if r_auto <= 1.0 else 'MISS'}")
        print(f"goal vnconv --no-repair not slower than iconv: {r_plain:.2f} {'PASS' if r_plain <= 1.0 else 'MISS'}")
    worst = max(v for k, v in peak.items() if k.startswith("vnconv"))
    verdict = "PASS" if worst < RSS_LIMIT_MB else "MISS"
    print(f"goal vnconv peak RSS < {RSS_LIMIT_MB} MB on {mb:.0f} MB: {worst:.1f} {verdict}")

    long_size = args.long_size if args.long_size is not None else (2 if args.quick else 200)
    if long_size > 0:
        long_lines(vn, unit, long_size, rounds, data_dir, out_dir)

    # -- batch of small files -------------------------------------------------------------------------------
    batch = small_files(unit, count, data_dir)
    total_mb = sum(p.stat().st_size for p in batch.rglob("*.txt")) / 1e6
    print()
    print(f"# batch: {count} files, {total_mb:.1f} MB in {batch.name}/")
    times: dict[int, float] = {}
    rss: dict[int, float] = {}
    for _ in range(rounds):
        for jobs in (1, 2):
            target = out_dir / f"batch-j{jobs}"
            shutil.rmtree(target, ignore_errors=True)
            secs, peak_mb, code = run_once([*vn, "convert", str(batch), "-o", str(target), "-q", "--jobs", str(jobs)],
                                           None, None)
            if code != 0:
                print(f"vnconv --jobs {jobs} exited {code}")
            times[jobs] = min(times.get(jobs, secs), secs)
            rss[jobs] = max(rss.get(jobs, 0.0), peak_mb)
    for jobs in (1, 2):
        print(f"vnconv DIR -o OUT --jobs {jobs}: {times[jobs]:7.2f} s  {count / times[jobs]:7.1f} files/s  "
              f"peak RSS (parent) {rss[jobs]:.1f} MB")
    same = all((out_dir / "batch-j1" / p.relative_to(batch)).read_bytes()
               == (out_dir / "batch-j2" / p.relative_to(batch)).read_bytes() for p in batch.rglob("*.txt"))
    speedup = times[1] / times[2]
    print(f"ratio --jobs 2 speed-up over --jobs 1: {speedup:.2f}x (outputs identical: {same})")
    print(f"goal --jobs 2 faster than --jobs 1: {speedup:.2f} {'PASS' if speedup > 1.0 else 'MISS'}")
    shutil.rmtree(out_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
