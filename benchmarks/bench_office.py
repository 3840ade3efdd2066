"""Files per second converting legacy .doc/.xls files (LibreOffice + the .docx/.xlsx adapters), --jobs 1 vs 2.

    python benchmarks/bench_office.py            # 200 files, --jobs 1 then --jobs 2
    python benchmarks/bench_office.py --quick    # 20 files
    python benchmarks/bench_office.py --files 50 --jobs 1 2 4 --json result.json

The folder is made of copies of the real .doc/.xls samples (``../shared/samples/real``, or ``--samples DIR``)
in a temporary directory; each file goes through :func:`vnconv.documents.convert_file` in a process pool of
``jobs`` workers (what ``vnconv convert --jobs N`` does), one LibreOffice per file with its own profile.
Reported: wall time, files per second, the speed-up over the first ``jobs`` value, and how much of the
time LibreOffice itself took (summed over files).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from vnconv.documents import Options, convert_file  # noqa: E402
from vnconv.documents.office import find_soffice, output_suffix  # noqa: E402

DEFAULT_SAMPLES = Path(os.environ.get("VNCONV_SHARED", ROOT.parent / "shared")) / "samples" / "real"


def _one(job: tuple[str, str]) -> tuple[str, float, float, str | None]:
    src, dst = job
    started = time.perf_counter()
    try:
        result = convert_file(Path(src), Path(dst), Options())
        return src, time.perf_counter() - started, float(result.details.get("libreoffice_seconds", 0.0)), None
    except Exception as exc:  # noqa: BLE001 - a benchmark reports failures, it does not stop on them
        return src, time.perf_counter() - started, 0.0, f"{type(exc).__name__}: {exc}"


def make_folder(samples: list[Path], n: int, where: Path) -> list[Path]:
    where.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        src = samples[i % len(samples)]
        dst = where / f"{i:04d}_{src.name}"
        shutil.copyfile(src, dst)
        files.append(dst)
    return files


def run(files: list[Path], jobs: int, out: Path) -> dict[str, object]:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    work = [(str(f), str(out / (f.stem + output_suffix(f)))) for f in files]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(_one, work, chunksize=1))
    wall = time.perf_counter() - started
    failures = [(src, err) for src, _, _, err in results if err]
    per_file = [t for _, t, _, err in results if not err]
    lo = sum(s for _, _, s, err in results if not err)
    return {
        "jobs": jobs,
        "files": len(files),
        "failed": len(failures),
        "failures": failures[:5],
        "wall_s": round(wall, 2),
        "files_per_s": round(len(files) / wall, 3),
        "median_file_s": round(statistics.median(per_file), 3) if per_file else None,
        "libreoffice_share": round(lo / sum(per_file), 3) if per_file else None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=200, help="files in the folder (default 200)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="worker counts to compare (default 1 2)")
    ap.add_argument("--quick", action="store_true", help="20 files")
    ap.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES, help="folder with .doc/.xls samples")
    ap.add_argument("--json", type=Path, help="also write the results as JSON")
    ap.add_argument("--keep", type=Path, help="build the folder here and keep it (default: a temporary folder)")
    args = ap.parse_args(argv)
    if args.quick:
        args.files = min(args.files, 20)

    soffice = find_soffice()
    if soffice is None:
        print("LibreOffice is not installed: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui")
        return 1
    samples = sorted(p for p in args.samples.glob("*") if p.suffix.lower() in (".doc", ".xls"))
    if not samples:
        print(f"no .doc/.xls samples in {args.samples} (set --samples or VNCONV_SHARED)")
        return 1

    base = args.keep or Path(tempfile.mkdtemp(prefix="vnconv-bench-office-"))
    try:
        files = make_folder(samples, args.files, base / "in")
        size = sum(f.stat().st_size for f in files)
        print(f"{len(files)} files ({size / 1e6:.1f} MB) made of {len(samples)} samples: "
              + ", ".join(sorted({s.suffix for s in samples})))
        print(f"LibreOffice: {soffice}; CPUs: {os.cpu_count()}; Python {platform.python_version()}")
        print(f"{'jobs':>4} {'wall s':>8} {'files/s':>8} {'speed-up':>8} {'median s/file':>13} "
              f"{'in LibreOffice':>14} {'failed':>6}", flush=True)
        rows = []
        for jobs in args.jobs:
            row = run(files, jobs, base / f"out-{jobs}")
            row["speedup"] = round(row["files_per_s"] / rows[0]["files_per_s"], 2) if rows else 1.0
            rows.append(row)
            print(
                f"{jobs:>4} {row['wall_s']:>8.1f} {row['files_per_s']:>8.2f} {row['speedup']:>7.2f}x "
                f"{row['median_file_s']:>13.2f} {row['libreoffice_share'] * 100:>13.0f}% {row['failed']:>6}",
                flush=True,
            )
            for src, err in row["failures"]:  # type: ignore[union-attr]
                print(f"     failed: {Path(src).name}: {err}")
        if args.json:
            args.json.write_text(json.dumps({"files": len(files), "bytes": size, "runs": rows}, indent=2))
        return 0 if all(r["failed"] == 0 for r in rows) else 1
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
