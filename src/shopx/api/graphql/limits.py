"""Bounds on a GraphQL document: tokens, depth, aliases and cost, checked before anything
else expands it (the response cache's planner, validation, execution).

A document is parsed (with graphql-core's token cap) and measured once per distinct text and
operation name; the edge and the schema share the memo, so a repeated request costs a
dictionary lookup. The measure is one pass: a fragment's depth and cost are computed once and
reused wherever it is spread, so a fragment spread twice per level for 30 levels costs 30
steps to refuse, not 2^30.

The memo is keyed by a digest of the text, and keeps a parsed document only for a text up to
``KEEP_TEXT`` characters: a 1 MB comment in front of a tiny query costs memory while it is
parsed, not for as long as it is remembered.

Overlaps: fields selected more than once at the same response path (through repeats, aliases
or fragments, counted once per spread) must each be checked against each other by
validation (graphql-core's OverlappingFieldsCanBeMerged is quadratic in them, so a few
thousand copies of one field hold the event loop for seconds). The pairs are counted once
cost has bounded the expansion.

Cost: every field costs 1, an analytics field its weight, and a field with a ``first`` or
``limit`` argument multiplies what its children cost by that size (a variable counts as its
default, else the largest page; past the largest page the field itself refuses). It estimates
the rows and queries an answer takes, so nesting lists of lists is what it refuses.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from threading import Lock
from typing import Any, NamedTuple

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    parse,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from shopx.api.graphql.keyset import MAX_FIRST
from shopx.cache.documents import fragments_of, text_digest
from shopx.config import get_settings
from shopx.errors import BadInput, QueryTooComplex, ShopXError

UNWRAP = "ofType"
"""Introspection's step from a list or non-null type to the type it wraps: a chain as long as
the schema's wrapping (GraphiQL asks seven deep), not a level of the answer, so no depth."""
MEMO_SIZE = 256
"""Distinct (document, operation) pairs remembered."""
KEEP_TEXT = 16 * 1024
"""Longest text whose parsed document the memo keeps (a longer one is parsed again to run)."""
SIZE_ARGUMENTS = ("first", "limit", "topProductsLimit", "months")
"""Arguments that say how many items a list field returns (each field refuses past its cap)."""
ROOT_WEIGHTS = dict.fromkeys(
    (
        "salesOverview",
        "realtimeMetrics",
        "salesTrends",
        "dashboardOverview",
        "topProducts",
        "productPerformance",
        "categoryBreakdown",
        "categoryPerformance",
        "customerSegments",
        "customerMetrics",
        "topCustomers",
        "customerRetention",
        "cohortRetention",
        "topSalesReps",
        "salesRepPerformance",
        "regionalPerformance",
        "profitabilityMetrics",
        "marginAnalysis",
    ),
    25,
)
"""Root fields that aggregate over a period: each one is a few grouped queries."""
NESTED_WEIGHTS = {"performance": 10, "trends": 10, "metrics": 10}
"""Per-item analytics (Product.performance/trends, Category.performance, Customer.metrics)."""


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    max_tokens: int
    max_depth: int
    max_aliases: int
    max_cost: int
    max_overlaps: int = 1000

    @classmethod
    def of(cls, settings: Any) -> DocumentLimits:
        return cls(
            max_tokens=settings.graphql_max_tokens,
            max_depth=settings.graphql_max_depth,
            max_aliases=settings.graphql_max_aliases,
            max_cost=settings.graphql_max_cost,
            max_overlaps=settings.graphql_max_overlaps,
        )


class Measure(NamedTuple):
    depth: int
    aliases: int
    cost: int


class Checked(NamedTuple):
    """A document that passed (``refusal`` None), or why not. ``document`` is None when the
    text does not parse (the API answers that syntax error like any other) or is longer than
    ``KEEP_TEXT`` (it is parsed again to run)."""

    document: DocumentNode | None
    refusal: ShopXError | None


def measure(document: DocumentNode, operation: OperationDefinitionNode) -> Measure:
    """Depth, aliases and cost of ``operation``, fragments counted where they are spread."""
    return _Walk(fragments_of(document), _variable_defaults(operation)).operation(operation)


