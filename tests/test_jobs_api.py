"""Background jobs seen from outside: their metrics, the partitions job, the GraphQL fields."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from shopx.auth import Role
from shopx.calendar import add_months, month_start
from shopx.config import Settings
from shopx.db.dialect import is_postgres
from shopx.db.engine import session_factory
from shopx.db.partitions import partition_name
from shopx.jobs.refresh import full_refresh
from shopx.jobs.registry import JOBS
from shopx.jobs.runner import run_job
from tests import factories
from tests.api import api_client
from tests.test_metrics import scrape


def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key="test-secret-" + "x" * 32)


def runs_counted(samples, job: str, outcome: str) -> float:
    labels = frozenset({("job", job), ("outcome", outcome)})
    return samples.get(("shopx_job_runs_total", labels), 0.0)


def durations_counted(samples, job: str) -> float:
    return samples.get(("shopx_job_duration_seconds_count", frozenset({("job", job)})), 0.0)


async def test_a_run_shows_in_the_metrics(engine, database_url):
    async with api_client(database_url) as client:
        before = await scrape(client)
        record = await run_job("maintenance", "manual", engine, settings(database_url))
        after = await scrape(client)

    assert record.outcome == "succeeded", record.error
    moved = runs_counted(after, "maintenance", "succeeded")
    assert moved - runs_counted(before, "maintenance", "succeeded") == 1
    assert durations_counted(after, "maintenance") - durations_counted(before, "maintenance") == 1


async def test_partitions_job_prepares_months_ahead_or_does_nothing_on_sqlite(engine, database_url):
    assert (JOBS["partitions"].queue, JOBS["partitions"].schedule) == ("maintenance", "0 2 * * *")
    record = await run_job("partitions", "manual", engine, settings(database_url))
    assert record.outcome == "succeeded", record.error
    if not is_postgres(engine):
        assert (record.rows, record.detail) == (0, "SQLite has no partitions")
        return
    ahead = partition_name("orders", add_months(month_start(datetime.now(UTC).date()), 3))
    async with engine.connect() as conn:
        found = await conn.scalar(text("SELECT to_regclass(:name)"), {"name": ahead})
    assert found is not None
    again = await run_job("partitions", "manual", engine, settings(database_url))
    assert (again.outcome, again.rows) == ("succeeded", 0)


REVENUE = text("SELECT sum(revenue_cents) FROM rollup_sales_daily")


async def orders_14_and_2_months_ago(engine, database_url) -> tuple[date, date, Settings]:
    """An order on the 10th of the month 14 months ago and of the one 2 months ago, in
    partitions and rollups: (those months, settings keeping 12 months)."""
    this_month = month_start(datetime.now(UTC).date())
    old, kept = add_months(this_month, -14), add_months(this_month, -2)
    async with session_factory(engine)() as session:
        shelf = await factories.category(session)
        item = await factories.product(session, category=shelf)
        buyer = await factories.customer(session)
        for month in (old, kept):
            at = datetime(month.year, month.month, 10, 12, tzinfo=UTC)
            await factories.order(session, customer=buyer, lines=[(item, 2)], at=at)
        await session.commit()
    config = settings(database_url).model_copy(update={"retention_months": 12})
    await run_job("partitions", "manual", engine, settings(database_url))
    await full_refresh(engine, config)
    return old, kept, config


@pytest.mark.postgres
@pytest.mark.parametrize("dialect", ["postgres"], indirect=True)
async def test_retention_archives_old_months_and_keeps_their_rollup_totals(engine, database_url):
    old, kept, config = await orders_14_and_2_months_ago(engine, database_url)
    async with engine.connect() as conn:
        totals_before = await conn.scalar(REVENUE)

    record = await run_job("partitions", "manual", engine, config)

    assert record.outcome == "succeeded", record.error
    archived = f"archive.{partition_name('orders', old)}"
    assert archived in (record.detail or "")
    async with engine.connect() as conn:
        months = [row[0] for row in await conn.execute(text("SELECT ordered_at FROM orders"))]
        assert [m.date().replace(day=1) for m in months] == [kept]
        assert await conn.scalar(text(f"SELECT count(*) FROM {archived}")) == 1
        assert await conn.scalar(REVENUE) == totals_before
    again = await run_job("partitions", "manual", engine, config)
    assert again.rows == 0 and "none older than 12 months" in (again.detail or "")


@pytest.mark.postgres
@pytest.mark.parametrize("dialect", ["postgres"], indirect=True)
async def test_rollups_check_leaves_the_archived_months_rollups_alone(engine, database_url):
    """The archived month is one of the older days with sales the check samples (two days
    with sales: both are taken). Its raw rows are gone, so the check saw drift and
    "repaired" the rollups kept on purpose: the archived month's revenue left them."""
    old, _, config = await orders_14_and_2_months_ago(engine, database_url)
    archived = await run_job("partitions", "manual", engine, config)
    assert f"archive.{partition_name('orders', old)}" in (archived.detail or "")
    async with engine.connect() as conn:
        totals_before = await conn.scalar(REVENUE)

    record = await run_job("rollups-check", "manual", engine, config)

    assert record.outcome == "succeeded", record.error
    assert (record.rows, record.detail.startswith("no drift")) == (0, True), record.detail
    async with engine.connect() as conn:
        assert await conn.scalar(REVENUE) == totals_before


