from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shopx.db.engine import session_factory
from shopx.rollups.rebuild import rebuild
from tests import factories as make
from tests.api import api_client

NOW = datetime(2026, 5, 20, 12, tzinfo=UTC)

LISTS = {
    "products": ("ProductFilter", "ProductSortInput"),
    "customers": ("CustomerFilter", "CustomerSortInput"),
    "orders": ("OrderFilter", "OrderSortInput"),
    "salesReps": ("SalesRepFilter", "SalesRepSortInput"),
}
SORT_FIELDS = {
    "products": ["NAME", "SKU", "PRICE", "STOCK", "ID"],
    "customers": [
        "NAME",
        "EMAIL",
        "LIFETIME_VALUE",
        "ORDER_COUNT",
        "LAST_ORDER_DATE",
        "ID",
    ],
    "orders": ["ORDER_DATE", "TOTAL_AMOUNT", "ID"],
    "salesReps": ["NAME", "EMAIL", "COMMISSION_RATE", "ID"],
}


def _query(field: str, node: str = "id") -> str:
    filter_type, sort_type = LISTS[field]
    return f"""
    query($first: Int!, $after: String, $filter: {filter_type}, $sort: {sort_type}) {{
      {field}(first: $first, after: $after, filter: $filter, sort: $sort) {{
        totalCount
        pageInfo {{ hasNextPage endCursor }}
        edges {{ cursor node {{ {node} }} }}
      }}
    }}"""


async def page(client, field, *, first=20, after=None, filter=None, sort=None, node="id"):
    variables = {"first": first, "after": after, "filter": filter, "sort": sort}
    return (await client.data(_query(field, node), variables))[field]


async def ids(client, field, **kwargs) -> list[int]:
    found = await page(client, field, first=100, **kwargs)
    return [int(edge["node"]["id"]) for edge in found["edges"]]


async def walk(client, field, *, size: int, **kwargs) -> list[int]:
    """Every id of the list, a page of ``size`` at a time."""
    seen: list[int] = []
    after = None
    while True:
        found = await page(client, field, first=size, after=after, **kwargs)
        edges = found["edges"]
        seen += [int(edge["node"]["id"]) for edge in edges]
        info = found["pageInfo"]
        assert info["endCursor"] == (edges[-1]["cursor"] if edges else None)
        if not info["hasNextPage"]:
            return seen
        assert len(edges) == size
        after = info["endCursor"]


