"""A storm of cold analytics requests against a real ``shopx serve``: every one answers.

Sixteen concurrent uncached ``topProducts(period: YEAR)`` used to stall the whole process
for the pool timeout and then fail (each held a connection while its DataLoader waited for
a second one). Here 64 distinct uncached requests of every analytics kind, and one document
of 15 ``topProducts`` aliases, go at once to one worker on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from shopx.auth import Role, create_token
from shopx.bench.processes import Server, free_port, running_server
from shopx.bench.runner import api_command

SECRET = "pool-concurrency-test-secret-0123456789"
PERIODS = ("YEAR", "QUARTER", "MONTH", "LAST_MONTH")
PRODUCT = "rank revenue unitsSold product { id name category { id name } }"
KINDS = (
    f"topProducts(period: YEAR, limit: $n) {{ {PRODUCT} }}",
    f"categoryPerformance(categoryId: $id, period: $period, topProductsLimit: $n) {{"
    f" revenue productCount topProducts {{ {PRODUCT} }} }}",
    "dashboardOverview(period: $period) { overview { totalRevenue totalOrders }"
    f" topProducts {{ {PRODUCT} }} categoryBreakdown {{ revenue }}"
    " customerSegments { segment } topSalesReps { totalSales salesRep { id } } }",
    "salesTrends(period: $period, metric: REVENUE, compare: true) { label value }",
    "salesOverview(period: $period) { totalRevenue totalProfit uniqueCustomers }",
    "customers(first: $n) { totalCount edges { node { id name metrics { totalSpent }"
    " orders(first: 3) { totalCount edges { node { id totalAmount"
    " items { quantity product { id name } } salesRep { id } } } } } } }",
    "orders(first: $n) { totalCount edges { node { id customer { id name }"
    " items { quantity product { id category { id } } } } } }",
    "topSalesReps(period: $period, limit: $n) { rank totalSales salesRep { id name } }",
    "marginAnalysis(groupBy: CATEGORY, period: $period, limit: $n) { groupName margin }",
    "productPerformance(productId: $id, period: $period) { revenue growthRate }",
    "topCustomers(period: $period, limit: $n) { totalSpent customer { id name } }",
    "regionalPerformance(period: $period) { region revenue growth }",
    "profitabilityMetrics(period: $period) { totalProfit byCategory { profit category { id } } }",
    "customerRetention(period: $period) { retentionRate }",
    "categoryBreakdown(period: $period) { revenue productCount category { id children { id } } }",
    "salesRepPerformance(salesRepId: $id, period: $period) { totalSales trend { value } }",
)
STORM = 64
ALIASES = 15


def _document(kind: str, size: int) -> str:
    """The kind as a query; sizes are literals (the cost limit prices a variable size as the
    largest page)."""
    kind = kind.replace("$n", str(size))
    used = [f"${name}: {kind_type}" for name, kind_type in _VARIABLES if f"${name}" in kind]
    return f"query({', '.join(used)}) {{ {kind} }}" if used else f"query {{ {kind} }}"


_VARIABLES = (("id", "ID!"), ("period", "Period!"))


def storm() -> list[dict[str, Any]]:
    """``STORM`` requests of every kind in turn, no two alike (each computes afresh)."""
    requests = []
    for index in range(STORM):
        kind = KINDS[index % len(KINDS)]
        round_ = index // len(KINDS)
        values = {"id": str(1 + index % 7), "period": PERIODS[round_ % 4]}
        variables = {name: values[name] for name, _ in _VARIABLES if f"${name}" in kind}
        requests.append({"query": _document(kind, 3 + round_), "variables": variables})
    return requests


def aliased_top_products() -> dict[str, Any]:
    fields = " ".join(
        f"t{n}: topProducts(period: YEAR, limit: {n + 1}) {{ rank revenue product {{ id }} }}"
        for n in range(ALIASES)
    )
    return {"query": f"query {{ {fields} }}"}


def server_env(database_url: str, folder: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SHOPX_") or key.startswith(("SHOPX_TEST_", "SHOPX_REQUIRE_"))
    }
    return env | {
        "SHOPX_DATABASE_URL": database_url,
        "SHOPX_DATA_DIR": str(folder / "data"),
        "SHOPX_SECRET_KEY": SECRET,
        "SHOPX_RATE_LIMIT_ENABLED": "false",
    }


@pytest.fixture
def api(seeded_url: str, tmp_path: Path) -> Iterator[Server]:
    """One ``shopx serve`` worker on the seeded shop (it only reads)."""
    port = free_port()
    env = server_env(seeded_url, tmp_path)
    with running_server("the API", api_command(port, 1), port=port, env=env) as server:
        yield server


async def _post(client: httpx.AsyncClient, payload: dict[str, Any]) -> list[Any]:
    response = await client.post("/graphql", json=payload)
    if response.status_code != 200:
        return [f"status {response.status_code}: {response.text[:300]}"]
    return response.json().get("errors", [])


async def test_a_storm_of_cold_analytics_requests_all_answer(api: Server) -> None:
    token = create_token(SECRET, Role.ADMIN, ttl=timedelta(hours=1), subject="storm")
    headers = {"authorization": f"Bearer {token}", "cache-control": "no-cache"}
    limits = httpx.Limits(max_connections=STORM + 1)
    async with httpx.AsyncClient(
        base_url=api.base_url, headers=headers, limits=limits, timeout=120
    ) as client:
        payloads = [*storm(), aliased_top_products()]
        errors = await asyncio.gather(*(_post(client, payload) for payload in payloads))
        health = await client.get("/health")

    failed = {n: found for n, found in enumerate(errors) if found}
    assert failed == {}
    assert health.status_code == 200


def test_the_storm_asks_for_every_kind_and_nothing_twice() -> None:
    requests = storm()
    assert len({str(request) for request in requests}) == STORM
    documents = {request["query"] for request in requests}
    assert {_document(kind, 3) for kind in KINDS} <= documents
