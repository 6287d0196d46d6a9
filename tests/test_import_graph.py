"""The layout shows the design: data flows one way between the packages, with no cycle and no private imports.

Imports are read from the source with ``ast`` (those inside functions too), so a cycle hidden in a function-level
import is found as well as one at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import charter_rules

PACKAGE = Path(charter_rules.__file__).parent
SUBPACKAGES = {"check", "charter", "reports", "planning", "docgen", "live", "cli"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module imported, names imported from it) for every import in the file, relative ones resolved."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [alias.name for alias in node.names]
            if not node.module:  # ``from . import x``: x is a module of the package
                found.extend((f"{target}.{name}", []) for name in names)
            else:
                found.append((target, names))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
    return [(target, names) for target, names in found if target.split(".")[0] == "charter_rules"]


def _group(module: str) -> str:
    """The part of the package a module belongs to: a subpackage, or "core" (the modules at the top)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in SUBPACKAGES else "core"


def _sources() -> list[Path]:
    # the package root only re-exports public names and ``__main__`` starts the CLI: they are the doors into the
    # package, not a part of the flow
    doors = {PACKAGE / "__init__.py", PACKAGE / "__main__.py"}
    return [p for p in sorted(PACKAGE.rglob("*.py")) if p not in doors]


def _package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in _sources():
        source = _group(_module_name(path))
        for target, _ in _imports(path):
            if target == "charter_rules":
                continue
            graph.setdefault(source, set())
            if _group(target) != source:
                graph[source].add(_group(target))
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def test_packages_import_each_other_without_a_cycle():
    assert _cycle(_package_graph()) is None


def test_data_flows_from_the_core_outwards():
    graph = _package_graph()
    assert graph["core"] == set(), "the core pipeline (rules -> compile -> evaluate -> explain) imports no package"
    assert graph["check"] <= {"core"}
    assert graph["charter"] <= {"core"}
    assert graph["reports"] <= {"core", "check"}
    assert graph["planning"] <= {"core", "check", "reports"}
    assert "cli" not in set().union(*(targets for source, targets in graph.items() if source != "cli"))


def test_modules_import_each_other_without_a_cycle():
    graph: dict[str, set[str]] = {}
    modules = {_module_name(p) for p in _sources()}
    for path in _sources():
        source = _module_name(path)
        graph.setdefault(source, set())
        for target, _ in _imports(path):
            if target in modules and target != source and not source.startswith(target + "."):
                graph[source].add(target)
    # a package's __init__ re-exports its modules; a module importing its own package's names is not a cycle
    for name in list(graph):
        graph[name] = {t for t in graph[name] if not name.startswith(t + ".")}
    assert _cycle(graph) is None


def test_no_private_name_is_imported_from_another_package():
    offenders = []
    for path in _sources():
        source = _group(_module_name(path))
        for target, names in _imports(path):
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if _group(target) != source and private:
                offenders.append(f"{_module_name(path)} imports {private} from {target}")
    assert offenders == []
