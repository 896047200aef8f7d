"""Sales-rep and regional analytics against plain Python over the orders written here.

Business time zone New York; *now* is 2026-03-18 12:30 EDT (16:30 UTC).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from sqlalchemy import update

from shopx.config import Settings
from shopx.db.engine import session_factory
from shopx.db.models import Order
from shopx.jobs.refresh import full_refresh
from tests import factories as make
from tests.api import api_client

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 18, 16, 30, tzinfo=UTC)
MONTH = (datetime(2026, 3, 1, 5, tzinfo=UTC), NOW)
FEBRUARY = (datetime(2026, 2, 1, 5, tzinfo=UTC), datetime(2026, 3, 1, 5, tzinfo=UTC))
PRODUCTS = {"boot": (12_000, 7_000), "cap": (2_500, 900), "phone": (50_000, 40_000)}
REPS = {"rita": ("North", 500), "sam": ("South", 750), "tom": ("North", 333), "zed": ("West", 100)}
PEOPLE = {"nora": "North", "ned": "North", "sue": "South", "nix": None}


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@dataclass(frozen=True)
class Spec:
    rep: str | None
    customer: str
    at: datetime
    product: str
    quantity: int = 1
    status: str = "COMPLETED"
    discount: int = 0

    @property
    def total(self) -> int:
        return PRODUCTS[self.product][0] * self.quantity - self.discount

    @property
    def profit(self) -> int:
        return self.total - PRODUCTS[self.product][1] * self.quantity


ORDERS = [
    Spec("rita", "nora", at(2026, 3, 2, 15), "boot"),
    Spec("rita", "ned", at(2026, 3, 18, 5), "cap", 2, discount=200),  # 01:00 local today
    Spec("rita", "nora", at(2026, 2, 11, 18), "phone"),  # previous period, mid-day edge
    Spec("rita", "nora", at(2026, 3, 1, 4), "cap"),  # 28 February, 23:00 local
    Spec("sam", "sue", at(2026, 3, 10, 12), "phone", discount=2_500),
    Spec("sam", "nix", at(2026, 3, 18, 14), "boot"),  # today, before now
    Spec("sam", "sue", at(2026, 3, 18, 17), "boot"),  # today, after now
    Spec("sam", "sue", at(2026, 2, 20, 12), "cap"),
    Spec("tom", "nix", at(2026, 3, 3, 12), "cap"),
    Spec("tom", "nix", at(2026, 3, 4, 12), "cap"),
    Spec("tom", "ned", at(2026, 3, 5, 12), "boot", status="CANCELLED"),
    Spec(None, "nora", at(2026, 3, 6, 12), "phone"),
    Spec("rita", "sue", at(2026, 3, 12, 12), "cap", status="PENDING"),
    Spec(None, "sue", at(2026, 2, 15, 12), "boot"),
]


async def build_shop(engine, database_url: str) -> tuple[dict[str, int], list[int]]:
    """Writes the orders above and rebuilds the rollups: rep ids and order ids."""
    async with session_factory(engine)() as session, session.begin():
        shelf = await make.category(session)
        products = {
            name: await make.product(session, category=shelf, price_cents=p, cost_cents=c)
            for name, (p, c) in PRODUCTS.items()
        }
        reps = {
            n: await make.rep(session, region=r, commission_bp=bp) for n, (r, bp) in REPS.items()
        }
        for name, rep in reps.items():
            rep.name = name
        people = {n: await make.customer(session, region=r, name=n) for n, r in PEOPLE.items()}
        orders = []
        for spec in ORDERS:
            row = await make.order(
                session,
                customer=people[spec.customer],
                lines=[(products[spec.product], spec.quantity)],
                at=spec.at,
                status=spec.status,
                discount_cents=spec.discount,
                rep=reps[spec.rep] if spec.rep else None,
            )
            orders.append(row.id)
        rep_ids = {name: row.id for name, row in reps.items()}
    settings = Settings(database_url=database_url, timezone=NY.key, secret_key="s" * 40)
    await full_refresh(engine, settings, now=NOW)
    return rep_ids, orders


def recognised(start: datetime, end: datetime, orders: list[Spec] = ORDERS) -> list[Spec]:
    return [s for s in orders if s.status == "COMPLETED" and start <= s.at < end]


def money(cents: int | Fraction) -> str:
    exact = Fraction(cents)
    value = Decimal(exact.numerator) / Decimal(exact.denominator) / 100
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def expected_reps(
    span: tuple[datetime, datetime], region: str | None = None, orders: list[Spec] = ORDERS
) -> list[dict]:
    rows = []
    for name, (rep_region, bp) in REPS.items():
        mine = [s for s in recognised(*span, orders) if s.rep == name]
        if not mine or (region and rep_region != region):
            continue
        revenue = sum(s.total for s in mine)
        rows.append(
            {
                "salesRep": {"name": name},
                "totalOrders": len(mine),
                "totalSales": money(revenue),
                "averageOrderValue": money(Fraction(revenue, len(mine))),
                "commissionEarned": money(Fraction(revenue * bp, 10_000)),
                "uniqueCustomers": len({s.customer for s in mine}),
            }
        )
    rows.sort(key=lambda row: -Decimal(row["totalSales"]))
    return [row | {"rank": index} for index, row in enumerate(rows, start=1)]


TOP_QUERY = """query ($period: Period!, $range: DateRangeInput, $region: String) {
  topSalesReps(limit: 10, period: $period, dateRange: $range, region: $region) {
    salesRep { name } totalOrders totalSales averageOrderValue commissionEarned
    uniqueCustomers rank } }"""
FEBRUARY_RANGE = {"startDate": "2026-02-01", "endDate": "2026-02-28"}


async def test_top_sales_reps_over_partial_days_custom_ranges_and_regions(engine, database_url):
    await build_shop(engine, database_url)
    cases = [
        ({"period": "MONTH"}, MONTH, None),
        ({"period": "MONTH", "region": "North"}, MONTH, "North"),
        ({"period": "CUSTOM", "range": FEBRUARY_RANGE}, FEBRUARY, None),
    ]
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        for variables, span, region in cases:
            got = (await client.data(TOP_QUERY, variables))["topSalesReps"]
            assert got == expected_reps(span, region), variables
    month = expected_reps(MONTH)
    assert [row["salesRep"]["name"] for row in month] == ["sam", "rita", "tom"]
    assert month[2]["commissionEarned"] == "1.67"  # 3.33% of 50.00, rounded once


DETAIL_QUERY = """query ($id: ID!, $period: Period!, $granularity: Granularity) {
  salesRepPerformance(salesRepId: $id, period: $period, granularity: $granularity) {
    totalSales rank trend { label value orderCount customerCount } } }"""


async def test_a_reps_trend_adds_up_bucket_by_bucket(engine, database_url):
    reps, _ = await build_shop(engine, database_url)
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        month = await client.data(DETAIL_QUERY, {"id": str(reps["rita"]), "period": "MONTH"})
        today = await client.data(
            DETAIL_QUERY, {"id": str(reps["sam"]), "period": "TODAY", "granularity": "HOUR"}
        )
    detail = month["salesRepPerformance"]
    assert detail["totalSales"] == money(
        sum(s.total for s in recognised(*MONTH) if s.rep == "rita")
    )
    assert detail["rank"] == 2
    assert len(detail["trend"]) == 18
    for point in detail["trend"] + today["salesRepPerformance"]["trend"]:
        name = "rita" if len(point["label"]) == 10 else "sam"
        mine = [s for s in recognised(*MONTH) if s.rep == name and in_bucket(s, point["label"])]
        assert point["value"] == money(sum(s.total for s in mine)), point
        assert point["orderCount"] == len(mine)
        assert point["customerCount"] == len({s.customer for s in mine})
    assert [p["value"] for p in today["salesRepPerformance"]["trend"]].count("120.00") == 1


def in_bucket(spec: Spec, label: str) -> bool:
    """An order in the local day ("2026-03-02") or hour ("2026-03-18 10:00") of a label."""
    return spec.at.astimezone(NY).strftime("%Y-%m-%d %H:00")[: len(label)] == label


REGION_QUERY = """query ($period: Period!, $range: DateRangeInput) {
  regionalPerformance(period: $period, dateRange: $range) {
    region revenue orders customers profit growth } }"""


def expected_regions(span: tuple[datetime, datetime]) -> list[dict]:
    earlier = (span[0] - (span[1] - span[0]), span[0])
    rows = []
    for region in {PEOPLE[s.customer] for s in recognised(*span) + recognised(*earlier)}:
        mine = [s for s in recognised(*span) if PEOPLE[s.customer] == region]
        before = sum(s.total for s in recognised(*earlier) if PEOPLE[s.customer] == region)
        revenue = sum(s.total for s in mine)
        rows.append(
            {
                "region": region or "Unknown",
                "revenue": money(revenue),
                "orders": len(mine),
                "customers": len({s.customer for s in mine}),
                "profit": money(sum(s.profit for s in mine)),
                "growth": round((revenue - before) / before * 100, 4) if before else None,
            }
        )
    return sorted(rows, key=lambda row: (-Decimal(row["revenue"]), row["region"]))


async def test_regional_performance_groups_by_the_customers_region(engine, database_url):
    await build_shop(engine, database_url)
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        month = await client.data(REGION_QUERY, {"period": "MONTH"})
        custom = await client.data(REGION_QUERY, {"period": "CUSTOM", "range": FEBRUARY_RANGE})
    assert month["regionalPerformance"] == expected_regions(MONTH)
    assert custom["regionalPerformance"] == expected_regions(FEBRUARY)
    assert [row["region"] for row in month["regionalPerformance"]] == ["North", "South", "Unknown"]


async def test_a_refund_counts_against_the_orders_own_date(engine, database_url):
    _, orders = await build_shop(engine, database_url)
    refunded = ORDERS.index(Spec("sam", "sue", at(2026, 2, 20, 12), "cap"))
    async with session_factory(engine)() as session, session.begin():
        await session.execute(
            update(Order).where(Order.id == orders[refunded]).values(status="REFUNDED")
        )
    settings = Settings(database_url=database_url, timezone=NY.key, secret_key="s" * 40)
    await full_refresh(engine, settings, now=NOW)
    after = list(ORDERS)
    after[refunded] = Spec("sam", "sue", at(2026, 2, 20, 12), "cap", status="REFUNDED")
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        february = await client.data(TOP_QUERY, {"period": "CUSTOM", "range": FEBRUARY_RANGE})
        month = await client.data(TOP_QUERY, {"period": "MONTH"})
    assert february["topSalesReps"] == expected_reps(FEBRUARY, orders=after)
    assert month["topSalesReps"] == expected_reps(MONTH, orders=after) == expected_reps(MONTH)
    assert [row["salesRep"]["name"] for row in february["topSalesReps"]] == ["rita"]


async def test_unknown_reps_and_large_limits_are_refused(engine, database_url):
    await build_shop(engine, database_url)
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        missing = await client.graphql(DETAIL_QUERY, {"id": "999999", "period": "MONTH"})
        too_many = await client.graphql("{ topSalesReps(limit: 101) { rank } }")
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert too_many["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
