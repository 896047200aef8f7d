"""Distinct customers over a period come from ``rollup_customer_gaps`` (whole days) and the
raw orders (edges): checked against a count over the orders placed, as orders are placed,
completed, cancelled and refunded, and the rollup against a rebuild after each step."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from shopx.analytics.periods import Span
from shopx.analytics.reporting import ReportingRules
from shopx.analytics.sales import distinct_customers
from shopx.config import Settings
from shopx.db.engine import session_factory
from shopx.jobs.refresh import full_refresh
from shopx.rollups.customer_days import pairs_of
from shopx.rollups.tables import FIRST_DAY
from tests import factories as make
from tests.api import api_client
from tests.consistency import assert_consistent
from tests.mutations import CREATE_ORDER, UPDATE_ORDER_STATUS, order_input

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
OVERVIEW = """query($p: Period!, $r: DateRangeInput) {
  salesOverview(period: $p, dateRange: $r) { uniqueCustomers }
}"""
MIDNIGHT = datetime(2026, 11, 20, tzinfo=UTC)
PERIODS = {
    # Today holds an order after now: its whole-day figures cannot be used (an edge).
    "MONTH": (datetime(2026, 11, 1, tzinfo=UTC), NOW),
    "WEEK": (datetime(2026, 11, 16, tzinfo=UTC), NOW),
    "YEAR": (datetime(2026, 1, 1, tzinfo=UTC), NOW),
    "TODAY": (MIDNIGHT, NOW),
    "LAST_MONTH": (datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)),
}
RANGES = [(date(2026, 11, 8), date(2026, 11, 12)), (date(2026, 10, 1), date(2026, 11, 19))]


@dataclass
class Placed:
    id: str
    customer: int
    at: datetime
    status: str


def _expected(orders: list[Placed], start: datetime, end: datetime) -> int:
    return len({o.customer for o in orders if o.status == "COMPLETED" and start <= o.at < end})


async def _check(client, orders: list[Placed]) -> None:
    for period, (start, end) in PERIODS.items():
        got = (await client.data(OVERVIEW, {"p": period}))["salesOverview"]
        assert got["uniqueCustomers"] == _expected(orders, start, end), period
    for first, last in RANGES:
        window = {"startDate": first.isoformat(), "endDate": last.isoformat()}
        got = (await client.data(OVERVIEW, {"p": "CUSTOM", "r": window}))["salesOverview"]
        start = datetime(first.year, first.month, first.day, tzinfo=UTC)
        end = datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1)
        assert got["uniqueCustomers"] == _expected(orders, start, end), window


def test_pairs_are_each_day_under_the_one_before():
    days = [date(2026, 11, 10), date(2026, 11, 3), date(2026, 11, 10), date(2026, 11, 20)]
    assert pairs_of(days) == [
        (date(2026, 11, 3), FIRST_DAY),
        (date(2026, 11, 10), date(2026, 11, 3)),
        (date(2026, 11, 20), date(2026, 11, 10)),
    ]
    assert pairs_of([]) == []


@pytest.mark.parametrize("bulk", [False, True], ids=["one by one", "together"])
async def test_unique_customers_follow_every_order_write(database_url, engine, bulk):
    async with session_factory(engine)() as session, session.begin():
        shelf = await make.category(session, name="Shelf")
        item = await make.product(session, category=shelf, price_cents=1_000, stock=1_000)
        people = [await make.customer(session) for _ in range(4)]
        product, (ann, bob, cat, dan) = item.id, [person.id for person in people]
    plan = [
        (ann, "2026-11-03T10:00:00Z", "COMPLETED"),
        (ann, "2026-11-10T10:00:00Z", "COMPLETED"),
        (ann, "2026-11-10T18:00:00Z", "COMPLETED"),  # a second order the same day
        (ann, "2026-11-20T09:00:00Z", "COMPLETED"),  # today, and in the whole days too
        (bob, "2026-10-30T10:00:00Z", "COMPLETED"),
        (bob, "2026-11-20T11:00:00Z", "COMPLETED"),  # today only, this month
        (cat, "2026-11-05T10:00:00Z", "PENDING"),
        (cat, "2026-11-20T12:02:00Z", "COMPLETED"),  # after now: today is an edge
        (dan, "2026-01-01T00:00:00Z", "COMPLETED"),
        (dan, "2026-11-11T23:59:59Z", "COMPLETED"),
    ]
    orders: list[Placed] = []
    async with api_client(database_url, now=NOW) as client:
        inputs = [
            order_input(who, (product, 1), status=status, orderDate=at) for who, at, status in plan
        ]
        if bulk:
            made = await client.data(
                "mutation($input: CreateOrdersInput!) { createOrders(input: $input) {"
                " outcomes { order { id orderDate status customerId } } } }",
                {"input": {"orders": inputs}},
            )
            rows = [outcome["order"] for outcome in made["createOrders"]["outcomes"]]
        else:
            rows = [
                (await client.data(CREATE_ORDER, {"input": one}))["createOrder"] for one in inputs
            ]
        for row in rows:
            at = datetime.fromisoformat(row["orderDate"])
            orders.append(Placed(row["id"], int(row["customerId"]), at, row["status"]))
        await _check(client, orders)
        await assert_consistent(engine)

        # Cat's pending order completes; one of Ann's two orders of Nov 10 is refunded (she
        # still bought that day), then the other (now she did not); then Dan's of Nov 11.
        moves = [
            (orders[6], "COMPLETED"),
            (orders[1], "REFUNDED"),
            (orders[2], "REFUNDED"),
            (orders[9], "REFUNDED"),
        ]
        for order, status in moves:
            await client.data(
                UPDATE_ORDER_STATUS, {"input": {"orderId": order.id, "status": status}}
            )
            order.status = status
            await _check(client, orders)
        await assert_consistent(engine)


async def test_a_return_after_a_long_absence_pairs_with_the_last_day_before_it(
    database_url, engine
):
    """A customer whose last order of a status is older than the write's lookback: its new
    day follows the last of its older days (not the first, nor nothing), and taking the new
    day back restores what was there. Held to a rebuild from the raw orders each time."""
    async with session_factory(engine)() as session, session.begin():
        shelf = await make.category(session, name="Shelf")
        item = await make.product(session, category=shelf, price_cents=1_000, stock=1_000)
        eve, fay = (await make.customer(session)).id, (await make.customer(session)).id
    past = ["2026-01-05T10:00:00Z", "2026-02-10T10:00:00Z", "2026-03-15T10:00:00Z"]
    orders: list[Placed] = []
    async with api_client(database_url, now=NOW) as client:

        async def place(who: int, at: str, status: str = "COMPLETED") -> Placed:
            one = order_input(who, (item.id, 1), status=status, orderDate=at)
            row = (await client.data(CREATE_ORDER, {"input": one}))["createOrder"]
            placed = Placed(row["id"], who, datetime.fromisoformat(row["orderDate"]), status)
            orders.append(placed)
            return placed

        for at in past:
            await place(eve, at)
        await place(fay, "2026-03-20T10:00:00Z", "PENDING")
        back = await place(eve, "2026-11-11T10:00:00Z")
        pending = await place(fay, "2026-11-19T10:00:00Z", "PENDING")  # its last is older
        await _check(client, orders)
        await assert_consistent(engine)
        for order, status in ((back, "REFUNDED"), (pending, "CANCELLED")):
            await client.data(
                UPDATE_ORDER_STATUS, {"input": {"orderId": order.id, "status": status}}
            )
            order.status = status
            await _check(client, orders)
            await assert_consistent(engine)


@pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
async def test_any_span_counts_its_customers_once(database_url, engine, zone):
    """Spans cut at random minutes around the end of daylight saving time in New York:
    small edges add their customers, edges that are most of their day are the whole day
    less the customers seen only in its rest; every count equals one over the orders."""
    rng = random.Random(7)
    start = datetime(2026, 10, 27, tzinfo=UTC)
    async with session_factory(engine)() as session:
        shelf = await make.category(session)
        item = await make.product(session, category=shelf, stock=10_000)
        people = [await make.customer(session) for _ in range(12)]
        orders: list[Placed] = []
        for number in range(160):
            who = rng.choice(people)
            at = start + timedelta(minutes=rng.randrange(10 * 24 * 60))
            status = "COMPLETED" if rng.random() < 0.8 else "PENDING"
            await make.order(session, customer=who, lines=[(item, 1)], at=at, status=status)
            orders.append(Placed(str(number), who.id, at, status))
        await session.commit()
    settings = Settings(
        database_url=database_url, secret_key="test-secret-" + "x" * 32, timezone=zone
    )
    await full_refresh(engine, settings)
    rules = ReportingRules.of(settings)

    async with session_factory(engine)() as session:
        for _ in range(60):
            begin = start + timedelta(minutes=rng.randrange(9 * 24 * 60))
            span = Span(begin, begin + timedelta(minutes=rng.randrange(30, 6 * 24 * 60)))
            got = await distinct_customers(session, span, rules)
            assert got == _expected(orders, span.start, span.end), span
