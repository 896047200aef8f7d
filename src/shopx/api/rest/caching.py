"""REST answers through the GraphQL response cache: the same tiers (in-process, Redis),
freshness, single flight and invalidation by tags, so a write shows on the next REST read
on every instance as it does on GraphQL.

A REST answer's key is made as a GraphQL one's (:meth:`ResponseCache.key`): a digest of the
route stands for the document, the path and the sorted query parameters for the variables,
then the caller's visibility and the business-local day. Every 200 carries an ``ETag`` (a
digest of the body) and a request whose ``If-None-Match`` names it gets ``304``.

A route that answered through the cache is remembered by its path (:class:`RestRoutes`), so
that the next request for that path can be answered from the in-process tier at the ASGI
edge (:mod:`shopx.api.rest.edge`), before FastAPI routes it and resolves its dependencies.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, NamedTuple
from urllib.parse import parse_qsl

import orjson
from fastapi import Request
from sqlalchemy.exc import SQLAlchemyError
from starlette.responses import Response
from starlette.types import Scope

from shopx.auth import Permission, Principal
from shopx.cache.documents import Plan, TtlClass
from shopx.cache.local import Entry
from shopx.cache.responses import JSON_HEADERS, Computed, ResponseCache
from shopx.calendar import local_day
from shopx.db.engine import pool_timeout_is_unavailable
from shopx.errors import Unavailable

log = logging.getLogger("shopx.api")

Payload = Callable[[], Awaitable[Any]]
"""Computes the JSON-able answer (a dict)."""

PRIVATE = "private, no-cache"
"""Clients may keep an answer but must revalidate it (a 304 costs nothing)."""
MAX_PATHS = 10_000
"""Paths remembered at most (then forgotten all at once): one per product page read."""


class RestRoute(NamedTuple):
    """What the edge needs to answer a path from the cache as its route would."""

    plan: Plan
    permission: Permission
    """What the route's dependency requires of the caller."""
    endpoint: Any
    """The route's function: the metrics label the answer by it."""


class RestRoutes:
    """The cached routes by the paths they answered (a path is always routed the same
    way, whatever its query string)."""

    def __init__(self) -> None:
        self._routes: dict[str, RestRoute] = {}

    def get(self, path: str) -> RestRoute | None:
        return self._routes.get(path)

    def remember(self, path: str, route: RestRoute) -> None:
        if path in self._routes:
            return
        if len(self._routes) >= MAX_PATHS:
            self._routes.clear()
        self._routes[path] = route


def rest_key(
    responses: ResponseCache, plan: Plan, scope: Scope, visibility: str, today: str
) -> str:
    """The cache key of a REST answer: the route and the request as it was asked (its path
    and its query parameters, sorted, read as Starlette reads them), the caller's visibility
    and the business day."""
    query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
    return responses.key(plan, [scope["path"], sorted(query)], visibility, today)


def etag_of(body: bytes) -> str:
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def entry_etag(entry: Entry) -> bytes:
    """The ETag of a cached answer, computed once per entry."""
    etag = entry.extra.get("etag")
    if etag is None:
        etag = entry.extra["etag"] = etag_of(entry.body).encode()
    return etag


def none_match(header: str | None, etag: str) -> bool:
    """Does an ``If-None-Match`` header name ``etag`` (weak or strong, or ``*``)?"""
    if header is None:
        return False
    tags = {part.strip().removeprefix("W/") for part in header.split(",")}
    return etag in tags or "*" in tags


@contextmanager
def answering(operation: str) -> Iterator[None]:
    """A database that fails, or has no connection free in time, makes the request a 503
    SERVICE_UNAVAILABLE (a retry may succeed), not an anonymous internal error."""
    try:
        with pool_timeout_is_unavailable():
            yield
    except (SQLAlchemyError, OSError) as exc:
        log.exception("the database failed while answering %s", operation)
        raise Unavailable("the database did not answer; retry later") from exc


@cache
def plan(operation: str, ttl: TtlClass, tags: frozenset[str]) -> Plan:
    """The cache plan of a REST route: ``operation`` names it (``GET /api/v1/...``)."""
    digest = hashlib.blake2b(f"rest {operation}".encode(), digest_size=16).hexdigest()
    return Plan(digest, operation, (ttl,), tuple(sorted(tags)))


async def cached_json(
    request: Request, route: Plan, caller: Principal, payload: Payload, *, permission: Permission
) -> Response:
    """The answer of ``payload`` for this request, from the cache when it is fresh there.

    ``permission``: what the route required of ``caller`` (the edge checks it again before
    it answers the path itself)."""
    state = request.app.state

    async def compute() -> Computed:
        with answering(route.operation):
            body = orjson.dumps(await payload(), option=orjson.OPT_NON_STR_KEYS)
        return Computed(200, JSON_HEADERS, body)

    responses = state.cache.responses
    source = "MISS"
    if responses is None:
        body = (await compute()).body
        etag = etag_of(body)
    else:
        today = local_day(state.clock(), state.settings.tz).isoformat()
        key = rest_key(responses, route, request.scope, caller.visibility, today)
        no_cache = "no-cache" in request.headers.get("cache-control", "")
        refresh = no_cache and caller.role is not None
        with answering(route.operation):  # freshness is read from the database too
            answer = await responses.answer(key, route, compute, refresh=refresh)
        body, source = answer.computed.body, answer.source
        etag = etag_of(body) if answer.entry is None else entry_etag(answer.entry).decode()
        endpoint = request.scope.get("endpoint")
        state.rest_routes.remember(request.scope["path"], RestRoute(route, permission, endpoint))
    headers = {"etag": etag, "cache-control": PRIVATE, "x-cache": source}
    if none_match(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
