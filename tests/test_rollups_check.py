"""The rollups-check job finds exactly the rollup cells that differ from the raw rows,
repairs them through the write context (cached answers go stale) and leaves a clean
database alone; rollups-rebuild rebuilds everything. On a copy of a seeded shop, on
SQLite and PostgreSQL, in UTC and in a business time zone with daylight saving time."""

from __future__ import annotations

import random
import threading
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from shopx.analytics.reporting import ReportingRules
from shopx.auth import Role
from shopx.calendar import quarter_hour_of, quarter_hour_start
from shopx.config import Settings
from shopx.db.dialect import one_snapshot
from shopx.db.engine import create_engine, session_factory
from shopx.db.models import OrderStatus
from shopx.jobs import rollups_check as rollups_check_module
from shopx.jobs.context import JobContext
from shopx.jobs.rollups_check import RECENT_DAYS, check_rollups, rollups_check, sample_days
from shopx.jobs.runner import run_job
from shopx.orders.service import NewLine, NewOrder, create_order
from tests.api import api_client
from tests.conftest import SEED_NOW

DAY = "2026-11-18"
"""A whole day inside the check's recent sample (SEED_NOW is 2026-11-20)."""
SECRET = "test-secret-" + "x" * 32
DAY_REVENUE = """query($range: DateRangeInput) {
  salesOverview(period: CUSTOM, dateRange: $range) { totalRevenue totalOrders }
}"""


def cents(value: int) -> str:
    value = int(value)
    return f"{value // 100}.{value % 100:02d}"


def settings(url: str, timezone: str = "UTC") -> Settings:
    return Settings(database_url=url, secret_key=SECRET, timezone=timezone)


async def execute(url: str, sql: str) -> int:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            return (await conn.execute(text(sql))).rowcount
    finally:
        await engine.dispose()


async def scalar(url: str, sql: str):
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(text(sql))).scalar_one()
    finally:
        await engine.dispose()


async def raw_day_revenue(url: str) -> int:
    """DAY's revenue (completed orders) from the raw rows (the shop is cut in UTC)."""
    return int(
        await scalar(
            url,
            "SELECT sum(total_cents) FROM orders WHERE status = 'COMPLETED'"
            f" AND ordered_at >= '{DAY} 00:00:00' AND ordered_at < '2026-11-19 00:00:00'",
        )
    )


async def corrupt_day_revenue(url: str) -> tuple[str, int]:
    """Add 7.00 to the revenue of DAY's completed orders of one region in the daily sales
    rollup, behind the write context's back: (the region, the rows changed)."""
    region = await scalar(
        url,
        f"SELECT min(region) FROM rollup_sales_daily WHERE day = '{DAY}' AND status = 'COMPLETED'",
    )
    corrupted = await execute(
        url,
        "UPDATE rollup_sales_daily SET revenue_cents = revenue_cents + 700"
        f" WHERE day = '{DAY}' AND status = 'COMPLETED' AND region = '{region}'",
    )
    return region, corrupted


async def check(url: str, timezone: str = "UTC", days: list[date] | None = None):
    engine = create_engine(url, pool_size=2)
    try:
        ctx = JobContext(engine, session_factory(engine), settings(url, timezone), None, SEED_NOW)
        return await check_rollups(ctx, days, random.Random(3))
    finally:
        await engine.dispose()


def test_the_sample_is_the_last_week_and_a_few_older_days_with_sales():
    today = date(2026, 11, 20)
    older = [date(2026, 1, day) for day in range(1, 29)] + [date(2026, 11, 19)]

    days = sample_days(today, older, random.Random(1))

    recent = [date(2026, 11, day) for day in range(14, 21)]
    assert days[-RECENT_DAYS:] == recent
    assert len(days) == RECENT_DAYS + 3
    assert set(days[:3]) <= set(older)


async def test_a_clean_shop_has_no_drift(shop_copy):
    result = await check(shop_copy)

    assert result.rows == 0
    assert result.detail.startswith("no drift in 10 days")


async def test_the_rows_are_compared_off_the_event_loop(shop_copy, monkeypatch):
    """At scale M the comparison is seconds of CPU: on the event loop it held up every
    request (and order write) of a serving process that runs the schedule."""
    loop_thread = threading.get_ident()
    threads: set[int] = set()
    cells, differences = rollups_check_module._cells, rollups_check_module.Compared.differences

    def watched_cells(*args):
        threads.add(threading.get_ident())
        return cells(*args)

    def watched_differences(self):
        threads.add(threading.get_ident())
        return differences(self)

    monkeypatch.setattr(rollups_check_module, "_cells", watched_cells)
    monkeypatch.setattr(rollups_check_module.Compared, "differences", watched_differences)

    assert (await check(shop_copy)).rows == 0
    assert threads and loop_thread not in threads


