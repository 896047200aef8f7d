from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import CheckConstraint, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.analytics.reporting import ReportingRules
from shopx.config import get_settings
from shopx.customers.segments import recompute_segments
from shopx.db.columns import sqlite_timestamp_text
from shopx.db.engine import create_engine
from shopx.db.models import Base, Segment
from shopx.db.partitions import is_partition
from shopx.seed import SCALES, DatabaseNotEmpty, SeedReport, seed_database
from shopx.seed.load_sqlite import timestamp_texts
from shopx.seed.schema import TABLES
from tests.api import api_client
from tests.mutations import CREATE_ORDER, order_input
from tests.services import POSTGRES_ADMIN_URL, need
from tests.test_mutations_catalog import CREATE_CATEGORY, CREATE_PRODUCT, product_input
from tests.test_mutations_customers import CREATE_CUSTOMER, CREATE_REP

DIALECTS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
TODAY = date(2026, 11, 21)
MIDNIGHT = datetime(2026, 11, 21, tzinfo=UTC)
UNTIL = datetime(2026, 11, 21, 15, 30, 12, 345678, tzinfo=UTC)
MONEY = {
    "products": ("cost_price_cents", "selling_price_cents"),
    "customers": ("lifetime_value_cents",),
    "orders": ("discount_cents", "total_cents"),
    "order_items": ("unit_price_cents", "unit_cost_cents"),
}


async def dump(engine) -> dict[str, list[tuple]]:
    async with engine.connect() as conn:
        return {
            table: [
                tuple(row) for row in await conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))
            ]
            for table in TABLES
        }


async def scalar(conn, sql: str, **params):
    return (await conn.execute(text(sql), params)).scalar()


async def test_same_seed_and_until_give_the_same_rows_and_another_seed_other_rows(engine):
    await seed_database(engine, SCALES["XS"], random_seed=42, until=UNTIL)
    first = await dump(engine)
    await seed_database(engine, SCALES["XS"], random_seed=42, until=UNTIL, force=True)
    again = await dump(engine)
    await seed_database(engine, SCALES["XS"], random_seed=7, until=UNTIL, force=True)
    other = await dump(engine)

    assert again == first
    assert {table: len(rows) for table, rows in first.items()} == {
        "categories": 50, "products": 50, "customers": 80, "sales_representatives": 5,
        "orders": 600, "order_items": len(first["order_items"]),
    }  # fmt: skip
    assert other["orders"] != first["orders"]
    assert other["customers"] != first["customers"]


async def test_today_means_the_start_of_that_utc_day(engine):
    report = await seed_database(engine, SCALES["XS"], today=TODAY)
    from_today = await dump(engine)
    await seed_database(engine, SCALES["XS"], until=MIDNIGHT, force=True)

    assert report.until == MIDNIGHT
    assert await dump(engine) == from_today
    assert max(_aware(row[3]) for row in from_today["orders"]) < MIDNIGHT


async def test_a_database_with_data_is_refused_and_left_alone(engine):
    started = datetime.now(UTC)
    report = await seed_database(engine, SCALES["XS"])
    before = await dump(engine)

    with pytest.raises(DatabaseNotEmpty, match="not empty"):
        await seed_database(engine, SCALES["XS"], random_seed=7)

    assert await dump(engine) == before
    assert started <= report.until <= datetime.now(UTC)
    assert max(_aware(row[3]) for row in before["orders"]) < report.until


@dataclass(frozen=True)
class Seeded:
    engine: AsyncEngine
    dialect: str
    report: SeedReport


