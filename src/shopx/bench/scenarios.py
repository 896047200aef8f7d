"""Benchmark scenarios: one HTTP request each, repeated under load.

Other modules add scenarios with ``register``; POST scenarios with a JSON body (GraphQL
queries in particular) need no hand-written Lua, the wrk script is generated from them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from shopx.bench.errors import BenchError

JSON_CONTENT_TYPE = ("Content-Type", "application/json")


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    path: str
    method: str = "GET"
    body: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    lua: str | None = None
    """A script in ``shopx/bench/lua/`` that replaces the generated request setup."""


def post_json(
    name: str,
    description: str,
    path: str,
    payload: Any,
    *,
    headers: tuple[tuple[str, str], ...] = (),
) -> Scenario:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    all_headers = (JSON_CONTENT_TYPE, *headers)
    return Scenario(name, description, path, method="POST", body=body, headers=all_headers)


def graphql(
    name: str,
    description: str,
    query: str,
    variables: Mapping[str, Any] | None = None,
    *,
    path: str = "/graphql",
) -> Scenario:
    payload: dict[str, Any] = {"query": query}
    if variables:
        payload["variables"] = dict(variables)
    return post_json(name, description, path, payload)


_registry: dict[str, Scenario] = {}
SCENARIOS: Mapping[str, Scenario] = MappingProxyType(_registry)


def register(scenario: Scenario) -> Scenario:
    if scenario.name in _registry:
        raise BenchError(f"a scenario named {scenario.name!r} is already registered")
    _registry[scenario.name] = scenario
    return scenario


def select(names: Iterable[str] | None) -> list[Scenario]:
    """The named scenarios in the order given, or every registered one when none are named."""
    wanted = list(dict.fromkeys(names or ()))
    if not wanted:
        return list(_registry.values())
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
            body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
            expanded.append(replace(scenario, name=f"{scenario.name}[{period}]", body=body))
    return expanded
