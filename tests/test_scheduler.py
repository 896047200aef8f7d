"""The embedded scheduler: on time in the business time zone (fake clock), catch-up, abandoned
runs, one holder per database (in one process and across real ``shopx serve`` processes)."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.api.app import create_app
from shopx.bench.processes import Server
from shopx.config import Settings
from shopx.db.engine import create_engine, session_factory
from shopx.db.models import JobRun
from shopx.db.writes import bookkeeping_session
from shopx.jobs.leadership import leadership_for
from shopx.jobs.registry import JOBS, Job, JobContext, JobResult
from shopx.jobs.scheduler import Scheduler
from tests.servers import served_env, serving

KOLKATA = "Asia/Kolkata"
"""UTC+05:30 all year: a fire time read in UTC instead would be off by five and a half hours."""
START = datetime(2026, 3, 1, tzinfo=UTC)
"""A Sunday, 05:30 in Kolkata."""
SECRET = "scheduler-test-secret-0123456789abcdef"


class FakeTime:
    """The scheduler's clock and sleep: a sleep moves the clock on at once, after the runs
    started so far have ended (except the ``blocked`` ones); past ``until`` it parks."""

    def __init__(self, start: datetime, until: datetime) -> None:
        self.now, self.until = start, until
        self.parked = asyncio.Event()
        self.blocked: set[asyncio.Task[None]] = set()
        self.changed = asyncio.Event()
        self.scheduler: Scheduler | None = None

    def clock(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        await self._settle()
        later = self.now + timedelta(seconds=seconds)
        if later > self.until:
            self.parked.set()
            await asyncio.Future()  # until the test stops the scheduler
        self.now = later

    async def _settle(self) -> None:
        assert self.scheduler is not None
        while waiting := [task for task in self.scheduler.running if task not in self.blocked]:
            self.changed.clear()
            changed = asyncio.ensure_future(self.changed.wait())
            await asyncio.wait([*waiting, changed], return_when=asyncio.FIRST_COMPLETED)
            changed.cancel()

    def block(self) -> None:
        """Called by a job that will wait: time may move on without it."""
        task = asyncio.current_task()
        assert task is not None
        self.blocked.add(task)  # type: ignore[arg-type]
        self.changed.set()


def job(name: str, schedule: str, run, *, timeout: float = 600) -> Job:
    return Job(name, run, schedule, "analytics", timeout, f"test job {name}")


def recording(fake: FakeTime, fires: list[tuple[str, datetime]], **planned: str) -> dict[str, Job]:
    """Jobs (name=cron) that note the fake time they run at."""

    def runner(name: str):
        async def run(_ctx: JobContext) -> JobResult:
            fires.append((name, fake.now))
            return JobResult(0)

        return run

    return {name: job(name, cron, runner(name)) for name, cron in planned.items()}


def scheduler(engine: AsyncEngine, fake: FakeTime, jobs: dict[str, Job], **settings) -> Scheduler:
    config = Settings(database_url="sqlite://", timezone=KOLKATA, **settings)
    made = Scheduler(
        engine, config, jobs=jobs, clock=fake.clock, sleep=fake.sleep, takeover_seconds=3600
    )
    fake.scheduler = made
    return made


async def run_until_parked(made: Scheduler, fake: FakeTime) -> None:
    await made.start()
    try:
        async with asyncio.timeout(120):
            await fake.parked.wait()
    finally:
        await made.stop()


async def record_run(engine: AsyncEngine, name: str, started: datetime, outcome: str) -> int:
    finished = None if outcome in ("running", "queued") else started
    row = JobRun(
        job=name, trigger="manual", started_at=started, finished_at=finished, outcome=outcome
    )
    async with bookkeeping_session(session_factory(engine)) as session:
        session.add(row)
    return row.id


async def scheduled_runs(engine: AsyncEngine) -> list[tuple[str, str]]:
    async with session_factory(engine)() as session:
        rows = await session.execute(
            select(JobRun.job, JobRun.outcome).where(JobRun.trigger == "schedule")
        )
        return sorted(tuple(row) for row in rows)


def at(day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


async def test_each_job_fires_on_time_in_the_business_time_zone_once(engine):
    fires: list[tuple[str, datetime]] = []
    fake = FakeTime(START, at(3, 0, 0))
    jobs = recording(
        fake,
        fires,
        daily="0 3 * * *",
        six_hourly="0 * * * *",
        silenced="0 1 * * *",
        manual="off",
    )
    for name in jobs:  # each ran just now: nothing to catch up
        await record_run(engine, name, START, "succeeded")
    overrides = {"six_hourly": "45 */6 * * *", "silenced": "off"}
    await run_until_parked(scheduler(engine, fake, jobs, job_schedules=overrides), fake)

    daily = [at(1, 21, 30), at(2, 21, 30)]  # 03:00 in Kolkata
    six_hourly = [at(day, hour, 15) for day in (1, 2) for hour in (1, 7, 13, 19)]  # hh:45 there
    expected = [("daily", when) for when in daily] + [("six_hourly", when) for when in six_hourly]
    assert sorted(fires) == sorted(expected)
    assert await scheduled_runs(engine) == sorted(
        [("daily", "succeeded")] * 2 + [("six_hourly", "succeeded")] * 8
    )


async def test_a_missed_fire_time_is_caught_up_once(engine):
    fires: list[tuple[str, datetime]] = []
    fake = FakeTime(START, at(1, 21, 0))
    jobs = recording(fake, fires, daily="0 3 * * *", weekly="0 4 * * 0", killed="0 3 * * *")
    # All last fired on 2026-02-28 (Kolkata): the daily ones at 21:30 UTC, weekly at 22:30.
    await record_run(engine, "daily", datetime(2026, 2, 27, 21, 35, tzinfo=UTC), "succeeded")
    await record_run(engine, "weekly", datetime(2026, 2, 28, 22, 40, tzinfo=UTC), "failed")
    # Its process died mid-run: closed as abandoned, it does not count as a run.
    await record_run(engine, "killed", datetime(2026, 2, 28, 21, 30, tzinfo=UTC), "running")
    await run_until_parked(scheduler(engine, fake, jobs), fake)
    assert sorted(fires) == [("daily", START), ("killed", START)]

    again = FakeTime(START + timedelta(minutes=10), at(1, 21, 0))
    await run_until_parked(scheduler(engine, again, jobs), again)
    assert sorted(fires) == [("daily", START), ("killed", START)]
    assert await scheduled_runs(engine) == [("daily", "succeeded"), ("killed", "succeeded")]


async def test_the_jobs_catching_up_run_one_after_another(engine):
    """Started at once, ten jobs catching up contended with the requests for the serving
    process's event loop (an order took up to 10 s at scale M): they run in turn, in the
    registry's order, the after-start ones last."""
    fake = FakeTime(START, START + timedelta(minutes=1))
    began: list[str] = []
    running = most = 0

    def runner(name: str):
        async def run(_ctx: JobContext) -> JobResult:
            nonlocal running, most
            running += 1
            most = max(most, running)
            began.append(name)
            async with session_factory(engine)() as session:  # a run beside it goes on
                for _ in range(5):
                    await session.execute(select(JobRun.id).limit(1))
            running -= 1
            return JobResult(0)

        return run

    names = ("warm", "first", "second", "third")
    jobs = {name: job(name, "0 3 * * *", runner(name)) for name in names}
    jobs["warm"] = replace(jobs["warm"], after_start=True)
    await run_until_parked(scheduler(engine, fake, jobs), fake)

    assert (began, most) == (["first", "second", "third", "warm"], 1)
    assert await scheduled_runs(engine) == [(name, "succeeded") for name in sorted(names)]


