"""Background jobs: every run recorded with its outcome, the real jobs' effects, the CLI."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text, update
from typer.testing import CliRunner

from shopx.auth import Role
from shopx.cache.runtime import outside_cache
from shopx.cli import app
from shopx.config import Settings
from shopx.customers.segments import Move, move
from shopx.db.data_version import data_version
from shopx.db.engine import session_factory, sqlite_path
from shopx.db.models import Customer, JobRun, Order, OrderItem, Segment
from shopx.db.writes import write_session
from shopx.errors import BadInput
from shopx.jobs import refresh
from shopx.jobs.registry import JOBS, Job, JobContext, JobResult
from shopx.jobs.runner import run_job
from tests import factories as make
from tests.api import api_client
from tests.consistency import customer_stats, recomputed_customer_stats

runner = CliRunner()


def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key="test-secret-" + "x" * 32)


def job(name: str, run, timeout: float = 60) -> dict[str, Job]:
    return {name: Job(name, run, "0 3 * * *", "analytics", timeout, "a test job")}


async def runs(engine) -> list[JobRun]:
    async with session_factory(engine)() as session:
        return list(await session.scalars(select(JobRun).order_by(JobRun.id)))


async def test_a_succeeding_job_is_recorded_with_its_rows(engine, database_url):
    async def work(ctx: JobContext) -> JobResult:
        return JobResult(7, "seven rows")

    record = await run_job("work", "manual", engine, settings(database_url), jobs=job("work", work))

    assert (record.outcome, record.rows, record.detail, record.error) == (
        "succeeded",
        7,
        "seven rows",
        None,
    )
    [row] = await runs(engine)
    assert (row.job, row.trigger, row.outcome, row.rows) == ("work", "manual", "succeeded", 7)
    assert row.finished_at is not None and row.finished_at >= row.started_at
    assert row.duration_ms is not None and row.duration_ms >= 0


async def test_a_raising_job_is_recorded_failed_with_its_error(engine, database_url):
    async def broken(ctx: JobContext) -> JobResult:
        raise ValueError("bad data in row 12")

    record = await run_job(
        "broken", "schedule", engine, settings(database_url), jobs=job("broken", broken)
    )

    assert record.outcome == "failed"
    [row] = await runs(engine)
    assert (row.outcome, row.trigger, row.rows) == ("failed", "schedule", None)
    assert row.error == "ValueError: bad data in row 12"


async def test_a_job_past_its_timeout_is_recorded_timed_out(engine, database_url):
    never = asyncio.Event()

    async def stuck(ctx: JobContext) -> JobResult:
        await never.wait()
        return JobResult(1)

    record = await run_job(
        "stuck", "event", engine, settings(database_url), jobs=job("stuck", stuck, 0.01)
    )

    assert record.outcome == "timed_out"
    [row] = await runs(engine)
    assert (row.outcome, row.trigger) == ("timed_out", "event")
    assert row.finished_at is not None


async def test_a_job_already_running_is_skipped(engine, database_url):
    started, release = asyncio.Event(), asyncio.Event()

    async def slow(ctx: JobContext) -> JobResult:
        started.set()
        await release.wait()
        return JobResult(3)

    jobs, config = job("slow", slow), settings(database_url)
    first = asyncio.create_task(run_job("slow", "schedule", engine, config, jobs=jobs))
    await started.wait()
    second = await run_job("slow", "manual", engine, config, jobs=jobs)
    release.set()

    assert second.outcome == "skipped"
    assert (await first).outcome == "succeeded"
    assert [(row.trigger, row.outcome) for row in await runs(engine)] == [
        ("schedule", "succeeded"),
        ("manual", "skipped"),
    ]


async def test_a_running_row_older_than_the_timeout_does_not_block(engine, database_url):
    async with session_factory(engine)() as session, session.begin():
        long_ago = datetime.now(UTC) - timedelta(hours=2)
        session.add(JobRun(job="work", trigger="schedule", started_at=long_ago, outcome="running"))

    async def work(ctx: JobContext) -> JobResult:
        return JobResult(1)

    jobs = job("work", work, timeout=60)
    record = await run_job("work", "manual", engine, settings(database_url), jobs=jobs)
    assert record.outcome == "succeeded"


async def test_an_unknown_job_is_bad_input(engine, database_url):
    with pytest.raises(BadInput, match="segments, maintenance"):
        await run_job("nope", "manual", engine, settings(database_url))
    assert await runs(engine) == []


async def test_maintenance_succeeds(engine, database_url):
    record = await run_job("maintenance", "manual", engine, settings(database_url))
    assert record.outcome == "succeeded", record.error


async def test_maintenance_waits_for_a_writer_instead_of_failing(engine, database_url):
    """At startup every missed job fires at once: PRAGMA optimize, which may write, failed
    with "database is locked" when it ran inside another job's write transaction."""
    holding, release = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with write_session(session_factory(engine), datetime.now(UTC)) as session:
            await make.customer(session)
            holding.set()
            await release.wait()

    async with write_session(session_factory(engine), datetime.now(UTC)) as session:
        await make.customer(session)
    async with engine.begin() as conn:
        await conn.execute(text("ANALYZE"))
    async with write_session(session_factory(engine), datetime.now(UTC)) as session:
        for _ in range(300):  # statistics gone stale: PRAGMA optimize will write new ones
            await make.customer(session)

    async def beside_a_writer(ctx: JobContext) -> JobResult:
        async with ctx.engine.connect() as conn:  # the tables a connection read get analysed
            await conn.execute(text("SELECT count(*) FROM customers WHERE region = 'North'"))
        held = asyncio.create_task(writer())
        await holding.wait()
        optimize = asyncio.create_task(JOBS["maintenance"].run(ctx))
        for _ in range(200):  # let it reach the database while the writer holds it
            await asyncio.sleep(0)
        release.set()
        await held
        return await optimize

    jobs = {"maintenance": replace(JOBS["maintenance"], run=beside_a_writer)}
    record = await run_job("maintenance", "manual", engine, settings(database_url), jobs=jobs)
    assert record.outcome == "succeeded", record.error


