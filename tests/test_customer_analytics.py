"""Customer analytics against plain Python over the orders written here.

Business time zone New York; *now* is 2026-03-18 12:30 EDT, so MONTH runs from
2026-03-01 05:00 UTC to now and its previous period starts mid-day on 2026-02-11.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from shopx.auth import Role
from shopx.config import Settings
from shopx.db.engine import session_factory
from shopx.db.models import Customer, Order
from shopx.jobs.refresh import full_refresh
from tests import factories as make
from tests.api import api_client

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 18, 16, 30, tzinfo=UTC)
MONTH = (datetime(2026, 3, 1, 5, tzinfo=UTC), NOW)
FEBRUARY = (datetime(2026, 2, 1, 5, tzinfo=UTC), datetime(2026, 3, 1, 5, tzinfo=UTC))
PRICES = {"boot": 12_000, "cap": 2_500, "phone": 50_000}


@dataclass(frozen=True)
class Spec:
    customer: str
    at: datetime
    lines: tuple[tuple[str, int], ...]
    status: str = "COMPLETED"
    discount: int = 0

    @property
    def total(self) -> int:
        return sum(PRICES[name] * quantity for name, quantity in self.lines) - self.discount


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


ORDERS = [
    Spec("alice", at(2025, 6, 10, 15), (("boot", 1),)),
    Spec("alice", at(2026, 2, 12, 14), (("cap", 2),), discount=300),
    Spec("alice", at(2026, 3, 5, 10), (("boot", 1), ("cap", 1))),
    Spec("alice", at(2026, 3, 5, 11), (("cap", 1),)),
    Spec("alice", at(2026, 3, 18, 4, 59), (("boot", 1),), status="PENDING"),
    Spec("bob", at(2026, 2, 11, 17), (("phone", 1),)),  # just before the previous period
    Spec("bob", at(2026, 2, 11, 18), (("cap", 1),)),
    Spec("bob", at(2026, 3, 18, 13), (("boot", 2),), discount=1_000),  # today, before now
    Spec("bob", at(2026, 3, 18, 18), (("cap", 1),)),  # today, after now
    Spec("carol", at(2025, 11, 20, 12), (("cap", 1),)),
    Spec("carol", at(2026, 3, 1, 4, 30), (("phone", 1),)),  # 28 February, 23:30 local
    Spec("carol", at(2026, 3, 1, 5, 30), (("phone", 1),), status="REFUNDED"),
    Spec("carol", at(2026, 3, 10, 12), (("cap", 4),)),
    Spec("dave", at(2026, 3, 15, 12), (("phone", 1),), discount=5_000),
    Spec("dave", at(2026, 3, 16, 12), (("boot", 1),), status="CANCELLED"),
    Spec("erin", at(2025, 1, 15, 12), (("boot", 1),)),
    Spec("erin", at(2025, 9, 1, 12), (("cap", 1),)),
    Spec("gina", at(2026, 3, 2, 12), (("cap", 1),), status="CANCELLED"),
    Spec("ivy", at(2026, 2, 20, 12), (("cap", 1),)),
]
PEOPLE = ("alice", "bob", "carol", "dave", "erin", "frank", "gina", "ivy")
SEGMENTS = {
    "alice": "AT_RISK",
    "bob": "PREMIUM",
    "carol": "REGULAR",
    "dave": "NEW",
    "erin": "CHURNED",
    "frank": "NEW",
    "gina": "NEW",
    "ivy": "NEW",
}


def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, timezone=NY.key, secret_key="s" * 40)


async def build_shop(engine, database_url: str) -> tuple[dict[str, int], list[int]]:
    """Writes the orders above and refreshes everything derived: customer and order ids."""
    async with session_factory(engine)() as session, session.begin():
        shoes = await make.category(session, name="Shoes")
        products = {
            name: await make.product(session, category=shoes, price_cents=price, stock=1_000)
            for name, price in PRICES.items()
        }
        people = {name: await make.customer(session, name=name) for name in PEOPLE}
        orders = []
        for spec in ORDERS:
            lines = [(products[name], quantity) for name, quantity in spec.lines]
            row = await make.order(
                session,
                customer=people[spec.customer],
                lines=lines,
                at=spec.at,
                status=spec.status,
                discount_cents=spec.discount,
            )
            orders.append(row.id)
        ids = {name: row.id for name, row in people.items()}
    await full_refresh(engine, settings(database_url), now=NOW)
    return ids, orders


def recognised(start: datetime = at(2000, 1, 1), end: datetime = at(2100, 1, 1)) -> list[Spec]:
    return [s for s in ORDERS if s.status == "COMPLETED" and start <= s.at < end]


def cents(text: str) -> int:
    return int(Decimal(text) * 100)


def money(cents: int | Fraction) -> str:
    exact = Fraction(cents)
    value = Decimal(exact.numerator) / Decimal(exact.denominator) / 100
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def spend(span: tuple[datetime, datetime]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for spec in recognised(*span):
        totals[spec.customer] = totals.get(spec.customer, 0) + spec.total
    return totals


def lifetime(name: str) -> list[Spec]:
    return [spec for spec in recognised() if spec.customer == name]


def rfm_codes() -> dict[str, str]:
    """1 + floor(5 x buyers with a strictly worse value / buyers), per value."""
    values = {}
    for name in PEOPLE:
        if orders := lifetime(name):
            last = max(s.at for s in orders).astimezone(NY).date()
            values[name] = (last, len(orders), sum(s.total for s in orders))
    n = len(values)
    return {
        name: "".join(
            str(1 + 5 * sum(1 for o in values.values() if o[i] < own[i]) // n) for i in range(3)
        )
        for name, own in values.items()
    }


async def test_segments_follow_the_rfm_rules(engine, database_url):
    ids, _ = await build_shop(engine, database_url)
    async with engine.connect() as conn:
        stored = dict((await conn.execute(select(Customer.id, Customer.segment))).all())
    assert {name: stored[key] for name, key in ids.items()} == SEGMENTS
    codes = {"alice": "242", "bob": "545", "carol": "334", "dave": "413", "erin": "121"}
    assert rfm_codes() == codes | {"ivy": "111"}


SEGMENT_QUERY = """{ customerSegments { segment customerCount totalRevenue
  averageLifetimeValue averageOrderValue percentage } }"""


async def test_customer_segments_sum_lifetime_values(engine, database_url):
    await build_shop(engine, database_url)
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        rows = (await client.data(SEGMENT_QUERY, role=Role.VIEWER))["customerSegments"]
    assert [row["segment"] for row in rows] == ["PREMIUM", "REGULAR", "NEW", "AT_RISK", "CHURNED"]
    for row in rows:
        members = [name for name, segment in SEGMENTS.items() if segment == row["segment"]]
        orders = [s for s in recognised() if s.customer in members]
        value = sum(s.total for s in orders)
        assert row["customerCount"] == len(members)
        assert cents(row["totalRevenue"]) == value
        assert row["averageLifetimeValue"] == money(Fraction(value, len(members)))
        assert row["averageOrderValue"] == money(Fraction(value, len(orders)))
        assert row["percentage"] == round(100 * len(members) / len(PEOPLE), 4)


METRICS_QUERY = """query ($id: ID!, $period: Period!, $range: DateRangeInput) {
  customerMetrics(customerId: $id, period: $period, dateRange: $range) {
    customer { name } orderCount totalSpent averageOrderValue lastOrderDate daysSinceLastOrder
    averageDaysBetweenOrders recencyScore frequencyScore monetaryScore rfmScore lifetimeValue
    segment } }"""


async def test_customer_metrics_split_the_period_from_the_lifetime(engine, database_url):
    ids, _ = await build_shop(engine, database_url)
    codes = rfm_codes()
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        for name in ("alice", "bob", "carol", "frank"):
            for period, span in (("MONTH", MONTH), ("YEAR", (at(2026, 1, 1, 5), NOW))):
                variables = {"id": str(ids[name]), "period": period}
                got = (await client.data(METRICS_QUERY, variables))["customerMetrics"]
                inside = [s for s in recognised(*span) if s.customer == name]
                assert got["orderCount"] == len(inside)
                spent = sum(s.total for s in inside)
                assert cents(got["totalSpent"]) == spent
                assert got["averageOrderValue"] == money(Fraction(spent, len(inside) or 1))
                ever = lifetime(name)
                assert cents(got["lifetimeValue"]) == sum(s.total for s in ever)
                assert got["rfmScore"] == codes.get(name)
                assert got["segment"] == SEGMENTS[name]
                if not ever:
                    assert got["lastOrderDate"] is None and got["recencyScore"] is None
                    continue
                last, first = max(s.at for s in ever), min(s.at for s in ever)
                assert datetime.fromisoformat(got["lastOrderDate"]) == last
                local_today = NOW.astimezone(NY).date()
                assert got["daysSinceLastOrder"] == (local_today - last.astimezone(NY).date()).days
                gap = (
                    (last - first) / timedelta(days=1) / (len(ever) - 1) if len(ever) > 1 else None
                )
                assert got["averageDaysBetweenOrders"] == (round(gap, 2) if gap else None)


TOP_QUERY = """query ($limit: Int!, $period: Period!, $range: DateRangeInput) {
  topCustomers(limit: $limit, period: $period, dateRange: $range) {
    customer { name } orderCount totalSpent } }"""


async def test_top_customers_rank_by_spend_with_partial_days_and_custom_ranges(
    engine, database_url
):
    await build_shop(engine, database_url)
    february = {"startDate": "2026-02-01", "endDate": "2026-02-28"}
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        month = await client.data(TOP_QUERY, {"limit": 10, "period": "MONTH"})
        custom = await client.data(TOP_QUERY, {"limit": 2, "period": "CUSTOM", "range": february})
    for got, span, limit in ((month, MONTH, 10), (custom, FEBRUARY, 2)):
        expected = sorted(spend(span).items(), key=lambda item: -item[1])[:limit]
        rows = got["topCustomers"]
        assert [(r["customer"]["name"], cents(r["totalSpent"])) for r in rows] == expected
    names = [row["customer"]["name"] for row in month["topCustomers"]]
    assert names == ["dave", "bob", "alice", "carol"]


async def test_a_refund_lowers_the_spend_of_the_orders_own_day(engine, database_url):
    _, orders = await build_shop(engine, database_url)
    february = {"startDate": "2026-02-01", "endDate": "2026-02-28"}
    variables = {"limit": 10, "period": "CUSTOM", "range": february}
    bob_cap = orders[ORDERS.index(Spec("bob", at(2026, 2, 11, 18), (("cap", 1),)))]
    async with session_factory(engine)() as session, session.begin():
        await session.execute(update(Order).where(Order.id == bob_cap).values(status="REFUNDED"))
    await full_refresh(engine, settings(database_url), now=NOW)
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        february_rows = (await client.data(TOP_QUERY, variables))["topCustomers"]
        month_rows = await client.data(TOP_QUERY, {"limit": 10, "period": "MONTH"})
    bob = next(r for r in february_rows if r["customer"]["name"] == "bob")
    assert cents(bob["totalSpent"]) == spend(FEBRUARY)["bob"] - PRICES["cap"]
    bob_now = next(r for r in month_rows["topCustomers"] if r["customer"]["name"] == "bob")
    assert cents(bob_now["totalSpent"]) == spend(MONTH)["bob"]


def buyers(start: datetime, end: datetime) -> set[str]:
    return {spec.customer for spec in recognised(start, end)}


RETENTION_QUERY = """query ($period: Period!, $range: DateRangeInput) {
  customerRetention(period: $period, dateRange: $range) { activeCustomers newCustomers
    returningCustomers previousCustomers retainedCustomers churnedCustomers retentionRate
    churnRate repeatPurchaseRate } }"""


async def test_retention_compares_the_period_with_the_previous_one(engine, database_url):
    await build_shop(engine, database_url)
    march = {"startDate": "2026-03-01", "endDate": "2026-03-17"}
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        running = await client.data(RETENTION_QUERY, {"period": "MONTH"})
        custom = await client.data(RETENTION_QUERY, {"period": "CUSTOM", "range": march})
    custom_span = (MONTH[0], datetime(2026, 3, 18, 4, tzinfo=UTC))
    for got, (start, end) in ((running, MONTH), (custom, custom_span)):
        now_buyers = buyers(start, end)
        before = buyers(start - (end - start), start)
        firsts = {name: min(s.at for s in lifetime(name)) for name in now_buyers}
        new = {name for name, first in firsts.items() if first >= start}
        repeat = [n for n in now_buyers if sum(s.customer == n for s in recognised(start, end)) > 1]
        assert got["customerRetention"] == {
            "activeCustomers": len(now_buyers),
            "newCustomers": len(new),
            "returningCustomers": len(now_buyers - new),
            "previousCustomers": len(before),
            "retainedCustomers": len(before & now_buyers),
            "churnedCustomers": len(before - now_buyers),
            "retentionRate": round(len(before & now_buyers) / len(before), 6),
            "churnRate": round(len(before - now_buyers) / len(before), 6),
            "repeatPurchaseRate": round(len(repeat) / len(now_buyers), 6),
        }
    assert running["customerRetention"]["churnedCustomers"] == 1  # ivy


COHORT_QUERY = (
    "query ($months: Int!) { cohortRetention(months: $months) { cohortMonth size retention } }"
)


def local_month(moment: datetime) -> date:
    return moment.astimezone(NY).date().replace(day=1)


def expected_cohorts(months: list[date]) -> list[dict]:
    firsts = {n: local_month(min(s.at for s in lifetime(n))) for n in PEOPLE if lifetime(n)}
    active = {(s.customer, local_month(s.at)) for s in recognised(end=NOW)}
    expected = []
    for index, month in enumerate(months):
        cohort = [name for name, first in firsts.items() if first == month]
        shares = [
            round(sum((name, later) in active for name in cohort) / len(cohort), 6)
            if cohort
            else None
            for later in months[index:]
        ]
        expected.append(
            {"cohortMonth": month.isoformat(), "size": len(cohort), "retention": shares}
        )
    return expected


async def test_cohorts_follow_first_orders_month_by_month(engine, database_url):
    await build_shop(engine, database_url)
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        for count in (1, 3, 14):
            rows = (await client.data(COHORT_QUERY, {"months": count}))["cohortRetention"]
            months = [date(2026 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(4 - count, 4)]
            assert rows == expected_cohorts(months), count
    assert rows[-2] == {"cohortMonth": "2026-02-01", "size": 2, "retention": [1.0, 0.5]}


async def test_bad_input_is_refused_with_a_code(engine, database_url):
    await build_shop(engine, database_url)
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        checks = [
            (COHORT_QUERY, {"months": 37}, "BAD_USER_INPUT"),
            (COHORT_QUERY, {"months": 0}, "BAD_USER_INPUT"),
            (TOP_QUERY, {"limit": 101, "period": "MONTH"}, "BAD_USER_INPUT"),
            (METRICS_QUERY, {"id": "999999", "period": "YEAR"}, "NOT_FOUND"),
            (METRICS_QUERY, {"id": "abc", "period": "YEAR"}, "BAD_USER_INPUT"),
        ]
        for query, variables, code in checks:
            body = await client.graphql(query, variables)
            assert body["errors"][0]["extensions"]["code"] == code, (variables, body)
        viewer = await client.graphql(
            METRICS_QUERY, {"id": "1", "period": "YEAR"}, role=Role.VIEWER
        )
        assert viewer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
