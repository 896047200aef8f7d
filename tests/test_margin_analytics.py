"""Profitability and margin analysis against plain Python over the orders written here.

Business time zone New York; *now* is 2026-03-18 12:30 EDT (16:30 UTC).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from shopx.analytics.margins import MarginGroupBy
from shopx.config import Settings
from shopx.db.engine import session_factory
from shopx.db.models import Customer
from shopx.jobs.refresh import full_refresh
from tests import factories as make
from tests.api import api_client

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 18, 16, 30, tzinfo=UTC)
SPANS = {
    "MONTH": (datetime(2026, 3, 1, 5, tzinfo=UTC), NOW),
    "CUSTOM": (datetime(2026, 2, 1, 5, tzinfo=UTC), datetime(2026, 3, 1, 5, tzinfo=UTC)),
    "YEAR": (datetime(2026, 1, 1, 5, tzinfo=UTC), NOW),
}
FEBRUARY = {"startDate": "2026-02-01", "endDate": "2026-02-28"}
# name: (price, cost, brand, category, top-level category)
PRODUCTS = {
    "boot": (12_000, 7_000, "Trail", "Shoes", "Apparel"),
    "sandal": (4_000, 1_500, "Acme", "Shoes", "Apparel"),
    "cap": (2_500, 900, "Acme", "Hats", "Apparel"),
    "phone": (50_000, 40_000, None, "Phones", "Gadgets"),
}
PEOPLE = {"amy": "North", "ben": "South", "cat": None}
REPS = ("rex", "ray")


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@dataclass(frozen=True)
class Spec:
    at: datetime
    customer: str
    rep: str | None
    payment: str | None
    lines: tuple[tuple[str, int, int], ...]
    discount: int = 0
    status: str = "COMPLETED"

    @property
    def total(self) -> int:
        return sum(quantity * price for _, quantity, price in self.lines) - self.discount

    @property
    def cost(self) -> int:
        return sum(quantity * PRODUCTS[name][1] for name, quantity, _ in self.lines)


def line(name: str, quantity: int, price: int | None = None) -> tuple[str, int, int]:
    return name, quantity, PRODUCTS[name][0] if price is None else price


ORDERS = [
    Spec(at(2026, 3, 2, 15), "amy", "rex", "card", (line("boot", 1), line("cap", 2)), 500),
    Spec(at(2026, 3, 3, 12), "ben", "ray", "cash", (line("phone", 1),)),
    Spec(at(2026, 3, 18, 5), "cat", None, None, (line("sandal", 3),), 100),  # today
    Spec(at(2026, 3, 18, 17), "amy", "rex", "card", (line("boot", 1),)),  # after now
    Spec(at(2026, 3, 1, 4, 30), "ben", "rex", "card", (line("phone", 1), line("cap", 1))),
    Spec(at(2026, 3, 9, 12), "amy", None, "card", (line("phone", 2),), status="REFUNDED"),
    Spec(at(2026, 3, 10, 12), "ben", "ray", "card", (line("sandal", 1), line("boot", 1)), 2_000),
    Spec(at(2026, 2, 15, 12), "cat", "rex", "cash", (line("cap", 3),)),
    Spec(at(2026, 3, 11, 12), "cat", "ray", None, (line("phone", 1),), status="PENDING"),
    Spec(at(2026, 3, 16, 12), "amy", "rex", "card", (line("phone", 1, 45_000),)),
    Spec(at(2025, 12, 20, 12), "ben", None, "card", (line("boot", 1),)),
]


@dataclass
class Shop:
    products: dict[str, int]
    categories: dict[str, int]
    reps: dict[str, int]
    segments: dict[str, str]


async def build_shop(engine, database_url: str) -> Shop:
    async with session_factory(engine)() as session, session.begin():
        tops = {name: await make.category(session, name=name) for name in ("Apparel", "Gadgets")}
        tree = {leaf: top for *_, leaf, top in PRODUCTS.values()}
        leaves = {
            leaf: await make.category(session, name=leaf, parent=tops[top])
            for leaf, top in tree.items()
        }
        products = {}
        for name, (price, cost, brand, leaf, _) in PRODUCTS.items():
            products[name] = await make.product(
                session, category=leaves[leaf], price_cents=price, cost_cents=cost, brand=brand
            )
            products[name].name = name
        people = {
            name: await make.customer(session, region=r, name=name) for name, r in PEOPLE.items()
        }
        reps = {name: await make.rep(session) for name in REPS}
        for name, rep in reps.items():
            rep.name = name
        for spec in ORDERS:
            await make.order(
                session,
                customer=people[spec.customer],
                lines=[(products[name], quantity, price) for name, quantity, price in spec.lines],
                at=spec.at,
                status=spec.status,
                discount_cents=spec.discount,
                rep=reps[spec.rep] if spec.rep else None,
                payment_mode=spec.payment,
            )
        ids = {name: row.id for name, row in products.items()}
        category_ids = {row.name: row.id for row in (*tops.values(), *leaves.values())}
        rep_ids = {name: row.id for name, row in reps.items()}
    settings = Settings(database_url=database_url, timezone=NY.key, secret_key="s" * 40)
    await full_refresh(engine, settings, now=NOW)
    async with engine.connect() as conn:
        segments = dict((await conn.execute(select(Customer.name, Customer.segment))).all())
    return Shop(ids, category_ids, rep_ids, segments)


def recognised(span: tuple[datetime, datetime]) -> list[Spec]:
    return [s for s in ORDERS if s.status == "COMPLETED" and span[0] <= s.at < span[1]]


def money(cents: int | Fraction) -> str:
    value = Decimal(Fraction(cents).numerator) / Decimal(Fraction(cents).denominator)
    return str((value / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def share(part: int, whole: int) -> float | None:
    return round(float(Fraction(part, whole) * 100), 4) if whole else None


def item_groups(shop: Shop, spec: Spec, group_by: str) -> list[tuple[str, str, int, int]]:
    """(key, name, item sales, cost) per line of an order."""
    rows = []
    for name, quantity, price in spec.lines:
        _, cost, brand, _, top = PRODUCTS[name]
        key, label = {
            "PRODUCT": (str(shop.products[name]), name),
            "CATEGORY": (str(shop.categories[top]), top),
            "BRAND": (brand or "", brand or "Unknown"),
        }[group_by]
        rows.append((key, label, quantity * price, quantity * cost))
    return rows


def order_group(shop: Shop, spec: Spec, group_by: str) -> tuple[str, str] | None:
    local = spec.at.astimezone(NY).date()
    monday = local - timedelta(days=local.weekday())
    return {
        "CUSTOMER_SEGMENT": (shop.segments[spec.customer],) * 2,
        "SALES_REP": (str(shop.reps[spec.rep]), spec.rep) if spec.rep else None,
        "REGION": (PEOPLE[spec.customer] or "", PEOPLE[spec.customer] or "Unknown"),
        "PAYMENT_MODE": (spec.payment or "", spec.payment or "Unknown"),
        "DAY": (local.isoformat(), local.isoformat()),
        "WEEK": (monday.isoformat(), f"Week of {monday.isoformat()}"),
        "MONTH": (local.replace(day=1).isoformat(), local.strftime("%b %Y")),
    }[group_by]


def expected_margins(shop: Shop, group_by: str, span, limit: int) -> list[dict]:
    sums: dict[tuple[str, str], list[int]] = {}
    for spec in recognised(span):
        if group_by in ("PRODUCT", "CATEGORY", "BRAND"):
            parts = [((k, n), r, c) for k, n, r, c in item_groups(shop, spec, group_by)]
        else:
            group = order_group(shop, spec, group_by)
            parts = [(group, spec.total, spec.cost)] if group else []
        for group, revenue, cost in parts:
            cell = sums.setdefault(group, [0, 0])
            cell[0], cell[1] = cell[0] + revenue, cell[1] + cost
    total = sum(revenue - cost for revenue, cost in sums.values())
    tie = (lambda g: int(g[0])) if group_by == "PRODUCT" else (lambda g: (g[1], g[0]))
    ranked = sorted(sums.items(), key=lambda item: (item[1][1] - item[1][0], tie(item[0])))
    return [
        {
            "groupId": key,
            "groupName": name,
            "revenue": money(revenue),
            "cost": money(cost),
            "profit": money(revenue - cost),
            "margin": share(revenue - cost, revenue),
            "contribution": share(revenue - cost, total),
        }
        for (key, name), (revenue, cost) in ranked[:limit]
    ]


MARGIN_QUERY = """
query ($by: MarginGroupBy!, $period: Period!, $range: DateRangeInput, $limit: Int!) {
  marginAnalysis(groupBy: $by, period: $period, dateRange: $range, limit: $limit) {
    groupId groupName revenue cost profit margin contribution } }"""
GROUPINGS = [group.value for group in MarginGroupBy]


@pytest.mark.parametrize("group_by", GROUPINGS)
async def test_margin_analysis_matches_a_recomputation(engine, database_url, group_by):
    shop = await build_shop(engine, database_url)
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        for period, limit in (("MONTH", 100), ("CUSTOM", 100), ("YEAR", 2)):
            variables = {"by": group_by, "period": period, "limit": limit}
            if period == "CUSTOM":
                variables["range"] = FEBRUARY
            got = (await client.data(MARGIN_QUERY, variables))["marginAnalysis"]
            assert got == expected_margins(shop, group_by, SPANS[period], limit), period


PROFIT_QUERY = """query ($period: Period!, $range: DateRangeInput) {
  profitabilityMetrics(period: $period, dateRange: $range) {
    totalRevenue totalCost totalDiscount totalProfit profitMargin averageOrderProfit
    byCategory { category { name } revenue cost profit margin }
    byProduct { product { name } revenue profit rank }
    byCustomerSegment { segment orders revenue cost discount profit margin } } }"""
SEGMENTS = ("PREMIUM", "REGULAR", "NEW", "AT_RISK", "CHURNED")


def pick(row: dict, *keys: str) -> dict:
    return {key: row[key] for key in keys}


def expected_profitability(shop: Shop, span) -> dict:
    orders = recognised(span)
    revenue, cost = sum(s.total for s in orders), sum(s.cost for s in orders)
    categories = expected_margins(shop, "CATEGORY", span, 100)
    products = expected_margins(shop, "PRODUCT", span, 20)
    segments = []
    for segment in SEGMENTS:
        mine = [s for s in orders if shop.segments[s.customer] == segment]
        income, spent = sum(s.total for s in mine), sum(s.cost for s in mine)
        segments.append(
            {
                "segment": segment,
                "orders": len(mine),
                "revenue": money(income),
                "cost": money(spent),
                "discount": money(sum(s.discount for s in mine)),
                "profit": money(income - spent),
                "margin": share(income - spent, income),
            }
        )
    return {
        "totalRevenue": money(revenue),
        "totalCost": money(cost),
        "totalDiscount": money(sum(s.discount for s in orders)),
        "totalProfit": money(revenue - cost),
        "profitMargin": share(revenue - cost, revenue),
        "averageOrderProfit": money(Fraction(revenue - cost, len(orders))),
        "byCategory": [
            {"category": {"name": row["groupName"]}}
            | pick(row, "revenue", "cost", "profit", "margin")
            for row in categories
        ],
        "byProduct": [
            {"product": {"name": row["groupName"]}, "rank": rank} | pick(row, "revenue", "profit")
            for rank, row in enumerate(products, start=1)
        ],
        "byCustomerSegment": segments,
    }


async def test_profitability_matches_a_recomputation(engine, database_url):
    shop = await build_shop(engine, database_url)
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        month = await client.data(PROFIT_QUERY, {"period": "MONTH"})
        custom = await client.data(PROFIT_QUERY, {"period": "CUSTOM", "range": FEBRUARY})
    assert month["profitabilityMetrics"] == expected_profitability(shop, SPANS["MONTH"])
    assert custom["profitabilityMetrics"] == expected_profitability(shop, SPANS["CUSTOM"])
    item_profit = sum(Decimal(row["profit"]) for row in month["profitabilityMetrics"]["byCategory"])
    totals = month["profitabilityMetrics"]
    assert item_profit - Decimal(totals["totalProfit"]) == Decimal(totals["totalDiscount"])


async def test_margin_analysis_refuses_a_limit_over_100(engine, database_url):
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        variables = {"by": "BRAND", "period": "MONTH", "limit": 101}
        body = await client.graphql(MARGIN_QUERY, variables)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
