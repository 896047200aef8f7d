"""The import graph of ``src/shopx``, read with :mod:`ast` so that nothing is executed.

Each module is named by its dotted path (``shopx/seed/__init__.py`` is ``shopx.seed``). An
import statement loads the ``shopx`` modules it names: ``import a.b`` and ``from a import b``
load ``a.b`` when that is a module, else ``a`` (a package counts as its ``__init__``).
Imports under ``if TYPE_CHECKING:`` never run, so they are left out; imports inside
functions are kept, marked with their function, because a lazy import that closes a cycle
is still a cycle. One kind is told apart: a lazy type reference, an import inside a
resolver of a module that names the same module in ``strawberry.lazy("...")``. Two
GraphQL types that name each other (``Product.performance`` and
``ProductPerformance.product``) need one, and Strawberry's documented way is this pair; such
imports are left out of the graph and listed by :func:`lazy_type_references`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src"


@dataclass(frozen=True)
class Import:
    module: str
    """The importing module."""
    line: int
    function: str | None
    """The innermost function around the statement; None at module or class level."""
    text: str
    """The statement as written (normalised by :func:`ast.unparse`)."""
    targets: frozenset[str]
    """The ``shopx`` modules the statement loads."""
    lazy_type: bool = False
    """Inside a function, loading only modules its module names in ``strawberry.lazy``."""


def modules(root: Path = SOURCE) -> dict[str, Path]:
    """Every module under ``root/shopx`` by dotted name."""
    found = {}
    for path in sorted((root / "shopx").rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(root: Path = SOURCE) -> list[Import]:
    """Every import statement of every module, in module and line order."""
    known = modules(root)
    found: list[Import] = []
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        reader = _Reader(name, package, known)
        reader.visit(ast.parse(path.read_text(), str(path)))
        found.extend(reader.marked())
    return found


def lazy_type_references(statements: list[Import]) -> list[Import]:
    """The imports that resolve a ``strawberry.lazy`` type reference at run time."""
    return [s for s in statements if s.lazy_type]


def graph(statements: list[Import]) -> dict[str, set[str]]:
    """Module -> the modules it imports (self-imports left out)."""
    edges: dict[str, set[str]] = {}
    for statement in statements:
        targets = set() if statement.lazy_type else statement.targets - {statement.module}
        edges.setdefault(statement.module, set()).update(targets)
    return edges


SCRIPTS = ("shopx.db.migrations",)
"""Loaded by path by their tool (Alembic), never imported: a package of their own."""


def package_of(module: str) -> str:
    """The top-level package a module belongs to: ``shopx.seed.service`` -> ``shopx.seed``."""
    for script in SCRIPTS:
        if under(module, script):
            return script
    return ".".join(module.split(".")[:2])


def package_graph(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """Top-level package -> the other top-level packages its modules import."""
    packages: dict[str, set[str]] = {}
    for source, targets in edges.items():
        mine = package_of(source)
        packages.setdefault(mine, set()).update(package_of(t) for t in targets)
        packages[mine].discard(mine)
    return packages


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one node, each sorted (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = stack[stack.index(node) :]
            del stack[stack.index(node) :]
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(groups)


def under(module: str, prefix: str) -> bool:
    """``module`` is ``prefix`` or inside it."""
    return module == prefix or module.startswith(prefix + ".")


class _Reader(ast.NodeVisitor):
    def __init__(self, module: str, package: str, known: dict[str, Path]) -> None:
        self.module = module
        self.package = package
        self.known = known
        self.functions: list[str] = []
        self.found: list[Import] = []
        self.lazy: set[str] = set()

    def marked(self) -> list[Import]:
        """What was found, the lazy type references marked."""
        return [
            replace(s, lazy_type=True)
            if s.function is not None and s.targets and s.targets <= self.lazy
            else s
            for s in self.found
        ]

    def visit_Call(self, node: ast.Call) -> None:
        if _is_strawberry_lazy(node.func) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                self.lazy.add(first.value)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        self._add(node, {self._resolve(alias.name) for alias in node.names})

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = self._absolute(node)
        self._add(node, {self._resolve(f"{base}.{alias.name}") for alias in node.names})

    def _absolute(self, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        parts = self.package.split(".")
        parts = parts[: len(parts) - node.level + 1]
        return ".".join([*parts, node.module] if node.module else parts)

    def _resolve(self, name: str) -> str | None:
        """The longest known module that ``name`` starts with, if any."""
        while name and name not in self.known:
            name = name.rpartition(".")[0]
        return name or None

    def _add(self, node: ast.Import | ast.ImportFrom, targets: set[str | None]) -> None:
        function = self.functions[-1] if self.functions else None
        shopx = frozenset(t for t in targets if t is not None)
        self.found.append(Import(self.module, node.lineno, function, ast.unparse(node), shopx))


def _is_strawberry_lazy(func: ast.expr) -> bool:
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "lazy"
        and isinstance(func.value, ast.Name)
        and func.value.id == "strawberry"
    )


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )
