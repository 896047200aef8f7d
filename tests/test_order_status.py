from __future__ import annotations

import pytest

from shopx.db.models import OrderStatus
from shopx.errors import BadInput
from shopx.orders.status import check_transition, releases_stock
from tests.api import api_client
from tests.consistency import assert_consistent, snapshot, stock
from tests.mutations import CREATE_ORDER, UPDATE_ORDER_STATUS, build_shop, error, order_input

CONTRACT = {
    ("PENDING", "PROCESSING"),
    ("PROCESSING", "COMPLETED"),
    ("COMPLETED", "REFUNDED"),
    ("PENDING", "CANCELLED"),
    ("PROCESSING", "CANCELLED"),
    ("PENDING", "COMPLETED"),
}
STATUSES = [status.value for status in OrderStatus]


@pytest.mark.parametrize("current", STATUSES)
@pytest.mark.parametrize("target", STATUSES)
def test_the_machine_allows_exactly_the_contract(current, target):
    if (current, target) in CONTRACT:
        check_transition(current, target)
    else:
        with pytest.raises(BadInput, match=f"cannot go from {current} to {target}"):
            check_transition(current, target)


def test_only_cancelling_and_refunding_release_stock():
    released = {pair for pair in CONTRACT if releases_stock(*pair)}
    assert released == {
        ("COMPLETED", "REFUNDED"),
        ("PENDING", "CANCELLED"),
        ("PROCESSING", "CANCELLED"),
    }


@pytest.mark.parametrize("current", STATUSES)
async def test_every_move_from_a_status_applies_or_changes_nothing(database_url, engine, current):
    shop = await build_shop(engine)
    holds_stock = current in ("PENDING", "PROCESSING", "COMPLETED")
    async with api_client(database_url) as client:
        for target in STATUSES:
            stock_at_start = await stock(engine)
            created = await client.data(
                CREATE_ORDER,
                {"input": order_input(shop.north, (shop.boot, 2), (shop.cap, 1), status=current)},
            )
            order_id = created["createOrder"]["id"]
            stock_before = await stock(engine)
            taken = 2 if holds_stock else 0
            assert stock_before[shop.boot] == stock_at_start[shop.boot] - taken
            before = await snapshot(engine)
            body = await client.graphql(
                UPDATE_ORDER_STATUS, {"input": {"orderId": order_id, "status": target}}
            )
            if (current, target) not in CONTRACT:
                code, message = error(body)
                assert code == "BAD_USER_INPUT"
                assert f"cannot go from {current} to {target}" in message
                assert await snapshot(engine) == before
                continue
            assert "errors" not in body, body
            assert body["data"]["updateOrderStatus"]["status"] == target
            returned = 2 if holds_stock and target in ("CANCELLED", "REFUNDED") else 0
            after = await stock(engine)
            assert after[shop.boot] == stock_before[shop.boot] + returned
            assert after[shop.cap] == stock_before[shop.cap] + returned // 2
            await assert_consistent(engine)


async def test_status_of_an_unknown_order_is_not_found(database_url):
    async with api_client(database_url) as client:
        body = await client.graphql(
            UPDATE_ORDER_STATUS, {"input": {"orderId": "424242", "status": "COMPLETED"}}
        )
    assert error(body) == ("NOT_FOUND", "orderId: order 424242 not found")
