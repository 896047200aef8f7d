"""A category that has products of its own and subcategories too: an order with a line in
each counts once for it, in the rollups (incremental and rebuilt alike) and in the raw
edges of a period."""

from __future__ import annotations

from datetime import UTC, datetime

from shopx.db.engine import session_factory
from tests import factories as make
from tests.api import api_client
from tests.consistency import assert_consistent
from tests.mutations import CREATE_ORDER, order_input

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
PERFORMANCE = """query($id: ID!, $period: Period!) {
  categoryPerformance(categoryId: $id, period: $period) { revenue unitsSold orderCount }
}"""


async def test_an_order_with_lines_in_a_category_and_its_subcategory_counts_once(
    database_url, engine
):
    async with session_factory(engine)() as session, session.begin():
        top = await make.category(session, name="Outdoor")
        sub = await make.category(session, name="Tents", parent=top)
        lamp = await make.product(session, category=top, price_cents=2_000, stock=10)
        tent = await make.product(session, category=sub, price_cents=30_000, stock=10)
        buyer = await make.customer(session)
        ids = (top.id, sub.id, lamp.id, tent.id, buyer.id)
    top_id, sub_id, lamp_id, tent_id, buyer_id = ids
    async with api_client(database_url, now=NOW) as client:
        # One before the clock, one just after it (within the 5 minutes a client clock may
        # run ahead): today has orders after now, so its figures come from the raw rows.
        for placed in ("2026-11-02T14:00:00Z", "2026-11-02T15:02:00Z"):
            order = order_input(
                buyer_id, (lamp_id, 2), (tent_id, 1), status="COMPLETED", orderDate=placed
            )
            await client.data(CREATE_ORDER, {"input": order})
        today = await client.data(PERFORMANCE, {"id": str(top_id), "period": "TODAY"})
        month = await client.data(PERFORMANCE, {"id": str(top_id), "period": "MONTH"})
        leaf = await client.data(PERFORMANCE, {"id": str(sub_id), "period": "MONTH"})

    # A period runs up to now: the order at 15:02 is not in it yet.
    expected = {"revenue": "340.00", "unitsSold": 3, "orderCount": 1}
    assert today["categoryPerformance"] == expected
    assert month["categoryPerformance"] == expected
    assert leaf["categoryPerformance"] == {"revenue": "300.00", "unitsSold": 1, "orderCount": 1}
    await assert_consistent(engine)  # the rebuild makes the same rows
