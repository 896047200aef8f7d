"""What the dashboard's product filters list (categories, brands) and a product's trend
against the previous period."""

from __future__ import annotations

from datetime import UTC, datetime

from shopx.db.engine import session_factory
from tests import factories as make
from tests.api import api_client

NOW = datetime(2026, 5, 20, 12, tzinfo=UTC)


def codes(body) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def test_categories_list_both_levels_by_name(engine, database_url):
    async with session_factory(engine)() as session, session.begin():
        shoes = await make.category(session, name="Shoes")
        boots = await make.category(session, name="Boots", parent=shoes)
        apparel = await make.category(session, name="Apparel")
    query = "{ categories { id name parentId } }"
    async with api_client(database_url) as client:
        listed = (await client.data(query))["categories"]
        anonymous = await client.graphql(query, role=None)
    assert listed == [
        {"id": str(apparel.id), "name": "Apparel", "parentId": None},
        {"id": str(boots.id), "name": "Boots", "parentId": str(shoes.id)},
        {"id": str(shoes.id), "name": "Shoes", "parentId": None},
    ]
    assert codes(anonymous) == ["UNAUTHENTICATED"]


async def test_brands_list_each_name_once_with_its_products(engine, database_url):
    async with session_factory(engine)() as session, session.begin():
        gear = await make.category(session)
        for brand in ("Zeta", "Acme", None, "Acme"):
            await make.product(session, category=gear, brand=brand)
        retired = await make.product(session, category=gear, brand="Zeta")
        retired.is_active = False
    async with api_client(database_url) as client:
        listed = (await client.data("{ brands { name productCount } }"))["brands"]
    assert listed == [
        {"name": "Acme", "productCount": 2},
        {"name": "Zeta", "productCount": 2},
    ]


async def test_a_products_trend_compares_each_bucket_with_the_previous_period(engine, database_url):
    async with session_factory(engine)() as session, session.begin():
        gear = await make.category(session)
        boot = await make.product(session, category=gear, price_cents=1_250)
        other = await make.product(session, category=gear)
        buyer = await make.customer(session)
        for day, quantity in [(1, 2), (3, 1), (20, 4)]:
            at = datetime(2026, 5, day, 9, tzinfo=UTC)
            await make.order(session, customer=buyer, lines=[(boot, quantity)], at=at)
        # The previous period has the same length and ends where May starts: from April 11,
        # 12:00; its day i is bucket i of the comparison.
        for day, hour, quantity in [(11, 13, 3), (13, 9, 1), (11, 9, 5)]:
            at = datetime(2026, 4, day, hour, tzinfo=UTC)
            await make.order(session, customer=buyer, lines=[(boot, quantity)], at=at)
        await make.order(
            session, customer=buyer, lines=[(other, 9)], at=datetime(2026, 4, 12, tzinfo=UTC)
        )
    query = """query($id: ID!, $compare: Boolean!) { product(id: $id) {
        trends(period: MONTH, granularity: DAY, compare: $compare) { label value previousValue }
    } }"""
    async with api_client(database_url, now=NOW) as client:
        compared = await client.data(query, {"id": str(boot.id), "compare": True})
        plain = await client.data(query, {"id": str(boot.id), "compare": False})
    points = compared["product"]["trends"]
    assert len(points) == 20
    pairs = [(point["value"], point["previousValue"]) for point in points]
    assert pairs[0] == ("25.00", "37.50")
    assert pairs[1] == ("0.00", "0.00")
    assert pairs[2] == ("12.50", "12.50")
    assert pairs[19] == ("50.00", "0.00")
    assert {point["previousValue"] for point in plain["product"]["trends"]} == {None}
