"""What the package declares is what it uses (issue 12): dependencies, py.typed, __all__, classifiers."""

from __future__ import annotations

import ast
import sys
import types
from pathlib import Path

import pytest

import vnconv

from conftest import ROOT

tomllib = pytest.importorskip("tomllib") if sys.version_info >= (3, 11) else pytest.importorskip("tomli")
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
#: PyPI name -> the module it installs
MODULE_OF = {"python-docx": "docx", "argparse-manpage": "argparse_manpage", "langchain-core": "langchain_core",
             "llama-index-core": "llama_index"}


def _name(requirement: str) -> str:
    for cut in "<>=!~;[ ":
        requirement = requirement.split(cut)[0]
    return requirement.strip().lower()


def _third_party_imports(root: Path) -> dict[str, list[str]]:
    """Top-level modules imported by the files under ``root`` that are neither stdlib nor vnconv."""
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        # imports under `if TYPE_CHECKING:` never run (annotations only): they need no dependency
        typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                       and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING"
                       for stmt in node.body for n in ast.walk(stmt)}
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "vnconv":
                    found.setdefault(top, []).append(str(path.relative_to(ROOT)))
    return found


def test_dependencies_are_what_the_code_imports() -> None:
    declared = {MODULE_OF.get(_name(r), _name(r)) for r in PROJECT["dependencies"]}
    optional = {MODULE_OF.get(_name(r), _name(r)) for extra in PROJECT["optional-dependencies"].values()
                for r in extra}
    imported = _third_party_imports(ROOT / "src" / "vnconv")
    undeclared = {m: where for m, where in imported.items() if m not in declared | optional}
    assert not undeclared, f"imported but not declared: {undeclared}"
    unused = declared - set(imported)
    assert not unused, f"declared but never imported by vnconv: {unused}"
    tests = _third_party_imports(ROOT / "tests")
    test_extra = {MODULE_OF.get(_name(r), _name(r)) for r in PROJECT["optional-dependencies"]["test"]}
    local = {p.stem for p in (ROOT / "tests").rglob("*.py")} | {p.stem for p in (ROOT / "benchmarks").glob("*.py")}
    missing = set(tests) - declared - test_extra - optional - local - {"tomli"}  # extras: tests skip without them
    assert not missing, f"tests import what the test extra does not install: {missing}"


def test_typed_and_classified() -> None:
    assert (ROOT / "src" / "vnconv" / "py.typed").is_file()
    classifiers = set(PROJECT["classifiers"])
    requires = PROJECT["requires-python"]
    low = int(requires.split(">=3.")[1].split(",")[0])
    for minor in range(low, 14):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    assert "Operating System :: Microsoft :: Windows" in classifiers
    assert "Operating System :: OS Independent" in classifiers
    assert "Typing :: Typed" in classifiers


def test_all_is_complete() -> None:
    public = {n for n, v in vars(vnconv).items() if not n.startswith("_") and not isinstance(v, types.ModuleType)
              and n != "annotations"}
    assert public <= set(vnconv.__all__), public - set(vnconv.__all__)
    assert all(hasattr(vnconv, n) for n in vnconv.__all__)
    from vnconv import cli, jobs

    for module in (cli, jobs):
        assert all(hasattr(module, n) for n in module.__all__)


def test_cli_and_jobs_stay_small_and_layered() -> None:
    """cli.py only parses and calls; jobs/ never reaches back up; no module over 700 lines, no function
    over 80 (issue 11)."""
    files = [ROOT / "src" / "vnconv" / "cli.py", *sorted((ROOT / "src" / "vnconv" / "jobs").glob("*.py"))]
    for path in files:
        source = path.read_text("utf-8")
        assert source.count("\n") <= 700, path
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert node.end_lineno - node.lineno < 80, f"{path.name}: {node.name}"  # type: ignore[operator]
            if path.parent.name == "jobs" and isinstance(node, ast.ImportFrom):
                assert not (node.level == 2 and node.module == "cli"), f"{path.name} imports the cli"
                assert node.module != "vnconv.cli", path.name