@pytest.mark.parametrize("shop_copy", ["America/New_York"], indirect=True)
async def test_days_are_cut_in_the_business_time_zone(shop_copy):
    """The rollups were cut in New York: the check recomputes the same local days (a UTC
    cut would move evening orders to the next day and report drift everywhere), including
    the day daylight saving time ended (2026-11-01, 25 hours)."""
    days = [date(2026, 11, 1), date(2026, 11, 2), date(2026, 3, 8), date(2026, 11, 19)]
    assert (await check(shop_copy, "America/New_York", days)).rows == 0

    corrupted = await execute(
        shop_copy,
        "UPDATE rollup_sales_daily SET orders = orders + 2 WHERE day = '2026-11-01'"
        " AND status = 'COMPLETED' AND region = (SELECT min(region) FROM rollup_sales_daily"
        " WHERE day = '2026-11-01' AND status = 'COMPLETED')",
    )
    result = await check(shop_copy, "America/New_York", days)

    assert result.rows == corrupted >= 1
    assert "rollup_sales_daily 2026-11-01 (COMPLETED, " in result.detail
    assert (await check(shop_copy, "America/New_York", days)).rows == 0


async def test_a_corrupted_cell_is_found_repaired_and_the_cached_answer_goes_stale(shop_copy):
    raw = await raw_day_revenue(shop_copy)
    region, corrupted = await corrupt_day_revenue(shop_copy)
    assert corrupted >= 1
    async with api_client(shop_copy, now=SEED_NOW) as client:

        async def day_revenue() -> tuple[str | None, str]:
            response = await client.http.post(
                "/graphql",
                json={
                    "query": DAY_REVENUE,
                    "variables": {"range": {"startDate": DAY, "endDate": DAY}},
                },
                headers={"authorization": f"Bearer {client.token(Role.ANALYST)}"},
            )
            answer = response.json()["data"]["salesOverview"]["totalRevenue"]
            return response.headers.get("x-cache"), answer

        assert await day_revenue() == ("MISS", cents(raw + 700 * corrupted))
        assert await day_revenue() == ("HIT-L1", cents(raw + 700 * corrupted))
        engine = client.app.state.engine
        ctx = JobContext(
            engine, session_factory(engine), client.settings, client.app.state.cache, SEED_NOW
        )
        result = await rollups_check(ctx)
        after = await day_revenue()

    assert result.rows == corrupted
    assert f"rollup_sales_daily {DAY} (COMPLETED, {region}, " in result.detail
    assert "revenue_cents: " in result.detail
    assert after == ("MISS", cents(raw))
    assert (await check(shop_copy)).rows == 0


NOV_15_FIRST_QUARTER_SOLD = (
    "(SELECT min(quarter_hour) FROM rollup_sales_quarter_hourly WHERE status = 'COMPLETED'"
    f" AND quarter_hour >= {quarter_hour_of(datetime(2026, 11, 15, tzinfo=UTC))})"
)


