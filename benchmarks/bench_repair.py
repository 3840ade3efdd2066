"""Repair engine speed and accuracy, beside CPython's cp1258 decode and the closest peer, viparse.

    python benchmarks/bench_repair.py            # ~8 MB documents (make bench)
    python benchmarks/bench_repair.py --quick    # small documents, for a smoke test

Speed is CPU time (``time.process_time``: on a shared, noisy machine the time spent waiting for a core is not
ours), reported in MB/s and as a ratio to ``bytes.decode("cp1258")`` of the same bytes in the same run. Goals from the issue: >= 15 MB/s on a uniform
TCVN3 document, >= 4 MB/s on a mixed one. Accuracy: words right against the truth, and on the sample plan the
number of lost ``ư`` put back. viparse (PyPI, MIT) is measured when it is installed (``make bench`` installs it).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import vnconv  # noqa: E402
from vnconv.charsets.fonttext import font_bytes, font_text  # noqa: E402
from vnconv.language.letters import LETTERS  # noqa: E402
from _corpus import catalog_lines  # noqa: E402

GOALS = {"uniform TCVN3 (the plan)": 15.0, "mixed Unicode/TCVN3/VNI": 4.0}


def vi_lines() -> list[str]:
    return catalog_lines(lambda line: sum(c in LETTERS for c in line) >= 3)


def encodable(line: str, cs: str) -> bool:
    try:
        vnconv.encode(line, cs, "lowercase" if cs == "tcvn3" else "strict")
        return True
    except UnicodeEncodeError:
        return False


def fill(lines: list[str], truth: list[str], size: float) -> tuple[str, str]:
    """Whole lines (and their truth) up to ``size`` characters, repeating the list when it is too short."""
    out: list[str] = []
    want: list[str] = []
    n = 0
    while n < size:
        for a, b in zip(lines, truth):
            out.append(a)
            want.append(b)
            n += len(a) + 1
            if n >= size:
                break
    return "\n".join(out), "\n".join(want)


def best_of(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    """Best CPU time of ``runs`` calls: on a shared machine, time spent waiting for a core is not ours."""
    best = float("inf")
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def words_right(out: str, truth: str) -> float:
    a, b = out.split(), truth.split()
    if len(a) != len(b):
        import difflib

        sm = difflib.SequenceMatcher(a=b, b=a, autojunk=False)
        return sum(m.size for m in sm.get_matching_blocks()) / len(b)
    return sum(x == y for x, y in zip(a, b)) / len(b)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small documents (smoke test)")
    ap.add_argument("--mb", type=float, default=8.0, help="document size in MB")
    args = ap.parse_args()
    size = 0.3e6 if args.quick else args.mb * 1e6
    runs = 1 if args.quick else 3
    try:
        import viparse  # type: ignore[import-not-found]
    except ImportError:
        viparse = None

    plan = (ROOT / "examples" / "ke-hoach-60-nam.txt").read_text(encoding="utf-8")
    expected = (ROOT / "tests" / "data" / "ke-hoach-60-nam.expected.txt").read_text(encoding="utf-8")
    lines = vi_lines()
    random.Random(5).shuffle(lines)
    docs: dict[str, tuple[str, str]] = {}
    reps = max(1, int(size / len(plan)))
    docs["uniform TCVN3 (the plan)"] = ((plan + "\n") * reps, (expected + "\n") * reps)
    tc = [line for line in lines if encodable(line, "tcvn3")]
    data = [vnconv.encode(line, "tcvn3", "lowercase") for line in tc]
    docs["uniform TCVN3 (real prose, ư lost)"] = fill(
        [font_text(d).replace("\u00ad", "") for d in data], [vnconv.decode(d, "tcvn3") for d in data], size
    )
    sents, truth = [], []
    for i, line in enumerate(lines):
        if i % 3 == 1 and encodable(line, "tcvn3"):
            d = vnconv.encode(line, "tcvn3", "lowercase")
            sents.append(font_text(d))
            truth.append(vnconv.decode(d, "tcvn3"))
        elif i % 3 == 2 and encodable(line, "vni"):
            sents.append(font_text(vnconv.encode(line, "vni")))
            truth.append(line)
        else:
            sents.append(line)
            truth.append(line)
    docs["mixed Unicode/TCVN3/VNI"] = fill(sents, truth, size)

    print(f"vnconv repair benchmark ({'quick' if args.quick else f'{args.mb:g} MB'}; best of {runs}; ratios to cp1258 decode)")
    print(f"{'document':40} {'MB':>6} {'vnconv MB/s':>12} {'ratio':>8} {'words right':>12}   {'viparse MB/s':>12} {'words right':>12}")
    failed = []
    for name, (doc, want) in docs.items():
        raw = font_bytes(doc, "replace")
        base = best_of(lambda: raw.decode("cp1258", "replace"), 5)
        vnconv.repair(doc[:20000])  # load the language data before timing
        from vnconv.language import lexicon
        from vnconv.repair import readings
        from vnconv.language import syllable

        syllable.all_syllables(), lexicon.zipf("a"), lexicon.pair_score("a", "b"), readings.restorations("nh", "ư")
        out = None

        def run() -> None:
            nonlocal out
            out = vnconv.repair(doc)

        t = best_of(run, runs)
        mbs = len(doc.encode()) / t / 1e6
        acc = words_right(out or "", want)
        vp = ""
        if viparse is not None:
            vout = None

            def vrun() -> None:
                nonlocal vout
                vout = viparse.fix(doc)

            vt = best_of(vrun, 1)
            vp = f"{len(doc.encode()) / vt / 1e6:12.2f} {words_right(vout or '', want):12.4f}"
        goal = GOALS.get(name)
        verdict = "" if goal is None else (f"  goal {goal:g} MB/s: " + ("PASS" if mbs >= goal else "MISS"))
        if goal is not None and mbs < goal:
            failed.append(name)
        print(f"{name:40} {len(doc) / 1e6:6.2f} {mbs:12.2f} {base / t:8.4f} {acc:12.4f}   {vp}{verdict}")
    # A column of short texts (spreadsheet cells): a pipeline maps repair() over it, or hands it to repair_many.
    cells_src = [line for line in lines if 3 < len(line) < 40 and encodable(line, "tcvn3")][: 2000 if args.quick else 20000]
    cells_raw = [vnconv.encode(line, "tcvn3", "lowercase") for line in cells_src]
    cells = [font_text(d) for d in cells_raw]
    cells_want = [vnconv.decode(d, "tcvn3") for d in cells_raw]
    got: dict[str, list[object]] = {}

    def mapped() -> None:
        got["map"] = [vnconv.repair(c) for c in cells]

    def many() -> None:
        got["many"] = vnconv.repair_many(cells)

    t_map, t_many = best_of(mapped, runs), best_of(many, runs)

    def right(out: list[object]) -> float:
        return sum(a == b for a, b in zip(out, cells_want)) / len(cells_want)

    line = (f"column of {len(cells):,} TCVN3 cells: map(repair) {len(cells) / t_map:,.0f} cells/s, {right(got['map']):.4f} "
            f"right; repair_many {len(cells) / t_many:,.0f} cells/s ({t_map / t_many:.1f}x), {right(got['many']):.4f} right")
    if viparse is not None:
        vt = best_of(lambda: got.__setitem__("viparse", [viparse.fix(c) for c in cells]), 1)
        line += f"; viparse map(fix) {len(cells) / vt:,.0f} cells/s, {right(got['viparse']):.4f} right"
    print(line)
    # The sample plan: how many of its lost ư each tool puts back.
    lost = sum(w.count("ư") + w.count("Ư") for w in expected.split())
    ours = sum(w.count("ư") + w.count("Ư") for w in vnconv.repair(plan).split())
    line = f"sample plan: {lost} lost ư; vnconv restores {ours}, exact text: {vnconv.repair(plan) == expected}"
    if viparse is not None:
        theirs = sum(w.count("ư") + w.count("Ư") for w in viparse.fix(plan).split())
        line += f"; viparse restores {theirs}"
    else:
        line += "; viparse not installed (pip install viparse)"
    print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
