"""Running a job once and recording the run in ``job_runs``.

:func:`run_job` records a ``running`` row, runs the job under its timeout, then records how
it ended: ``succeeded`` (with the rows it touched), ``failed`` (with the error's type and
message, never as a success) or ``timed_out``. A job with a ``running`` row younger than
its timeout is already running somewhere: the run is recorded ``skipped`` and does nothing.

A run sent to a Celery worker starts as a ``queued`` row (:func:`record_queued`);
:func:`run_queued` moves that row to ``running`` and on, so the row a caller was given is
the row that ends. A task delivered again because its worker died takes over its own
``running`` row; one delivered after its row ended does nothing. A failure caused by an
unreachable database or broker (:func:`shopx.jobs.transient.is_transient`) is marked
``transient`` on the record, and a run that may be retried goes back to ``queued``.
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
from shopx.jobs.transient import is_transient

log = logging.getLogger("shopx.jobs")

ERROR_LIMIT = 2_000
"""Characters of a failed run's error that are kept."""


class Outcome(StrEnum):
    """How a run ended (``queued`` until a worker takes it, ``running`` while it runs)."""

    QUEUED = "queued"
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
    transient: bool = False
    """The run failed because the database or the broker could not be reached: running it
    again later may succeed (a bad-data or code failure is never transient)."""

    @classmethod
    def of(cls, row: JobRun, *, transient: bool = False) -> RunRecord:
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
            transient,
        )


async def _start(session: AsyncSession, job: Job, trigger: Trigger, now: datetime) -> JobRun:
    """A ``running`` row, or a finished ``skipped`` one when the job is running already."""
    row = JobRun(job=job.name, trigger=trigger, started_at=now, outcome="running")
    session.add(row)
    await _run_or_skip(session, job, row, now)
    return row


async def _claim(
    session: AsyncSession, run_id: int, jobs: Mapping[str, Job], now: datetime
) -> tuple[JobRun, Job] | None:
    """The queued run ``run_id`` moved to ``running`` (or ``skipped``); a ``running`` one
    taken over (its worker died, see the module doc); an ended one as it is. None when no
    such run is recorded, or when its job no longer exists (the run is then failed)."""
    row = await session.get(JobRun, run_id, with_for_update=True)
    if row is None:
        return None
    job = jobs.get(row.job)
    if job is None:  # sent before a deploy that removed the job: it will never run
        row.outcome, row.finished_at, row.duration_ms = Outcome.FAILED, now, 0
        row.error = f"no job {row.job!r} any more (jobs: {', '.join(jobs)})"
        return None
    if row.outcome in (Outcome.QUEUED, Outcome.RUNNING):
        row.outcome, row.started_at, row.error, row.detail = Outcome.RUNNING, now, None, None
        await _run_or_skip(session, job, row, now)
    return row, job


async def _run_or_skip(session: AsyncSession, job: Job, row: JobRun, now: datetime) -> None:
    """Leave ``row`` running, or end it ``skipped`` when another run of the job is."""
    if is_postgres(session.bind):
        # Serialise the check-and-insert across processes for this job.
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"shopx-job:{job.name}"}
        )
    await session.flush()
    busy = await session.scalar(
        select(func.count())
        .select_from(JobRun)
        .where(
            JobRun.job == job.name,
            JobRun.id != row.id,
            JobRun.outcome == Outcome.RUNNING,
            JobRun.started_at > now - timedelta(seconds=job.timeout),
        )
    )
    if busy:
        row.outcome, row.finished_at, row.duration_ms, row.rows = "skipped", now, 0, 0
        row.detail = "already running"
    await session.flush()


async def record_queued(
    session: AsyncSession,
    name: str,
    trigger: Trigger,
    now: datetime,
    jobs: Mapping[str, Job] = JOBS,
) -> JobRun:
    """A ``queued`` row for a run of the job ``name`` about to be sent to a worker (flushed,
    so it has its id; committed with ``session``). BadInput for an unknown job."""
    row = JobRun(job=job_named(name, jobs).name, trigger=trigger, started_at=now, outcome="queued")
    session.add(row)
    await session.flush()
    return row


