"""Customers per segment kept by the database's triggers (``customer_segment_totals``),
checked against plain Python over the customer rows after each kind of write: the seed,
new customers, renames, order statistics, the segments job, deletions, a truncation."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.customers import segment_summaries
from shopx.analytics.reporting import ReportingRules
from shopx.config import get_settings
from shopx.customers.segments import recompute_segments
from shopx.db.engine import create_engine
from shopx.db.models import Customer, Order, Segment
from shopx.rollups.tables import SegmentTotals
from tests.conftest import SEED_NOW


async def _totals(conn) -> dict[str, tuple[int, int, int]]:
    rows = await conn.execute(
        select(
            SegmentTotals.segment,
            SegmentTotals.customers,
            SegmentTotals.lifetime_value_cents,
            SegmentTotals.orders,
        )
    )
    return {segment: (customers, value, orders) for segment, customers, value, orders in rows}


async def _recomputed(conn) -> dict[str, tuple[int, int, int]]:
    rows = await conn.execute(
        select(Customer.segment, Customer.lifetime_value_cents, Customer.order_count)
    )
    customers, value, orders = Counter(), Counter(), Counter()
    for segment, lifetime_value, order_count in rows:
        customers[segment] += 1
        value[segment] += lifetime_value
        orders[segment] += order_count
    return {segment: (customers[segment], value[segment], orders[segment]) for segment in customers}


@pytest.fixture
async def shop(shop_copy):
    engine = create_engine(shop_copy)
    yield engine
    await engine.dispose()


async def test_the_seeded_totals_are_the_customers_summed_per_segment(shop):
    async with shop.connect() as conn:
        totals = await _totals(conn)
        assert totals == await _recomputed(conn)
    assert set(totals) == {segment.value for segment in Segment}
    async with AsyncSession(shop) as session:
        summaries = {s.segment: s for s in await segment_summaries(session)}
    assert {
        segment: (s.customers, s.lifetime_cents, s.orders) for segment, s in summaries.items()
    } == totals
    assert all(s.all_customers == sum(c for c, _, _ in totals.values()) for s in summaries.values())


async def test_every_write_of_customer_rows_moves_the_totals_with_it(shop):
    async with shop.begin() as conn:
        await conn.execute(
            insert(Customer),
            [{"email": f"new{n}@example.com", "name": f"New {n}"} for n in range(3)],
        )
        assert await _totals(conn) == await _recomputed(conn)

        await conn.execute(update(Customer).where(Customer.id == 1).values(name="Renamed"))
        assert await _totals(conn) == await _recomputed(conn)

        # Order statistics of a few customers, as a write of their orders moves them.
        await conn.execute(
            update(Customer)
            .where(Customer.id.in_([2, 3, 4]))
            .values(
                lifetime_value_cents=Customer.lifetime_value_cents + 1_234,
                order_count=Customer.order_count + 1,
            )
        )
        assert await _totals(conn) == await _recomputed(conn)

        # The segments job a year on: most buyers move.
        later = SEED_NOW + timedelta(days=365)
        await recompute_segments(conn, later, ReportingRules.of(get_settings()))
        assert await _totals(conn) == await _recomputed(conn)

        childless = select(Customer.id).where(~Customer.id.in_(select(Order.customer_id)))
        gone = (await conn.execute(childless.limit(2))).scalars().all()
        assert gone
        await conn.execute(delete(Customer).where(Customer.id.in_(gone)))
        assert await _totals(conn) == await _recomputed(conn)


async def test_a_segment_left_without_customers_has_no_row(shop):
    async with shop.begin() as conn:
        await conn.execute(update(Customer).values(segment=Segment.REGULAR.value))
        totals = await _totals(conn)
        assert set(totals) == {Segment.REGULAR.value}
        assert totals == await _recomputed(conn)


async def test_a_truncated_customers_table_leaves_no_totals(shop, dialect):
    if dialect == "sqlite":
        pytest.skip("SQLite has no TRUNCATE (DELETE fires the row triggers)")
    async with shop.begin() as conn:
        await conn.execute(text("TRUNCATE customers CASCADE"))
        assert await _totals(conn) == {}
