"""``wait_for_replica`` against a real primary and streaming replica: it returns once the
replica has replayed the commit (and the replica then shows the write), and gives up after
its timeout while replay is paused."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.db.engine import create_engine
from shopx.db.replica import wait_for_replica
from tests.replicas import ReplicatedPostgres, replicated_postgres

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pair() -> Iterator[ReplicatedPostgres]:
    with replicated_postgres() as clusters:
        yield clusters


@pytest.fixture
async def engines(pair: ReplicatedPostgres) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    primary = create_engine(pair.primary.url(), pool_size=2)
    replica = create_engine(pair.replica.url(), pool_size=2)
    async with primary.begin() as conn:
        await conn.execute(text("CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY)"))
        await conn.execute(text("TRUNCATE notes"))
    yield primary, replica
    await primary.dispose()
    await replica.dispose()


async def _note(engine: AsyncEngine, number: int) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO notes VALUES (:n)"), {"n": number})


async def _notes(engine: AsyncEngine) -> list[int]:
    async with engine.connect() as conn:
        return list((await conn.execute(text("SELECT id FROM notes ORDER BY id"))).scalars())


async def _replay(replica: AsyncEngine, action: str) -> None:
    async with replica.connect() as conn:
        await conn.execute(text(f"SELECT pg_wal_replay_{action}()"))


async def test_the_replica_shows_a_commit_once_the_wait_returns(engines):
    primary, replica = engines
    for number in range(1, 21):
        await _note(primary, number)
        assert await wait_for_replica(primary, replica, timeout=5.0)
        assert await _notes(replica) == list(range(1, number + 1))


async def test_a_paused_replica_times_out_and_is_waited_for_again_once_it_resumes(engines):
    primary, replica = engines
    await _replay(replica, "pause")
    try:
        await _note(primary, 1)
        assert not await wait_for_replica(primary, replica, timeout=0.1)
        assert await _notes(replica) == []
    finally:
        await _replay(replica, "resume")
    assert await wait_for_replica(primary, replica, timeout=5.0)
    assert await _notes(replica) == [1]


async def test_one_engine_or_a_read_engine_on_a_primary_needs_no_wait(engines, pair):
    primary, _ = engines
    assert await wait_for_replica(primary, primary, timeout=0.0)
    same_server = create_engine(pair.primary.url(), pool_size=1)
    try:  # a primary replays nothing: it has every commit
        assert await wait_for_replica(primary, same_server, timeout=0.0)
    finally:
        await same_server.dispose()
