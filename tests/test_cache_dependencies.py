"""An answer's cache tags come from what its selection reaches in the schema: documents,
fragments, the whole schema, and the SQL a full selection really runs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from graphql import (
    FragmentDefinitionNode,
    GraphQLArgument,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    OperationDefinitionNode,
    get_named_type,
    is_composite_type,
    is_enum_type,
    is_non_null_type,
    parse,
)
from sqlalchemy import event
from sqlalchemy.engine import Engine

from shopx.api.graphql.dependencies import (
    TYPE_TABLES,
    Reached,
    answer_tags,
    reachable_types,
    tags_of,
)
from shopx.cache.documents import ROOT_FIELDS, RootFields, plan
from shopx.cache.tags import ALL_TAGS, TABLE_TAGS
from tests.api import api_client
from tests.mutations import CREATE_ORDER, build_shop, order_input

UNCACHED_ROOTS = {"cacheInfo", "me", "jobs", "reports", "alerts", "imports"}
"""Root query fields answered afresh every time: per-process counters, and the caller (``me``
differs per token subject, which cache keys do not hold); jobs, reports and alerts are
written by jobs that tell no cache, and an import's progress moves without telling it."""
BOOKKEEPING = {"data_version"}
"""Tables answers may read that are not data (the write counter behind ``dataAsOf``)."""


def tags(query: str, operation: str | None = None) -> set[str] | None:
    found = plan(query, operation, answer_tags())
    return None if found is None else set(found.tags)


# -- derived from documents ------------------------------------------------------------------


def test_nested_selections_reach_the_tags_of_every_type_on_the_way():
    deep = """{ customer(id: 1) { name orders { edges { node {
        items { product { name category { name } } } } } } } }"""
    assert tags(deep) == {"customers", "orders", "products"}
    assert tags("{ customer(id: 1) { name email } }") == {"customers"}
    assert tags("{ order(id: 1) { salesRep { name } } }") == {"orders", "reps"}
    assert tags("{ product(id: 1) { name category { name parent { name } } } }") == {"products"}
    assert tags("{ salesRep(id: 1) { name } }") == {"reps"}
    assert tags("{ topProducts { rank } }") == {"orders", "products"}
    assert tags("{ categoryBreakdown { category { name } } }") == {"orders", "products"}
    assert tags("{ topSalesReps { salesRep { name } } }") == {"orders", "reps"}


def test_fragments_and_inline_fragments_count_where_they_are_spread():
    spread = """query Q { ...Root }
    fragment Root on Query { orders { edges { node { ...Buyer } } } }
    fragment Buyer on Order { customer { name } }"""
    assert tags(spread) == {"orders", "customers"}
    inline = "{ order(id: 1) { ... on Order { id ... { salesRep { name } } } } }"
    assert tags(inline) == {"orders", "reps"}
    typename = "{ product(id: 1) { __typename id } }"
    assert tags(typename) == {"products"}
    unused = "query Q { product(id: 1) { id } } fragment U on Product { performance { revenue } }"
    assert tags(unused) == {"products"}


def test_documents_the_schema_does_not_have_are_not_cached():
    assert tags("{ product(id: 1) { nonsense } }") is None
    assert tags("{ product(id: 1) { category } }") is None  # an object needs a selection
    assert tags("{ product(id: 1) { ...Missing } }") is None
    assert tags("{ product(id: 1) { ... on Nowhere { id } } }") is None
    cycle = """query Q { product(id: 1) { ...A } }
    fragment A on Product { category { ...B } }
    fragment B on Category { parent { ...A } }"""
    assert tags(cycle) is None
    root_cycle = "query Q { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"
    assert plan(root_cycle, None) is None


def test_a_type_without_a_declaration_depends_on_everything():
    assert tags_of(frozenset({"Product"})) == {"products"}
    assert tags_of(frozenset({"Product", "SomethingNew"})) == ALL_TAGS


def test_without_the_schema_a_planner_says_every_answer_depends_on_everything():
    assert set(plan("{ product(id: 1) { name } }", None).tags) == ALL_TAGS


# -- linear in the document ------------------------------------------------------------------


