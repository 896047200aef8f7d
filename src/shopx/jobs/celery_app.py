"""The Celery app of ``shopx worker`` and ``shopx beat`` (``SHOPX_BROKER_URL``, Redis or
RabbitMQ), built from the settings by :func:`create_app`.

Its two tasks live in :mod:`shopx.jobs.tasks`: every run has a ``job_runs`` row before a
worker starts it, so beat sends ``shopx.jobs.schedule``, which records a ``schedule`` run
and sends ``shopx.jobs.run`` with its id, as ``shopx jobs run`` does.

- Queues ``analytics``, ``maintenance``, ``notifications`` (each job's ``Job.queue``), with
  priorities: manual and event runs go before scheduled ones (RabbitMQ ``x-max-priority``;
  on Redis one list per priority, 0 first).
- No result backend: the outcome is the ``job_runs`` row.
- Acks late, rejected when the worker is lost, prefetch 1: a task whose worker was killed is
  delivered again (RabbitMQ at once, Redis after the visibility timeout) and takes over its
  own row. The Redis visibility timeout exceeds the longest job timeout, so a slow job is
  not delivered twice while it runs.
- Time limits from ``Job.timeout``: the runner's own timeout ends the run ``timed_out``; the
  soft limit, a little later, interrupts a job stuck outside the event loop; the hard limit
  ends its process.
- Retries with exponential backoff on transient failures only (database or broker
  unreachable, :mod:`shopx.jobs.transient`); bad data or a bug is recorded failed once.
- Each worker process runs its tasks on one event loop with one engine (and one cache
  runtime, :func:`use_cache`), made when the process starts and disposed of when it stops.

``celery -A shopx.jobs.celery_app <command>`` (Flower, ``inspect``) finds the app built
from the environment.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Coroutine
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from dataclasses import dataclass
from typing import Any, TypeVar

from celery import Celery
from celery.schedules import crontab
from celery.signals import (
    beat_init,
    worker_process_init,
    worker_process_shutdown,
    worker_shutdown,
)
from kombu import Exchange, Queue
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shopx.cache.runtime import CacheRuntime, outside_cache
from shopx.config import Settings, get_settings
from shopx.db.engine import engine_from_settings, session_factory
from shopx.jobs.registry import JOBS, Job, Trigger, schedules

T = TypeVar("T")
log = logging.getLogger(__name__)

RUN_TASK = "shopx.jobs.run"
SCHEDULE_TASK = "shopx.jobs.schedule"
QUEUES = ("analytics", "maintenance", "notifications")
MAX_PRIORITY = 9
SOFT_LIMIT_GRACE = 15
"""Seconds past ``Job.timeout`` before the soft limit: the runner's timeout comes first."""
HARD_LIMIT_GRACE = 45
"""Seconds past ``Job.timeout`` before the hard limit ends the worker process."""
VISIBILITY_MARGIN = 300
"""Seconds the default Redis visibility timeout leaves past the longest hard limit."""
RETRY_BACKOFF_MAX = 600.0
STOP_TIMEOUT = 10.0


def is_redis(broker_url: str | None) -> bool:
    return (broker_url or "").startswith(("redis://", "rediss://", "redis+socket://"))


def priority(settings: Settings, trigger: Trigger) -> int:
    """The message priority of a run: manual and event runs before scheduled ones. RabbitMQ
    delivers the highest number first, Redis the lowest."""
    urgent = trigger != "schedule"
    if is_redis(settings.broker_url):
        return 0 if urgent else MAX_PRIORITY
    return MAX_PRIORITY if urgent else 0


def time_limits(job: Job) -> dict[str, float]:
    """``apply_async`` options bounding one run of ``job``."""
    return {
        "soft_time_limit": job.timeout + SOFT_LIMIT_GRACE,
        "time_limit": job.timeout + HARD_LIMIT_GRACE,
    }


def retry_delay(settings: Settings, retries: int) -> float:
    """Seconds before retry number ``retries + 1``: doubling from the backoff, capped, with
    up to a fifth of jitter so workers that failed together do not retry together."""
    delay = min(settings.job_retry_backoff * 2**retries, RETRY_BACKOFF_MAX)
    return delay * random.uniform(0.8, 1.0)


def visibility_timeout(settings: Settings) -> int:
    if settings.broker_visibility_timeout is not None:
        return settings.broker_visibility_timeout
    longest = max(job.timeout for job in JOBS.values())
    return int(longest + HARD_LIMIT_GRACE + VISIBILITY_MARGIN)


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    """Beat's entries: one per scheduled job (``off`` jobs absent), its cron read in the
    app's time zone (the business one), sent to the job's queue at scheduled priority."""
    return {
        name: {
            "task": SCHEDULE_TASK,
            "schedule": crontab(**schedule.crontab_fields()),
            "args": (name,),
            "options": {"queue": JOBS[name].queue, "priority": priority(settings, "schedule")},
        }
        for name, schedule in schedules(settings).items()
        if schedule is not None
    }


