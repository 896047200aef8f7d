"""GraphQL documents as cache plans: a normalized digest, the TTL and the tags of an answer.

A document is parsed once per distinct text (the plans are memoized), so a hit costs a
dictionary lookup, not a parse. Normalizing is printing the parsed document back:
whitespace, comments and commas do not matter; variables are keyed separately, sorted.
Only queries are cacheable; mutations, subscriptions, introspection, ``cacheInfo``, ``jobs``,
``reports``, ``alerts``, ``imports`` and documents that do not parse go straight to the API (which
answers their errors).

An answer's tags are not written down here: they come from what its selection reaches in
the schema, which only the API layer knows (:mod:`shopx.api.graphql.dependencies`); it
hands the planner a :data:`Dependencies` callable. A planner without one says every
answer depends on every tag (never stale, just less often a hit).

Every walk over a document is linear in its size: a fragment's contribution is computed
once however often it is spread, and a fragment cycle or an unknown fragment makes the
document uncacheable (the API answers its error).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

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

from shopx.cache.tags import ALL_TAGS

T = TypeVar("T")


class TtlClass(StrEnum):
    """How long an answer may live without a write (``SHOPX_CACHE_TTL_<NAME>``)."""

    OVERVIEW = "overview"
    REALTIME = "realtime"
    TRENDS = "trends"
    PRODUCTS = "products"
    CUSTOMERS = "customers"


ROOT_FIELDS: dict[str, TtlClass] = {
    "salesOverview": TtlClass.OVERVIEW,
    "dashboardOverview": TtlClass.OVERVIEW,
    "profitabilityMetrics": TtlClass.OVERVIEW,
    "marginAnalysis": TtlClass.OVERVIEW,
    "regionalPerformance": TtlClass.OVERVIEW,
    "topSalesReps": TtlClass.OVERVIEW,
    "salesRepPerformance": TtlClass.OVERVIEW,
    "order": TtlClass.OVERVIEW,
    "orders": TtlClass.OVERVIEW,
    "salesRep": TtlClass.OVERVIEW,
    "salesReps": TtlClass.OVERVIEW,
    "realtimeMetrics": TtlClass.REALTIME,
    "salesTrends": TtlClass.TRENDS,
    "topProducts": TtlClass.PRODUCTS,
    "productPerformance": TtlClass.PRODUCTS,
    "categoryBreakdown": TtlClass.PRODUCTS,
    "categoryPerformance": TtlClass.PRODUCTS,
    "product": TtlClass.PRODUCTS,
    "category": TtlClass.PRODUCTS,
    "categories": TtlClass.PRODUCTS,
    "brands": TtlClass.PRODUCTS,
    "products": TtlClass.PRODUCTS,
    "searchProducts": TtlClass.PRODUCTS,
    "lowStockProducts": TtlClass.PRODUCTS,
    "customerSegments": TtlClass.CUSTOMERS,
    "customerMetrics": TtlClass.CUSTOMERS,
    "topCustomers": TtlClass.CUSTOMERS,
    "customerRetention": TtlClass.CUSTOMERS,
    "cohortRetention": TtlClass.CUSTOMERS,
    "customer": TtlClass.CUSTOMERS,
    "customers": TtlClass.CUSTOMERS,
    "shopInfo": TtlClass.OVERVIEW,
}
"""The cacheable root fields and their freshness class. A field missing here is not cached:
a new query must be placed here on purpose (its tags follow from the schema)."""

Fragments = Mapping[str, FragmentDefinitionNode]

Dependencies = Callable[[OperationDefinitionNode, Fragments], frozenset[str] | None]
"""The tags an operation's answer depends on; None when it cannot be planned (invalid)."""


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
    """Memoized :func:`plan` (bounded: least recently used documents go first), keyed by a
    digest of the text: a megabyte of comment around a query is not kept with its plan."""

    def __init__(self, dependencies: Dependencies | None = None, max_documents: int = 1000) -> None:
        self._plans: OrderedDict[bytes, Plan | None] = OrderedDict()
        self._dependencies = dependencies
        self._max = max_documents

    def __call__(self, query: str, operation_name: str | None) -> Plan | None:
        key = text_digest(query, operation_name)
        try:
            found = self._plans[key]
        except KeyError:
            found = self._plans[key] = plan(query, operation_name, self._dependencies)
            if len(self._plans) > self._max:
                self._plans.popitem(last=False)
            return found
        self._plans.move_to_end(key)
        return found