JOBS_QUERY = """
query Jobs($limit: Int!) {
  jobs {
    name description schedule queue
    lastRun { id trigger outcome rows detail error startedAt finishedAt durationMs }
    recentRuns(limit: $limit) { id outcome }
  }
}"""
RUN_JOB = """
mutation Run($name: String!) {
  runJob(input: {name: $name}) { id trigger outcome rows detail error durationMs finishedAt }
}"""


def codes(body) -> list[str]:
    return [error["extensions"]["code"] for error in body["errors"]]


async def test_admins_list_the_jobs_and_run_one(database_url):
    async with api_client(database_url) as client:
        listed = (await client.data(JOBS_QUERY, {"limit": 10}))["jobs"]
        assert [job["name"] for job in listed] == list(JOBS)
        partitions = next(job for job in listed if job["name"] == "partitions")
        assert (partitions["queue"], partitions["lastRun"], partitions["recentRuns"]) == (
            "maintenance",
            None,
            [],
        )

        first = (await client.data(RUN_JOB, {"name": "maintenance"}))["runJob"]
        second = (await client.data(RUN_JOB, {"name": "maintenance"}))["runJob"]
        assert (first["trigger"], first["outcome"], first["error"]) == ("manual", "SUCCEEDED", None)
        assert first["finishedAt"] is not None and first["durationMs"] >= 0

        listed = (await client.data(JOBS_QUERY, {"limit": 1}))["jobs"]
        maintenance = next(job for job in listed if job["name"] == "maintenance")
        assert maintenance["lastRun"]["id"] == second["id"]
        assert maintenance["lastRun"]["startedAt"] is not None
        assert maintenance["recentRuns"] == [{"id": second["id"], "outcome": "SUCCEEDED"}]
        both = (await client.data(JOBS_QUERY, {"limit": 50}))["jobs"]
        assert [run["id"] for run in both[list(JOBS).index("maintenance")]["recentRuns"]] == [
            second["id"],
            first["id"],
        ]


async def test_unknown_job_and_too_many_runs_are_bad_input(database_url):
    async with api_client(database_url) as client:
        unknown = await client.graphql(RUN_JOB, {"name": "nope"})
        assert codes(unknown) == ["BAD_USER_INPUT"]
        assert "segments, maintenance, partitions" in unknown["errors"][0]["message"]
        too_many = await client.graphql(JOBS_QUERY, {"limit": 51})
        assert "BAD_USER_INPUT" in codes(too_many)