SEGMENTS = "{ customerSegments { segment customerCount } }"


async def _segments(client) -> tuple[dict[str, int], str]:
    response = await client.http.post(
        "/graphql",
        json={"query": SEGMENTS},
        headers={"authorization": f"Bearer {client.token(Role.VIEWER)}"},
    )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, response.text
    counts = {row["segment"]: row["customerCount"] for row in body["data"]["customerSegments"]}
    return counts, response.headers["x-cache"]


async def test_segments_job_moves_a_customer_and_the_cached_answer_follows(engine, database_url):
    """Order writes keep customer figures but not segments: the job moves the customer,
    and its write makes the serving instance's cached answer stale (no Redis here)."""
    config = settings(database_url)
    async with session_factory(engine)() as session, session.begin():
        shoes = await make.category(session, name="Shoes")
        boot = await make.product(session, category=shoes, price_cents=12_000)
        alice = await make.customer(session, name="alice")
        await make.customer(session, name="bob")
    first = await run_job("segments", "manual", engine, config)
    assert (first.outcome, first.rows) == ("succeeded", 0)

    async with api_client(database_url) as client:
        before, _ = await _segments(client)
        assert (await _segments(client))[1] == "HIT-L1"
        assert before.get("NEW") == 2 and not before.get("CHURNED")
        async with session_factory(engine)() as session, session.begin():
            long_ago = datetime.now(UTC) - timedelta(days=400)
            await make.order(session, customer=alice, lines=[(boot, 1)], at=long_ago)

        async with outside_cache(config, session_factory(engine)) as cache:
            moved = await run_job("segments", "manual", engine, config, cache=cache)

        assert (moved.outcome, moved.rows) == ("succeeded", 1), moved.error
        after, state = await _segments(client)
        assert state == "MISS"
        assert (after.get("NEW"), after.get("CHURNED")) == (1, 1)
    async with session_factory(engine)() as session:
        assert await session.scalar(select(Customer.segment).where(Customer.id == alice.id)) == (
            "CHURNED"
        )


async def _written(engine) -> int:
    async with session_factory(engine)() as session:
        return await data_version(session)


async def test_a_segments_run_that_changes_nothing_writes_nothing(
    engine, database_url, monkeypatch
):
    """The job reads apart from the order writers: with every customer's figures and
    segment right, it takes no writers' turn, and no cached answer goes stale. (The first
    run moves its customers one write at a time: the second finds all of them moved.)"""
    config = settings(database_url)
    monkeypatch.setattr(refresh, "MOVES_PER_WRITE", 1)
    async with session_factory(engine)() as session, session.begin():
        boot = await make.product(session, category=await make.category(session))
        for name, days_ago in (("alice", 3), ("bob", 200), ("carol", 500)):
            buyer = await make.customer(session, name=name)
            at = datetime.now(UTC) - timedelta(days=days_ago)
            await make.order(session, customer=buyer, lines=[(boot, 1)], at=at)
        await make.customer(session, name="dave")
    written = await _written(engine)
    first = await run_job("segments", "manual", engine, config)
    assert (first.outcome, first.rows) == ("succeeded", 2), first.error  # bob and carol
    # The factory writes orders around the write paths: the figures are repaired first.
    assert await _written(engine) == written + 1 + 2
    written = await _written(engine)

    again = await run_job("segments", "manual", engine, config)

    assert (again.outcome, again.rows) == ("succeeded", 0), again.error
    assert again.detail == first.detail
    assert await _written(engine) == written


