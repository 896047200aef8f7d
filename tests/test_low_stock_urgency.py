"""``lowStockProducts`` by urgency: days of stock left ascending (out of stock first, in stock
and unsold last), then the sales rate descending, then id; recomputed here from raw rows."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from fractions import Fraction

from sqlalchemy import select

from shopx.catalog.repository import LOW_STOCK_WINDOW_DAYS
from shopx.db.engine import create_engine, session_factory
from shopx.db.models import Order, OrderItem, Product
from tests import factories as make
from tests.api import api_client
from tests.conftest import SEED_NOW

QUERY = "{ lowStockProducts(limit: 100) { product { id } unitsSoldLast30Days daysOfStockLeft } }"


def urgency(product: Product, units: int) -> tuple[int, Fraction, int, int]:
    """The order written out: days left (stock x window / units; none when out of stock;
    unknown, so last, when unsold), then units sold descending, then id."""
    if product.stock_quantity == 0:
        days: Fraction | None = Fraction(0)
    elif units:
        days = Fraction(product.stock_quantity * LOW_STOCK_WINDOW_DAYS, units)
    else:
        days = None
    return (days is None, days or Fraction(0), -units, product.id)


async def expected_order(engine, now) -> list[int]:
    since = now - timedelta(days=LOW_STOCK_WINDOW_DAYS)
    async with session_factory(engine)() as session:
        products = list(await session.scalars(select(Product)))
        lines = await session.execute(
            select(OrderItem.product_id, OrderItem.quantity, Order.status, Order.ordered_at).join(
                Order, Order.id == OrderItem.order_id
            )
        )
        units: Counter[int] = Counter()
        for product_id, quantity, status, at in lines:
            if status == "COMPLETED" and since <= at < now:
                units[product_id] += quantity
    low = [p for p in products if p.is_active and p.stock_quantity <= p.reorder_level]
    return [p.id for p in sorted(low, key=lambda p: urgency(p, units[p.id]))]


async def test_out_of_stock_by_sales_rate_then_days_left_then_the_unsold(engine, database_url):
    async with session_factory(engine)() as session, session.begin():
        gear = await make.category(session)
        stocks = {"idle": 0, "slow": 0, "fast": 0, "twin": 0, "steady": 2, "brisk": 4}
        stocks |= {"few": 1, "more": 5, "plenty": 50}
        made = {
            name: await make.product(session, category=gear, stock=stock, reorder_level=5)
            for name, stock in stocks.items()
        }
        buyer = await make.customer(session)
        # fast and twin sell 1 a day, slow 0.1; steady and brisk both have 10 days left,
        # brisk selling faster; few and more sold nothing in the window.
        for name, quantity, days_ago in [
            ("fast", 30, 3),
            ("twin", 30, 5),
            ("slow", 3, 2),
            ("steady", 6, 1),
            ("brisk", 12, 1),
            ("more", 40, LOW_STOCK_WINDOW_DAYS + 1),
            ("plenty", 90, 1),
        ]:
            at = SEED_NOW - timedelta(days=days_ago)
            await make.order(session, customer=buyer, lines=[(made[name], quantity)], at=at)
    async with api_client(database_url, now=SEED_NOW) as client:
        rows = (await client.data(QUERY))["lowStockProducts"]
    ids = [int(row["product"]["id"]) for row in rows]
    names = {product.id: name for name, product in made.items()}
    assert [names[i] for i in ids] == [
        "fast",
        "twin",
        "slow",
        "idle",
        "brisk",
        "steady",
        "few",
        "more",
    ]
    assert ids == await expected_order(engine, SEED_NOW)
    assert [row["daysOfStockLeft"] for row in rows] == [0, 0, 0, 0, 10, 10, None, None]


async def test_the_seeded_shop_in_urgency_order(seeded_url):
    engine = create_engine(seeded_url, pool_size=2)
    try:
        expected = await expected_order(engine, SEED_NOW)
    finally:
        await engine.dispose()
    async with api_client(seeded_url, now=SEED_NOW) as client:
        rows = (await client.data(QUERY))["lowStockProducts"]
    assert len(expected) >= 5, "the seed has too few low-stock products to order"
    assert [int(row["product"]["id"]) for row in rows] == expected[:100]
