"""Attacks on the write path (group commit, createOrders, background refresh) that once
broke it: each test names what went wrong."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from shopx.db.engine import session_factory
from shopx.db.models import Order
from tests.api import api_client
from tests.consistency import assert_consistent, stock
from tests.mutations import CREATE_ORDER, build_shop, order_input

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
UNREACHABLE = "postgresql+asyncpg://postgres@127.0.0.1:9/test"
"""A read replica nobody listens for (the discard port refuses connections)."""


async def _orders(engine) -> int:
    async with session_factory(engine)() as session:
        return await session.scalar(select(func.count()).select_from(Order))


@pytest.mark.postgres
async def test_an_unreachable_replica_neither_fails_nor_doubles_committed_orders(
    dialect, database_url, engine
):
    """The wait for the replica runs after the commit: when it cannot reach the replica,
    the write has still happened. It used to raise there, so every createOrder answered an
    error for an order it had placed, and a batch of several was written again order by
    order: each order twice, its stock taken twice."""
    if dialect != "postgres":
        pytest.skip("a read replica is PostgreSQL's")
    shop = await build_shop(engine, stock=100)
    async with api_client(
        database_url, now=NOW, database_read_url=UNREACHABLE, replica_wait_ms=200
    ) as client:
        bodies = await asyncio.gather(
            *(
                client.graphql(CREATE_ORDER, {"input": order_input(shop.north, (shop.cap, 1))})
                for _ in range(6)
            )
        )
    assert await _orders(engine) == 6
    assert [body.get("errors") for body in bodies] == [None] * 6
    assert (await stock(engine))[shop.cap] == 94
    await assert_consistent(engine)
