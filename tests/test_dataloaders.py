from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, update
from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.api.graphql.dataloaders.category_by_id import CategoryByIdLoader
from shopx.api.graphql.dataloaders.customer_by_id import CustomerByIdLoader
from shopx.api.graphql.dataloaders.items_by_order_id import ItemsByOrderIdLoader
from shopx.api.graphql.dataloaders.order_by_id import OrderByIdLoader
from shopx.api.graphql.dataloaders.order_count_by_customer_id import OrderCountByCustomerIdLoader
from shopx.api.graphql.dataloaders.orders_by_customer_id import OrdersByCustomerIdLoader, OrdersPage
from shopx.api.graphql.dataloaders.product_by_id import ProductByIdLoader
from shopx.api.graphql.dataloaders.rep_by_id import RepByIdLoader
from shopx.db.engine import session_factory
from shopx.db.models import Product
from tests import factories as make
from tests.api import api_client

START = datetime(2026, 3, 1, 12, tzinfo=UTC)

NESTED_ORDERS = """
{ orders(first: 100) { edges { node {
    id customer { name } salesRep { name }
    items { quantity product { name category { name } } }
} } } }
"""


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements ``engine`` runs inside the block."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def _shop(session):
    top = await make.category(session, name="Top")
    categories = [await make.category(session, parent=top) for _ in range(3)]
    products = [await make.product(session, category=categories[n % 3]) for n in range(7)]
    reps = [await make.rep(session) for _ in range(4)]
    return products, reps


async def _orders(session, products, reps, *, count: int, offset: int = 0) -> list:
    """``count`` orders, each with its own customer, two lines and every other one with a rep."""
    made = []
    for n in range(offset, offset + count):
        buyer = await make.customer(session)
        lines = [(products[n % 7], 1), (products[(n + 3) % 7], 2)]
        rep = reps[n % 4] if n % 2 else None
        made.append(
            await make.order(
                session, customer=buyer, lines=lines, rep=rep, at=START + timedelta(minutes=n)
            )
        )
    return made


async def _count_nested(client) -> tuple[int, list]:
    with statements(client.app.state.read_engine) as seen:
        edges = (await client.data(NESTED_ORDERS))["orders"]["edges"]
    return len(seen), edges


async def test_nested_orders_take_a_bounded_number_of_statements(engine, database_url):
    factory = session_factory(engine)
    async with factory() as session, session.begin():
        products, reps = await _shop(session)
        await _orders(session, products, reps, count=10)

    async with api_client(database_url, cache_enabled=False) as client:
        await client.data("{ product(id: 1) { id } }")  # connect before counting
        for_10, edges = await _count_nested(client)
        assert len(edges) == 10

        async with factory() as session, session.begin():
            await _orders(session, products, reps, count=90, offset=10)
        for_100, edges = await _count_nested(client)

    assert len(edges) == 100
    assert all(len(edge["node"]["items"]) == 2 for edge in edges)
    assert sum(edge["node"]["salesRep"] is not None for edge in edges) == 50
    # dataAsOf, the orders page, then one batch each: customers, reps, items, products,
    # categories.
    assert for_10 == for_100 == 7


async def test_one_request_loads_each_row_once(engine, database_url):
    async with session_factory(engine)() as session, session.begin():
        products, _ = await _shop(session)
    query = "query($id: ID!) { a: product(id: $id) { name } b: product(id: $id) { name } }"
    async with api_client(database_url, cache_enabled=False) as client:
        with statements(client.app.state.read_engine) as seen:
            await client.data(query, {"id": str(products[0].id)})
    assert sum("FROM products" in statement for statement in seen) == 1


async def test_loaders_live_for_one_request(engine, database_url):
    async with session_factory(engine)() as session, session.begin():
        products, _ = await _shop(session)
    query = "query($id: ID!) { product(id: $id) { name category { name } } }"
    variables = {"id": str(products[0].id)}
    async with api_client(database_url, cache_enabled=False) as client:
        before = (await client.data(query, variables))["product"]
        async with engine.begin() as conn:
            await conn.execute(
                update(Product).where(Product.id == products[0].id).values(name="Renamed")
            )
        after = (await client.data(query, variables))["product"]
    assert before["name"] != "Renamed"
    assert after == {"name": "Renamed", "category": before["category"]}


