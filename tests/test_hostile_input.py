"""Hostile requests against a real server: each is refused with a JSON error and its code,
quickly, while ``/health`` keeps answering (the probes run alongside each request).

Before the edge limits, the fragment bomb stalled the process for seconds (and at 24 levels
grew it past 9 GB), and bad transport input answered 500 or plain text.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from shopx.bench.processes import Server, free_port, running_server
from shopx.bench.runner import api_command

SECRET = "hostile-input-secret-" + "x" * 32
PROBE_TIMEOUT = 5.0
"""Seconds a /health probe may take while a hostile request runs: generous for a loaded CI
machine, far below the seconds the unbounded requests took."""
REQUEST_TIMEOUT = 30.0
JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``shopx serve`` (one worker) on a SQLite database seeded at scale XS."""
    folder = tmp_path_factory.mktemp("hostile-api")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SHOPX_") or key.startswith(("SHOPX_TEST_", "SHOPX_REQUIRE_"))
    }
    env |= {
        "SHOPX_DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'shopx.db'}",
        "SHOPX_DATA_DIR": str(folder / "data"),
        "SHOPX_SECRET_KEY": SECRET,
        "SHOPX_ANONYMOUS_READS": "true",
        "SHOPX_RATE_LIMIT_ENABLED": "false",
    }
    for args in (["init"], ["seed", "--scale", "XS"]):
        command = [sys.executable, "-m", "shopx", *args]
        subprocess.run(command, env=env, cwd=folder, check=True, capture_output=True)
    port = free_port()
    with running_server("the API", api_command(port, 1), port=port, env=env) as running:
        yield running


@pytest.fixture
async def client(server: Server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=REQUEST_TIMEOUT) as http:
        yield http


def gql(query: str, **extra: Any) -> dict[str, Any]:
    return {"content": json.dumps({"query": query, **extra}).encode(), "headers": JSON}


def fragment_bomb(levels: int) -> str:
    parts = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    parts.append(f"fragment F{levels} on Query {{ realtimeMetrics {{ orders }} }}")
    return "query { ...F0 }\n" + "\n".join(parts)


def nesting(levels: int) -> str:
    """``customers(first: 20)``, then ``orders(first: 20) -> customer``: ``levels`` lists."""
    inner = "id"
    for _ in range(levels - 1):
        inner = f"id orders(first: 20) {{ edges {{ node {{ id customer {{ {inner} }} }} }} }}"
    return "query { customers(first: 20) { edges { node { " + inner + " } } } }"


def overview(start: str, end: str) -> str:
    return (
        f'query {{ salesOverview(dateRange: {{startDate: "{start}", endDate: "{end}"}})'
        " { totalRevenue } }"
    )


async def oversized_chunks() -> AsyncIterator[bytes]:
    """A chunked body (no Content-Length) of 2 MiB in 64 KiB pieces."""
    yield b'{"query": "{ realtimeMetrics { orders } }", "pad": "'
    for _ in range(32):
        yield b"x" * 65536
    yield b'"}'


async def while_probing(client: httpx.AsyncClient, request: Any) -> httpx.Response:
    """``request``'s response; meanwhile /health is probed and must answer every time."""
    done = asyncio.Event()
    probes = 0

    async def probe() -> None:
        nonlocal probes
        while not done.is_set():
            health = await client.get("/health", timeout=PROBE_TIMEOUT)
            assert health.status_code == 200
            probes += 1
            await asyncio.sleep(0.02)

    prober = asyncio.create_task(probe())
    try:
        response = await request
    finally:
        done.set()
    await prober
    assert probes >= 1
    return response


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body["errors"]]


REFUSED = [
    ("fragment bomb 24", lambda: gql(fragment_bomb(24)), 400, "QUERY_TOO_COMPLEX", "query cost"),
    (
        "100k tokens",
        lambda: gql("{ " + "realtimeMetrics { orders } " * 25_000 + "}"),
        400,
        "QUERY_TOO_COMPLEX",
        "query has more than 5000 tokens",
    ),
    ("lists 4 deep", lambda: gql(nesting(4)), 400, "QUERY_TOO_COMPLEX", "query depth 16"),
    ("lists 3 deep", lambda: gql(nesting(3)), 400, "QUERY_TOO_COMPLEX", "query cost 42481"),
    (
        "200 aliases",
        lambda: gql(
            "{ " + " ".join(f"a{i}: salesOverview {{ totalRevenue }}" for i in range(200)) + " }"
        ),
        400,
        "QUERY_TOO_COMPLEX",
        "alias count 200 exceeds the limit of 30",
    ),
    (
        "a mutation past the aliases",
        lambda: gql("mutation { " + " ".join(f"a{i}: clearCache" for i in range(40)) + " }"),
        400,
        "QUERY_TOO_COMPLEX",
        "alias count 40",
    ),
    (
        "30 MB body",
        lambda: gql("{ realtimeMetrics { orders } }", pad="x" * 30_000_000),
        413,
        "PAYLOAD_TOO_LARGE",
        "larger than the limit of 1048576 bytes",
    ),
    (
        "chunked 2 MiB body",
        lambda: {"content": oversized_chunks(), "headers": JSON},
        413,
        "PAYLOAD_TOO_LARGE",
        "larger than the limit",
    ),
    ("JSON null", lambda: {"content": b"null", "headers": JSON}, 400, "BAD_USER_INPUT", "object"),
    ("JSON string", lambda: {"content": b'"{}"', "headers": JSON}, 400, "BAD_USER_INPUT", "object"),
    ("JSON number", lambda: {"content": b"1", "headers": JSON}, 400, "BAD_USER_INPUT", "object"),
    (
        "a batch",
        lambda: {"content": b'[{"query": "{ realtimeMetrics { orders } }"}]', "headers": JSON},
        400,
        "BAD_USER_INPUT",
        "batched requests are not supported",
    ),
    (
        "bad JSON",
        lambda: {"content": b'{"query": ', "headers": JSON},
        400,
        "BAD_USER_INPUT",
        "JSON",
    ),
    (
        "wrong content type",
        lambda: {
            "content": b"{ realtimeMetrics { orders } }",
            "headers": {"content-type": "text/plain"},
        },
        415,
        "BAD_USER_INPUT",
        "application/json",
    ),
    ("empty query", lambda: gql(""), 400, "BAD_USER_INPUT", "No GraphQL query"),
    ("no query", lambda: {"content": b"{}", "headers": JSON}, 400, "BAD_USER_INPUT", "query"),
    (
        "two operations without a name",
        lambda: gql(
            "query A { realtimeMetrics { orders } } query B { salesOverview { totalOrders } }"
        ),
        400,
        "BAD_USER_INPUT",
        "Must provide operation name if query contains multiple operations.",
    ),
    (
        "an unknown operation name",
        lambda: gql("query A { realtimeMetrics { orders } }", operationName="B"),
        400,
        "BAD_USER_INPUT",
        "Unknown operation named 'B'.",
    ),
]


