from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from shopx.auth import Role
from shopx.db.models import OrderItem
from tests.api import api_client
from tests.consistency import assert_consistent, customer_stats, snapshot, stock
from tests.mutations import (
    CANCEL_ORDER,
    CREATE_ORDER,
    UPDATE_ORDER_STATUS,
    build_shop,
    error,
    order_input,
)

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


async def test_create_order_captures_prices_takes_stock_and_keeps_rollups_exact(
    database_url, engine
):
    shop = await build_shop(engine)
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        first = await client.data(
            CREATE_ORDER,
            {
                "input": order_input(
                    shop.north,
                    (shop.boot, 1),
                    (shop.cap, 2, "19.99"),
                    discount="5.50",
                    salesRepId=str(shop.seller),
                    status="COMPLETED",
                    paymentMode="card",
                    # 23:59 local on Oct 31 (EDT): a backfill landing on the local day.
                    orderDate="2026-11-01T03:59:00Z",
                )
            },
        )
        second = await client.data(
            CREATE_ORDER, {"input": order_input(shop.south, (shop.sandal, 3))}
        )

    order = first["createOrder"]
    assert (order["status"], order["totalAmount"], order["discount"]) == (
        "COMPLETED",
        "154.48",  # 120.00 + 2 x 19.99 - 5.50
        "5.50",
    )
    assert order["orderDate"] == "2026-11-01T03:59:00+00:00"
    assert second["createOrder"]["status"] == "PENDING"
    assert second["createOrder"]["orderDate"] == NOW.isoformat()
    assert await stock(engine) == {shop.boot: 99, shop.sandal: 97, shop.cap: 98}
    async with engine.connect() as conn:
        items = (
            await conn.execute(
                select(OrderItem.product_id, OrderItem.unit_price_cents, OrderItem.unit_cost_cents)
                .where(OrderItem.order_id == int(order["id"]))
                .order_by(OrderItem.id)
            )
        ).all()
    assert [tuple(item) for item in items] == [(shop.boot, 12_000, 7_000), (shop.cap, 1_999, 900)]
    assert (await customer_stats(engine))[shop.north][:2] == (15_448, 1)
    await assert_consistent(engine, NY)


async def test_every_status_move_keeps_rollups_stats_and_stock_exact(database_url, engine):
    shop = await build_shop(engine)
    async with api_client(database_url, now=NOW) as client:

        async def create(*lines):
            body = await client.data(CREATE_ORDER, {"input": order_input(shop.north, *lines)})
            return body["createOrder"]["id"]

        async def move(order_id, status):
            variables = {"input": {"orderId": order_id, "status": status}}
            body = await client.data(UPDATE_ORDER_STATUS, variables)
            assert body["updateOrderStatus"]["status"] == status
            await assert_consistent(engine)

        refunded = await create((shop.boot, 2), (shop.cap, 1))
        for status in ("PROCESSING", "COMPLETED"):
            await move(refunded, status)
        assert (await customer_stats(engine))[shop.north][:2] == (26_500, 1)
        await move(refunded, "REFUNDED")
        assert (await customer_stats(engine))[shop.north] == (0, 0, None, None)

        cancelled = await create((shop.sandal, 4))
        assert (await stock(engine))[shop.sandal] == 96
        body = await client.data(CANCEL_ORDER, {"input": {"orderId": cancelled}})
        assert body["cancelOrder"]["status"] == "CANCELLED"
        await assert_consistent(engine)

        await move(await create((shop.cap, 5)), "COMPLETED")

    assert await stock(engine) == {shop.boot: 100, shop.sandal: 100, shop.cap: 95}