async def test_every_rollup_table_is_checked(shop_copy):
    """Cells wrong in each table, a row missing and a row that should not exist: the check
    reports exactly those cells (for the missing row, each of its measures that is not
    zero) and repairs them."""
    rep_row = (
        f"day = '{DAY}' AND sales_rep_id ="
        f" (SELECT min(sales_rep_id) FROM rollup_rep_daily WHERE day = '{DAY}')"
    )
    nonzero = " + ".join(
        f"CASE WHEN {name} <> 0 THEN 1 ELSE 0 END"
        for name in (
            "orders",
            "units",
            "item_sales_cents",
            "cost_cents",
            "discount_cents",
            "revenue_cents",
        )
    )
    missing_cells = await scalar(
        shop_copy, f"SELECT sum({nonzero}) FROM rollup_rep_daily WHERE {rep_row}"
    )
    corrupted = 0
    for statement in [
        "UPDATE rollup_category_daily SET units = units + 1 WHERE day = '2026-11-15'"
        " AND category_id = (SELECT min(category_id) FROM rollup_category_daily"
        " WHERE day = '2026-11-15')",
        "UPDATE rollup_product_monthly SET cost_cents = cost_cents - 5"
        " WHERE month = '2026-11-01' AND product_id = (SELECT min(product_id)"
        " FROM rollup_product_monthly WHERE month = '2026-11-01')",
        "UPDATE rollup_product_yearly SET units = units + 3 WHERE year = '2026-01-01'"
        " AND product_id = (SELECT max(product_id) FROM rollup_product_yearly"
        " WHERE year = '2026-01-01')",
        "UPDATE rollup_sales_quarter_hourly SET revenue_cents = revenue_cents + 7"
        f" WHERE status = 'COMPLETED' AND quarter_hour = {NOV_15_FIRST_QUARTER_SOLD}",
        "INSERT INTO rollup_sales_daily (day, status, region, payment_mode, orders, units,"
        " item_sales_cents, cost_cents, discount_cents, revenue_cents)"
        " VALUES ('2026-11-16', 'COMPLETED', 'Atlantis', 'shells', 1, 0, 0, 0, 0, 0)",
    ]:
        corrupted += await execute(shop_copy, statement)
    assert await execute(shop_copy, f"DELETE FROM rollup_rep_daily WHERE {rep_row}") >= 1
    quarter_start = quarter_hour_start(
        await scalar(shop_copy, NOV_15_FIRST_QUARTER_SOLD.strip("()"))
    ).isoformat()

    result = await check(shop_copy)

    assert result.rows == corrupted + missing_cells
    for drift in (
        "rollup_category_daily 2026-11-15 (",
        "rollup_product_monthly 2026-11-01 (",
        "rollup_product_yearly 2026-01-01 (",
        "rollup_sales_daily 2026-11-16 (COMPLETED, Atlantis, shells) orders: 1 -> 0",
        f"rollup_rep_daily {DAY} (",
        f"rollup_sales_quarter_hourly {quarter_start} (COMPLETED) revenue_cents: ",
    ):
        assert drift in result.detail
    assert (await check(shop_copy)).rows == 0


GAPS_ROWS = "SELECT day, status, since, customers FROM rollup_customer_gaps"


async def gaps_rows(url: str) -> set[tuple]:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(text(GAPS_ROWS))
            return {(str(day), status, str(since), int(n)) for day, status, since, n in rows}
    finally:
        await engine.dispose()


async def test_the_customers_days_are_checked_and_repaired(shop_copy):
    """A count off by one, and a day's customers filed under a previous day they do not
    have: the check names those cells and puts back exactly the rows it had."""
    before = await gaps_rows(shop_copy)
    first = (
        f"day = '{DAY}' AND status = 'COMPLETED' AND since = (SELECT min(since)"
        f" FROM rollup_customer_gaps WHERE day = '{DAY}' AND status = 'COMPLETED')"
    )
    assert (
        await execute(
            shop_copy, f"UPDATE rollup_customer_gaps SET customers = customers + 1 WHERE {first}"
        )
        == 1
    )
    moved = (
        "day = '2026-11-16' AND status = 'COMPLETED' AND since = (SELECT max(since)"
        " FROM rollup_customer_gaps WHERE day = '2026-11-16' AND status = 'COMPLETED')"
    )
    since, customers = max(
        (since, customers)
        for day, status, since, customers in before
        if (day, status) == ("2026-11-16", "COMPLETED")
    )
    assert (
        await execute(
            shop_copy, f"UPDATE rollup_customer_gaps SET since = '2026-11-17' WHERE {moved}"
        )
        == 1
    )

    result = await check(shop_copy)

    assert result.rows == 3, result.detail
    for drift in (
        f"rollup_customer_gaps {DAY} (COMPLETED, ",
        f"rollup_customer_gaps 2026-11-16 (COMPLETED, 2026-11-17) customers: {customers} -> 0",
        f"rollup_customer_gaps 2026-11-16 (COMPLETED, {since}) customers: 0 -> {customers}",
    ):
        assert drift in result.detail
    assert await gaps_rows(shop_copy) == before
    assert (await check(shop_copy)).rows == 0


