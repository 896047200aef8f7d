"""Benchmark scenarios: most are one HTTP request, repeated under load.

Other modules add scenarios with ``register``; POST scenarios with a JSON body (GraphQL
queries in particular) need no hand-written Lua, the wrk script is generated from them.
A scenario may instead name a packaged wrk script (``mixed``: a page-load mix), or be
driven by the bench's own load generator (``write_mix``: reads, writes and checks).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from shopx.auth import Role, create_token
from shopx.bench.errors import BenchError

JSON_CONTENT_TYPE = ("Content-Type", "application/json")
NO_CACHE_HEADER = ("Cache-Control", "no-cache")

LuaValue = str | int | float | tuple[str, ...]


class Driver(StrEnum):
    """What sends a scenario's requests."""

    WRK = "wrk"
    WRITE_MIX = "write_mix"
    """:mod:`shopx.bench.write_mix`: a write must be followed by a read on purpose."""
    WRITE_STORM = "write_storm"
    """:mod:`shopx.bench.write_mix`: writers placing orders without pause, readers beside."""
    WRITES_ONLY = "writes_only"
    """:mod:`shopx.bench.write_mix`: ``write_storm`` without the readers."""
    BULK_ORDERS = "bulk_orders"
    """:mod:`shopx.bench.write_mix`: ``write_storm`` with ``createOrders`` calls of 100."""
    COLD_STORM = "cold_storm"
    """:mod:`shopx.bench.cold_storm`: every request distinct, and /health probed meanwhile."""


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    path: str
    method: str = "GET"
    body: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    lua: str | None = None
    """A script in ``shopx/bench/lua/`` that sends the requests instead of ``body``."""
    lua_globals: tuple[tuple[str, LuaValue], ...] = ()
    """Globals set before ``lua`` runs (its requests, say)."""
    counts_cache: bool = False
    """Count the answers' ``X-Cache`` values (and GraphQL errors) and report a hit rate."""
    samples_cache: bool = False
    """Report a hit rate from requests sent one by one after the run, not counted during it:
    wrk's response hook costs it throughput, which a ratio to the ceiling would feel."""
    driver: Driver = Driver.WRK
    by_default: bool = True
    """Part of a run that names no scenarios (false for scenarios that write)."""

    @property
    def single_request(self) -> bool:
        """Sends one fixed request again and again (what ``shopx bench latency`` times)."""
        return self.driver is Driver.WRK and self.lua is None


def uncached(scenarios: Iterable[Scenario], token: str | None = None) -> list[Scenario]:
    """The scenarios with every request asking the server to compute afresh.

    The server honours ``no-cache`` only from token holders: pass ``token`` (the bench's).
    """
    headers = (NO_CACHE_HEADER, *((("Authorization", f"Bearer {token}"),) if token else ()))
    return [replace(s, headers=(*s.headers, *headers)) for s in scenarios]


def bench_token(secret: str, now: datetime | None = None) -> str:
    """The admin token every authenticated bench request carries, issued at ``now`` on the
    server's clock (when it runs at another moment than ours)."""
    return create_token(secret, Role.ADMIN, ttl=timedelta(hours=12), subject="bench", now=now)


def post_json(
    name: str,
    description: str,
    path: str,
    payload: Any,
    *,
    headers: tuple[tuple[str, str], ...] = (),
) -> Scenario:
    all_headers = (JSON_CONTENT_TYPE, *headers)
    return Scenario(
        name, description, path, method="POST", body=_json(payload), headers=all_headers
    )


def graphql(
    name: str,
    description: str,
    query: str,
    variables: Mapping[str, Any] | None = None,
    *,
    path: str = "/graphql",
) -> Scenario:
    return post_json(name, description, path, graphql_payload(query, variables))


