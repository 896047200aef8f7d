"""Engines and sessions. One place knows how to connect to each backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from shopx.config import Settings
from shopx.observability import instrument_engine

# Analytics sorts and hashes a few hundred thousand rows: give them memory, and skip JIT
# compilation, which costs more than it saves on queries of this size.
POSTGRES_SESSION = {"work_mem": "64MB", "jit": "off"}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA mmap_size=1073741824")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other backends and in-memory databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def create_engine(url: str, *, pool_size: int = 10, echo: bool = False) -> AsyncEngine:
    """An engine for ``url``, tuned for its backend, its statements timed for ``/metrics``."""
    engine = _backend_engine(url, pool_size=pool_size, echo=echo)
    instrument_engine(engine)
    return engine


def _backend_engine(url: str, *, pool_size: int, echo: bool) -> AsyncEngine:
    if make_url(url).get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, echo=echo)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        url,
        echo=echo,
        connect_args={"server_settings": POSTGRES_SESSION},
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_recycle=1800,
    )


def engine_from_settings(settings: Settings, *, read: bool = False) -> AsyncEngine:
    url = settings.database_read_url if read and settings.database_read_url else None
    return create_engine(url or settings.effective_database_url, pool_size=settings.db_pool_size)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def transaction(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """The one place that commits: the block's writes land together or not at all."""
    async with factory() as session, session.begin():
        yield session
