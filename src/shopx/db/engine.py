"""Engines and sessions. One place knows how to connect to each backend.

On SQLite, SQLAlchemy emits BEGIN itself (the driver's own transaction handling is off):
a read begins DEFERRED, a snapshot that never blocks; a connection marked with
:data:`WRITE` begins IMMEDIATE, so it takes the database's one write lock before its first
statement. A deferred writer would read first and then fail at its first write with
"database is locked" whenever another writer committed in between (SQLite cannot wait that
conflict out), which is what concurrent writers got before.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

from shopx.config import PRIVATE_FOLDER, Settings
from shopx.errors import Unavailable
from shopx.observability import instrument_engine

# Analytics sorts and hashes a few hundred thousand rows: give them memory, and skip JIT
# compilation, which costs more than it saves on queries of this size. Plan each execution
# of a prepared statement for its own parameters: after five runs PostgreSQL may settle on a
# generic plan, and one statement serves spans from an hour to years (a generic plan made
# after a month's runs took 1.2 s for a year's, where its own plan takes 80 ms, at 10M orders).
POSTGRES_SESSION = {"work_mem": "64MB", "jit": "off", "plan_cache_mode": "force_custom_plan"}


WRITE = {"shopx_write": True}
"""Execution options of a write transaction's connection (BEGIN IMMEDIATE on SQLite)."""

SQLITE_MMAP_BYTES = 1 << 30
"""How much of a SQLite database a connection reads through a memory map (its pages then
count in the process's resident memory)."""

SQLITE_BUSY_TIMEOUT_MS = 60_000
"""How long a writer waits for another process's write to finish. Writes in one process
already queue on their writer lock, so only other processes' writers are waited for here."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """Emitted on the driver's cursor, as PostgreSQL's driver emits its BEGIN: transaction
    control, not a statement that ``/metrics`` or a statement count should see."""
    writing = conn.get_execution_options().get("shopx_write", False)
    cursor = conn.connection.cursor()
    cursor.execute("BEGIN IMMEDIATE" if writing else "BEGIN")
    cursor.close()


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other backends and in-memory databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def create_engine(
    url: str,
    *,
    pool_size: int = 10,
    pool_timeout: float = 30.0,
    echo: bool = False,
    reads: bool = False,
) -> AsyncEngine:
    """An engine for ``url``, tuned for its backend, its statements timed for ``/metrics``.

    ``reads``: an engine that only reads. On PostgreSQL its sessions run each statement in
    a transaction of its own (autocommit): under READ COMMITTED every statement takes its
    own snapshot either way, and a read session's BEGIN and ROLLBACK are round trips that
    read nothing (and so was the pool's check of a connection, :func:`_checked_out`). On
    SQLite a read keeps its transaction: it is the snapshot that lets it run beside a
    writer.
    """
    engine = _backend_engine(
        url, pool_size=pool_size, pool_timeout=pool_timeout, echo=echo, reads=reads
    )
    instrument_engine(engine)
    return engine


def _backend_engine(
    url: str, *, pool_size: int, pool_timeout: float, echo: bool, reads: bool
) -> AsyncEngine:
    if make_url(url).get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        # A file's pool keeps every connection it opens, as PostgreSQL's does (below): an
        # overflow connection closed on its way back made the next one open a file, start a
        # thread and fill an empty page cache.
        pooled = (
            {"pool_size": 2 * pool_size, "max_overflow": 0, "pool_timeout": pool_timeout}
            if path is not None
            else {}
        )
        engine = create_async_engine(url, echo=echo, **pooled)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    autocommit = {"isolation_level": "AUTOCOMMIT"} if reads else {}
    # At most twice ``pool_size`` connections (as with ``pool_size`` and as many overflowing
    # before), but every one opened is kept: an overflow connection is closed as soon as it
    # is handed back, so load beyond the pool opened and closed a PostgreSQL connection (a
    # server process, its caches and every prepared statement made anew) for about every
    # request (5% of a worker's CPU under 64 writers, more on the server's side).
    # Connections open as they are first needed.
    engine = create_async_engine(
        url,
        echo=echo,
        connect_args={"server_settings": POSTGRES_SESSION},
        **autocommit,
        pool_size=2 * pool_size,
        max_overflow=0,
        pool_timeout=pool_timeout,
        pool_recycle=1800,
    )
    event.listen(engine.sync_engine, "checkout", _checked_out)
    event.listen(engine.sync_engine, "checkin", _checked_in)
    return engine


TRUSTED_IDLE_SECONDS = 10.0
"""How long a pooled connection may have sat unused and still be handed out unasked."""
_RETURNED = "shopx.returned_at"


def _checked_out(
    dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection
) -> None:
    """The pool's check of a connection it hands out (SQLAlchemy's ``pool_pre_ping`` asks
    the server every time: BEGIN, an empty query and ROLLBACK on a connection outside
    autocommit, three round trips before each write transaction's first statement).

    A server that closed the connection (a restart, ``pg_terminate_backend``) sent its end
    of the socket, which the event loop has read while it sat in the pool: the driver knows
    without a round trip. A connection that sat unused longer than
    :data:`TRUSTED_IDLE_SECONDS` is asked all the same, as the pre-ping did: a firewall or
    NAT that dropped an idle flow, or an address moved to another host, closes nothing the
    driver could have seen. Either way the pool opens another in place of a dead one."""
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError("the server closed this pooled connection")
    returned = record.info.get(_RETURNED)
    if returned is None or time.monotonic() - returned <= TRUSTED_IDLE_SECONDS:
        return  # new, or in use moments ago
    try:
        dbapi_connection.ping()
    except Exception as exc:
        raise DisconnectionError(f"an idle pooled connection did not answer: {exc}") from exc


def _checked_in(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    record.info[_RETURNED] = time.monotonic()


def engine_from_settings(settings: Settings, *, read: bool = False) -> AsyncEngine:
    """The primary's engine, or with ``read`` the engine analytics reads go through: the
    replica's when there is one (``SHOPX_DATABASE_READ_URL``), else the primary's, in a pool
    of its own that only reads (:func:`create_engine`).

    A serving process has both on PostgreSQL: each takes half of ``SHOPX_DB_POOL_SIZE``
    (rounded up), so that a process keeps at most about twice the setting open in all, as
    it did with one pool and its overflow."""
    url = settings.database_read_url if read and settings.database_read_url else None
    return create_engine(
        url or settings.effective_database_url,
        pool_size=-(-settings.db_pool_size // 2),
        pool_timeout=settings.db_pool_timeout,
        reads=read,
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@contextmanager
def pool_timeout_is_unavailable() -> Iterator[None]:
    """A pool with no connection free in time fails the request with SERVICE_UNAVAILABLE
    (a retry may succeed), not with an anonymous internal error."""
    try:
        yield
    except PoolTimeout as exc:
        raise Unavailable("no database connection came free in time; retry later") from exc
