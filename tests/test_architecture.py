"""The layers of docs/architecture.md, checked on the source: data flows down, no import circles, small units.

Every import counts, the ones inside functions too (a lazy import is still a dependency); only the imports
under ``if TYPE_CHECKING:`` do not (they never run: annotations only)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "vnconv"

#: a module may import only from its own layer or a lower one (docs/architecture.md draws the same picture)
LAYERS: list[tuple[str, ...]] = [
    ("vnconv.errors", "vnconv._data", "vnconv._cache"),
    ("vnconv.language",),
    ("vnconv.charsets",),
    ("vnconv.repair",),
    ("vnconv.sniff",), ("vnconv.detect",),
    ("vnconv.documents",),
    ("vnconv.pipelines", "vnconv.dask", "vnconv.spark", "vnconv.loaders"), ("vnconv.jobs",),
    ("vnconv.web",),
    ("vnconv.cli", "vnconv.__main__"),
]
MAX_MODULE_LINES = 700
MAX_FUNCTION_LINES = 80


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and _is_type_checking(node.test)
                   for stmt in node.body for n in ast.walk(stmt)}
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [mod] + [f"{mod}.{a.name}" for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t.startswith("vnconv") and t != name and t != "vnconv":
                found.add(t)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _rank(name: str) -> int:
    for i, layer in enumerate(LAYERS):
        if any(name == p or name.startswith(p + ".") for p in layer):
            return i
    raise AssertionError(f"{name} is in no layer: add it to LAYERS and docs/architecture.md")


GRAPH = {n: _imports(n, p, set(_modules())) for n, p in _modules().items()}


@pytest.mark.parametrize("name", sorted(n for n in GRAPH if n != "vnconv"))
def test_imports_flow_down(name: str) -> None:
    up = sorted(t for t in GRAPH[name] if _rank(t) > _rank(name))
    assert not up, f"{name} imports from a higher layer: {up}"


def test_no_import_circles() -> None:
    graph = {n: {t for t in ts if t != "vnconv"} for n, ts in GRAPH.items() if n != "vnconv"}
    for n in list(graph):  # a package's __init__ importing its own modules is not a circle
        graph[n] = {t for t in graph[n] if not t.startswith(n + ".")}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(n: str, stack: list[str]) -> None:
        state[n] = 1
        for t in sorted(graph.get(n, ())):
            if state.get(t) == 1:
                cycles.append(stack[stack.index(t):] + [t] if t in stack else [n, t])
            elif t not in state:
                visit(t, stack + [t])
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n, [n])
    assert not cycles, f"import circles: {cycles}"


@pytest.mark.parametrize("name", sorted(_modules()))
def test_modules_are_small(name: str) -> None:
    lines = _modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{name}: {lines} lines (at most {MAX_MODULE_LINES})"


def test_functions_are_small() -> None:
    long: list[str] = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{name}.{node.name}: {n} lines")
    assert not long, "functions over %d lines: %s" % (MAX_FUNCTION_LINES, long)