class _Walk:
    """One pass over an operation; each fragment measured once (``done``)."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode], sizes: dict[str, int]):
        self.fragments, self.sizes = fragments, sizes
        self.done: dict[tuple[str, bool], Measure] = {}
        self.visiting: set[str] = set()

    def operation(self, node: OperationDefinitionNode) -> Measure:
        return self.selections(node.selection_set, root=True)

    def selections(self, node: SelectionSetNode, *, root: bool) -> Measure:
        depth = aliases = cost = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                part = self.field(selection, root=root)
            elif isinstance(selection, InlineFragmentNode):
                part = self.selections(selection.selection_set, root=root)
            else:
                assert isinstance(selection, FragmentSpreadNode)
                part = self.fragment(selection.name.value, root=root)
            depth, aliases, cost = max(depth, part.depth), aliases + part.aliases, cost + part.cost
        return Measure(depth, aliases, cost)

    def field(self, node: FieldNode, *, root: bool) -> Measure:
        name = node.name.value
        weight = (ROOT_WEIGHTS if root else NESTED_WEIGHTS).get(name, 1)
        inner = Measure(0, 0, 0)
        if node.selection_set is not None:
            inner = self.selections(node.selection_set, root=False)
        aliases = inner.aliases + (node.alias is not None)
        depth = inner.depth + (name != UNWRAP)
        return Measure(depth, aliases, weight + inner.cost * self.size(node))

    def fragment(self, name: str, *, root: bool) -> Measure:
        key = (name, root)
        if key in self.done:
            # Spread again: its cost counts again, its aliases are in the document once.
            return self.done[key]._replace(aliases=0)
        if name in self.visiting:
            raise BadInput(f'Cannot spread fragment "{quoted(name)}" within itself.')
        definition = self.fragments.get(name)
        if definition is None:
            return Measure(0, 0, 0)  # unknown fragment: validation names it
        self.visiting.add(name)
        self.done[key] = result = self.selections(definition.selection_set, root=root)
        self.visiting.discard(name)
        return result

    def size(self, node: FieldNode) -> int:
        """How many items a list field asks for: its ``first``/``limit``, else 1."""
        for argument in node.arguments or ():
            if argument.name.value in SIZE_ARGUMENTS:
                value = argument.value
                if isinstance(value, IntValueNode):
                    return min(max(1, int(value.value)), MAX_FIRST)  # the field refuses more
                if isinstance(value, VariableNode):
                    return self.sizes.get(value.name.value, MAX_FIRST)
                return MAX_FIRST
        return 1


def overlaps(document: DocumentNode, operation: OperationDefinitionNode) -> int:
    """Pairs of fields at the same response path, fragments expanded where they are spread.

    Expands every spread: call it once the cost is bounded (each expanded field costs 1)."""
    paths: dict[tuple[int, str], list[int]] = {}
    _count_paths(operation.selection_set, 0, fragments_of(document), paths)
    return sum(count * (count - 1) // 2 for count, _ in paths.values())


def _count_paths(
    node: SelectionSetNode,
    parent: int,
    fragments: dict[str, FragmentDefinitionNode],
    paths: dict[tuple[int, str], list[int]],
) -> None:
    """Counts each field under its parent path's number; ``paths`` maps (parent, response name)
    to [count, this path's number]."""
    for selection in node.selections:
        if isinstance(selection, FieldNode):
            name = (selection.alias or selection.name).value
            found = paths.setdefault((parent, name), [0, len(paths) + 1])
            found[0] += 1
            if selection.selection_set is not None:
                _count_paths(selection.selection_set, found[1], fragments, paths)
        elif isinstance(selection, InlineFragmentNode):
            _count_paths(selection.selection_set, parent, fragments, paths)
        elif isinstance(selection, FragmentSpreadNode):
            definition = fragments.get(selection.name.value)
            if definition is not None:
                _count_paths(definition.selection_set, parent, fragments, paths)


def quoted(text: str, limit: int = 60) -> str:
    """``text`` as an error message may quote it: cut short past ``limit`` characters."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def _variable_defaults(operation: OperationDefinitionNode) -> dict[str, int]:
    return {
        definition.variable.name.value: min(max(1, int(definition.default_value.value)), MAX_FIRST)
        for definition in operation.variable_definitions or ()
        if isinstance(definition.default_value, IntValueNode)
    }


def select(document: DocumentNode, name: str | None) -> OperationDefinitionNode:
    """The operation a request runs, refused as the GraphQL spec words it when ambiguous."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is not None:
        for operation in operations:
            if operation.name is not None and operation.name.value == name:
                return operation
        raise BadInput(f"Unknown operation named '{quoted(name)}'.")
    if len(operations) == 1:
        return operations[0]
    if not operations:
        raise BadInput("Must provide an operation.")
    raise BadInput("Must provide operation name if query contains multiple operations.")


class DocumentGate:
    """Parses and measures documents against ``limits``; remembers the last ``size`` verdicts."""

    def __init__(self, limits: DocumentLimits, size: int = MEMO_SIZE) -> None:
        self.limits, self.size = limits, size
        self._memo: OrderedDict[bytes, Checked] = OrderedDict()
        self._lock = Lock()
        self.computed = 0

    def check(self, query: str, operation: str | None) -> Checked:
        key = text_digest(query, operation)
        with self._lock:
            checked = self._memo.get(key)
            if checked is not None:
                self._memo.move_to_end(key)
                return checked
        checked = self._check(query, operation)
        if len(query) > KEEP_TEXT:
            checked = checked._replace(document=None)
        with self._lock:
            self.computed += 1
            self._memo[key] = checked
            if len(self._memo) > self.size:
                self._memo.popitem(last=False)
        return checked

    def _check(self, query: str, name: str | None) -> Checked:
        try:
            document = parse(query, max_tokens=self.limits.max_tokens)
        except GraphQLError as error:
            if "Parsing aborted" in error.message:
                limit = self.limits.max_tokens
                return Checked(None, QueryTooComplex(f"query has more than {limit} tokens"))
            return Checked(None, None)
        except RecursionError:
            return Checked(None, QueryTooComplex("query nesting is too deep to parse"))
        try:
            operation = select(document, name)
            self._judge(measure(document, operation))
            self._judge_overlaps(overlaps(document, operation))
        except ShopXError as refusal:
            return Checked(document, refusal)
        except RecursionError:
            return Checked(document, QueryTooComplex("query nesting is too deep to measure"))
        return Checked(document, None)

    def _judge(self, found: Measure) -> None:
        limits = self.limits
        for what, value, limit in (
            ("query depth", found.depth, limits.max_depth),
            ("alias count", found.aliases, limits.max_aliases),
            ("query cost", found.cost, limits.max_cost),
        ):
            if value > limit:
                shown = value if value < 10**12 else f"more than {10**12}"
                raise QueryTooComplex(f"{what} {shown} exceeds the limit of {limit}")

    def _judge_overlaps(self, found: int) -> None:
        limit = self.limits.max_overlaps
        if found > limit:
            raise QueryTooComplex(
                f"overlapping field pairs {found} exceed the limit of {limit}: select each"
                " field once per place"
            )


@cache
def gate(limits: DocumentLimits) -> DocumentGate:
    """The process's gate for these limits: the edge and the schema share its memo."""
    return DocumentGate(limits)


class Validated:
    """Digests of the documents that passed validation (a bounded LRU set): an error list
    holds nodes and the source text, so only the verdict "valid" is remembered."""

    def __init__(self, size: int = MEMO_SIZE) -> None:
        self.size = size
        self._seen: OrderedDict[tuple[bytes, tuple[type, ...]], None] = OrderedDict()
        self._lock = Lock()

    def __contains__(self, key: tuple[bytes, tuple[type, ...]]) -> bool:
        with self._lock:
            if key in self._seen:
                self._seen.move_to_end(key)
                return True
        return False

    def add(self, key: tuple[bytes, tuple[type, ...]]) -> None:
        with self._lock:
            self._seen[key] = None
            if len(self._seen) > self.size:
                self._seen.popitem(last=False)


VALIDATED = Validated()


class DocumentBounds(SchemaExtension):
    """The schema's parser and validation cache: documents come from the gate's memo, and a
    refused one is never validated nor run. Over HTTP the router has refused it already; this
    is where subscriptions over WebSocket meet the limits.

    A refusal is left as the operation's pre-execution error (raising here would end a
    subscription's stream with an exception instead of an error message). A document that
    did not parse, or too long to keep, is parsed again by Strawberry, with the same token
    cap. Validation is remembered by digest, for valid documents only."""

    def on_parse(self) -> Iterator[None]:
        execution = self.execution_context
        if execution.query:
            settings = getattr(execution.context, "settings", None) or get_settings()
            limits = DocumentLimits.of(settings)
            # Before a document is set, operation_name is the one the request named.
            checked = gate(limits).check(execution.query, execution.operation_name)
            execution.parse_options["max_tokens"] = limits.max_tokens
            execution.graphql_document = checked.document
            if checked.refusal is not None:
                code = checked.refusal.code
                refusal = GraphQLError(checked.refusal.message, extensions={"code": code})
                execution.pre_execution_errors = [refusal]
        yield

    def on_validate(self) -> Iterator[None]:
        execution = self.execution_context
        if execution.pre_execution_errors or execution.graphql_document is None:
            yield
            return
        key = (text_digest(execution.query or ""), tuple(execution.validation_rules))
        if key not in VALIDATED:
            errors = validate_document(
                execution.schema._schema, execution.graphql_document, execution.validation_rules
            )
            execution.pre_execution_errors = errors
            if not errors:
                VALIDATED.add(key)
        else:
            execution.pre_execution_errors = []
        yield
