"""Attacks on the write path (group commit, createOrders, background refresh) that once
broke it: each test names what went wrong."""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text

from shopx.db.engine import session_factory
from shopx.db.models import Order
from shopx.db.writes import writer_lock
from tests.api import api_client, until
from tests.consistency import assert_consistent, snapshot, stock
from tests.mutations import (
    CANCEL_ORDER,
    CREATE_ORDER,
    UPDATE_ORDER_STATUS,
    build_shop,
    error,
    order_input,
)
from tests.test_create_orders import CREATE_ORDERS, NOW

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


NY = ZoneInfo("America/New_York")


async def test_a_bulk_call_mixing_statuses_repeats_and_local_days_stays_exact(database_url, engine):
    """Duplicated products in an order and across orders, orders that take no stock
    (created CANCELLED or REFUNDED), backfills on both sides of a New York midnight and a
    month's end, a discount of the whole subtotal; then the orders moved on concurrently
    with new single orders: stock, rollups (cut in New York) and customer statistics stay
    what the rows say."""
    shop = await build_shop(engine, stock=10)
    night = {"orderDate": "2026-11-01T03:59:59Z"}  # still October 31 in New York
    orders = [
        order_input(shop.north, (shop.boot, 2), (shop.boot, 3), status="COMPLETED", **night),
        order_input(shop.south, (shop.boot, 4), (shop.cap, 1), status="CANCELLED", **night),
        order_input(
            shop.south, (shop.boot, 6), status="REFUNDED", orderDate="2026-11-01T04:00:00Z"
        ),
        order_input(shop.north, (shop.boot, 3), (shop.cap, 2), status="PROCESSING"),
        order_input(shop.north, (shop.boot, 3)),  # 2 boots left: refused for stock
        order_input(
            shop.south, (shop.cap, 2), (shop.cap, 2), discount="100.00", status="COMPLETED"
        ),
        order_input(shop.south, (shop.sandal, 1), discount="40.01"),  # discount > subtotal
    ]
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        body = await client.data(CREATE_ORDERS, {"input": {"orders": orders}})
        outcomes = body["createOrders"]["outcomes"]
        assert [o["error"] is None for o in outcomes] == [True] * 4 + [False, True, False]
        assert await stock(engine) == {shop.boot: 2, shop.sandal: 10, shop.cap: 4}
        await assert_consistent(engine, NY)
        ids = [o["order"]["id"] for o in outcomes if o["order"] is not None]
        moves = [
            client.graphql(CANCEL_ORDER, {"input": {"orderId": ids[3]}}),
            client.graphql(
                UPDATE_ORDER_STATUS, {"input": {"orderId": ids[0], "status": "REFUNDED"}}
            ),
            *(
                client.graphql(
                    CREATE_ORDER, {"input": order_input(shop.north, (shop.boot, 2), (shop.cap, 1))}
                )
                for _ in range(4)
            ),
        ]
        answers = await asyncio.gather(*moves)
    assert [a.get("errors") for a in answers[:2]] == [None, None]
    placed = [a for a in answers[2:] if "errors" not in a]
    # Back in stock: 3 boots and 2 caps (cancelled), 5 boots (refunded), whenever those
    # came; each order placed took 2 boots and a cap.
    assert placed
    left = await stock(engine)
    assert (left[shop.boot], left[shop.cap]) == (10 - 2 * len(placed), 6 - len(placed))
    await assert_consistent(engine, NY)


async def test_an_order_sent_during_a_big_bulk_call_is_written_between_its_parts(
    database_url, engine
):
    """A bulk call of 1,000 orders held the writer's turn for its whole transaction
    (seconds): every other write of the process, and on PostgreSQL of every instance,
    waited for all of it. It is written in parts now, and a write that arrives meanwhile
    goes between two of them."""
    shop = await build_shop(engine, stock=10**6)
    orders = [
        order_input((shop.north, shop.south)[i % 2], (shop.cap, 1), (shop.boot, 1))
        for i in range(1_000)
    ]
    async with api_client(database_url, now=NOW) as client:
        assert client.app is not None
        turn = writer_lock(client.app.state.engine)
        bulk = asyncio.ensure_future(client.data(CREATE_ORDERS, {"input": {"orders": orders}}))
        await until(turn.locked, "the bulk call's first write")
        single = await client.data(CREATE_ORDER, {"input": order_input(shop.north, (shop.cap, 1))})
        body = await bulk
    ids = [int(o["order"]["id"]) for o in body["createOrders"]["outcomes"]]
    assert len(ids) == 1_000
    assert min(ids) < int(single["createOrder"]["id"]) < max(ids)
    await assert_consistent(engine)


