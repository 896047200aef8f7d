from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TypeVar

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Inspector, inspect, select, text
from sqlalchemy.exc import IntegrityError

from shopx.calendar import add_months, month_start
from shopx.db.engine import create_engine
from shopx.db.migrate import (
    current_revision,
    downgrade,
    head_revision,
    include_name,
    include_object,
    upgrade_async,
)
from shopx.db.models import Product
from shopx.db.partitions import (
    ensure_partitions,
    existing_partitions,
    months_between,
    partition_name,
)
from shopx.db.search import text_match
from shopx.metadata import metadata

T = TypeVar("T")

TABLES = {
    "categories",
    "products",
    "customers",
    "sales_representatives",
    "orders",
    "order_items",
    "rollup_sales_daily",
    "data_version",
    "users",
    "refresh_tokens",
    "job_runs",
    "alerts",
    "reports",
    "demo_seed",
    "demo_batches",
    "imports",
    "import_keys",
    "import_errors",
}


async def _inspected(url: str, look: Callable[[Inspector], T]) -> T:
    """What ``look`` finds with SQLAlchemy's inspector on the database at ``url``."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(lambda c: look(inspect(c)))
    finally:
        await engine.dispose()


async def _table_names(url: str) -> set[str]:
    return set(await _inspected(url, lambda inspector: inspector.get_table_names()))


async def test_upgrade_from_empty_builds_every_table_and_is_idempotent(empty_database_url):
    await upgrade_async(empty_database_url)
    first = await _table_names(empty_database_url)
    await upgrade_async(empty_database_url)

    assert first >= TABLES
    assert await _table_names(empty_database_url) == first
    engine = create_engine(empty_database_url)
    assert await current_revision(engine) == head_revision()
    await engine.dispose()


async def _item_sales(url: str, column: str) -> list[tuple[str, int]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text(
                    f"SELECT 'product', {column} FROM rollup_product_monthly UNION ALL"
                    f" SELECT 'sales', {column} FROM rollup_sales_daily"
                )
            )
            return sorted(rows.all())
    finally:
        await engine.dispose()


async def test_the_item_sales_column_is_renamed_keeping_its_rows(empty_database_url):
    url = empty_database_url
    await upgrade_async(url, "0004")
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO rollup_product_monthly (month, status, product_id, orders,"
                    " units, item_revenue_cents, cost_cents)"
                    " VALUES ('2026-11-01', 'COMPLETED', 1, 1, 2, 500, 300)"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO rollup_sales_daily (day, status, region, payment_mode,"
                    " discount_cents, revenue_cents, orders, units, item_revenue_cents,"
                    " cost_cents) VALUES ('2026-11-02', 'COMPLETED', '', '', 50, 450, 1, 2,"
                    " 500, 300)"
                )
            )
    finally:
        await engine.dispose()
    kept = [("product", 500), ("sales", 500)]

    await upgrade_async(url, "0005")
    assert await _item_sales(url, "item_sales_cents") == kept

    await asyncio.to_thread(downgrade, url, "0004")
    assert await _item_sales(url, "item_revenue_cents") == kept


async def test_the_users_tables_come_and_go_with_their_migration(empty_database_url):
    url = empty_database_url
    await upgrade_async(url, "0006")
    assert {"users", "refresh_tokens"} <= await _table_names(url)
    await asyncio.to_thread(downgrade, url, "0005")
    assert not {"users", "refresh_tokens"} & await _table_names(url)
    await upgrade_async(url)
    assert {"users", "refresh_tokens"} <= await _table_names(url)


async def test_alerts_reports_and_the_queued_outcome_come_and_go_with_0008(empty_database_url):
    url = empty_database_url
    await upgrade_async(url, "0008")
    assert {"alerts", "reports"} <= await _table_names(url)
    engine = create_engine(url)
    opened = {"o": datetime(2026, 11, 30, tzinfo=UTC)}
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO job_runs (job, trigger, started_at, outcome)"
                    " VALUES ('segments', 'manual', :o, 'queued')"
                ),
                opened,
            )
            insert_alert = text(
                "INSERT INTO alerts (kind, subject, message, opened_at)"
                " VALUES ('low_stock', 'product:1', 'low', :o)"
            )
            await conn.execute(insert_alert, opened)
        with pytest.raises(IntegrityError):  # a second open alert for the same subject
            async with engine.begin() as conn:
                await conn.execute(insert_alert, opened)
        async with engine.begin() as conn:  # once closed, the subject may open again
            await conn.execute(text("UPDATE alerts SET closed_at = :o"), opened)
            await conn.execute(insert_alert, opened)
    finally:
        await engine.dispose()
    await asyncio.to_thread(downgrade, url, "0007")
    assert not {"alerts", "reports"} & await _table_names(url)
    await upgrade_async(url)


async def test_the_demo_record_comes_and_goes_with_0009_and_holds_one_row(empty_database_url):
    url = empty_database_url
    await upgrade_async(url, "0009")
    assert {"demo_seed", "demo_batches"} <= await _table_names(url)
    engine = create_engine(url)
    row = {"at": datetime(2026, 11, 30, tzinfo=UTC)}
    insert = (
        "INSERT INTO demo_seed (id, scale, random_seed, seeded_until, reached_at)"
        " VALUES ({id}, 'S', 7, :at, :at)"
    )
    try:
        async with engine.begin() as conn:
            await conn.execute(text(insert.format(id=1)), row)
        with pytest.raises(IntegrityError):  # one record per database
            async with engine.begin() as conn:
                await conn.execute(text(insert.format(id=2)), row)
    finally:
        await engine.dispose()
    await asyncio.to_thread(downgrade, url, "0008")
    assert not {"demo_seed", "demo_batches"} & await _table_names(url)
    await upgrade_async(url)


async def test_imports_and_their_keys_come_and_go_with_0011_and_a_key_is_written_once(
    empty_database_url,
):
    url = empty_database_url
    await upgrade_async(url, "0011")
    assert {"imports", "import_keys"} <= await _table_names(url)
    engine = create_engine(url)
    insert = "INSERT INTO import_keys (fingerprint, order_id) VALUES (:key, :order)"
    try:
        async with engine.begin() as conn:
            await conn.execute(text(insert), {"key": b"k" * 16, "order": 1})
        with pytest.raises(IntegrityError):
            async with engine.begin() as conn:
                await conn.execute(text(insert), {"key": b"k" * 16, "order": 2})
        with pytest.raises(IntegrityError):  # a source the API does not know
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO imports (source) VALUES ('fax')"))
    finally:
        await engine.dispose()
    await asyncio.to_thread(downgrade, url, "0010")
    assert not {"imports", "import_keys"} & await _table_names(url)
    await upgrade_async(url)


async def test_0012_keeps_import_errors_with_their_import_and_backfills_the_heartbeat(
    empty_database_url,
):
    url = empty_database_url
    await upgrade_async(url, "0011")
    engine = create_engine(url)
    started = "INSERT INTO imports (source, state, started_at) VALUES ('cli', 'running', :at)"
    error = "INSERT INTO import_errors (import_id, line, reason) VALUES (:id, :line, 'bad')"
    try:
        async with engine.begin() as conn:
            await conn.execute(text(started), {"at": datetime(2026, 11, 1, tzinfo=UTC)})
        await upgrade_async(url, "0012")
        async with engine.begin() as conn:
            beat = await conn.scalar(text("SELECT updated_at FROM imports"))
            assert str(beat).startswith("2026-11-01")
            import_id = await conn.scalar(text("SELECT id FROM imports"))
            for line in (3, 2):
                await conn.execute(text(error), {"id": import_id, "line": line})
        with pytest.raises(IntegrityError):  # an error of no import
            async with engine.begin() as conn:
                await conn.execute(text(error), {"id": import_id + 1, "line": 2})
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM imports"))
            assert await conn.scalar(text("SELECT count(*) FROM import_errors")) == 0
    finally:
        await engine.dispose()
    await asyncio.to_thread(downgrade, url, "0011")
    assert "import_errors" not in await _table_names(url)
    await upgrade_async(url)


async def test_sheets_come_and_go_with_0013_and_a_source_is_registered_once(
    empty_database_url,
):
    url = empty_database_url
    await upgrade_async(url, "0013")
    assert "sheets" in await _table_names(url)
    engine = create_engine(url)
    insert = "INSERT INTO sheets (name, kind, source) VALUES ('s', :kind, :source)"
    try:
        async with engine.begin() as conn:
            await conn.execute(text(insert), {"kind": "csv_url", "source": "http://a/b.csv"})
        with pytest.raises(IntegrityError):
            async with engine.begin() as conn:
                await conn.execute(text(insert), {"kind": "csv_url", "source": "http://a/b.csv"})
        with pytest.raises(IntegrityError):  # a kind the API does not know
            async with engine.begin() as conn:
                await conn.execute(text(insert), {"kind": "ftp", "source": "ftp://a/b.csv"})
    finally:
        await engine.dispose()
    await asyncio.to_thread(downgrade, url, "0012")  # 0013's down revision
    assert "sheets" not in await _table_names(url)
    await upgrade_async(url)


async def test_0010_and_0014_index_the_products_there_keep_step_with_writes_and_go(
    empty_database_url,
):
    url = empty_database_url
    await upgrade_async(url, "0009")
    engine = create_engine(url)
    ids = select(Product.id).where(text_match("kett")).order_by(Product.id)
    accented = select(Product.id).where(text_match("CREME brulee")).order_by(Product.id)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO categories (id, name) VALUES (1, 'Kitchen')"))
            for product_id, name in [(1, "Acme Kettle"), (2, "Acme Toaster"), (3, "Crème Brûlée")]:
                await conn.execute(
                    text(
                        "INSERT INTO products (id, sku, name, category_id, cost_price_cents,"
                        " selling_price_cents) VALUES (:id, :sku, :name, 1, 100, 200)"
                    ),
                    {"id": product_id, "sku": f"SKU-{product_id}", "name": name},
                )
        await upgrade_async(url, "0014")  # the search as it is now: 0010, accents by 0014
        async with engine.begin() as conn:
            assert (await conn.execute(ids)).scalars().all() == [1]  # indexed as it was
            assert (await conn.execute(accented)).scalars().all() == [3]
            await conn.execute(text("UPDATE products SET name = 'Acme Kettle Pro' WHERE id = 2"))
            await conn.execute(text("DELETE FROM products WHERE id = 1"))
            await conn.execute(text("UPDATE products SET name = 'Crème Caramel' WHERE id = 3"))
            assert (await conn.execute(ids)).scalars().all() == [2]
            assert (await conn.execute(accented)).scalars().all() == []
    finally:
        await engine.dispose()
    await asyncio.to_thread(downgrade, url, "0009")
    assert not {name for name in await _table_names(url) if name.startswith("products_fts")}
    await upgrade_async(url)


async def _indexes(url: str, table: str = "orders") -> dict[str, list[str]]:
    found = await _inspected(url, lambda inspector: inspector.get_indexes(table))
    return {index["name"]: index["column_names"] for index in found}


async def test_0017_widens_the_reps_index_to_cover_their_customers_and_narrows_it_back(
    empty_database_url,
):
    url = empty_database_url
    covering = "ix_orders_sales_rep_id_ordered_at_status_customer_id"
    narrow = "ix_orders_sales_rep_id_ordered_at"
    await upgrade_async(url, "0017")
    indexes = await _indexes(url)
    assert indexes[covering] == ["sales_rep_id", "ordered_at", "status", "customer_id"]
    assert narrow not in indexes

    await asyncio.to_thread(downgrade, url, "0016")
    indexes = await _indexes(url)
    assert indexes[narrow] == ["sales_rep_id", "ordered_at"]
    assert covering not in indexes
    await upgrade_async(url)


async def test_0018_ranks_the_product_rollups_by_item_sales_and_goes(empty_database_url):
    url = empty_database_url
    ranked = {
        "rollup_product_monthly": "ix_rollup_product_monthly_month_status_item_sales_cents",
        "rollup_product_yearly": "ix_rollup_product_yearly_year_status_item_sales_cents",
    }
    await upgrade_async(url, "0018")
    for table, name in ranked.items():
        columns = (await _indexes(url, table))[name]
        assert columns[1:] == ["status", "item_sales_cents", "product_id"]

    await asyncio.to_thread(downgrade, url, "0017")
    for table, name in ranked.items():
        assert name not in await _indexes(url, table)
    await upgrade_async(url)


async def _primary_key(url: str, table: str) -> dict:
    return dict(await _inspected(url, lambda inspector: inspector.get_pk_constraint(table)))


async def test_0024_carries_the_customers_in_the_customer_days_key_on_postgres_and_goes(
    empty_database_url, dialect
):
    url = empty_database_url
    await upgrade_async(url, "0024")
    key = await _primary_key(url, "rollup_customer_gaps")
    assert key["constrained_columns"] == ["status", "day", "since"]
    included = ["customers"] if dialect == "postgres" else []
    assert key.get("dialect_options", {}).get("postgresql_include", []) == included

    await asyncio.to_thread(downgrade, url, "0023")
    key = await _primary_key(url, "rollup_customer_gaps")
    assert key["constrained_columns"] == ["status", "day", "since"]
    assert key.get("dialect_options", {}).get("postgresql_include", []) == []
    await upgrade_async(url)


# SQLite cannot reflect an expression index (products' lower(sku)), so alembic skips it
# there; test_input_hygiene shows the index refusing case-variant SKUs on both dialects.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
async def test_models_match_migrations(engine, dialect):
    def diff(sync_conn):
        opts = {
            "compare_type": True,
            "include_name": include_name,
            "include_object": include_object,
        }
        context = MigrationContext.configure(sync_conn, opts=opts)
        return compare_metadata(context, metadata)

    async with engine.connect() as conn:
        changes = await conn.run_sync(diff)
    if dialect == "postgres":
        changes = [c for c in changes if _name(c) not in POSTGRES_ONLY]
    assert changes == []


# What the migration does differently on PostgreSQL: a trigram index on product names,
# and the item -> order key includes the partition key.
POSTGRES_ONLY = {"ix_products_name_trgm", "fk_order_items_order_id_orders"}


def _name(change) -> str | None:
    return getattr(change[1], "name", None)


def test_months_between_spans_year_boundary():
    assert months_between(date(2025, 11, 17), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


@pytest.mark.parametrize("dialect", ["postgres"], indirect=True)
async def test_partitions_cover_span_and_move_rows_out_of_default(engine):
    async with engine.begin() as conn:
        for statement in (
            "INSERT INTO categories (id, name) VALUES (1, 'c')",
            "INSERT INTO products (id, sku, name, category_id, cost_price_cents,"
            " selling_price_cents) VALUES (1, 's', 'p', 1, 100, 200)",
            "INSERT INTO customers (id, name, email) VALUES (1, 'n', 'n@x.io')",
        ):
            await conn.execute(text(statement))
        old = datetime(2020, 3, 15, 12, tzinfo=UTC)
        await conn.execute(
            text(
                "INSERT INTO orders (id, customer_id, ordered_at, status, total_cents)"
                " VALUES (1, 1, :t, 'COMPLETED', 200)"
            ),
            {"t": old},
        )
        await conn.execute(
            text(
                "INSERT INTO order_items (id, order_id, ordered_at, product_id, quantity,"
                " unit_price_cents, unit_cost_cents) VALUES (1, 1, :t, 1, 1, 200, 100)"
            ),
            {"t": old},
        )

    today = date(2026, 11, 21)
    async with engine.begin() as conn:
        created = await conn.run_sync(lambda c: ensure_partitions(c, today=today))
    async with engine.begin() as conn:
        again = await conn.run_sync(lambda c: ensure_partitions(c, today=today))

    assert again == []
    # The migrations made this month's partitions and three ahead when the schema was
    # created (the real today), and the call above those of its pinned today.
    newest = max(today, datetime.now(UTC).date())
    expected = months_between(date(2020, 3, 1), add_months(month_start(newest), 3))
    assert partition_name("orders", date(2020, 3, 1)) in created
    async with engine.connect() as conn:
        have = await conn.run_sync(lambda c: existing_partitions(c, "order_items"))
        assert have == {partition_name("order_items", m) for m in expected} | {
            "order_items_default"
        }
        for table in ("orders", "order_items"):
            where = await conn.execute(text(f"SELECT tableoid::regclass::text FROM {table}"))
            assert where.scalar_one() == partition_name(table, date(2020, 3, 1))
        count = await conn.execute(
            text("SELECT count(*) FROM order_items JOIN orders ON orders.id = order_items.order_id")
        )
        assert count.scalar_one() == 1