BY_ID = {
    "products": ProductByIdLoader,
    "categories": CategoryByIdLoader,
    "reps": RepByIdLoader,
    "customers": CustomerByIdLoader,
    "orders": OrderByIdLoader,
}


@pytest.mark.parametrize("table", BY_ID)
async def test_by_id_answers_in_key_order_with_none_for_unknown_keys(engine, table):
    factory = session_factory(engine)
    async with factory() as session, session.begin():
        products, reps = await _shop(session)
        orders = await _orders(session, products, reps, count=2)
        rows = {
            "products": products,
            "categories": [products[0].category_id, products[1].category_id],
            "reps": reps,
            "customers": [order.customer_id for order in orders],
            "orders": orders,
        }[table]
    first, second = (row if isinstance(row, int) else row.id for row in rows[:2])
    assert first != second
    loader = BY_ID[table](factory)
    with statements(engine) as seen:
        found = await loader.load_many([second, 999_999, first, second])
    assert [row.id if row else None for row in found] == [second, None, first, second]
    assert len(seen) == 1


async def test_items_and_counts_are_grouped_per_key(engine):
    factory = session_factory(engine)
    async with factory() as session, session.begin():
        products, reps = await _shop(session)
        first, _, third = await _orders(session, products, reps, count=3)
        lonely = await make.customer(session)
    with statements(engine) as seen:
        items = await ItemsByOrderIdLoader(factory).load_many([third.id, 999_999, first.id])
        counts = await OrderCountByCustomerIdLoader(factory).load_many([lonely.id, 999_999])
    assert [[item.order_id for item in lines] for lines in items] == [
        [third.id, third.id],
        [],
        [first.id, first.id],
    ]
    assert counts == [0, 0]
    assert len(seen) == 2


async def test_order_pages_of_many_customers_come_from_one_query(engine):
    factory = session_factory(engine)
    async with factory() as session, session.begin():
        products, _ = await _shop(session)
        buyers = [await make.customer(session) for _ in range(3)]
        placed = {buyer.id: [] for buyer in buyers}
        for n in range(9):
            buyer = buyers[n % 3] if n < 7 else buyers[0]
            row = await make.order(
                session, customer=buyer, lines=[(products[0], 1)], at=START + timedelta(hours=n)
            )
            placed[buyer.id].insert(0, row.id)
    loader = OrdersByCustomerIdLoader(factory)
    keys = [OrdersPage(buyer.id, 2) for buyer in buyers]
    with statements(engine) as seen:
        pages = await loader.load_many(keys)
    assert len(seen) == 1
    # Up to size + 1 rows each, newest first: the extra row says there is a next page.
    assert [[row.id for row in page] for page in pages] == [
        placed[buyer.id][:3] for buyer in buyers
    ]


NESTED_CUSTOMERS = """
{ customers(first: 100) { edges { node {
    name orders(first: 2) { totalCount edges { node { id items { product { name } } } } }
} } } }
"""


async def test_nested_customer_orders_take_a_bounded_number_of_statements(engine, database_url):
    factory = session_factory(engine)
    async with factory() as session, session.begin():
        products, reps = await _shop(session)
        await _orders(session, products, reps, count=5)
    async with api_client(database_url, cache_enabled=False) as client:
        await client.data("{ product(id: 1) { id } }")
        counts = []
        for more in (0, 40):
            async with factory() as session, session.begin():
                await _orders(session, products, reps, count=more, offset=5)
            with statements(client.app.state.read_engine) as seen:
                edges = (await client.data(NESTED_CUSTOMERS))["customers"]["edges"]
            counts.append(len(seen))
    assert len(edges) == 45
    assert {edge["node"]["orders"]["totalCount"] for edge in edges} == {1}
    # dataAsOf, customers, then one batch each: order pages, order counts, items, products.
    assert counts == [6, 6]
