"""Customer, rep, region, margin and profit numbers against a recomputation from raw rows."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest

from shopx.analytics.periods import Comparison, Period, comparison_span, resolve
from shopx.db.engine import create_engine
from tests import oracle
from tests.api import api_client
from tests.conftest import CLOCKS, SEED_NOW

UTC_ZONE = ZoneInfo("UTC")
STATUSES = ("COMPLETED",)
PERIODS = ["TODAY", "MONTH", "LAST_MONTH", "YEAR", "CUSTOM"]
CUSTOM = (date(2026, 2, 10), date(2026, 5, 3))


@pytest.fixture
async def shop(seeded_url):
    engine = create_engine(seeded_url)
    try:
        yield await oracle.load_shop(engine)
    finally:
        await engine.dispose()


def _span(period: str, now=SEED_NOW):
    custom = CUSTOM if period == "CUSTOM" else None
    return resolve(Period(period), now=now, tz=UTC_ZONE, date_range=custom)


def _variables(period: str, **more: str) -> dict:
    """GraphQL variables: CUSTOM goes as a dateRange."""
    if period != "CUSTOM":
        return {"p": period, **more}
    dates = {"startDate": CUSTOM[0].isoformat(), "endDate": CUSTOM[1].isoformat()}
    return {"p": "CUSTOM", "r": dates, **more}


async def test_customer_segments_follow_the_rfm_rules_over_raw_orders(seeded_url, shop):
    lifetimes = oracle.customer_lifetimes(shop, STATUSES)
    today = SEED_NOW.date()
    expected: dict[str, list[int]] = {
        s: [0, 0] for s in ("PREMIUM", "REGULAR", "NEW", "AT_RISK", "CHURNED")
    }
    for customer in shop.customer_region:
        cell = expected[oracle.rfm_segment(lifetimes, customer, today, UTC_ZONE)]
        cell[0] += 1
        cell[1] += lifetimes.get(customer, (0,))[0]

    async with api_client(seeded_url, now=SEED_NOW) as client:
        rows = (await client.data("{ customerSegments { segment customerCount totalRevenue } }"))[
            "customerSegments"
        ]

    got = {row["segment"]: [row["customerCount"], row["totalRevenue"]] for row in rows}
    assert got == {segment: [n, oracle.money(cents)] for segment, (n, cents) in expected.items()}
    assert all(count > 0 for count, _ in expected.values())


REPS = """query($p: Period!, $r: DateRangeInput) {
  topSalesReps(period: $p, dateRange: $r, limit: 100) {
  rank totalOrders totalSales uniqueCustomers commissionEarned salesRep { id commissionRate }
} }"""


@pytest.mark.parametrize("period", PERIODS)
@CLOCKS
async def test_top_sales_reps_match_raw_orders(seeded_url, shop, period, now):
    span = _span(period, now)
    sums = oracle.order_sums(
        oracle.within(shop, span.start, span.end), STATUSES, lambda o: o.rep_id
    )
    sums.pop(None, None)
    ranked = sorted(sums.items(), key=lambda kv: (-kv[1][0], kv[0]))
    async with api_client(seeded_url, now=now) as client:
        rows = (await client.data(REPS, _variables(period)))["topSalesReps"]

    assert [int(row["salesRep"]["id"]) for row in rows] == [rep for rep, _ in ranked]
    for row, (_, (revenue, _, orders, customers)) in zip(rows, ranked, strict=True):
        rate = Decimal(str(row["salesRep"]["commissionRate"])) * 100
        commission = (Decimal(revenue) * rate / 10_000 / 100).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
        assert (row["totalSales"], row["totalOrders"], row["uniqueCustomers"]) == (
            oracle.money(revenue),
            orders,
            customers,
        )
        assert row["commissionEarned"] == f"{commission:.2f}"


REGIONS = """query($p: Period!, $r: DateRangeInput) {
  regionalPerformance(period: $p, dateRange: $r) {
  region revenue orders customers profit growth
} }"""


@pytest.mark.parametrize("period", PERIODS)
@CLOCKS
async def test_regional_performance_matches_raw_orders(seeded_url, shop, period, now):
    span = _span(period, now)
    before = comparison_span(span, Comparison.PREVIOUS_PERIOD, UTC_ZONE)

    def region_of(order):
        return shop.customer_region[order.customer_id] or "Unknown"

    current = oracle.order_sums(oracle.within(shop, span.start, span.end), STATUSES, region_of)
    earlier = oracle.order_sums(oracle.within(shop, before.start, before.end), STATUSES, region_of)
    async with api_client(seeded_url, now=now) as client:
        rows = (await client.data(REGIONS, _variables(period)))["regionalPerformance"]

    got = {row["region"]: row for row in rows}
    for region, (revenue, cost, orders, customers) in current.items():
        row = got[region]
        assert (row["revenue"], row["orders"], row["customers"], row["profit"]) == (
            oracle.money(revenue),
            orders,
            customers,
            oracle.money(revenue - cost),
        )
        previous = earlier.get(region, [0])[0]
        expected_growth = (revenue - previous) / previous * 100 if previous else None
        assert row["growth"] == pytest.approx(expected_growth, abs=1e-3)


MARGIN = """query($p: Period!, $g: MarginGroupBy!, $r: DateRangeInput) {
  marginAnalysis(period: $p, groupBy: $g, limit: 100, dateRange: $r) {
    groupId groupName revenue cost profit
  }
}"""


@pytest.mark.parametrize("period", PERIODS)
@CLOCKS
async def test_margin_by_region_and_category_match_raw_rows(seeded_url, shop, period, now):
    span = _span(period, now)
    orders = oracle.within(shop, span.start, span.end)
    by_region = oracle.order_sums(
        orders, STATUSES, lambda o: shop.customer_region[o.customer_id] or "Unknown"
    )
    by_category = oracle.category_sales(shop, orders, STATUSES)
    async with api_client(seeded_url, now=now) as client:
        regions = (await client.data(MARGIN, _variables(period, g="REGION")))["marginAnalysis"]
        categories = (await client.data(MARGIN, _variables(period, g="CATEGORY")))["marginAnalysis"]

    assert {row["groupName"]: (row["revenue"], row["cost"]) for row in regions} == {
        region: (oracle.money(revenue), oracle.money(cost))
        for region, (revenue, cost, _, _) in by_region.items()
    }
    assert {int(row["groupId"]): (row["revenue"], row["cost"]) for row in categories} == {
        category: (oracle.money(revenue), oracle.money(cost))
        for category, (revenue, cost, _, _) in by_category.items()
    }


PROFIT = """query($p: Period!, $r: DateRangeInput) {
  profitabilityMetrics(period: $p, dateRange: $r) {
  totalRevenue totalCost totalDiscount totalProfit
} }"""


@pytest.mark.parametrize("period", PERIODS)
@CLOCKS
async def test_profitability_totals_match_raw_rows(seeded_url, shop, period, now):
    span = _span(period, now)
    counted = [o for o in oracle.within(shop, span.start, span.end) if o.status in STATUSES]
    revenue = sum(o.total for o in counted)
    cost = sum(q * c for o in counted for _, q, _, c in o.items)
    discount = sum(o.discount for o in counted)
    async with api_client(seeded_url, now=now) as client:
        got = (await client.data(PROFIT, _variables(period)))["profitabilityMetrics"]
    assert got == {
        "totalRevenue": oracle.money(revenue),
        "totalCost": oracle.money(cost),
        "totalDiscount": oracle.money(discount),
        "totalProfit": oracle.money(revenue - cost),
    }