@pytest.fixture(scope="module", params=DIALECTS)
async def seeded(request, tmp_path_factory, sqlite_template, postgres_databases):
    """One database per dialect seeded at scale S, shared by the tests that only read it."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("seeded") / "shopx.db"
        shutil.copyfile(sqlite_template, path)
        url = f"sqlite+aiosqlite:///{path}"
    else:
        need("PostgreSQL", POSTGRES_ADMIN_URL)
        name = await postgres_databases.migrated()
        url = make_url(POSTGRES_ADMIN_URL).set(drivername="postgresql+asyncpg", database=name)
        url = url.render_as_string(hide_password=False)
    engine = create_engine(url, pool_size=2)
    report = await seed_database(engine, SCALES["S"], until=UNTIL)
    yield Seeded(engine, request.param, report)
    await engine.dispose()


async def test_order_totals_are_item_sums_less_discount(seeded):
    async with seeded.engine.connect() as conn:
        wrong = await scalar(
            conn,
            "SELECT count(*) FROM orders o LEFT JOIN ("
            "  SELECT order_id, sum(quantity * unit_price_cents) AS subtotal, count(*) AS lines"
            "  FROM order_items GROUP BY order_id) i ON i.order_id = o.id"
            " WHERE i.lines IS NULL OR o.total_cents <> i.subtotal - o.discount_cents"
            " OR o.discount_cents > i.subtotal",
        )
        discounted = await scalar(
            conn, "SELECT avg(CASE WHEN discount_cents > 0 THEN 1.0 ELSE 0 END) FROM orders"
        )
    assert wrong == 0
    assert 0.12 < discounted < 0.18


async def test_an_order_lists_each_product_once(seeded):
    async with seeded.engine.connect() as conn:
        repeated = await scalar(
            conn,
            "SELECT count(*) FROM (SELECT order_id, product_id FROM order_items"
            " GROUP BY order_id, product_id HAVING count(*) > 1) AS repeats",
        )
    assert repeated == 0


async def test_items_carry_their_orders_time_and_nothing_is_after_until(seeded):
    async with seeded.engine.connect() as conn:
        mismatched = await scalar(
            conn,
            "SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id"
            " WHERE o.ordered_at <> i.ordered_at",
        )
        span = (
            await conn.execute(text("SELECT min(ordered_at), max(ordered_at) FROM orders"))
        ).one()
        placed = (await conn.execute(text("SELECT ordered_at FROM orders"))).scalars()
        placed_today = sum(_aware(moment) >= MIDNIGHT for moment in placed)
    oldest, newest = (_aware(value) for value in span)
    assert mismatched == 0
    assert MIDNIGHT - timedelta(days=730) <= oldest and newest < UNTIL
    assert newest > UNTIL - timedelta(hours=2)
    assert placed_today > 5


def _aware(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def test_money_is_integer_cents(seeded):
    async with seeded.engine.connect() as conn:
        for table, columns in MONEY.items():
            row = (
                await conn.execute(text(f"SELECT {', '.join(columns)} FROM {table} LIMIT 1"))
            ).one()
            assert all(type(value) is int for value in row), table
            if seeded.dialect == "sqlite":
                for column in columns:
                    kinds = await conn.execute(
                        text(f"SELECT DISTINCT typeof({column}) FROM {table}")
                    )
                    assert set(kinds.scalars()) == {"integer"}, (table, column)


async def test_rows_meet_every_check_and_key(seeded):
    async with seeded.engine.connect() as conn:
        for table in TABLES:
            checks = [
                c for c in Base.metadata.tables[table].constraints if isinstance(c, CheckConstraint)
            ]
            for check in checks:
                broken = await scalar(
                    conn, f"SELECT count(*) FROM {table} WHERE NOT ({check.sqltext})"
                )
                assert broken == 0, check.name
        if seeded.dialect == "sqlite":
            assert (await conn.execute(text("PRAGMA foreign_key_check"))).all() == []


async def test_customer_statistics_count_recognised_orders_only(seeded):
    recognised = ", ".join(f"'{status}'" for status in get_settings().revenue_statuses)
    async with seeded.engine.connect() as conn:
        wrong = await scalar(
            conn,
            "SELECT count(*) FROM customers c LEFT JOIN ("
            "  SELECT customer_id, count(*) AS n, min(ordered_at) AS f, max(ordered_at) AS l,"
            f"  sum(total_cents) AS v FROM orders WHERE status IN ({recognised})"
            "  GROUP BY customer_id) s ON s.customer_id = c.id"
            " WHERE c.order_count <> coalesce(s.n, 0) OR c.lifetime_value_cents <> coalesce(s.v, 0)"
            " OR NOT (c.first_order_at = s.f OR (c.first_order_at IS NULL AND s.f IS NULL))"
            " OR NOT (c.last_order_at = s.l OR (c.last_order_at IS NULL AND s.l IS NULL))",
        )
        with_other_orders = await scalar(
            conn,
            "SELECT count(*) FROM customers c WHERE c.order_count <"
            " (SELECT count(*) FROM orders o WHERE o.customer_id = c.id)",
        )
    assert wrong == 0
    assert with_other_orders > 0


async def test_segments_are_the_rfm_segments_as_of_until_and_all_occur(seeded):
    segments_sql = text("SELECT id, segment FROM customers")
    async with seeded.engine.connect() as conn:
        stored = dict((await conn.execute(segments_sql)).all())
        recomputed = await recompute_segments(conn, UNTIL, ReportingRules.of(get_settings()))
        again = dict((await conn.execute(segments_sql)).all())
        await conn.rollback()
    assert again == stored
    assert seeded.report.segments == {str(name): count for name, count in recomputed.items()}
    assert set(stored.values()) == {segment.value for segment in Segment}


async def test_statuses_and_reps_come_in_plausible_shares(seeded):
    async with seeded.engine.connect() as conn:
        rows = await conn.execute(text("SELECT status, count(*) FROM orders GROUP BY status"))
        share = {status: count / 20_000 for status, count in rows}
        with_rep = await scalar(conn, "SELECT count(sales_rep_id) FROM orders") / 20_000
        oldest_open = await scalar(
            conn, "SELECT min(ordered_at) FROM orders WHERE status IN ('PENDING', 'PROCESSING')"
        )
    assert 0.04 < share["CANCELLED"] < 0.065
    assert 0.005 < share["REFUNDED"] < 0.02
    assert 0 < share["PENDING"] + share["PROCESSING"] < 0.03
    assert share["COMPLETED"] > 0.9
    assert _aware(oldest_open) > UNTIL - timedelta(days=30)
    assert 0.25 < with_rep < 0.35


async def test_rollups_are_rebuilt_from_the_seeded_rows(seeded):
    async with seeded.engine.connect() as conn:
        from_rollups = await scalar(
            conn, "SELECT sum(revenue_cents) FROM rollup_sales_daily WHERE status = 'COMPLETED'"
        )
        from_orders = await scalar(
            conn, "SELECT sum(total_cents) FROM orders WHERE status = 'COMPLETED'"
        )
    assert from_rollups == from_orders > 0


async def test_seeding_puts_back_every_index_and_key(engine, dialect):
    before = await schema_snapshot(engine, dialect)
    await seed_database(engine, SCALES["XS"], today=TODAY)
    assert await schema_snapshot(engine, dialect) == before


async def test_rows_created_after_seeding_take_ids_past_the_seeded_ones(database_url, engine):
    """The loaders write ids themselves; a sequence left behind gave a unique violation."""
    await seed_database(engine, SCALES["XS"], today=TODAY)
    largest = await _largest_ids(engine)
    async with api_client(database_url) as client:
        category = (await client.data(CREATE_CATEGORY, {"input": {"name": "Socks"}}))[
            "createCategory"
        ]
        made = {
            "categories": category,
            "products": await client.data(
                CREATE_PRODUCT,
                {"input": product_input(int(category["id"]), sku="NEW-1", stockQuantity=5)},
            ),
            "customers": await client.data(
                CREATE_CUSTOMER, {"input": {"name": "Ann", "email": "ann@new.example"}}
            ),
            "sales_representatives": await client.data(
                CREATE_REP, {"input": {"name": "Bo", "email": "bo@new.example"}}
            ),
        }
        made = {table: _only(value)["id"] for table, value in made.items()}
        made["orders"] = _only(
            await client.data(
                CREATE_ORDER, {"input": order_input(int(made["customers"]), (made["products"], 1))}
            )
        )["id"]
    assert {table: int(made[table]) > largest[table] for table in made} == dict.fromkeys(made, True)


def _only(value: dict) -> dict:
    """The one field of a mutation's data, or the value itself if it is a row already."""
    return next(iter(value.values())) if "id" not in value else value