@pytest.mark.parametrize(
    ("make", "status", "code", "message"),
    [case[1:] for case in REFUSED],
    ids=[case[0] for case in REFUSED],
)
async def test_hostile_requests_are_refused_while_health_answers(
    client: httpx.AsyncClient, make: Any, status: int, code: str, message: str
) -> None:
    response = await while_probing(client, client.post("/graphql", **make()))

    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert "data" not in body
    assert codes(body) == [code]
    assert message in body["errors"][0]["message"]


INPUT_ERRORS = [
    ("syntax error", "query {", "Syntax Error"),
    (
        "DAY over 100 years",
        "query { salesTrends(period: CUSTOM, metric: REVENUE, granularity: DAY, dateRange: "
        '{startDate: "1970-01-01", endDate: "2069-12-31"}) { label value } }',
        "36525 points, more than the limit of 1100",
    ),
    ("year 1", overview("0001-01-01", "0001-12-31"), "between 1970-01-01 and 2999-12-31"),
    ("year 9999", overview("9999-01-01", "9999-12-31"), "got 9999-01-01"),
    ("start after end", overview("2025-02-01", "2025-01-01"), "starts after it ends"),
    ("first past 100", "{ customers(first: 101) { totalCount } }", "first must be between"),
    ("limit past 100", "{ topProducts(limit: 101) { rank } }", "limit must be between 1 and 100"),
]


@pytest.mark.parametrize(
    ("query", "message"), [case[1:] for case in INPUT_ERRORS], ids=[c[0] for c in INPUT_ERRORS]
)
async def test_bad_arguments_are_bad_user_input_never_internal(
    client: httpx.AsyncClient, query: str, message: str
) -> None:
    response = await while_probing(client, client.post("/graphql", **gql(query)))

    assert response.status_code == 200, response.text
    body = response.json()
    assert codes(body) == ["BAD_USER_INPUT"]
    assert message in body["errors"][0]["message"]


PAGED = {
    "products": "{ products(first: %d) { totalCount } }",
    "customers": "{ customers(first: %d) { totalCount } }",
    "orders": "{ orders(first: %d) { totalCount } }",
    "salesReps": "{ salesReps(first: %d) { totalCount } }",
    "Customer.orders": "{ customers(first: 1) { edges { node { orders(first: %d) { totalCount } }"
    " } } }",
    "topProducts": "{ topProducts(limit: %d) { rank } }",
    "topCustomers": "{ topCustomers(limit: %d) { totalSpent } }",
    "topSalesReps": "{ topSalesReps(limit: %d) { rank } }",
    "marginAnalysis": "{ marginAnalysis(groupBy: PRODUCT, limit: %d) { groupId } }",
    "searchProducts": '{ searchProducts(query: "a", limit: %d) { id } }',
    "lowStockProducts": "{ lowStockProducts(limit: %d) { stockQuantity } }",
    "categoryPerformance": "{ categoryPerformance(categoryId: 1, topProductsLimit: %d)"
    " { revenue } }",
}


@pytest.mark.parametrize("query", PAGED.values(), ids=PAGED.keys())
async def test_every_page_holds_at_most_100(client: httpx.AsyncClient, query: str) -> None:
    for size in (101, -1):
        response = await client.post("/graphql", **gql(query % size))

        assert response.status_code == 200
        body = response.json()
        assert codes(body) == ["BAD_USER_INPUT"]
        assert f"between 0 and 100, got {size}" in body["errors"][0]["message"] or (
            f"between 1 and 100, got {size}" in body["errors"][0]["message"]
        )


async def test_the_server_still_answers_ordinary_queries_afterwards(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/graphql", **gql("{ realtimeMetrics { orders } }"))

    assert response.status_code == 200
    assert isinstance(response.json()["data"]["realtimeMetrics"]["orders"], int)
