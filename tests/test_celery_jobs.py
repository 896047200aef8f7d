"""Real Celery workers (``python -m shopx worker``, started here) on Redis and on RabbitMQ:
a run sent by ``shopx jobs run --wait`` is recorded; bad data fails once, an unreachable
database is retried; a worker killed mid-job leads to the job running again and completing
once. Beat's schedule: every scheduled job, its crontab cut in the business time zone.

Each test gets a broker of its own: a Redis database of its xdist worker, emptied before
and after, or a fresh RabbitMQ virtual host, deleted after.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import socketserver
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
import redis
from celery.beat import ScheduleEntry
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from shopx.cli import app as cli
from shopx.config import Settings
from shopx.db.engine import create_engine, session_factory
from shopx.db.models import JobRun, Order
from shopx.ingest.records import create_import, read_import
from shopx.jobs.celery_app import MAX_PRIORITY, SCHEDULE_TASK, create_app
from shopx.jobs.dispatch import enqueue
from shopx.jobs.registry import JOBS
from shopx.jobs.runner import RunRecord, run_record
from shopx.jobs.upload_imports import store_upload, upload_folder
from tests.conftest import PostgresDatabases, _pg_url
from tests.servers import clean_env, free_port
from tests.services import (
    POSTGRES_ADMIN_URL,
    REDIS_URL,
    need,
    private_redis_url,
    rabbitmq_vhost,
)
from tests.test_import_entry import sales_csv

SECRET = "test-secret-" + "x" * 32
DEADLINE = 90.0
"""How long a worker or a command may take before the test gives up: a bound, not a speed
check (the first worker of a fresh checkout compiles the project's bytecode as it starts)."""
VISIBILITY = 2
"""Seconds before Redis hands a dead worker's task to another (the default is an hour)."""


@pytest.fixture(params=["redis", "rabbitmq"])
def broker_url(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "redis":
        need("Redis", REDIS_URL)
        url = private_redis_url(0)
        client = redis.Redis.from_url(url)
        client.flushdb()
        yield url
        client.flushdb()
        client.close()
        return
    with rabbitmq_vhost() as url:
        yield url


def shopx_env(folder: Path, database_url: str, broker_url: str) -> dict[str, str]:
    """The environment of a worker or a command: our settings only."""
    return clean_env() | {
        "SHOPX_DATABASE_URL": database_url,
        "SHOPX_BROKER_URL": broker_url,
        "SHOPX_DATA_DIR": str(folder / "data"),
        "SHOPX_SECRET_KEY": SECRET,
        "SHOPX_JOB_RETRY_BACKOFF": "0.5",
        "SHOPX_BROKER_VISIBILITY_TIMEOUT": str(VISIBILITY),
    }


def wait_for(condition: Callable[[], bool], what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            tail = log.read_text()[-3000:] if log is not None else ""
            pytest.fail(f"no {what} within {DEADLINE:g} s\n{tail}")
        time.sleep(0.1)


async def until(
    condition: Callable[[], Awaitable[bool]], what: str, log: Path, seconds: float = DEADLINE
) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} within {seconds:g} s\n{log.read_text()[-3000:]}")
        await asyncio.sleep(0.1)


@contextmanager
def running_worker(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``python -m shopx worker`` (one process), ready; stopped on the way out."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "shopx", "worker", "--concurrency", "1"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(lambda: " ready." in log.read_text() or process.poll() is not None, "ready", log)
        assert process.poll() is None, log.read_text()
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def shopx(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shopx", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=DEADLINE,
    )


def sqlite_copy(template: Path, folder: Path) -> tuple[Path, str]:
    path = folder / "shopx.db"
    shutil.copyfile(template, path)
    return path, f"sqlite+aiosqlite:///{path}"


async def recorded(database_url: str) -> list[tuple[int, str, str, str]]:
    engine = create_engine(database_url, pool_size=1)
    try:
        async with session_factory(engine)() as session:
            rows = await session.scalars(select(JobRun).order_by(JobRun.id))
            return [(row.id, row.job, row.trigger, row.outcome) for row in rows]
    finally:
        await engine.dispose()


async def test_a_worker_records_a_success_and_a_failure_on_bad_data_once(
    broker_url, tmp_path, sqlite_template
):
    path, url = sqlite_copy(sqlite_template, tmp_path)
    env, log = shopx_env(tmp_path, url, broker_url), tmp_path / "worker.log"

    with running_worker(env, log):
        done = shopx(env, "jobs", "run", "maintenance", "--wait")
        assert done.returncode == 0, done.stdout + done.stderr
        assert "queued run 1 of maintenance on maintenance" in done.stdout
        assert "maintenance: succeeded" in done.stdout

        with sqlite3.connect(path) as db:  # the segments job reads customers
            db.execute("DROP TABLE customers")
        failed = shopx(env, "jobs", "run", "segments", "--wait")
        # The task itself ends normally once the failure is recorded: nothing is retried.
        wait_for(lambda: log.read_text().count("] succeeded in ") == 2, "end of the task", log)

    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "segments: failed" in failed.stdout
    assert "no such table: customers" in failed.stdout
    assert await recorded(url) == [
        (1, "maintenance", "manual", "succeeded"),
        (2, "segments", "manual", "failed"),
    ]
    worker_said = log.read_text()
    assert "run 1 of maintenance: succeeded" in worker_said
    assert "run 2 of segments: failed" in worker_said
    assert "Retry in" not in worker_said


@pytest.mark.parametrize("dialect", ["sqlite"], indirect=True)
async def test_every_job_runs_in_a_real_worker_and_is_recorded(broker_url, tmp_path, shop_copy):
    env, log = shopx_env(tmp_path, shop_copy, broker_url), tmp_path / "worker.log"
    config = Settings(
        database_url=shop_copy, broker_url=broker_url, secret_key=SECRET, data_dir=tmp_path
    )
    engine = create_engine(shop_copy, pool_size=1)
    try:
        with running_worker(env, log):
            sent = [await enqueue(name, "manual", engine, config) for name in JOBS]

            async def every_run_ended() -> bool:
                ends = [(await run_record(engine, run.id)).outcome for run in sent]
                return not {"queued", "running"} & set(ends)

            await until(every_run_ended, "end of every job", log, seconds=120)
        records = [await run_record(engine, run.id) for run in sent]
    finally:
        await engine.dispose()
    assert {r.job: (r.outcome, r.error) for r in records} == {
        name: ("succeeded", None) for name in JOBS
    }
    assert all(f"run {r.id} of {r.job}: succeeded" in log.read_text() for r in records)


class _Forward(socketserver.BaseRequestHandler):
    target: tuple[str, int]

    def handle(self) -> None:
        upstream = socket.create_connection(self.target)

        def pipe(source: socket.socket, sink: socket.socket) -> None:
            try:
                while data := source.recv(65536):
                    sink.sendall(data)
                sink.shutdown(socket.SHUT_WR)  # pass the end on
            except OSError:
                pass

        back = threading.Thread(target=pipe, args=(upstream, self.request), daemon=True)
        back.start()
        pipe(self.request, upstream)
        back.join()
        upstream.close()


@contextmanager
def forwarding(port: int, target: tuple[str, int]) -> Iterator[None]:
    """From now on, connections to ``port`` reach ``target``."""
    handler = type("Forward", (_Forward,), {"target": target})
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    server = socketserver.ThreadingTCPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


async def ended(database_url: str, run_id: int) -> RunRecord:
    engine = create_engine(database_url, pool_size=1)
    try:
        return await run_record(engine, run_id)
    finally:
        await engine.dispose()


@pytest.fixture
async def postgres_url(postgres_databases: PostgresDatabases) -> str:
    need("PostgreSQL", POSTGRES_ADMIN_URL)
    return _pg_url(await postgres_databases.migrated())


async def test_a_worker_retries_while_the_database_is_unreachable(
    broker_url, tmp_path, postgres_url
):
    database = make_url(postgres_url)
    port = free_port()  # where the worker looks for the database: nothing there, yet
    worker_url = database.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)
    env, log = shopx_env(tmp_path, worker_url, broker_url), tmp_path / "worker.log"
    config = Settings(database_url=postgres_url, broker_url=broker_url, secret_key=SECRET)
    engine = create_engine(postgres_url, pool_size=1)
    try:
        # The forwarding outlives the worker, whose engine closes its connections through it.
        with ExitStack() as database_back, running_worker(env, log):
            record = await enqueue("maintenance", "manual", engine, config)
            wait_for(lambda: "Retry in" in log.read_text(), "retry", log)
            assert (await run_record(engine, record.id)).outcome == "queued"
            database_back.enter_context(
                forwarding(port, (database.host or "127.0.0.1", database.port or 5432))
            )

            async def finished() -> bool:
                return (await run_record(engine, record.id)).outcome not in ("queued", "running")

            await until(finished, "run after the database came back", log)
            final = await run_record(engine, record.id)
    finally:
        await engine.dispose()

    assert (final.outcome, final.error) == ("succeeded", None), log.read_text()[-3000:]
    assert await recorded(postgres_url) == [(record.id, "maintenance", "manual", "succeeded")]


async def test_a_job_whose_worker_is_killed_runs_again_and_completes_once(
    broker_url, tmp_path, postgres_url
):
    env = shopx_env(tmp_path, postgres_url, broker_url)
    config = Settings(database_url=postgres_url, broker_url=broker_url, secret_key=SECRET)
    engine = create_engine(postgres_url, pool_size=1)
    holder = await asyncpg.connect(postgres_url.replace("+asyncpg", ""))
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    try:
        hold = holder.transaction()
        await hold.start()
        await holder.execute("LOCK TABLE customers IN ACCESS EXCLUSIVE MODE")
        with running_worker(env, first_log) as first:
            record = await enqueue("segments", "manual", engine, config)

            await until(lambda: locked_out(holder, "customers"), "job inside the worker", first_log)
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
        assert (await run_record(engine, record.id)).outcome == "running"
        await hold.rollback()
        past_visibility_timeout(broker_url)
        with running_worker(env, second_log):

            async def finished() -> bool:
                return (await run_record(engine, record.id)).outcome not in ("queued", "running")

            await until(finished, "run completed by the second worker", second_log)
    finally:
        await holder.close()
        await engine.dispose()

    assert await recorded(postgres_url) == [(record.id, "segments", "manual", "succeeded")]
    assert f"run {record.id} of segments: succeeded" in second_log.read_text()


def past_visibility_timeout(broker_url: str) -> None:
    """Redis hands a dead worker's task on once the visibility timeout has passed (RabbitMQ
    at once): wait for that."""
    if broker_url.startswith("redis://"):
        client = redis.Redis.from_url(broker_url)
        wait_for(
            lambda: bool(client.zrangebyscore("unacked_index", 0, time.time() - VISIBILITY)),
            "task past its visibility timeout",
        )
        client.close()


async def locked_out(holder: asyncpg.Connection, table: str) -> bool:
    """Whether a session waits for the lock ``holder`` holds on ``table``."""
    waiting = await holder.fetchval(
        f"SELECT count(*) FROM pg_locks WHERE relation = '{table}'::regclass AND NOT granted"
    )
    return waiting > 0


async def test_an_upload_whose_worker_is_killed_mid_import_is_taken_over_and_completes_once(
    broker_url, tmp_path, postgres_url
):
    """Acks late: the imports run is delivered again and takes over its import (``running``,
    some batches committed, its file stored), which then ends ``succeeded`` with every row
    once."""
    env = shopx_env(tmp_path, postgres_url, broker_url) | {"SHOPX_IMPORT_BATCH_ROWS": "100"}
    config = Settings(database_url=postgres_url, broker_url=broker_url, data_dir=tmp_path / "data")
    engine = create_engine(postgres_url, pool_size=1)
    import_id = await create_import(engine, "upload", file_name="big.csv")
    folder = upload_folder(config)
    folder.mkdir(parents=True)
    (folder / ".part").write_text(sales_csv(2_000))
    store_upload(config, import_id, folder / ".part", dry_run=False, date_order=None)
    holder = await asyncpg.connect(postgres_url.replace("+asyncpg", ""))
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    try:
        with running_worker(env, first_log) as first:
            record = await enqueue("imports", "manual", engine, config)

            async def a_batch_committed() -> bool:
                return (await read_import(engine, import_id)).rows_imported > 0

            await until(a_batch_committed, "a committed batch", first_log)
            hold = holder.transaction()
            await hold.start()
            await holder.execute("LOCK TABLE customers IN ACCESS EXCLUSIVE MODE")
            await until(lambda: locked_out(holder, "customers"), "import waiting", first_log)
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
        killed = await read_import(engine, import_id)
        assert killed.state == "running" and 0 < killed.rows_imported < 4_000
        await hold.rollback()
        past_visibility_timeout(broker_url)
        with running_worker(env, second_log):

            async def import_ended() -> bool:
                return (await read_import(engine, import_id)).state in ("succeeded", "failed")

            await until(import_ended, "the import completed by the second worker", second_log)
        done = await read_import(engine, import_id)
        async with engine.connect() as connection:
            orders = await connection.scalar(select(func.count()).select_from(Order))
    finally:
        await holder.close()
        await engine.dispose()

    assert done.state == "succeeded", done.error
    assert (done.rows_imported, done.rows_skipped) == (
        4_000 - killed.rows_imported,
        killed.rows_imported,
    )
    assert orders == 2_000
    assert list(folder.iterdir()) == []
    assert (await ended(postgres_url, record.id)).outcome == "succeeded"


def test_beat_sends_every_scheduled_job_in_the_business_time_zone(tmp_path):
    config = Settings(
        broker_url="redis://127.0.0.1:6379/14",
        timezone="America/New_York",
        job_schedules={"segments": "30 5 * * 1", "maintenance": "off"},
        data_dir=tmp_path / "data",
    )
    app = create_app(config)
    entries = app.conf.beat_schedule

    # maintenance is off by the override, rollups-rebuild by default (only when asked).
    assert JOBS["rollups-rebuild"].schedule == "off"
    assert set(entries) == set(JOBS) - {"maintenance", "rollups-rebuild"}
    for name, entry in entries.items():
        assert (entry["task"], entry["args"]) == (SCHEDULE_TASK, (name,))
        assert entry["options"] == {"queue": JOBS[name].queue, "priority": MAX_PRIORITY}
    segments, partitions = entries["segments"]["schedule"], entries["partitions"]["schedule"]
    assert (segments.minute, segments.hour, segments.day_of_week) == ({30}, {5}, {1})
    assert (partitions.minute, partitions.hour, partitions.day_of_week) == ({0}, {2}, set(range(7)))
    assert app.conf.timezone == "America/New_York"
    assert app.conf.beat_schedule_filename == str(tmp_path / "data" / "celerybeat-schedule")

    # Monday 2026-11-30 09:00 UTC is 04:00 in New York: the next run is at 05:30 there.
    monday = datetime(2026, 11, 30, 9, tzinfo=UTC)
    entry = ScheduleEntry(name="segments", app=app, **entries["segments"])
    entry.schedule.nowfun = lambda: monday
    assert monday + entry.schedule.remaining_estimate(monday) == datetime(
        2026, 11, 30, 10, 30, tzinfo=UTC
    )


runner = CliRunner()


@pytest.mark.parametrize("command", [["worker"], ["beat"]])
def test_worker_and_beat_need_a_broker(settings_env, command):
    result = runner.invoke(cli, command)
    assert result.exit_code == 2
    assert "SHOPX_BROKER_URL is not set" in result.output


def test_a_worker_refuses_unknown_queues(settings_env, monkeypatch):
    monkeypatch.setenv("SHOPX_BROKER_URL", "redis://127.0.0.1:6379/14")
    result = runner.invoke(cli, ["worker", "--queues", "analytics,reports"])
    assert result.exit_code == 2
    assert "unknown queues reports" in result.output
