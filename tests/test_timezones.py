"""The same orders fall on different days under different business time zones."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shopx.db.engine import session_factory
from shopx.rollups.deltas import apply_order_change, load_order_facts
from tests import factories as make
from tests.api import api_client

# New York: DST ends 2026-11-01 02:00 EDT (06:00 UTC); begins 2026-03-08 02:00 EST (07:00 UTC).
ORDERS = [
    (datetime(2026, 3, 8, 4, 30, tzinfo=UTC), 1_000),  # NY 03-07 23:30 EST; UTC 03-08
    (datetime(2026, 3, 8, 5, 0, tzinfo=UTC), 2_000),  # NY 03-08 00:00 EST
    (datetime(2026, 3, 9, 3, 59, tzinfo=UTC), 4_000),  # NY 03-08 23:59 EDT (a 23-hour day)
    (datetime(2026, 3, 9, 4, 0, tzinfo=UTC), 8_000),  # NY 03-09 00:00 EDT
    (datetime(2026, 11, 1, 3, 59, tzinfo=UTC), 16_000),  # NY 10-31 23:59 EDT
    (datetime(2026, 11, 2, 4, 59, tzinfo=UTC), 32_000),  # NY 11-01 23:59 EST (a 25-hour day)
    (datetime(2026, 11, 2, 5, 0, tzinfo=UTC), 64_000),  # NY 11-02 00:00 EST
]
EXPECTED = {
    "America/New_York": {
        "2026-03-07": 1_000,
        "2026-03-08": 6_000,
        "2026-03-09": 8_000,
        "2026-10-31": 16_000,
        "2026-11-01": 32_000,
        "2026-11-02": 64_000,
    },
    "UTC": {
        "2026-03-08": 3_000,
        "2026-03-09": 12_000,
        "2026-11-01": 16_000,
        "2026-11-02": 96_000,
    },
}
TRENDS = """query($r: DateRangeInput!) {
  salesTrends(period: CUSTOM, metric: REVENUE, granularity: DAY, dateRange: $r) { label value }
}"""


@pytest.mark.parametrize("timezone", sorted(EXPECTED))
async def test_day_buckets_follow_the_business_time_zone(engine, database_url, timezone):
    from zoneinfo import ZoneInfo

    factory = session_factory(engine)
    async with factory() as session, session.begin():
        category = await make.category(session)
        item = await make.product(session, category=category, price_cents=1)
        buyer = await make.customer(session)
        for moment, cents in ORDERS:
            row = await make.order(session, customer=buyer, lines=[(item, cents)], at=moment)
            facts = await load_order_facts(session, row.id)
            await apply_order_change(session, None, facts, ZoneInfo(timezone))

    now = datetime(2026, 11, 21, 12, tzinfo=UTC)
    async with api_client(database_url, now=now, timezone=timezone) as client:
        got = {}
        for first, last in (("2026-03-07", "2026-03-09"), ("2026-10-31", "2026-11-02")):
            points = await client.data(TRENDS, {"r": {"startDate": first, "endDate": last}})
            got |= {p["label"]: p["value"] for p in points["salesTrends"] if p["value"] != "0.00"}

    assert got == {day: f"{cents / 100:.2f}" for day, cents in EXPECTED[timezone].items()}
