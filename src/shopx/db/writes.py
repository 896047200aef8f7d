"""Write transactions: the one way anything writes to the database.

Every write, from a mutation, a job or a command, goes through :func:`write_session` or
:func:`write_connection`, which

1. wait for the process's writer lock of that database, so writers of one process queue
   here in turn instead of inside the database (where SQLite would refuse them and
   PostgreSQL would hold a pooled connection for each waiting writer), and on a SQLite
   file for a file lock that the processes writing it take in turn;
2. begin the transaction as a writer (BEGIN IMMEDIATE on SQLite: the write lock is taken
   up front, and a writer of another process is waited for, see :mod:`shopx.db.engine`);
3. mark the data version first (:func:`shopx.db.data_version.mark_written`): its row lock queues
   concurrent writers of other processes on PostgreSQL, so a uniqueness check cannot race
   another writer and no two writers can deadlock;
4. commit when the block ends, or roll everything back on any error.

Rows that no answer is made of (users, sign-in sessions) are written through
:func:`bookkeeping_session`: steps 1, 2 and 4 without the data version, so that signing in
does not make every cached answer stale.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from datetime import datetime
from weakref import WeakKeyDictionary

from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from shopx.db.data_version import mark_written
from shopx.db.dialect import generic_plans
from shopx.db.engine import WRITE, sqlite_path
from shopx.db.file_lock import held_file_lock
from shopx.db.holding import one_session

_locks: WeakKeyDictionary[asyncio.AbstractEventLoop, WeakKeyDictionary[Engine, asyncio.Lock]]
_locks = WeakKeyDictionary()


def writer_lock(engine: AsyncEngine) -> asyncio.Lock:
    """The lock every writer of ``engine`` in this process (and event loop) holds in turn."""
    per_engine = _locks.setdefault(asyncio.get_running_loop(), WeakKeyDictionary())
    return per_engine.setdefault(engine.sync_engine, asyncio.Lock())


@asynccontextmanager
async def writers_turn(engine: AsyncEngine) -> AsyncIterator[None]:
    """This process's turn (:func:`writer_lock`), then, on a SQLite file, this process's
    turn among the processes writing it (:func:`held_file_lock`)."""
    async with writer_lock(engine):
        path = sqlite_path(engine.url.render_as_string(hide_password=False))
        if path is None:
            yield
        else:
            async with held_file_lock(path.with_name(f"{path.name}-writer.lock")):
                yield


@asynccontextmanager
async def write_session(
    sessions: async_sessionmaker[AsyncSession], now: datetime, *, generic: bool = False
) -> AsyncIterator[AsyncSession]:
    """A session whose writes commit together when the block ends (see the module doc).

    ``generic``: the whole transaction runs its statements on generic plans
    (:func:`~shopx.db.dialect.generic_plans`), set before the data version is marked, so
    the setting's round trip is not made while this writer holds the other writers up."""
    async with _transaction(sessions, "a write session") as session:
        plans = generic_plans(session, to_the_end=True) if generic else nullcontext()
        async with plans:
            await mark_written(session, now)
            yield session


@asynccontextmanager
async def bookkeeping_session(
    sessions: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """:func:`write_session` for rows no answer reads: the data version stays as it is."""
    async with _transaction(sessions, "a bookkeeping session") as session:
        yield session


@asynccontextmanager
async def _transaction(
    sessions: async_sessionmaker[AsyncSession], what: str
) -> AsyncIterator[AsyncSession]:
    """A writer's turn and transaction (module doc, steps 1, 2 and 4)."""
    engine = sessions.kw["bind"]
    with one_session(what):
        async with writers_turn(engine), sessions() as session, session.begin():
            await session.connection(execution_options=WRITE)
            yield session


@asynccontextmanager
async def write_connection(engine: AsyncEngine, now: datetime) -> AsyncIterator[AsyncConnection]:
    """:func:`write_session` for Core work on a bare connection (bulk loads, rebuilds)."""
    with one_session("a write connection"):
        async with writers_turn(engine), engine.connect() as conn:
            await conn.execution_options(**WRITE)
            async with conn.begin():
                await mark_written(conn, now)
                yield conn