async def _attempt(
    job: Job, ctx: JobContext, time_limits: tuple[type[BaseException], ...] = ()
) -> tuple[str, JobResult | None, str | None, bool]:
    """Run ``job`` under its timeout: (outcome, result, error, transient). ``time_limits``
    are the errors by which the process itself ends a run that is over its time."""
    try:
        async with asyncio.timeout(job.timeout) as limit:
            result = await job.run(ctx)
    except TimeoutError as exc:
        if limit.expired():
            return "timed_out", None, f"no result after {job.timeout:g} s", False
        return "failed", None, _error(exc), is_transient(exc)
    except time_limits as exc:
        return "timed_out", None, f"stopped by the time limit: {_error(exc)}", False
    except Exception as exc:  # every failure of a job is recorded, whatever it is
        return "failed", None, _error(exc), is_transient(exc)
    return "succeeded", result, None, False


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:ERROR_LIMIT]


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
    return await _execute(job, row, engine, settings, cache, requeue_transient=False)


async def run_queued(
    run_id: int,
    engine: AsyncEngine,
    settings: Settings,
    *,
    cache: CacheRuntime | None = None,
    jobs: Mapping[str, Job] = JOBS,
    requeue_transient: bool = False,
    time_limits: tuple[type[BaseException], ...] = (),
) -> RunRecord | None:
    """Run the queued run ``run_id`` (a worker's side of :func:`record_queued`; module doc).

    With ``requeue_transient``, a transient failure puts the row back to ``queued`` (with
    its error) for a retry to take; without, it ends ``failed``. Transient errors reaching
    the ``job_runs`` rows themselves propagate. ``time_limits``: the errors by which the
    worker stops a job stuck past its timeout (recorded ``timed_out``). None when there is
    nothing to run: no run ``run_id`` is recorded, or its job no longer exists (recorded
    failed)."""
    sessions = session_factory(engine)
    async with bookkeeping_session(sessions) as session:
        claimed = await _claim(session, run_id, jobs, datetime.now(UTC))
    if claimed is None:
        return None
    row, job = claimed
    if row.outcome != Outcome.RUNNING:
        return RunRecord.of(row)
    return await _execute(
        job,
        row,
        engine,
        settings,
        cache,
        requeue_transient=requeue_transient,
        time_limits=time_limits,
    )


async def _execute(
    job: Job,
    row: JobRun,
    engine: AsyncEngine,
    settings: Settings,
    cache: CacheRuntime | None,
    *,
    requeue_transient: bool,
    time_limits: tuple[type[BaseException], ...] = (),
) -> RunRecord:
    """Run ``job`` for its ``running`` row and record how it ended (a skipped row as is)."""
    seconds, transient = None, False
    if row.outcome == Outcome.RUNNING:
        sessions = session_factory(engine)
        started = time.perf_counter()
        ctx = JobContext(engine, sessions, settings, cache, row.started_at)
        outcome, result, error, transient = await _attempt(job, ctx, time_limits)
        async with bookkeeping_session(sessions) as session:
            row = await session.get_one(JobRun, row.id)
            row.outcome, row.error = outcome, error
            seconds = time.perf_counter() - started
            if transient and requeue_transient:
                row.outcome, row.detail = Outcome.QUEUED, "retrying: a service was unreachable"
            else:
                row.finished_at = datetime.now(UTC)
                row.duration_ms = round(seconds * 1000)
            if result is not None:
                row.rows, row.detail = result.rows, result.detail
        await follow_with_alert(sessions, row.job, row.outcome, row.error, row.finished_at)
    observability.job_run(job.name, row.outcome, seconds)
    return RunRecord.of(row, transient=transient)


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


async def run_record(engine: AsyncEngine, run_id: int) -> RunRecord:
    """The run ``run_id`` as recorded now."""
    async with session_factory(engine)() as session:
        return RunRecord.of(await session.get_one(JobRun, run_id))


async def recent_runs(session: AsyncSession, job: str, limit: int) -> list[RunRecord]:
    """The latest ``limit`` runs of ``job``, newest first."""
    rows = await session.scalars(
        select(JobRun).where(JobRun.job == job).order_by(JobRun.id.desc()).limit(limit)
    )
    return [RunRecord.of(row) for row in rows]
