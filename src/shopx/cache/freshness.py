"""How a committed write reaches every instance before its response leaves.

The rule: once a client has the response of a write, any read it sends afterwards, to any
instance, reflects that write.

In-process, each tag has a version, and an entry remembers the versions (and an epoch)
it was computed against; a write bumps its tags' versions, which makes every entry that
depends on them stale at once (no scan). Across instances (when Redis is configured):

1. The writer publishes the tags on a channel. ``PUBLISH`` says how many listeners
   received the message; every listener (the writer's own included) bumps its local
   versions and then acknowledges. The writer returns once it has every acknowledgement.
   (Shared entries in Redis are checked against ``data_version``, see
   :mod:`shopx.cache.remote`.)
2. A listener that does not acknowledge within :data:`ACK_TIMEOUT` is not waited for.
   That is safe because of the *lease*: every instance publishes a heartbeat every
   :data:`HEARTBEAT` seconds, and an instance serves in-process hits on tag versions alone
   only while it has heard something within :data:`LEASE`. A stuck listener has not heard
   the writer's message, and so nothing published after it (the channel is ordered); by
   the time the writer gives up, its lease has run out.
3. Without a lease (Redis down, unreachable, or not configured at all), an in-process hit
   is served only if the database's ``data_version`` (bumped by every write transaction,
   one primary-key read) still equals the one the entry was computed at. A listener that
   hears again after a gap first drops every in-process entry (new epoch), because it may
   have missed invalidations.
4. A writer that cannot reach Redis waits until its own lease has run out, so that every
   instance that heard the same heartbeats has fallen back to ``data_version`` too.
5. Writes pay: the writer may hand over answers it recomputed after its commit
   (:class:`Fresh`); every instance installs them right after applying the invalidation,
   with no await in between, so the reads after the write are hits.

Cost: each write waits for the acknowledgement of every listening instance;
``shopx bench --scenarios write_mix`` measures the whole write path (the README's
Benchmarks section).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from redis.asyncio import Redis

from shopx import observability
from shopx.cache.changes import Changes
from shopx.cache.coalesce import AfterCall
from shopx.cache.remote import FAILURES, Breaker, RedisTier

log = logging.getLogger("shopx.cache")

HEARTBEAT = 0.25
LEASE = 1.0
ACK_TIMEOUT = LEASE + 0.25
STOP_RETRY = 0.1
"""Seconds between cancels of the listener and heartbeat tasks when stopping."""


@dataclass(frozen=True, slots=True)
class Fresh:
    """An answer a writer recomputed after its commit, handed to every instance with the
    invalidation, so that the reads after the write are hits everywhere ("writes pay")."""

    key: str
    tags: tuple[str, ...]
    ttl: float
    body: bytes
    data_version: int
    cost: float
    """Seconds the computation took."""

    def packed(self) -> list[object]:
        return [
            self.key,
            list(self.tags),
            self.ttl,
            self.body.decode(),
            self.data_version,
            self.cost,
        ]

    @classmethod
    def unpacked(cls, item: list[Any]) -> Fresh:
        key, tags, ttl, body, data_version, cost = item
        return cls(key, tuple(tags), float(ttl), body.encode(), int(data_version), float(cost))


@dataclass(frozen=True, slots=True)
class Stamp:
    """What an in-process entry was computed against."""

    epoch: int
    versions: tuple[int, ...]
    data_version: int
    """The database's write counter, read before the answer was computed."""


