"""The background jobs: each is one async function over a :class:`JobContext` that returns
a :class:`JobResult`, plus one :class:`Job` entry in :data:`JOBS`.

A job is idempotent and safe to run twice; :func:`shopx.jobs.runner.run_job` bounds it in
time and records every run in ``job_runs``. Jobs that change data write through
:func:`shopx.cache.runtime.writing`, like the API's mutations, so cached answers go stale.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import text

from shopx.cache.tags import ALL_TAGS
from shopx.config import Settings
from shopx.db.dialect import is_postgres
from shopx.db.partitions import archive_partitions, ensure_partitions_on
from shopx.db.writes import bookkeeping_session, write_connection
from shopx.errors import BadInput
from shopx.jobs.cache_warm import cache_warm
from shopx.jobs.context import JobContext, JobResult
from shopx.jobs.demo import demo_roll_forward
from shopx.jobs.low_stock import low_stock
from shopx.jobs.refresh import refresh_customers_apart
from shopx.jobs.reports import reports
from shopx.jobs.rollups_check import rollups_check, rollups_rebuild
from shopx.jobs.schedule import Schedule, parse_schedule
from shopx.jobs.sheets_sync import SYNC_TIMEOUT, sheets_sync
from shopx.jobs.upload_imports import import_uploads

Queue = Literal["analytics", "maintenance", "notifications"]
Trigger = Literal["schedule", "manual", "event"]


@dataclass(frozen=True)
class Job:
    name: str
    """The job's name, as ``shopx jobs run`` and ``runJob`` take it."""
    run: Callable[[JobContext], Awaitable[JobResult]]
    schedule: str
    """When it runs by default: a cron expression read in the business time zone (``off``:
    only when asked); ``SHOPX_JOB_SCHEDULES`` overrides it (:func:`schedules`)."""
    queue: Queue
    """The queue its scheduled runs wait in: analytics, maintenance or notifications."""
    timeout: float
    """Seconds; a run still going after this is cancelled and recorded ``timed_out``."""
    description: str
    """What the job does, and what its rows count."""
    after_start: bool = False
    """Also run once when the schedule starts: when the embedded scheduler takes the lead,
    and when Celery beat starts."""


async def segments(ctx: JobContext) -> JobResult:
    """Every customer's statistics and RFM segment as of now; rows: customers that moved."""
    counts, moved = await refresh_customers_apart(ctx.sessions, ctx.settings, ctx.now, ctx.cache)
    return JobResult(moved, ", ".join(f"{name}: {count}" for name, count in counts.items()))


async def maintenance(ctx: JobContext) -> JobResult:
    """Planner statistics and space: VACUUM ANALYZE (outside a transaction) on PostgreSQL,
    PRAGMA optimize on SQLite, which may write statistics, so it takes its turn among the
    writers and begins as one (BEGIN IMMEDIATE): begun as a reader, it cannot wait for a
    write that holds no shopx lock (the sqlite3 shell, a backup) and fails "database is
    locked". No data changes, so no cached answer goes stale."""
    if is_postgres(ctx.engine):
        async with ctx.engine.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await auto.execute(text("VACUUM ANALYZE"))
        return JobResult(0, "VACUUM ANALYZE")
    async with bookkeeping_session(ctx.sessions) as session:
        await session.execute(text("PRAGMA optimize"))
    return JobResult(0, "PRAGMA optimize")


