"""The cache-warm job's copy of the dashboard's requests (src/shopx/jobs/dashboard_requests.json)
matches the dashboard: change a query in frontend/src without running
``node frontend/scripts/export-requests.mjs`` and these fail."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import orjson
import pytest
from graphql import (
    DefinitionNode,
    FieldNode,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    print_ast,
)

from shopx.jobs.cache_warm import dashboard_views
from tests.services import services_required

FRONTEND = Path(__file__).parents[1] / "frontend"
DOCUMENT = re.compile(r"graphql\(\s*`([^`]*)`\s*\)")


def dashboard_definitions() -> dict[str, DefinitionNode]:
    """Every operation and fragment written in the dashboard's sources, by name (what
    graphql-codegen reads: ``graphql(`...`)`` in src, generated code left out)."""
    found: dict[str, DefinitionNode] = {}
    for path in sorted((FRONTEND / "src").rglob("*.ts*")):
        if "gql" in path.relative_to(FRONTEND / "src").parts[:1]:
            continue
        for source in DOCUMENT.findall(path.read_text(encoding="utf-8")):
            for definition in parse(source).definitions:
                found[definition.name.value] = definition
    return found


def with_typenames(node: DefinitionNode) -> DefinitionNode:
    """``node`` as urql's formatDocument sends it: ``__typename`` selected in every selection
    set but the operation's own."""

    def selections(selection_set: SelectionSetNode, root: bool) -> SelectionSetNode:
        inner = [
            child.__class__(
                **{
                    **{key: getattr(child, key) for key in child.keys},
                    "selection_set": selections(child.selection_set, False),
                }
            )
            if getattr(child, "selection_set", None) is not None
            else child
            for child in selection_set.selections
        ]
        named = any(
            isinstance(child, FieldNode) and child.name.value == "__typename" and not child.alias
            for child in inner
        )
        if not root and not named:
            inner.append(FieldNode(name=NameNode(value="__typename"), arguments=(), directives=()))
        return SelectionSetNode(selections=tuple(inner))

    root = isinstance(node, OperationDefinitionNode)
    fields = {key: getattr(node, key) for key in node.keys}
    return node.__class__(**{**fields, "selection_set": selections(node.selection_set, root)})


def test_each_warmed_request_is_a_query_the_dashboard_sends():
    written = dashboard_definitions()
    for view in dashboard_views():
        body = orjson.loads(view.body)
        document = parse(body["query"])
        names = [definition.name.value for definition in document.definitions]
        assert body["operationName"] in names
        for definition in document.definitions:
            name = definition.name.value
            assert name in written, f"{name} is no longer in the dashboard: export again"
            assert print_ast(definition) == print_ast(with_typenames(written[name])), (
                f"the dashboard's {name} changed: run node frontend/scripts/export-requests.mjs"
            )


def test_the_export_is_what_the_dashboard_code_makes_of_its_views():
    """The exporter run against the dashboard as it is (its typed documents, its page
    defaults, urql's own formatting) reproduces the committed file. Needs Node and the
    dashboard's dependencies and generated documents (``make frontend``)."""
    ready = (
        shutil.which("node")
        and (FRONTEND / "node_modules").is_dir()
        and (FRONTEND / "src" / "gql" / "graphql.ts").is_file()
    )
    if not ready:
        message = "node, frontend/node_modules or frontend/src/gql missing (make frontend)"
        if services_required():
            pytest.fail(message)
        pytest.skip(message)
    run = subprocess.run(
        ["node", "scripts/export-requests.mjs", "--check"],
        cwd=FRONTEND,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
