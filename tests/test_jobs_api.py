"""Background jobs seen from outside: their metrics, the partitions job, the GraphQL fields."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from shopx.calendar import add_months, month_start
from shopx.config import Settings
from shopx.db.dialect import is_postgres
from shopx.db.partitions import partition_name
from shopx.jobs.registry import JOBS
from shopx.jobs.runner import run_job
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
    assert (JOBS["partitions"].queue, JOBS["partitions"].schedule) == ("maintenance", "daily 02:00")
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
