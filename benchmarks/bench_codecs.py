#!/usr/bin/env python3
"""Throughput of vnconv's codecs against CPython's own C codec, glibc iconv and GNU recode.

    python benchmarks/bench_codecs.py            # what `make bench` runs: 8 MB per charset, 1 GiB stream
    python benchmarks/bench_codecs.py --quick    # smoke run: small corpus, small stream, one round

Corpus: the Vietnamese gettext catalogs of the system (/usr/share/locale/vi/LC_MESSAGES/*.mo, read with
gettext.GNUTranslations): every translated line made of ASCII, Vietnamese letters and common punctuation,
repeated until the TCVN3 file holds --size MB. Each charset gets that text encoded in it (a capital the
charset lacks is written lowercase, as .VnTimeH users did; anything else it lacks becomes "?"). The files
are cached in benchmarks/_data/ (git-ignored) and fed to the whole-process tools.

Every number is MB (10^6 bytes) of the *legacy file* per second, whatever the direction: decode reads those
bytes, encode writes them, convert reads them as font text (one character per byte). The yardstick is
CPython's C codec on the same bytes, `data.decode("cp1258")`, timed in the same run, interleaved with the
vnconv calls, so that a noisy machine hits both alike. Calls are made on blocks of --block bytes cut at line
ends (one call on the whole file with --block 0: one-shot calls on many megabytes are dominated by how malloc
gets fresh pages, which is noise, not codec speed). Each block is timed on its own, yardstick and vnconv in
turn on the same block, --rounds times; an operation's time is the sum over the blocks of each block's best.
"""

from __future__ import annotations

import argparse
import codecs
import datetime
import gc
import hashlib
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import vnconv  # noqa: E402
from vnconv.charsets.fonttext import font_text  # noqa: E402
from vnconv.language.letters import LETTERS  # noqa: E402
from vnconv.charsets.registry import get_codec  # noqa: E402
from _corpus import LOCALE, catalog_lines  # noqa: E402

#: Punctuation kept in the corpus besides ASCII: what Vietnamese UI text and documents use.
PUNCT = "\u201c\u201d\u2018\u2019\u2013\u2014\u2026\u2022\u00ab\u00bb\u00b0\u00b1\u00d7\u00b7\u00a0"
ALLOWED = frozenset(chr(c) for c in range(0x20, 0x7F)) | frozenset("\t") | LETTERS | frozenset(PUNCT)
GOALS = [  # (charset, operation, minimum ratio to cp1258 decode of the same bytes) — issue "Core transcoder"
    ("tcvn3", "decode", 0.8),
    ("tcvn3", "encode", 0.5),
    ("tcvn3", "convert", 0.4),
    ("vni", "decode", 0.1),
]
STREAM_LIMIT_MB = 100


def _cp1258_undefined() -> bytes:
    """Bytes CPython's cp1258 leaves undefined: a file holding them cannot be its own yardstick."""
    out = []
    for b in range(256):
        try:
            bytes([b]).decode("cp1258")
        except UnicodeDecodeError:
            out.append(b)
    return bytes(out)


CP1258_UNDEFINED = _cp1258_undefined()


# -- corpus ------------------------------------------------------------------------------------------------
def catalog_text() -> str:
    """Every translated line of the Vietnamese gettext catalogs made of allowed characters (NFC)."""
    lines = catalog_lines(lambda line: bool(line.strip()) and all(c in ALLOWED for c in line))
    if len(lines) < 1000:
        sys.exit(f"bench_codecs: the Vietnamese catalogs ({LOCALE}) are missing or too small")
    return "\n".join(lines) + "\n"


def _register_fallback(name: str) -> str:
    """An encode error handler for ``name``: a capital the charset lacks becomes lowercase, anything else '?'."""
    codec = get_codec(name)

    def handler(exc: UnicodeError) -> tuple[str, int]:
        assert isinstance(exc, UnicodeEncodeError)
        ch = exc.object[exc.start]
        low = ch.lower()
        return (low if low != ch and codec.can_encode(low) else "?"), exc.start + 1

    handler_name = f"vnconv-bench.{name}"
    codecs.register_error(handler_name, handler)
    return handler_name


