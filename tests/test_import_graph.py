"""The shape of the import graph of ``src/shopx``: no cycles, imports at the top of their
module, and layers that only point down: api (and the CLI) -> domain -> (cache, db) -> config.

A failure lists every offender; :mod:`tests.import_graph` says how the graph is read.
"""

from __future__ import annotations

import pytest

from tests.import_graph import cycles, graph, imports, package_graph, under

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
)
"""Business code: it may use the low layer, never the API or the CLI above it."""
TOP = ("shopx.api", "shopx.cli")
LOW = ("shopx.db", "shopx.cache", "shopx.config", "shopx.bounds", "shopx.calendar", "shopx.errors")
"""Machinery every domain package builds on; it knows nothing of them."""

LAZY_IMPORTS_ALLOWED: dict[tuple[str, str], str] = {}
"""(module, import statement) -> why it has to run inside a function. Empty on purpose:
Strawberry's lazy type references are strings (``strawberry.lazy``), not imports."""


def test_no_cycle_between_modules():
    groups = cycles(EDGES)
    assert not groups, "modules importing each other in a circle:\n" + _lines(groups)


def test_no_cycle_between_top_level_packages():
    groups = cycles(package_graph(EDGES))
    assert not groups, "packages importing each other in a circle:\n" + _lines(groups)


def test_no_import_inside_a_function():
    lazy = [
        s
        for s in STATEMENTS
        if s.function is not None and (s.module, s.text) not in LAZY_IMPORTS_ALLOWED
    ]
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
        if any(under(s.module, p) for p in layer)
        for target in sorted(s.targets)
        if any(under(target, p) for p in forbidden)
    ]
    assert not upward, "imports pointing up a layer:\n" + "\n".join(
        f"  {s.module}:{s.line} -> {target}" for s, target in upward
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
