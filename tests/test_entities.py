from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shopx.auth import Role
from shopx.db.engine import session_factory
from tests import factories as make
from tests.api import api_client

NOW = datetime(2026, 5, 20, 12, tzinfo=UTC)

ENTITY_QUERIES = {
    "product": "query($id: ID!) { product(id: $id) { id } }",
    "category": "query($id: ID!) { category(id: $id) { id } }",
    "customer": "query($id: ID!) { customer(id: $id) { id } }",
    "order": "query($id: ID!) { order(id: $id) { id } }",
    "salesRep": "query($id: ID!) { salesRep(id: $id) { id } }",
}
READS = [
    *ENTITY_QUERIES.values(),
    "{ products { totalCount } }",
    "{ customers { totalCount } }",
    "{ orders { totalCount } }",
    "{ salesReps { totalCount } }",
    '{ searchProducts(query: "x") { id } }',
    "{ lowStockProducts { stockQuantity } }",
]


def codes(body) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def _order(session):
    shoes = await make.category(session, name="Shoes")
    boots = await make.category(session, name="Boots", parent=shoes)
    boot = await make.product(session, category=boots, price_cents=12_000, cost_cents=7_000)
    cap = await make.product(session, category=shoes, price_cents=2_500, cost_cents=900)
    buyer = await make.customer(session, name="Ann")
    seller = await make.rep(session, commission_bp=550)
    lines = [(boot, 2), (cap, 1), (cap, 3, 2_000)]
    row = await make.order(
        session, customer=buyer, lines=lines, rep=seller, discount_cents=500, at=NOW
    )
    return row, boot, cap, buyer, seller


async def test_an_order_with_its_relations(engine, database_url):
    async with session_factory(engine)() as session, session.begin():
        row, boot, cap, buyer, seller = await _order(session)
    query = """query($id: ID!) { order(id: $id) {
        id totalAmount discount itemCount unitCount profit
        customer { id name } salesRep { id name commissionRate }
        items { quantity unitPrice lineTotal product { id category { name parent { name } } } }
    } }"""
    async with api_client(database_url) as client:
        order = (await client.data(query, {"id": str(row.id)}))["order"]
    # 2 x (120 - 70) + 1 x (25 - 9) + 3 x (20 - 9) - 5 discount
    assert order["profit"] == "144.00"
    assert order["totalAmount"] == "320.00"
    assert (order["itemCount"], order["unitCount"]) == (3, 6)
    assert order["customer"] == {"id": str(buyer.id), "name": "Ann"}
    assert order["salesRep"] == {"id": str(seller.id), "name": seller.name, "commissionRate": 5.5}
    assert [(i["quantity"], i["unitPrice"], i["product"]["id"]) for i in order["items"]] == [
        (2, "120.00", str(boot.id)),
        (1, "25.00", str(cap.id)),
        (3, "20.00", str(cap.id)),
    ]
    assert order["items"][0]["product"]["category"] == {
        "name": "Boots",
        "parent": {"name": "Shoes"},
    }
    assert order["items"][1]["product"]["category"] == {"name": "Shoes", "parent": None}


async def test_an_online_order_has_no_rep(engine, database_url):
    async with session_factory(engine)() as session, session.begin():
        shoes = await make.category(session)
        online = await make.order(
            session,
            customer=await make.customer(session),
            lines=[(await make.product(session, category=shoes), 1)],
        )
    async with api_client(database_url) as client:
        query = "query($id: ID!) { order(id: $id) { salesRep { id } } }"
        order = (await client.data(query, {"id": str(online.id)}))["order"]
    assert order == {"salesRep": None}


async def test_a_category_with_parent_and_children(engine, database_url):
    async with session_factory(engine)() as session, session.begin():
        top = await make.category(session, name="Top")
        kids = [await make.category(session, name=n, parent=top) for n in ("Zed", "Alpha")]
    query = """query($id: ID!) { category(id: $id) {
        name parent { name } children { name parent { name } children { name } } } }"""
    async with api_client(database_url) as client:
        category = (await client.data(query, {"id": str(top.id)}))["category"]
        child = (await client.data(query, {"id": str(kids[0].id)}))["category"]
    assert category == {
        "name": "Top",
        "parent": None,
        "children": [
            {"name": "Alpha", "parent": {"name": "Top"}, "children": []},
            {"name": "Zed", "parent": {"name": "Top"}, "children": []},
        ],
    }
    assert child["parent"] == {"name": "Top"}


