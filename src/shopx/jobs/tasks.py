"""The Celery tasks (:mod:`shopx.jobs.celery_app` says how they are configured).

``shopx.jobs.run`` runs one queued run by its id, on the worker process's event loop and
engine, and retries with backoff only when the database or the broker was unreachable.
``shopx.jobs.schedule`` is beat's tick: it records a scheduled run and sends it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded

from shopx.ingest.interrupted import close_interrupted
from shopx.jobs.celery_app import RUN_TASK, SCHEDULE_TASK, retry_delay, worker_runtime
from shopx.jobs.dispatch import enqueue
from shopx.jobs.registry import JOBS
from shopx.jobs.runner import Outcome, run_queued
from shopx.jobs.scheduler import close_abandoned
from shopx.jobs.transient import is_transient

log = logging.getLogger(__name__)


def _retry(task: Task, exc: Exception | None = None) -> Exception:
    settings = worker_runtime().settings
    return task.retry(
        exc=exc,
        countdown=retry_delay(settings, task.request.retries),
        max_retries=settings.job_retries,
    )


def _may_retry(task: Task) -> bool:
    return task.request.retries < worker_runtime().settings.job_retries


@shared_task(name=RUN_TASK, bind=True)
def run(task: Task, run_id: int) -> None:
    """Run the queued run ``run_id``; retry later when a service was unreachable."""
    runtime = worker_runtime()
    may_retry = _may_retry(task)
    try:
        record = runtime.run(
            run_queued(
                run_id,
                runtime.engine,
                runtime.settings,
                cache=runtime.cache,
                requeue_transient=may_retry,
                time_limits=(SoftTimeLimitExceeded,),
            )
        )
    except Exception as exc:
        if may_retry and is_transient(exc):
            raise _retry(task, exc) from exc
        raise
    if record is None:
        log.warning("run %s: nothing to run (no such run, or its job no longer exists)", run_id)
        return
    log.info("run %s of %s: %s", run_id, record.job, record.outcome)
    if record.transient and record.outcome == Outcome.QUEUED:
        raise _retry(task)


@shared_task(name=SCHEDULE_TASK, bind=True)
def schedule(task: Task, name: str) -> None:
    """Beat's tick for the job ``name``: record a scheduled run and send it."""
    runtime = worker_runtime()
    try:
        # Beat's ticks also close the runs whose worker died or that no worker ever took,
        # and the imports whose process died (what the embedded scheduler does at each
        # wake-up).
        runtime.run(close_abandoned(runtime.engine, JOBS, datetime.now(UTC)))
        runtime.run(close_interrupted(runtime.engine, datetime.now(UTC)))
        record = runtime.run(enqueue(name, "schedule", runtime.engine, runtime.settings))
    except Exception as exc:
        if _may_retry(task) and is_transient(exc):
            raise _retry(task, exc) from exc
        raise
    log.info("scheduled run %s of %s: %s", record.id, name, record.outcome)
