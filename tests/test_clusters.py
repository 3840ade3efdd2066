"""vnconv on a real dask.distributed LocalCluster (2 worker processes) and on Spark local[2].

Both give the same result as ``repair_many`` on one machine, partition by partition; the engine is pickled
to the workers and loads its tables once per worker process.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
from pathlib import Path

import pytest

import vnconv
from vnconv.pipelines import repair_column


def _cells(vi_lines: list[str], n: int = 400) -> list[object]:
    """Distinct cells: TCVN3 font text with the ư lost, VNI font text, Unicode; with None and numbers."""
    rng = random.Random(7)
    out: list[object] = []
    for i, line in enumerate(rng.sample(vi_lines, n)):
        kind = i % 5
        try:
            if kind == 0:
                out.append(vnconv.encode(line, "tcvn3", "lowercase").decode("cp1252", "replace").replace("\xad", ""))
            elif kind == 1:
                out.append(vnconv.encode(line, "vni").decode("cp1252", "replace"))
            elif kind == 2:
                out.append(line)
            elif kind == 3:
                out.append(None)
            else:
                out.append(i)
        except UnicodeEncodeError:
            out.append(line)
    return out


LETTER = "Kính gửi các đồng chí trong Ban chấp hành tỉnh Hải Dương\n"


def _archive(src: Path) -> Path:
    """A folder of a TCVN3 letter, a VNI one in a subfolder, and a corrupt .docx."""
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_bytes(vnconv.encode(LETTER, "tcvn3"))
    (src / "sub" / "b.txt").write_bytes(vnconv.encode(LETTER, "vni"))
    (src / "hong.docx").write_bytes(b"PK\x03\x04junk")
    return src


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as lc, distributed.Client(lc) as client:
        yield client


def test_dask_column_is_repair_many_partition_by_partition(cluster, vi_lines: list[str]) -> None:  # type: ignore[no-untyped-def]
    import dask
    import dask.dataframe as dd
    import pandas as pd

    import vnconv.dask

    cells = _cells(vi_lines)
    series = pd.Series(cells, name="title", index=range(100, 100 + len(cells)), dtype=object)
    with dask.config.set({"dataframe.convert-string": False}):
        ds = dd.from_pandas(series, npartitions=4)
        lazy = vnconv.dask.repair_column(ds)
        assert lazy.dtype == object and lazy.name == "title"  # meta right before anything runs
        got = lazy.compute()
    want = pd.concat([repair_column(ds.get_partition(i).compute()) for i in range(ds.npartitions)])
    assert got.tolist() == want.tolist() and list(got.index) == list(series.index)
    assert got[103] is None and got[104] == 4  # None stays None, 42 stays 42 (not NaN, not '42')
    assert sum(a != b for a, b in zip(got.tolist(), cells) if isinstance(b, str)) > 100
    pids = set(cluster.run(os.getpid).values())
    assert len(pids) == 2 and os.getpid() not in pids
    # the tables were loaded once in each worker, however many partitions it repaired
    loads = cluster.run(lambda: __import__("vnconv.language.lexicon", fromlist=["_freq"])._freq.cache_info().misses)
    assert set(loads.values()) == {1}


def test_dask_dataframe_repairs_its_text_columns(cluster) -> None:  # type: ignore[no-untyped-def]
    import dask
    import dask.dataframe as dd
    import pandas as pd

    import vnconv.dask

    df = pd.DataFrame({"ten": ["Céng hoµ x· héi", "Hµ Néi vµ H¶i D\xacng"] * 10, "so": range(20)})
    with dask.config.set({"dataframe.convert-string": False}):
        out = vnconv.dask.repair_column(dd.from_pandas(df, npartitions=2)).compute()
    assert out["ten"].tolist()[:2] == ["Cộng hoà xã hội", "Hà Nội và Hải Dương"] and out["so"].tolist() == list(range(20))


def test_dask_converts_files_with_the_cli_report_records(cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import vnconv.dask

    src = _archive(tmp_path / "in")
    paths = sorted(str(p) for p in src.rglob("*") if p.is_file())
    records = vnconv.dask.convert_files(paths, tmp_path / "out", root=str(src)).compute()
    by_name = {Path(r["path"]).name: r for r in records}
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == LETTER
    assert (tmp_path / "out" / "sub" / "b.txt").read_text(encoding="utf-8") == LETTER
    assert by_name["a.txt"]["charset"] == "tcvn3" and by_name["b.txt"]["charset"] == "vni"
    assert by_name["hong.docx"]["error"] and "hong.docx" in by_name["hong.docx"]["error"]
    assert not list((tmp_path / "out").rglob("*.vnconv-tmp*"))
    again = vnconv.dask.convert_files([paths[0]], tmp_path / "out", root=str(src)).compute()
    assert "exists" in again[0]["error"]  # never overwrites without being asked


def test_spark_udf_is_repair_many_batch_by_batch(vi_lines: list[str]) -> None:
    pytest.importorskip("pyspark")
    pytest.importorskip("pyarrow")
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime (make test installs Debian's openjdk-17-jre-headless when run as root)")
    import warnings

    from pyspark.sql import SparkSession

    from vnconv.spark import repair_udf

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    cells = [c for c in _cells(vi_lines, 300) if not isinstance(c, int)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spark = (SparkSession.builder.master("local[2]").appName("vnconv-test")
                 .config("spark.ui.enabled", "false").config("spark.sql.execution.arrow.maxRecordsPerBatch", "100")
                 .getOrCreate())
        try:
            df = spark.createDataFrame([(i, c) for i, c in enumerate(cells)], "i long, c string").coalesce(1)
            rows = df.withColumn("c", repair_udf()("c")).orderBy("i").collect()
        finally:
            spark.stop()
    got = [r.c for r in rows]
    want: list[object] = []
    for a in range(0, len(cells), 100):  # one Arrow batch of 100 rows is one document
        want += vnconv.repair_many(cells[a : a + 100])
    assert got == want and got.count(None) == cells.count(None)


def test_cli_hands_a_folder_to_a_dask_cluster(cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import json
    import subprocess

    src = _archive(tmp_path / "archive")
    address = cluster.scheduler.address
    proc = subprocess.run([sys.executable, "-m", "vnconv", "convert", "archive", "-o", "out", "--dask", address,
                           "--report", "report.json"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr  # one file failed, the others converted
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == LETTER
    assert (tmp_path / "out" / "sub" / "b.txt").read_text(encoding="utf-8") == LETTER
    assert "hong.docx" in proc.stderr and "Traceback" not in proc.stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    files = report["files"] if isinstance(report, dict) else report
    by_path = {f["path"]: f for f in files}
    assert set(by_path) == {os.path.join("archive", "a.txt"), os.path.join("archive", "sub", "b.txt"),
                            os.path.join("archive", "hong.docx")}  # paths as given, not the workers' absolute ones
    assert by_path[os.path.join("archive", "a.txt")]["charset"] == "tcvn3"
    assert by_path[os.path.join("archive", "hong.docx")]["error"]
    assert not list((tmp_path / "out").rglob("*.vnconv-tmp"))
    bad = subprocess.run([sys.executable, "-m", "vnconv", "convert", "archive", "-o", "out2", "--dask",
                          "tcp://127.0.0.1:9"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "cannot reach the scheduler" in bad.stderr and "Traceback" not in bad.stderr
