"""The response cache at the ASGI edge: a cached GraphQL answer leaves before FastAPI routing,
Strawberry parsing or any resolver runs.

Only ``POST /graphql`` sent as ``application/json`` with a cacheable query (see
:mod:`shopx.cache.documents`) is looked at; everything else passes through untouched (the
API refuses another content type with 415, hit or not). The caller's token is verified here
(memoized per token until it expires) because what the caller may see (its visibility) is
part of the key; a bad
token, or no token when anonymous reads are off, passes through so that the API answers
the error. ``Cache-Control: no-cache`` from a token holder skips the lookup (the fresh
answer is still stored); anonymous callers get the cached answer, so that no one without a
token can make every request a recompute. Answers carry ``X-Cache: HIT-L1 | HIT-L2 | MISS``.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import timedelta
from functools import partial
from typing import Any, NamedTuple

import orjson
from sqlalchemy.exc import SQLAlchemyError

from shopx.api.graphql.limits import DocumentLimits, gate
from shopx.api.responses import send_refusal
from shopx.auth import Principal, Role, create_token, principal_from_header
from shopx.cache.documents import Plan, Planner
from shopx.cache.responses import Answer, Computed, ResponseCache, Warmth
from shopx.cache.runtime import CacheRuntime
from shopx.calendar import local_day, local_midnight
from shopx.errors import ShopXError, Unavailable

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

log = logging.getLogger("shopx.cache")
DATABASE_DOWN = Unavailable("the database did not answer; retry later")
MAX_BODY = 256 * 1024
"""Larger requests are not cached."""
MAX_CALLERS = 10_000
"""Recognised requests kept at most (then forgotten all at once)."""
MEMO_BODY = 16 * 1024
"""Requests up to this size are recognised once (by the body's digest); larger ones each
time."""


def caller_of(secret: str, header: bytes | None) -> Principal | None:
    """The caller behind a raw ``Authorization`` header, or None when it does not verify
    (verified tokens are kept until they expire: :func:`principal_from_header`)."""
    try:
        return principal_from_header(secret, None if header is None else header.decode("latin-1"))
    except ShopXError:
        return None


class Known(NamedTuple):
    """What a request body means for the cache, worked out once per body and caller."""

    key: str
    plan: Plan
    caller: Principal


class BusinessDay:
    """The business-local date of the app's clock (part of every cache key: a cached TODAY
    must not outlive its day), asked of the clock at most once a second and at the next
    local midnight."""

    def __init__(self, state: Any) -> None:
        self.state = state
        self._day = ""
        self._recheck_at = 0.0

    def __call__(self) -> str:
        if time.monotonic() >= self._recheck_at:
            now = self.state.clock()
            tz = self.state.settings.tz
            day = local_day(now, tz)
            midnight = local_midnight(day + timedelta(days=1), tz)
            wait = min(1.0, (midnight - now).total_seconds())
            self._recheck_at = time.monotonic() + wait
            self._day = day.isoformat()
        return self._day


class ResponseCacheMiddleware:
    """``state``: the app's state (settings, clock, secret and, once started, the cache)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], state: Any) -> None:
        self.app, self.state = app, state
        self.gate = gate(DocumentLimits.of(state.settings))
        self._known: dict[tuple[bytes, bytes | None, str], Known] = {}
        self.today = BusinessDay(state)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != "/graphql":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        if not _is_json(headers):
            return await self.app(scope, receive, send)
        runtime: CacheRuntime = self.state.cache
        responses = runtime.responses
        body = await _read_body(receive)
        if body is None:
            return None
        replay = _replay(body, receive)
        if responses is None or len(body) > MAX_BODY:
            return await self.app(scope, replay, send)
        try:
            known = self._recognise(runtime.planner, responses, body, headers.get(b"authorization"))
        except ShopXError as refusal:
            return await send_refusal(scope, send, refusal)
        if known is None:
            return await self.app(scope, replay, send)
        scope["shopx.operation"] = known.plan.operation
        no_cache = b"no-cache" in headers.get(b"cache-control", b"")
        refresh = no_cache and known.caller.role is not None

        compute = partial(_call, self.app, scope, body)
        try:
            answer = await responses.answer(known.key, known.plan, compute, refresh=refresh)
        except (SQLAlchemyError, OSError):
            # Freshness is read from the database before the answer: without one there is
            # no answer to give, but the caller still gets GraphQL's shape and a reason.
            log.exception("the database failed while answering %s", known.plan.operation)
            return await send_refusal(scope, send, DATABASE_DOWN)
        await _send(answer, send, gzip_ok=b"gzip" in headers.get(b"accept-encoding", b""))

    async def warm(self, body: bytes, authorization: bytes | None) -> Warmth | None:
        """Warm the answer to ``body`` for the caller of ``authorization`` under the key a
        request with them gets (:meth:`ResponseCache.warm`); None when that request is not
        cacheable (the cache is off, the document is not, or the caller may not read)."""
        runtime: CacheRuntime = self.state.cache
        responses, warmer = runtime.responses, runtime.warmer
        if responses is None or warmer is None or len(body) > MAX_BODY:
            return None
        known = self._recognise(runtime.planner, responses, body, authorization)
        if known is None:
            return None
        headers = [(b"content-type", b"application/json")]
        if authorization is not None:
            headers.append((b"authorization", authorization))
        compute = partial(_call, self.app, _post_scope(headers), body)
        return await responses.warm(known.key, known.plan, compute, serving=warmer.serving)

    def _recognise(
        self,
        planner: Planner,
        responses: ResponseCache,
        body: bytes,
        authorization: bytes | None,
    ) -> Known | None:
        """The key, plan and caller of a cacheable request; None when it is not one.

        Raises the refusal of a document past the limits: they are checked before the
        planner expands it."""
        today = self.today()
        memo = (hashlib.blake2b(body, digest_size=16).digest(), authorization, today)
        known = self._known.get(memo)
        if known is not None and known.caller.valid_at(time.time()):
            return known
        request = _graphql_request(body)
        if request is None:
            return None
        refusal = self.gate.check(request.query, request.operation).refusal
        if refusal is not None:
            raise refusal
        plan = planner(request.query, request.operation)
        if plan is None:
            return None
        caller = caller_of(self.state.secret, authorization)
        if caller is None or (caller.role is None and not self.state.settings.anonymous_reads):
            return None
        key = responses.key(plan, request.variables, caller.visibility, today)
        known = Known(key, plan, caller)
        if len(body) <= MEMO_BODY:
            if len(self._known) >= MAX_CALLERS:
                self._known.clear()
            self._known[memo] = known
        return known