FAILURES = [
    pytest.param(
        lambda shop: order_input(shop.north, (shop.boot, 1), (999_999, 1)),
        "NOT_FOUND",
        "items[1].productId: product 999999 not found",
        id="unknown-product",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.boot, 1), (shop.cap, 101)),
        "BAD_USER_INPUT",
        "insufficient stock for product {cap}: 101 requested, 100 available",
        id="second-line-short",
    ),
    pytest.param(
        lambda shop: order_input(999_999, (shop.boot, 1)),
        "NOT_FOUND",
        "customerId: customer 999999 not found",
        id="unknown-customer",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.boot, 1), salesRepId="999999"),
        "NOT_FOUND",
        "salesRepId: sales rep 999999 not found",
        id="unknown-rep",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.boot, 1), (shop.cap, -2)),
        "BAD_USER_INPUT",
        "items[1].quantity must be positive, got -2",
        id="negative-quantity",
    ),
    pytest.param(
        lambda shop: order_input(shop.north),
        "BAD_USER_INPUT",
        "items: an order needs at least one item",
        id="no-items",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.cap, 2), discount="50.01"),
        "BAD_USER_INPUT",
        "discount 50.01 exceeds the item subtotal 50.00",
        id="discount-above-subtotal",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.cap, 1, "9.999")),
        "BAD_USER_INPUT",
        "items[0].unitPrice must have at most 2 decimal places, got 9.999",
        id="money-three-decimals",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.cap, 1), discount="-1"),
        "BAD_USER_INPUT",
        "discount must not be negative, got -1",
        id="negative-money",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.cap, 1), orderDate="2026-11-02T15:05:01Z"),
        "BAD_USER_INPUT",
        "orderDate 2026-11-02T15:05:01+00:00 is more than 5 minutes in the future",
        id="future-date",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.cap, 1), orderDate="2026-11-02T10:00:00"),
        "BAD_USER_INPUT",
        "orderDate must carry a UTC offset",
        id="date-without-offset",
    ),
]


@pytest.mark.parametrize(("make_input", "code", "message"), FAILURES)
async def test_a_failed_create_order_changes_nothing(
    database_url, engine, make_input, code, message
):
    shop = await build_shop(engine)
    async with api_client(database_url, now=NOW) as client:
        await client.data(CREATE_ORDER, {"input": order_input(shop.north, (shop.boot, 1))})
        before = await snapshot(engine)
        body = await client.graphql(CREATE_ORDER, {"input": make_input(shop)})
    assert error(body)[0] == code
    assert message.format(cap=shop.cap) in error(body)[1]
    assert await snapshot(engine) == before


async def test_deleted_products_cannot_be_ordered(database_url, engine):
    shop = await build_shop(engine)
    async with api_client(database_url, now=NOW) as client:
        await client.data(
            "mutation($id: ID!) { deleteProduct(input: {id: $id}) { isActive } }",
            {"id": str(shop.cap)},
        )
        body = await client.graphql(CREATE_ORDER, {"input": order_input(shop.north, (shop.cap, 1))})
    assert error(body) == ("BAD_USER_INPUT", f"items[0].productId: product {shop.cap} is deleted")


async def test_concurrent_orders_for_the_last_unit_sell_it_once(database_url, engine):
    shop = await build_shop(engine, stock=1)
    async with api_client(database_url, now=NOW) as client:
        bodies = await asyncio.gather(
            *(
                client.graphql(CREATE_ORDER, {"input": order_input(shop.north, (shop.boot, 1))})
                for _ in range(5)
            )
        )
    winners = [body for body in bodies if "errors" not in body]
    losers = [error(body) for body in bodies if "errors" in body]
    assert len(winners) == 1
    assert len(losers) == 4
    for code, message in losers:
        assert code == "BAD_USER_INPUT"
        assert "insufficient stock" in message
    assert (await stock(engine))[shop.boot] == 0
    await assert_consistent(engine)


@pytest.mark.parametrize(
    ("role", "code"),
    [(Role.ANALYST, "FORBIDDEN"), (Role.VIEWER, "FORBIDDEN"), (None, "UNAUTHENTICATED")],
)
async def test_only_admins_write_orders(database_url, engine, role, code):
    shop = await build_shop(engine)
    async with api_client(database_url, now=NOW) as client:
        before = await snapshot(engine)
        create = await client.graphql(
            CREATE_ORDER, {"input": order_input(shop.north, (shop.boot, 1))}, role=role
        )
        cancel = await client.graphql(CANCEL_ORDER, {"input": {"orderId": "1"}}, role=role)
    assert error(create)[0] == code
    assert error(cancel)[0] == code
    assert await snapshot(engine) == before
