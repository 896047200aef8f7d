"""``demo-roll-forward``: a seeded demo reaches now, like the seed and consistently; any
other database is left alone."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import func, select, text, update

from shopx.cache.runtime import CacheRuntime, outside_cache
from shopx.columnar.tables import Categorical
from shopx.config import Settings
from shopx.db.engine import session_factory
from shopx.db.models import DemoBatch, DemoSeed, Order, OrderItem, Product, item_order_join
from shopx.db.writes import writer_lock
from shopx.errors import BadInput
from shopx.jobs import demo
from shopx.jobs.context import JobContext
from shopx.jobs.demo import demo_roll_forward
from shopx.seed import SCALES, roll_forward, seed_database
from shopx.seed.dataset import generate_dataset
from shopx.seed.extension import Shop, habits, orders_between
from shopx.seed.roll_forward import read_shop
from tests.api import api_client
from tests.consistency import assert_consistent, snapshot
from tests.mutations import CREATE_ORDER, order_input
from tests.test_mutations_catalog import CREATE_CATEGORY, CREATE_PRODUCT, product_input
from tests.test_mutations_customers import CREATE_CUSTOMER

SEEDED = datetime(2026, 11, 14, 10, 20, tzinfo=UTC)
WEEK_LATER = SEEDED + timedelta(days=7, hours=11, minutes=47)
TODAY_ORDERS = "{ salesOverview(period: TODAY) { totalOrders } }"
PINNED_XS_DIGEST = "0da5647ecaab4d3034e36b010a365d3ae01215bd6987acd2b3afd63492ffd5d8"


def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key="test-secret-" + "x" * 32)


async def run(engine, database_url: str, now: datetime, cache: CacheRuntime | None = None):
    ctx = JobContext(engine, session_factory(engine), settings(database_url), cache, now)
    return await demo_roll_forward(ctx)


async def orders_and_record(engine) -> tuple[list[tuple], DemoSeed | None]:
    async with session_factory(engine)() as session:
        orders = await session.execute(
            select(Order.id, Order.ordered_at, Order.status, Order.total_cents).order_by(Order.id)
        )
        return [tuple(row) for row in orders], await session.get(DemoSeed, 1)


async def test_a_week_later_the_demo_reaches_now_and_stays_consistent(engine, database_url):
    await seed_database(engine, SCALES["S"], random_seed=7, until=SEEDED)
    before, record = await orders_and_record(engine)
    assert (record.scale, record.random_seed, record.reached_at) == ("S", 7, SEEDED)
    async with api_client(database_url, now=WEEK_LATER) as client:
        assert (await client.data(TODAY_ORDERS))["salesOverview"]["totalOrders"] == 0
        async with outside_cache(settings(database_url), session_factory(engine)) as cache:
            result = await run(engine, database_url, WEEK_LATER, cache)
        # The serving app's cached empty answer went stale with the job's write.
        assert (await client.data(TODAY_ORDERS))["salesOverview"]["totalOrders"] > 0

    after, record = await orders_and_record(engine)
    new = after[len(before) :]
    assert record.reached_at == WEEK_LATER
    assert result.rows >= len(new) > 200  # the seed's volume: some 40 orders a day at S
    assert all(SEEDED <= placed < WEEK_LATER for _, placed, _, _ in new)
    assert [placed for _, placed, _, _ in new] == sorted(placed for _, placed, _, _ in new)
    assert max(placed for _, placed, _, _ in new) > WEEK_LATER - timedelta(hours=6)
    recent = [status for _, placed, status, _ in new if placed > WEEK_LATER - timedelta(hours=6)]
    assert {"PENDING", "PROCESSING"} & set(recent)
    older = [status for _, placed, status, _ in new if placed < SEEDED + timedelta(days=2)]
    assert older.count("COMPLETED") > 0.6 * len(older) > older.count("PENDING")
    # The seed's open orders moved on as they aged: few are still open a week later.
    still_open = [row for row in after[: len(before)] if row[2] in ("PENDING", "PROCESSING")]
    assert len(still_open) < sum(row[2] in ("PENDING", "PROCESSING") for row in before)
    await assert_consistent(engine)
    async with session_factory(engine)() as session:
        batches = (
            await session.execute(select(DemoBatch.first_order_id, DemoBatch.last_order_id))
        ).all()
    ranges = sorted(tuple(batch) for batch in batches)  # the seed's, then one per step
    assert ranges[0] == (1, len(before)) and ranges[-1][1] == len(after)
    assert all(prev[1] + 1 == nxt[0] for prev, nxt in itertools.pairwise(ranges))


async def test_a_second_run_at_the_same_moment_adds_nothing(engine, database_url):
    await seed_database(engine, SCALES["XS"], random_seed=3, until=SEEDED)
    await run(engine, database_url, WEEK_LATER)
    once = await snapshot(engine)

    again = await run(engine, database_url, WEEK_LATER)

    assert (again.rows, await snapshot(engine)) == (0, once)


async def test_the_shop_is_read_once_before_the_writers_turns(engine, database_url, monkeypatch):
    """Reading the seeded customers, products and reps took a second of every step's
    write at scale M: a run reads them once, before its first write."""
    await seed_database(engine, SCALES["XS"], random_seed=4, until=SEEDED)
    in_turn: list[bool] = []

    async def watched(session, scale: str) -> Shop:
        in_turn.append(writer_lock(engine).locked())
        return await read_shop(session, scale)

    monkeypatch.setattr(demo, "read_shop", watched)
    monkeypatch.setattr(roll_forward, "read_shop", watched)

    result = await run(engine, database_url, SEEDED + timedelta(days=20))

    assert result.rows > 0 and "reaches 2026-12-04 10:20" in result.detail
    assert in_turn == [False]  # three steps of a week or less, one read
    await assert_consistent(engine)


async def test_hourly_runs_add_what_one_run_adds(engine, database_url):
    """Each day is drawn whole from its own stream and cut to the window: the orders do not
    depend on how the runs cut the time."""
    await seed_database(engine, SCALES["XS"], random_seed=5, until=SEEDED)
    end = SEEDED + timedelta(days=2)
    async with session_factory(engine)() as session:
        shop = await read_shop(session, "XS")
    whole = orders_between(habits("XS", 5, SEEDED), shop, 5, SEEDED, end)
    moment = SEEDED
    while moment < end:
        moment += timedelta(hours=5)
        await run(engine, database_url, min(moment, end))

    after, record = await orders_and_record(engine)
    added = after[600:]
    assert record.reached_at == end
    assert [int(placed.timestamp()) for _, placed, _, _ in added] == whole.placed.tolist()
    assert [total for *_, total in added] == whole.total_cents.tolist()
    assert [status for _, _, status, _ in added] == [
        ("PENDING", "PROCESSING", "COMPLETED", "CANCELLED", "REFUNDED")[code]
        for code in whole.status.tolist()
    ]
    await assert_consistent(engine)


async def test_a_long_gap_is_caught_up_over_runs(engine, database_url, dialect):
    """31 days a run; past the months the seed prepared (PostgreSQL partitions are made)."""
    await seed_database(engine, SCALES["XS"], random_seed=2, until=SEEDED)
    later = SEEDED + timedelta(days=100)

    first = await run(engine, database_url, later)
    _, record = await orders_and_record(engine)
    assert record.reached_at == SEEDED + timedelta(days=31)
    assert "behind" in first.detail
    for _ in range(3):
        await run(engine, database_url, later)
    orders, record = await orders_and_record(engine)
    assert record.reached_at == later
    assert max(placed for _, placed, _, _ in orders) > later - timedelta(days=1)
    await assert_consistent(engine)
    if dialect == "postgres":  # every month got its partition: none waits in the default
        async with engine.connect() as conn:
            assert await conn.scalar(text("SELECT count(*) FROM orders_default")) == 0


async def test_a_database_never_seeded_is_left_alone(engine, database_url):
    async with api_client(database_url) as client:
        category = (await client.data(CREATE_CATEGORY, {"input": {"name": "Socks"}}))[
            "createCategory"
        ]
        product = (
            await client.data(
                CREATE_PRODUCT,
                {"input": product_input(int(category["id"]), sku="S-1", stockQuantity=9)},
            )
        )["createProduct"]
        customer = (
            await client.data(
                CREATE_CUSTOMER, {"input": {"name": "Ann", "email": "ann@shop.example"}}
            )
        )["createCustomer"]
        for _ in range(3):
            await client.data(
                CREATE_ORDER,
                {"input": order_input(int(customer["id"]), (int(product["id"]), 1))},
            )
    before = await snapshot(engine)

    result = await run(engine, database_url, datetime.now(UTC) + timedelta(days=7))

    assert (result.rows, result.detail) == (0, "not a demo database")
    assert await snapshot(engine) == before


async def test_the_extension_follows_the_seed_volume_per_day():
    """A week past the seed holds about the seed's last week of orders (trend included)."""
    dataset = generate_dataset(SCALES["S"], 7, SEEDED)
    c, p = dataset.table("customers").columns, dataset.table("products").columns
    r = dataset.table("sales_representatives").columns
    shop = Shop(
        c["id"], c["region"].codes, p["id"], p["selling_price_cents"], p["cost_price_cents"],
        r["id"], r["region"].codes,
    )  # fmt: skip
    week = orders_between(habits("S", 7, SEEDED), shop, 7, SEEDED, SEEDED + timedelta(days=7))
    placed = dataset.table("orders").columns["ordered_at"].astype("datetime64[s]")
    last_week = int(
        (placed >= np.datetime64(SEEDED.replace(tzinfo=None) - timedelta(days=7))).sum()
    )
    assert 0.8 * last_week < len(week) < 1.25 * last_week


