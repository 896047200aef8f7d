"""Read-your-writes with a streaming replica: a write's answer waits until the replica
(``SHOPX_DATABASE_READ_URL``) has replayed the write's commit.

After COMMIT the primary's WAL position (``pg_current_wal_lsn()``) is at or past the
commit record; once the replica's ``pg_last_wal_replay_lsn()`` reaches it, every read on
the replica sees the write (and the data version it bumped). The wait is bounded: a lagging
or broken replica costs a write at most ``timeout`` seconds, logged and counted in
``shopx_replica_wait_seconds_count{outcome="timed_out"}``; it never fails the write, which has
committed. Nor does a replica (or primary) that cannot be asked: that is logged and counted
as ``outcome="failed"``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.config import Settings
from shopx.observability import replica_wait

logger = logging.getLogger(__name__)

FIRST_POLL = 0.001
"""Seconds between the replica's first polls; doubled after each, up to :data:`LAST_POLL`.
On one machine a replica replays a commit within a millisecond or two."""
LAST_POLL = 0.02

_CAUGHT_UP = text(
    "SELECT coalesce(pg_last_wal_replay_lsn() >= CAST(CAST(:lsn AS text) AS pg_lsn), true)"
)
"""True once the replica has replayed ``lsn``; true on a server that is no replica (it
replays nothing, and has every commit)."""


async def wait_for_replica(
    write_engine: AsyncEngine, read_engine: AsyncEngine, timeout: float
) -> bool:
    """Wait until ``read_engine``'s server has replayed every commit that
    ``write_engine``'s server had made when this was called, or ``timeout`` seconds.

    True when it caught up (at once when both are one engine, or not PostgreSQL), false
    when the time ran out or a server could not be asked. Never holds a connection of one
    engine while waiting for the other's."""
    if read_engine is write_engine or write_engine.dialect.name != "postgresql":
        return True
    started = time.perf_counter()
    try:
        return await _replayed(write_engine, read_engine, started, timeout)
    except (SQLAlchemyError, OSError) as exc:
        # Called after the write committed: failing here would answer an error for a write
        # that happened (and a client would send it again).
        replica_wait("failed", time.perf_counter() - started)
        logger.warning(
            "could not ask whether the read replica has replayed the write (%r); the"
            " write's next reads may not show it yet",
            exc,
        )
        return False


async def _replayed(
    write_engine: AsyncEngine, read_engine: AsyncEngine, started: float, timeout: float
) -> bool:
    """:func:`wait_for_replica`'s polling, for ``timeout`` seconds from ``started``."""
    async with write_engine.connect() as primary:
        lsn = (await primary.execute(text("SELECT pg_current_wal_lsn()::text"))).scalar_one()
    deadline = started + timeout
    pause = FIRST_POLL
    while True:
        async with read_engine.connect() as replica:
            caught_up = bool((await replica.execute(_CAUGHT_UP, {"lsn": lsn})).scalar_one())
        if caught_up:
            replica_wait("caught_up", time.perf_counter() - started)
            return True
        left = deadline - time.perf_counter()
        if left <= 0:
            replica_wait("timed_out", time.perf_counter() - started)
            logger.warning(
                "the read replica had not replayed the write at %s after %.3f s; the write's"
                " next reads may not show it yet",
                lsn,
                timeout,
            )
            return False
        await asyncio.sleep(min(pause, left))
        pause = min(pause * 2, LAST_POLL)


@dataclass(frozen=True, slots=True)
class Replica:
    """A primary and the replica its analytics are read from, for the cache's writers."""

    write_engine: AsyncEngine
    read_engine: AsyncEngine
    timeout: float

    @classmethod
    def of(cls, settings: Settings, write_engine: AsyncEngine, read_engine: AsyncEngine) -> Replica:
        """The pair, waited for as long as ``SHOPX_REPLICA_WAIT_MS`` says."""
        return cls(write_engine, read_engine, settings.replica_wait_ms / 1000)

    async def caught_up(self) -> bool:
        """:func:`wait_for_replica` for this pair."""
        return await wait_for_replica(self.write_engine, self.read_engine, self.timeout)
