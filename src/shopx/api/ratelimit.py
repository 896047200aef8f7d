"""Requests per caller and window, counted at the edge before the response cache, so a cached
answer is cheap but still counted.

A token holder is counted per token subject in its role's tier; a caller without a valid
token per client IP (``X-Forwarded-For`` is believed only from ``SHOPX_TRUSTED_PROXIES``).
Every counted response carries ``X-RateLimit-Limit``, ``-Remaining`` and ``-Reset`` (epoch
seconds); past the limit the answer is 429 with ``Retry-After`` and code RATE_LIMIT_EXCEEDED.
Probes and scrapes (:data:`EXEMPT`) are never counted or refused.

Windows are fixed and aligned to the clock (one counter per key and window: one increment
per request, in memory or one Redis command); a caller may burst up to twice its limit
across a window boundary, which a per-minute abuse guard tolerates. With Redis configured
the counts are shared by all instances (``limits``' Redis storage); while Redis is
unreachable each instance counts on its own (the breaker of :mod:`shopx.cache.remote`), so
a sick Redis neither stalls nor refuses anyone. In-process counts are :class:`LocalWindows`,
not ``limits``' memory storage: that one costs several times as much per request (a lock,
an expiry task scheduled per increment, a sweep over every key), a visible share of a
cached hit (the README has the measurement).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, NamedTuple

from limits import RateLimitItem, parse
from limits.aio.storage import RedisStorage, Storage
from limits.errors import StorageError
from redis.asyncio import Redis

from shopx.api.proxies import TrustedProxies, header
from shopx.api.response_cache import caller_of
from shopx.api.responses import send_refusal
from shopx.auth import ANONYMOUS, Principal, Role
from shopx.cache.remote import FAILURES, Breaker, client, namespace
from shopx.config import Settings
from shopx.errors import RateLimited

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

EXEMPT = frozenset({"/health", "/ready", "/metrics"})
COUNTED = frozenset({"http", "websocket"})
"""A WebSocket counts when it opens, and each of its operations again when it is subscribed
(:mod:`shopx.api.graphql.websocket`), so one socket cannot run more than a caller's limit."""
POLICY_VIOLATION = 1008


class Tiers(NamedTuple):
    anonymous: RateLimitItem
    authenticated: RateLimitItem
    admin: RateLimitItem

    @classmethod
    def of(cls, settings: Settings) -> Tiers:
        return cls(
            parse(settings.rate_limit_anonymous),
            parse(settings.rate_limit_authenticated),
            parse(settings.rate_limit_admin),
        )

    def of_role(self, role: Role | None) -> RateLimitItem:
        if role is None:
            return self.anonymous
        return self.admin if role is Role.ADMIN else self.authenticated


class Window(NamedTuple):
    """One caller's window after counting this request."""

    limit: int
    used: int
    reset: float
    """When the window ends (seconds since the epoch)."""
    shared: bool = False
    """Counted in Redis (else in this process): a take-back goes to the same store."""

    @property
    def allowed(self) -> bool:
        return self.used <= self.limit

    def headers(self) -> list[tuple[bytes, bytes]]:
        remaining = max(0, self.limit - self.used)
        return [
            (b"x-ratelimit-limit", b"%d" % self.limit),
            (b"x-ratelimit-remaining", b"%d" % remaining),
            (b"x-ratelimit-reset", b"%d" % math.ceil(self.reset)),
        ]

    def retry_after(self) -> int:
        return max(1, math.ceil(self.reset - time.time()))


