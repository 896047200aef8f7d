"""One process's cache machinery, built from settings and held by the app for its lifetime."""

from __future__ import annotations

import fnmatch
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shopx.cache import remote as redis_side
from shopx.cache.changes import Changes
from shopx.cache.documents import Dependencies, Planner, TtlClass
from shopx.cache.freshness import ACK_TIMEOUT, Freshness
from shopx.cache.local import LocalTier, TierStats
from shopx.cache.remote import RedisTier
from shopx.cache.responses import ResponseCache, Warmth
from shopx.cache.tags import ALL_TAGS, written_tags
from shopx.config import Settings
from shopx.db.data_version import WriteMarks, move_past_the_clock
from shopx.db.engine import engine_from_settings
from shopx.db.replica import Replica
from shopx.db.writes import write_session
from shopx.errors import BadInput


class Warmer(Protocol):
    """Computes answers the way requests get them, for the cache-warm job: the API layer
    installs one on its :class:`CacheRuntime` (:attr:`CacheRuntime.warmer`), since only it
    can run a query."""

    serving: bool
    """The process answers requests (its in-process tier counts), or is a worker."""

    async def warm(self, body: bytes, visibility: str) -> Warmth | None:
        """Warm the answer to ``body`` (a ``POST /graphql`` JSON body) for a caller of
        ``visibility`` (a role, or ``anonymous``); None when that is no cacheable request."""
        ...


@dataclass(frozen=True, slots=True)
class TierInfo:
    name: str
    backend: str
    stats: TierStats
    entries: int | None
    bytes: int | None
    available: bool


class CacheRuntime:
    """Tiers, freshness and the change stream of one process.

    ``data_version`` reads the database's write counter, from the database the answers are
    read from (the replica when there is one; :class:`~shopx.db.data_version.WriteMarks`).
    ``dependencies`` derives the tags of an answer from its query (the API's schema walk);
    without it every answer depends on every tag.
    """

    def __init__(
        self,
        settings: Settings,
        data_version: Callable[[], Awaitable[int]],
        dependencies: Dependencies | None = None,
        replica: Replica | None = None,
    ) -> None:
        self.settings = settings
        self.replica = replica
        """Where answers are read from when it is not the primary: a write's invalidation
        waits for it to replay the write (:meth:`written`)."""
        self.changes = Changes()
        self.remote: RedisTier | None = None
        blocking = None
        if settings.redis_url:
            self.remote = RedisTier(
                redis_side.client(settings.redis_url, settings.redis_timeout_ms),
                redis_side.namespace(settings.effective_database_url),
            )
            # The channel (publish, heartbeats, acknowledgements) waits longer than a cache
            # lookup may: under load a slow answer there is not a dead Redis, and a lost
            # heartbeat costs every instance its lease.
            blocking = redis_side.client(settings.redis_url, int((ACK_TIMEOUT + 1) * 1000))
        self.freshness = Freshness(
            self.changes, data_version, remote=self.remote, blocking=blocking
        )
        self._blocking = blocking
        self.local = LocalTier(
            max_entries=settings.cache_max_entries, max_bytes=settings.cache_memory_mb * 2**20
        )
        self.planner = Planner(dependencies)
        self.responses = (
            ResponseCache(self.local, self.freshness, self.ttls(), self.remote)
            if settings.cache_enabled
            else None
        )
        self.warmer: Warmer | None = None
        """How this process computes answers ahead of requests; None where no API runs."""

    def ttls(self) -> dict[TtlClass, float]:
        return {kind: float(getattr(self.settings, f"cache_ttl_{kind.value}")) for kind in TtlClass}

    async def start(self) -> None:
        self.freshness.start()

    async def stop(self) -> None:
        if self.responses is not None:
            self.responses.stop_refreshing()
        await self.freshness.stop()
        for client in (self.remote.redis if self.remote else None, self._blocking):
            if client is not None:
                await client.aclose()

    async def written(self, tags: frozenset[str]) -> None:
        """A write with these tags committed: stale everywhere before this returns (and,
        with a read replica, readable there: :attr:`replica`). Each
        instance then recomputes its hot answers depending on them in the background,
        once per burst of writes (:meth:`ResponseCache.refresh_soon`)."""
        if tags:
            if self.replica is not None:
                # Answers and the write counter are read from the replica: until it has the
                # write, an answer computed there after the invalidation would miss it.
                await self.replica.caught_up()
            await self.freshness.publish(tags)

    def matching(self, pattern: str) -> list[str]:
        """The cache tags a glob pattern names (``*``: all); BAD_USER_INPUT for none."""
        tags = sorted(tag for tag in ALL_TAGS if fnmatch.fnmatchcase(tag, pattern))
        if not tags:
            known = ", ".join(sorted(ALL_TAGS))
            raise BadInput(f"pattern {pattern!r} matches no cache tag (tags: {known})")
        return tags

    async def clear(self, tags: list[str]) -> list[str]:
        """Invalidate ``tags`` on every instance (all of them: drop every entry).

        Callers bump the database's write counter first (:func:`clear_everywhere`), for
        the instances that cannot hear Redis."""
        everything = set(tags) == ALL_TAGS
        if everything:
            self.local.clear()
        await self.freshness.publish(tags, everything=everything)
        return tags

    async def tiers(self) -> list[TierInfo]:
        tiers = [
            TierInfo("l1", "in-process", self.local.stats, len(self.local), self.local.bytes, True)
        ]
        if self.remote is not None:
            shared = await self.remote.entries()
            tiers.append(
                TierInfo(
                    "l2",
                    "redis",
                    self.remote.stats,
                    shared[0] if shared else None,
                    shared[1] if shared else None,
                    shared is not None,
                )
            )
        return tiers


async def clear_everywhere(
    cache: CacheRuntime, sessions: async_sessionmaker[AsyncSession], pattern: str, now: datetime
) -> list[str]:
    """``clearCache`` and ``shopx cache clear``: the tags matching ``pattern`` go stale on
    every instance, with or without Redis."""
    tags = cache.matching(pattern)
    async with write_session(sessions, now) as session:
        if set(tags) == ALL_TAGS:
            # Shared answers are judged by the write counter alone: after a restored backup
            # (its counter behind the answers in Redis) the newer ones would look fresh.
            await move_past_the_clock(session)
    return await cache.clear(tags)


@asynccontextmanager
async def writing(
    sessions: async_sessionmaker[AsyncSession],
    now: datetime,
    cache: CacheRuntime | None,
    *,
    generic: bool = False,
) -> AsyncIterator[AsyncSession]:
    """The write transaction of a mutation, job or command (:func:`write_session`: one
    writer at a time, data version marked first, committed when the block ends; on
    generic plans throughout if ``generic``).

    Once it has committed, the tags of what it wrote are invalidated through ``cache`` on
    every instance before the block returns, so a mutation's response leaves only after."""
    async with write_session(sessions, now, generic=generic) as session:
        yield session
    if cache is not None:
        await cache.written(written_tags(session.sync_session))


@asynccontextmanager
async def outside_cache(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[CacheRuntime]:
    """The cache machinery of a process that writes but does not serve (CLI, jobs): its
    writes reach the serving instances the way a mutation's do."""

    replica = None
    if settings.database_read_url:
        read_engine = engine_from_settings(settings, read=True)
        replica = Replica.of(settings, sessions.kw["bind"], read_engine)
    cache = CacheRuntime(settings, WriteMarks(sessions.kw["bind"]).version, replica=replica)
    try:
        yield cache
    finally:
        await cache.stop()
        if replica is not None:
            await replica.read_engine.dispose()
