"""GraphQL documents as cache plans: a normalized digest, the TTL and the tags of an answer.

A document is parsed once per distinct text (the plans are memoized), so a hit costs a
dictionary lookup, not a parse. Normalizing is printing the parsed document back:
whitespace, comments and commas do not matter; variables are keyed separately, sorted.
Only queries are cacheable; mutations, subscriptions, introspection, ``cacheInfo`` and
documents that do not parse go straight to the API (which answers their errors).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from enum import StrEnum

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    parse,
    print_ast,
)

from shopx.cache.tags import ALL_TAGS, CUSTOMERS, ORDERS, PRODUCTS, REPS


class TtlClass(StrEnum):
    """How long an answer may live without a write (``SHOPX_CACHE_TTL_<NAME>``)."""

    OVERVIEW = "overview"
    REALTIME = "realtime"
    TRENDS = "trends"
    PRODUCTS = "products"
    CUSTOMERS = "customers"


_CATALOG = frozenset({PRODUCTS, ORDERS})  # products nest their sales (performance, trends)
_PEOPLE = frozenset({CUSTOMERS, ORDERS})
_REPS = frozenset({REPS, ORDERS})

ROOT_FIELDS: dict[str, tuple[TtlClass, frozenset[str]]] = {
    "salesOverview": (TtlClass.OVERVIEW, ALL_TAGS),
    "dashboardOverview": (TtlClass.OVERVIEW, ALL_TAGS),
    "profitabilityMetrics": (TtlClass.OVERVIEW, ALL_TAGS),
    "marginAnalysis": (TtlClass.OVERVIEW, ALL_TAGS),
    "regionalPerformance": (TtlClass.OVERVIEW, ALL_TAGS),
    "topSalesReps": (TtlClass.OVERVIEW, ALL_TAGS),
    "salesRepPerformance": (TtlClass.OVERVIEW, ALL_TAGS),
    "order": (TtlClass.OVERVIEW, ALL_TAGS),
    "orders": (TtlClass.OVERVIEW, ALL_TAGS),
    "salesRep": (TtlClass.OVERVIEW, _REPS),
    "salesReps": (TtlClass.OVERVIEW, _REPS),
    "realtimeMetrics": (TtlClass.REALTIME, ALL_TAGS),
    "salesTrends": (TtlClass.TRENDS, ALL_TAGS),
    "topProducts": (TtlClass.PRODUCTS, ALL_TAGS),
    "productPerformance": (TtlClass.PRODUCTS, ALL_TAGS),
    "categoryBreakdown": (TtlClass.PRODUCTS, ALL_TAGS),
    "categoryPerformance": (TtlClass.PRODUCTS, ALL_TAGS),
    "product": (TtlClass.PRODUCTS, _CATALOG),
    "category": (TtlClass.PRODUCTS, _CATALOG),
    "products": (TtlClass.PRODUCTS, _CATALOG),
    "searchProducts": (TtlClass.PRODUCTS, _CATALOG),
    "lowStockProducts": (TtlClass.PRODUCTS, _CATALOG),
    "customerSegments": (TtlClass.CUSTOMERS, ALL_TAGS),
    "customerMetrics": (TtlClass.CUSTOMERS, ALL_TAGS),
    "topCustomers": (TtlClass.CUSTOMERS, ALL_TAGS),
    "customerRetention": (TtlClass.CUSTOMERS, ALL_TAGS),
    "cohortRetention": (TtlClass.CUSTOMERS, ALL_TAGS),
    "customer": (TtlClass.CUSTOMERS, _PEOPLE),
    "customers": (TtlClass.CUSTOMERS, _PEOPLE),
}
"""Per root field: its freshness class and the tags its answer (nested fields included) reads.
A field missing here is not cached: a new query must be placed here on purpose."""


@dataclass(frozen=True, slots=True)
class Plan:
    digest: str
    """Hash of the normalized document and the operation name."""
    operation: str
    """The operation's name, "anonymous" without one."""
    fields: tuple[TtlClass, ...]
    tags: tuple[str, ...]
    """Sorted."""


class Planner:
    """Memoized :func:`plan` (bounded: least recently used documents go first)."""

    def __init__(self, max_documents: int = 1000) -> None:
        self._plans: OrderedDict[tuple[str, str | None], Plan | None] = OrderedDict()
        self._max = max_documents

    def __call__(self, query: str, operation_name: str | None) -> Plan | None:
        key = (query, operation_name)
        try:
            found = self._plans[key]
        except KeyError:
            found = self._plans[key] = plan(query, operation_name)
            if len(self._plans) > self._max:
                self._plans.popitem(last=False)
            return found
        self._plans.move_to_end(key)
        return found


def plan(query: str, operation_name: str | None) -> Plan | None:
    """The cache plan of a query document, or None when its answer must not be cached."""
    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        return None
    operation = _operation(document, operation_name)
    if operation is None or operation.operation is not OperationType.QUERY:
        return None
    fragments = {
        node.name.value: node
        for node in document.definitions
        if isinstance(node, FragmentDefinitionNode)
    }
    names = _root_fields(operation.selection_set, fragments, set())
    if names is None or not names or not names <= ROOT_FIELDS.keys():
        return None
    normalized = f"{print_ast(document)}\0{operation_name or ''}"
    return Plan(
        digest=hashlib.blake2b(normalized.encode(), digest_size=16).hexdigest(),
        operation=(operation.name.value if operation.name else "anonymous"),
        fields=tuple(sorted({ROOT_FIELDS[name][0] for name in names})),
        tags=tuple(sorted(frozenset().union(*(ROOT_FIELDS[name][1] for name in names)))),
    )


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [
        node for node in document.definitions if isinstance(node, OperationDefinitionNode)
    ]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((op for op in operations if op.name and op.name.value == name), None)


def _root_fields(
    selections: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    seen: set[str],
) -> set[str] | None:
    """Root field names (``__typename`` left out); None when a fragment is unknown."""
    names: set[str] = set()
    for node in selections.selections:
        if isinstance(node, FieldNode):
            if node.name.value != "__typename":
                names.add(node.name.value)
            continue
        if isinstance(node, InlineFragmentNode):
            inner = _root_fields(node.selection_set, fragments, seen)
        elif isinstance(node, FragmentSpreadNode):
            name = node.name.value
            if name in seen or name not in fragments:
                return None
            inner = _root_fields(fragments[name].selection_set, fragments, seen | {name})
        else:
            return None
        if inner is None:
            return None
        names |= inner
    return names
