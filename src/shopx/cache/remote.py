"""The Redis side: the shared tier, tag versions, and a breaker that keeps a sick Redis out.

Every call has a timeout of a few milliseconds (``SHOPX_REDIS_TIMEOUT_MS``). A failed call
opens the breaker for a second: calls skip Redis and the caller goes on with the
in-process tier and the database. The first call after that second tries again, so the
tier comes back by itself. Failures are logged once per :data:`LOG_EVERY` seconds.

Shared entries are stored as ``data version\\nbody``: the write counter read before the
answer was computed, then its bytes; an entry whose counter is behind the reader's is a
miss. A miss costs two round trips: the lookup that takes the compute lock when it finds
nothing fresh (:meth:`RedisTier.claim`, one script), and the store that releases it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from shopx import observability
from shopx.cache.local import TierStats

log = logging.getLogger("shopx.cache")

PREFIX = "shopx:"
RETRY_AFTER = 1.0
LOG_EVERY = 10.0
FAILURES = (RedisError, OSError, asyncio.TimeoutError)


def namespace(database_url: str) -> str:
    """The Redis key prefix of one database's deployment: instances of different databases
    may share a Redis without seeing each other's answers or invalidations."""
    return f"{PREFIX}{hashlib.blake2b(database_url.encode(), digest_size=6).hexdigest()}:"


class Breaker:
    """Open for :data:`RETRY_AFTER` seconds after a failure; logs at most once per interval."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._open_until = 0.0
        self._logged_at = -LOG_EVERY
        self.failures = 0

    @property
    def closed(self) -> bool:
        return time.monotonic() >= self._open_until

    def failed(self, exc: BaseException) -> None:
        now = time.monotonic()
        self.failures += 1
        self._open_until = now + RETRY_AFTER
        if now - self._logged_at >= LOG_EVERY:
            self._logged_at = now
            log.warning(
                "%s unavailable (%s: %s); going on without it", self.what, type(exc).__name__, exc
            )


def client(url: str, timeout_ms: int) -> Redis:
    """A pooled client that fails fast: no retries (the breaker decides when to try again)."""
    seconds = timeout_ms / 1000
    return Redis.from_url(
        url,
        socket_timeout=seconds,
        socket_connect_timeout=max(seconds, 0.05),
        max_connections=64,
        retry=Retry(NoBackoff(), 0),
    )


CLAIM = """
local raw = redis.call('GET', KEYS[1])
if raw then
  local cut = string.find(raw, '\\n', 1, true)
  local stamp = cut and string.sub(raw, 1, cut - 1) or ''
  local wanted = ARGV[1]
  if string.match(stamp, '^%d+$')
      and (#stamp > #wanted or (#stamp == #wanted and stamp >= wanted)) then
    return raw
  end
end
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then
  return 1
end
return 0
"""
"""KEYS: the answer, its compute lock; ARGV: the reader's data version, the lock's
lifetime (ms). The stored answer when it was computed at that version or later (counters
are decimal without leading zeros: the longer is larger, else the string order is the
number order); otherwise 1 when the lock was free and is now taken, 0 when it is held."""


class RedisTier:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis, self.prefix = redis, prefix
        self.breaker = Breaker("Redis cache tier")
        self.stats = TierStats()
        self._claim = redis.register_script(CLAIM)
        observability.watch_tier(self, "l2", self.stats)

    async def claim(self, key: str, data_version: int, lock_ms: int) -> tuple[bytes | None, bool]:
        """(the shared answer, False) as :meth:`lookup` finds it; else (None, whether this
        instance now holds the compute lock of ``key``): one round trip. When Redis cannot
        say, (None, False) with the breaker open: no lock was taken (so none is released
        later, which could be another instance's), and nobody waits on a Redis that is not
        there."""
        if not self.breaker.closed:
            return None, False
        try:
            found = await self._claim(
                keys=[self._answer(key), self.lock_key(key)], args=[data_version, lock_ms]
            )
        except FAILURES as exc:
            self.breaker.failed(exc)
            return None, False
        body = _at_least(found, data_version) if isinstance(found, bytes) else None
        if body is None:
            self.stats.misses += 1
            return None, found == 1
        self.stats.hits += 1
        return body, False

    def lock_key(self, key: str) -> str:
        return f"{self.prefix}lock:{key}"

    async def lookup(self, key: str, data_version: int) -> bytes | None:
        """The shared answer computed at ``data_version`` or later, or None. (One computed
        later has every write the counter had counted at ``data_version``, and more.)
        Uncounted: the warm-up's look, not a request's (a request's goes through
        :meth:`claim`, which counts it)."""
        if not self.breaker.closed:
            return None
        try:
            raw = await self.redis.get(self._answer(key))
        except FAILURES as exc:
            self.breaker.failed(exc)
            return None
        return _at_least(raw, data_version)

    async def poll(self, key: str, data_version: int, lock: str) -> tuple[bytes | None, bool]:
        """:meth:`lookup` of another instance's answer (uncounted), and whether that
        instance still holds ``lock`` (its computation is still under way)."""
        if not self.breaker.closed:
            return None, False
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.get(self._answer(key))
                pipe.exists(lock)
                raw, held = await pipe.execute()
        except FAILURES as exc:
            self.breaker.failed(exc)
            return None, False
        return _at_least(raw, data_version), bool(held)

    def _answer(self, key: str) -> str:
        return f"{self.prefix}answer:{key}"

    async def store(
        self, key: str, data_version: int, body: bytes, ttl: float, *, unlock: bool = False
    ) -> bool:
        """Keep ``body`` as computed at ``data_version``; ``unlock``: and release the
        compute lock of ``key`` (:meth:`claim`), in the same round trip. False when nothing
        was sent (the breaker is open, or the call failed): a lock to release still is."""
        if not self.breaker.closed:
            return False
        value = str(data_version).encode() + b"\n" + body
        try:
            if not unlock:
                await self.redis.set(self._answer(key), value, px=int(ttl * 1000))
                return True
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.set(self._answer(key), value, px=int(ttl * 1000))
                pipe.delete(self.lock_key(key))
                await pipe.execute()
        except FAILURES as exc:
            self.breaker.failed(exc)
            return False
        return True

    async def unlock(self, key: str) -> None:
        """Release the compute lock of ``key`` taken by :meth:`claim`, whatever the breaker
        says (a lock left held would make other instances wait for an answer never coming)."""
        try:
            await self.redis.delete(self.lock_key(key))
        except FAILURES as exc:
            self.breaker.failed(exc)

    async def entries(self) -> tuple[int, int] | None:
        """(shared entries, bytes used by Redis) or None when Redis is out."""
        if not self.breaker.closed:
            return None
        try:
            count = 0
            async for _ in self.redis.scan_iter(match=self._answer("*"), count=1000):
                count += 1
            memory = await self.redis.info("memory")
        except FAILURES as exc:
            self.breaker.failed(exc)
            return None
        return count, int(memory.get("used_memory", 0))


def _at_least(raw: bytes | None, data_version: int) -> bytes | None:
    """The body of a stored answer (``<data version>\n<body>``) computed at ``data_version``
    or later."""
    if raw is None:
        return None
    stamp, _, body = raw.partition(b"\n")
    return body if stamp.isdigit() and int(stamp) >= data_version else None