async def test_a_customer_pages_through_their_orders(engine, database_url):
    async with session_factory(engine)() as session, session.begin():
        shoes = await make.category(session)
        cap = await make.product(session, category=shoes)
        buyer, other, idle = [await make.customer(session) for _ in range(3)]
        placed = []
        for n in range(5):
            at = NOW - timedelta(days=n % 3)
            placed.append(await make.order(session, customer=buyer, lines=[(cap, 1)], at=at))
            await make.order(session, customer=other, lines=[(cap, 1)], at=at)
    newest_first = [o.id for o in sorted(placed, key=lambda o: (o.ordered_at, o.id), reverse=True)]
    query = """query($id: ID!, $after: String) { customer(id: $id) {
        orders(first: 2, after: $after) {
            totalCount pageInfo { hasNextPage endCursor } edges { node { id customer { id } } }
        } } }"""
    seen, after = [], None
    async with api_client(database_url) as client:
        while True:
            variables = {"id": str(buyer.id), "after": after}
            orders = (await client.data(query, variables))["customer"]["orders"]
            assert orders["totalCount"] == 5
            seen += [int(edge["node"]["id"]) for edge in orders["edges"]]
            assert {e["node"]["customer"]["id"] for e in orders["edges"]} == {str(buyer.id)}
            if not orders["pageInfo"]["hasNextPage"]:
                break
            after = orders["pageInfo"]["endCursor"]
        nothing = (await client.data(query, {"id": str(idle.id)}))["customer"]["orders"]
    assert seen == newest_first
    assert nothing == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "edges": [],
    }


async def test_a_product_and_a_rep_by_id(engine, database_url):
    async with session_factory(engine)() as session, session.begin():
        shoes = await make.category(session, name="Shoes")
        boot = await make.product(session, category=shoes, price_cents=12_000, cost_cents=9_000)
        seller = await make.rep(session, region="West")
    query = """query($p: ID!, $r: ID!) {
        product(id: $p) { sku sellingPrice profitMargin category { name } }
        salesRep(id: $r) { name region }
    }"""
    async with api_client(database_url) as client:
        data = await client.data(query, {"p": str(boot.id), "r": str(seller.id)})
    assert data["product"] == {
        "sku": boot.sku,
        "sellingPrice": "120.00",
        "profitMargin": 25.0,
        "category": {"name": "Shoes"},
    }
    assert data["salesRep"] == {"name": seller.name, "region": "West"}


@pytest.mark.parametrize("field", list(ENTITY_QUERIES))
async def test_an_unknown_id_is_null(database_url, field):
    async with api_client(database_url) as client:
        assert await client.data(ENTITY_QUERIES[field], {"id": "424242"}) == {field: None}


@pytest.mark.parametrize("field", list(ENTITY_QUERIES))
@pytest.mark.parametrize("bad_id", ["abc", "1.5", "", "0", "-3", " 7x"])
async def test_a_malformed_id_is_bad_user_input(database_url, field, bad_id):
    async with api_client(database_url) as client:
        body = await client.graphql(ENTITY_QUERIES[field], {"id": bad_id})
    assert codes(body) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("query", READS)
async def test_viewers_may_not_read_entities(database_url, query):
    async with api_client(database_url) as client:
        body = await client.graphql(query, {"id": "1"}, role=Role.VIEWER)
    assert codes(body) == ["FORBIDDEN"]


@pytest.mark.parametrize("query", READS)
async def test_reads_need_a_token_unless_anonymous_reads(database_url, query):
    async with api_client(database_url, anonymous_reads=False) as client:
        body = await client.graphql(query, {"id": "1"}, role=None)
    assert codes(body) == ["UNAUTHENTICATED"]
    async with api_client(database_url, anonymous_reads=True) as client:
        assert codes(await client.graphql(query, {"id": "1"}, role=None)) == []


