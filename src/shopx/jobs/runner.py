"""Running a job once and recording the run in ``job_runs``.

:func:`run_job` records a ``running`` row, runs the job under its timeout, then records how
it ended: ``succeeded`` (with the rows it touched), ``failed`` (with the error's type and
message, never as a success) or ``timed_out``. A job with a ``running`` row younger than
its timeout is already running somewhere: the run is recorded ``skipped`` and does nothing.
Every run also counts in ``shopx_job_runs_total`` and ``shopx_job_duration_seconds``.
A failed or timed-out run opens a ``job_failed`` alert, a later success closes it
(:mod:`shopx.alerts.failures`).
The ``job_runs`` rows are bookkeeping (no cached answer is made of them); the job's own
writes go through the write context of the API (see :mod:`shopx.jobs.registry`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shopx import observability
from shopx.alerts.failures import follow_run
from shopx.cache.runtime import CacheRuntime
from shopx.config import Settings
from shopx.db.dialect import is_postgres
from shopx.db.engine import session_factory
from shopx.db.models import JobRun
from shopx.db.writes import bookkeeping_session
from shopx.jobs.registry import JOBS, Job, JobContext, JobResult, Trigger, job_named

log = logging.getLogger("shopx.jobs")

ERROR_LIMIT = 2_000
"""Characters of a failed run's error that are kept."""


class Outcome(StrEnum):
    """How a run ended (``running`` while it has not)."""

    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"
    TIMED_OUT = "timed_out"


@dataclass(frozen=True)
class RunRecord:
    """A run of a job, as recorded in ``job_runs``."""

    id: int
    job: str
    trigger: str
    """What started the run: schedule, manual or event."""
    outcome: str
    rows: int | None
    """The rows the run touched, as the job counts them; null unless it succeeded."""
    duration_ms: int | None
    """Milliseconds the job ran; null while running, 0 when skipped."""
    error: str | None
    """A failed or timed-out run's error (type and message, cut to 2,000 characters)."""
    detail: str | None
    """The job's own account of a successful run, or why it was skipped."""
    started_at: datetime | None = None
    """When the run began (UTC)."""
    finished_at: datetime | None = None
    """When the run ended (UTC); null while it runs."""

    @classmethod
    def of(cls, row: JobRun) -> RunRecord:
        return cls(
            row.id,
            row.job,
            row.trigger,
            row.outcome,
            row.rows,
            row.duration_ms,
            row.error,
            row.detail,
            row.started_at,
            row.finished_at,
        )


async def _start(session: AsyncSession, job: Job, trigger: Trigger, now: datetime) -> JobRun:
    """A ``running`` row, or a finished ``skipped`` one when the job is running already."""
    if is_postgres(session.bind):
        # Serialise the check-and-insert across processes for this job.
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"shopx-job:{job.name}"}
        )
    busy = await session.scalar(
        select(func.count())
        .select_from(JobRun)
        .where(
            JobRun.job == job.name,
            JobRun.outcome == "running",
            JobRun.started_at > now - timedelta(seconds=job.timeout),
        )
    )
    row = JobRun(job=job.name, trigger=trigger, started_at=now, outcome="running")
    if busy:
        row.outcome, row.finished_at, row.duration_ms, row.rows = "skipped", now, 0, 0
        row.detail = "already running"
    session.add(row)
    await session.flush()
    return row


async def _attempt(job: Job, ctx: JobContext) -> tuple[str, JobResult | None, str | None]:
    """Run ``job`` under its timeout: (outcome, result, error)."""
    try:
        async with asyncio.timeout(job.timeout) as limit:
            result = await job.run(ctx)
    except TimeoutError as exc:
        if limit.expired():
            return "timed_out", None, f"no result after {job.timeout:g} s"
        return "failed", None, f"{type(exc).__name__}: {exc}"[:ERROR_LIMIT]
    except Exception as exc:  # every failure of a job is recorded, whatever it is
        return "failed", None, f"{type(exc).__name__}: {exc}"[:ERROR_LIMIT]
    return "succeeded", result, None


async def run_job(
    name: str,
    trigger: Trigger,
    engine: AsyncEngine,
    settings: Settings,
    *,
    cache: CacheRuntime | None = None,
    jobs: Mapping[str, Job] = JOBS,
) -> RunRecord:
    """Run the job called ``name`` now in this process and record the run (module doc).

    ``cache`` is told about the job's writes (the API's, or :func:`outside_cache`'s for a
    command); the database's write counter is bumped in any case."""
    job = job_named(name, jobs)
    sessions = session_factory(engine)
    started_at = datetime.now(UTC)
    async with bookkeeping_session(sessions) as session:
        row = await _start(session, job, trigger, started_at)
    seconds = None
    if row.outcome == "running":
        started = time.perf_counter()
        ctx = JobContext(engine, sessions, settings, cache, started_at)
        outcome, result, error = await _attempt(job, ctx)
        async with bookkeeping_session(sessions) as session:
            row = await session.get_one(JobRun, row.id)
            row.outcome, row.error = outcome, error
            row.finished_at = datetime.now(UTC)
            seconds = time.perf_counter() - started
            row.duration_ms = round(seconds * 1000)
            if result is not None:
                row.rows, row.detail = result.rows, result.detail
        await follow_with_alert(sessions, row.job, row.outcome, row.error, row.finished_at)
    observability.job_run(job.name, row.outcome, seconds)
    return RunRecord.of(row)


async def follow_with_alert(
    sessions: async_sessionmaker[AsyncSession],
    job: str,
    outcome: str,
    error: str | None,
    finished_at: datetime | None,
) -> None:
    """Open or close the job's failure alert for a run just recorded as ended; a failure to
    do so is logged and never changes the run's own outcome."""
    try:
        async with bookkeeping_session(sessions) as session:
            await follow_run(
                session,
                job=job,
                outcome=outcome,
                error=error,
                now=finished_at or datetime.now(UTC),
            )
    except Exception:  # the run is recorded already; its alert is not worth hiding it for
        log.exception("job %s: the %s run's alert was not written", job, outcome)


async def last_runs(engine: AsyncEngine) -> dict[str, JobRun]:
    """Each job's latest run (by start), for ``shopx jobs list``."""
    latest = select(JobRun.job, func.max(JobRun.id).label("id")).group_by(JobRun.job).subquery()
    async with session_factory(engine)() as session:
        rows = await session.scalars(select(JobRun).join(latest, JobRun.id == latest.c.id))
        return {row.job: row for row in rows}


async def recent_runs(session: AsyncSession, job: str, limit: int) -> list[RunRecord]:
    """The latest ``limit`` runs of ``job``, newest first."""
    rows = await session.scalars(
        select(JobRun).where(JobRun.job == job).order_by(JobRun.id.desc()).limit(limit)
    )
    return [RunRecord.of(row) for row in rows]
