"""repair_many on one column of distinct cells: one process, a Dask LocalCluster of 2 workers, Spark local[2].

    python benchmarks/bench_pipeline.py            # 1,000,000 cells (make bench)
    python benchmarks/bench_pipeline.py --quick    # 20,000 cells, for a smoke test

The column is built from the machine's Vietnamese gettext catalogs: every cell is distinct (2-9 words drawn
from a catalog line, and where the catalogs run out of distinct spans, a span of a second line joined on;
never repeated), one in three TCVN3 font text with the soft hyphens (``ư``) lost, one in
three VNI font text, one in three Unicode, one in 20 a None. Each runner repairs the whole column once
(first pass; nothing warm) and is timed by wall clock, start-up of the cluster excluded and reported apart.
The machine has two cores, so the ratio to one process is the figure: up to about 2x is what two workers can give.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import vnconv  # noqa: E402
from _corpus import catalog_lines  # noqa: E402


def column(n: int, seed: int = 11) -> list[object]:
    """``n`` distinct cells (see the module docstring)."""
    rng = random.Random(seed)
    words = [line.split() for line in catalog_lines(lambda s: len(s.split()) >= 3)]
    seen: set[str] = set()
    out: list[object] = []
    while len(out) < n:
        if len(out) % 20 == 19:
            out.append(None)
            continue
        line = rng.choice(words)
        k = rng.randint(2, min(9, len(line)))
        a = rng.randint(0, len(line) - k)
        text = " ".join(line[a : a + k])
        while text in seen:  # the catalogs hold fewer distinct spans than a big column: join a second one
            other = rng.choice(words)
            j = rng.randint(0, len(other) - 2)
            text += " " + " ".join(other[j : j + rng.randint(1, 4)])
        seen.add(text)
        kind = len(out) % 3
        try:
            if kind == 0:
                text = vnconv.encode(text, "tcvn3", "lowercase").decode("cp1252", "replace").replace("\xad", "")
            elif kind == 1:
                text = vnconv.encode(text, "vni").decode("cp1252", "replace")
        except UnicodeEncodeError:
            pass
        out.append(text)
    return out


def one_process(cells: list[object]) -> tuple[float, list[object]]:
    t = time.perf_counter()
    out = vnconv.repair_many(cells)
    return time.perf_counter() - t, out


def on_dask(cells: list[object], partitions: int) -> tuple[float, float, list[object]]:
    import dask
    import dask.dataframe as dd
    import pandas as pd
    from distributed import Client, LocalCluster

    import vnconv.dask

    t0 = time.perf_counter()
    with dask.config.set({"dataframe.convert-string": False}), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                         silence_logs=40) as lc, Client(lc) as client:
        client.run(lambda: None)
        started = time.perf_counter() - t0
        ds = dd.from_pandas(pd.Series(cells, dtype=object), npartitions=partitions)
        t = time.perf_counter()
        out = vnconv.dask.repair_column(ds).compute().tolist()
        return time.perf_counter() - t, started, out


def on_spark(cells: list[object]) -> tuple[float, float, list[object]] | str:
    import shutil

    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return "pyspark not installed (pip install 'vnconv[spark]')"
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        return "no Java runtime"
    from vnconv.spark import repair_udf

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spark = (SparkSession.builder.master("local[2]").appName("vnconv-bench").config("spark.ui.enabled", "false")
                 .config("spark.driver.memory", "2g").config("spark.ui.showConsoleProgress", "false").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        try:
            df = spark.createDataFrame([(c,) for c in cells], "c string").repartition(8).cache()
            df.count()
            started = time.perf_counter() - t0
            t = time.perf_counter()
            rows = df.select(repair_udf()("c").alias("c")).collect()
            return time.perf_counter() - t, started, [r.c for r in rows]
        finally:
            spark.stop()


def _differ(got: list[object], want: list[object]) -> str:
    """How many cells differ from the one-process run (as multisets: Spark may return rows in another order)."""
    from collections import Counter

    n = sum((Counter(map(str, want)) - Counter(map(str, got))).values())
    return f"{n:,} cells differ from one process" if n else "same cells as one process"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="20,000 cells")
    ap.add_argument("--cells", type=int, help="number of cells (default 1,000,000)")
    args = ap.parse_args()
    n = args.cells or (20_000 if args.quick else 1_000_000)
    cells = column(n)
    print(f"column: {n:,} distinct cells ({sum(c is None for c in cells):,} None), "
          f"{sum(len(c) for c in cells if c):,} characters")
    base, want = one_process(cells)
    rows = [("repair_many, one process", base, 0.0, "")]
    try:
        seconds, started, got = on_dask(cells, partitions=16)
        rows.append(("Dask LocalCluster, 2 workers", seconds, started, _differ(got, want)))
    except ImportError:
        print("dask: not installed (pip install 'vnconv[dask]')")
    spark = on_spark(cells)
    if isinstance(spark, str):
        print(f"spark: skipped, {spark}")
    else:
        seconds, started, got = spark
        rows.append(("Spark local[2] pandas_udf", seconds, started, _differ(got, want)))
    print(f"{'runner':32} {'seconds':>8} {'rows/s':>10} {'x one process':>14} {'start-up s':>11}")
    for name, seconds, started, note in rows:
        print(f"{name:32} {seconds:8.2f} {n / seconds:10,.0f} {base / seconds:14.2f} {started:11.1f} {note}")
    print("(2 cores here: 2 workers can give at most ~2x; a cell a partition differs from a whole-column run only "
          "where the column's evidence decided it)")


if __name__ == "__main__":
    main()
