"""`benchmarks/bench_codecs.py --quick` runs end to end and prints its goal lines (no timing assertions)."""

from __future__ import annotations

import glob
import re
import subprocess
import sys

import pytest

from conftest import LOCALE, ROOT

SCRIPT = ROOT / "benchmarks" / "bench_codecs.py"


def test_bench_quick_prints_goals(tmp_path) -> None:
    if len(glob.glob(str(LOCALE / "vi" / "LC_MESSAGES" / "*.mo"))) < 5:
        pytest.skip("the Vietnamese gettext catalogs (/usr/share/locale/vi) are not installed")
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--size", "0.05", "--stream-size", "2", "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    for goal in ("tcvn3 decode", "tcvn3 encode", "tcvn3 convert", "vni decode"):
        assert re.search(rf"^goal {goal} +>= \d\.\d\d x cp1258 decode: +\d+\.\d+  (PASS|MISS)$", out, re.M), (goal, out)
    assert re.search(r"^goal stream 2 MiB TCVN3 peak RSS < 100 MB: (PASS|MISS)$", out, re.M), out
    # every charset has a row, and the streamed text came back whole
    for name in ("tcvn3", "vni", "viqr", "cp1258", "viscii"):
        assert re.search(rf"^{re.escape(name)} +\d", out, re.M), name
    assert "2,097,152 characters" in out


def test_bench_repair_child_and_calibration() -> None:
    """bench_repair's pieces run: one measurement (first pass on distinct catalog lines, after vnconv.preload)
    and the machine calibration printed beside every run (no timing assertions)."""
    if len(glob.glob(str(LOCALE / "vi" / "LC_MESSAGES" / "*.mo"))) < 5:
        pytest.skip("the Vietnamese gettext catalogs (/usr/share/locale/vi) are not installed")
    script = ROOT / "benchmarks" / "bench_repair.py"
    proc = subprocess.run([sys.executable, str(script), "--child", "tcvn3", "10000"], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    import json

    result = json.loads(proc.stdout)
    assert result["mbs"] > 0 and result["ratio"] > 0 and result["right"] >= 0.99, result
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_repair

        assert bench_repair.machine_speed() > 0
        assert bench_repair.cold_start(full=True) > 0
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
