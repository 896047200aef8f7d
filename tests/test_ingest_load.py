"""The bulk importer (issue 12): SaleRow batches written as orders once, batch by batch,
with the rollups, customer figures and cached answers following, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from shopx.config import Settings
from shopx.db.dialect import is_postgres
from shopx.db.engine import create_engine, session_factory
from shopx.db.models import (
    Category,
    Customer,
    ImportKey,
    JobRun,
    Order,
    OrderItem,
    OrderStatus,
    Product,
    SalesRepresentative,
)
from shopx.ingest import load
from shopx.ingest.batches import Batch
from shopx.ingest.bulk import MissingReference, insert_items, may_check_items_per_batch
from shopx.ingest.load import ITEM_COLUMNS, import_batches
from shopx.ingest.parse import parse_sales
from shopx.ingest.records import create_import, read_import, recent_imports
from shopx.ingest.rows import RowError, SaleRow
from shopx.ingest.synthetic import (
    measure_file_import,
    measure_import,
    synthetic_batches,
    write_synthetic_csv,
)
from shopx.jobs.imports import follow_import
from shopx.rollups.deltas import apply_order_changes
from tests.api import api_client
from tests.consistency import assert_consistent
from tests.test_response_cache import post

DAY = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
SECRET = "test-secret-" + "x" * 32


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key=SECRET)


def sale(line: int, product: str = "Blue Mug", amount: int = 1_500, **fields) -> SaleRow:
    quantity = fields.pop("quantity", 1)
    return SaleRow(
        line=line,
        ordered_at=fields.pop("ordered_at", DAY),
        product_name=product,
        amount_cents=amount,
        quantity=quantity,
        unit_price_cents=fields.pop("unit_price_cents", amount // quantity),
        **fields,
    )


def generated(count: int, *, orders_of: int = 3, start: datetime = DAY) -> list[SaleRow]:
    """``count`` rows, ``orders_of`` per order, over a few products, customers and reps."""
    rows = []
    for index in range(count):
        order = index // orders_of
        rows.append(
            sale(
                index + 2,
                f"Product {index % 7}",
                100 + (index % 13) * 250,
                quantity=1 + index % 3,
                unit_price_cents=100 + (index % 13) * 250,
                ordered_at=start + timedelta(hours=order),
                order_id=f"A-{order}",
                customer_email=f"buyer{order % 11}@example.com",
                customer_name=f"Buyer {order % 11}",
                sales_rep=f"Rep {order % 4}",
                region="North" if order % 2 else "South",
                status=OrderStatus.REFUNDED if order % 17 == 5 else OrderStatus.COMPLETED,
                payment_mode="card",
            )
        )
    return rows


async def count(engine, model) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(select(func.count()).select_from(model))


async def test_entities_are_created_once_across_batches_and_case_variants(engine, settings):
    rows = [
        sale(2, "Blue Mug", category="Kitchen", customer_id="C1", sales_rep="Ann Lee"),
        sale(3, "  blue   MUG ", category="kitchen", customer_id="C1", sales_rep="ann lee "),
        sale(4, "BLUE MUG", customer_email="x@example.com", sales_rep="ANN LEE"),
        sale(5, "Red Mug", customer_name="Jo Doe"),
        sale(6, "red mug", customer_name="  jo   DOE"),
        sale(7, "Plate"),
    ]
    report = await import_batches(engine, settings, [rows[:2], rows[2:4], rows[4:]], batch_rows=100)
    assert (report.imported, report.skipped_duplicate, report.failed) == (6, 0, 0)
    assert report.created == {"products": 3, "categories": 2, "customers": 4, "reps": 1}
    async with engine.connect() as conn:
        names = sorted((await conn.scalars(select(Product.name))).all())
        assert names == ["Blue Mug", "Plate", "Red Mug"]
        categories = sorted((await conn.scalars(select(Category.name))).all())
        assert categories == ["Kitchen", "Uncategorized"]
        customers = (await conn.execute(select(Customer.name, Customer.external_id))).all()
        assert sorted(customers, key=str) == sorted(
            [("C1", "C1"), ("x@example.com", None), ("Jo Doe", None), ("Anonymous customer", None)],
            key=str,
        )
        assert await conn.scalar(select(func.count()).select_from(SalesRepresentative)) == 1
        cost, stock = (
            await conn.execute(
                select(Product.cost_price_cents, Product.stock_quantity).where(
                    Product.name == "Blue Mug"
                )
            )
        ).one()
        assert (cost, stock) == (0, 0)
    # A second import with other rows finds the same entities.
    again = await import_batches(engine, settings, [[sale(2, "BLUE mug", 999, customer_id="C1")]])
    assert again.imported == 1 and sum(again.created.values()) == 0
    await assert_consistent(engine, settings.tz, settings.revenue_statuses)


async def test_rows_of_an_order_id_form_one_order_and_a_disagreeing_order_is_reported(
    engine, settings
):
    rows = [
        sale(2, "Mug", 1_000, order_id="O-1", customer_id="C1", quantity=2, unit_price_cents=600),
        sale(3, "Plate", 500, order_id="O-1", customer_id="C1"),
        sale(4, "Mug", 1_000, order_id="O-2", customer_id="C2"),
        sale(5, "Plate", 500, order_id="O-2", customer_id="C3"),
        sale(6, "Bowl", 700, order_id="O-3", customer_id="C2"),
        sale(7, "Bowl", 700, order_id="O-3", customer_id="C2", ordered_at=DAY + timedelta(1)),
        sale(8, "Cup", 300),
        sale(9, "Cup", 300),
    ]
    report = await import_batches(engine, settings, [rows])
    assert (report.rows_read, report.imported, report.failed) == (8, 4, 4)
    assert [(e.line, e.column, e.value) for e in report.errors] == [
        (4, "order_id", "O-2"),
        (5, "order_id", "O-2"),
        (6, "order_id", "O-3"),
        (7, "order_id", "O-3"),
    ]
    assert "customers" in report.errors[0].reason and "dates" in report.errors[2].reason
    async with engine.connect() as conn:
        orders = (
            await conn.execute(select(Order.total_cents, Order.discount_cents).order_by(Order.id))
        ).all()
    # O-1: lines 1,200 + 500, paid 1,500: a discount of 200; two identical rows without an
    # order_id are two sales.
    assert [tuple(o) for o in orders] == [(1_500, 200), (300, 0), (300, 0)]
    assert report.orders_created == 3
    await assert_consistent(engine, settings.tz, settings.revenue_statuses)


async def test_later_lines_of_an_imported_order_are_added_to_it(engine, settings):
    first = [sale(2, "Mug", 1_000, order_id="O-1", customer_id="C1")]
    await import_batches(engine, settings, [first])
    more = [*first, sale(3, "Plate", 500, order_id="O-1", customer_id="C1")]
    report = await import_batches(engine, settings, [more])
    assert (report.imported, report.skipped_duplicate, report.failed) == (1, 1, 0)
    assert report.orders_extended == 1 and report.orders_created == 0
    # Lines naming another customer than the stored order are reported.
    other = [sale(4, "Bowl", 200, order_id="O-1", customer_id="C9")]
    refused = await import_batches(engine, settings, [other])
    assert (refused.imported, refused.failed) == (0, 1)
    assert "already imported" in refused.errors[0].reason
    async with engine.connect() as conn:
        assert (await conn.scalars(select(Order.total_cents))).all() == [1_500]
    await assert_consistent(engine, settings.tz, settings.revenue_statuses)


async def test_importing_twice_adds_nothing_and_counts_the_rows_skipped(engine, settings):
    rows = generated(300)
    errors = [RowError(150, "amount", "abc", "not an amount")]
    first = await import_batches(engine, settings, [Batch(rows, errors)], batch_rows=100)
    assert (first.rows_read, first.imported, first.skipped_duplicate, first.failed) == (
        301,
        300,
        0,
        1,
    )
    # Batches of 99 rows: the rows of an order (three) are never split.
    assert first.batches == 4 and first.orders_created == 100
    before = await count(engine, OrderItem)
    second = await import_batches(engine, settings, [Batch(rows, errors)], batch_rows=100)
    assert (second.imported, second.skipped_duplicate, second.failed) == (0, 300, 1)
    assert sum(second.created.values()) == 0 and second.orders_created == 0
    assert await count(engine, OrderItem) == before == 300
    assert await count(engine, Order) == 100
    await assert_consistent(engine, settings.tz, settings.revenue_statuses)


async def test_two_imports_of_the_same_rows_at_once_import_them_once(database_url, settings):
    rows = generated(600, orders_of=2)
    engines = [create_engine(database_url, pool_size=2) for _ in range(2)]
    try:
        reports = await asyncio.gather(
            *(import_batches(e, settings, [rows], batch_rows=150) for e in engines)
        )
        assert (
            sorted(r.imported for r in reports)[1] + sorted(r.imported for r in reports)[0] == 600
        )
        assert sum(r.skipped_duplicate for r in reports) == 600
        assert await count(engines[0], OrderItem) == 600
        assert await count(engines[0], Order) == 300
        assert await count(engines[0], Product) == 7
        await assert_consistent(engines[0], settings.tz, settings.revenue_statuses)
    finally:
        for e in engines:
            await e.dispose()


class Crash(Exception):
    pass


async def test_a_failure_after_some_batches_then_a_rerun_gives_the_rows_of_one_import(
    engine, settings
):
    rows = generated(500)

    def crashing():
        # Rows come in fives of 100; the importer commits each 100 before it asks for more.
        for start in range(0, 500, 100):
            if start == 300:
                raise Crash("killed")
            yield rows[start : start + 100]

    import_id = await create_import(engine, "cli", file_name="sales.csv")
    with pytest.raises(Crash):
        await import_batches(engine, settings, crashing(), import_id=import_id, batch_rows=100)
    record = await read_import(engine, import_id)
    assert record.state == "failed" and "killed" in record.error
    committed = await count(engine, OrderItem)
    assert committed % 3 == 0 and 0 < committed <= 300
    assert record.rows_imported == committed
    await assert_consistent(engine, settings.tz, settings.revenue_statuses)

    rerun = await create_import(engine, "cli", file_name="sales.csv")
    report = await import_batches(engine, settings, [rows], import_id=rerun, batch_rows=100)
    assert report.imported == 500 - committed and report.skipped_duplicate == committed
    assert await count(engine, OrderItem) == 500
    assert await count(engine, ImportKey) == 500 + 500 // 3 + 1
    record = await read_import(engine, rerun)
    assert [row.id for row in await recent_imports(engine, 5)] == [rerun, import_id]
    assert (record.state, record.rows_read, record.rows_imported, record.percent) == (
        "succeeded",
        500,
        500 - committed,
        100.0,
    )
    await assert_consistent(engine, settings.tz, settings.revenue_statuses)


async def test_a_dry_run_reports_what_would_happen_and_changes_nothing(engine, settings):
    rows = generated(90)
    report = await import_batches(engine, settings, [rows], dry_run=True, batch_rows=40)
    assert report.imported == 90 and report.orders_created == 30 and report.created["products"] == 7
    assert await count(engine, Order) == 0 and await count(engine, Product) == 0


OVERVIEW = """query($start: Date!, $end: Date!) {
  salesOverview(period: CUSTOM, dateRange: {startDate: $start, endDate: $end}) {
    totalRevenue totalOrders
  }
}"""


async def test_the_api_answers_after_an_import_equal_a_recomputation_and_cache_goes_stale(
    database_url,
):
    rows = generated(240, start=datetime(2026, 3, 1, tzinfo=UTC))
    window = {"start": "2026-03-02", "end": "2026-03-05"}
    async with api_client(database_url, now=datetime(2026, 4, 1, tzinfo=UTC)) as client:
        app = client.app
        await post(client, OVERVIEW, window)
        cached, before = await post(client, OVERVIEW, window)
        assert cached == "HIT-L1" and before["data"]["salesOverview"]["totalOrders"] == 0
        report = await import_batches(
            app.state.engine, client.settings, [rows], cache=app.state.cache, batch_rows=100
        )
        assert report.imported == 240
        # The cached answer (no orders) is gone: the next one has the imported orders.
        _, body = await post(client, OVERVIEW, window)
        after = body["data"]["salesOverview"]
    first, last = date(2026, 3, 2), date(2026, 3, 5)
    orders: dict[str, int] = {}
    statuses: dict[str, str] = {}
    for row in rows:
        if first <= row.ordered_at.date() <= last:
            orders[row.order_id] = orders.get(row.order_id, 0) + row.amount_cents
            statuses[row.order_id] = row.status
    kept = {ref: total for ref, total in orders.items() if statuses[ref] == "COMPLETED"}
    assert after["totalOrders"] == len(kept)
    assert round(float(after["totalRevenue"]) * 100) == sum(kept.values())


async def test_an_import_is_followed_by_the_segments_job_and_a_dry_run_is_not(engine, settings):
    rows = generated(30)
    dry = await import_batches(engine, settings, [rows], dry_run=True)
    assert dry.imported == 30 and await follow_import(engine, settings, dry) is None
    report = await import_batches(engine, settings, [rows])
    assert report.imported == 30
    run = await follow_import(engine, settings, report)
    assert (run.job, run.trigger, run.outcome) == ("segments", "event", "succeeded")
    async with engine.connect() as conn:
        runs = (await conn.execute(select(JobRun.job, JobRun.trigger))).all()
    assert [tuple(r) for r in runs] == [("segments", "event")]
    again = await import_batches(engine, settings, [rows])
    assert again.skipped_duplicate == 30 and await follow_import(engine, settings, again) is None


async def test_the_measured_synthetic_stream_imports_every_row_once(engine, settings):
    measured = await measure_import(engine, settings, 3_000)
    report = measured.report
    assert (report.imported, report.orders_created, report.failed) == (3_000, 1_000, 0)
    assert report.created["products"] == 2_000 and report.created["categories"] == 40
    assert measured.rows_per_second > 0
    assert await count(engine, OrderItem) == 3_000
    await assert_consistent(engine, settings.tz, settings.revenue_statuses)


async def test_names_longer_than_their_columns_are_found_again(engine, settings):
    long_product, long_category = "Mug " * 70, "Kitchen " * 20
    first = await import_batches(
        engine, settings, [[sale(2, long_product, category=long_category)]]
    )
    second = await import_batches(
        engine, settings, [[sale(2, long_product.upper(), 900, category=long_category)]]
    )
    assert first.created["products"] == first.created["categories"] == 1
    assert second.imported == 1 and sum(second.created.values()) == 0
    async with engine.connect() as conn:
        name = await conn.scalar(select(Product.name))
    assert name == long_product.strip()[:200]


async def test_a_failure_inside_a_batch_leaves_the_batches_before_it_only(
    engine, settings, monkeypatch
):
    rows = generated(600)
    calls = []

    async def failing_third(session, changes, tz):
        calls.append(len(changes))
        if len(calls) == 3:  # the third batch's orders and items are written by now
            raise Crash("the database went away")
        await apply_order_changes(session, changes, tz)

    monkeypatch.setattr(load, "apply_order_changes", failing_third)
    with pytest.raises(Crash):
        await import_batches(engine, settings, [rows], batch_rows=151)
    # Batches of 150 rows (151 would split an order): two committed, the third rolled back.
    assert await count(engine, OrderItem) == 300 and await count(engine, Order) == 100
    assert await count(engine, ImportKey) == 300 + 100
    await assert_consistent(engine, settings.tz, settings.revenue_statuses)
    monkeypatch.undo()
    report = await import_batches(engine, settings, [rows], batch_rows=151)
    assert (report.imported, report.skipped_duplicate) == (300, 300)
    assert await count(engine, OrderItem) == 600
    await assert_consistent(engine, settings.tz, settings.revenue_statuses)


async def test_identical_rows_without_an_order_id_are_sales_each_and_skipped_each_again(
    engine, settings
):
    rows = [sale(line, "Cup", 300, customer_name="Jo") for line in range(2, 8)]
    rows.insert(3, sale(5, "Cup", 300, customer_name="Al"))
    first = await import_batches(engine, settings, [rows[:2], rows[2:]], batch_rows=100)
    assert (first.imported, first.orders_created) == (7, 7)
    # Cut differently, overlapping, with one more identical row: only that one is new.
    more = [*rows, sale(9, "Cup", 300, customer_name="Jo")]
    second = await import_batches(engine, settings, [more], batch_rows=3)
    assert (second.imported, second.skipped_duplicate) == (1, 7)
    assert await count(engine, Order) == 8
    await assert_consistent(engine, settings.tz, settings.revenue_statuses)


async def test_a_parsed_file_imported_answers_like_a_recomputation_from_the_file(
    database_url, tmp_path
):
    lines = ["Date,Order ID,Product,Qty,Line Total,Email,Status"]
    for order in range(60):
        day = date(2026, 3, 1 + order % 9)
        for line in range(1 + order % 3):
            status = "Refunded" if order % 11 == 4 else ""
            amount = f"{(order * 7 + line * 3) % 50 + 1}.{order % 100:02d}"
            lines.append(
                f"{day:%Y-%m-%d},S-{order},Item {line + order % 4},{1 + line},{amount},"
                f"b{order % 8}@example.com,{status}"
            )
    lines.append("2026-03-02,S-bad,Item 1,1,not money,x@example.com,")
    path = tmp_path / "sales.csv"
    path.write_text("\n".join(lines) + "\n")
    # Independently: completed revenue and orders of 2026-03-02..2026-03-05 from the text.
    totals: dict[str, int] = {}
    for text_line in lines[1:-1]:
        when, ref, _, _, amount, _, status = text_line.split(",")
        if "2026-03-02" <= when <= "2026-03-05" and not status:
            units, cents = amount.split(".")
            totals[ref] = totals.get(ref, 0) + int(units) * 100 + int(cents)
    settings = Settings(database_url=database_url, secret_key=SECRET)
    async with api_client(database_url, now=datetime(2026, 4, 1, tzinfo=UTC)) as client:
        with parse_sales(path, tz=settings.tz) as parsed:
            report = await import_batches(
                client.app.state.engine,
                settings,
                parsed.batches(),
                cache=client.app.state.cache,
                total_bytes=parsed.settings.size,
            )
        assert (report.rows_read, report.imported, report.failed) == (len(lines) - 1, 120, 1)
        assert report.errors[0].line == len(lines) and report.errors[0].column == "amount"
        window = {"start": "2026-03-02", "end": "2026-03-05"}
        overview = (await client.data(OVERVIEW, window))["salesOverview"]
    assert overview["totalOrders"] == len(totals)
    assert round(float(overview["totalRevenue"]) * 100) == sum(totals.values())


async def test_a_generated_sales_file_parses_and_imports_like_the_generated_rows(
    engine, settings, tmp_path
):
    path = tmp_path / "sales.csv"
    assert write_synthetic_csv(path, 900) == path.stat().st_size
    measured = await measure_file_import(engine, settings, path)
    report = measured.report
    assert (report.rows_read, report.imported, report.failed, report.orders_created) == (
        900,
        900,
        0,
        300,
    )
    expected = [row for batch in synthetic_batches(900) for row in batch]
    async with engine.connect() as conn:
        revenue = await conn.scalar(select(func.sum(Order.total_cents)))
    assert revenue == sum(row.amount_cents for row in expected)
    await assert_consistent(engine, settings.tz, settings.revenue_statuses)


async def test_items_checked_per_batch_on_postgres_fail_on_a_missing_order(engine, settings):
    """PostgreSQL: the batch's one reference check stands for the per-row foreign keys it
    turns off, and turns them on again."""
    if not is_postgres(engine):
        pytest.skip("SQLite keeps its per-row foreign keys")
    await import_batches(engine, settings, [[sale(2, "Mug", 1_000, order_id="O-1")]])
    async with engine.connect() as conn:
        order_id, at = (await conn.execute(select(Order.id, Order.ordered_at))).one()
        product_id = await conn.scalar(select(Product.id))
    item = (order_id, at, product_id, 1, 100, 0)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        assert await may_check_items_per_batch(session)
        await insert_items(
            session, OrderItem.__table__, ITEM_COLUMNS, [(1_000, *item)], per_batch=True
        )
        role = await session.scalar(text("SELECT current_setting('session_replication_role')"))
        assert role == "origin"
        await session.rollback()
    for missing in [(1_001, order_id + 1, *item[1:]), (1_002, *item[:2], product_id + 1, 1, 1, 0)]:
        with pytest.raises(MissingReference):
            async with sessions() as session, session.begin():
                await insert_items(
                    session, OrderItem.__table__, ITEM_COLUMNS, [missing], per_batch=True
                )
    assert await count(engine, OrderItem) == 1