def window_index(item: RateLimitItem, at: float | None = None) -> int:
    """Which of ``item``'s clock-aligned windows holds the moment ``at`` (default: now)."""
    return int((time.time() if at is None else at) // item.get_expiry())


class LocalWindows:
    """Fixed windows aligned to the clock, counted in this process; each window's counts are
    dropped whole when the next one starts, so memory holds one window of callers."""

    def __init__(self) -> None:
        self._current: dict[int, tuple[int, dict[tuple[int, str], int]]] = {}

    def hit(self, item: RateLimitItem, key: str, amount: int = 1) -> Window:
        period = item.get_expiry()
        index = window_index(item)
        current = self._current.get(period)
        if current is None or current[0] != index:
            current = self._current[period] = (index, {})
        counts = current[1]
        used = counts[item.amount, key] = counts.get((item.amount, key), 0) + amount
        return Window(item.amount, used, (index + 1) * period)


class Counters:
    """The counts: shared in Redis when configured, else (and while Redis is down) in memory.

    ``timeout_ms``: how long a Redis call may take before the count falls back to memory
    (default ``SHOPX_REDIS_TIMEOUT_MS``)."""

    def __init__(
        self, settings: Settings, *, timeout_ms: int | None = None, what: str = "rate limits"
    ) -> None:
        timeout_ms = timeout_ms or settings.redis_timeout_ms
        self.local = LocalWindows()
        self.redis: Redis | None = None
        self.shared: Storage | None = None
        self.breaker = Breaker(f"Redis ({what})")
        self.timeout = timeout_ms / 1000
        if settings.redis_url:
            self.redis = client(settings.redis_url, timeout_ms)
            self.shared = RedisStorage(
                f"async+{settings.redis_url}",
                implementation="redispy",
                key_prefix=f"{namespace(settings.effective_database_url)}ratelimit",
                connection_pool=self.redis.connection_pool,
            )

    async def hit(self, item: RateLimitItem, key: str) -> Window:
        """Count one request of ``key`` against ``item``."""
        if self.shared is not None and self.breaker.closed:
            window = await self._shared_hit(item, key, 1)
            if window is not None:
                return window
        return self.local.hit(item, key)

    async def take_back(self, item: RateLimitItem, key: str, counted: Window) -> None:
        """Undo the hit that answered ``counted``, in the store that counted it: taken back
        from the other one, it would stay counted in this one. A shared count is taken back
        even while the breaker is open (it was closed for the hit); if Redis fails, the hit
        stays counted: too many, never too few. Either way it is taken from the window that
        counted it; in memory, a window that has ended is gone with its counts."""
        window = window_index(item, counted.reset) - 1
        if counted.shared:
            await self._shared_hit(item, key, -1, window)
        elif window == window_index(item):
            self.local.hit(item, key, -1)

    async def _shared_hit(
        self, item: RateLimitItem, key: str, amount: int, window: int | None = None
    ) -> Window | None:
        """``amount`` added in Redis to the count of ``window`` (default: the current one),
        or None (and the breaker opened) when it failed."""
        assert self.shared is not None
        try:
            async with asyncio.timeout(self.timeout):
                return await _shared_hit(self.shared, item, key, amount, window)
        except (*FAILURES, StorageError) as exc:
            self.breaker.failed(exc)
            return None

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()


async def _shared_hit(
    storage: Storage, item: RateLimitItem, key: str, amount: int, window: int | None
) -> Window:
    """One command: the windows are aligned to the clock, as in memory, so each has a key of
    its own and its end is known here (a window that began at its first hit would need a
    second round trip for its end)."""
    period = item.get_expiry()
    index = window_index(item) if window is None else window
    used = await storage.incr(f"{item.key_for(key)}/{index}", period, amount)
    return Window(item.amount, used, (index + 1) * period, shared=True)


class Limiter:
    """Whom a request counts against and its count, shared by the edge (one per request) and
    the WebSocket handler (one per operation). ``state``: the app's state (settings, secret
    and, once started, ``rate_counters``)."""

    def __init__(self, state: Any) -> None:
        self.state = state
        settings: Settings = state.settings
        self.enabled = settings.rate_limit_enabled
        self.tiers = Tiers.of(settings)
        self.proxies = TrustedProxies(settings.trusted_proxies)

    async def hit(self, scope: Scope, caller: Principal) -> Window:
        """Count one request of ``caller`` (its subject, else the client IP of ``scope``)."""
        item = self.tiers.of_role(caller.role)
        key = f"user:{caller.subject}" if caller.role else f"ip:{self.proxies.client_ip(scope)}"
        return await self.state.rate_counters.hit(item, key)


def limiter_of(state: Any) -> Limiter:
    """The app's one limiter, made on first use by whichever of its users comes first."""
    found = getattr(state, "rate_limiter", None)
    if found is None:
        found = state.rate_limiter = Limiter(state)
    return found


class RateLimitMiddleware:
    """``state``: the app's state (settings, secret and, once started, ``rate_counters``)."""

    def __init__(self, app: ASGIApp, state: Any) -> None:
        self.app, self.state = app, state
        self.limiter = limiter_of(state)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.limiter.enabled or scope["type"] not in COUNTED or scope["path"] in EXEMPT:
            return await self.app(scope, receive, send)
        window = await self.limiter.hit(scope, self._caller(scope))
        if scope["type"] == "websocket":
            if window.allowed:
                return await self.app(scope, receive, send)
            return await _refuse_socket(receive, send)
        headers = window.headers()
        if not window.allowed:
            return await _refuse(scope, send, window, headers)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _caller(self, scope: Scope) -> Principal:
        """The verified caller; a bad token counts as no token (the API refuses it anyway)."""
        caller = caller_of(self.state.secret, header(scope, b"authorization"))
        return caller or ANONYMOUS


def exceeded(window: Window) -> RateLimited:
    """The refusal of a request past its caller's limit."""
    retry = window.retry_after()
    return RateLimited(f"rate limit of {window.limit} requests exceeded; retry in {retry} s")


async def _refuse_socket(receive: Receive, send: Send) -> None:
    """Close before accepting: the server answers the upgrade with 403 (no headers to set)."""
    await receive()
    await send({"type": "websocket.close", "code": POLICY_VIOLATION, "reason": "rate limited"})


async def _refuse(
    scope: Scope, send: Send, window: Window, headers: list[tuple[bytes, bytes]]
) -> None:
    retry = (b"retry-after", b"%d" % window.retry_after())
    await send_refusal(scope, send, exceeded(window), [retry, *headers])