async def _largest_ids(engine) -> dict[str, int]:
    async with engine.connect() as conn:
        return {
            table: (await conn.execute(text(f"SELECT max(id) FROM {table}"))).scalar()
            for table in TABLES
        }


async def schema_snapshot(engine, dialect) -> set[tuple]:
    if dialect == "sqlite":
        sql = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    else:
        sql = (
            "SELECT 'index', tablename, indexname, indexdef FROM pg_indexes"
            " WHERE schemaname = 'public' UNION ALL"
            " SELECT 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conparentid = 0"
        )
    async with engine.connect() as conn:
        rows = {tuple(row) for row in await conn.execute(text(sql))}
    return {row for row in rows if dialect == "sqlite" or not is_partition(row[1])}


def test_sqlite_timestamps_are_written_as_sqlalchemy_writes_them():
    moments = [
        datetime(2025, 3, 9, 7, 5, 3, tzinfo=UTC),
        datetime(2026, 12, 31, 23, 59, 59, 120, tzinfo=UTC),
    ]
    column = np.array([m.replace(tzinfo=None) for m in moments] + [None], dtype="datetime64[us]")
    assert timestamp_texts(column) == [*map(sqlite_timestamp_text, moments), None]
    assert timestamp_texts(column[:1]) == [sqlite_timestamp_text(moments[0])]
