"""Who runs the schedule: one holder of a lock per database, whatever the number of processes.

PostgreSQL: a session-level ``pg_try_advisory_lock`` on a connection of its own, kept open
for as long as the process leads; the server lets go when that connection ends (the holder
died, or the network dropped it). SQLite: an exclusive non-blocking ``flock`` on a lock file
next to the database file, which the kernel lets go when the holder's process ends. An
in-memory SQLite database is private to its process, which always leads.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
from pathlib import Path
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from shopx.config import PRIVATE_FILE
from shopx.db.dialect import is_postgres
from shopx.db.engine import sqlite_path

LOCK_KEY = "shopx-scheduler"
"""The advisory lock's name (hashed to its key, like the runner's per-job locks)."""
CHECK_SECONDS = 10.0
"""How long the holder's check of its connection may take before the lead counts as lost
(a dropped network may leave a query waiting for minutes)."""


class Leadership(Protocol):
    async def acquire(self) -> bool:
        """Take the lead if nobody holds it; True when this process holds it now."""

    async def holding(self) -> bool:
        """Whether the lead taken is still held (False: it was lost, step down)."""

    async def release(self) -> None:
        """Let go of the lead (nothing when not holding it)."""


def leadership_for(engine: AsyncEngine) -> Leadership:
    """The lock that decides who leads on ``engine``'s database (module doc)."""
    if is_postgres(engine):
        return AdvisoryLock(engine)
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None:
        return AlwaysLeading()
    return FileLock(path.with_name(path.name + "-scheduler.lock"))


class AdvisoryLock:
    """A PostgreSQL session-level advisory lock on a dedicated, unpooled connection."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = create_async_engine(engine.url, poolclass=NullPool)
        self._conn: AsyncConnection | None = None

    async def acquire(self) -> bool:
        if self._conn is not None:
            return await self.holding()
        conn = await self._engine.connect()
        try:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            taken = await auto.scalar(
                text("SELECT pg_try_advisory_lock(hashtext(:key))"), {"key": LOCK_KEY}
            )
        except BaseException:
            await _close(conn)
            raise
        if not taken:
            await _close(conn)
            return False
        self._conn = conn
        return True

    async def holding(self) -> bool:
        if self._conn is None:
            return False
        try:
            async with asyncio.timeout(CHECK_SECONDS):
                await self._conn.scalar(text("SELECT 1"))
        except Exception:  # the connection is gone, and the lock with it
            conn, self._conn = self._conn, None
            await conn.invalidate()
            return False
        return True

    async def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            # Closing the session releases its advisory locks; no unlock round trip needed
            # (and none possible when the connection is already broken).
            await _close(conn)
        await self._engine.dispose()


async def _close(conn: AsyncConnection) -> None:
    try:
        await conn.close()
    except Exception:  # a broken connection is closed as far as we are concerned
        await conn.invalidate()


class FileLock:
    """An exclusive ``flock`` on a lock file: one holder per open file, across processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    async def acquire(self) -> bool:
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return True

    async def holding(self) -> bool:
        return self._fd is not None

    async def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)


class AlwaysLeading:
    """An in-memory database: no other process can see it, so this one leads."""

    def __init__(self) -> None:
        self._held = False

    async def acquire(self) -> bool:
        self._held = True
        return True

    async def holding(self) -> bool:
        return self._held

    async def release(self) -> None:
        self._held = False