async def test_analysts_read_entities(database_url):
    async with api_client(database_url) as client:
        body = await client.graphql("{ products { totalCount } }", role=Role.ANALYST)
    assert body["data"] == {"products": {"totalCount": 0}}


async def test_search_puts_the_exact_sku_first_then_every_word_prefix_match(engine, database_url):
    async with session_factory(engine)() as session, session.begin():
        gear = await make.category(session)
        named = {
            name: await make.product(session, category=gear, name=name, brand=brand)
            for name, brand in [
                ("Trail boot", "Acme"),
                ("Boot polish", "Acme"),
                ("Rain cover", "Bootlegger"),
                ("Boots 50% off", None),
                ("Sock", None),
                ("Boot old", None),
                ("Reboot kit", None),
            ]
        }
        named["Boot old"].is_active = False
        named["Sock"].sku = "BOOT"
    query = "query($q: String!, $limit: Int!) { searchProducts(query: $q, limit: $limit) { name } }"
    async with api_client(database_url) as client:
        found = await client.data(query, {"q": " boot ", "limit": 20})
        percent = await client.data(query, {"q": "BOOTS 50%", "limit": 20})
        capped = await client.data(query, {"q": "boot", "limit": 2})
        errors = [
            codes(await client.graphql(query, variables))
            for variables in (
                {"q": "  ", "limit": 5},
                {"q": "%%", "limit": 5},
                {"q": "x", "limit": 101},
            )
        ]
    names = [p["name"] for p in found["searchProducts"]]
    assert names[0] == "Sock"  # its sku is the whole search
    assert sorted(names[1:]) == ["Boot polish", "Boots 50% off", "Rain cover", "Trail boot"]
    assert percent["searchProducts"] == [{"name": "Boots 50% off"}]
    assert [p["name"] for p in capped["searchProducts"]] == names[:2]
    assert errors == [["BAD_USER_INPUT"]] * 3


async def test_low_stock_with_days_left_at_the_recent_sales_rate(engine, database_url):
    async with session_factory(engine)() as session, session.begin():
        gear = await make.category(session)
        fast, slow, idle, pending, old, plenty, gone = [
            await make.product(session, category=gear, stock=stock, reorder_level=10)
            for stock in (5, 2, 0, 8, 3, 50, 1)
        ]
        gone.is_active = False
        buyer = await make.customer(session)
        for product, quantity, days_ago, status in [
            (fast, 20, 1, "COMPLETED"),
            (fast, 10, 29, "COMPLETED"),
            (slow, 3, 10, "COMPLETED"),
            (pending, 9, 2, "PENDING"),
            (old, 40, 31, "COMPLETED"),
            (plenty, 5, 1, "COMPLETED"),
        ]:
            at = NOW - timedelta(days=days_ago)
            await make.order(
                session, customer=buyer, lines=[(product, quantity)], at=at, status=status
            )
    query = """{ lowStockProducts { product { id } stockQuantity reorderLevel
        unitsSoldLast30Days dailySalesRate daysOfStockLeft } }"""
    async with api_client(database_url, now=NOW) as client:
        rows = (await client.data(query))["lowStockProducts"]
    # Out of stock first (no days left, whatever it sold), then by days left; those in stock
    # that sold nothing in the window (a pending order does not count) last, by id.
    assert [(int(r["product"]["id"]), r["stockQuantity"]) for r in rows] == [
        (idle.id, 0),
        (fast.id, 5),
        (slow.id, 2),
        (pending.id, 8),
        (old.id, 3),
    ]
    assert rows[0]["daysOfStockLeft"] == 0.0
    assert rows[1] == rows[1] | {"unitsSoldLast30Days": 30, "dailySalesRate": 1.0}
    assert rows[1]["daysOfStockLeft"] == 5.0
    assert (rows[2]["dailySalesRate"], rows[2]["daysOfStockLeft"]) == (0.1, 20.0)
    assert [r["daysOfStockLeft"] for r in rows[3:]] == [None, None]
    assert rows[3]["unitsSoldLast30Days"] == 0
