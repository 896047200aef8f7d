"""Runs sent to workers: the queued row first, sent after the commit (never on rollback),
claimed by id, taken over after a worker died, retried only when a service was unreachable.

The broker here is kombu's in-memory transport (a real transport, in this process);
tests/test_celery_jobs.py runs real workers on Redis and RabbitMQ."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from kombu import Connection
from sqlalchemy import select, text

from shopx.config import Settings, get_settings
from shopx.db.engine import create_engine, session_factory
from shopx.db.models import Alert, JobRun
from shopx.db.writes import bookkeeping_session, write_session
from shopx.jobs.celery_app import (
    MAX_PRIORITY,
    RUN_TASK,
    SCHEDULE_TASK,
    WorkerRuntime,
    _send_after_start,
    app_for,
    priority,
)
from shopx.jobs.dispatch import enqueue, enqueue_after_commit
from shopx.jobs.registry import JOBS, Job, JobContext, JobResult
from shopx.jobs.runner import record_queued, run_queued
from shopx.jobs.tasks import schedule as schedule_task
from shopx.jobs.transient import is_transient
from tests.api import api_client
from tests.servers import free_port

SECRET = "test-secret-" + "x" * 32


def settings(database_url: str, broker_url: str = "memory://") -> Settings:
    return Settings(database_url=database_url, broker_url=broker_url, secret_key=SECRET)


def sent_run_ids(config: Settings, queue: str) -> list[int]:
    """The run ids waiting in ``queue`` (taken off it)."""
    app = app_for(config)
    found = []
    with Connection(config.broker_url) as conn:
        bound = app.amqp.queues[queue](conn.default_channel)
        while (message := bound.get(no_ack=True)) is not None:
            assert message.headers["task"] == RUN_TASK
            found.append(message.decode()[0][0])
    return found


async def rows(engine) -> list[JobRun]:
    async with session_factory(engine)() as session:
        return list(await session.scalars(select(JobRun).order_by(JobRun.id)))


async def test_a_run_enqueued_in_a_transaction_is_sent_after_the_commit(engine, database_url):
    config = settings(database_url)
    sent_run_ids(config, "analytics")
    async with write_session(session_factory(engine), datetime.now(UTC)) as session:
        pending = await enqueue_after_commit(session, "segments", "event", config)
        assert sent_run_ids(config, "analytics") == []
        assert not pending.sent.done()

    record = await pending.sent
    assert (record.id, record.outcome, record.trigger) == (pending.run_id, "queued", "event")
    assert sent_run_ids(config, "analytics") == [pending.run_id]
    assert [(row.id, row.outcome) for row in await rows(engine)] == [(pending.run_id, "queued")]


async def test_a_run_enqueued_in_a_transaction_that_rolls_back_is_dropped(engine, database_url):
    config = settings(database_url)
    sent_run_ids(config, "analytics")
    with pytest.raises(RuntimeError, match="changed my mind"):
        async with write_session(session_factory(engine), datetime.now(UTC)) as session:
            pending = await enqueue_after_commit(session, "segments", "event", config)
            raise RuntimeError("changed my mind")

    assert pending.sent.cancelled()
    assert sent_run_ids(config, "analytics") == []
    assert await rows(engine) == []


async def test_enqueue_commits_the_row_then_sends_to_the_jobs_queue(engine, database_url):
    config = settings(database_url)
    sent_run_ids(config, "maintenance")
    record = await enqueue("partitions", "manual", engine, config)
    assert (record.job, record.outcome, record.trigger) == ("partitions", "queued", "manual")
    assert sent_run_ids(config, "maintenance") == [record.id]


async def test_a_broker_that_cannot_be_reached_fails_the_run(engine, database_url):
    config = settings(database_url, f"redis://127.0.0.1:{free_port()}/14")
    record = await enqueue("segments", "manual", engine, config)
    assert (record.outcome, record.transient) == ("failed", True)
    assert record.error.startswith("broker unavailable: ")
    [row] = await rows(engine)
    assert (row.outcome, row.error) == ("failed", record.error)
    assert row.finished_at is not None
    async with session_factory(engine)() as session:
        [alert] = await session.scalars(select(Alert))
    assert (alert.kind, alert.subject, alert.closed_at) == ("job_failed", "job:segments", None)


def test_manual_runs_go_before_scheduled_ones_on_each_broker():
    rabbit = Settings(broker_url="amqp://guest:guest@127.0.0.1:5672//")
    redis = Settings(broker_url="redis://127.0.0.1:6379/14")
    # RabbitMQ delivers the highest priority first, Redis the lowest.
    assert priority(rabbit, "manual") == priority(rabbit, "event") == MAX_PRIORITY
    assert priority(rabbit, "schedule") == 0
    assert priority(redis, "manual") == priority(redis, "event") == 0
    assert priority(redis, "schedule") == MAX_PRIORITY


def counting(result: JobResult | Exception) -> tuple[dict[str, Job], list[int]]:
    calls: list[int] = []

    async def work(ctx: JobContext) -> JobResult:
        calls.append(1)
        if isinstance(result, Exception):
            raise result
        return result

    return {"work": Job("work", work, "off", "analytics", 60, "a test job")}, calls


async def queued(engine, jobs, outcome: str = "queued") -> int:
    async with bookkeeping_session(session_factory(engine)) as session:
        row = await record_queued(session, "work", "manual", datetime.now(UTC), jobs)
        row.outcome = outcome
        return row.id


async def test_a_worker_runs_the_queued_row_it_was_given(engine, database_url):
    jobs, calls = counting(JobResult(4, "four"))
    run_id = await queued(engine, jobs)

    record = await run_queued(run_id, engine, settings(database_url), jobs=jobs)

    assert (record.id, record.outcome, record.rows, record.trigger) == (
        run_id,
        "succeeded",
        4,
        "manual",
    )
    assert [(row.id, row.outcome) for row in await rows(engine)] == [(run_id, "succeeded")]
    assert calls == [1]


async def test_a_run_delivered_again_takes_over_its_row_and_completes_once(engine, database_url):
    """Its worker died mid-run: the row says running; the new delivery runs it to the end,
    and a delivery after that changes nothing."""
    jobs, calls = counting(JobResult(1))
    run_id = await queued(engine, jobs, outcome="running")

    first = await run_queued(run_id, engine, settings(database_url), jobs=jobs)
    again = await run_queued(run_id, engine, settings(database_url), jobs=jobs)

    assert (first.outcome, again.outcome) == ("succeeded", "succeeded")
    assert again.finished_at == first.finished_at
    assert calls == [1]
    assert [(row.id, row.outcome) for row in await rows(engine)] == [(run_id, "succeeded")]


async def test_a_queued_run_is_skipped_while_another_run_of_the_job_runs(engine, database_url):
    jobs, calls = counting(JobResult(1))
    busy = await queued(engine, jobs, outcome="running")
    run_id = await queued(engine, jobs)

    record = await run_queued(run_id, engine, settings(database_url), jobs=jobs)

    assert (record.outcome, record.detail) == ("skipped", "already running")
    assert calls == []
    assert [row.outcome for row in await rows(engine)] == ["running", "skipped"]
    assert busy < run_id


async def test_an_unknown_run_id_is_nothing_to_do(engine, database_url):
    jobs, calls = counting(JobResult(1))
    assert await run_queued(12345, engine, settings(database_url), jobs=jobs) is None
    assert calls == []


async def test_a_run_of_a_job_that_no_longer_exists_fails(engine, database_url):
    jobs, calls = counting(JobResult(1))
    run_id = await queued(engine, jobs)

    assert await run_queued(run_id, engine, settings(database_url), jobs={}) is None

    [row] = await rows(engine)
    assert (row.id, row.outcome, row.error) == (run_id, "failed", "no job 'work' any more (jobs: )")
    assert calls == []


async def test_a_transient_failure_waits_queued_for_its_retry_then_fails(engine, database_url):
    refused = ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5999)")
    jobs, calls = counting(refused)
    run_id = await queued(engine, jobs)
    config = settings(database_url)

    retrying = await run_queued(run_id, engine, config, jobs=jobs, requeue_transient=True)
    assert (retrying.outcome, retrying.transient) == ("queued", True)
    assert retrying.error == f"ConnectionRefusedError: {refused}"
    assert retrying.finished_at is None

    last = await run_queued(run_id, engine, config, jobs=jobs, requeue_transient=False)
    assert (last.outcome, last.transient, last.error) == ("failed", True, retrying.error)
    assert calls == [1, 1]
    assert [(row.id, row.outcome) for row in await rows(engine)] == [(run_id, "failed")]


async def test_bad_data_fails_once_and_is_not_transient(engine, database_url):
    async def needs_a_missing_table(ctx: JobContext) -> JobResult:
        async with ctx.sessions() as session:
            await session.execute(text("SELECT count(*) FROM no_such_table"))
        return JobResult(0)

    jobs = {"work": Job("work", needs_a_missing_table, "off", "analytics", 60, "a test job")}
    run_id = await queued(engine, jobs)

    record = await run_queued(
        run_id, engine, settings(database_url), jobs=jobs, requeue_transient=True
    )

    assert (record.outcome, record.transient) == ("failed", False)
    assert "no_such_table" in record.error


async def test_a_job_stopped_by_the_workers_time_limit_is_timed_out(engine, database_url):
    jobs, _ = counting(SoftTimeLimitExceeded())
    run_id = await queued(engine, jobs)

    record = await run_queued(
        run_id, engine, settings(database_url), jobs=jobs, time_limits=(SoftTimeLimitExceeded,)
    )

    assert (record.outcome, record.transient) == ("timed_out", False)
    assert record.error.startswith("stopped by the time limit: SoftTimeLimitExceeded")


async def test_an_unreachable_database_is_transient_and_bugs_are_not():
    engine = create_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/x")
    try:
        with pytest.raises(Exception) as refused:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
    finally:
        await engine.dispose()
    assert is_transient(refused.value)
    assert not is_transient(ValueError("bad data in row 12"))
    assert not is_transient(KeyError("segment"))
    wrapped = RuntimeError("job failed")
    wrapped.__cause__ = ConnectionResetError(104, "Connection reset by peer")
    assert is_transient(wrapped)


RUN_JOB = """
mutation Run($name: String!) {
  runJob(input: {name: $name}) { id trigger outcome finishedAt error }
}"""


async def test_run_job_with_a_broker_answers_the_queued_run_it_sent(engine, database_url):
    config = settings(database_url)
    sent_run_ids(config, "maintenance")
    async with api_client(database_url, broker_url="memory://") as client:
        run = (await client.data(RUN_JOB, {"name": "maintenance"}))["runJob"]

    assert (run["trigger"], run["outcome"], run["finishedAt"]) == ("manual", "QUEUED", None)
    assert sent_run_ids(config, "maintenance") == [int(run["id"])]
    assert [(row.id, row.outcome) for row in await rows(engine)] == [(int(run["id"]), "queued")]


def test_beat_starting_sends_the_after_start_jobs_once(monkeypatch, tmp_path):
    """cache-warm and demo-roll-forward run after a deploy under Celery too, as the embedded
    scheduler runs them on taking the lead; a job turned off is not sent."""
    monkeypatch.setenv("SHOPX_BROKER_URL", "memory://")
    monkeypatch.setenv("SHOPX_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SHOPX_JOB_SCHEDULES", "demo-roll-forward=off")
    get_settings.cache_clear()
    config = get_settings()
    app = app_for(config)
    _send_after_start(sender=SimpleNamespace(app=app))
    sent = []
    with Connection(config.broker_url) as conn:
        for queue in ("analytics", "maintenance", "notifications"):
            bound = app.amqp.queues[queue](conn.default_channel)
            while (message := bound.get(no_ack=True)) is not None:
                sent.append((message.headers["task"], message.decode()[0][0], queue))
    get_settings.cache_clear()
    assert sent == [(SCHEDULE_TASK, "cache-warm", "analytics")]
    assert [name for name, job in JOBS.items() if job.after_start] == [
        "demo-roll-forward",
        "cache-warm",  # last: it warms what the others left
    ]


async def test_a_beat_tick_closes_runs_whose_worker_died(engine, database_url, monkeypatch):
    long_ago = datetime(2026, 1, 1, tzinfo=UTC)
    async with bookkeeping_session(session_factory(engine)) as session:
        dead = JobRun(job="segments", trigger="manual", started_at=long_ago, outcome="running")
        session.add(dead)
    config = settings(database_url)

    def tick() -> None:  # a worker process: its own thread and event loop
        runtime = WorkerRuntime.start(config)
        monkeypatch.setattr("shopx.jobs.tasks.worker_runtime", lambda: runtime)
        try:
            schedule_task.apply(args=("maintenance",))
        finally:
            runtime.stop()

    await asyncio.to_thread(tick)
    closed = {row.id: row for row in await rows(engine)}[dead.id]
    assert (closed.outcome, closed.error[:10]) == ("timed_out", "abandoned:")
