"""vnconv.preload builds every table a repair needs: after it, repairing builds nothing more.

Run in a fresh process (tables built by other tests would hide a table preload forgets). Every
``functools.cache`` builder in vnconv's modules (unbounded caches: tables, not per-word memos) is found by
scanning the modules, so a table added later is checked too; the syllable inventory is built by hand
(``syllable._build``) and checked by patching it to fail.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

_CHILD = textwrap.dedent(
    r"""
    import functools, importlib, json, pkgutil, sys
    import vnconv
    for m in pkgutil.walk_packages(vnconv.__path__, "vnconv."):
        if not m.name.startswith(("vnconv.__main__", "vnconv.web", "vnconv.spark", "vnconv.dask")):
            importlib.import_module(m.name)

    def builders():
        found = {}
        for name, mod in list(sys.modules.items()):
            if not name.startswith("vnconv"):
                continue
            for attr, f in vars(mod).items():
                info = getattr(f, "cache_info", None)
                if callable(info) and getattr(f, "__module__", "") == name and info().maxsize is None:
                    found[f"{name}.{attr}"] = info().misses
        return found

    seconds = vnconv.preload()
    before = builders()
    from vnconv.language import syllable
    def fail():
        raise AssertionError("the syllable inventory was built again")
    syllable._build = fail
    from vnconv.charsets.fonttext import font_text
    from vnconv.charsets.registry import get_codec
    root = sys.argv[1]
    lost = open(root + "/examples/ke-hoach-60-nam.txt", encoding="utf-8").read()  # TCVN3, every ư lost
    plan = open(root + "/tests/data/ke-hoach-60-nam.expected.txt", encoding="utf-8").read()
    tcvn3 = lost[:3000]
    viscii = font_text(get_codec("viscii").encode(plan, "replace")).replace("\u00ad", "")  # every ễ lost
    vni = font_text(vnconv.encode(plan[:3000], "vni", "replace"))
    texts = [lost, viscii, vni, plan[:2000] + "\n" + tcvn3 + "\n" + vni[:2000],
             "Vie^.t Nam la` mo^.t quo^'c gia\nXin cha`o ca'c ba.n", plan,
             "Ce ne sont pas des mots vietnamiens, mais français: déjà vu, crème brûlée"]
    outs = [vnconv.repair(t) for t in texts]
    outs.append(vnconv.repair_many([tcvn3, vni, plan]))
    outs.append([f.why for f in vnconv.explain(texts[2])])
    after = builders()
    print(json.dumps({"seconds": seconds, "again": vnconv.preload(),
                      "built": sorted(k for k in after if after[k] != before.get(k, 0)),
                      "right": outs[0] == open(root + "/tests/data/ke-hoach-60-nam.expected.txt", encoding="utf-8").read()
                      and "Việt" in outs[4]}))
    """
)


def test_preload_leaves_nothing_to_build() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(SRC.parent)], capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(SRC), "PATH": ""},
    )
    result = json.loads(out.stdout)
    assert result["built"] == [], f"built by repair after preload: {result['built']}"
    assert result["right"]
    assert result["seconds"] > result["again"]  # the second call finds everything built


def test_preload_is_public() -> None:
    import vnconv

    assert "preload" in vnconv.__all__
    assert vnconv.preload() >= 0.0
