"""Failed sign-ins per email and per client IP, so passwords cannot be guessed at speed.

An attempt is counted against both before its password is checked, and taken back when it
succeeds (or fails for another reason than the credentials): concurrent guesses cannot slip
through between a check and a count, and a success never wipes failures out, so signing in
to one's own account between guesses resets nothing. Once either count is past its limit
(``SHOPX_LOGIN_FAILURES_PER_EMAIL``, ``SHOPX_LOGIN_FAILURES_PER_IP``) every attempt is
refused with 429 and ``Retry-After`` until the window ends, the right password included.
Unknown emails are counted like known ones, so the refusal tells nothing about accounts.

The counts are the rate limiter's (:class:`shopx.api.ratelimit.Counters`: fixed windows,
shared in Redis when configured), and they are kept whether or not
``SHOPX_RATE_LIMIT_ENABLED`` is on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from limits import RateLimitItem, parse

from shopx.api.proxies import Scope
from shopx.api.ratelimit import Counters, limiter_of
from shopx.errors import RateLimited, Unauthenticated

T = TypeVar("T")


class TooManyFailures(RateLimited):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins; retry in {retry_after} s")
        self.retry_after = retry_after


class LoginGuard:
    """``state``: the app's state (settings and, once started, ``rate_counters``)."""

    def __init__(self, state: Any) -> None:
        self.state = state
        self.per_email = parse(state.settings.login_failures_per_email)
        self.per_ip = parse(state.settings.login_failures_per_ip)
        self.proxies = limiter_of(state).proxies

    async def attempt(self, scope: Scope, email: str, sign_in: Callable[[], Awaitable[T]]) -> T:
        """Run ``sign_in`` unless ``email`` or the client has failed too often; its
        UNAUTHENTICATED counts as a failure, anything else does not."""
        counters: Counters = self.state.rate_counters
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
                for item, key in counted:
                    await counters.hit(item, key, -1)


def login_guard(state: Any) -> LoginGuard:
    """The app's one guard, made on first use."""
    found = getattr(state, "login_guard", None)
    if found is None:
        found = state.login_guard = LoginGuard(state)
    return found
