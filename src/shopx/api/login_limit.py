"""Failed sign-ins per email and per client IP, so passwords cannot be guessed at speed.

An attempt is counted against both before its password is checked, and taken back when it
succeeds (or fails for another reason than the credentials): concurrent guesses cannot slip
through between a check and a count, and a success never wipes failures out, so signing in
to one's own account between guesses resets nothing. Once either count is past its limit
(``SHOPX_LOGIN_FAILURES_PER_EMAIL``, ``SHOPX_LOGIN_FAILURES_PER_IP``) every attempt is
refused with 429 and ``Retry-After`` until the window ends, the right password included.
Unknown emails are counted like known ones, so the refusal tells nothing about accounts.

The counts are kept like the rate limiter's (:class:`shopx.api.ratelimit.Counters`: fixed
windows, shared in Redis when configured), whether or not ``SHOPX_RATE_LIMIT_ENABLED`` is
on, in counters of their own (``state.login_counters``): a Redis call may take
:data:`REDIS_TIMEOUT_MS` instead of the rate limiter's few milliseconds, since a count that
falls back to memory is a count other instances do not see, and a take-back goes to the
store its hit went to (a hit in Redis taken back in memory stays counted in Redis, and a
burst would push correct sign-ins past the limit).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from limits import RateLimitItem, parse

from shopx.api.proxies import Scope
from shopx.api.ratelimit import Counters, limiter_of
from shopx.config import Settings
from shopx.errors import RateLimited, Unauthenticated

T = TypeVar("T")
REDIS_TIMEOUT_MS = 250
"""How long a login count may wait for Redis (a login takes a tenth of a second anyway)."""


class TooManyFailures(RateLimited):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins; retry in {retry_after} s")
        self.retry_after = retry_after


class LoginGuard:
    """``state``: the app's state (settings and, once started, ``login_counters``)."""

    def __init__(self, state: Any) -> None:
        self.state = state
        self.per_email = parse(state.settings.login_failures_per_email)
        self.per_ip = parse(state.settings.login_failures_per_ip)
        self.proxies = limiter_of(state).proxies

    async def attempt(self, scope: Scope, email: str, sign_in: Callable[[], Awaitable[T]]) -> T:
        """Run ``sign_in`` unless ``email`` or the client has failed too often; its
        UNAUTHENTICATED counts as a failure, anything else does not."""
        counters: Counters = self.state.login_counters
        counted: list[tuple[RateLimitItem, str]] = [
            (self.per_email, f"login-email:{email}"),
            (self.per_ip, f"login-ip:{self.proxies.client_ip(scope)}"),
        ]
        windows = [await counters.hit(item, key) for item, key in counted]
        failed = False
        try:
            refused = [window for window in windows if not window.allowed]
            if refused:
                raise TooManyFailures(max(window.retry_after() for window in refused))
            try:
                return await sign_in()
            except Unauthenticated:
                failed = True
                raise
        finally:
            if not failed:
                for (item, key), window in zip(counted, windows, strict=True):
                    await counters.take_back(item, key, window)


def login_counters(settings: Settings) -> Counters:
    """The counters of failed sign-ins (module doc); the app closes them when it stops."""
    timeout_ms = max(REDIS_TIMEOUT_MS, settings.redis_timeout_ms)
    return Counters(settings, timeout_ms=timeout_ms, what="login failures")


def login_guard(state: Any) -> LoginGuard:
    """The app's one guard, made on first use."""
    found = getattr(state, "login_guard", None)
    if found is None:
        found = state.login_guard = LoginGuard(state)
    return found
