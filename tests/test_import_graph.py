"""The rooms' imports run one way: no circle, and no import (at module level or inside a function) back up a layer.

ingestion (no Dagster) <- expectations, samples <- publishing (no Dagster) <- orchestration. Inside orchestration,
the Dagster definitions (orchestration.defs) sit above its helpers, and only the entry points (cli, definitions)
import them.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ingestion", "expectations", "samples", "publishing", "orchestration")
LAYER = {"ingestion": 0, "expectations": 1, "samples": 1, "publishing": 2, "orchestration": 3}
ENTRY_POINTS = {"orchestration.cli", "orchestration.definitions"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


def imports_of(path: Path, modules: dict[str, Path], package: str | None = None) -> set[str]:
    """The project modules a module imports, wherever the import stands (module level or in a function)."""
    found: set[str] = set()
    if package is None:  # the package relative imports start from
        package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


def graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(path, modules) - {name} for name, path in modules.items()}


def test_no_module_imports_back_up_a_layer():
    upward = []
    for module, imported in graph().items():
        for target in imported:
            if LAYER[target.split(".")[0]] > LAYER[module.split(".")[0]]:
                upward.append(f"{module} -> {target}")
            into_defs = target.startswith("orchestration.defs")
            if into_defs and not module.startswith("orchestration.defs") and module not in ENTRY_POINTS:
                upward.append(f"{module} -> {target} (only the entry points import the Dagster definitions)")
    assert upward == []


def test_the_import_graph_has_no_circle():
    edges = graph()
    # a package's __init__ importing its own submodules is how a package presents itself, not a circle
    edges = {m: {t for t in ts if not t.startswith(m + ".")} for m, ts in edges.items()}
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                circles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_the_graph_sees_imports_inside_functions(tmp_path):
    """The test above could not fail if function-level imports were missed: they are the ones that ran back up."""
    modules = {"ingestion": tmp_path, "ingestion.reader": tmp_path, "orchestration.cli": tmp_path}
    source = tmp_path / "x.py"
    source.write_text("def f():\n    from orchestration.cli import main\n    from . import reader\n")
    assert imports_of(source, modules, package="ingestion") == {"orchestration.cli", "ingestion", "ingestion.reader"}
