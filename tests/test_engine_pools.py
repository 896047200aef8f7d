"""The pools behind a process's sessions: what a read costs, and that load opens no
connection twice (shopx.db.engine)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from sqlalchemy import event, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.api.graphql.freshness import shared_stamps
from shopx.bench.database import POSTGRES_URL_VARIABLE, Backend, vacuum_updated_tables
from shopx.db import engine as engine_module
from shopx.db.data_version import DataVersion, WriteMarks
from shopx.db.dialect import generic_plans
from shopx.db.engine import create_engine, session_factory
from shopx.db.writes import write_session

POSTGRES_ONLY = pytest.mark.parametrize("dialect", ["postgres"], indirect=True)


async def _in_transaction(engine: AsyncEngine) -> bool:
    """Whether a session of ``engine`` is inside a transaction after one read."""
    async with session_factory(engine)() as session:
        await session.execute(select(1))
        raw = await (await session.connection()).get_raw_connection()
        return bool(raw.driver_connection.is_in_transaction())


@POSTGRES_ONLY
async def test_a_read_engine_runs_each_statement_on_its_own(database_url: str) -> None:
    reads = create_engine(database_url, pool_size=1, reads=True)
    writes = create_engine(database_url, pool_size=1)
    try:
        assert await _in_transaction(writes)  # BEGIN went out before the read
        assert not await _in_transaction(reads)  # no BEGIN, so no ROLLBACK to send either
    finally:
        await reads.dispose()
        await writes.dispose()


def _opened(engine: AsyncEngine) -> list[Any]:
    """The driver connections ``engine``'s pool opens from now on, in order."""
    opened: list[Any] = []
    event.listen(engine.sync_engine, "connect", lambda conn, _record: opened.append(conn))
    return opened


async def test_load_beyond_the_pool_size_opens_each_connection_once(database_url: str) -> None:
    # Three: on a SQLite file, twice that is more than SQLAlchemy's own pool of five keeps.
    engine = create_engine(database_url, pool_size=3, pool_timeout=10)
    opened = _opened(engine)
    both_in = asyncio.Barrier(6)

    async def hold_one() -> None:
        async with session_factory(engine)() as session:
            await session.execute(select(1))
            await both_in.wait()

    try:
        for _ in range(3):  # each burst takes twice the pool size at once
            await asyncio.gather(*(hold_one() for _ in range(6)))
        assert len(opened) == 6
    finally:
        await engine.dispose()


async def test_shared_stamps_read_once_for_callers_that_wait_together(
    database_url: str,
) -> None:
    engine = create_engine(database_url, pool_size=2)
    sessions = session_factory(engine)
    reads: list[str] = []
    event.listen(
        engine.sync_engine,
        "before_cursor_execute",
        lambda *args: reads.append(args[2]) if "data_version" in args[2] else None,
    )
    stamp = shared_stamps(WriteMarks(engine))
    try:
        later = datetime(2031, 5, 4, 12, tzinfo=UTC)
        async with write_session(sessions, later):
            pass
        reads.clear()
        stamps = await asyncio.gather(*(stamp() for _ in range(20)))
        assert stamps == [later] * 20
        assert 1 <= len(reads) <= 2  # the run under way, and one for those who came during it
        async with write_session(sessions, later + timedelta(seconds=1)):
            pass
        assert await stamp() == later + timedelta(seconds=1)  # read after the call
        async with sessions() as session:
            stored = await session.scalar(select(DataVersion.updated_at))
        assert stored == later + timedelta(seconds=1)
    finally:
        await engine.dispose()


