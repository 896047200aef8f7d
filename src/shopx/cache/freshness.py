"""How a committed write reaches every instance before its response leaves.

The rule: once a client has the response of a write, any read it sends afterwards, to any
instance, reflects that write.

In-process, each tag has a version, and an entry remembers the versions (and an epoch)
it was computed against; a write bumps its tags' versions, which makes every entry that
depends on them stale at once (no scan). Across instances (when Redis is configured):

1. The writer publishes the tags on a channel. ``PUBLISH`` says how many listeners
   received the message; every listener (the writer's own included) bumps its local
   versions and then acknowledges with its instance id. The writer returns once every
   receiver has acknowledged, or once each instance it still waits for has lost its lease
   (2). (Shared entries in Redis are checked against ``data_version``, see
   :mod:`shopx.cache.remote`.)
2. The *lease*: every instance publishes a heartbeat every :data:`HEARTBEAT` seconds,
   carrying its wall-clock send time, and serves in-process hits on tag versions alone
   only within :data:`LEASE` of sending the last of its own heartbeats that it has heard
   back on the channel. Hearing its own beat proves that it publishes and listens, and
   (the channel is ordered, messages are handled one at a time) that it has applied every
   invalidation published before that beat. So an instance that has not applied a
   message M holds, after M, only a lease from a beat published before M.

   Every instance remembers the last beat it heard from each instance. A writer first
   waits for its own listener to hear M: it has then heard every beat published before M,
   so for each instance I it knows a send time ``s_I`` at or after that of the beat I's
   lease can rest on. It then waits for I's acknowledgement at most until
   ``s_I + LEASE + CLOCK_SKEW`` on its own wall clock (when I's lease has run out, since
   wall clocks agree within :data:`CLOCK_SKEW`: one host, or hosts kept in sync by NTP),
   and never beyond :data:`ACK_TIMEOUT` after publishing. An instance whose last beat is
   older than that (stopped, hung, gone) is not waited for at all: a hung but connected
   instance costs writes nothing once its lease has run out. An instance that has not
   beaten yet has no lease either. If the writer's own listener does not hear M, or has
   not listened for a lease yet (it may have missed beats that still give a lease), it
   waits for as many acknowledgements as ``PUBLISH`` counted, up to :data:`ACK_TIMEOUT`
   (longer than any lease a beat sent before M can give).

   A stopped instance that resumes has a lapsed lease: it checks ``data_version`` (3)
   until it hears a new beat of its own, by which time it has applied every message it
   missed (they were queued on its subscription, before that beat).
3. Without a lease (Redis down, unreachable, or not configured at all), an in-process hit
   is served only if the database's ``data_version`` (bumped by every write transaction,
   one primary-key read) still equals the one the entry was computed at. A listener that
   subscribes again, or regains its lease after it lapsed, first drops every in-process
   entry (new epoch), because it may have missed invalidations.
4. A writer that cannot reach Redis waits until every lease it knows of (its own and
   those of the beats it heard) has run out, so that those instances have fallen back to
   ``data_version`` too.
5. Writes do not wait for recomputations: every instance is told of each invalidation
   it applies (:attr:`Freshness.invalidated`), and its response cache recomputes its hot
   answers in the background, once per burst of writes.

Cost: each write waits for the acknowledgement of every listening instance that holds a
lease; ``shopx bench --scenarios write_mix`` measures the whole write path (the README's
Benchmarks section).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
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
CLOCK_SKEW = 0.05
"""Seconds by which the wall clocks of two instances may disagree (one host, or NTP)."""
STOP_RETRY = 0.1
"""Seconds between cancels of the listener and heartbeat tasks when stopping."""


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
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.changes = changes
        self._data_version = AfterCall(data_version).result
        self.invalidated: Callable[[frozenset[str]], None] = lambda tags: None
        """Told the tags of every invalidation applied here (the response cache recomputes
        its hot answers depending on them); set by the response cache."""
        self.remote = remote
        self._blocking = blocking
        self._clock = clock
        self._wall = wall
        self.instance = uuid.uuid4().hex
        self.epoch = 0
        self._versions: dict[str, int] = {}
        self._versions_of: dict[tuple[str, ...], tuple[int, ...]] = {}
        self._leased_from: float | None = None
        """When (``clock``) this process sent the last of its own beats it heard back."""
        self._beats: dict[str, float] = {}
        """Per instance, the wall-clock send time of the last beat heard from it."""
        self._listening_since: float | None = None
        """When (wall clock) the listener's current subscription began; None: not listening."""
        self._tasks: list[asyncio.Task[None]] = []
        self._bus = Breaker("Redis invalidation channel")
        self._channel = f"{remote.prefix}invalidate" if remote is not None else ""

    # -- reading ---------------------------------------------------------------

    def has_lease(self) -> bool:
        return self._leased_from is not None and self._clock() - self._leased_from < LEASE

    async def stamp(self, tags: tuple[str, ...]) -> Stamp:
        """Taken before computing (or fetching) an answer: one data_version read."""
        versions = self.versions(tags)
        return Stamp(self.epoch, versions, await self._data_version())

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

    async def publish(self, tags: Iterable[str], *, everything: bool = False) -> None:
        """Invalidate ``tags`` here and on every instance; returns when every instance has
        done so."""
        tags = frozenset(tags)
        self.apply(tags, everything=everything)
        if self.remote is None:
            return
        message = {
            "id": uuid.uuid4().hex,
            "from": self.instance,
            "tags": sorted(tags),
            "all": everything,
        }
        try:
            assert self._blocking is not None
            receivers = await self._blocking.publish(self._channel, orjson.dumps(message))
            await self._await_acks(message["id"], int(receivers))
        except FAILURES as exc:
            self._bus.failed(exc)
            await self._outwait_leases()

    async def _await_acks(self, message_id: str, receivers: int) -> None:
        """Until every receiver has acknowledged, or every instance whose lease may still
        rest on a beat sent before this message has acknowledged or lost that lease."""
        assert self.remote is not None
        key = f"{self.remote.prefix}ack:{message_id}"
        acked: set[str] = set()
        give_up = self._clock() + ACK_TIMEOUT
        leases: dict[str, float] | None = None  # known once our own listener heard it
        while len(acked) < receivers:
            deadline = give_up if leases is None else self._next_lapse(leases, acked)
            if deadline is None:
                return
            ack = await self._ack(key, deadline)
            if ack is not None:
                acked.add(ack)
                if leases is None and ack == self.instance:
                    leases = self._leases(until=give_up)
            elif deadline >= give_up:
                log.warning("an instance did not acknowledge an invalidation in %.2fs", ACK_TIMEOUT)
                return

    def _next_lapse(self, leases: dict[str, float], acked: set[str]) -> float | None:
        """When the next lease still waited for runs out; None when none is left."""
        now = self._clock()
        return min(
            (end for instance, end in leases.items() if instance not in acked and end > now),
            default=None,
        )

    async def _ack(self, key: str, deadline: float) -> str | None:
        """The next acknowledging instance, or None if none came before ``deadline``."""
        assert self._blocking is not None
        left = deadline - self._clock()
        if left <= 0:
            return None
        # BLPOP counts whole milliseconds, and a timeout of 0 blocks for ever.
        popped = await self._blocking.blpop([key], timeout=max(left, 0.001))
        return popped[1].decode() if popped is not None else None

    def _leases(self, *, until: float) -> dict[str, float] | None:
        """Each other instance that may still hold a lease, and when (``clock``) that lease
        has run out for sure, capped at ``until``. None while beats sent before the current
        subscription (unheard) may still give a lease."""
        now, wall = self._clock(), self._wall()
        since = self._listening_since
        if since is None or wall < since + LEASE + CLOCK_SKEW:
            return None
        ends = {
            instance: now + min(sent + LEASE + CLOCK_SKEW - wall, until - now)
            for instance, sent in self._beats.items()
            if instance != self.instance
        }
        return {instance: end for instance, end in ends.items() if end > now}

    async def _outwait_leases(self) -> None:
        if self._beats:
            left = max(self._beats.values()) + LEASE + CLOCK_SKEW - self._wall()
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
        while True:
            beat = {"beat": self.instance, "wall": self._wall(), "clock": self._clock()}
            with contextlib.suppress(*FAILURES):
                await self._blocking.publish(self._channel, orjson.dumps(beat))
            await asyncio.sleep(HEARTBEAT)

    async def _listen(self) -> None:
        assert self.remote is not None and self._blocking is not None
        while True:
            try:
                async with self._blocking.pubsub() as pubsub:
                    await pubsub.subscribe(self._channel)
                    self.subscribed()
                    while True:
                        message = await pubsub.get_message(
                            ignore_subscribe_messages=True, timeout=HEARTBEAT
                        )
                        if message is not None:
                            await self._receive(message["data"])
            except FAILURES as exc:
                self._listening_since = None
                self._bus.failed(exc)
                await asyncio.sleep(HEARTBEAT)

    def subscribed(self) -> None:
        """The listener's subscription (re)began: what was published before went unheard."""
        self.epoch += 1  # we may have missed invalidations: nothing old is trusted
        self._listening_since = self._wall()

    def heard_beat(self, beat: dict[str, Any]) -> None:
        """A heartbeat heard on the channel; our own renews our lease."""
        sender, sent = beat["beat"], float(beat["wall"])
        self._beats[sender] = max(sent, self._beats.get(sender, sent))
        if sender != self.instance:
            return
        if not self.has_lease():
            self.epoch += 1  # we may have missed invalidations: nothing old is trusted
            if self._leased_from is not None:
                log.info(
                    "lease lapsed for %.2fs: in-process answers dropped",
                    self._clock() - self._leased_from - LEASE,
                )
        self._leased_from = max(float(beat["clock"]), self._leased_from or 0.0)
        self._beats = {i: at for i, at in self._beats.items() if at > sent - 10 * LEASE}

    async def _receive(self, data: bytes) -> None:
        message = orjson.loads(data)
        if "beat" in message:
            if "wall" in message:  # not a beat of a version without leases per instance
                self.heard_beat(message)
            return
        if message["from"] != self.instance:  # the writer applied its own before publishing
            self.apply(message["tags"], everything=message["all"], source="remote")
        assert self._blocking is not None
        assert self.remote is not None
        key = f"{self.remote.prefix}ack:{message['id']}"
        async with self._blocking.pipeline(transaction=False) as pipe:
            pipe.rpush(key, self.instance)
            pipe.expire(key, 10)
            await pipe.execute()
