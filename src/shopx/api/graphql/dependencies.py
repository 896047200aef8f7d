"""What a cached answer depends on, derived from the schema: the tables behind each GraphQL
object type, and the walk that finds the types a query's selection reaches.

Tags per root field cannot be right for long: ``customer { orders { items { product { name
} } } }`` reads products although ``customer`` is about customers, and every new field or
nesting would have to be remembered in a list far from it. Here each object type declares
the tables the values of its own fields come from (:data:`TYPE_TABLES`; nested objects
declare theirs), and an answer depends on the tags (:data:`shopx.cache.tags.TABLE_TAGS`)
of the tables of every type its selection actually reaches.

The declaration is a mapping keyed by GraphQL type name, not an attribute on each
Strawberry class: the classes still live in the domain packages (they move under this
package next), and one mapping reads at a glance next to the walk that uses it. The tests
in ``tests/test_cache_dependencies.py`` hold it to the schema and to the SQL: every type a
cacheable root field can reach has an entry, and a full selection of each root field reads
no table whose tag the types it reaches do not declare. A type missing here all the same
depends on every tag (never stale, only a hit less often).
"""

from __future__ import annotations

from functools import cache

import strawberry
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    OperationDefinitionNode,
    SelectionSetNode,
    build_schema,
    get_named_type,
    is_abstract_type,
    is_composite_type,
)

from shopx.api.graphql.schema import schema as api_schema
from shopx.cache.documents import Fragments, FragmentWalk
from shopx.cache.tags import ALL_TAGS, ORDERS, TABLE_TAGS

SALES = frozenset(table for table, tag in TABLE_TAGS.items() if tag == ORDERS)
"""Orders, their items and every rollup of them."""
CATALOG = frozenset({"products", "categories"})
CUSTOMERS = frozenset({"customers"})
REPS = frozenset({"sales_representatives"})
NOTHING: frozenset[str] = frozenset()
"""A type that only holds other objects (or a page's cursors)."""

TYPE_TABLES: dict[str, frozenset[str]] = {
    "Category": frozenset({"categories"}),
    "Product": frozenset({"products"}),
    "Brand": frozenset({"products"}),
    "ProductConnection": CATALOG,
    "ProductEdge": CATALOG,
    "LowStockProduct": SALES | CATALOG,
    "Customer": CUSTOMERS,
    "CustomerConnection": CUSTOMERS,
    "CustomerEdge": CUSTOMERS,
    "SalesRep": REPS,
    "SalesRepConnection": REPS,
    "SalesRepEdge": REPS,
    "Order": SALES,
    "OrderItem": SALES,
    "OrderConnection": SALES,
    "OrderEdge": SALES,
    "PageInfo": NOTHING,
    "SalesOverview": SALES,
    "RealtimeMetrics": SALES,
    "TrendPoint": SALES,
    "DashboardOverview": NOTHING,
    "ProductInsight": SALES | CATALOG,
    "ProductPerformanceType": SALES | CATALOG,
    "CategoryInsight": SALES | CATALOG,
    "CategoryPerformance": SALES | CATALOG,
    "CustomerSegmentSummary": SALES | CUSTOMERS,
    "CustomerMetrics": SALES | CUSTOMERS,
    "CustomerRetention": SALES | CUSTOMERS,
    "Cohort": SALES | CUSTOMERS,
    "SalesRepPerformance": SALES | REPS,
    "SalesRepPerformanceDetail": SALES | REPS,
    "RegionalPerformance": SALES | CUSTOMERS,
    "ProfitabilityMetrics": SALES,
    "CategoryProfit": SALES | CATALOG,
    "SegmentProfit": SALES | CUSTOMERS,
    "MarginGroup": SALES | CATALOG | CUSTOMERS | REPS,
    "ShopInfo": NOTHING,
}
"""Per object type: the tables the values of its own fields are read from, the work that
chose and ranked its objects included (a top product's rank reads sales)."""


