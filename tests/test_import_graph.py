"""The shape of the import graph of ``src/shopx``: no cycles, imports at the top of their
module, and layers that only point down: api (and the CLI) -> domain -> (cache, db) -> config.

A failure lists every offender; :mod:`tests.import_graph` says how the graph is read.
"""

from __future__ import annotations

import ast

import pytest

from tests.import_graph import (
    cycles,
    graph,
    imports,
    lazy_type_references,
    modules,
    package_graph,
    under,
)

STATEMENTS = imports()
EDGES = graph(STATEMENTS)

DOMAIN = (
    "shopx.analytics",
    "shopx.catalog",
    "shopx.customers",
    "shopx.orders",
    "shopx.reps",
    "shopx.jobs",
    "shopx.seed",
    "shopx.rollups",
    "shopx.ingest",
    "shopx.auth",
    "shopx.reports",
    "shopx.alerts",
    "shopx.sheets",
)
"""Business code: it may use the low layer, never the API or the CLI above it."""
TOP = ("shopx.api", "shopx.cli", "shopx.db.migrations")
LOW = (
    "shopx.db",
    "shopx.cache",
    "shopx.config",
    "shopx.bounds",
    "shopx.calendar",
    "shopx.durations",
    "shopx.errors",
    "shopx.text",
)
"""Machinery every domain package builds on; it knows nothing of them."""

WEB = ("strawberry", "fastapi", "starlette")
"""Libraries of the API layer: the domain and the layers below it never import them. The
domain does not read GraphQL documents either (graphql-core); the response cache does, to
key and invalidate answers (``shopx.cache.documents``)."""

GRAPHQL_TYPES = "shopx.api.graphql.types"
"""The only place where two modules may name each other, through lazy type references."""


def test_no_cycle_between_modules():
    groups = cycles(EDGES)
    assert not groups, "modules importing each other in a circle:\n" + _lines(groups)


def test_no_cycle_between_top_level_packages():
    groups = cycles(package_graph(EDGES))
    assert not groups, "packages importing each other in a circle:\n" + _lines(groups)


def test_no_import_inside_a_function():
    lazy = [s for s in STATEMENTS if s.function is not None and not s.lazy_type]
    assert not lazy, "imports inside functions (move them to the top):\n" + "\n".join(
        f"  {s.module}:{s.line} in {s.function}(): {s.text}" for s in lazy
    )


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [(DOMAIN, TOP), (LOW, DOMAIN + TOP)],
    ids=["domain never imports api or cli", "db, cache, config never import domain or api"],
)
def test_layers_only_point_down(layer, forbidden):
    upward = [
        (s, target)
        for s in STATEMENTS
        # shopx.db.migrations sits inside shopx.db but above everything: a migration
        # that fills a new table runs the domain's definition of it.
        if any(under(s.module, p) for p in layer) and not any(under(s.module, p) for p in TOP)
        for target in sorted(s.targets)
        if any(under(target, p) for p in forbidden)
    ]
    assert not upward, "imports pointing up a layer:\n" + "\n".join(
        f"  {s.module}:{s.line} -> {target}" for s, target in upward
    )


@pytest.mark.parametrize(
    ("layer", "libraries"),
    [(DOMAIN, (*WEB, "graphql")), (LOW, WEB)],
    ids=["domain knows no web framework nor GraphQL", "db, cache, config know no web framework"],
)
def test_the_api_layers_libraries_stay_in_it(layer, libraries):
    found = [
        f"  {name}: import {library}"
        for name, path in modules().items()
        if any(under(name, package) for package in layer)
        for library in sorted(_libraries(path))
        if library in libraries
    ]
    assert not found, "the API layer's libraries below it:\n" + "\n".join(found)


def _libraries(path) -> set[str]:
    """The top-level names of every absolute import of the module at ``path``."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.partition(".")[0])
    return names


def test_lazy_type_references_stay_between_graphql_types():
    """Types that name each other (a product and its performance) resolve one side with
    ``strawberry.lazy`` and import it in the resolver; nowhere else may code import late."""
    stray = [
        s
        for s in lazy_type_references(STATEMENTS)
        if not under(s.module, GRAPHQL_TYPES)
        or not all(under(target, GRAPHQL_TYPES) for target in s.targets)
    ]
    assert not stray, "lazy imports outside the GraphQL types:\n" + "\n".join(
        f"  {s.module}:{s.line}: {s.text}" for s in stray
    )


def test_the_reader_sees_relative_lazy_and_type_checking_imports(tmp_path):
    """The graph builder itself, on a small tree: relative and package imports resolve to
    modules, lazy ones are marked, ``TYPE_CHECKING`` ones are left out."""
    package = tmp_path / "shopx" / "pkg"
    package.mkdir(parents=True)
    (tmp_path / "shopx" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("from shopx.pkg.a import A\n")
    (package / "a.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from . import b\n"
        "from shopx.pkg import NAME\n"
        "if TYPE_CHECKING:\n"
        "    from shopx.pkg.c import C\n"
        "def f():\n"
        "    import shopx.pkg.c\n"
    )
    (package / "b.py").write_text("from .a import A\n")
    (package / "c.py").write_text("")
    found = imports(tmp_path)
    assert [(s.module, s.function, sorted(s.targets)) for s in found] == [
        ("shopx.pkg", None, ["shopx.pkg.a"]),
        ("shopx.pkg.a", None, []),
        ("shopx.pkg.a", None, ["shopx.pkg.b"]),
        ("shopx.pkg.a", None, ["shopx.pkg"]),
        ("shopx.pkg.a", "f", ["shopx.pkg.c"]),
        ("shopx.pkg.b", None, ["shopx.pkg.a"]),
    ]
    assert cycles(graph(found)) == [["shopx.pkg", "shopx.pkg.a", "shopx.pkg.b"]]


def _lines(groups: list[list[str]]) -> str:
    return "\n".join(f"  {len(group)}: {', '.join(group)}" for group in groups)


def test_a_lazy_type_reference_is_marked_and_left_out_of_the_graph(tmp_path):
    package = tmp_path / "shopx" / "pkg"
    package.mkdir(parents=True)
    (tmp_path / "shopx" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text(
        "import strawberry\n"
        'B = strawberry.lazy("shopx.pkg.b")\n'
        "def resolve():\n"
        "    from shopx.pkg.b import make\n"
        "def other():\n"
        "    from shopx.pkg.c import thing\n"
    )
    (package / "b.py").write_text("from shopx.pkg.a import B\n")
    (package / "c.py").write_text("from shopx.pkg.a import B\n")
    found = imports(tmp_path)
    assert [(s.module, s.function, s.lazy_type) for s in lazy_type_references(found)] == [
        ("shopx.pkg.a", "resolve", True)
    ]
    assert cycles(graph(found)) == [["shopx.pkg.a", "shopx.pkg.c"]]