async def test_an_after_start_job_runs_on_taking_the_lead_even_when_nothing_was_missed(engine):
    fires: list[tuple[str, datetime]] = []
    fake = FakeTime(START, START + timedelta(minutes=20))
    jobs = recording(fake, fires, warm="*/15 * * * *", plain="*/15 * * * *", idle="off")
    jobs["warm"] = replace(jobs["warm"], after_start=True)
    jobs["idle"] = replace(jobs["idle"], after_start=True)  # off stays off
    for name in ("warm", "plain"):  # both ran at their latest fire time: nothing missed
        await record_run(engine, name, START, "succeeded")
    await run_until_parked(scheduler(engine, fake, jobs), fake)
    assert sorted(fires) == [
        ("plain", START + timedelta(minutes=15)),
        ("warm", START),
        ("warm", START + timedelta(minutes=15)),
    ]


async def test_runs_whose_process_died_are_closed_as_timed_out(engine):
    fake = FakeTime(START, START + timedelta(hours=1))  # takes the lead, wakes up once
    jobs = recording(fake, [], nightly="off") | {"long": job("long", "off", None, timeout=7200)}
    woke = START + timedelta(hours=1)
    # nightly's timeout is 10 min: a running row is abandoned 15 min on, a queued one a day on.
    closed_when = {
        await record_run(engine, "nightly", START - timedelta(minutes=16), "running"): START,
        await record_run(engine, "nightly", START - timedelta(days=1, minutes=11), "queued"): START,
        await record_run(engine, "retired", START - timedelta(days=2), "running"): START,
        await record_run(engine, "nightly", START - timedelta(minutes=10), "running"): woke,
    }
    alive = {
        await record_run(engine, "long", START - timedelta(minutes=1), "running"),
        await record_run(engine, "nightly", START - timedelta(hours=2), "queued"),
    }
    await run_until_parked(scheduler(engine, fake, jobs), fake)

    async with session_factory(engine)() as session:
        rows = {row.id: row for row in await session.scalars(select(JobRun))}
    for id_, when in closed_when.items():
        assert rows[id_].outcome == "timed_out"
        assert rows[id_].error.startswith("abandoned: ")
        assert rows[id_].finished_at == when
    assert sorted(rows[id_].outcome for id_ in alive) == ["queued", "running"]