def tags_of(types: frozenset[str]) -> frozenset[str]:
    """The cache tags of answers made of objects of these types."""
    tags: set[str] = set()
    for name in types:
        tables = TYPE_TABLES.get(name)
        if tables is None:
            return ALL_TAGS
        tags.update(TABLE_TAGS[table] for table in tables)
    return frozenset(tags)


class Reached(FragmentWalk[frozenset[str]]):
    """The object types a selection reaches (possible types of interfaces and unions
    included), through inline fragments and fragment spreads; None for a selection the
    schema does not have (the API answers its error)."""

    def __init__(self, schema: GraphQLSchema, fragments: Fragments) -> None:
        super().__init__(fragments)
        self.schema = schema

    def of(self, selections: SelectionSetNode, parent: GraphQLNamedType) -> frozenset[str] | None:
        reached: set[str] = set()
        for node in selections.selections:
            if isinstance(node, FieldNode):
                inner = self.field(node, parent)
            elif isinstance(node, InlineFragmentNode):
                inner = self.within(node.type_condition, node.selection_set, parent)
            elif isinstance(node, FragmentSpreadNode):
                inner = self.fragment(node.name.value)
            else:
                return None
            if inner is None:
                return None
            reached |= inner
        return frozenset(reached)

    def body(self, fragment: FragmentDefinitionNode) -> frozenset[str] | None:
        return self.within(fragment.type_condition, fragment.selection_set, None)

    def within(
        self,
        condition: NamedTypeNode | None,
        selections: SelectionSetNode,
        parent: GraphQLNamedType | None,
    ) -> frozenset[str] | None:
        named = self.schema.get_type(condition.name.value) if condition else parent
        if named is None or not is_composite_type(named):
            return None
        return self.of(selections, named)

    def field(self, node: FieldNode, parent: GraphQLNamedType) -> frozenset[str] | None:
        if node.name.value == "__typename":
            return frozenset()
        definition = getattr(parent, "fields", {}).get(node.name.value)
        if definition is None:
            return None
        named = get_named_type(definition.type)
        if not is_composite_type(named):
            return frozenset()
        if node.selection_set is None:
            return None
        inner = self.of(node.selection_set, named)
        return None if inner is None else inner | possible_types(self.schema, named)


def possible_types(schema: GraphQLSchema, named: GraphQLNamedType) -> frozenset[str]:
    if is_abstract_type(named):
        return frozenset(kind.name for kind in schema.get_possible_types(named))  # type: ignore[arg-type]
    return frozenset({named.name})


def reachable_types(schema: GraphQLSchema, start: GraphQLNamedType) -> frozenset[str]:
    """Every object type a selection starting at ``start`` could reach, whatever its shape."""
    seen: set[str] = set()
    pending = [start]
    while pending:
        named = pending.pop()
        for name in possible_types(schema, named) - seen:
            seen.add(name)
            kind = schema.get_type(name)
            assert isinstance(kind, GraphQLObjectType)
            for field in kind.fields.values():
                inner = get_named_type(field.type)
                if is_composite_type(inner):
                    pending.append(inner)
    return frozenset(seen)


class SchemaDependencies:
    """The planner's :data:`~shopx.cache.documents.Dependencies`: an operation's tags are
    those of every object type its selection reaches."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        query = schema.query_type
        assert query is not None
        self.query = query

    def __call__(
        self, operation: OperationDefinitionNode, fragments: Fragments
    ) -> frozenset[str] | None:
        types = Reached(self.schema, fragments).of(operation.selection_set, self.query)
        return None if types is None else tags_of(types)


def core_schema(schema: strawberry.Schema) -> GraphQLSchema:
    """The graphql-core schema of a Strawberry one (built from its printed SDL: Strawberry
    keeps its own graphql-core schema private)."""
    return build_schema(schema.as_str())


@cache
def answer_tags() -> SchemaDependencies:
    """The dependencies of the API's own schema (built once per process)."""
    return SchemaDependencies(core_schema(api_schema))