async def _refuse_orders_of(engine, customer: int) -> None:
    """A database that fails the insert of any order of ``customer`` (a trigger)."""
    async with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            await conn.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON orders"
                    f" WHEN NEW.customer_id = {customer} BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
            return
        await conn.execute(
            text(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS"
                " $$ BEGIN RAISE EXCEPTION 'refused'; END $$"
            )
        )
        await conn.execute(
            text(
                "CREATE TRIGGER refuse BEFORE INSERT ON orders FOR EACH ROW"
                f" WHEN (NEW.customer_id = {customer}) EXECUTE FUNCTION refuse()"
            )
        )


async def test_a_bulk_call_failing_after_some_parts_says_which_orders_were_placed(
    database_url, engine
):
    """The database fails a later part of a bulk call: the orders of the parts before it
    have been placed, and the answer must say so (an error for the whole call would have a
    client send them again), and that the rest were not."""
    shop = await build_shop(engine, stock=10_000)
    await _refuse_orders_of(engine, shop.south)
    orders = [order_input(shop.north, (shop.cap, 1)) for _ in range(1_000)]
    orders[700] = order_input(shop.south, (shop.cap, 1))
    async with api_client(database_url, now=NOW) as client:
        body = await client.data(CREATE_ORDERS, {"input": {"orders": orders}})
    answer = body["createOrders"]
    placed = [o["index"] for o in answer["outcomes"] if o["order"] is not None]
    assert placed == list(range(len(placed))) and 0 < len(placed) <= 700
    codes = {o["error"]["code"] for o in answer["outcomes"] if o["error"] is not None}
    assert codes == {"SERVICE_UNAVAILABLE"}
    assert (answer["created"], answer["failed"]) == (len(placed), 1_000 - len(placed))
    assert await _orders(engine) == len(placed)
    assert (await stock(engine))[shop.cap] == 10_000 - len(placed)
    await assert_consistent(engine)


async def test_a_bulk_call_failing_in_its_first_part_fails_whole(database_url, engine):
    shop = await build_shop(engine)
    await _refuse_orders_of(engine, shop.south)
    orders = [order_input((shop.north, shop.south)[i == 5], (shop.cap, 1)) for i in range(300)]
    async with api_client(database_url, now=NOW) as client:
        before = await snapshot(engine)
        body = await client.graphql(CREATE_ORDERS, {"input": {"orders": orders}})
    assert error(body)[0] == "INTERNAL_SERVER_ERROR"
    assert await snapshot(engine) == before


async def test_orders_finding_no_free_connection_fail_at_once_not_one_by_one(database_url, engine):
    """A batch of createOrder calls that finds no connection free in time answers
    SERVICE_UNAVAILABLE to each caller. It used to be written again order by order, each
    waiting the whole pool timeout again: with 200 orders waiting, the last caller heard
    after 200 timeouts, and every createOrder of the process waited behind them."""
    shop = await build_shop(engine)
    async with api_client(database_url, now=NOW, db_pool_size=1, db_pool_timeout=0.2) as client:
        assert client.app is not None
        desk, app_engine = client.app.state.order_desk, client.app.state.engine
        async with app_engine.connect(), app_engine.connect():  # the whole write pool
            bodies = await asyncio.gather(
                *(
                    client.graphql(CREATE_ORDER, {"input": order_input(shop.north, (shop.cap, 1))})
                    for _ in range(5)
                )
            )
        assert [error(body)[0] for body in bodies] == ["SERVICE_UNAVAILABLE"] * 5
        assert desk.batches <= 2  # the first alone, the four that came while it waited
