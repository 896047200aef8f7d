from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import select, update

from shopx.db.engine import session_factory
from shopx.db.models import Order, OrderItem
from shopx.rollups import vectorised
from shopx.rollups.deltas import apply_order_change, load_order_facts
from shopx.rollups.measures import item_measures, item_sales, line_sums, order_values
from shopx.rollups.tables import CategoryDaily, SalesDaily
from tests import factories as make
from tests.consistency import rebuilt_dump, rollup_dump

NY = ZoneInfo("America/New_York")


async def _shop(session):
    apparel = await make.category(session, name="Apparel")
    shoes = await make.category(session, name="Shoes", parent=apparel)
    hats = await make.category(session, name="Hats", parent=apparel)
    boot = await make.product(session, category=shoes, price_cents=12_000, cost_cents=7_000)
    cap = await make.product(session, category=hats, price_cents=2_500, cost_cents=900)
    north = await make.customer(session, region="North")
    nowhere = await make.customer(session, region=None)
    seller = await make.rep(session)
    return boot, cap, north, nowhere, seller


# Around New York's autumn DST change: 01:30 local happens twice on 2026-11-01.
MOMENTS = [
    datetime(2026, 11, 1, 3, 59, tzinfo=UTC),  # 2026-10-31 23:59 EDT
    datetime(2026, 11, 1, 4, 0, tzinfo=UTC),  # 2026-11-01 00:00 EDT
    datetime(2026, 11, 2, 4, 59, tzinfo=UTC),  # 2026-11-01 23:59 EST
    datetime(2026, 11, 2, 5, 0, tzinfo=UTC),  # 2026-11-02 00:00 EST
]


async def test_incremental_changes_equal_a_full_rebuild(engine):
    factory = session_factory(engine)
    async with factory() as session, session.begin():
        boot, cap, north, nowhere, seller = await _shop(session)
        placed = [
            dict(customer=north, lines=[(boot, 1), (cap, 2)], at=MOMENTS[0], rep=seller),
            dict(customer=nowhere, lines=[(cap, 3)], at=MOMENTS[1], discount_cents=500),
            dict(customer=north, lines=[(boot, 1), (boot, 2, 11_000)], at=MOMENTS[2]),
            dict(
                customer=north,
                lines=[(cap, 1)],
                at=MOMENTS[3],
                status="PENDING",
                payment_mode=None,
            ),
        ]
        orders = []
        # Each order folded in once written, before the next: as every writer does (the
        # customers' days read the orders as they are).
        for order in placed:
            row = await make.order(session, **order)
            await apply_order_change(session, None, await load_order_facts(session, row.id), NY)
            orders.append(row)

    async with factory() as session, session.begin():
        # A refund and a cancellation move rows between statuses.
        for row, status in ((orders[0], "REFUNDED"), (orders[3], "CANCELLED")):
            before = await load_order_facts(session, row.id)
            await session.execute(update(Order).where(Order.id == row.id).values(status=status))
            await apply_order_change(session, before, await load_order_facts(session, row.id), NY)

    incremental = await rollup_dump(engine)
    assert incremental == await rebuilt_dump(engine, NY)
    assert incremental["rollup_sales_daily"], "the rollups should not be empty"


async def test_rollup_days_are_business_local(engine):
    factory = session_factory(engine)
    async with factory() as session, session.begin():
        _, cap, north, *_ = await _shop(session)
        for moment in MOMENTS:
            await make.order(session, customer=north, lines=[(cap, 1)], at=moment)

    await rebuilt_dump(engine, NY)
    async with engine.connect() as conn:
        days = (
            await conn.execute(select(SalesDaily.day, SalesDaily.orders).order_by(SalesDaily.day))
        ).all()
    assert [(d, n) for d, n in days] == [
        (date(2026, 10, 31), 1),
        (date(2026, 11, 1), 2),
        (date(2026, 11, 2), 1),
    ]

    await rebuilt_dump(engine, ZoneInfo("UTC"))
    async with engine.connect() as conn:
        days = (
            await conn.execute(select(SalesDaily.day, SalesDaily.orders).order_by(SalesDaily.day))
        ).all()
    assert [(d, n) for d, n in days] == [(date(2026, 11, 1), 2), (date(2026, 11, 2), 2)]


async def test_an_order_counts_once_per_category_at_both_levels(engine):
    factory = session_factory(engine)
    async with factory() as session, session.begin():
        boot, cap, north, *_ = await _shop(session)
        await make.order(
            session, customer=north, lines=[(boot, 1), (boot, 1, 9_000), (cap, 2)], at=MOMENTS[0]
        )
    await rebuilt_dump(engine, NY)
    async with engine.connect() as conn:
        rows = (await conn.execute(select(CategoryDaily).order_by(CategoryDaily.category_id))).all()
    measures = [(r.orders, r.units, r.item_sales_cents, r.cost_cents) for r in rows]
    # Apparel (the parent) holds both lines of the one order; Shoes and Hats their own.
    assert measures == [(1, 4, 26_000, 15_800), (1, 2, 21_000, 14_000), (1, 2, 5_000, 1_800)]


async def test_each_measure_is_the_same_in_sql_python_and_numpy(engine):
    """The rebuild (SQL), the incremental upkeep (Python) and the seeder (numpy) apply
    the one expression of each measure; a new measure is checked here too."""
    factory = session_factory(engine)
    async with factory() as session, session.begin():
        boot, cap, north, *_ = await _shop(session)
        row = await make.order(
            session, customer=north, lines=[(boot, 2), (cap, 3, 2_000)], at=MOMENTS[0]
        )
        facts = await load_order_facts(session, row.id)
        query = item_sales(item_measures()).where(OrderItem.order_id == row.id)
        in_sql = list((await session.execute(query)).one())
    assert facts is not None
    columns = {
        name: np.array([getattr(line, name) for line in facts.lines], dtype=np.int32)
        for name in ("quantity", "unit_price_cents", "unit_cost_cents")
    }
    in_numpy = [int(values.sum()) for values in vectorised.line_arrays(columns).values()]

    assert in_sql == [1, *line_sums(facts.lines)] == [1, *in_numpy]
    assert in_sql == [1, 5, 2 * 12_000 + 3 * 2_000, 2 * 7_000 + 3 * 900]
    assert order_values(facts) == [facts.discount_cents, facts.total_cents]
