"""Alerts: low-stock alerts opened and closed by the ``low-stock`` job, job-failure alerts
opened and closed by the runner, and the ``alerts`` query."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from shopx.alerts import repository, stock
from shopx.alerts.repository import AlertKind, NewAlert, open_alert
from shopx.alerts.stock import message_of
from shopx.auth import Role
from shopx.catalog.stock import LowStock, low_stock_products
from shopx.config import Settings
from shopx.db.engine import create_engine, session_factory
from shopx.db.models import Alert, JobRun, Product
from shopx.jobs import low_stock as low_stock_job
from shopx.jobs import runner
from shopx.jobs.context import JobContext, JobResult
from shopx.jobs.low_stock import low_stock
from shopx.jobs.registry import JOBS, Job
from shopx.jobs.runner import run_job
from shopx.jobs.scheduler import close_abandoned, close_cancelled
from tests import factories as make
from tests.api import api_client
from tests.mutations import CREATE_ORDER, order_input

UPDATE_PRODUCT = """mutation($input: UpdateProductInput!) {
  updateProduct(input: $input) { id stockQuantity } }"""
ALERTS = """query($open: Boolean, $first: Int! = 50) { alerts(open: $open, first: $first) {
  id kind subject message openedAt closedAt notifiedAt product { id sku } } }"""


def settings(database_url: str, **extra: Any) -> Settings:
    return Settings(database_url=database_url, secret_key="test-secret-" + "x" * 32, **extra)


async def stored(engine) -> list[Alert]:
    async with session_factory(engine)() as session:
        return list(await session.scalars(select(Alert).order_by(Alert.id)))


async def sweep(engine, config: Settings) -> runner.RunRecord:
    record = await run_job("low-stock", "manual", engine, config)
    assert record.outcome == "succeeded", record.error
    return record


async def set_stock(client, product_id: int, stock: int) -> None:
    variables = {"input": {"id": str(product_id), "stockQuantity": stock}}
    await client.data(UPDATE_PRODUCT, variables)


async def test_a_sweep_opens_many_alerts_in_parts_and_none_for_a_product_restocked_meanwhile(
    engine, database_url, monkeypatch
):
    """A first sweep of a large catalog opens an alert per low product, several per
    statement (it held the writers' turn for half a minute one statement each); the
    products are read before the write, so one restocked in between gets none."""
    monkeypatch.setattr(repository, "OPEN_AT_ONCE", 2)
    monkeypatch.setattr(stock, "OPEN_AT_ONCE", 2)
    async with session_factory(engine)() as session, session.begin():
        gear = await make.category(session)
        low = [
            await make.product(session, category=gear, stock=n, reorder_level=10) for n in range(5)
        ]
        await make.product(session, category=gear, stock=50, reorder_level=10)
    now = datetime.now(UTC)
    sessions = session_factory(engine)
    async with sessions() as session:
        candidates = await low_stock_products(session, now=now, statuses=["COMPLETED"], limit=None)
    async with sessions() as session, session.begin():
        restocked = await session.get(Product, low[0].id)
        assert restocked is not None
        restocked.stock_quantity = 500
    async with sessions() as session, session.begin():
        first = await stock.sweep_low_stock(session, candidates, now=now)
    async with sessions() as session, session.begin():
        again = await stock.sweep_low_stock(session, candidates, now=now)

    assert sorted(row.product.id for row in candidates) == sorted(p.id for p in low)
    alerts = await stored(engine)
    assert sorted(alert.product_id for alert in alerts) == sorted(p.id for p in low[1:])
    assert sorted(first.opened) == [alert.id for alert in alerts]
    assert (again.opened, again.still_open) == ([], 4)


async def test_the_job_opens_a_large_catalogs_alerts_a_part_per_write(
    engine, database_url, monkeypatch
):
    """Each part of the low products is swept in a write of its own, so that a first
    sweep of thousands does not hold the writers' turn for seconds; the alerts open once."""
    monkeypatch.setattr(low_stock_job, "SWEEP_PART", 2)
    writes = 0
    real = low_stock_job.bookkeeping_session

    def counted(sessions):
        nonlocal writes
        writes += 1
        return real(sessions)

    monkeypatch.setattr(low_stock_job, "bookkeeping_session", counted)
    async with session_factory(engine)() as session, session.begin():
        gear = await make.category(session)
        low = [
            await make.product(session, category=gear, stock=n, reorder_level=10) for n in range(5)
        ]
    config = settings(database_url)

    first = await sweep(engine, config)
    assert (first.rows, first.detail, writes) == (5, "opened 5, closed 0, still open 5", 3)
    again = await sweep(engine, config)

    assert (again.rows, again.detail, writes) == (0, "opened 0, closed 0, still open 5", 4)
    assert sorted(alert.product_id for alert in await stored(engine)) == [p.id for p in low]


async def test_an_alert_opens_at_the_level_once_closes_on_restock_and_reopens(engine, database_url):
    config = settings(database_url)
    async with session_factory(engine)() as session, session.begin():
        gear = await make.category(session)
        boot = await make.product(
            session, category=gear, stock=13, reorder_level=10, name="Trail boot"
        )
        await make.product(session, category=gear, stock=11, reorder_level=10)
        buyer = await make.customer(session)
    assert (await sweep(engine, config)).rows == 0

    async with api_client(database_url) as client:
        sale = order_input(buyer.id, (boot.id, 3), status="COMPLETED")
        await client.data(CREATE_ORDER, {"input": sale})
        opened = await sweep(engine, config)
        [alert] = await stored(engine)
        assert (opened.rows, opened.detail) == (1, "opened 1, closed 0, still open 1")
        assert (alert.kind, alert.subject, alert.product_id) == (
            "low_stock",
            f"product:{boot.id}",
            boot.id,
        )
        # 3 sold in 30 days: 0.1 a day, 10 in stock last 100 days.
        assert alert.message == (
            f"Trail boot (SKU {boot.sku}): 10 in stock, reorder level 10;"
            " 100 days of stock left at 0.1 a day (last 30 days)"
        )
        assert alert.closed_at is None and alert.notified_at is None

        again = await sweep(engine, config)
        assert (again.rows, again.detail) == (0, "opened 0, closed 0, still open 1")
        assert [row.id for row in await stored(engine)] == [alert.id]

        await set_stock(client, boot.id, 11)
        closed = await sweep(engine, config)
        assert (closed.rows, closed.detail) == (1, "opened 0, closed 1, still open 0")
        [restocked] = await stored(engine)
        assert restocked.closed_at is not None and restocked.closed_at >= restocked.opened_at

        await set_stock(client, boot.id, 0)
        reopened = await sweep(engine, config)
        assert reopened.rows == 1
        first, second = await stored(engine)
        assert first.closed_at is not None and second.closed_at is None
        assert second.subject == first.subject and second.message.endswith("; out of stock")


async def test_a_product_made_inactive_has_its_alert_closed(engine, database_url):
    config = settings(database_url)
    async with session_factory(engine)() as session, session.begin():
        gear = await make.category(session)
        cap = await make.product(session, category=gear, stock=2, reorder_level=5)
    await sweep(engine, config)
    async with session_factory(engine)() as session, session.begin():
        (await session.get_one(Product, cap.id)).is_active = False
    record = await sweep(engine, config)
    assert record.detail == "opened 0, closed 1, still open 0"


async def test_two_runs_at_once_open_each_alert_once(engine, database_url):
    """Two sweeps over their own connection pools (on PostgreSQL two writers at once): the
    partial unique index lets one alert per product open, whichever run gets there first."""
    async with session_factory(engine)() as session, session.begin():
        gear = await make.category(session)
        products = [
            await make.product(session, category=gear, stock=1, reorder_level=5) for _ in range(40)
        ]
    config = settings(database_url)
    engines = [create_engine(database_url, pool_size=2) for _ in range(2)]
    try:
        contexts = [
            JobContext(each, session_factory(each), config, None, datetime.now(UTC))
            for each in engines
        ]
        results = await asyncio.gather(*(low_stock(ctx) for ctx in contexts))
    finally:
        for each in engines:
            await each.dispose()
    assert sum(result.rows for result in results) == len(products)
    alerts = await stored(engine)
    assert sorted(alert.product_id for alert in alerts) == sorted(p.id for p in products)
    assert all(alert.closed_at is None for alert in alerts)


async def test_an_open_alert_makes_a_concurrent_insert_wait_then_give_way(
    dialect, engine, database_url
):
    """On PostgreSQL: while one transaction holds a new open alert uncommitted, another's
    insert of the same kind and subject waits for it, then inserts nothing."""
    if dialect != "postgres":
        pytest.skip("SQLite has one writer at a time: there is no concurrent insert")
    now = datetime.now(UTC)
    alert = NewAlert(AlertKind.JOB_FAILED, "job:segments", "job segments failed: boom")
    other = create_engine(database_url, pool_size=1)
    try:
        async with session_factory(engine)() as first, first.begin():
            assert await open_alert(first, alert, now) is not None
            async with session_factory(other)() as second, second.begin():
                racing = asyncio.create_task(open_alert(second, alert, now))
                await _until_waiting_on_a_lock(engine)
                assert not racing.done()
                await first.commit()
                assert await racing is None
    finally:
        await other.dispose()
    assert len(await stored(engine)) == 1


async def _until_waiting_on_a_lock(engine) -> None:
    query = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    for _ in range(500):
        async with engine.connect() as conn:
            if await conn.scalar(query):
                return
        await asyncio.sleep(0.01)
    raise AssertionError("the second insert never waited for the first")


def flaky_job(outcomes: list[str]) -> dict[str, Job]:
    """A job that fails, succeeds or hangs as ``outcomes`` says, one per run."""
    never = asyncio.Event()

    async def work(ctx: JobContext) -> JobResult:
        outcome = outcomes.pop(0)
        if outcome == "fail":
            raise RuntimeError("disk on fire")
        if outcome == "hang":
            await never.wait()
        return JobResult(1)

    return {"flaky": Job("flaky", work, "off", "analytics", 0.5, "fails on purpose")}


async def test_a_failing_job_opens_a_job_failed_alert_and_a_success_closes_it(engine, database_url):
    config = settings(database_url)
    jobs = flaky_job(["fail", "fail", "ok", "hang", "ok"])

    async def run() -> str:
        return (await run_job("flaky", "schedule", engine, config, jobs=jobs)).outcome

    assert await run() == "failed"
    [alert] = await stored(engine)
    assert (alert.kind, alert.subject, alert.product_id) == ("job_failed", "job:flaky", None)
    assert alert.message == "job flaky failed: RuntimeError: disk on fire"
    assert await run() == "failed"
    assert [row.id for row in await stored(engine)] == [alert.id]

    assert await run() == "succeeded"
    [closed] = await stored(engine)
    assert closed.closed_at is not None

    assert await run() == "timed_out"
    assert await run() == "succeeded"
    first, second = await stored(engine)
    assert second.message == "job flaky timed out: no result after 0.5 s"
    assert second.closed_at is not None and first.id == alert.id


async def test_a_failure_to_write_the_alert_leaves_the_runs_outcome(
    engine, database_url, monkeypatch, caplog
):
    async def broken(session, **_: Any) -> None:
        raise RuntimeError("alerts table gone")

    monkeypatch.setattr(runner, "follow_run", broken)
    record = await run_job(
        "flaky", "manual", engine, settings(database_url), jobs=flaky_job(["fail"])
    )
    assert (record.outcome, record.error) == ("failed", "RuntimeError: disk on fire")
    assert "alert was not written" in caplog.text
    assert await stored(engine) == []


async def test_the_alerts_query_newest_first_with_products_and_who_may_read_it(
    engine, database_url
):
    config = settings(database_url)
    async with session_factory(engine)() as session, session.begin():
        gear = await make.category(session)
        low = await make.product(session, category=gear, stock=3, reorder_level=5)
        high = await make.product(session, category=gear, stock=50, reorder_level=5)
    await run_job("flaky", "manual", engine, config, jobs=flaky_job(["fail"]))
    await sweep(engine, config)

    async with api_client(database_url) as client:
        everything = (await client.data(ALERTS))["alerts"]
        assert [(a["kind"], a["subject"]) for a in everything] == [
            ("LOW_STOCK", f"product:{low.id}"),
            ("JOB_FAILED", "job:flaky"),
        ]
        assert everything[0]["product"] == {"id": str(low.id), "sku": low.sku}
        assert everything[1]["product"] is None
        assert everything[0]["closedAt"] is None and everything[0]["notifiedAt"] is None

        # A write shows on the next read: the query is never cached.
        await set_stock(client, low.id, 40)
        await set_stock(client, high.id, 1)
        await sweep(engine, config)
        current = (await client.data(ALERTS, {"open": True}))["alerts"]
        assert [a["subject"] for a in current] == [f"product:{high.id}", "job:flaky"]
        past = (await client.data(ALERTS, {"open": False}))["alerts"]
        assert [a["subject"] for a in past] == [f"product:{low.id}"]
        assert past[0]["closedAt"] is not None
        assert len((await client.data(ALERTS, {"first": 1}))["alerts"]) == 1

        analyst = await client.data(ALERTS, {"open": True}, role=Role.ANALYST)
        assert analyst["alerts"] == current
        refused = [
            (await client.graphql(ALERTS, variables, role=role))["errors"][0]["extensions"]["code"]
            for role, variables in [
                (Role.VIEWER, {}),
                (None, {}),
                (Role.ADMIN, {"first": 101}),
                (Role.ADMIN, {"first": 0}),
            ]
        ]
        assert refused == ["FORBIDDEN", "UNAUTHENTICATED", "BAD_USER_INPUT", "BAD_USER_INPUT"]

    async with api_client(database_url, anonymous_reads=True) as client:
        assert len((await client.data(ALERTS, role=None))["alerts"]) == 3


def test_the_low_stock_message_in_each_case():
    def product(stock: int) -> Product:
        return Product(name="Cap", sku="CP-1", stock_quantity=stock, reorder_level=5000)

    assert message_of(LowStock(product(0), units_sold=9)) == (
        "Cap (SKU CP-1): 0 in stock, reorder level 5000; out of stock"
    )
    assert message_of(LowStock(product(4), units_sold=0)) == (
        "Cap (SKU CP-1): 4 in stock, reorder level 5000; no sales in the last 30 days"
    )
    assert message_of(LowStock(product(4000), units_sold=1)) == (
        "Cap (SKU CP-1): 4000 in stock, reorder level 5000;"
        " 120,000 days of stock left at 0.0333 a day (last 30 days)"
    )


async def test_runs_closed_as_abandoned_or_cancelled_open_their_jobs_alerts(engine, database_url):
    now = datetime.now(UTC)
    async with session_factory(engine)() as session, session.begin():
        for job, trigger, started in [
            ("segments", "schedule", now - timedelta(days=2)),
            ("maintenance", "schedule", now - timedelta(seconds=1)),
        ]:
            session.add(JobRun(job=job, trigger=trigger, started_at=started, outcome="running"))
    assert await close_abandoned(engine, JOBS, now) == 1
    await close_cancelled(engine, "maintenance", now - timedelta(minutes=1))
    alerts = {alert.subject: alert.message for alert in await stored(engine)}
    assert alerts.keys() == {"job:segments", "job:maintenance"}
    assert alerts["job:segments"].startswith("job segments timed out: abandoned: ")
    assert alerts["job:maintenance"] == (
        "job maintenance failed: cancelled: the server stopped before the run ended"
    )
