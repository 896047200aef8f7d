"""Product figures over most of a month are that month's rollup minus the raw items of the
rest of it: what sold only in the rest is not in the answer, and what sold in both counts
only its sales inside the span. Growth compares with the previous period the same way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from shopx.calendar import add_months, local_day, local_midnight, month_start
from shopx.config import Settings
from shopx.db.engine import session_factory
from shopx.jobs.refresh import full_refresh
from shopx.jobs.runner import run_job
from tests import factories as make
from tests.api import api_client
from tests.mutations import CREATE_ORDER, order_input

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
TOKYO = ZoneInfo("Asia/Tokyo")
ONE_DAY = timedelta(days=1)
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


TOKYO_SPAN = """query($start: Date!, $end: Date!) {
  topProducts(period: CUSTOM, dateRange: {startDate: $start, endDate: $end},
              sortBy: REVENUE_DESC, limit: 10) {
    revenue unitsSold orderCount
  }
}"""


@pytest.mark.postgres
@pytest.mark.parametrize("dialect", ["postgres"], indirect=True)
async def test_a_month_whose_first_hours_are_archived_is_not_taken_apart(engine, database_url):
    """In Tokyo (UTC+9) a local month's first nine hours lie in the UTC month before it,
    the partition that retention archives first. The month's rollup keeps those hours'
    sales and the raw items no longer have them, so the rollup minus the raw rest would
    count them in a span that leaves them out: such a month is read from raw items."""
    kept = add_months(month_start(local_day(datetime.now(UTC), TOKYO)), -2)  # the job's today
    archived_hours = local_midnight(kept, TOKYO) + timedelta(hours=5)  # UTC: the month before
    inside = local_midnight(kept, TOKYO) + timedelta(days=10)
    async with session_factory(engine)() as session:
        shelf = await make.category(session)
        item = await make.product(session, category=shelf, price_cents=1_000)
        buyer = await make.customer(session)
        await make.order(session, customer=buyer, lines=[(item, 4)], at=archived_hours)
        await make.order(session, customer=buyer, lines=[(item, 1)], at=inside)
        await session.commit()
    config = Settings(
        database_url=database_url,
        secret_key="test-secret-" + "x" * 32,
        timezone="Asia/Tokyo",
        retention_months=3,  # keeps the UTC month `kept` and the two after it
    )
    every_month = config.model_copy(update={"retention_months": None})
    await run_job("partitions", "manual", engine, every_month)  # each month's partition
    await full_refresh(engine, config)
    archived = await run_job("partitions", "manual", engine, config)
    assert archived.outcome == "succeeded", archived.error
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM orders")) == 1

    # From the 3rd to the month's end: most of the month, without its archived first hours.
    days = {"start": str(kept + timedelta(days=2)), "end": str(add_months(kept, 1) - ONE_DAY)}
    async with api_client(database_url, timezone="Asia/Tokyo", retention_months=3) as client:
        top = (await client.data(TOKYO_SPAN, days))["topProducts"]

    assert top == [{"revenue": "10.00", "unitsSold": 1, "orderCount": 1}]
