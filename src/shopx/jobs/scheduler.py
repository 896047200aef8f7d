"""The embedded scheduler: ``shopx serve`` runs the job schedule itself when no broker is set.

It runs the schedule Celery beat would run (:func:`shopx.jobs.registry.schedules`: the
defaults with ``SHOPX_JOB_SCHEDULES`` applied, cut in the business time zone), in exactly one
process per database however many workers or instances serve it: the holder of the lock of
:mod:`shopx.jobs.leadership`. Every other process tries to take the lead again every
``takeover_seconds``, so the schedule moves on within that long after its holder dies.

The holder sleeps until the next fire time of any job (waking at least every
``takeover_seconds`` to check it still holds the lock), then starts each due job as a task of
its own through :func:`shopx.jobs.runner.run_job` (trigger ``schedule``): past the catch-up
(below), a slow job delays no other job, and a run due while the last one still runs is
recorded ``skipped`` by the runner. After a wait that overran several fire times (a
suspended machine), a job runs once, not once per missed time.

Decisions where the issue is silent:

- Catch-up: on taking the lead, a job whose latest fire time at or before now has no run
  started at or after it (any trigger, any outcome, skipped included: something attended to
  it) runs once right away. Only the latest fire time counts, so a job runs at most once
  to catch up however long the schedule stood still; a job that never ran catches up on the
  first start (a fresh install gets its segments and partitions at once). The jobs catching
  up run one after another, in the registry's order: started all at once, ten jobs
  contended with the requests for the serving process's one event loop, and an order
  placed meanwhile at scale M took up to 10 s (the README's Benchmarks, Writes). Their
  later runs, at their fire times, start each as its own task as below. A catch-up starts
  no job once the process is stopping or has lost the lead (or taken it again: that lead
  catches up what is left). A run closed as abandoned (below) does not count: its process
  died before the job was done.
- After start: a job whose registry entry says ``after_start`` (cache-warm) and that is
  scheduled also runs once on taking the lead, whether or not it missed a fire time,
  after the jobs catching up (it warms the answers as they left them).
- Abandoned runs: a ``running`` row older than its job's timeout plus
  :data:`RUNNING_GRACE` (the runner ends every run at its timeout, so its process died), or a
  ``queued`` row older than a day plus the timeout (no worker ever took it), is closed as
  ``timed_out`` with an ``abandoned: ...`` error when the lead is taken and at every
  wake-up. Rows of jobs no longer in the registry use the longest timeout. Imports whose
  process died are closed then too (:func:`shopx.ingest.interrupted.close_interrupted`).
- Stopping: the loop is cancelled, running jobs get ``stop_grace`` seconds to finish, the
  rest are cancelled and their rows closed as ``failed`` ("cancelled: ..."), then the lock
  is released.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from shopx import observability
from shopx.cache.runtime import CacheRuntime
from shopx.config import Settings, mask_url
from shopx.db.engine import session_factory
from shopx.db.models import JobRun
from shopx.db.writes import bookkeeping_session
from shopx.ingest.interrupted import close_interrupted
from shopx.jobs.leadership import Leadership, leadership_for
from shopx.jobs.registry import JOBS, Job, schedules
from shopx.jobs.runner import follow_with_alert, run_job
from shopx.jobs.schedule import Schedule

log = logging.getLogger("shopx.jobs")

TAKEOVER_SECONDS = 15.0
RUNNING_GRACE = timedelta(minutes=5)
"""How long past its timeout a ``running`` row is given before it counts as abandoned."""
QUEUED_GRACE = timedelta(days=1)
"""How long past its timeout a ``queued`` row is given before it counts as abandoned."""
ABANDONED = "abandoned: "
"""How the error of a run closed as abandoned begins."""
STOP_GRACE = 10.0
"""Seconds running jobs get to finish when the scheduler stops."""

Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]


def scheduler_wanted(settings: Settings) -> bool:
    """Whether ``shopx serve`` runs the schedule: enabled, and no broker (beat runs it then)."""
    return settings.scheduler_enabled and not settings.broker_url


def _system_clock() -> datetime:
    return datetime.now(UTC)


class Scheduler:
    """The job schedule of one process, run while it holds the lead (module doc)."""

    def __init__(
        self,
        engine: AsyncEngine,
        settings: Settings,
        *,
        cache: CacheRuntime | None = None,
        jobs: Mapping[str, Job] = JOBS,
        clock: Clock = _system_clock,
        sleep: Sleep = asyncio.sleep,
        takeover_seconds: float = TAKEOVER_SECONDS,
        stop_grace: float = STOP_GRACE,
        leadership: Leadership | None = None,
    ) -> None:
        self.engine, self.settings, self.cache, self.jobs = engine, settings, cache, jobs
        self.planned = {
            name: schedule
            for name, schedule in schedules(settings, jobs).items()
            if schedule is not None
        }
        self.clock, self.sleep = clock, sleep
        self.takeover_seconds, self.stop_grace = takeover_seconds, stop_grace
        self.lock = leadership or leadership_for(engine)
        self.leading = False
        self.running: dict[asyncio.Task[None], tuple[str, datetime]] = {}
        """Job runs under way: each task with its job and when it was started (UTC)."""
        self._loop: asyncio.Task[None] | None = None
        self._term = 0
        """Counts the leads taken: a catch-up goes on only within the lead it began in."""
        self._stopping = False
        self._where = mask_url(engine.url.render_as_string(hide_password=False))

    async def start(self) -> None:
        self._loop = asyncio.create_task(self._run(), name="shopx-scheduler")

    async def stop(self) -> None:
        """Stop scheduling, let running jobs finish (or cancel them), release the lead."""
        loop, self._loop = self._loop, None
        self._stopping = True  # a catch-up starts no other job meanwhile
        if loop is not None:
            loop.cancel()
            with suppress(asyncio.CancelledError):
                await loop
        await self._finish_running()
        await self._step_down("stopping")

    async def _run(self) -> None:
        while True:
            if await self._take_lead():
                try:
                    await self._lead()
                except Exception:
                    log.exception("the job schedule failed; stepping down to try again")
                await self._step_down("lost")
            await self.sleep(self.takeover_seconds)

    async def _take_lead(self) -> bool:
        try:
            taken = await self.lock.acquire()
        except Exception as exc:
            log.warning("could not try the scheduler lock on %s: %s", self._where, exc)
            return False
        if taken:
            self.leading = True
            observability.scheduler_leader(True)
            # A warning, not info: shopx configures no logging, and the lead moving is news.
            log.warning("this process took the lead of the job schedule on %s", self._where)
        return taken

    async def _step_down(self, why: str) -> None:
        with suppress(Exception):
            await self.lock.release()
        if self.leading:
            self.leading = False
            observability.scheduler_leader(False)
            log.warning("this process let go of the job schedule on %s (%s)", self._where, why)

    async def _lead(self) -> None:
        """Run the schedule until the lead is lost."""
        tz = self.settings.tz
        now = self.clock()
        self._term += 1
        await close_abandoned(self.engine, self.jobs, now)
        await close_interrupted(self.engine, now)
        starting = [name for name in self.planned if self.jobs[name].after_start]
        due = await missed(self.engine, self.planned, now, tz)
        catching_up = [*(name for name in due if name not in starting), *starting]
        if catching_up:
            self._fire_in_turn(catching_up)
        upcoming = {name: schedule.next_after(now, tz) for name, schedule in self.planned.items()}
        while True:
            soonest = min(upcoming.values(), default=None)
            wait = self.takeover_seconds
            if soonest is not None:
                wait = min(wait, max((soonest - now).total_seconds(), 0.0))
            await self.sleep(wait)
            if not await self.lock.holding():
                return
            now = self.clock()
            await close_abandoned(self.engine, self.jobs, now)
            await close_interrupted(self.engine, now)
            for name, at in upcoming.items():
                if at <= now:
                    self._fire(name)
                    upcoming[name] = self.planned[name].next_after(now, tz)

    def _fire(self, name: str) -> None:
        self._track(self._run_job(name), name, f"shopx-job:{name}")

    def _fire_in_turn(self, names: list[str]) -> None:
        """Run ``names`` one after another, in a task of their own (module doc, Catch-up)."""
        term = self._term

        async def in_turn() -> None:
            task = asyncio.current_task()
            assert task is not None
            for name in names:
                if self._stopping or not self.leading or self._term != term:
                    return  # the next lead catches up what is left
                self.running[task] = (name, datetime.now(UTC))
                await self._run_job(name)

        self._track(in_turn(), names[0], "shopx-jobs:catch-up")

    def _track(self, run: Coroutine[Any, Any, None], name: str, task_name: str) -> None:
        """Start ``run`` as a task, in :attr:`running` (as running job ``name``) until done."""
        task = asyncio.create_task(run, name=task_name)
        self.running[task] = (name, datetime.now(UTC))
        task.add_done_callback(self._forget)

    def _forget(self, task: asyncio.Task[None]) -> None:
        self.running.pop(task, None)

    async def _run_job(self, name: str) -> None:
        try:
            record = await run_job(
                name, "schedule", self.engine, self.settings, cache=self.cache, jobs=self.jobs
            )
        except Exception:
            log.exception("scheduled run of job %s could not be recorded", name)
            return
        if record.outcome in ("failed", "timed_out"):
            log.warning("scheduled job %s %s: %s", name, record.outcome, record.error)

    async def _finish_running(self) -> None:
        running = dict(self.running)
        if not running:
            return
        _, pending = await asyncio.wait(running, timeout=self.stop_grace)
        # What each runs now: a catch-up may have gone on to its next job meanwhile.
        cancelled = {task: self.running.get(task, running[task]) for task in pending}
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for name, since in cancelled.values():
            with suppress(Exception):
                await close_cancelled(self.engine, name, since)


async def missed(
    engine: AsyncEngine, planned: Mapping[str, Schedule], now: datetime, tz: ZoneInfo
) -> list[str]:
    """The jobs whose latest fire time at or before ``now`` has no run started since."""
    due: list[str] = []
    async with session_factory(engine)() as session:
        for name, schedule in planned.items():
            fired = schedule.latest_at_or_before(now, tz)
            ran = await session.scalar(
                select(
                    exists().where(
                        JobRun.job == name,
                        JobRun.started_at >= fired,
                        or_(
                            JobRun.error.is_(None),
                            ~JobRun.error.startswith(ABANDONED, autoescape=True),
                        ),
                    )
                )
            )
            if not ran:
                due.append(name)
    return due


async def close_abandoned(engine: AsyncEngine, jobs: Mapping[str, Job], now: datetime) -> int:
    """Close the ``running`` and ``queued`` rows whose process is gone (module doc) as
    ``timed_out``, each opening its job's failure alert; the number closed."""
    longest = max((job.timeout for job in jobs.values()), default=0.0)
    limits = [(JobRun.job == name, job.timeout) for name, job in jobs.items()]
    limits.append((JobRun.job.not_in(list(jobs)), longest))
    closed: list[tuple[str, str | None]] = []
    sessions = session_factory(engine)
    async with bookkeeping_session(sessions) as session:
        for which, timeout in limits:
            for outcome, grace, why in (
                ("running", RUNNING_GRACE, "its process stopped before it ended"),
                ("queued", QUEUED_GRACE, "no worker started it"),
            ):
                result = await session.execute(
                    update(JobRun)
                    .where(
                        which,
                        JobRun.outcome == outcome,
                        JobRun.started_at < now - grace - timedelta(seconds=timeout),
                    )
                    .values(
                        outcome="timed_out",
                        finished_at=now,
                        error=f"{ABANDONED}still {outcome} well past its {timeout:g} s"
                        f" timeout; {why}",
                    )
                    .returning(JobRun.job, JobRun.error)
                    .execution_options(synchronize_session=False)
                )
                closed.extend((job, error) for job, error in result)
    for job, error in closed:
        await follow_with_alert(sessions, job, "timed_out", error, now)
    if closed:
        log.warning("closed %d abandoned job run(s) as timed_out", len(closed))
    return len(closed)


async def close_cancelled(engine: AsyncEngine, name: str, since: datetime) -> None:
    """Record the scheduled run of ``name`` cancelled at shutdown as failed (which opens the
    job's failure alert: the run did not do its work)."""
    sessions = session_factory(engine)
    error = "cancelled: the server stopped before the run ended"
    async with bookkeeping_session(sessions) as session:
        result = await session.execute(
            update(JobRun)
            .where(
                JobRun.job == name,
                JobRun.trigger == "schedule",
                JobRun.outcome == "running",
                JobRun.started_at >= since,
            )
            .values(
                outcome="failed",
                finished_at=datetime.now(UTC),
                error=error,
            )
            .returning(JobRun.id)
            .execution_options(synchronize_session=False)
        )
        cancelled = result.scalars().all()
    if cancelled:
        await follow_with_alert(sessions, name, "failed", error, datetime.now(UTC))