def _cached(data_dir: Path, prefix: str, key: str, suffix: str) -> Path:
    """``data_dir/<prefix><key><suffix>``, after deleting the files of that prefix with another key or size."""
    path = data_dir / f"{prefix}{key}{suffix}"
    stale = re.compile(re.escape(prefix) + r"[0-9a-f]{12}(-x\d+)?\.bin$")
    for old in data_dir.glob(f"{prefix}*.bin"):
        if old != path and stale.match(old.name):
            old.unlink()
    return path


def legacy_unit(text: str, name: str, data_dir: Path) -> tuple[bytes, str]:
    """``text`` encoded in charset ``name`` (cached: the VIQR writer is slow), and the cache key."""
    key = hashlib.sha1(text.encode("utf-8") + (ROOT / "tables" / f"{name}.tsv").read_bytes()).hexdigest()[:12]
    path = _cached(data_dir, f"unit-{name}-", key, ".bin")
    if path.exists():
        return path.read_bytes(), key
    data = vnconv.encode(text, name, _register_fallback(name))
    path.write_bytes(data)
    return data, key


def legacy_file(unit: bytes, key: str, name: str, reps: int, data_dir: Path) -> Path:
    """The benchmark file of charset ``name``: ``unit`` repeated ``reps`` times (cached)."""
    path = _cached(data_dir, f"file-{name}-", key, f"-x{reps}.bin")
    if not path.exists() or path.stat().st_size != len(unit) * reps:
        path.write_bytes(unit * reps)
    return path


def blocks(data: bytes, size: int) -> list[bytes]:
    """``data`` cut into pieces of about ``size`` bytes, each ending at a line end."""
    if size <= 0:
        return [data]
    out = []
    pos = 0
    while pos < len(data):
        end = data.find(b"\n", pos + size)
        end = len(data) if end < 0 else end + 1
        out.append(data[pos:end])
        pos = end
    return out


# -- timing ------------------------------------------------------------------------------------------------
def interleaved(jobs: dict[str, tuple[Callable[[Any], object], list[Any]]], rounds: int) -> dict[str, float]:
    """Time of each job (a function and the blocks it is applied to): each block is timed on its own, the jobs
    in turn on the same block index, ``rounds`` times; a job's time is the sum over its blocks of the best
    time of each block. A burst of load from elsewhere then spoils one block of one round, not a whole run."""
    best = {key: [math.inf] * len(items) for key, (_func, items) in jobs.items()}
    clock = time.perf_counter
    for _ in range(rounds):
        for index in range(max(len(items) for _func, items in jobs.values())):
            for key, (func, items) in jobs.items():
                if index >= len(items):
                    continue
                item = items[index]
                gc.disable()
                try:
                    t0 = clock()
                    func(item)
                    elapsed = clock() - t0
                finally:
                    gc.enable()
                if elapsed < best[key][index]:
                    best[key][index] = elapsed
    return {key: sum(times) for key, times in best.items()}


def time_process(cmd: list[str], stdin_path: Path | None, rounds: int, budget: float = 10.0) -> tuple[float, str]:
    """Best wall time of a whole process (start-up included) over up to ``rounds`` runs; stdout is discarded."""
    best = math.inf
    note = ""
    spent = 0.0
    for _ in range(rounds):
        fh = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
        try:
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, stdin=fh, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=child_env())
            elapsed = time.perf_counter() - t0
        finally:
            if stdin_path:
                fh.close()
        if proc.returncode != 0:
            note = f"exit {proc.returncode}: {proc.stderr.decode(errors='replace').strip()[:60]}"
        best = min(best, elapsed)
        spent += elapsed
        if spent > budget:
            break
    return best, note