class Freshness:
    def __init__(
        self,
        changes: Changes,
        data_version: Callable[[], Awaitable[int]],
        *,
        remote: RedisTier | None = None,
        blocking: Redis | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.changes = changes
        self._data_version = AfterCall(data_version).result
        self.install: Callable[[list[Fresh]], None] = lambda fresh: None
        """Stores answers recomputed by a writer; set by the response cache."""
        self.invalidated: Callable[[frozenset[str]], None] = lambda tags: None
        """Told the tags of every invalidation applied here (the response cache recomputes
        its hot answers depending on them); set by the response cache."""
        self.remote = remote
        self._blocking = blocking
        self._clock = clock
        self.instance = uuid.uuid4().hex
        self.epoch = 0
        self._versions: dict[str, int] = {}
        self._versions_of: dict[tuple[str, ...], tuple[int, ...]] = {}
        self._heard_at: float | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._bus = Breaker("Redis invalidation channel")
        self._channel = f"{remote.prefix}invalidate" if remote is not None else ""

    # -- reading ---------------------------------------------------------------

    def has_lease(self) -> bool:
        return self._heard_at is not None and self._clock() - self._heard_at < LEASE

    async def stamp(self, tags: tuple[str, ...]) -> Stamp:
        """Taken before computing (or fetching) an answer: one data_version read."""
        versions = self.versions(tags)
        return Stamp(self.epoch, versions, await self._data_version())

    def current_stamp(self, tags: tuple[str, ...], data_version: int) -> Stamp:
        """The stamp of an answer computed from data at ``data_version``, as of now."""
        return Stamp(self.epoch, self.versions(tags), data_version)

    def versions(self, tags: tuple[str, ...]) -> tuple[int, ...]:
        """The current versions of ``tags`` (memoized until the next invalidation)."""
        found = self._versions_of.get(tags)
        if found is None:
            found = self._versions_of[tags] = tuple(self._versions.get(tag, 0) for tag in tags)
        return found

    def unchanged(self, tags: tuple[str, ...], stamp: Stamp) -> bool:
        """No invalidation of ``tags`` reached this process since ``stamp``."""
        return stamp.epoch == self.epoch and stamp.versions == self.versions(tags)

    def fresh_here(self, tags: tuple[str, ...], stamp: Stamp) -> bool:
        """The fast answer to :meth:`fresh`: True when the lease alone vouches for the entry."""
        return self.has_lease() and self.unchanged(tags, stamp)

    async def fresh(self, tags: tuple[str, ...], stamp: Stamp) -> bool:
        """May an in-process entry with this stamp be served now?"""
        if not self.unchanged(tags, stamp):
            return False
        if self.has_lease():
            return True
        return stamp.data_version == await self._data_version()

    # -- writing ---------------------------------------------------------------

    def apply(
        self, tags: Iterable[str], *, everything: bool = False, source: str = "local"
    ) -> None:
        """Make entries depending on ``tags`` (or every entry) stale in this process."""
        tags = frozenset(tags)
        if everything:
            self.epoch += 1
        for tag in tags:
            self._versions[tag] = self._versions.get(tag, 0) + 1
        self._versions_of.clear()
        observability.invalidation(source)
        if tags:
            self.changes.notify(tags)
            if not everything:
                self.invalidated(tags)

    async def counter(self) -> int:
        """The database's write counter, read by a query that started after this call."""
        return await self._data_version()

    async def publish(
        self, tags: Iterable[str], *, everything: bool = False, fresh: Sequence[Fresh] = ()
    ) -> None:
        """Invalidate ``tags`` here and on every instance, installing ``fresh`` answers right
        after; returns when every instance has done so."""
        tags = frozenset(tags)
        self.apply(tags, everything=everything)
        self.install(list(fresh))  # no await in between: nothing sees the gap
        if self.remote is None:
            return
        message = {
            "id": uuid.uuid4().hex,
            "from": self.instance,
            "tags": sorted(tags),
            "all": everything,
            "fresh": [answer.packed() for answer in fresh],
        }
        try:
            assert self._blocking is not None
            receivers = await self._blocking.publish(self._channel, orjson.dumps(message))
            await self._await_acks(message["id"], int(receivers))
        except FAILURES as exc:
            self._bus.failed(exc)
            await self._outwait_leases()

    async def _await_acks(self, message_id: str, receivers: int) -> None:
        assert self._blocking is not None
        deadline = self._clock() + ACK_TIMEOUT
        key = f"{self.remote.prefix}ack:{message_id}"
        for _ in range(receivers):
            left = deadline - self._clock()
            if left <= 0 or await self._blocking.blpop([key], timeout=left) is None:
                log.warning("an instance did not acknowledge an invalidation in %.2fs", ACK_TIMEOUT)
                return

    async def _outwait_leases(self) -> None:
        if self._heard_at is not None:
            left = self._heard_at + LEASE + 0.05 - self._clock()
            if left > 0:
                await asyncio.sleep(left)

    # -- listening (one task per process while Redis is configured) -------------

    def start(self) -> None:
        if self.remote is not None and not self._tasks:
            self._tasks = [
                asyncio.create_task(self._listen(), name="cache-listener"),
                asyncio.create_task(self._beat(), name="cache-heartbeat"),
            ]

    async def stop(self) -> None:
        """End the listener and the heartbeat. A cancel can be lost inside a Redis call (a
        timeout expiring at the same moment turns it into a failure, which the loops outlive
        by design), so it is repeated until every task has ended."""
        tasks, self._tasks = set(self._tasks), []
        while tasks:
            for task in tasks:
                task.cancel()
            done, tasks = await asyncio.wait(tasks, timeout=STOP_RETRY)
            for task in done:
                if not task.cancelled() and task.exception() is not None:
                    log.debug("cache task ended with %r", task.exception())

    async def _beat(self) -> None:
        assert self._blocking is not None
        beat = orjson.dumps({"beat": self.instance})
        while True:
            with contextlib.suppress(*FAILURES):
                await self._blocking.publish(self._channel, beat)
            await asyncio.sleep(HEARTBEAT)

    async def _listen(self) -> None:
        assert self.remote is not None and self._blocking is not None
        while True:
            try:
                async with self._blocking.pubsub() as pubsub:
                    await pubsub.subscribe(self._channel)
                    self._heard(gap=True)
                    while True:
                        message = await pubsub.get_message(
                            ignore_subscribe_messages=True, timeout=HEARTBEAT
                        )
                        if message is not None:
                            await self._receive(message["data"])
            except FAILURES as exc:
                self._bus.failed(exc)
                await asyncio.sleep(HEARTBEAT)

    def _heard(self, *, gap: bool = False) -> None:
        now = self._clock()
        if gap or self._heard_at is None or now - self._heard_at >= LEASE:
            self.epoch += 1  # we may have missed invalidations: nothing old is trusted
            if self._heard_at is not None:
                log.info(
                    "invalidation channel silent for %.2fs: in-process answers dropped",
                    now - self._heard_at,
                )
        self._heard_at = now

    async def _receive(self, data: bytes) -> None:
        self._heard()
        message = orjson.loads(data)
        if "id" not in message:
            return
        if message["from"] != self.instance:  # the writer applied its own before publishing
            self.apply(message["tags"], everything=message["all"], source="remote")
            self.install([Fresh.unpacked(item) for item in message.get("fresh", ())])
        assert self._blocking is not None
        assert self.remote is not None
        key = f"{self.remote.prefix}ack:{message['id']}"
        async with self._blocking.pipeline(transaction=False) as pipe:
            pipe.rpush(key, self.instance)
            pipe.expire(key, 10)
            await pipe.execute()