def text_digest(query: str, operation_name: str | None = None) -> bytes:
    """The memo key of a document's text: its digest, not the text (which may be a megabyte)."""
    key = hashlib.blake2b(query.encode("utf-8", "surrogatepass"), digest_size=16)
    key.update(b"\0" + (operation_name or "").encode("utf-8", "surrogatepass"))
    return key.digest()


def plan(
    query: str, operation_name: str | None, dependencies: Dependencies | None = None
) -> Plan | None:
    """The cache plan of a query document, or None when its answer must not be cached.

    A document nested too deep for the walk (RecursionError) is not cached either: the API
    answers it, and its limits refuse it.
    """
    try:
        return _plan(query, operation_name, dependencies)
    except RecursionError:
        return None


def _plan(query: str, operation_name: str | None, dependencies: Dependencies | None) -> Plan | None:
    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        return None
    operation = _operation(document, operation_name)
    if operation is None or operation.operation is not OperationType.QUERY:
        return None
    fragments = fragments_of(document)
    names = RootFields(fragments).of(operation.selection_set)
    if not names or not names <= ROOT_FIELDS.keys():
        return None
    tags = dependencies(operation, fragments) if dependencies else ALL_TAGS
    if tags is None:
        return None
    normalized = f"{print_ast(document)}\0{operation_name or ''}"
    return Plan(
        digest=hashlib.blake2b(normalized.encode(), digest_size=16).hexdigest(),
        operation=(operation.name.value if operation.name else "anonymous"),
        fields=tuple(sorted({ROOT_FIELDS[name] for name in names})),
        tags=tuple(sorted(tags)),
    )


def fragments_of(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    """The document's fragment definitions by name."""
    return {
        node.name.value: node
        for node in document.definitions
        if isinstance(node, FragmentDefinitionNode)
    }


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [
        node for node in document.definitions if isinstance(node, OperationDefinitionNode)
    ]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((op for op in operations if op.name and op.name.value == name), None)


class FragmentWalk(Generic[T]):
    """A walk over one document that meets each fragment's body once, however often it is
    spread: subclasses say what a body contributes (:meth:`body`), this remembers it.

    ``expansions`` counts the bodies walked (at most one per fragment).
    """

    def __init__(self, fragments: Fragments) -> None:
        self.fragments = fragments
        self.expansions = 0
        self._done: dict[str, T | None] = {}
        self._open: set[str] = set()

    def fragment(self, name: str) -> T | None:
        """What the fragment contributes; None when it is unknown or spreads itself."""
        if name in self._done:
            return self._done[name]
        if name in self._open or name not in self.fragments:
            return None
        self._open.add(name)
        self.expansions += 1
        found = self._done[name] = self.body(self.fragments[name])
        self._open.discard(name)
        return found

    def body(self, fragment: FragmentDefinitionNode) -> T | None:
        raise NotImplementedError


class RootFields(FragmentWalk[frozenset[str]]):
    """The field names a selection set selects at its own level (``__typename`` left out),
    through inline fragments and fragment spreads."""

    def of(self, selections: SelectionSetNode) -> frozenset[str] | None:
        """None when a fragment is unknown or spreads itself (directly or not)."""
        names: set[str] = set()
        for node in selections.selections:
            if isinstance(node, FieldNode):
                if node.name.value != "__typename":
                    names.add(node.name.value)
                continue
            if isinstance(node, InlineFragmentNode):
                inner = self.of(node.selection_set)
            elif isinstance(node, FragmentSpreadNode):
                inner = self.fragment(node.name.value)
            else:
                return None
            if inner is None:
                return None
            names |= inner
        return frozenset(names)

    def body(self, fragment: FragmentDefinitionNode) -> frozenset[str] | None:
        return self.of(fragment.selection_set)
