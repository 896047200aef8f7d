"""The document limits: depth, aliases and cost measured in one pass, fragments counted where
they are spread, each distinct document measured once."""

from __future__ import annotations

import gc
import tracemalloc
from types import SimpleNamespace

import pytest
from graphql import get_introspection_query, parse

from shopx.api.graphql.limits import (
    MEMO_SIZE,
    VALIDATED,
    DocumentGate,
    DocumentLimits,
    Measure,
    measure,
    overlaps,
    select,
)
from shopx.api.graphql.schema import schema
from shopx.cache.documents import Planner, text_digest
from shopx.config import Settings
from shopx.errors import BadInput, QueryTooComplex

CONTEXT = SimpleNamespace(settings=Settings(secret_key="s" * 40), data_as_of=None)
LIMITS = DocumentLimits(max_tokens=5000, max_depth=12, max_aliases=30, max_cost=5000)


def measured(query: str, operation: str | None = None) -> Measure:
    document = parse(query)
    return measure(document, select(document, operation))


def refusal(query: str, operation: str | None = None, limits: DocumentLimits = LIMITS):
    return DocumentGate(limits).check(query, operation).refusal


def fragment_bomb(levels: int) -> str:
    """Each fragment spreads the next twice: 2**levels copies once expanded."""
    parts = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    parts.append(f"fragment F{levels} on Query {{ product(id: 1) {{ id }} }}")
    return "query { ...F0 }\n" + "\n".join(parts)


def test_fields_cost_one_and_lists_multiply_their_children() -> None:
    found = measured("{ products(first: 20) { edges { node { id name } } } }")

    # products 1 + 20 x (edges 1 + node 1 + id 1 + name 1)
    assert found == Measure(depth=4, aliases=0, cost=1 + 20 * 4)


def test_analytics_fields_cost_their_weight() -> None:
    assert measured("{ salesOverview { totalRevenue } }").cost == 25 + 1
    nested = measured("{ products(first: 10) { edges { node { trends { value } } } } }")
    assert nested.cost == 1 + 10 * (1 + 1 + 10 + 1)


def test_a_variable_size_counts_as_its_default_else_the_largest_page() -> None:
    by_default = "query ($n: Int! = 5) { products(first: $n) { edges { cursor } } }"
    unknown = "query ($n: Int!) { products(first: $n) { edges { cursor } } }"

    assert measured(by_default).cost == 1 + 5 * 2
    assert measured(unknown).cost == 1 + 100 * 2


def test_a_size_past_the_largest_page_is_left_to_the_field_to_refuse() -> None:
    assert measured("{ topProducts(limit: 1000) { rank } }").cost == 25 + 100


def test_fragments_count_where_they_are_spread() -> None:
    spread_twice = """
        query { a: product(id: 1) { ...P } b: product(id: 2) { ...P } }
        fragment P on Product { id name sku }
    """
    found = measured(spread_twice)

    assert found.cost == 2 * (1 + 3)
    assert found.depth == 2
    assert found.aliases == 2


def test_a_fragment_bomb_is_measured_in_linear_steps_and_refused() -> None:
    found = measured(fragment_bomb(60))

    assert found.cost == 2**60 * 2
    message = refusal(fragment_bomb(60)).message
    assert message.startswith("query cost more than")
    assert message.endswith("exceeds the limit of 5000")


