from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from shopx.customers.stats import (
    drifted_customers,
    refresh_all_customer_stats,
    refresh_customer_stats,
)
from shopx.db.engine import session_factory
from shopx.db.models import Customer
from tests import factories as make
from tests.consistency import customer_stats, recomputed_customer_stats

START = datetime(2026, 3, 1, 12, tzinfo=UTC)


async def _customers_with_orders(engine):
    """Three buyers with a mix of statuses, and one customer who never ordered."""
    async with session_factory(engine)() as session, session.begin():
        shoes = await make.category(session)
        boot = await make.product(session, category=shoes, price_cents=12_000)
        buyers = [await make.customer(session) for _ in range(3)]
        idle = await make.customer(session)
        statuses = ["COMPLETED", "PENDING", "REFUNDED", "COMPLETED", "PROCESSING", "CANCELLED"]
        for index, status in enumerate(statuses * 2):
            await make.order(
                session,
                customer=buyers[index % 3],
                lines=[(boot, 1 + index % 2)],
                at=START + timedelta(days=index),
                status=status,
                discount_cents=100 * index,
            )
        return [buyer.id for buyer in buyers], idle.id


async def _scramble(engine):
    """Wrong stats on every customer, as if nothing had maintained them."""
    async with session_factory(engine)() as session, session.begin():
        await session.execute(
            update(Customer).values(
                lifetime_value_cents=7, order_count=7, first_order_at=START, last_order_at=START
            )
        )


@pytest.mark.parametrize(
    "statuses", [("COMPLETED",), ("COMPLETED", "PROCESSING"), ("PENDING", "REFUNDED")]
)
async def test_refreshing_all_customers_equals_a_recomputation(engine, statuses):
    await _customers_with_orders(engine)
    await _scramble(engine)
    async with session_factory(engine)() as session, session.begin():
        await refresh_all_customer_stats(session, statuses)
    expected = await recomputed_customer_stats(engine, statuses)
    assert await customer_stats(engine) == expected
    assert any(stats[1] for stats in expected.values()), "some customer should have orders"


async def test_refreshing_some_customers_touches_only_them(engine):
    buyers, idle = await _customers_with_orders(engine)
    await _scramble(engine)
    chosen = [buyers[0], idle]
    async with session_factory(engine)() as session, session.begin():
        await refresh_customer_stats(session, chosen, ("COMPLETED",))
    stored, expected = await customer_stats(engine), await recomputed_customer_stats(engine)
    for customer_id in chosen:
        assert stored[customer_id] == expected[customer_id]
    assert stored[idle] == (0, 0, None, None)
    assert stored[buyers[0]][1] == 4
    for customer_id in buyers[1:]:
        assert stored[customer_id] == (7, 7, START, START)


async def test_refreshing_no_customers_is_a_no_op(engine):
    await _customers_with_orders(engine)
    await _scramble(engine)
    async with session_factory(engine)() as session, session.begin():
        await refresh_customer_stats(session, [], ("COMPLETED",))
    assert set((await customer_stats(engine)).values()) == {(7, 7, START, START)}


async def test_drifted_customers_are_those_whose_figures_differ_from_their_orders(engine):
    buyers, idle = await _customers_with_orders(engine)
    async with session_factory(engine)() as session, session.begin():
        await refresh_all_customer_stats(session, ("COMPLETED",))
    async with session_factory(engine)() as session:
        assert await drifted_customers(session, ("COMPLETED",)) == []
        # the third buyer has neither a completed nor a pending order
        assert await drifted_customers(session, ("PENDING",)) == sorted(buyers[:2])
    async with session_factory(engine)() as session, session.begin():
        await session.execute(
            update(Customer).where(Customer.id.in_([buyers[1], idle])).values(order_count=9)
        )
    async with session_factory(engine)() as session:
        assert await drifted_customers(session, ("COMPLETED",)) == sorted([buyers[1], idle])
