"""Orders written together: ``createOrders`` (bulk) and the desk that batches ``createOrder``
calls arriving together (group commit). Each order is its own all-or-nothing write."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from shopx.analytics.reporting import ReportingRules
from shopx.cache.coalesce import Batches, Unretried
from shopx.db.engine import session_factory
from shopx.db.models import OrderStatus, Product
from shopx.db.writes import write_session
from shopx.orders.service import NewLine, NewOrder, create_order
from tests.api import api_client
from tests.consistency import (
    assert_consistent,
    customer_stats,
    recomputed_customer_stats,
    snapshot,
    stock,
)
from tests.mutations import CREATE_ORDER, build_shop, error, order_input

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)

CREATE_ORDERS = """
mutation($input: CreateOrdersInput!) {
  createOrders(input: $input) {
    created failed
    outcomes { index order { id totalAmount status customerId } error { code message } }
  }
}
"""
REVENUE = "{ salesOverview(period: YEAR) { totalRevenue totalOrders } }"


async def test_each_order_of_a_bulk_call_is_placed_or_refused_on_its_own(database_url, engine):
    shop = await build_shop(engine, stock=3)
    # An hour before the clock: a period's figures run up to now, exclusive.
    completed = {"status": "COMPLETED", "orderDate": "2026-11-02T14:00:00Z"}
    orders = [
        order_input(shop.north, (shop.boot, 2), (shop.cap, 1), **completed),  # 265.00
        order_input(shop.south, (shop.boot, 2), **completed),  # 1 boot left: refused
        order_input(shop.north, (999_999, 1)),  # unknown product
        order_input(shop.south, (shop.sandal, 1), discount="10.00", **completed),  # 30.00
        order_input(shop.north, (shop.cap, 0)),  # quantity 0
        {"customerId": "not-a-number", "items": [{"productId": str(shop.cap), "quantity": 1}]},
        order_input(shop.south, (shop.boot, 1), **completed),  # the last boot: 120.00
    ]
    async with api_client(database_url, now=NOW) as client:
        before = (await client.data(REVENUE))["salesOverview"]
        body = await client.data(CREATE_ORDERS, {"input": {"orders": orders}})
        after = (await client.data(REVENUE))["salesOverview"]

    answer = body["createOrders"]
    assert (answer["created"], answer["failed"]) == (3, 4)
    outcomes = answer["outcomes"]
    assert [o["index"] for o in outcomes] == list(range(7))
    placed = {o["index"]: o["order"] for o in outcomes if o["order"] is not None}
    assert {i: p["totalAmount"] for i, p in placed.items()} == {
        0: "265.00",
        3: "30.00",
        6: "120.00",
    }
    refused = {
        o["index"]: (o["error"]["code"], o["error"]["message"]) for o in outcomes if o["error"]
    }
    assert refused[1] == (
        "BAD_USER_INPUT",
        f"items: insufficient stock for product {shop.boot}: 2 requested, 1 available",
    )
    assert refused[2] == ("NOT_FOUND", "items[0].productId: product 999999 not found")
    assert refused[4][0] == "BAD_USER_INPUT" and "quantity must be positive" in refused[4][1]
    assert refused[5][0] == "BAD_USER_INPUT" and "customerId" in refused[5][1]
    assert set(refused) == {1, 2, 4, 5}
    # The revenue moved by exactly what was placed, recomputed from the rows.
    assert float(after["totalRevenue"]) - float(before["totalRevenue"]) == pytest.approx(415.00)
    assert after["totalOrders"] - before["totalOrders"] == 3
    assert await stock(engine) == {shop.boot: 0, shop.sandal: 2, shop.cap: 2}
    stats = await customer_stats(engine)
    assert stats[shop.north][:2] == (26_500, 1)
    assert stats[shop.south][:2] == (15_000, 2)
    await assert_consistent(engine)


async def test_a_bulk_call_where_nothing_can_be_placed_changes_nothing(database_url, engine):
    shop = await build_shop(engine, stock=1)
    async with api_client(database_url, now=NOW) as client:
        before = await snapshot(engine)
        body = await client.data(
            CREATE_ORDERS,
            {
                "input": {
                    "orders": [order_input(shop.north, (shop.boot, 5)), order_input(77, (1, 1))]
                }
            },
        )
    assert (body["createOrders"]["created"], body["createOrders"]["failed"]) == (0, 2)
    assert await snapshot(engine) == before  # not even the data version moved


@pytest.mark.parametrize(
    ("orders", "message"),
    [
        (0, "orders: give at least one order"),
        (1_001, "orders: at most 1,000 per call, got 1,001"),
    ],
)
async def test_a_bulk_call_past_its_bounds_is_refused_whole(database_url, engine, orders, message):
    shop = await build_shop(engine)
    async with api_client(database_url, now=NOW) as client:
        before = await snapshot(engine)
        body = await client.graphql(
            CREATE_ORDERS,
            {"input": {"orders": [order_input(shop.north, (shop.cap, 1))] * orders}},
        )
    assert error(body) == ("BAD_USER_INPUT", message)
    assert await snapshot(engine) == before


async def test_a_bulk_call_of_too_many_lines_is_refused_whole(database_url, engine):
    shop = await build_shop(engine)
    lines = [(shop.cap, 1)] * 1_000
    async with api_client(database_url, now=NOW) as client:
        body = await client.graphql(
            CREATE_ORDERS, {"input": {"orders": [order_input(shop.north, *lines)] * 11}}
        )
    assert error(body) == ("BAD_USER_INPUT", "orders: at most 10,000 lines per call, got 11,000")


async def test_concurrent_single_orders_written_together_stay_exact(database_url, engine):
    """Twenty createOrder calls at once for ten units: ten are placed, whichever batches
    they were written in, and nothing is oversold or counted twice."""
    shop = await build_shop(engine, stock=10)
    async with api_client(database_url, now=NOW) as client:
        bodies = await asyncio.gather(
            *(
                client.graphql(
                    CREATE_ORDER,
                    {
                        "input": order_input(
                            (shop.north, shop.south)[i % 2],
                            (shop.boot, 1),
                            (shop.cap, 1),
                            status="COMPLETED",
                        )
                    },
                )
                for i in range(20)
            )
        )
    placed = [body["data"]["createOrder"] for body in bodies if "errors" not in body]
    refused = [error(body) for body in bodies if "errors" in body]
    assert len(placed) == 10 and len({order["id"] for order in placed}) == 10
    assert all(code == "BAD_USER_INPUT" and "insufficient stock" in m for code, m in refused)
    assert await stock(engine) == {shop.boot: 0, shop.sandal: 10, shop.cap: 0}
    stats = await customer_stats(engine)
    assert stats[shop.north][1] + stats[shop.south][1] == 10
    await assert_consistent(engine)


# -- the batching itself -------------------------------------------------------------------


class Gated:
    """Work that records each batch and holds the first one until released; items equal
    to ``failing`` make their batch fail."""

    def __init__(self, failing: int | None = None) -> None:
        self.release = asyncio.Event()
        self.seen: list[list[int]] = []
        self.failing = failing

    async def __call__(self, items: list[int]) -> list[int]:
        self.seen.append(items)
        if len(self.seen) == 1:
            await self.release.wait()
        if self.failing in items:
            raise RuntimeError("unlucky")
        return [item * 10 for item in items]


async def held_first(batches: Batches[int, int]) -> asyncio.Future[int]:
    """Item 1 handed in, its batch started and held."""
    first = asyncio.ensure_future(batches.result(1))
    await asyncio.sleep(0)
    return first


async def test_items_arriving_during_a_batch_are_written_together_in_the_next() -> None:
    work = Gated()
    batches: Batches[int, int] = Batches(work, max_size=3)
    first = await held_first(batches)
    later = [asyncio.ensure_future(batches.result(n)) for n in range(2, 7)]
    await asyncio.sleep(0)
    work.release.set()

    assert await first == 10
    assert await asyncio.gather(*later) == [20, 30, 40, 50, 60]
    assert work.seen == [[1], [2, 3, 4], [5, 6]]
    assert batches.runs == 3


async def test_a_failed_batch_is_run_again_item_by_item() -> None:
    work = Gated(failing=13)
    batches: Batches[int, int] = Batches(work, max_size=10)
    first = await held_first(batches)
    rest = [asyncio.ensure_future(batches.result(n)) for n in (12, 13, 14)]
    await asyncio.sleep(0)
    work.release.set()

    results = await asyncio.gather(first, *rest, return_exceptions=True)
    assert results[:2] == [10, 120] and results[3] == 140
    assert isinstance(results[2], RuntimeError)
    assert work.seen == [[1], [12, 13, 14], [12], [13], [14]]


async def test_a_caller_cancelled_before_its_batch_is_left_out() -> None:
    work = Gated()
    batches: Batches[int, int] = Batches(work, max_size=10)
    first = await held_first(batches)
    gone, kept = asyncio.ensure_future(batches.result(2)), asyncio.ensure_future(batches.result(3))
    await asyncio.sleep(0)
    gone.cancel()
    work.release.set()

    assert (await first, await kept) == (10, 30)
    assert work.seen == [[1], [3]]


async def test_a_batch_failing_unretried_is_not_run_again() -> None:
    """A batch whose transaction reached its commit may have been written: its items get
    the error and are not written again one by one."""
    seen: list[list[int]] = []

    async def committed_then_failed(items: list[int]) -> list[int]:
        seen.append(items)
        raise Unretried(RuntimeError("the commit did not answer"))

    batches: Batches[int, int] = Batches(committed_then_failed, max_size=10)
    results = await asyncio.gather(*(batches.result(n) for n in (1, 2, 3)), return_exceptions=True)
    assert [str(result) for result in results] == ["the commit did not answer"] * 3
    assert all(isinstance(result, RuntimeError) for result in results)
    assert sum(len(items) for items in seen) == 3


async def test_a_bulk_call_at_its_bounds_fits_the_request_body_limit(database_url, engine):
    """1,000 orders and 10,000 lines with six-digit ids and prices: the body limit
    (SHOPX_MAX_BODY_BYTES, 1 MiB) lets it in, and each order gets its own answer."""
    await build_shop(engine)
    line = {"productId": "123456", "quantity": 12, "unitPrice": "1234.56"}
    order = {
        "customerId": "654321",
        "items": [line] * 10,
        "status": "COMPLETED",
        "orderDate": "2026-11-02T14:00:00Z",
        "discount": "10.00",
    }
    async with api_client(database_url, now=NOW) as client:
        before = await snapshot(engine)
        body = await client.data(CREATE_ORDERS, {"input": {"orders": [order] * 1_000}})
    answer = body["createOrders"]
    assert (answer["created"], answer["failed"]) == (0, 1_000)
    assert {o["error"]["code"] for o in answer["outcomes"]} == {"NOT_FOUND"}
    assert await snapshot(engine) == before


async def test_a_product_no_placed_order_took_from_is_left_as_it_was(database_url, engine):
    """Stock is written back only where an order took some: a product that only refused
    orders wanted keeps its row untouched, its updated_at included."""
    from sqlalchemy import select

    from shopx.db.models import Product

    shop = await build_shop(engine, stock=1)

    async def updated() -> dict[int, object]:
        async with engine.connect() as conn:
            rows = await conn.execute(select(Product.id, Product.updated_at))
            return dict(rows.all())

    before = await updated()
    orders = [order_input(shop.north, (shop.boot, 1)), order_input(shop.south, (shop.cap, 5))]
    async with api_client(database_url, now=NOW) as client:
        body = await client.data(CREATE_ORDERS, {"input": {"orders": orders}})
    assert (body["createOrders"]["created"], body["createOrders"]["failed"]) == (1, 1)
    after = await updated()
    assert after[shop.cap] == before[shop.cap] and after[shop.sandal] == before[shop.sandal]
    assert after[shop.boot] != before[shop.boot]
    assert await stock(engine) == {shop.boot: 0, shop.sandal: 1, shop.cap: 1}


PRODUCT_STOCK = "query($id: ID!) { product(id: $id) { stockQuantity } }"


async def test_an_order_refreshes_the_cached_stock_of_what_it_takes(database_url, engine):
    shop = await build_shop(engine, stock=3)
    product = {"id": str(shop.boot)}
    async with api_client(database_url, now=NOW) as client:
        before = await client.data(PRODUCT_STOCK, product)
        assert (await client.data(PRODUCT_STOCK, product)) == before  # answered from the cache
        await client.data(CREATE_ORDER, {"input": order_input(shop.north, (shop.boot, 2))})
        after = await client.data(PRODUCT_STOCK, product)
    assert (before["product"]["stockQuantity"], after["product"]["stockQuantity"]) == (3, 1)


async def test_orders_take_the_stock_as_locked_even_of_a_product_loaded_before(engine):
    """The stock is taken from the rows the orders lock, not from a product object the
    session already holds (its stock as it was before the session's first order)."""
    shop = await build_shop(engine, stock=5)
    rules = ReportingRules(tz=ZoneInfo("UTC"), statuses=("COMPLETED",))
    two_boots = NewOrder(shop.north, (NewLine(shop.boot, 2),), status=OrderStatus.COMPLETED)
    async with write_session(session_factory(engine), NOW) as session:
        loaded = await session.get(Product, shop.boot)  # kept in the session's identity map
        for _ in range(2):
            await create_order(session, two_boots, rules=rules, now=NOW)
        assert loaded is not None
    assert (await stock(engine))[shop.boot] == 1


async def test_an_order_write_reads_in_one_statement_and_adds_in_one_on_postgres(engine):
    """On PostgreSQL an order write reads what its checks need (customers, reps, products
    locked, new ids) in one statement, and sends its additions (rollups and its customers'
    statistics) in one: the statistics still come out as the orders make them."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs its statements in process (no round trips)")
    shop = await build_shop(engine, stock=5)
    rules = ReportingRules(tz=ZoneInfo("UTC"), statuses=("COMPLETED",))
    statements: list[str] = []
    event.listen(
        engine.sync_engine,
        "before_cursor_execute",
        lambda *args: statements.append(" ".join(args[2].split())),
    )
    new = NewOrder(shop.north, (NewLine(shop.boot, 2),), status=OrderStatus.COMPLETED)
    async with write_session(session_factory(engine), NOW) as session:
        order = await create_order(session, new, rules=rules, now=NOW)
    written = next(i for i, sql in enumerate(statements) if "INSERT INTO orders" in sql)
    reads = [sql for sql in statements[:written] if sql.startswith("SELECT")]
    assert len(reads) == 1
    assert all(name in reads[0] for name in ("customers", "products", "nextval", "FOR UPDATE"))
    additions = [sql for sql in statements if "rollup_sales_daily" in sql]
    assert len(additions) == 1
    assert "UPDATE customers" in additions[0]
    assert (await customer_stats(engine))[shop.north] == (
        order.total_cents,
        1,
        order.ordered_at,
        order.ordered_at,
    )
    assert await recomputed_customer_stats(engine) == await customer_stats(engine)


async def test_the_desk_sets_its_plans_before_it_takes_the_writers_turn(database_url, engine):
    """On PostgreSQL the desk's transaction runs on generic plans from its start: the
    setting goes before the data version's bump (whose row lock holds the other writers
    up until the commit), and it is set once."""
    if engine.dialect.name != "postgresql":
        pytest.skip("plans are PostgreSQL's")
    shop = await build_shop(engine)
    async with api_client(database_url, now=NOW) as client:
        statements: list[str] = []
        event.listen(
            client.app.state.engine.sync_engine,
            "before_cursor_execute",
            lambda *args: statements.append(" ".join(args[2].split())),
        )
        await client.data(CREATE_ORDER, {"input": order_input(shop.north, (shop.boot, 1))})
    plans = [i for i, sql in enumerate(statements) if "plan_cache_mode" in sql]
    bump = next(i for i, sql in enumerate(statements) if sql.startswith("UPDATE data_version"))
    assert len(plans) == 1
    assert "force_generic_plan" in statements[plans[0]]
    assert plans[0] < bump