def test_a_fragment_cycle_is_refused() -> None:
    cycle = "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"

    with pytest.raises(BadInput, match='Cannot spread fragment "A" within itself'):
        measured(cycle)
    assert isinstance(refusal(cycle), BadInput)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "{ customers(first: 20) { edges { node { orders(first: 20) { edges { node {"
            " customer { orders(first: 20) { edges { node { id } } } } } } } } } } }",
            "query cost 25661 exceeds the limit of 5000",
        ),
        (
            "{ a { b { c { d { e { f { g { h { i { j { k { l { m { n } } } } } } } } } } } } } }",
            "query depth 14 exceeds the limit of 12",
        ),
        (
            "{ " + " ".join(f"a{i}: realtimeMetrics {{ orders }}" for i in range(31)) + " }",
            "alias count 31 exceeds the limit of 30",
        ),
        ("{ " + "realtimeMetrics { orders } " * 1300 + "}", "query has more than 5000 tokens"),
    ],
    ids=["cost", "depth", "aliases", "tokens"],
)
def test_each_limit_names_itself_and_the_value(query: str, message: str) -> None:
    found = refusal(query)

    assert isinstance(found, QueryTooComplex)
    assert found.code == "QUERY_TOO_COMPLEX"
    assert found.message == message


def test_introspection_as_graphiql_asks_it_passes() -> None:
    assert refusal(get_introspection_query(descriptions=True)) is None


def test_the_operation_must_be_named_when_there_are_several() -> None:
    two = "query A { realtimeMetrics { orders } } query B { salesOverview { totalOrders } }"

    assert refusal(two).message == (
        "Must provide operation name if query contains multiple operations."
    )
    assert refusal(two, "C").message == "Unknown operation named 'C'."
    assert refusal(two, "B") is None
    assert measured(two, "B").cost == 25 + 1


def test_a_syntax_error_is_left_to_the_api_to_answer() -> None:
    checked = DocumentGate(LIMITS).check("query {", None)

    assert checked == (None, None)


def test_each_distinct_document_is_measured_once() -> None:
    gate = DocumentGate(LIMITS)
    query = "{ realtimeMetrics { orders } }"

    first = gate.check(query, None)
    again = gate.check(query, None)
    gate.check(fragment_bomb(30), None)
    gate.check(fragment_bomb(30), None)

    assert again is first
    assert first.document is not None and first.refusal is None
    assert gate.computed == 2


def test_the_memo_forgets_the_least_recently_used() -> None:
    gate = DocumentGate(LIMITS, size=2)
    for query in ("{ a }", "{ b }", "{ a }", "{ c }", "{ a }", "{ b }"):
        gate.check(query, None)

    assert gate.computed == 4  # a, b, c, then b again (forgotten when c came)
    assert MEMO_SIZE >= 256