VNCONV_PROCESS = (
    "import sys, vnconv\n"
    "data = open(sys.argv[1], 'rb').read()\n"
    "sys.stdout.buffer.write(vnconv.decode(data, sys.argv[2]).encode('utf-8'))\n"
)
CPYTHON_PROCESS = (
    "import sys\n"
    "data = open(sys.argv[1], 'rb').read()\n"
    "sys.stdout.buffer.write(data.decode('cp1258', 'replace').encode('utf-8'))\n"
)
STREAM_CALLS = {"open": 'open(path, encoding="tcvn3").read(1 MiB)', "iterdecode": 'codecs.iterdecode(1 MiB chunks, "tcvn3")'}
STREAM_CHILD = r"""
import codecs, sys, time
import vnconv
path, mode, chunk = sys.argv[1], sys.argv[2], int(sys.argv[3])
n = 0
t0 = time.perf_counter()
if mode == "open":
    with open(path, encoding="tcvn3") as fh:
        while True:
            text = fh.read(chunk)
            if not text:
                break
            n += len(text)
else:
    def pieces():
        with open(path, "rb") as fh:
            while True:
                data = fh.read(chunk)
                if not data:
                    return
                yield data
    for text in codecs.iterdecode(pieces(), "tcvn3"):
        n += len(text)
elapsed = time.perf_counter() - t0
peak = None
try:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
except OSError:
    pass
if peak is None:
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(n, elapsed, peak)
"""


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


# -- report ------------------------------------------------------------------------------------------------
def machine_note() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), cpu)
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"{datetime.date.today().isoformat()}, {cpu}, {os.cpu_count()} cores (load {load}), "
        f"{platform.system()} {platform.release()}, CPython {platform.python_version()}"
    )


