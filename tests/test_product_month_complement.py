"""Product figures over most of a month are that month's rollup minus the raw items of the
rest of it: what sold only in the rest is not in the answer, and what sold in both counts
only its sales inside the span. Growth compares with the previous period the same way."""

from __future__ import annotations

from datetime import UTC, datetime

from shopx.db.engine import session_factory
from tests import factories as make
from tests.api import api_client
from tests.mutations import CREATE_ORDER, order_input

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
TOP = """query($s: ProductSort!) {
  topProducts(period: CUSTOM, dateRange: {startDate: "2026-10-03", endDate: "2026-10-31"},
              sortBy: $s, limit: 10) {
    rank revenue unitsSold orderCount profit growthRate product { id }
  }
}"""
PERFORMANCE = """query($id: ID!) {
  productPerformance(productId: $id, period: CUSTOM,
                     dateRange: {startDate: "2026-10-03", endDate: "2026-10-31"}) {
    revenue unitsSold orderCount
  }
}"""


async def test_most_of_a_month_is_its_rollup_minus_the_rest(database_url, engine):
    async with session_factory(engine)() as session, session.begin():
        shelf = await make.category(session, name="Shelf")
        early = await make.product(session, category=shelf, price_cents=1_000, stock=100)
        both = await make.product(session, category=shelf, price_cents=2_000, stock=100)
        late = await make.product(session, category=shelf, price_cents=500, stock=100)
        buyer = await make.customer(session)
        ids = (early.id, both.id, late.id, buyer.id)
    early_id, both_id, late_id, buyer_id = ids
    sales = [
        # The previous period of Oct 3-31 (29 days) is Sep 4 - Oct 2: most of September.
        ("2026-09-10T10:00:00Z", [(both_id, 1)]),
        ("2026-09-02T10:00:00Z", [(late_id, 7)]),  # September's rest: not compared
        # October's rest (Oct 1 and 2) is in the previous period, not in the span.
        ("2026-10-01T09:00:00Z", [(early_id, 3), (both_id, 2)]),
        ("2026-10-02T23:59:00Z", [(early_id, 1)]),
        ("2026-10-15T10:00:00Z", [(both_id, 1), (late_id, 2)]),
        ("2026-10-31T23:00:00Z", [(late_id, 1)]),
        ("2026-11-01T00:00:00Z", [(late_id, 5)]),  # after the span
    ]
    async with api_client(database_url, now=NOW) as client:
        for placed, lines in sales:
            order = order_input(buyer_id, *lines, status="COMPLETED", orderDate=placed)
            await client.data(CREATE_ORDER, {"input": order})
        by_revenue = (await client.data(TOP, {"s": "REVENUE_DESC"}))["topProducts"]
        by_growth = (await client.data(TOP, {"s": "GROWTH_DESC"}))["topProducts"]
        early_figures = await client.data(PERFORMANCE, {"id": str(early_id)})

    assert by_revenue == [
        {
            "rank": 1,
            "revenue": "20.00",
            "unitsSold": 1,
            "orderCount": 1,
            "profit": "14.00",  # each unit costs 6.00
            # Sep 4 - Oct 2: 1 unit on Sep 10 and 2 on Oct 1, 60.00 -> 20.00.
            "growthRate": -66.6667,
            "product": {"id": str(both_id)},
        },
        {
            "rank": 2,
            "revenue": "15.00",
            "unitsSold": 3,
            "orderCount": 2,
            "profit": "-3.00",
            "growthRate": None,  # nothing sold in the previous period (Sep 2 is before it)
            "product": {"id": str(late_id)},
        },
    ]
    assert [row["product"]["id"] for row in by_growth] == [str(both_id), str(late_id)]
    assert early_figures["productPerformance"] == {
        "revenue": "0.00",
        "unitsSold": 0,
        "orderCount": 0,
    }