def after_start_entries(settings: Settings) -> dict[str, dict[str, Any]]:
    """The beat entries of the jobs that also run once when beat starts (``after_start``:
    cache-warm after a deploy), as the embedded scheduler runs them on taking the lead."""
    entries = beat_schedule(settings)
    return {name: entry for name, entry in entries.items() if JOBS[name].after_start}


@beat_init.connect
def _send_after_start(sender: Any = None, **_: Any) -> None:
    app = sender.app
    settings = get_settings()
    for entry in after_start_entries(settings).values():
        app.send_task(entry["task"], args=entry["args"], **entry["options"])


def create_app(settings: Settings) -> Celery:
    """The Celery app for ``settings`` (module doc), with its two tasks."""
    app = Celery("shopx", broker=settings.broker_url, set_as_current=False)
    transport: dict[str, Any] = {}
    if is_redis(settings.broker_url):
        transport = {
            "visibility_timeout": visibility_timeout(settings),
            "priority_steps": list(range(MAX_PRIORITY + 1)),
            "sep": ":",
        }
    app.conf.update(
        task_ignore_result=True,
        task_store_errors_even_if_ignored=False,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_queues=[
            Queue(name, Exchange(name, type="direct"), routing_key=name, max_priority=MAX_PRIORITY)
            for name in QUEUES
        ],
        task_default_queue="analytics",
        task_default_priority=priority(settings, "schedule"),
        broker_transport_options=transport,
        broker_connection_retry_on_startup=True,
        timezone=settings.timezone,
        enable_utc=True,
        beat_schedule=beat_schedule(settings),
        beat_schedule_filename=str(settings.data_dir / "celerybeat-schedule"),
        imports=("shopx.jobs.tasks",),
        worker_send_task_events=True,
        task_send_sent_event=True,
    )
    return app


def send_run(settings: Settings, run_id: int, job: Job, trigger: Trigger) -> None:
    """Send the queued run ``run_id`` of ``job`` to its queue (blocking; raises when the
    broker cannot be reached within a few seconds)."""
    app_for(settings).send_task(
        RUN_TASK,
        args=(run_id,),
        queue=job.queue,
        priority=priority(settings, trigger),
        retry=True,
        retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5},
        **time_limits(job),
    )


@dataclass
class WorkerRuntime:
    """One worker process's event loop, engine and cache runtime (module doc)."""

    settings: Settings
    loop: asyncio.AbstractEventLoop
    engine: AsyncEngine
    cache: CacheRuntime
    exit: AsyncExitStack

    @classmethod
    def start(cls, settings: Settings) -> WorkerRuntime:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        engine = engine_from_settings(settings)
        exit = AsyncExitStack()
        cache = loop.run_until_complete(
            exit.enter_async_context(_cache_factory(settings, session_factory(engine)))
        )
        return cls(settings, loop, engine, cache, exit)

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(work)

    def stop(self) -> None:
        """Close the cache runtime and the engine; a database that stopped answering gets
        :data:`STOP_TIMEOUT` seconds, so the process still ends."""
        try:
            self.run(asyncio.wait_for(self.exit.aclose(), STOP_TIMEOUT))
            self.run(asyncio.wait_for(self.engine.dispose(), STOP_TIMEOUT))
        except TimeoutError:
            log.warning("worker process stopped before its connections closed")
        finally:
            self.loop.close()


CacheFactory = Callable[
    [Settings, async_sessionmaker[AsyncSession]], AbstractAsyncContextManager[CacheRuntime]
]
_cache_factory: CacheFactory = outside_cache
_runtime: WorkerRuntime | None = None


def use_cache(factory: CacheFactory) -> None:
    """Give this worker's processes their cache runtime from ``factory`` (before they
    start): ``shopx worker`` gives the API's, whose warmer can fill Redis for cache-warm."""
    global _cache_factory
    _cache_factory = factory


def worker_runtime() -> WorkerRuntime:
    """This process's runtime: made at process start (prefork), or on first use (solo)."""
    global _runtime
    if _runtime is None:
        _runtime = WorkerRuntime.start(get_settings())
    return _runtime


@worker_process_init.connect
def _start_runtime(**_: Any) -> None:
    worker_runtime()


@worker_process_shutdown.connect
@worker_shutdown.connect  # the solo pool runs tasks in the worker's own process
def _stop_runtime(**_: Any) -> None:
    global _runtime
    if _runtime is not None:
        runtime, _runtime = _runtime, None
        runtime.stop()


_apps: dict[str, Celery] = {}


def app_for(settings: Settings) -> Celery:
    """The app built from ``settings``, made once per distinct settings in this process."""
    key = settings.model_dump_json()
    if key not in _apps:
        _apps[key] = create_app(settings)
    return _apps[key]


def __getattr__(name: str) -> Any:
    # `celery -A shopx.jobs.celery_app` looks for `app`: built from the environment on use,
    # so importing this module reads no settings.
    if name == "app":
        return app_for(get_settings())
    raise AttributeError(name)