@POSTGRES_ONLY
async def test_the_bench_vacuums_what_order_writes_update(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(POSTGRES_URL_VARIABLE, database_url)
    engine = create_engine(database_url, pool_size=1)
    last_vacuum = text(
        "SELECT count(last_vacuum) FROM pg_stat_user_tables"
        " WHERE relname IN ('products', 'customers', 'data_version', 'rollup_sales_daily')"
    )
    try:
        async with engine.connect() as conn:
            assert await conn.scalar(last_vacuum) == 0
        await asyncio.to_thread(vacuum_updated_tables, Backend.postgres)
        async with engine.connect() as conn:
            assert await conn.scalar(last_vacuum) == 4
    finally:
        await engine.dispose()


@POSTGRES_ONLY
async def test_generic_plans_last_for_their_block_only(database_url: str) -> None:
    engine = create_engine(database_url, pool_size=1)

    async def mode(session) -> str:
        return (await session.execute(text("SHOW plan_cache_mode"))).scalar_one()

    try:
        async with session_factory(engine)() as session, session.begin():
            before = await mode(session)
            async with generic_plans(session):
                async with generic_plans(session):  # a block inside another is part of it
                    inner = await mode(session)
                outer = await mode(session)
            after = await mode(session)
        # Analytics plans every execution for its own values (the engine's setting).
        assert before == after == "force_custom_plan"
        assert inner == outer == "force_generic_plan"
    finally:
        await engine.dispose()


@POSTGRES_ONLY
async def test_generic_plans_to_the_end_of_the_transaction_are_taken_back_by_its_end(
    database_url: str,
) -> None:
    engine = create_engine(database_url, pool_size=1)
    statements: list[str] = []

    def sent(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    async def mode(session) -> str:
        return (await session.execute(text("SHOW plan_cache_mode"))).scalar_one()

    try:
        async with session_factory(engine)() as session:
            async with session.begin(), generic_plans(session, to_the_end=True):
                inner = await mode(session)
                event.listen(engine.sync_engine, "before_cursor_execute", sent)
            event.remove(engine.sync_engine, "before_cursor_execute", sent)
            async with session.begin():
                after = await mode(session)
        assert inner == "force_generic_plan"
        assert statements == []  # nothing sent to set the plans back
        assert after == "force_custom_plan"  # the commit did
    finally:
        await engine.dispose()


async def _end_pooled_connection(engine: AsyncEngine, opened: list[Any]) -> int:
    """End the server process of ``engine``'s one pooled connection (the first opened) and
    wait until the driver has read the end of its socket; the process id it had."""
    async with session_factory(engine)() as session:
        ended = await session.scalar(text("SELECT pg_backend_pid()"))
    other = create_engine(engine.url.render_as_string(hide_password=False), reads=True)
    try:
        async with other.connect() as conn:
            await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": ended})
            # Each look waits on the loop, which reads the pooled connection's end meanwhile.
            for _ in range(500):
                listed = await conn.scalar(
                    text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": ended}
                )
                if listed == 0 and opened[0].driver_connection.is_closed():
                    return int(ended)
                await asyncio.sleep(0.01)
    finally:
        await other.dispose()
    raise AssertionError("the server's end of the pooled connection never came")


@POSTGRES_ONLY
@pytest.mark.parametrize("reads", [False, True], ids=["writes", "reads"])
async def test_a_pooled_connection_the_server_closed_is_replaced_unseen(
    database_url: str, reads: bool
) -> None:
    """The pool checks a connection it hands out without asking the server
    (``engine._checked_out``): one whose server process was ended while it sat in the
    pool is replaced, and the next session's statement runs on a new one."""
    engine = create_engine(database_url, pool_size=1, reads=reads)
    opened = _opened(engine)
    try:
        ended = await _end_pooled_connection(engine, opened)
        async with session_factory(engine)() as session:
            assert await session.scalar(text("SELECT pg_backend_pid()")) != ended
        assert len(opened) == 2
    finally:
        await engine.dispose()


@POSTGRES_ONLY
async def test_a_connection_idle_past_the_trusted_time_is_asked_before_it_is_handed_out(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A connection dropped where its socket shows nothing (a firewall, a moved address)
    looks open to the driver: once it has sat unused past ``TRUSTED_IDLE_SECONDS`` the
    pool asks the server, finds it dead and opens another. Here a connection whose end was
    read is made to look open, and the trusted time is none."""
    engine = create_engine(database_url, pool_size=1)
    opened = _opened(engine)
    try:
        ended = await _end_pooled_connection(engine, opened)
        dropped = opened[0].driver_connection
        is_closed = asyncpg.Connection.is_closed
        monkeypatch.setattr(
            asyncpg.Connection, "is_closed", lambda conn: conn is not dropped and is_closed(conn)
        )
        monkeypatch.setattr(engine_module, "TRUSTED_IDLE_SECONDS", 0.0)
        async with session_factory(engine)() as session:
            assert await session.scalar(text("SELECT pg_backend_pid()")) != ended
        assert len(opened) == 2
    finally:
        await engine.dispose()