async def _shop(session):
    """Rows with ties on every sortable value, so only the id can break them."""
    shoes = await make.category(session, name="Shoes")
    boots = await make.category(session, name="Boots", parent=shoes)
    hats = await make.category(session, name="Hats")
    specs = [
        (shoes, 1000, 5, "Acme", "Widget"),
        (boots, 1000, 0, "Acme", "Widget"),
        (boots, 2500, 5, "Zenith", "Boot 100%"),
        (hats, 2500, 12, None, "Cap"),
        (hats, 999, 0, "Zenith", "Beanie"),
        (hats, 1000, 3, "acme", "Widget"),
        (shoes, 4000, 5, "Acme", "Sneaker"),
    ]
    products = [
        await make.product(
            session, category=cat, price_cents=price, stock=stock, brand=brand, name=name
        )
        for cat, price, stock, brand, name in specs
    ]
    products[6].is_active = False
    buyers = [await make.customer(session, region=region) for region in "NNSSWN"]
    for n, buyer in enumerate(buyers):
        buyer.segment = "PREMIUM" if n % 3 == 0 else "REGULAR"
        buyer.lifetime_value_cents = (n % 2) * 5000
        buyer.order_count = n % 3
        buyer.last_order_at = NOW - timedelta(days=n % 2) if n % 3 else None
    buyers[4].email = "zoe@shop.example"
    rates = [("N", 500), ("N", 500), ("S", 0)]
    reps = [await make.rep(session, region=r, commission_bp=b) for r, b in rates]
    reps[2].is_active = False
    orders = []
    for n in range(11):
        lines = [(products[n % 4], 1 + n % 2)]
        orders.append(
            await make.order(
                session,
                customer=buyers[n % 3],
                lines=lines,
                rep=reps[n % 3] if n % 2 else None,
                at=NOW - timedelta(days=20 * (n // 3), hours=1),
                status="COMPLETED" if n % 4 else "PENDING",
            )
        )
    await session.flush()
    return products, buyers, reps, orders


@pytest.fixture
async def shop(engine):
    """Rows written directly, then the rollups rebuilt as `shopx refresh --full` would."""
    async with session_factory(engine)() as session, session.begin():
        made = await _shop(session)
    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: rebuild(sync, ZoneInfo("UTC")))
    return made


@pytest.mark.parametrize("field", list(LISTS))
async def test_pages_walk_the_whole_list_under_every_sort(shop, database_url, field):
    async with api_client(database_url) as client:
        everything = await ids(client, field)
        assert len(set(everything)) == len(everything) > 2
        for sort_field in SORT_FIELDS[field]:
            for direction in ("ASC", "DESC"):
                sort = {"field": sort_field, "direction": direction}
                whole = await ids(client, field, sort=sort)
                for size in (1, 2, 3):
                    assert await walk(client, field, size=size, sort=sort) == whole
                assert sorted(whole) == sorted(everything)


async def test_numbers_and_dates_sort_with_ties_broken_by_id(shop, database_url):
    products, buyers, _, _ = shop
    async with api_client(database_url) as client:
        by_price = await walk(client, "products", size=2, sort={"field": "PRICE"})
        by_stock = await walk(
            client, "products", size=2, sort={"field": "STOCK", "direction": "DESC"}
        )
        by_last_order = await walk(
            client, "customers", size=2, sort={"field": "LAST_ORDER_DATE", "direction": "DESC"}
        )
    assert by_price == [p.id for p in sorted(products, key=lambda p: (p.selling_price_cents, p.id))]
    assert by_stock == [
        p.id for p in sorted(products, key=lambda p: (p.stock_quantity, p.id), reverse=True)
    ]
    dated = sorted((b for b in buyers if b.last_order_at), key=lambda b: (b.last_order_at, b.id))
    never = sorted(b.id for b in buyers if b.last_order_at is None)
    # Customers who never ordered come last in either direction.
    assert by_last_order == [b.id for b in reversed(dated)] + never[::-1]


async def test_orders_default_to_newest_first(shop, database_url):
    *_, orders = shop
    async with api_client(database_url) as client:
        walked = await walk(client, "orders", size=4)
    assert walked == [o.id for o in sorted(orders, key=lambda o: (o.ordered_at, o.id))][::-1]


async def test_a_page_continues_after_its_cursor_despite_new_rows(shop, engine, database_url):
    products, *_ = shop
    sort = {"field": "PRICE"}
    async with api_client(database_url) as client:
        first = await page(client, "products", first=3, sort=sort)
        async with session_factory(engine)() as session, session.begin():
            await make.product(session, category=await make.category(session), price_cents=1)
        rest = await page(client, "products", after=first["pageInfo"]["endCursor"], sort=sort)
    seen = [int(e["node"]["id"]) for e in first["edges"] + rest["edges"]]
    assert seen == [p.id for p in sorted(products, key=lambda p: (p.selling_price_cents, p.id))]
    assert rest["totalCount"] == len(products) + 1


PRODUCT_FILTERS = [
    ({"categoryId": "SHOES"}, lambda p, c: p.category_id in (c["Shoes"], c["Boots"])),
    ({"categoryId": "BOOTS"}, lambda p, c: p.category_id == c["Boots"]),
    ({"brand": "Acme"}, lambda p, c: p.brand == "Acme"),
    ({"minPrice": "10.00", "maxPrice": "25"}, lambda p, c: 1000 <= p.selling_price_cents <= 2500),
    ({"inStock": True}, lambda p, c: p.stock_quantity > 0),
    ({"inStock": False, "isActive": True}, lambda p, c: p.stock_quantity == 0 and p.is_active),
    ({"isActive": False}, lambda p, c: not p.is_active),
    ({"search": "  WIDG "}, lambda p, c: p.name == "Widget"),
    ({"search": "acme"}, lambda p, c: (p.brand or "").lower() == "acme"),
    # Full text: every word of the search begins a word of the name, SKU, brand or description.
    ({"search": "boot 100"}, lambda p, c: p.name == "Boot 100%"),
    ({"search": "ACME wid"}, lambda p, c: p.name == "Widget"),
    ({"categoryId": "999999"}, lambda p, c: False),
]


@pytest.mark.parametrize(("where", "expected"), PRODUCT_FILTERS)
async def test_product_filters(shop, database_url, where, expected):
    products, *_ = shop
    categories = {"Shoes": products[0].category_id, "Boots": products[1].category_id}
    where = {key: _category_ref(value, categories) for key, value in where.items()}
    async with api_client(database_url) as client:
        found = await page(client, "products", filter=where, sort={"field": "ID"})
    wanted = [p.id for p in products if expected(p, categories)]
    assert [int(e["node"]["id"]) for e in found["edges"]] == wanted
    assert found["totalCount"] == len(wanted)


def _category_ref(value, categories):
    return str(categories[value.title()]) if value in ("SHOES", "BOOTS") else value


async def test_customer_and_rep_filters(shop, database_url):
    _, buyers, reps, _ = shop
    async with api_client(database_url) as client:
        north = await ids(client, "customers", filter={"region": "N"}, sort={"field": "ID"})
        premium = await ids(client, "customers", filter={"segment": "PREMIUM"})
        by_email = await ids(client, "customers", filter={"search": "ZOE@SHOP"})
        by_name = await ids(client, "customers", filter={"search": buyers[1].name.upper()})
        reps_n = await ids(client, "salesReps", filter={"region": "N", "isActive": True})
        inactive = await ids(client, "salesReps", filter={"isActive": False})
    assert north == [b.id for b in buyers if b.region == "N"]
    assert sorted(premium) == [b.id for b in buyers if b.segment == "PREMIUM"]
    assert by_email == [buyers[4].id]
    assert by_name == [buyers[1].id]
    assert sorted(reps_n) == [reps[0].id, reps[1].id]
    assert inactive == [reps[2].id]


async def test_order_filters(shop, database_url):
    _, buyers, reps, orders = shop
    may = {"startDate": "2026-05-01", "endDate": "2026-05-31"}
    cases = [
        ({"status": "PENDING"}, lambda o: o.status == "PENDING"),
        ({"customerId": str(buyers[1].id)}, lambda o: o.customer_id == buyers[1].id),
        ({"salesRepId": str(reps[1].id)}, lambda o: o.sales_rep_id == reps[1].id),
        ({"dateRange": may}, lambda o: o.ordered_at.month == 5),
        ({"period": "MONTH"}, lambda o: o.ordered_at.month == 5),
        ({"period": "LAST_MONTH"}, lambda o: o.ordered_at.month == 4),
        ({"minTotal": "20.00", "maxTotal": "25.00"}, lambda o: 2000 <= o.total_cents <= 2500),
    ]
    async with api_client(database_url, now=NOW) as client:
        for where, expected in cases:
            found = await page(client, "orders", filter=where, sort={"field": "ID"})
            wanted = [o.id for o in orders if expected(o)]
            assert [int(e["node"]["id"]) for e in found["edges"]] == wanted, where
            assert found["totalCount"] == len(wanted)
            assert wanted, f"{where} should match something"


def _cursor(*parts) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode()


@pytest.mark.parametrize(
    ("field", "arguments"),
    [
        ("products", {"first": 101}),
        ("orders", {"first": -1}),
        ("customers", {"first": 5, "after": "not a cursor"}),
        ("products", {"first": 5, "after": _cursor("NAME", 5, 1)}),
        ("products", {"first": 5, "after": _cursor("PRICE", 1000, 1)}),
        ("products", {"first": 5, "after": _cursor("NAME", "Cap", 2**63)}),
        ("orders", {"first": 5, "after": _cursor("ORDER_DATE", "yesterday", 1)}),
        ("products", {"first": 5, "filter": {"minPrice": "1.234"}}),
        ("products", {"first": 5, "filter": {"categoryId": "shoes"}}),
        ("products", {"first": 5, "filter": {"search": "_%"}}),  # no word to search for
        ("orders", {"first": 5, "filter": {"customerId": "-1"}}),
        ("customers", {"first": 5, "filter": {"segment": "VIP"}}),
    ],
)
async def test_bad_arguments_are_bad_user_input(shop, database_url, field, arguments):
    filter_type = LISTS[field][0]
    query = f"""query($first: Int!, $after: String, $filter: {filter_type}) {{
        {field}(first: $first, after: $after, filter: $filter) {{ totalCount }} }}"""
    async with api_client(database_url) as client:
        body = await client.graphql(query, arguments)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]


@pytest.mark.parametrize(
    ("where", "sql"),
    [
        (None, "TRUE"),
        ({"status": "CANCELLED"}, "status = 'CANCELLED'"),
        ({"customerId": "7"}, "customer_id = 7"),
        ({"status": "COMPLETED", "customerId": "7"}, "status = 'COMPLETED' AND customer_id = 7"),
    ],
)
async def test_order_total_count_matches_the_raw_rows(seeded_url, where, sql):
    """Counted from the daily rollup when only status filters, from the orders otherwise."""
    from sqlalchemy import text

    from shopx.db.engine import create_engine

    engine = create_engine(seeded_url)
    try:
        async with engine.connect() as conn:
            expected = (
                await conn.execute(text(f"SELECT count(*) FROM orders WHERE {sql}"))
            ).scalar()
    finally:
        await engine.dispose()
    query = "query($f: OrderFilter) { orders(first: 1, filter: $f) { totalCount } }"
    async with api_client(seeded_url) as client:
        got = (await client.data(query, {"f": where}))["orders"]["totalCount"]
    assert got == expected > 0