async def test_a_job_still_running_at_stop_is_cancelled_and_recorded(engine):
    fake = FakeTime(START, START)
    entered = asyncio.Event()

    async def stuck(_ctx: JobContext) -> JobResult:
        fake.block()
        entered.set()
        await asyncio.Future()  # never ends on its own
        return JobResult(0)

    made = scheduler(engine, fake, {"stuck": job("stuck", "0 3 * * *", stuck)})
    made.stop_grace = 0.1
    await made.start()  # never ran: caught up at once
    async with asyncio.timeout(60):
        await entered.wait()
    await made.stop()

    async with session_factory(engine)() as session:
        row = (await session.scalars(select(JobRun))).one()
    assert (row.trigger, row.outcome) == ("schedule", "failed")
    assert row.error.startswith("cancelled: ") and row.finished_at is not None


async def test_a_catch_up_stopped_midway_starts_nothing_more_and_leaves_no_run_open(engine):
    fake = FakeTime(START, START)
    entered, release = asyncio.Event(), asyncio.Event()
    ran: list[str] = []

    async def first(_ctx: JobContext) -> JobResult:
        fake.block()
        entered.set()
        await release.wait()  # ends while the scheduler stops
        return JobResult(0)

    async def second(_ctx: JobContext) -> JobResult:
        ran.append("second")
        await asyncio.Future()  # would never end on its own
        return JobResult(0)

    jobs = {"first": job("first", "0 3 * * *", first), "second": job("second", "0 3 * * *", second)}
    made = scheduler(engine, fake, jobs)
    made.stop_grace = 5
    await made.start()  # neither ever ran: both catch up, one after the other
    async with asyncio.timeout(60):
        await entered.wait()
    stopping = asyncio.create_task(made.stop())
    await asyncio.sleep(0)  # the stop has begun
    release.set()
    async with asyncio.timeout(60):
        await stopping

    async with session_factory(engine)() as session:
        rows = [(row.job, row.outcome) for row in await session.scalars(select(JobRun))]
    assert (rows, ran) == ([("first", "succeeded")], [])


async def test_a_slow_job_delays_no_other_job(engine):
    fires: list[tuple[str, datetime]] = []
    fake = FakeTime(START, at(1, 3, 0))
    gate = asyncio.Event()

    async def slow(_ctx: JobContext) -> JobResult:
        fires.append(("slow", fake.now))
        fake.block()
        await gate.wait()
        return JobResult(0)

    jobs = recording(fake, fires, quick="30 * * * *") | {"slow": job("slow", "0 * * * *", slow)}
    for name in jobs:
        await record_run(engine, name, START, "succeeded")
    made = scheduler(engine, fake, jobs)
    await made.start()
    async with asyncio.timeout(120):
        await fake.parked.wait()
    gate.set()
    await made.stop()

    # Kolkata's half hour: the slow job fires at hh:30 UTC, the quick one at hh:00 UTC.
    assert sorted(fires) == [
        ("quick", at(1, 1, 0)),
        ("quick", at(1, 2, 0)),
        ("quick", at(1, 3, 0)),
        ("slow", at(1, 0, 30)),
    ]
    slow_runs = [outcome for name, outcome in await scheduled_runs(engine) if name == "slow"]
    assert sorted(slow_runs) == ["skipped", "skipped", "succeeded"]  # 00:30's still going