async def test_only_admins_see_or_run_jobs(database_url):
    async with api_client(database_url) as client:
        for role in (Role.ANALYST, Role.VIEWER):
            listed = await client.graphql(JOBS_QUERY, {"limit": 10}, role=role)
            ran = await client.graphql(RUN_JOB, {"name": "maintenance"}, role=role)
            assert codes(listed) == codes(ran) == ["FORBIDDEN"]
        anonymous = await client.graphql(RUN_JOB, {"name": "maintenance"}, role=None)
        assert codes(anonymous) == ["UNAUTHENTICATED"]
        assert (await client.data(JOBS_QUERY, {"limit": 1}))["jobs"][1]["lastRun"] is None


SCHEDULES = "query { jobs { name schedule scheduleDescription nextRun } }"


async def test_jobs_show_their_effective_schedule_and_next_run_in_the_business_time_zone(
    database_url,
):
    now = datetime(2026, 3, 1, tzinfo=UTC)  # 05:30 in Kolkata
    overrides = {"segments": "30 4 * * *", "maintenance": "off"}
    async with api_client(
        database_url, now=now, timezone="Asia/Kolkata", job_schedules=overrides
    ) as client:
        listed = {job["name"]: job for job in (await client.data(SCHEDULES))["jobs"]}
    assert listed["segments"] == {
        "name": "segments",
        "schedule": "30 4 * * *",
        "scheduleDescription": "daily 04:30",
        "nextRun": "2026-03-01T23:00:00+00:00",
    }
    assert listed["maintenance"] == {
        "name": "maintenance",
        "schedule": "off",
        "scheduleDescription": "only when run by hand",
        "nextRun": None,
    }
    assert listed["partitions"] == {
        "name": "partitions",
        "schedule": "0 2 * * *",
        "scheduleDescription": "daily 02:00",
        "nextRun": "2026-03-01T20:30:00+00:00",
    }


@pytest.mark.parametrize("cron", ["R 3 * * *", "0 3 L * *", "0 3 * * 5#3", "0 3 ? * *"])
async def test_a_schedule_beyond_plain_cron_is_refused(database_url, cron):
    """croniter's extensions are no schedule beat can run, and ``R`` (a random minute)
    gave another next run each time the schedule was read."""
    async with api_client(database_url, job_schedules={"segments": cron}) as client:
        answer = await client.graphql(SCHEDULES)
    assert codes(answer) == ["BAD_USER_INPUT"]
    assert (
        f"schedule {cron!r} is not a five-field cron expression" in answer["errors"][0]["message"]
    )


@pytest.mark.postgres
@pytest.mark.parametrize("dialect", ["postgres"], indirect=True)
async def test_an_order_backfilled_into_an_archived_month_is_archived_too(engine, database_url):
    """The backfill waits in the DEFAULT partition; the next run makes its month's partition
    again and archives it into the archived table of that name. Moving it to the archive
    schema failed ("already exists"), and so did every partitions run after it."""
    old, _, config = await orders_14_and_2_months_ago(engine, database_url)
    await run_job("partitions", "manual", engine, config)
    async with session_factory(engine)() as session:
        item = await factories.product(session, category=await factories.category(session))
        buyer = await factories.customer(session)
        at = datetime(old.year, old.month, 20, 12, tzinfo=UTC)
        await factories.order(session, customer=buyer, lines=[(item, 1)], at=at)
        await session.commit()

    record = await run_job("partitions", "manual", engine, config)

    assert record.outcome == "succeeded", record.error
    archived = f"archive.{partition_name('orders', old)}"
    async with engine.connect() as conn:
        assert await conn.scalar(text(f"SELECT count(*) FROM {archived}")) == 2
        live = text("SELECT count(*) FROM orders WHERE ordered_at < :end")
        assert await conn.scalar(live, {"end": add_months(old, 1)}) == 0
    again = await run_job("partitions", "manual", engine, config)
    assert (again.outcome, again.rows) == ("succeeded", 0), again.error