class EdgeWarmer:
    """The :class:`~shopx.cache.runtime.Warmer` of an app: its response cache warms each
    answer for a caller of the visibility asked, with a token of that role it signs itself
    (renewed before it expires)."""

    TOKEN_TTL = timedelta(hours=1)

    def __init__(self, edge: ResponseCacheMiddleware, *, serving: bool) -> None:
        self.edge, self.serving = edge, serving
        self._tokens: dict[Role, tuple[bytes, float]] = {}

    async def warm(self, body: bytes, visibility: str) -> Warmth | None:
        authorization = None if visibility == "anonymous" else self._bearer(Role(visibility))
        return await self.edge.warm(body, authorization)

    def _bearer(self, role: Role) -> bytes:
        header, renew_at = self._tokens.get(role, (b"", 0.0))
        if time.time() >= renew_at:
            token = create_token(
                self.edge.state.secret, role, ttl=self.TOKEN_TTL, subject="cache-warm"
            )
            renew_at = time.time() + self.TOKEN_TTL.total_seconds() / 2
            header = f"Bearer {token}".encode()
            self._tokens[role] = (header, renew_at)
        return header


def _is_json(headers: dict[bytes, bytes]) -> bool:
    """Only a JSON body is looked at (the API refuses another content type, hit or not)."""
    content_type = headers.get(b"content-type", b"")
    return content_type.split(b";")[0].strip().lower() == b"application/json"


class GraphQLRequest(NamedTuple):
    query: str
    operation: str | None
    variables: Any


def _graphql_request(body: bytes) -> GraphQLRequest | None:
    """A single JSON GraphQL request, or None for anything else (batches, bad JSON)."""
    try:
        request = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(request, dict) or not isinstance(request.get("query"), str):
        return None
    name = request.get("operationName")
    if name is not None and not isinstance(name, str):
        return None
    return GraphQLRequest(request["query"], name, request.get("variables") or {})


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body; None when the client went away first."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _post_scope(headers: list[tuple[bytes, bytes]]) -> Scope:
    """A ``POST /graphql`` from this process itself, as a warmed answer's request."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 0),
    }


def _without_encoding(scope: Scope) -> Scope:
    """A copy of the request asking for an uncompressed answer (we compress)."""
    inner = dict(scope)
    inner["headers"] = [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"]
    return inner


async def _call(app: Callable[..., Awaitable[None]], scope: Scope, body: bytes) -> Computed:
    """Ask the API: the request ``scope`` with ``body``; its response is kept, not sent.

    The same call serves again when the answer is recomputed after a write, long after the
    client left, so nothing after the body is read from the client."""
    status = 500
    headers: list[tuple[bytes, bytes]] = []
    chunks: list[bytes] = []

    async def keep(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = [(k.lower(), v) for k, v in message.get("headers", [])]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(_without_encoding(scope), _replay(body, _never), keep)
    kept = tuple((k, v) for k, v in headers if k not in (b"content-length", b"content-encoding"))
    return Computed(status, kept, b"".join(chunks))


async def _never() -> Message:
    """What the API hears after the body: nothing more (it never waits for it)."""
    await asyncio.Future()
    raise AssertionError("unreachable")


async def _send(answer: Answer, send: Send, *, gzip_ok: bool) -> None:
    packed = answer.gzipped() if gzip_ok else None
    body = answer.computed.body if packed is None else packed
    headers = answer.headers(packed)
    await send(
        {"type": "http.response.start", "status": answer.computed.status, "headers": headers}
    )
    await send({"type": "http.response.body", "body": body})