async def test_two_concurrent_runs_add_each_hour_once(engine, database_url):
    await seed_database(engine, SCALES["XS"], random_seed=4, until=SEEDED)
    end = SEEDED + timedelta(days=3)
    async with session_factory(engine)() as session:
        shop = await read_shop(session, "XS")
    expected = orders_between(habits("XS", 4, SEEDED), shop, 4, SEEDED, end)

    results = await asyncio.gather(*(run(engine, database_url, end) for _ in range(2)))

    added = (await orders_and_record(engine))[0][600:]
    assert [int(placed.timestamp()) for _, placed, _, _ in added] == expected.placed.tolist()
    assert sorted(result.rows > 0 for result in results) == [False, True]
    await assert_consistent(engine)


async def test_a_users_orders_in_the_demo_are_never_moved_on(engine, database_url):
    """Writing into the demo keeps it a demo; the job extends it around the user's rows."""
    await seed_database(engine, SCALES["XS"], random_seed=6, until=SEEDED)
    async with session_factory(engine)() as session:
        product = await session.scalar(
            select(func.min(Product.id)).where(Product.is_active, Product.stock_quantity > 0)
        )
    async with api_client(database_url, now=SEEDED + timedelta(hours=1)) as client:
        placed = {"orderDate": SEEDED.isoformat()}
        mine = (await client.data(CREATE_ORDER, {"input": order_input(1, (product, 1), **placed)}))[
            "createOrder"
        ]
    assert mine["status"] == "PENDING"

    await run(engine, database_url, SEEDED + timedelta(days=20))

    async with session_factory(engine)() as session:
        status = await session.scalar(select(Order.status).where(Order.id == int(mine["id"])))
        open_demo = await session.scalar(
            select(func.count())
            .select_from(Order)
            .where(Order.status == "PENDING", Order.id != int(mine["id"]))
            .where(Order.ordered_at < SEEDED + timedelta(days=10))
        )
    assert (status, open_demo) == ("PENDING", 0)
    _, record = await orders_and_record(engine)
    assert record.reached_at == SEEDED + timedelta(days=20)
    await assert_consistent(engine)