async def partitions(ctx: JobContext) -> JobResult:
    """The monthly partitions of orders and order items through three months ahead, and,
    with ``SHOPX_RETENTION_MONTHS``, the months before the retained ones detached to the
    ``archive`` schema, on PostgreSQL (rows: partitions created or archived); nothing on
    SQLite. Moving rows out of a DEFAULT partition changes no answer; archiving changes the
    answers read from raw orders, so it goes through the write context."""
    if not is_postgres(ctx.engine):
        return JobResult(0, "SQLite has no partitions")
    today = ctx.now.astimezone(ctx.settings.tz).date()
    created = await ensure_partitions_on(ctx.engine, today=today)
    detail = f"created: {', '.join(created) or 'none missing'}"
    archived: list[str] = []
    if ctx.settings.retention_months is not None:
        keep = ctx.settings.retention_months
        async with write_connection(ctx.engine, ctx.now) as conn:
            archived = await conn.run_sync(
                lambda sync: archive_partitions(sync, keep_months=keep, today=today)
            )
        if archived and ctx.cache is not None:
            await ctx.cache.written(ALL_TAGS)
        detail += f"; archived: {', '.join(archived) or f'none older than {keep} months'}"
    return JobResult(len(created) + len(archived), detail)


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job(
            "segments",
            segments,
            "0 3 * * *",
            "analytics",
            600,
            "Recompute customer statistics and RFM segments (rows: customers that moved).",
        ),
        Job(
            "maintenance",
            maintenance,
            "0 4 * * 0",
            "maintenance",
            3600,
            "VACUUM ANALYZE on PostgreSQL, PRAGMA optimize on SQLite.",
        ),
        Job(
            "partitions",
            partitions,
            "0 2 * * *",
            "maintenance",
            600,
            "Create the monthly partitions of orders three months ahead; archive months past"
            " SHOPX_RETENTION_MONTHS (PostgreSQL only).",
        ),
        Job(
            "reports",
            reports,
            "0 6 * * *",
            "notifications",
            900,
            "Store the daily, weekly and monthly reports of the closed periods (catching up"
            " 7 days, 4 weeks, 3 months), refresh those whose data changed, e-mail new ones"
            " (rows: reports stored or changed).",
        ),
        Job(
            "rollups-check",
            rollups_check,
            "30 3 * * *",
            "analytics",
            900,
            "Compare the last 7 days and 3 random older days of every rollup with the raw rows"
            " and repair any drift (rows: cells repaired).",
        ),
        Job(
            "rollups-rebuild",
            rollups_rebuild,
            "off",
            "analytics",
            3600,
            "Rebuild every rollup and the customers' figures from the raw rows, like"
            " shopx refresh --full (rows: rollup rows written).",
        ),
        Job(
            "demo-roll-forward",
            demo_roll_forward,
            "15 * * * *",
            "analytics",
            900,
            "Extend the seeded demo to now: new orders, open ones moved on (demo databases only).",
            after_start=True,
        ),
        Job(
            "cache-warm",
            cache_warm,
            "*/5 * * * *",
            "analytics",
            240,
            "Compute the dashboard's common answers that have gone cold, so its first visitor"
            " gets a cache hit (rows: answers warmed).",
            after_start=True,
        ),
        Job(
            "low-stock",
            low_stock,
            "0 * * * *",
            "notifications",
            300,
            "Open an alert for each product at or below its reorder level, close those"
            " restocked, and send new and closed alerts (job failures too) to the webhook"
            " and by e-mail (rows: alerts opened and closed).",
        ),
        Job(
            "imports",
            import_uploads,
            "*/10 * * * *",
            "analytics",
            3600,
            "Import the uploads the API stored for the workers (with a broker: files over"
            " SHOPX_UPLOAD_SYNC_BYTES, under data_dir/imports), oldest first; the schedule"
            " catches up those whose run never reached a worker (rows: rows imported).",
        ),
        Job(
            "sheets-sync",
            sheets_sync,
            "0 * * * *",
            "analytics",
            SYNC_TIMEOUT,
            "Fetch every registered Google Sheet and import its new rows through the CSV"
            " importer; fails naming the sheets that could not be fetched, after syncing the"
            " others (rows: rows imported).",
        ),
    )
}


def job_named(name: str, jobs: Mapping[str, Job] = JOBS) -> Job:
    """The job called ``name``; BadInput naming the known jobs otherwise."""
    job = jobs.get(name)
    if job is None:
        raise BadInput(f"no job {name!r} (jobs: {', '.join(jobs)})")
    return job


def schedules(settings: Settings, jobs: Mapping[str, Job] = JOBS) -> dict[str, Schedule | None]:
    """Each job's schedule: its default, or ``SHOPX_JOB_SCHEDULES``'s (None: not scheduled).
    BadInput for an override naming no job or holding no valid schedule."""
    unknown = sorted(set(settings.job_schedules) - set(jobs))
    if unknown:
        raise BadInput(
            f"SHOPX_JOB_SCHEDULES names no job {', '.join(unknown)} (jobs: {', '.join(jobs)})"
        )
    return {
        name: parse_schedule(settings.job_schedules.get(name, job.schedule))
        for name, job in jobs.items()
    }