def fmt_ratio(value: float) -> str:
    return f"{value:6.3f}" if value < 10 else f"{value:6.1f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smoke run: small corpus and stream, one round")
    ap.add_argument("--size", type=float, help="MB of TCVN3 text per charset file (default 8; --quick 0.5)")
    ap.add_argument("--rounds", type=int, help="interleaved rounds, best of each (default 5; --quick 1)")
    ap.add_argument("--block", type=int, default=1 << 20, help="bytes per call (0: one call per file)")
    ap.add_argument("--viqr-size", type=float, help="MB of VIQR timed in process (default 1; --quick 0.05)")
    ap.add_argument("--stream-size", type=float, help="MiB of the streaming file (default 1024; --quick 8)")
    ap.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "_data", help="cache folder")
    ap.add_argument("--charsets", help="comma-separated subset (default: all)")
    args = ap.parse_args(argv)
    size = args.size if args.size is not None else (0.5 if args.quick else 8.0)
    rounds = args.rounds if args.rounds is not None else (1 if args.quick else 5)
    viqr_size = args.viqr_size if args.viqr_size is not None else (0.05 if args.quick else 1.0)
    stream_size = args.stream_size if args.stream_size is not None else (8.0 if args.quick else 1024.0)
    proc_rounds = 1 if args.quick else 3
    data_dir: Path = args.data
    data_dir.mkdir(parents=True, exist_ok=True)
    names = args.charsets.split(",") if args.charsets else vnconv.charsets()
    names = [n for n in names if n != "tcvn3"]
    names.insert(0, "tcvn3")  # first: its yardstick stands in for files that cp1258 cannot decode

    print("vnconv codec benchmark —", machine_note())
    text = catalog_text()
    if len(text) > size * 1e6:  # a small run (--quick): the first lines only
        text = text[: text.find("\n", int(size * 1e6)) + 1] or text
    units = {name: legacy_unit(text, name, data_dir) for name in names}
    unit = {name: data for name, (data, _key) in units.items()}
    reps = max(1, math.ceil(size * 1e6 / len(unit["tcvn3"])))
    files = {name: legacy_file(data, key, name, reps, data_dir) for name, (data, key) in units.items()}
    print(
        f"corpus: {len(text):,} characters of the Vietnamese gettext catalogs, repeated {reps}x; "
        f"TCVN3 file {len(unit['tcvn3']) * reps / 1e6:.2f} MB; "
        f"calls on {f'{args.block / (1 << 20):g} MiB blocks' if args.block else 'whole files'}; "
        f"best of {rounds} interleaved rounds"
    )
    print("MB/s = 10^6 bytes of the legacy file per second; ratio = that / CPython's cp1258 decode of the same bytes")
    if args.quick:
        print("quick run: a smoke test, too small and too short for the numbers to mean anything")
    print()
    header = f"{'charset':<11} {'file MB':>7} {'cp1258':>8}" + "".join(
        f" | {op:>7} {'ratio':>6}" for op in ("decode", "encode", "convert")
    )
    print(header)
    print("-" * len(header))

    ratios: dict[tuple[str, str], float] = {}
    base_speed: dict[str, float] = {}
    footnotes: list[str] = []
    tcvn3_blocks: list[bytes] = []
    for name in names:
        data = files[name].read_bytes()
        if name == "viqr":
            data = data[: data.find(b"\n", int(viqr_size * 1e6)) + 1 or len(data)]
        codec = get_codec(name)
        bl = blocks(data, args.block)
        texts = [codec.decode(b) for b in bl]
        fonts = [font_text(b) for b in bl]
        undefined = len(data) - len(data.translate(None, CP1258_UNDEFINED))
        if name == "tcvn3":  # the corpus's characters never give TCVN3 bytes that cp1258 leaves undefined
            assert not undefined, "the TCVN3 file must be decodable by cp1258: it is the yardstick"
            tcvn3_blocks = bl
        yard_blocks, mark = (bl, " ") if not undefined else (tcvn3_blocks, "*")
        yard_bytes = sum(map(len, yard_blocks))
        best = interleaved(
            {
                "cp1258": (lambda b: b.decode("cp1258"), yard_blocks),
                "decode": (codec.decode, bl),
                "encode": (codec.encode, texts),
                "convert": (lambda t, name=name: vnconv.convert(t, name), fonts),
            },
            rounds if name != "viqr" else min(rounds, 2),
        )
        yard = yard_bytes / best["cp1258"] / 1e6
        base_speed[name] = yard
        row = f"{name:<11} {len(data) / 1e6:7.2f} {yard:7.0f}{mark} |"
        for op in ("decode", "encode", "convert"):
            speed = len(data) / best[op] / 1e6
            ratios[(name, op)] = speed / yard
            row += f" {speed:7.1f} {fmt_ratio(speed / yard)} |"
        print(row.rstrip(" |"))
        if undefined:
            footnotes.append(name)
        del texts, fonts, bl

    # For scale: CPython's own C encoder against its own decoder, and font text without Windows-1252
    # punctuation (Latin-1 only, the fast path of font text).
    cp = files["cp1258"].read_bytes() if "cp1258" in files else vnconv.encode(text, "cp1258") * reps
    cp_blocks = blocks(cp, args.block)
    cp_texts = [b.decode("cp1258") for b in cp_blocks]
    best = interleaved(
        {"dec": (lambda b: b.decode("cp1258"), cp_blocks), "enc": (lambda t: t.encode("cp1258"), cp_texts)},
        rounds,
    )
    print()
    ratio = best["dec"] / best["enc"]
    print(f"for scale: CPython's own cp1258 (C) encoder runs at {ratio:.3f} of its decoder on the same text")
    plain = "\n".join(line for line in text.split("\n") if not any(c in PUNCT for c in line)) + "\n"
    plain_bytes = vnconv.encode(plain, "tcvn3", _register_fallback("tcvn3"))
    plain_bytes *= max(1, math.ceil(size * 1e6 / len(plain_bytes)))
    p_blocks = blocks(plain_bytes, args.block)
    p_fonts = [font_text(b) for b in p_blocks]
    best = interleaved(
        {
            "cp1258": (lambda b: b.decode("cp1258"), p_blocks),
            "convert": (lambda t: vnconv.convert(t, "tcvn3"), p_fonts),
        },
        rounds,
    )
    print(
        f"for scale: tcvn3 convert of font text without Windows-1252 punctuation (all Latin-1): "
        f"{best['cp1258'] / best['convert']:.3f}"
    )
    if footnotes:
        print(f"* {', '.join(footnotes)}: the file holds bytes cp1258 leaves undefined; yardstick = cp1258 on TCVN3")
    if "viqr" in files:
        print(f"viqr: timed on the first {viqr_size:g} MB only (its reader weighs every word in Python)")

    # Whole processes on the same files.
    print()
    print(f"whole process, file -> UTF-8 on stdout (start-up included), best of {proc_rounds}:")
    jobs: list[tuple[str, str, list[str], bool]] = []
    if shutil.which("iconv") and "tcvn3" in files:
        jobs.append(("iconv -f TCVN5712-1 -t UTF-8", "tcvn3", ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], False))
    for name, cs in (("tcvn3", "TCVN"), ("vni", "VNI"), ("viqr", "VIQR")):
        if shutil.which("recode") and name in files:
            jobs.append((f"recode {cs}..UTF-8", name, ["recode", f"{cs}..UTF-8"], True))
    for name in ("tcvn3", "vni", "viqr"):
        if name in files:
            jobs.append(("vnconv.decode (python)", name, [sys.executable, "-c", VNCONV_PROCESS], False))
    if "tcvn3" in files:
        jobs.append(("bytes.decode('cp1258') (python)", "tcvn3", [sys.executable, "-c", CPYTHON_PROCESS], False))
    if not shutil.which("recode"):
        print("  (GNU recode is not installed: `make bench` installs it when run as root)")
    for label, name, cmd, stdin in jobs:
        path = files[name]
        full = cmd if stdin else cmd + [str(path)] + ([name] if cmd[-1] == VNCONV_PROCESS else [])
        elapsed, note = time_process(full, path if stdin else None, proc_rounds)
        mb = path.stat().st_size / 1e6
        print(
            f"  {label:<34} {name:<6} {mb:6.2f} MB {elapsed:7.3f} s {mb / elapsed:8.1f} MB/s"
            f"  ratio {mb / elapsed / base_speed[name]:.3f}" + (f"  ({note})" if note else "")
        )

    # Streaming.
    print()
    stream_path = data_dir / f"stream-tcvn3-{stream_size:g}MiB.bin"
    want = int(stream_size * (1 << 20))
    if not stream_path.exists() or stream_path.stat().st_size != want:
        block = files["tcvn3"].read_bytes()
        with open(stream_path, "wb") as fh:
            left = want
            while left > 0:
                fh.write(block[:left])
                left -= min(left, len(block))
    stream_ok = True
    for mode in ("open", "iterdecode"):
        proc = subprocess.run(
            [sys.executable, "-c", STREAM_CHILD, str(stream_path), mode, str(1 << 20)],
            capture_output=True,
            env=child_env(),
        )
        if proc.returncode != 0:
            print(f"stream {mode}: failed: {proc.stderr.decode(errors='replace')[-300:]}")
            stream_ok = False
            continue
        n, elapsed, peak = proc.stdout.split()
        n, elapsed, peak = int(n), float(elapsed), float(peak)
        call = STREAM_CALLS[mode]
        ok = n == want and peak < STREAM_LIMIT_MB
        stream_ok &= ok
        print(
            f"stream {want / (1 << 20):g} MiB TCVN3 via {call}: {n:,} characters, {want / elapsed / 1e6:.0f} MB/s, "
            f"peak RSS {peak:.1f} MB" + ("" if n == want else f"  (expected {want:,} characters)")
        )

    # Goals.
    print()
    for name, op, goal in GOALS:
        if (name, op) not in ratios:
            continue
        got = ratios[(name, op)]
        print(f"goal {name + ' ' + op:<15} >= {goal:.2f} x cp1258 decode: {got:6.3f}  {'PASS' if got >= goal else 'MISS'}")
    print(f"goal stream {stream_size:g} MiB TCVN3 peak RSS < {STREAM_LIMIT_MB} MB: {'PASS' if stream_ok else 'MISS'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