def graphql_payload(query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {"query": query}
    if variables:
        payload["variables"] = dict(variables)
    return payload


def _json(payload: Any) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


_registry: dict[str, Scenario] = {}
SCENARIOS: Mapping[str, Scenario] = MappingProxyType(_registry)


def register(scenario: Scenario) -> Scenario:
    if scenario.name in _registry:
        raise BenchError(f"a scenario named {scenario.name!r} is already registered")
    _registry[scenario.name] = scenario
    return scenario


def select(names: Iterable[str] | None) -> list[Scenario]:
    """The named scenarios in the order given, or every default one when none are named."""
    wanted = list(dict.fromkeys(names or ()))
    if not wanted:
        return [scenario for scenario in _registry.values() if scenario.by_default]
    unknown = [name for name in wanted if name not in _registry]
    if unknown:
        known = ", ".join(_registry) or "none"
        raise BenchError(f"unknown scenario(s): {', '.join(unknown)} (registered: {known})")
    return [_registry[name] for name in wanted]


register(Scenario("health", "Liveness probe, the cheapest request the API answers.", "/health"))

DASHBOARD_QUERY = """query Dashboard($period: Period!) {
  dashboardOverview(period: $period) {
    overview { totalRevenue totalOrders averageOrderValue uniqueCustomers totalProfit
      revenueChangePercentage ordersChangePercentage }
    trend { label value }
    topProducts { rank revenue unitsSold product { id name } }
    categoryBreakdown { revenue percentage category { id name } }
    customerSegments { segment customerCount percentage }
    topSalesReps { rank totalSales salesRep { id name } }
    generatedAt
  }
}"""
OVERVIEW_QUERY = """query Overview($period: Period!) {
  salesOverview(period: $period) { totalRevenue totalOrders averageOrderValue uniqueCustomers
    unitsSold totalProfit profitMargin revenueChangePercentage }
}"""
TRENDS_QUERY = """query Trends($period: Period!) {
  salesTrends(period: $period, metric: REVENUE) { timestamp label value orderCount }
}"""
TOP_PRODUCTS_QUERY = """query TopProducts($period: Period!) {
  topProducts(period: $period, limit: 10) { rank revenue unitsSold profit growthRate
    product { id name } }
}"""
SEGMENTS_QUERY = """query Segments {
  customerSegments { segment customerCount totalRevenue averageLifetimeValue percentage }
}"""
REPS_QUERY = """query Reps($period: Period!) {
  topSalesReps(period: $period, limit: 10) { rank totalSales totalOrders commissionEarned
    salesRep { id name } }
}"""
ORDERS_PAGE_QUERY = """query OrdersPage {
  orders(first: 50) { totalCount edges { cursor node { id orderDate status totalAmount
    customer { id name } items { quantity unitPrice product { id name } } } }
    pageInfo { hasNextPage endCursor } }
}"""

for _name, _description, _query, _variables in (
    ("dashboard", "dashboardOverview for MONTH: the whole page.", DASHBOARD_QUERY, True),
    ("overview", "salesOverview for MONTH.", OVERVIEW_QUERY, True),
    ("trends", "salesTrends of revenue for MONTH (daily).", TRENDS_QUERY, True),
    ("top_products", "topProducts (10) for MONTH.", TOP_PRODUCTS_QUERY, True),
    ("segments", "customerSegments.", SEGMENTS_QUERY, False),
    ("reps", "topSalesReps (10) for MONTH.", REPS_QUERY, True),
    (
        "orders_page",
        "orders connection, first 50, with customers and items.",
        ORDERS_PAGE_QUERY,
        False,
    ),
):
    register(graphql(_name, _description, _query, {"period": "MONTH"} if _variables else None))

register(
    replace(
        graphql(
            "dashboard_warm",
            "dashboardOverview for MONTH, answered by the response cache after the warm-up"
            " (hit rate sampled by 100 requests after the run).",
            DASHBOARD_QUERY,
            {"period": "MONTH"},
        ),
        samples_cache=True,
    )
)

PRODUCTS_LIST_PATH = (
    "/api/v1/products?min_price=10.00&max_price=200.00&in_stock=true"
    "&sort_by=selling_price&sort_order=desc&limit=50"
)
PRODUCTS_SEARCH_PATH = "/api/v1/products?search=compact%20ten&limit=20"
"""Seeded names are "<Brand> <Adjective> <Noun>": "Compact" is an adjective, "Tent" a noun."""

for _scenario in (
    Scenario(
        "products_list",
        "REST catalog page: price range, in stock, by price descending, 50 rows and the total.",
        PRODUCTS_LIST_PATH,
    ),
    Scenario(
        "products_search",
        "REST catalog full-text search (two word prefixes), ranked, 20 rows and the total.",
        PRODUCTS_SEARCH_PATH,
    ),
    Scenario(
        "kpis_summary",
        "REST KPI summary of the last 30 days against the 30 before, with the top products.",
        "/api/v1/kpis/summary?days_back=30",
    ),
):
    register(_scenario)

PAGE_LOAD = (DASHBOARD_QUERY, TRENDS_QUERY, TOP_PRODUCTS_QUERY, SEGMENTS_QUERY)
"""The queries of one dashboard page load, in order."""
OTHER_PERIODS = ("TODAY", "WEEK", "QUARTER", "YEAR", "LAST_MONTH")
VARY_EVERY = 10
"""In ``mixed``, every tenth request asks for another period than MONTH."""


def _page_request(query: str, period: str) -> str:
    takes_period = "$period" in query
    return _json(graphql_payload(query, {"period": period} if takes_period else None))


register(
    Scenario(
        "mixed",
        f"Page loads: dashboard, trends, top products, segments for MONTH; every {VARY_EVERY}th"
        f" request another period ({', '.join(OTHER_PERIODS)}). Reports the cache hit rate.",
        "/graphql",
        method="POST",
        headers=(JSON_CONTENT_TYPE,),
        lua="mixed.lua",
        lua_globals=(
            ("pages", tuple(_page_request(query, "MONTH") for query in PAGE_LOAD)),
            (
                "varied",
                tuple(
                    _page_request(query, period)
                    for period in OTHER_PERIODS
                    for query in PAGE_LOAD
                    if "$period" in query
                ),
            ),
            ("vary_every", VARY_EVERY),
        ),
        counts_cache=True,
    )
)
register(
    Scenario(
        "write_mix",
        "Cached reads with one createOrder per 100 reads, each write checked by the read"
        " after it (stale reads). Adds orders to the database; run only when named.",
        "/graphql",
        method="POST",
        headers=(JSON_CONTENT_TYPE,),
        counts_cache=True,
        driver=Driver.WRITE_MIX,
        by_default=False,
    )
)

register(
    Scenario(
        "write_storm",
        "--connections writers placing orders of 1 to 5 lines without pause, each checked by"
        " the read after it, beside 8 users reading the cached dashboard answers: orders/s,"
        " write latency, read latency while writes invalidate them. Adds orders; run only"
        " when named.",
        "/graphql",
        method="POST",
        headers=(JSON_CONTENT_TYPE,),
        counts_cache=True,
        driver=Driver.WRITE_STORM,
        by_default=False,
    )
)

register(
    Scenario(
        "writes_only",
        "write_storm without the readers: the write path alone (each write still checked by"
        " the read after it). Adds orders; run only when named.",
        "/graphql",
        method="POST",
        headers=(JSON_CONTENT_TYPE,),
        counts_cache=True,
        driver=Driver.WRITES_ONLY,
        by_default=False,
    )
)

register(
    Scenario(
        "bulk_orders",
        "write_storm with createOrders calls of 100 orders (point of sale, marketplaces):"
        " orders/s and the calls' latency. Adds orders; run only when named.",
        "/graphql",
        method="POST",
        headers=(JSON_CONTENT_TYPE,),
        counts_cache=True,
        driver=Driver.BULK_ORDERS,
        by_default=False,
    )
)

register(
    Scenario(
        "cold_storm",
        "Distinct uncached analytics requests of every kind (no-cache, admin token) from"
        " --connections users at once; reports errors and the p99 of /health probed meanwhile."
        " Run only when named.",
        "/graphql",
        method="POST",
        headers=(JSON_CONTENT_TYPE,),
        driver=Driver.COLD_STORM,
        by_default=False,
    )
)


def for_periods(scenarios: Iterable[Scenario], periods: Iterable[str]) -> list[Scenario]:
    """Each scenario once per period (``name[PERIOD]``); scenarios without a period stay as is."""
    expanded: list[Scenario] = []
    for scenario in scenarios:
        payload = json.loads(scenario.body) if scenario.body else {}
        if "period" not in payload.get("variables", {}):
            expanded.append(scenario)
            continue
        for period in periods:
            payload["variables"]["period"] = period
            body = _json(payload)
            expanded.append(replace(scenario, name=f"{scenario.name}[{period}]", body=body))
    return expanded