def doubling(levels: int, on: str, leaf: str) -> str:
    """Fragments F0 .. F<levels - 1>: F0 selects ``leaf``, every next one spreads the one
    before it twice (expanded at every spread: 2^levels copies of ``leaf``)."""
    return f"fragment F0 on {on} {{ {leaf} }}\n" + "\n".join(
        f"fragment F{i} on {on} {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels)
    )


def parts(text: str) -> tuple[OperationDefinitionNode, dict[str, FragmentDefinitionNode]]:
    definitions = parse(text).definitions
    (top,) = [node for node in definitions if isinstance(node, OperationDefinitionNode)]
    fragments = [node for node in definitions if isinstance(node, FragmentDefinitionNode)]
    return top, {node.name.value: node for node in fragments}


def test_a_doubling_fragment_chain_is_walked_once_per_fragment():
    top, fragments = parts("{ ...F29 }\n" + doubling(30, "Query", "salesOverview { totalOrders }"))
    roots = RootFields(fragments)
    assert roots.of(top.selection_set) == {"salesOverview"}
    assert roots.expansions == 30

    schema = answer_tags().schema
    reached = Reached(schema, fragments)
    assert reached.of(top.selection_set, schema.query_type) == {"SalesOverview"}
    assert reached.expansions == 30


def test_a_doubling_chain_nested_in_a_selection_plans():
    text = "{ order(id: 1) { ...F29 } }\n" + doubling(30, "Order", "salesRep { name }")
    assert tags(text) == {"orders", "reps"}


def test_a_document_too_deep_to_walk_is_not_cached():
    nesting = "orders { edges { node { customer { " * 400
    deep = f"{{ customer(id: 1) {{ {nesting} name {'} } } }' * 400} }} }}"
    assert tags(deep) is None
    chain = "\n".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(3000))
    last = "fragment F3000 on Query { realtimeMetrics { orders } }"
    assert tags(f"query Q {{ ...F0 }}\n{chain}\n{last}") is None


# -- the whole schema ------------------------------------------------------------------------


def root_field(name: str) -> GraphQLField:
    return answer_tags().schema.query_type.fields[name]


def test_every_root_query_field_is_placed_on_purpose():
    assert set(answer_tags().schema.query_type.fields) == ROOT_FIELDS.keys() | UNCACHED_ROOTS


def test_every_type_a_cacheable_root_field_can_reach_declares_its_tables():
    schema = answer_tags().schema
    for name in ROOT_FIELDS:
        reachable = reachable_types(schema, get_named_type(root_field(name).type))
        missing = reachable - TYPE_TABLES.keys()
        assert not missing, f"{name} reaches {sorted(missing)}: declare their tables"


def test_declarations_name_real_types_and_data_tables():
    schema = answer_tags().schema
    for type_name, tables in TYPE_TABLES.items():
        assert isinstance(schema.get_type(type_name), GraphQLObjectType), type_name
        assert tables <= TABLE_TAGS.keys(), (type_name, tables - TABLE_TAGS.keys())


# -- the tables a full selection really reads ------------------------------------------------

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
TABLE_READ = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)


NESTING = 7
"""Deepest object nesting of a generated document (within the API's document limits)."""
PAGE = 2
"""``first`` and ``limit`` of generated documents (within the API's cost limit)."""


def selection(kind: GraphQLNamedType, path: tuple[str, ...] = ()) -> str:
    """Every field of ``kind``; nested objects too, each type once along a path."""
    if not isinstance(kind, GraphQLObjectType) or len(path) > NESTING:
        return "__typename"
    picked = []
    for name, field in kind.fields.items():
        inner = get_named_type(field.type)
        if any(map(required, field.args.values())):
            continue
        if not is_composite_type(inner):
            picked.append(name)
        elif inner.name not in path:
            inside = selection(inner, (*path, kind.name))
            picked.append(f"{name}{paged(field)} {{ {inside} }}")
    return " ".join(picked) or "__typename"


def paged(field: GraphQLField) -> str:
    sizes = [f"{name}: {PAGE}" for name in ("first", "limit") if name in field.args]
    return f"({', '.join(sizes)})" if sizes else ""


