"""The layer rule of docs/architecture.md, read off every module's imports (an AST walk).

A module may import from its own layer and the layers below it, never above; no two modules
import each other, directly or round a longer circle; the pure core does no I/O.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "ogpsite"

# Lowest first. The package root (`__version__`) and its data folder sit below everything.
# Lowest first; layers in one tuple stand side by side: neither imports the other.
LAYERS = ["", "translit", "core", "sources", ("build", "importer"), "commands"]
RANK = {name: rank for rank, level in enumerate(LAYERS) for name in (level if isinstance(level, tuple) else (level,))}
# The main module is a command: `python -m ogpsite`.
LAYER_OF_ROOT_MODULE = {"__init__": "", "__main__": "commands", "translit": "translit"}
# Modules of the standard library that reach files, processes or the network.
IO_MODULES = {"os", "pathlib", "shutil", "subprocess", "io", "socket", "tempfile", "http", "urllib.request", "glob", "sqlite3"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str:
    """`ogpsite.build.cache` -> `build`; `ogpsite` -> ``; `ogpsite.__main__` -> `commands`."""
    parts = module.split(".")[1:]
    if not parts:
        return ""
    first = parts[0]
    return LAYER_OF_ROOT_MODULE.get(first, first)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every ogpsite module `path` imports (at the top or inside a function), with its line.

    `from . import x` names the module `x` when it is one, else the package."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.split(".")[0] == "ogpsite"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base.split(".")[0] != "ogpsite":
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.append((node.lineno, candidate if _is_module(candidate) else base))
    return found


def stdlib_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _is_module(dotted: str) -> bool:
    relative = Path(*dotted.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").is_file() or (PACKAGE / relative / "__init__.py").is_file()


def modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts)


def back_edges(graph: dict[str, list[tuple[int, str]]]) -> list[str]:
    """`module:line imports target` for every import of a higher layer."""
    problems = []
    for module, imports in graph.items():
        layer = layer_of(module)
        for line, target in imports:
            other = layer_of(target)
            if RANK[other] > RANK[layer]:
                problems.append(f"{module}:{line} imports {target} ({other} is above {layer or 'the package root'})")
            elif RANK[other] == RANK[layer] and other != layer:
                problems.append(f"{module}:{line} imports {target} ({other} stands beside {layer}, not below it)")
    return problems


def circles(graph: dict[str, list[tuple[int, str]]]) -> list[list[str]]:
    """Import circles between modules (a package's `__init__` counts as the package)."""
    edges = {module: sorted({target for _, target in imports if target != module}) for module, imports in graph.items()}
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in edges.get(module, []):
            if state.get(target) == 1:
                found.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)
    return found


def import_graph() -> dict[str, list[tuple[int, str]]]:
    return {module_name(path): imported_modules(path) for path in modules()}


def test_every_module_belongs_to_a_known_layer() -> None:
    unknown = sorted({layer_of(module) for module in import_graph()} - set(RANK))
    assert unknown == [], f"add these folders to LAYERS and docs/architecture.md: {unknown}"


def test_imports_point_down_the_layers() -> None:
    assert back_edges(import_graph()) == []


def test_no_two_modules_import_each_other() -> None:
    assert circles(import_graph()) == []


@pytest.mark.parametrize("path", [path for path in modules() if layer_of(module_name(path)) == "core"], ids=lambda path: path.name)
def test_the_core_does_no_io(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert stdlib_imports(path) & IO_MODULES == set()
    assert not any(isinstance(node, ast.Name) and node.id == "open" for node in ast.walk(ast.parse(source)))


def test_every_module_says_its_job_on_its_first_line() -> None:
    silent = []
    for path in modules():
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        if path.name != "__main__.py" and not (docstring and docstring.splitlines()[0].strip()):
            silent.append(str(path.relative_to(PACKAGE)))
    assert silent == []


def test_the_rule_sees_a_back_edge_and_a_circle() -> None:
    """The checks above would catch what they are for: a core module importing the build, and
    two build modules importing each other (the pipeline and the incremental builder did)."""
    graph = {
        "ogpsite.core.pages": [(3, "ogpsite.build.render")],
        "ogpsite.build.pipeline": [(5, "ogpsite.build.incremental")],
        "ogpsite.build.incremental": [(7, "ogpsite.build.pipeline")],
        "ogpsite.importer.run": [(9, "ogpsite.build.pipeline"), (10, "ogpsite.sources.reader")],
    }
    assert back_edges(graph) == [
        "ogpsite.core.pages:3 imports ogpsite.build.render (build is above core)",
        "ogpsite.importer.run:9 imports ogpsite.build.pipeline (build stands beside importer, not below it)",
    ]
    assert circles(graph) == [["ogpsite.build.incremental", "ogpsite.build.pipeline", "ogpsite.build.incremental"]]
