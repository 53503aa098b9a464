"""No import cycle anywhere in harness/: the import graph is read from the source (ast), and every strongly
connected component of more than one module, or a module importing itself, fails the test by name.

Counted: `import a.b` and `from a import b` at module scope and inside functions (a function-level import
is how a cycle gets hidden, not removed); the package `__init__` modules Python runs on the way to a module
outside the importer's own package; and, in a module that calls `import_module`, every module of the package
its strings name ("pkg.mod" or "pkg.mod:Class", as a lookup table of lazily imported plugins holds them).
Not counted: imports under `if TYPE_CHECKING:`, which never run.
"""
from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST):
    """Every Import/ImportFrom node, at any depth, except the bodies of `if TYPE_CHECKING:`."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                yield from _imports(ast.Module(body=[child], type_ignores=[]))
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        yield from _imports(node)


_DOTTED = re.compile(r"[A-Za-z_][\w.]*(:[A-Za-z_]\w*)?")


def _dynamic_imports(tree: ast.AST, top: str) -> set[str]:
    """The modules named by a module's strings, if it imports by name at run time (importlib.import_module)."""
    calls = [n.func for n in ast.walk(tree) if isinstance(n, ast.Call)]
    if not any(getattr(f, "id", getattr(f, "attr", None)) == "import_module" for f in calls):
        return set()
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return {text.partition(":")[0] for text in strings
            if _DOTTED.fullmatch(text) and text.partition(":")[0].startswith(top + ".")}


def import_graph(package: Path) -> dict[str, set[str]]:
    """module -> the modules of `package` it imports; `package` is a folder whose name is the top package."""
    root = package.parent
    files = {_module_name(p, root): p for p in sorted(package.rglob("*.py"))}
    packages = {name for name, p in files.items() if p.name == "__init__.py"}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        here = name if name in packages else name.rpartition(".")[0]  # the package relative imports start from
        tree = ast.parse(path.read_text(), str(path))
        targets = _dynamic_imports(tree, package.name)
        for node in _imports(tree):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
                continue
            base = here.split(".")
            base = base[:len(base) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            targets.add(module)
            targets.update(f"{module}.{alias.name}" for alias in node.names)  # `from pkg import submodule`
        edges = set()
        for target in targets:
            parts = target.split(".")
            for i in range(1, len(parts) + 1):  # the target and the package __init__s Python runs first
                prefix = ".".join(parts[:i])
                if prefix in files and prefix != name and not (name + ".").startswith(prefix + "."):
                    edges.add(prefix)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with a cycle (Tarjan), each sorted, largest first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:  # recursion depth is bounded by the module count (~200)
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in graph.get(node, ()):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found, key=lambda c: (-len(c), c))


def _describe(found: list[list[str]]) -> str:
    return "\n".join(f"  cycle of {len(c)}: {', '.join(c)}" for c in found)


def test_harness_has_no_import_cycle():
    found = cycles(import_graph(ROOT / "harness"))
    assert not found, "import cycles in harness/ (break each, e.g. by moving the shared names down a layer):\n" \
                      + _describe(found)


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return tmp_path / "pkg"


def test_a_cycle_hidden_in_a_function_is_named(tmp_path):
    package = _package(tmp_path, {
        "__init__.py": "",
        "sub/__init__.py": "",
        "sub/config.py": "from .executor import run\n",
        "sub/executor.py": "def run():\n    from pkg.sub import config  # hidden, still a cycle\n",
        "top.py": "from pkg.sub.config import *\n",
    })
    assert cycles(import_graph(package)) == [["pkg.sub.config", "pkg.sub.executor"]]


def test_a_cycle_through_a_package_init_is_named(tmp_path):
    package = _package(tmp_path, {
        "__init__.py": "",
        "a.py": "import pkg.b.c\n",
        "b/__init__.py": "from .. import a\n",
        "b/c.py": "",
    })
    assert cycles(import_graph(package)) == [["pkg.a", "pkg.b"]]


def test_a_cycle_through_a_lazy_plugin_table_is_named(tmp_path):
    package = _package(tmp_path, {
        "__init__.py": "",
        "registry.py": "from importlib import import_module\nPLUGINS = {'x': 'pkg.plugin:Plugin'}\n"
                       "def get(name):\n    module, cls = PLUGINS[name].split(':')\n"
                       "    return getattr(import_module(module), cls)\n",
        "plugin.py": "from .topology import Spec\nclass Plugin: ...\n",
        "topology.py": "from .registry import PLUGINS\nclass Spec: ...\n",
    })
    assert cycles(import_graph(package)) == [["pkg.plugin", "pkg.registry", "pkg.topology"]]


def test_type_checking_imports_and_one_way_imports_are_not_cycles(tmp_path):
    package = _package(tmp_path, {
        "__init__.py": "",
        "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\nelse:\n    import json\n",
        "b.py": "from .a import json\nfrom . import c\n",
        "c.py": "import os\n",
    })
    graph = import_graph(package)
    assert graph["pkg.a"] == set() and graph["pkg.b"] == {"pkg.a", "pkg.c"}
    assert cycles(graph) == []
