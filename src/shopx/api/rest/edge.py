"""Cached REST answers at the ASGI edge, as cheaply as cached GraphQL ones: a ``GET`` of a
path a cached route answered before (:class:`~shopx.api.rest.caching.RestRoutes`) is looked
up in the in-process tier before FastAPI routes it, resolves its dependencies (token,
filters, paging) or runs the handler.

The edge answers only what the route would answer the same way: the caller's token is
verified (memoized per token, as for GraphQL) and must hold the route's permission; the
key is the route's (:func:`~shopx.api.rest.caching.rest_key`: path, query parameters,
visibility, business day), so it finds only answers the route stored after validating
those very parameters for a caller who sees the same; the answer must be fresh by the same
test as the route's (:meth:`~shopx.cache.responses.ResponseCache.hit`). The answer carries
the route's headers (``ETag``, ``Cache-Control``, ``X-Cache``) and a matching
``If-None-Match`` gets its ``304``. Anything else (a miss, a stale answer, a refused or
unknown caller, ``Cache-Control: no-cache`` from a token holder, an answer not yet
computed in this process) goes on to FastAPI untouched. The rate limit, body limit and
security headers sit outside, so they apply to edge answers too.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from shopx.api.response_cache import BusinessDay, Message, Receive, Scope, Send, caller_of
from shopx.api.rest.caching import PRIVATE, RestRoute, entry_etag, none_match, rest_key
from shopx.auth import Principal, permissions_of
from shopx.cache.responses import Answer
from shopx.cache.runtime import CacheRuntime

log = logging.getLogger("shopx.cache")
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
CACHE_CONTROL = (b"cache-control", PRIVATE.encode())


class RestCacheMiddleware:
    """``state``: the app's state (settings, clock, secret, the routes learned and, once
    started, the cache). ``today`` is shared with the GraphQL edge."""

    def __init__(self, app: ASGIApp, state: Any, today: BusinessDay) -> None:
        self.app, self.state, self.today = app, state, today

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            return await self.app(scope, receive, send)
        route: RestRoute | None = self.state.rest_routes.get(scope["path"])
        runtime: CacheRuntime | None = getattr(self.state, "cache", None)
        if route is None or runtime is None or runtime.responses is None:
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        caller = self._caller(route, headers)
        if caller is None or (caller.role is not None and _no_cache(headers)):
            return await self.app(scope, receive, send)
        key = rest_key(runtime.responses, route.plan, scope, caller.visibility, self.today())
        try:
            answer = await runtime.responses.hit(key, route.plan)
        except (SQLAlchemyError, OSError):
            answer = None  # the route reads freshness again and answers 503 if it must
        if answer is None or answer.entry is None:
            return await self.app(scope, receive, send)
        scope["endpoint"] = route.endpoint
        await _send(answer, headers, send)

    def _caller(self, route: RestRoute, headers: dict[bytes, bytes]) -> Principal | None:
        """The caller when it holds the route's permission; None otherwise (the route
        answers the refusal)."""
        caller = caller_of(self.state.secret, headers.get(b"authorization"))
        if caller is None:
            return None
        granted = permissions_of(caller, anonymous_reads=self.state.settings.anonymous_reads)
        return caller if route.permission in granted else None


def _no_cache(headers: dict[bytes, bytes]) -> bool:
    return b"no-cache" in headers.get(b"cache-control", b"")


async def _send(answer: Answer, headers: dict[bytes, bytes], send: Send) -> None:
    """The route's answer: 200 with the body (gzipped when the client takes it), or 304."""
    assert answer.entry is not None
    etag = entry_etag(answer.entry)
    source = (b"x-cache", answer.source.encode())
    asked = headers.get(b"if-none-match")
    if asked is not None and none_match(asked.decode("latin-1"), etag.decode()):
        start: Message = {
            "type": "http.response.start",
            "status": 304,
            "headers": [(b"etag", etag), CACHE_CONTROL, source],
        }
        await send(start)
        await send({"type": "http.response.body", "body": b""})
        return
    packed = answer.gzipped() if b"gzip" in headers.get(b"accept-encoding", b"") else None
    sent = answer.headers(packed)  # content type, length, encoding, X-Cache; made once
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [*sent, (b"etag", etag), CACHE_CONTROL],
        }
    )
    await send({"type": "http.response.body", "body": packed or answer.computed.body})
