"""Repair engine speed on distinct, never-repeated real text, beside CPython's cp1258 decode and viparse.

    python benchmarks/bench_repair.py            # 10 KB, 100 KB, 1 MB, 10 MB (make bench)
    python benchmarks/bench_repair.py --quick    # 10 KB and 100 KB, for a smoke test
    python benchmarks/bench_repair.py --runs 5   # each figure the median of 5 fresh processes (default 3)

Every measurement runs in a fresh process (nothing memoised from an earlier one), on lines of the gettext
catalogs that are never repeated (benchmarks/_corpus.py: past the 1.4 MB the catalogs hold, two distinct
lines joined make a line), and times the first pass over the text: no warm-up call on it, no best-of within
a process. Each figure is the median of ``--runs`` such processes, with their range (on a shared machine one
process can be 60 % slower than the next). The tables are loaded before timing (``vnconv.preload()``: that
is the cold start, measured on its own, with the compiled-table cache empty and filled). Speed is CPU time
(``time.process_time``), in MB/s of UTF-8 and beside ``bytes.decode("cp1258")`` of the same text in the same
process. viparse (PyPI) is measured when it is installed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import catalog_lines, distinct_lines, source_lines  # noqa: E402

SIZES = {"10 KB": 10_000, "100 KB": 100_000, "1 MB": 1_000_000, "10 MB": 10_000_000}
GOALS = {"tcvn3": 10.0, "mixed": 5.0, "unicode": 100.0}  # MB/s, from issue 8
NAMES = {
    "tcvn3": "TCVN3 font text, ư lost",
    "mixed": "mixed Unicode / TCVN3 / VNI lines",
    "unicode": "correct Unicode Vietnamese",
}


def _vi(line: str) -> bool:
    from vnconv.language.letters import LETTERS

    return sum(c in LETTERS for c in line) >= 3


def _encodable(line: str, cs: str) -> bool:
    import vnconv

    try:
        vnconv.encode(line, cs, "lowercase" if cs == "tcvn3" else "strict")
        return True
    except UnicodeEncodeError:
        return False


def document(case: str, size: int) -> tuple[str, str]:
    """The text of ``case`` (about ``size`` bytes) and its truth."""
    import vnconv
    from vnconv.charsets.fonttext import font_text

    lines = distinct_lines(catalog_lines(_vi), size)
    doc, truth = [], []
    for i, line in enumerate(lines):
        kind = "tcvn3" if case == "tcvn3" else "unicode" if case == "unicode" else ("unicode", "tcvn3", "vni")[i % 3]
        if kind == "tcvn3" and _encodable(line, "tcvn3"):
            data = vnconv.encode(line, "tcvn3", "lowercase")
            doc.append(font_text(data).replace("\u00ad", ""))
            truth.append(vnconv.decode(data, "tcvn3"))
        elif kind == "vni" and _encodable(line, "vni"):
            doc.append(font_text(vnconv.encode(line, "vni")))
            truth.append(line)
        elif kind == "unicode" or case != "tcvn3":
            doc.append(line)
            truth.append(line)
    return "\n".join(doc), "\n".join(truth)


def words_right(out: str, truth: str) -> float:
    """Share of the truth's words that come out right, line by line (repair keeps lines): a line with as many
    words as its truth is compared word by word, another is aligned with difflib."""
    import difflib

    lines_out, lines_truth = out.split("\n"), truth.split("\n")
    if len(lines_out) != len(lines_truth):
        lines_out, lines_truth = [out], [truth]
    right = total = 0
    for o, t in zip(lines_out, lines_truth):
        a, b = o.split(), t.split()
        total += len(b)
        if len(a) == len(b):
            right += sum(x == y for x, y in zip(a, b))
        else:
            sm = difflib.SequenceMatcher(a=b, b=a, autojunk=False)
            right += sum(m.size for m in sm.get_matching_blocks())
    return right / max(1, total)


def _load_tables() -> None:
    """Load what every process loads once whatever its text (``vnconv.preload``: the language tables, the
    candidate charsets' codecs, the lost-letter sets; nothing here depends on the text measured). Its time is
    measured on its own, with the import: the cold start."""
    import vnconv

    vnconv.preload()


def measure(case: str, size: int) -> dict[str, object]:
    """One measurement, in this (fresh) process."""
    import vnconv

    doc, truth = document(case, size)
    raw = doc.encode("utf-8")
    _load_tables()
    t0 = time.process_time()
    raw.decode("cp1258", "replace")
    base = time.process_time() - t0
    t0 = time.process_time()
    out = vnconv.repair(doc)
    t = time.process_time() - t0
    result: dict[str, object] = {"mbs": len(raw) / t / 1e6, "ratio": base / t, "right": words_right(out, truth),
                                 "mb": len(raw) / 1e6}
    try:
        import viparse  # type: ignore[import-not-found]
    except ImportError:
        return result
    if size <= 1_000_000:
        t0 = time.process_time()
        vout = viparse.fix(doc)
        vt = time.process_time() - t0
        result["viparse"] = len(raw) / vt / 1e6
        result["viparse_right"] = words_right(vout, truth)
    return result


def per_call(kind: str, n: int) -> dict[str, object]:
    """Mean CPU time of one repair() call on ``n`` distinct short strings; or repair_many's cells/s."""
    import vnconv
    from vnconv.charsets.fonttext import font_text

    _load_tables()
    if kind == "ascii":
        texts = [s for s in source_lines(lambda s: 10 <= len(s) <= 60 and s.isascii())][:n]
    else:
        texts = distinct_lines(catalog_lines(lambda s: 10 <= len(s) <= 60 and _vi(s)), 10**9)[:n]
    if kind == "cells":
        texts = [font_text(vnconv.encode(s, "tcvn3", "lowercase")) for s in texts if _encodable(s, "tcvn3")]
        t0 = time.process_time()
        vnconv.repair_many(texts)
        t = time.process_time() - t0
        return {"cells_per_s": len(texts) / t, "n": len(texts)}
    t0 = time.process_time()
    for s in texts:
        vnconv.repair(s)
    t = time.process_time() - t0
    return {"us": t / len(texts) * 1e6, "n": len(texts)}


def cold_start(full: bool = False, cache: str | None = None) -> float:
    """CPU seconds of ``import vnconv`` and a first repair of a short TCVN3 string in a fresh process; ``full``:
    of ``import vnconv`` and ``vnconv.preload()`` (every table built). ``cache``: the compiled-table cache folder
    (``VNCONV_CACHE_DIR``; None: the user's, as a user's process finds it)."""
    first = "vnconv.preload()" if full else "vnconv.repair('C\\xe9ng ho\\xb5 x\\xb7 h\\xe9i')"
    code = f"import time; t = time.process_time(); import vnconv; {first}; print(time.process_time() - t)"
    env = {"PYTHONPATH": str(ROOT / "src")}
    if cache is not None:
        env["VNCONV_CACHE_DIR"] = cache
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return float(out.stdout)


def machine_speed() -> float:
    """How fast this machine is, to compare figures from different machines: MB/s of CPython's C cp1258 decoder
    on 1 MiB of ASCII, best of 20 (a calibration, not a measurement of vnconv)."""
    data = bytes(range(32, 127)) * (1 + (1 << 20) // 95)
    best = min(_timed(data.decode, "cp1258") for _ in range(20))
    return len(data) / best / 1e6


def _timed(f: object, *args: object) -> float:
    t0 = time.perf_counter()
    f(*args)  # type: ignore[operator]
    return time.perf_counter() - t0


def _child(args: list[str]) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="10 KB and 100 KB only (smoke test)")
    ap.add_argument("--runs", type=int, default=3, help="fresh processes per figure, median reported (default 3)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        what = args.child
        res = per_call(what[1], int(what[2])) if what[0] == "call" else measure(what[0], int(what[1]))
        print(json.dumps(res))
        return 0
    sizes = {k: v for k, v in SIZES.items() if not args.quick or v <= 100_000}
    runs = max(1, args.runs)
    print("vnconv repair benchmark: distinct text (never repeated), first pass, fresh process, CPU time; "
          f"each figure the median of {runs} fresh processes (the range after it)")
    print(f"this machine: bytes.decode('cp1258') of 1 MiB of ASCII at {machine_speed():,.0f} MB/s (best of 20; "
          "on the machine of the README's earlier figures, 2026-11-26: about 1,600)")
    print(f"{'case':36} {'size':>7} {'MB/s':>8} {'range':>13} {'x cp1258':>9} {'words right':>12} "
          f"{'viparse MB/s':>13} {'right':>7}")
    for case in ("tcvn3", "mixed", "unicode"):
        for label, size in sizes.items():
            rs = [_child([case, str(size)]) for _ in range(runs)]
            r = rs[0]
            assert all(x["right"] == r["right"] for x in rs)  # the same text: the same result
            mbs = sorted(float(x["mbs"]) for x in rs)  # type: ignore[arg-type]
            span = f"{mbs[0]:.2f}-{mbs[-1]:.2f}"
            ratio = statistics.median(float(x["ratio"]) for x in rs)  # type: ignore[arg-type]
            vp = f"{r['viparse']:13.2f} {r['viparse_right']:7.4f}" if "viparse" in r else f"{'':13} {'':7}"
            print(f"{NAMES[case]:36} {label:>7} {statistics.median(mbs):8.2f} {span:>13} {ratio:9.4f} "
                  f"{r['right']:12.4f} {vp}")
        print(f"{'':36} goal >= {GOALS[case]:g} MB/s")
    n = 2000 if args.quick else 20000

    def median_of(what: list[str], key: str) -> tuple[float, int]:
        rs = [_child(what) for _ in range(runs)]
        return statistics.median(float(x[key]) for x in rs), int(rs[0]["n"])  # type: ignore[arg-type]

    (a, na), (u, nu) = median_of(["call", "ascii", str(n)], "us"), median_of(["call", "unicode", str(n)], "us")
    c, nc = median_of(["call", "cells", str(n)], "cells_per_s")
    print(f"repair() on a short ASCII string ({na} distinct): {a:.1f} us a call (goal <= 3 us)")
    print(f"repair() on a short correct Unicode line ({nu} distinct): {u:.1f} us a call (goal <= 10 us)")
    print(f"repair_many on {nc} distinct TCVN3 cells: {c:,.0f} cells/s (goal >= 200k)")
    with tempfile.TemporaryDirectory() as empty:
        first_ever = cold_start(cache=empty)  # no compiled tables yet: built and written
        later = statistics.median(cold_start(cache=empty) for _ in range(runs))
        full = statistics.median(cold_start(True, cache=empty) for _ in range(runs))
    print(f"cold start, import vnconv + first repair: {later:.3f} s CPU (goal <= 0.15 s); the first process after "
          f"an install, with no compiled tables cached yet: {first_ever:.3f} s; import vnconv + preload (every "
          f"table): {full:.3f} s")
    import vnconv

    plan = (ROOT / "examples" / "ke-hoach-60-nam.txt").read_text(encoding="utf-8")
    expected = (ROOT / "tests" / "data" / "ke-hoach-60-nam.expected.txt").read_text(encoding="utf-8")
    print(f"sample plan exact: {vnconv.repair(plan) == expected}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