async def until(condition, what: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await asyncio.sleep(0.05)


def real_scheduler(url: str) -> Scheduler:
    settings = Settings(database_url=url)
    return Scheduler(create_engine(url, pool_size=2), settings, jobs={}, takeover_seconds=0.05)


async def test_one_holder_per_database_and_the_other_takes_over(database_url):
    first, second = real_scheduler(database_url), real_scheduler(database_url)
    both = (first, second)
    try:
        for made in both:
            await made.start()

        async def one_leads() -> bool:
            return any(made.leading for made in both)

        await until(one_leads, "a holder")
        assert [made.leading for made in both].count(True) == 1
        holder, other = (first, second) if first.leading else (second, first)
        await holder.stop()
        assert not holder.leading

        async def other_leads() -> bool:
            return other.leading

        await until(other_leads, "the takeover")
    finally:
        for made in both:
            await made.stop()
            await made.engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("dialect", ["postgres"], indirect=True)
async def test_a_holder_whose_connection_drops_steps_down(database_url, engine):
    holder = real_scheduler(database_url)
    lock_holder = text(
        "SELECT pid FROM pg_locks JOIN pg_database d ON d.oid = pg_locks.database"
        " WHERE locktype = 'advisory' AND granted AND d.datname = current_database()"
    )
    try:
        await holder.start()

        async def leads() -> bool:
            return holder.leading

        await until(leads, "the lead")
        async with engine.connect() as conn:
            dropped = await conn.scalar(lock_holder)
            await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped})

        async def retaken() -> bool:
            async with engine.connect() as conn:
                pid = await conn.scalar(lock_holder)
            return pid not in (None, dropped) and holder.leading

        await until(retaken, "the lead taken again on a new connection")
    finally:
        await holder.stop()
        await holder.engine.dispose()


async def test_apps_run_the_schedule_only_when_served(database_url, settings_env):
    off = {name: "off" for name in JOBS}  # no job runs: the lead is what is looked at
    settings = Settings(
        database_url=database_url,
        scheduler_takeover_seconds=1,
        job_schedules=off,
    )
    engine = create_engine(database_url, pool_size=1)
    lock = leadership_for(engine)
    try:
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            assert await lock.acquire()  # a test's app holds nothing
            await lock.release()
        served = create_app(settings, schedule=True)
        async with served.router.lifespan_context(served):

            async def taken() -> bool:
                if await lock.acquire():
                    await lock.release()
                    return False
                return True

            await until(taken, "the served app's lead")
        assert await lock.acquire()  # released on shutdown
        await lock.release()
    finally:
        await engine.dispose()


def leader_value(server: Server) -> float:
    response = httpx.get(server.base_url + "/metrics", timeout=5)
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            if sample.name == "shopx_scheduler_leader":
                return sample.value
    raise AssertionError("no shopx_scheduler_leader in /metrics")


def wait_for_leaders(servers: dict[str, Server], want: set[str], seconds: float = 20.0) -> None:
    """Poll /metrics until exactly the ``want`` servers report 1 (the others 0)."""
    deadline = time.monotonic() + seconds
    while True:
        seen = {name: leader_value(server) for name, server in servers.items()}
        if seen == {name: 1.0 if name in want else 0.0 for name in servers}:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"leaders {seen}, wanted {sorted(want)}")
        time.sleep(0.1)


def scheduling_env(database_url: str, folder: Path, **settings: str) -> dict[str, str]:
    """Scheduler on, quick takeover, every job off (nothing runs during the test)."""
    off = ";".join(f"{name}=off" for name in JOBS)
    return served_env(
        database_url,
        folder,
        secret=SECRET,
        SCHEDULER_ENABLED="true",
        SCHEDULER_TAKEOVER_SECONDS="0.2",
        JOB_SCHEDULES=off,
        **settings,
    )


@pytest.fixture
def two_servers(database_url: str, tmp_path: Path) -> Iterator[dict[str, Server]]:
    env = scheduling_env(database_url, tmp_path)
    with serving(env) as first, serving(env) as second:
        yield {"first": first, "second": second}


def test_two_serving_processes_one_leader_and_takeover_after_sigkill(two_servers):
    deadline = time.monotonic() + 20
    while (values := sorted(leader_value(s) for s in two_servers.values())) != [0.0, 1.0]:
        assert time.monotonic() < deadline, f"leaders: {values}"
        time.sleep(0.1)
    holder = next(name for name, server in two_servers.items() if leader_value(server) == 1.0)
    other = "second" if holder == "first" else "first"
    os.killpg(two_servers[holder].process.pid, signal.SIGKILL)
    two_servers[holder].process.wait()
    wait_for_leaders({other: two_servers[other]}, {other}, seconds=15)


def test_serve_with_a_broker_leaves_the_schedule_to_beat(database_url: str, tmp_path: Path):
    with_broker = scheduling_env(database_url, tmp_path, BROKER_URL="redis://127.0.0.1:1/0")
    # Started first, the server with a broker would hold the lead had it a scheduler.
    with serving(with_broker) as beat_side, serving(scheduling_env(database_url, tmp_path)) as own:
        wait_for_leaders({"broker": beat_side, "embedded": own}, {"embedded"})