def dataset_digest(dataset) -> str:
    """SHA-256 over every generated column, in table and column order."""
    digest = hashlib.sha256()
    for table in dataset.tables:
        for name, column in table.columns.items():
            digest.update(f"{table.name}.{name}".encode())
            if isinstance(column, Categorical):
                digest.update(repr(column.values().tolist()).encode())
            elif isinstance(column, np.ma.MaskedArray):
                digest.update(np.ma.getdata(column).tobytes())
                digest.update(np.ma.getmaskarray(column).tobytes())
            elif column.dtype == object:
                digest.update(repr(column.tolist()).encode())
            else:
                digest.update(column.tobytes())
    return digest.hexdigest()


def test_the_seed_generates_what_it_generated_before_the_demo_extension():
    """The generator was cut into pieces the extension reuses; ``shopx seed`` still writes
    the same rows, bit for bit (digest taken before the change)."""
    dataset = generate_dataset(SCALES["XS"], 42, datetime(2026, 11, 21, 15, 30, 12, tzinfo=UTC))
    assert dataset_digest(dataset) == PINNED_XS_DIGEST


async def test_seeding_again_with_force_records_the_new_demo(engine, database_url):
    await seed_database(engine, SCALES["XS"], random_seed=3, until=SEEDED)
    await run(engine, database_url, WEEK_LATER)

    await seed_database(engine, SCALES["XS"], random_seed=9, until=WEEK_LATER, force=True)

    _, record = await orders_and_record(engine)
    assert (record.random_seed, record.seeded_until, record.reached_at) == (
        9,
        WEEK_LATER,
        WEEK_LATER,
    )
    async with session_factory(engine)() as session:
        batches = (
            await session.execute(select(DemoBatch.first_order_id, DemoBatch.last_order_id))
        ).all()
    assert [tuple(batch) for batch in batches] == [(1, 600)]


async def test_demo_stock_gets_deliveries_instead_of_selling_out(engine, database_url):
    await seed_database(engine, SCALES["XS"], random_seed=8, until=SEEDED)
    async with session_factory(engine)() as session, session.begin():
        await session.execute(update(Product).values(stock_quantity=1))

    await run(engine, database_url, SEEDED + timedelta(days=3))

    async with session_factory(engine)() as session:
        sold = set(
            await session.scalars(
                select(OrderItem.product_id)
                .join(Order, item_order_join())
                .where(Order.id > 600, Order.status.in_(["PENDING", "PROCESSING", "COMPLETED"]))
            )
        )
        levels = {
            product: (stock, reorder)
            for product, stock, reorder in await session.execute(
                select(Product.id, Product.stock_quantity, Product.reorder_level)
            )
        }
    assert sold and all(levels[product][0] >= 1 for product in sold)
    delivered = [p for p in sold if levels[p][0] == max(20, 4 * levels[p][1])]
    assert delivered
    await assert_consistent(engine)


async def test_a_random_seed_the_record_cannot_hold_is_refused_before_anything_is_written(engine):
    with pytest.raises(BadInput, match="random seed"):
        await seed_database(engine, SCALES["XS"], random_seed=2**63, until=SEEDED)
    _, record = await orders_and_record(engine)
    assert record is None