@pytest.mark.parametrize("by_id", [True, False], ids=["by-id", "all"])
async def test_the_segments_job_repairs_figures_written_around_the_write_paths(
    engine, database_url, monkeypatch, by_id
):
    config = settings(database_url)
    if not by_id:  # more drifted customers than are repaired one by one
        monkeypatch.setattr(refresh, "REPAIR_BY_ID", 1)
    async with session_factory(engine)() as session, session.begin():
        boot = await make.product(session, category=await make.category(session))
        buyers = [await make.customer(session) for _ in range(4)]
        for index, buyer in enumerate(buyers[:3]):
            at = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(days=index)
            await make.order(session, customer=buyer, lines=[(boot, 1 + index)], at=at)
    await run_job("segments", "manual", engine, config)
    assert await customer_stats(engine) == await recomputed_customer_stats(engine)
    async with session_factory(engine)() as session, session.begin():
        wrong = {"lifetime_value_cents": 7, "order_count": 7}
        for buyer in (buyers[0], buyers[3]):  # one buyer, and one who never ordered
            await session.execute(update(Customer).where(Customer.id == buyer.id).values(wrong))

    record = await run_job("segments", "manual", engine, config)

    assert record.outcome == "succeeded", record.error
    assert await customer_stats(engine) == await recomputed_customer_stats(engine)


async def test_a_customer_moved_by_another_run_meanwhile_is_left_as_that_run_put_it(engine):
    """Segment moves are written apart from the read that found them: each applies only
    where the customer's segment is still the one read (the import's and the schedule's
    runs may overlap)."""
    async with session_factory(engine)() as session, session.begin():
        alice = await make.customer(session, name="alice")
    async with session_factory(engine)() as session, session.begin():
        stale = await move(session, [Move(alice.id, Segment.PREMIUM, Segment.AT_RISK)])
        current = await move(session, [Move(alice.id, Segment.NEW, Segment.REGULAR)])
    async with session_factory(engine)() as session:
        stored = await session.scalar(select(Customer.segment).where(Customer.id == alice.id))
    assert (stale, current, stored) == (0, 1, "REGULAR")


def test_cli_runs_and_lists_jobs(settings_env, monkeypatch):
    assert runner.invoke(app, ["init"]).exit_code == 0
    never = runner.invoke(app, ["jobs", "list"])
    assert never.exit_code == 0, never.output
    assert "segments" in never.output and "never" in never.output

    ran = runner.invoke(app, ["jobs", "run", "maintenance"])
    assert ran.exit_code == 0, ran.output
    assert "maintenance: succeeded" in ran.output

    listed = runner.invoke(app, ["jobs", "list"])
    assert listed.exit_code == 0, listed.output
    line = next(line for line in listed.output.splitlines() if "maintenance" in line)
    assert "succeeded" in line and "weekly" in line


def test_cli_rejects_an_unknown_job_and_fails_on_a_failed_one(settings_env, monkeypatch):
    assert runner.invoke(app, ["init"]).exit_code == 0
    unknown = runner.invoke(app, ["jobs", "run", "nope"])
    assert unknown.exit_code == 2
    assert "segments" in unknown.output and "maintenance" in unknown.output

    async def broken(ctx: JobContext) -> JobResult:
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(JOBS, "broken", Job("broken", broken, "never", "analytics", 60, "x"))
    failed = runner.invoke(app, ["jobs", "run", "broken"])
    assert failed.exit_code == 1, failed.output
    assert "broken: failed" in failed.output and "RuntimeError: disk on fire" in failed.output


@pytest.mark.parametrize("dialect", ["sqlite"], indirect=True)
async def test_maintenance_waits_for_a_writer_outside_our_file_lock_sqlite(engine, database_url):
    """A writer that takes no shopx lock (the sqlite3 shell, a backup tool): PRAGMA optimize
    begun as a reader failed at once with "database is locked" when it came to write its
    statistics, after its turn among shopx's writers; begun as a writer it waits."""
    path = sqlite_path(database_url)
    assert path is not None

    async def while_another_process_writes(ctx: JobContext) -> JobResult:
        async with ctx.engine.connect() as conn:  # the planner uses these tables' indexes
            await conn.execute(select(Order.id).where(Order.customer_id == 1))
            await conn.execute(select(OrderItem.id).where(OrderItem.product_id == 1))
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        asyncio.get_running_loop().call_later(0.5, other.execute, "COMMIT")
        try:
            return await JOBS["maintenance"].run(ctx)
        finally:
            other.close()

    jobs = job("maintenance", while_another_process_writes)
    record = await run_job("maintenance", "manual", engine, settings(database_url), jobs=jobs)

    assert record.outcome == "succeeded", record.error
    assert record.detail == "PRAGMA optimize"
