"""docs/pipelines.md runs: each section's examples are executed (a framework's section is skipped, with the
reason, when its extra is not installed)."""

from __future__ import annotations

import doctest
import importlib.util
import os
import re
import shutil

import pytest

from conftest import ROOT

PAGE = ROOT / "docs" / "pipelines.md"
NEEDS = {"pandas": ["pandas"], "Dask": ["dask", "distributed", "pandas"], "Spark": ["pyspark", "pyarrow", "pandas"],
         "LangChain": ["langchain_core"], "LlamaIndex": ["llama_index"]}


def _sections() -> list[tuple[str, str]]:
    text = PAGE.read_text(encoding="utf-8")
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return [("setup", parts[0])] + list(zip(parts[1::2], parts[2::2]))


def test_every_framework_has_a_runnable_section() -> None:
    names = [name for name, _ in _sections()]
    for framework in NEEDS:
        assert framework in names
    assert all(">>> " in body for name, body in _sections() if name in NEEDS)


def test_the_page_runs() -> None:
    globs: dict[str, object] = {}
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    skipped = []
    for name, body in _sections():
        missing = [m for m in NEEDS.get(name, []) if importlib.util.find_spec(m) is None]
        if name == "Spark" and not (shutil.which("java") or os.environ.get("JAVA_HOME")):
            missing.append("java")
        if missing:
            skipped.append(f"{name} ({', '.join(missing)} missing)")
            continue
        test = parser.get_doctest(body, globs, f"pipelines.md: {name}", str(PAGE), 0)
        runner.run(test, clear_globs=False)
        globs = test.globs
    result = runner.summarize(verbose=False)
    assert result.attempted > 20 and result.failed == 0
    if skipped:
        pytest.skip("ran all but: " + "; ".join(skipped))