def subscription_bomb(levels: int) -> str:
    parts = [f"fragment F{i} on Subscription {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    parts.append(f"fragment F{levels} on Subscription {{ metricsUpdated {{ totalOrders }} }}")
    return "subscription { ...F0 }\n" + "\n".join(parts)


async def test_the_schema_refuses_what_bypasses_the_http_edge() -> None:
    """Subscriptions over WebSocket reach the schema without the router: the refusal is their
    first (and only) result, an error with its code."""
    context = SimpleNamespace(settings=Settings(secret_key="s" * 40), data_as_of=None)

    stream = await schema.subscribe(subscription_bomb(40), context_value=context)
    results = [result async for result in stream]
    two = await schema.execute("query A { a } query B { b }", context_value=context)

    assert [result.errors[0].extensions for result in results] == [{"code": "QUERY_TOO_COMPLEX"}]
    assert results[0].errors[0].message.startswith("query cost more than")
    assert two.errors[0].extensions == {"code": "BAD_USER_INPUT"}


async def test_the_schema_refuses_a_long_text_it_parses_again() -> None:
    """A text past ``KEEP_TEXT`` is not kept parsed: Strawberry parses it again, and the
    refusal still stands (a comment does not smuggle a bomb past the limits)."""
    padded = "#" + "x" * 40_000 + "\n" + subscription_bomb(40)

    stream = await schema.subscribe(padded, context_value=CONTEXT)
    results = [result async for result in stream]

    assert [result.errors[0].extensions for result in results] == [{"code": "QUERY_TOO_COMPLEX"}]
    assert results[0].errors[0].message.startswith("query cost more than")


def customers_tree(levels: int) -> str:
    """Each level selects its one field twice: 2**levels copies of the deepest, all at the
    same response path, so validation compares every pair."""
    cycle = ("orders(first: 1)", "edges", "node", "customer")
    inner = "id"
    for level in reversed(range(levels)):
        inner = " ".join([f"{cycle[level % 4]} {{ {inner} }}"] * 2)
    return "{ customers(first: 1) { edges { node { " + inner + " } } } }"


def repeated(count: int, field: str = "customer { id }") -> str:
    return "{ orders(first: 1) { edges { node { " + " ".join([field] * count) + " } } } }"


@pytest.mark.parametrize(
    ("query", "pairs"),
    [(repeated(1200), 2 * 1200 * 1199 // 2), (customers_tree(8), 76075)],
    ids=["1200 copies of a field", "a tree of copies 8 levels deep"],
)
def test_fields_selected_again_at_the_same_place_are_refused(query: str, pairs: int) -> None:
    found = refusal(query)

    assert isinstance(found, QueryTooComplex)
    assert found.message.startswith(f"overlapping field pairs {pairs} exceed the limit of 1000")


def test_overlaps_count_fragments_once_per_spread_and_real_queries_have_none() -> None:
    spread = "{ orders(first: 1) { edges { node { ...A ...A ...B } } } }"
    fragments = " fragment A on Order { id } fragment B on Order { id status }"

    assert overlaps_of(spread + fragments) == 3
    assert overlaps_of(repeated(45, "id")) == 990
    assert refusal(repeated(45, "id")) is None
    assert refusal(repeated(46, "id")) is not None
    assert overlaps_of(get_introspection_query(descriptions=True)) == 0


def overlaps_of(query: str) -> int:
    document = parse(query)
    return overlaps(document, select(document, None))


def test_the_memos_keep_digests_and_no_long_text() -> None:
    """A megabyte of comment before a tiny query was remembered whole, three times over (gate,
    validation, planner): 1,900 of them took a server to 2 GB."""
    gate, planner = DocumentGate(LIMITS), Planner()
    texts = [f"# {i} {'x' * 50_000}\n{{ realtimeMetrics {{ orders }} }}" for i in range(20)]
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for text in texts:
        assert gate.check(text, None) == (None, None)
        assert planner(text, None) is not None
    gc.collect()
    kept = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()

    assert kept < 50_000, kept  # the texts are 1 MB


def test_validation_is_remembered_by_digest_for_valid_documents_only() -> None:
    valid = "# a comment\n{ __typename }"
    invalid = "# a comment\n{ nothing }"

    schema.execute_sync(valid, context_value=CONTEXT)
    schema.execute_sync(invalid, context_value=CONTEXT)

    assert any(key[0] == text_digest(valid) for key in VALIDATED._seen)
    assert not any(key[0] == text_digest(invalid) for key in VALIDATED._seen)


def test_validation_that_gives_up_is_query_too_complex() -> None:
    query = "{ " + " ".join(f"f{i}" for i in range(101)) + " }"

    result = schema.execute_sync(query, context_value=CONTEXT)

    assert result.errors is not None
    assert result.errors[-1].message.endswith("Validation aborted.")
    assert result.errors[-1].extensions == {"code": "QUERY_TOO_COMPLEX"}
    assert {error.extensions["code"] for error in result.errors[:-1]} == {"BAD_USER_INPUT"}


def test_an_error_quotes_at_most_a_few_hundred_characters() -> None:
    result = schema.execute_sync("{ " + "a" * 100_000 + " }", context_value=CONTEXT)

    assert result.errors is not None
    assert result.errors[0].message.startswith("Cannot query field 'aaa")
    assert len(result.errors[0].message) < 400
    assert refusal("query A { a }", "B" * 100_000).message.startswith("Unknown operation named")
    assert len(refusal("query A { a }", "B" * 100_000).message) < 200
