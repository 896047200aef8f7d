"""Sessions by construction: no task holds one while it waits for another, one request holds
at most its slots, a pool with nothing free fails clearly, and writers take turns (in a
process, and through a file lock across processes)."""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from shopx.analytics.reporting import ReportingRules
from shopx.api.graphql.context import Context
from shopx.api.graphql.freshness import shared_stamps
from shopx.auth import Principal, Role
from shopx.cache.runtime import CacheRuntime
from shopx.config import Settings
from shopx.db.data_version import WriteMarks, data_version
from shopx.db.engine import session_factory
from shopx.db.file_lock import held_file_lock
from shopx.db.holding import NestedSession
from shopx.db.writes import write_session, writer_lock
from shopx.errors import Unavailable
from shopx.orders.desk import OrderDesk

NOW = datetime(2026, 5, 20, 12, tzinfo=UTC)


def _context(engine: AsyncEngine, **settings: object) -> Context:
    config = Settings(**settings)
    sessions = session_factory(engine)
    marks = WriteMarks(engine)
    cache = CacheRuntime(config, marks.version)
    return Context(
        settings=config,
        read_sessions=sessions,
        write_sessions=sessions,
        caller=Principal(Role.ADMIN, "tester"),
        now=NOW,
        cache=cache,
        orders=OrderDesk(sessions, cache, ReportingRules.of(config), lambda: NOW),
        data_stamp=shared_stamps(marks),
    )


async def test_a_read_inside_a_read_is_refused_and_reads_in_turn_are_not(engine):
    context = _context(engine)
    async with context.read() as session:
        await session.execute(select(1))
        with pytest.raises(NestedSession, match="a read session"):
            async with context.read():
                pass
    for _ in range(2):
        async with context.read() as session:
            assert (await session.execute(select(1))).scalar_one() == 1


async def test_a_loader_awaited_inside_a_read_is_refused(engine):
    context = _context(engine)
    async with context.read():
        with pytest.raises(NestedSession, match="ProductByIdLoader"):
            await context.loaders.product_by_id.load(1)
    assert await context.loaders.product_by_id.load(1) is None


async def test_a_task_started_inside_a_read_inherits_the_rule(engine):
    context = _context(engine)

    async def another_read() -> None:
        async with context.read() as session:
            await session.execute(select(1))

    async with context.read():
        task = asyncio.create_task(another_read())
        with pytest.raises(NestedSession):
            await task
    await asyncio.create_task(another_read())


async def test_nothing_is_read_inside_a_write(engine):
    context = _context(engine)
    async with context.write():
        with pytest.raises(NestedSession, match="a write session"):
            async with context.read():
                pass


async def test_one_request_holds_at_most_its_slots(engine):
    context = _context(engine, db_sessions_per_request=2)
    inside, most = 0, 0
    full, release = asyncio.Event(), asyncio.Event()

    async def part() -> int:
        nonlocal inside, most
        async with context.read() as session:
            inside += 1
            most = max(most, inside)
            if inside == 2:
                full.set()
            await release.wait()
            answer = (await session.execute(select(1))).scalar_one()
            inside -= 1
            return answer

    parts = [asyncio.create_task(part()) for _ in range(5)]
    await full.wait()
    assert context.slots.locked()
    release.set()
    assert await asyncio.gather(*parts) == [1] * 5
    assert most == 2


@pytest.fixture
async def one_connection(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database_url, pool_size=1, max_overflow=0, pool_timeout=0.05)
    yield engine
    await engine.dispose()


async def test_a_pool_with_no_connection_free_fails_as_unavailable(one_connection):
    context = _context(one_connection)
    held, release = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with one_connection.connect() as conn:
            await conn.execute(select(1))
            held.set()
            await release.wait()

    holder = asyncio.create_task(hold())
    await held.wait()
    try:
        with pytest.raises(Unavailable) as refused:
            async with context.read() as session:
                await session.execute(select(1))
    finally:
        release.set()
        await holder
    assert (refused.value.code, refused.value.status) == ("SERVICE_UNAVAILABLE", 503)


async def test_writers_take_turns_and_each_marks_the_data_version_once(engine):
    sessions = session_factory(engine)
    async with sessions() as session:
        before = await data_version(session)
    first_in, release = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with write_session(sessions, NOW):
            first_in.set()
            await release.wait()

    async def second() -> None:
        async with write_session(sessions, NOW):
            pass

    writer = asyncio.create_task(first())
    await first_in.wait()
    assert writer_lock(engine).locked()
    follower = asyncio.create_task(second())
    release.set()
    await asyncio.gather(writer, follower)
    async with sessions() as session:
        assert await data_version(session) == before + 2


async def test_a_file_lock_is_held_for_the_block_only(tmp_path):
    path = tmp_path / "shopx.db-writer.lock"

    def free() -> bool:
        fd = os.open(path, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
        finally:
            os.close(fd)

    async with held_file_lock(path):
        assert not free()
    assert free()
