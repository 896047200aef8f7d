"""``cold_storm``: many distinct uncached analytics requests at once, and /health meanwhile.

What a dashboard fleet does after a deploy or a cache flush: every answer computed afresh,
every kind of analytics query in flight together. The users send distinct requests (kinds
of query x period x size) with ``Cache-Control: no-cache`` and the bench's admin token, so
none is answered by the cache or shares another's computation. A separate connection
probes ``/health`` all along: a process whose requests wait on each other (a pool stall)
shows there as much as in the storm's own latency.

Errors count every request that did not answer 200 with data and no ``errors``.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from shopx.bench.client import Connection, Response, Target, bench_target, run_load
from shopx.bench.errors import BenchError
from shopx.bench.results import LoadResult, nearest_rank
from shopx.bench.scenarios import NO_CACHE_HEADER, Scenario

PERIODS = ("YEAR", "QUARTER", "MONTH", "LAST_MONTH", "WEEK")
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
"""Every kind of analytics query, with the nesting that reaches the DataLoaders."""
VARIABLES = (("id", "ID!"), ("period", "Period!"))
ALIASES = 15
IDS = 5
"""Entity ids cycled through (every seeded scale has at least this many of each)."""
MAX_FAILURES_IN_A_ROW = 20


def document(kind: str, size: int) -> str:
    """``kind`` as a query; sizes are literals (the cost limit prices a variable size as the
    largest page)."""
    kind = kind.replace("$n", str(size))
    used = [f"${name}: {kind_type}" for name, kind_type in VARIABLES if f"${name}" in kind]
    return f"query({', '.join(used)}) {{ {kind} }}" if used else f"query {{ {kind} }}"


def storm_request(index: int) -> dict[str, Any]:
    """The ``index``-th request: the kinds in turn, each round with the next period and size,
    so requests in flight together differ (none shares another's computation)."""
    kind = KINDS[index % len(KINDS)]
    round_ = index // len(KINDS)
    values = {"id": str(1 + index % IDS), "period": PERIODS[round_ % len(PERIODS)]}
    variables = {name: values[name] for name, _ in VARIABLES if f"${name}" in kind}
    return {"query": document(kind, 3 + round_ % 8), "variables": variables}


def aliased_top_products(aliases: int = ALIASES) -> dict[str, Any]:
    """One document asking ``topProducts(period: YEAR)`` ``aliases`` times."""
    fields = " ".join(
        f"t{n}: topProducts(period: YEAR, limit: {n + 1}) {{ rank revenue product {{ id }} }}"
        for n in range(aliases)
    )
    return {"query": f"query {{ {fields} }}"}


def run_cold_storm(
    base_url: str,
    scenario: Scenario,
    *,
    users: int,
    duration: float,
    warmup: float,
    secret: str,
) -> LoadResult:
    """``users`` concurrent users for ``warmup + duration`` seconds, and the /health probe."""
    target = bench_target(base_url, scenario, secret, NO_CACHE_HEADER)
    return run_load(_run(target, users, duration, warmup))


@dataclass
class _Tally:
    measure_from: float
    until: float
    storm_ms: list[float] = field(default_factory=list)
    health_ms: list[float] = field(default_factory=list)
    errors: int = 0
    failures_in_a_row: int = 0

    def measured(self, finished: float) -> bool:
        """Answers that arrive within the measured seconds count, however long ago they
        were asked: a cold request may take longer than the whole run."""
        return self.measure_from <= finished <= self.until

    def result(self) -> LoadResult:
        duration_s = self.until - self.measure_from
        storm, health = sorted(self.storm_ms), sorted(self.health_ms)
        return LoadResult(
            requests=len(storm),
            duration_s=duration_s,
            rps=len(storm) / duration_s,
            p50_ms=nearest_rank(storm, 50),
            p95_ms=nearest_rank(storm, 95),
            p99_ms=nearest_rank(storm, 99),
            errors=self.errors,
            health_p99_ms=nearest_rank(health, 99),
        )


async def _run(target: Target, users: int, duration: float, warmup: float) -> LoadResult:
    measure_from = time.perf_counter() + warmup
    tally = _Tally(measure_from, measure_from + duration)
    requests = (orjson.dumps(storm_request(index)) for index in itertools.count())
    connections = [target.connection() for _ in range(users + 1)]
    try:
        await asyncio.gather(
            _probe(connections[0], tally),
            *(_user(connection, target.path, requests, tally) for connection in connections[1:]),
        )
    finally:
        for connection in connections:
            connection.close()
    return tally.result()


async def _user(
    connection: Connection, path: str, requests: Iterator[bytes], tally: _Tally
) -> None:
    while time.perf_counter() < tally.until:
        started = time.perf_counter()
        response = await _sent(connection.post(path, next(requests)), tally)
        finished = time.perf_counter()
        if response is not None and not _answered(response):
            tally.errors += 1
        if tally.measured(finished):
            tally.storm_ms.append((finished - started) * 1000)


async def _probe(connection: Connection, tally: _Tally) -> None:
    while time.perf_counter() < tally.until:
        started = time.perf_counter()
        response = await _sent(connection.get("/health"), tally)
        finished = time.perf_counter()
        if response is not None and response.status != 200:
            tally.errors += 1
        if tally.measured(finished):
            tally.health_ms.append((finished - started) * 1000)


def _answered(response: Response) -> bool:
    if response.status != 200:
        return False
    answer = orjson.loads(response.body)
    return "errors" not in answer and isinstance(answer.get("data"), dict)


async def _sent(request: Any, tally: _Tally) -> Response | None:
    """The response, or None after counting a broken connection as an error."""
    try:
        response = await request
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
        tally.errors += 1
        tally.failures_in_a_row += 1
        if tally.failures_in_a_row >= MAX_FAILURES_IN_A_ROW:
            raise BenchError(f"cold_storm: the API stopped answering ({exc!r})") from exc
        return None
    tally.failures_in_a_row = 0
    return response