async def test_an_order_written_during_the_check_is_kept_by_the_repair(shop_copy, monkeypatch):
    """An order on the drifted day commits after the check's first pass and before its
    repair: the repair recomputes under the write lock, so it keeps the order (a repair with
    the first pass's numbers would erase it from the rollups)."""
    region, corrupted = await corrupt_day_revenue(shop_copy)
    customer = await scalar(
        shop_copy, f"SELECT min(id) FROM customers WHERE region = '{region}' AND is_active"
    )
    product = await scalar(shop_copy, "SELECT min(id) FROM products WHERE stock_quantity > 0")
    payment_mode = await scalar(
        shop_copy,
        f"SELECT min(payment_mode) FROM rollup_sales_daily WHERE day = '{DAY}'"
        f" AND status = 'COMPLETED' AND region = '{region}'",
    )
    real_writing = rollups_check_module.writing

    @asynccontextmanager
    async def order_first(sessions, now, cache):
        async with real_writing(sessions, now, cache) as session:
            new = NewOrder(
                customer,
                (NewLine(product, 1),),
                ordered_at=datetime.fromisoformat(f"{DAY}T12:00:00+00:00"),
                status=OrderStatus.COMPLETED,
                payment_mode=payment_mode,
            )
            await create_order(session, new, rules=ReportingRules.of(settings(shop_copy)), now=now)
        async with real_writing(sessions, now, cache) as session:
            yield session

    monkeypatch.setattr(rollups_check_module, "writing", order_first)
    result = await check(shop_copy)
    monkeypatch.undo()

    assert result.rows == corrupted
    assert (await check(shop_copy)).rows == 0
    raw = await raw_day_revenue(shop_copy)
    stored = await scalar(
        shop_copy,
        f"SELECT sum(revenue_cents) FROM rollup_sales_daily WHERE day = '{DAY}'"
        " AND status = 'COMPLETED'",
    )
    assert int(stored) == int(raw)


async def test_the_check_runs_as_a_recorded_job(shop_copy):
    engine = create_engine(shop_copy, pool_size=2)
    try:
        record = await run_job("rollups-check", "manual", engine, settings(shop_copy))
    finally:
        await engine.dispose()

    assert (record.outcome, record.rows) == ("succeeded", 0), record.error
    assert record.detail.startswith("no drift in ")


async def test_the_rebuild_job_rebuilds_every_rollup(shop_copy):
    before = await scalar(shop_copy, "SELECT sum(revenue_cents) FROM rollup_sales_daily")
    await execute(shop_copy, "UPDATE rollup_sales_daily SET revenue_cents = 0")
    engine = create_engine(shop_copy, pool_size=2)
    try:
        record = await run_job("rollups-rebuild", "manual", engine, settings(shop_copy))
    finally:
        await engine.dispose()

    assert record.outcome == "succeeded", record.error
    assert await scalar(shop_copy, "SELECT sum(revenue_cents) FROM rollup_sales_daily") == before
    rows = await scalar(
        shop_copy,
        "SELECT (SELECT count(*) FROM rollup_sales_daily) + (SELECT count(*) FROM"
        " rollup_sales_quarter_hourly) + (SELECT count(*) FROM rollup_rep_daily)"
        " + (SELECT count(*) FROM rollup_category_daily) + (SELECT count(*)"
        " FROM rollup_product_monthly) + (SELECT count(*) FROM rollup_customer_gaps)"
        " + (SELECT count(*) FROM rollup_product_yearly)"
        " + (SELECT count(*) FROM customer_segment_totals)",
    )
    assert record.rows == rows
    assert "rollup_sales_daily: " in record.detail


async def test_the_first_pass_reads_one_snapshot_while_orders_come_in(shop_copy):
    """The first pass reads every rollup and the raw rows as of one moment: an order that
    commits between two of its statements is in none of them. (Statement by statement on
    PostgreSQL, such an order looked like drift, and the second pass held the writers' turn
    for seconds.)"""
    engine = create_engine(shop_copy, pool_size=2)
    sessions = session_factory(engine)
    customer = await scalar(shop_copy, "SELECT min(id) FROM customers WHERE is_active")
    product = await scalar(shop_copy, "SELECT min(id) FROM products WHERE stock_quantity > 0")
    count = "SELECT count(*) FROM orders"
    try:
        async with sessions() as reader:
            await reader.connection(execution_options=one_snapshot(engine))
            before = await reader.scalar(text(count))
            async with sessions() as writer, writer.begin():
                new = NewOrder(customer, (NewLine(product, 1),), status=OrderStatus.COMPLETED)
                rules = ReportingRules.of(settings(shop_copy))
                await create_order(writer, new, rules=rules, now=datetime.now(UTC))
            during = await reader.scalar(text(count))
        async with sessions() as after:
            committed = await after.scalar(text(count))
    finally:
        await engine.dispose()

    assert during == before
    assert committed == before + 1
