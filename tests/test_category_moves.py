"""Moving products and categories in the two-level tree carries their history along."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from shopx.db.engine import session_factory
from tests import factories as make
from tests.api import api_client
from tests.consistency import assert_consistent
from tests.mutations import CREATE_ORDER, order_input

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
MOVE_PRODUCT = "mutation($i: UpdateProductInput!) { updateProduct(input: $i) { id } }"
MOVE_CATEGORY = "mutation($i: UpdateCategoryInput!) { updateCategory(input: $i) { id } }"


async def test_moves_between_parents_keep_rollups_equal_to_a_rebuild(database_url, engine):
    async with session_factory(engine)() as session, session.begin():
        apparel = await make.category(session, name="Apparel")
        gear = await make.category(session, name="Gear")
        shoes = await make.category(session, name="Shoes", parent=apparel)
        hats = await make.category(session, name="Hats", parent=apparel)
        bags = await make.category(session, name="Bags", parent=gear)
        loose = await make.category(session, name="Loose")
        boot = await make.product(session, category=shoes, price_cents=12_000, cost_cents=7_000)
        cap = await make.product(session, category=hats, price_cents=2_500, cost_cents=900)
        tote = await make.product(session, category=bags, price_cents=5_000, cost_cents=2_000)
        buyer = await make.customer(session)
        ids = {name: row.id for name, row in locals().items() if hasattr(row, "id")}

    moments = ["2026-11-01T03:59:00Z", "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z"]
    baskets = [
        [(ids["boot"], 1)],
        [(ids["boot"], 1), (ids["cap"], 2)],  # Apparel keeps the order if the boot leaves
        [(ids["boot"], 2), (ids["tote"], 1)],  # Gear already has the order if the boot arrives
        [(ids["cap"], 1), (ids["tote"], 1)],
    ]
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        for index, lines in enumerate(baskets):
            at = moments[index % len(moments)]
            await client.data(
                CREATE_ORDER,
                {"input": order_input(ids["buyer"], *lines, orderDate=at, status="COMPLETED")},
            )
        await assert_consistent(engine, NY)

        moves = [
            (MOVE_PRODUCT, {"id": str(ids["boot"]), "categoryId": str(ids["bags"])}),
            (MOVE_CATEGORY, {"id": str(ids["hats"]), "parentId": str(ids["gear"])}),
            (MOVE_PRODUCT, {"id": str(ids["cap"]), "categoryId": str(ids["loose"])}),
            (MOVE_CATEGORY, {"id": str(ids["bags"]), "parentId": None}),
            (MOVE_PRODUCT, {"id": str(ids["tote"]), "categoryId": str(ids["apparel"])}),
        ]
        for mutation, fields in moves:
            await client.data(mutation, {"i": fields})
            await assert_consistent(engine, NY)