def required(argument: GraphQLArgument) -> bool:
    """Non-null without a default (an SDL-built schema keeps defaults on the AST only)."""
    node = argument.ast_node
    return is_non_null_type(argument.type) and (node is None or node.default_value is None)


def full_document(name: str, arguments: str) -> str:
    kind = get_named_type(root_field(name).type)
    return f"{{ {name}{arguments} {{ {selection(kind, ('Query',))} }} }}"


def root_arguments(ids: dict[str, int]) -> Iterator[tuple[str, str]]:
    """Each cacheable root field with the arguments it needs (every enum value of those
    that change what is read)."""
    given = {
        "productId": ids["product"],
        "categoryId": ids["category"],
        "customerId": ids["customer"],
        "salesRepId": ids["rep"],
        "query": '"o"',
    }
    by_field = {
        "product": ids["product"],
        "category": ids["category"],
        "customer": ids["customer"],
        "order": ids["order"],
        "salesRep": ids["rep"],
    }
    for name in ROOT_FIELDS:
        field = root_field(name)
        if name in by_field:
            yield name, f"(id: {by_field[name]})"
            continue
        needed = {arg: a for arg, a in field.args.items() if required(a)}
        enums = {arg: a for arg, a in needed.items() if is_enum_type(get_named_type(a.type))}
        plain = ", ".join(
            [f"{arg}: {given[arg]}" for arg in needed if arg not in enums]
            + [f"{arg}: {PAGE}" for arg in ("first", "limit") if arg in field.args]
        )
        if not enums:
            yield name, f"({plain})" if plain else ""
            continue
        for arg, definition in enums.items():
            for value in values(definition):
                others = ", ".join(f"{o}: {first_value(enums[o])}" for o in enums if o != arg)
                parts = ", ".join(p for p in (plain, others, f"{arg}: {value}") if p)
                yield name, f"({parts})"


def values(argument: GraphQLArgument) -> list[str]:
    """An enum argument's values (a CUSTOM period needs a date range: left out)."""
    return [value for value in get_named_type(argument.type).values if value != "CUSTOM"]


def first_value(argument: GraphQLArgument) -> str:
    return values(argument)[0]


@contextmanager
def tables_read() -> Iterator[set[str]]:
    read: set[str] = set()

    def note(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        read.update(name.lower() for name in TABLE_READ.findall(statement))

    event.listen(Engine, "before_cursor_execute", note)
    try:
        yield read
    finally:
        event.remove(Engine, "before_cursor_execute", note)


async def test_a_full_selection_of_each_root_field_reads_only_tables_of_its_tags(
    database_url, engine
):
    shop = await build_shop(engine)
    async with api_client(database_url, now=NOW, cache_enabled=False) as client:
        lines = order_input(
            shop.north,
            (shop.boot, 1),
            (shop.cap, 2),
            status="COMPLETED",
            salesRepId=str(shop.seller),
            orderDate="2026-11-20T09:00:00Z",
        )
        order = (await client.data(CREATE_ORDER, {"input": lines}))["createOrder"]
        ids = {
            "product": shop.boot,
            "category": shop.shoes,
            "customer": shop.north,
            "rep": shop.seller,
            "order": int(order["id"]),
        }
        covered: set[str] = set()
        for name, arguments in root_arguments(ids):
            document = full_document(name, arguments)
            derived = tags(document)
            assert derived is not None, document
            with tables_read() as read:
                await client.data(document)
            assert read - BOOKKEEPING <= TABLE_TAGS.keys(), (name, read)
            needed = {TABLE_TAGS[table] for table in read - BOOKKEEPING}
            assert needed <= derived, f"{name}{arguments} reads {needed - derived} untagged"
            covered |= types_in(document)
    assert covered == every_reachable_type()


def types_in(document: str) -> frozenset[str]:
    top, fragments = parts(document)
    schema = answer_tags().schema
    found = Reached(schema, fragments).of(top.selection_set, schema.query_type)
    assert found is not None
    return found


def every_reachable_type() -> frozenset[str]:
    schema = answer_tags().schema
    kinds = (get_named_type(root_field(name).type) for name in ROOT_FIELDS)
    return frozenset().union(*(reachable_types(schema, kind) for kind in kinds))
